/* MP4 / M4A / M4B / MOV chapters: QuickTime chapter tracks (tref/chap)
 * preferred, Nero `chpl` (udta) otherwise. */
#include "chapter-embedded.h"
#include "chapter-bytes.h"
#include "chapter-format.h"
#include "mp4-track.h"

#include <string.h>

#define MAX_SAMPLES 100000

/* Sample data, from the file in memory or fetched on demand. */
struct _ChapterMp4Samples
{
  const guint8 *file;           /* the whole file, or NULL */
  gsize file_size;
  ChapterMp4FetchFunc fetch;
  gpointer user_data;
  gboolean pictures;
};

static GBytes *
sample_bytes (const ChapterMp4Samples * src, guint64 offset, guint32 size)
{
  if (src->file) {
    if (offset >= src->file_size || size > src->file_size - offset)
      return NULL;
    return g_bytes_new_static (src->file + offset, size);
  }
  return src->fetch (offset, size, src->user_data);
}

/* A text sample: 16-bit length, text (UTF-8 or UTF-16 with BOM), then
 * atoms such as `encd` and `href`. */
static gboolean
read_text_sample (const ChapterMp4Samples * src, const Mp4Track * t, guint i,
    gchar ** text, gchar ** href)
{
  g_autoptr (GBytes) bytes = NULL;
  const guint8 *p;
  guint len;
  gsize n, pos;

  if (t->sizes[i] < 2 || t->sizes[i] > CHAPTER_MAX_TEXT * 4)
    return FALSE;
  bytes = sample_bytes (src, t->offsets[i], t->sizes[i]);
  if (bytes == NULL)
    return FALSE;
  p = g_bytes_get_data (bytes, &n);
  len = chapter_read_u16_be (p);
  if (len > n - 2)
    return FALSE;
  if (len >= 2 && (!memcmp (p + 2, "\xfe\xff", 2) || !memcmp (p + 2,
              "\xff\xfe", 2))) {
    gchar *utf8 = g_convert ((const gchar *) p + 4, len - 2,
        "UTF-8", p[2] == 0xfe ? "UTF-16BE" : "UTF-16LE", NULL, NULL, NULL);

    *text = chapter_text_clean (utf8 ? utf8 : "", -1);
    g_free (utf8);
  } else {
    *text = chapter_text_clean ((const gchar *) p + 2, len);
  }
  /* atoms after the text */
  for (pos = 2 + len; href && pos + 8 <= n;) {
    guint32 atom = chapter_read_u32_be (p + pos);

    if (atom < 8 || atom > n - pos)
      break;
    if (!memcmp (p + pos + 4, "href", 4) && atom >= 13) {
      guint url_len = p[pos + 12];

      if (13 + url_len <= atom && url_len > 0)
        *href = chapter_text_clean ((const gchar *) p + pos + 13, url_len);
    }
    pos += atom;
  }
  return TRUE;
}

/* A text track that gives @titles' chapters in another language: its
 * own language, none of the others', and a sample per chapter. */
static gboolean
is_translation (const Mp4Track * titles, const Mp4Track * t,
    const GPtrArray * translations)
{
  guint i;

  if (t->language[0] == '\0' || titles->language[0] == '\0'
      || !strcmp (t->language, titles->language) || t->n != titles->n)
    return FALSE;
  for (i = 0; i < translations->len; i++)
    if (!strcmp (t->language, ((const Mp4Track *)
                g_ptr_array_index (translations, i))->language))
      return FALSE;
  return TRUE;
}

/* Chapter @c's title (@text, sample @i of @titles) and its translations
 * at the same sample of each track in @translations. */
static void
add_translated_titles (const ChapterMp4Samples * src, Chapter * c,
    const Mp4Track * titles, const GPtrArray * translations, guint i,
    const gchar * text)
{
  guint k;

  chapter_add_title (c, titles->language, text);
  for (k = 0; k < translations->len; k++) {
    const Mp4Track *t = g_ptr_array_index (translations, k);
    gchar *other = NULL, *href = NULL;

    if (read_text_sample (src, t, i, &other, &href) && other && *other)
      chapter_add_title (c, t->language, other);
    g_free (other);
    g_free (href);
  }
}

static ChapterList *
read_qt_chapters (const ChapterMp4Samples * src, Mp4Box moov)
{
  GArray *tracks = g_array_new (FALSE, TRUE, sizeof (Mp4Track));
  GArray *refs = g_array_new (FALSE, FALSE, sizeof (guint32));
  const Mp4Track *titles = NULL, *links = NULL, *pictures = NULL;
  GPtrArray *translations = g_ptr_array_new ();
  ChapterList *list = NULL;
  gsize pos = 0;
  Mp4Box trak;
  guint i, r;

  /* all tracks, and the chapter references of any of them */
  while (mp4_next_box (moov.data, moov.size, &pos, &trak)) {
    static const gchar *const chap_path[] = { "tref", "chap", NULL };
    Mp4Box chap;
    Mp4Track t;

    if (memcmp (trak.type, "trak", 4) != 0)
      continue;
    if (mp4_find_path (trak.data, trak.size, chap_path, &chap))
      for (i = 0; i + 4 <= chap.size; i += 4) {
        guint32 id = chapter_read_u32_be (chap.data + i);
        guint k;

        for (k = 0; k < refs->len; k++)
          if (g_array_index (refs, guint32, k) == id)
            break;
        if (k == refs->len)
          g_array_append_val (refs, id);
      }
    if (mp4_track_read (trak.data, trak.size, MAX_SAMPLES, &t))
      g_array_append_val (tracks, t);
    else
      mp4_track_clear (&t);
  }

  /* titles from the first referenced text track, the same titles in
   * other languages from text tracks of other languages with as many
   * samples (as Apple's tools write them), links from another text track
   * with href atoms, pictures from a referenced video track */
  for (r = 0; r < refs->len; r++) {
    guint32 id = g_array_index (refs, guint32, r);

    for (i = 0; i < tracks->len; i++) {
      const Mp4Track *t = &g_array_index (tracks, Mp4Track, i);
      gboolean text = !strcmp (t->handler, "text")
          || !strcmp (t->handler, "sbtl");

      if (t->id != id)
        continue;
      if (text && titles == NULL)
        titles = t;
      else if (text && is_translation (titles, t, translations))
        g_ptr_array_add (translations, (gpointer) t);
      else if (text && links == NULL)
        links = t;
      else if (!strcmp (t->handler, "vide") && pictures == NULL)
        pictures = t;
    }
  }

  if (titles) {
    list = chapter_list_new ();
    for (i = 0; i < titles->n && i < CHAPTER_MAX_COUNT; i++) {
      gchar *text = NULL, *href = NULL;
      Chapter *c;

      if (!read_text_sample (src, titles, i, &text, &href)) {
        chapter_list_warn (list, "QuickTime chapter sample %u at byte %"
            G_GUINT64_FORMAT " lies outside the file", i + 1,
            titles->offsets[i]);
        continue;
      }
      c = chapter_new ((gint64) gst_util_uint64_scale (titles->starts[i],
              GST_SECOND, titles->timescale), NULL);
      c->end = c->start + (gint64) gst_util_uint64_scale (titles->durations[i],
          GST_SECOND, titles->timescale);
      c->url = href;
      c->source = "mp4-qt";
      if (translations->len > 0) {
        add_translated_titles (src, c, titles, translations, i, text);
        g_free (text);
      } else {
        c->title = text;
      }
      chapter_list_add (list, c);
    }
    if (translations->len > 0)
      chapter_list_choose_language (list, NULL);
    if (chapter_list_length (list) == 0)
      g_clear_pointer (&list, chapter_list_free);
  }
  if (list && links) {
    for (i = 0; i < links->n; i++) {
      gint64 start = gst_util_uint64_scale (links->starts[i], GST_SECOND,
          links->timescale);
      gint index = chapter_list_find (list, start);
      gchar *text = NULL, *href = NULL;

      if (index >= 0 && read_text_sample (src, links, i, &text, &href)
          && href && chapter_list_get (list, index)->url == NULL) {
        chapter_list_get (list, index)->url = href;
        href = NULL;
      }
      g_free (text);
      g_free (href);
    }
  }
  if (list && pictures && src->pictures) {
    guint k = 0, best = G_MAXUINT;

    /* both in time order: one pass (a hostile file may have 100 000 of
     * each) */
    for (i = 0; i < chapter_list_length (list); i++) {
      Chapter *c = chapter_list_get (list, i);

      while (k < pictures->n && (gint64) gst_util_uint64_scale
          (pictures->starts[k], GST_SECOND, pictures->timescale) <= c->start)
        best = k++;
      if (best != G_MAXUINT && pictures->sizes[best] > 0
          && pictures->sizes[best] <= 16 * 1024 * 1024) {
        GBytes *image = sample_bytes (src, pictures->offsets[best],
            pictures->sizes[best]);

        if (image) {
          /* a copy: the file in memory may be unmapped after reading */
          c->image = g_bytes_new (g_bytes_get_data (image, NULL),
              g_bytes_get_size (image));
          c->image_mime = g_strdup ("image/jpeg");
          g_bytes_unref (image);
        }
      }
    }
  }

  for (i = 0; i < tracks->len; i++)
    mp4_track_clear (&g_array_index (tracks, Mp4Track, i));
  g_ptr_array_unref (translations);
  g_array_unref (tracks);
  g_array_unref (refs);
  return list;
}

/* Nero chapters: moov/udta/chpl, 100 ns units. */
static ChapterList *
read_chpl (Mp4Box chpl)
{
  ChapterList *list = chapter_list_new ();
  gsize pos = 4;
  guint count, i;

  if (chpl.size < 5)
    return list;
  if (chpl.data[0] == 1)
    pos += 4;
  if (pos >= chpl.size)
    return list;
  count = chpl.data[pos++];
  for (i = 0; i < count && pos + 9 <= chpl.size; i++) {
    guint64 start = chapter_read_u64_be (chpl.data + pos);
    guint len = chpl.data[pos + 8];
    Chapter *c;

    pos += 9;
    if (len > chpl.size - pos) {
      chapter_list_warn (list, "Nero chapter %u: title runs past the chpl "
          "box", i + 1);
      break;
    }
    if (start > (guint64) G_MAXINT64 / 100) {
      chapter_list_warn (list, "Nero chapter %u: start time out of range, "
          "skipped", i + 1);
      pos += len;
      continue;
    }
    c = chapter_new ((gint64) start * 100, NULL);
    c->title = chapter_text_clean ((const gchar *) chpl.data + pos, len);
    c->source = "mp4-nero";
    chapter_list_add (list, c);
    pos += len;
  }
  return list;
}

static ChapterList *
read_moov (const ChapterMp4Samples * src, Mp4Box moov)
{
  static const gchar *const chpl_path[] = { "udta", "chpl", NULL };
  Mp4Box chpl;
  ChapterList *qt, *nero = NULL;

  qt = read_qt_chapters (src, moov);
  if (mp4_find_path (moov.data, moov.size, chpl_path, &chpl))
    nero = read_chpl (chpl);
  if (qt) {
    /* a QuickTime chapter track cannot begin after 0, so its first sample
     * covers any lead-in; Nero's list, when it is the same list, keeps the
     * first chapter's real start */
    if (nero && chapter_list_length (nero) == chapter_list_length (qt)
        && chapter_list_get (qt, 0)->start == 0
        && chapter_list_get (nero, 0)->start > 0
        && g_strcmp0 (chapter_list_get (qt, 0)->title,
            chapter_list_get (nero, 0)->title) == 0)
      chapter_list_get (qt, 0)->start = chapter_list_get (nero, 0)->start;
    chapter_list_free (nero);
    return qt;
  }
  chapter_list_free (qt);
  return nero ? nero : chapter_list_new ();
}

ChapterList *
chapter_mp4_read (const guint8 * data, gsize size, GError ** error)
{
  ChapterMp4Samples src = { data, size, NULL, NULL, TRUE };
  Mp4Box moov;

  if (!mp4_find_box (data, size, "moov", &moov)) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_PARSE,
        "MP4 file has no complete moov box in its %" G_GSIZE_FORMAT
        " bytes", size);
    return NULL;
  }
  return read_moov (&src, moov);
}

ChapterList *
chapter_mp4_read_moov (const guint8 * moov, gsize size,
    ChapterMp4FetchFunc fetch, gpointer user_data, gboolean pictures)
{
  ChapterMp4Samples src = { NULL, 0, fetch, user_data, pictures };
  Mp4Box box = { moov, size, NULL };

  return read_moov (&src, box);
}
