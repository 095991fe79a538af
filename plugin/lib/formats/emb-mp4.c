/* MP4 / M4A / M4B / MOV chapters: QuickTime chapter tracks (tref/chap)
 * preferred, Nero `chpl` (udta) otherwise. */
#include "chapter-embedded.h"
#include "chapter-bytes.h"
#include "chapter-format.h"

#include <string.h>

#define MAX_SAMPLES 100000

typedef struct
{
  const guint8 *data;
  gsize size;
} Box;

/* Finds the child box of @type inside @parent's payload. */
static gboolean
find_box (const guint8 * data, gsize size, const gchar * type, Box * out)
{
  gsize pos = 0;

  while (pos + 8 <= size) {
    guint64 len = chapter_read_u32_be (data + pos);
    gsize header = 8;

    if (len == 1) {
      if (pos + 16 > size)
        return FALSE;
      len = chapter_read_u64_be (data + pos + 8);
      header = 16;
    } else if (len == 0) {
      len = size - pos;
    }
    if (len < header || len > size - pos)
      return FALSE;
    if (memcmp (data + pos + 4, type, 4) == 0) {
      out->data = data + pos + header;
      out->size = len - header;
      return TRUE;
    }
    pos += len;
  }
  return FALSE;
}

static gboolean
find_path (const guint8 * data, gsize size, const gchar * const *path,
    Box * out)
{
  Box box = { data, size };

  for (; *path; path++)
    if (!find_box (box.data, box.size, *path, &box))
      return FALSE;
  *out = box;
  return TRUE;
}

typedef struct
{
  guint32 id;
  gchar handler[5];
  guint32 timescale;
  guint n;
  gint64 *starts;               /* in timescale units */
  gint64 *durations;
  guint64 *offsets;
  guint32 *sizes;
} Track;

static void
track_clear (Track * t)
{
  g_free (t->starts);
  g_free (t->durations);
  g_free (t->offsets);
  g_free (t->sizes);
}

/* Sample times, sizes and file offsets from the sample tables. */
static gboolean
read_track (const guint8 * data, gsize size, Track * t)
{
  static const gchar *const tkhd_path[] = { "tkhd", NULL };
  static const gchar *const mdhd_path[] = { "mdia", "mdhd", NULL };
  static const gchar *const hdlr_path[] = { "mdia", "hdlr", NULL };
  static const gchar *const stbl_path[] = { "mdia", "minf", "stbl", NULL };
  Box tkhd, mdhd, hdlr, stbl, stts, stsz, stsc, stco;
  gboolean co64 = FALSE;
  guint i, j, sample, entries;
  gint64 time = 0;

  memset (t, 0, sizeof *t);
  if (!find_path (data, size, tkhd_path, &tkhd) || tkhd.size < 24
      || !find_path (data, size, mdhd_path, &mdhd) || mdhd.size < 24
      || !find_path (data, size, hdlr_path, &hdlr) || hdlr.size < 12
      || !find_path (data, size, stbl_path, &stbl))
    return FALSE;
  t->id = chapter_read_u32_be (tkhd.data + (tkhd.data[0] == 1 ? 20 : 12));
  memcpy (t->handler, hdlr.data + 8, 4);
  if (mdhd.data[0] == 1) {
    if (mdhd.size < 36)
      return FALSE;
    t->timescale = chapter_read_u32_be (mdhd.data + 20);
  } else {
    t->timescale = chapter_read_u32_be (mdhd.data + 12);
  }
  if (t->timescale == 0 || !find_box (stbl.data, stbl.size, "stts", &stts)
      || !find_box (stbl.data, stbl.size, "stsz", &stsz)
      || !find_box (stbl.data, stbl.size, "stsc", &stsc)
      || stsz.size < 12 || stts.size < 8 || stsc.size < 8)
    return FALSE;
  if (!find_box (stbl.data, stbl.size, "stco", &stco)) {
    if (!find_box (stbl.data, stbl.size, "co64", &stco))
      return FALSE;
    co64 = TRUE;
  }
  if (stco.size < 8)
    return FALSE;

  t->n = chapter_read_u32_be (stsz.data + 8);
  if (t->n == 0 || t->n > MAX_SAMPLES
      || (chapter_read_u32_be (stsz.data + 4) == 0 && stsz.size < 12 +
          (gsize) t->n * 4))
    return FALSE;
  t->starts = g_new0 (gint64, t->n);
  t->durations = g_new0 (gint64, t->n);
  t->offsets = g_new0 (guint64, t->n);
  t->sizes = g_new0 (guint32, t->n);

  for (i = 0; i < t->n; i++)
    t->sizes[i] = chapter_read_u32_be (stsz.data + 4) ?
        chapter_read_u32_be (stsz.data + 4) :
        chapter_read_u32_be (stsz.data + 12 + i * 4);

  entries = chapter_read_u32_be (stts.data + 4);
  sample = 0;
  for (i = 0; i < entries && 8 + (gsize) i * 8 + 8 <= stts.size; i++) {
    guint32 count = chapter_read_u32_be (stts.data + 8 + i * 8);
    guint32 delta = chapter_read_u32_be (stts.data + 12 + i * 8);

    for (j = 0; j < count && sample < t->n; j++, sample++) {
      t->starts[sample] = time;
      t->durations[sample] = delta;
      time += delta;
    }
  }
  for (; sample < t->n; sample++)
    t->starts[sample] = time;

  /* chunk offsets through sample-to-chunk */
  {
    guint32 chunks = chapter_read_u32_be (stco.data + 4);
    guint32 stsc_entries = chapter_read_u32_be (stsc.data + 4);
    guint chunk;

    sample = 0;
    for (chunk = 1; chunk <= chunks && sample < t->n; chunk++) {
      guint32 per_chunk = 1;
      guint64 offset;

      for (i = 0; i < stsc_entries && 8 + (gsize) i * 12 + 12 <= stsc.size;
          i++) {
        if (chapter_read_u32_be (stsc.data + 8 + i * 12) <= chunk)
          per_chunk = chapter_read_u32_be (stsc.data + 12 + i * 12);
        else
          break;
      }
      if (co64) {
        if (8 + (gsize) chunk * 8 > stco.size)
          break;
        offset = chapter_read_u64_be (stco.data + 8 + (chunk - 1) * 8);
      } else {
        if (8 + (gsize) chunk * 4 > stco.size)
          break;
        offset = chapter_read_u32_be (stco.data + 8 + (chunk - 1) * 4);
      }
      for (j = 0; j < per_chunk && sample < t->n; j++, sample++) {
        t->offsets[sample] = offset;
        offset += t->sizes[sample];
      }
    }
    if (sample < t->n)
      t->n = sample;
  }
  return t->n > 0;
}

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
read_text_sample (const ChapterMp4Samples * src, const Track * t, guint i,
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

static ChapterList *
read_qt_chapters (const ChapterMp4Samples * src, Box moov)
{
  GArray *tracks = g_array_new (FALSE, TRUE, sizeof (Track));
  GArray *refs = g_array_new (FALSE, FALSE, sizeof (guint32));
  const Track *titles = NULL, *links = NULL, *pictures = NULL;
  ChapterList *list = NULL;
  gsize pos = 0;
  guint i, r;

  /* all tracks, and the chapter references of any of them */
  while (pos + 8 <= moov.size) {
    guint32 len = chapter_read_u32_be (moov.data + pos);

    if (len < 8 || len > moov.size - pos)
      break;
    if (!memcmp (moov.data + pos + 4, "trak", 4)) {
      static const gchar *const chap_path[] = { "tref", "chap", NULL };
      const guint8 *trak = moov.data + pos + 8;
      Box chap;
      Track t;

      if (find_path (trak, len - 8, chap_path, &chap))
        for (i = 0; i + 4 <= chap.size; i += 4) {
          guint32 id = chapter_read_u32_be (chap.data + i);
          guint k;

          for (k = 0; k < refs->len; k++)
            if (g_array_index (refs, guint32, k) == id)
              break;
          if (k == refs->len)
            g_array_append_val (refs, id);
        }
      if (read_track (trak, len - 8, &t))
        g_array_append_val (tracks, t);
      else
        track_clear (&t);
    }
    pos += len;
  }

  /* titles from the first referenced text track, links from another text
   * track with href atoms, pictures from a referenced video track */
  for (r = 0; r < refs->len; r++) {
    guint32 id = g_array_index (refs, guint32, r);

    for (i = 0; i < tracks->len; i++) {
      const Track *t = &g_array_index (tracks, Track, i);
      gboolean text = !strcmp (t->handler, "text")
          || !strcmp (t->handler, "sbtl");

      if (t->id != id)
        continue;
      if (text && titles == NULL)
        titles = t;
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
      c->title = text;
      c->url = href;
      c->source = "mp4-qt";
      chapter_list_add (list, c);
    }
    if (chapter_list_length (list) == 0)
      g_clear_pointer (&list, chapter_list_free);
  }
  if (list && links) {
    for (i = 0; i < links->n; i++) {
      gint64 start = gst_util_uint64_scale (links->starts[i], GST_SECOND,
          links->timescale);
      gint index = chapter_list_find (list, start);
      gchar *text = NULL, *href = NULL;

      if (index >= 0 && read_text_sample (src, links, i, &text, &href) && href && chapter_list_get (list, index)->url == NULL) {
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
    track_clear (&g_array_index (tracks, Track, i));
  g_array_unref (tracks);
  g_array_unref (refs);
  return list;
}

/* Nero chapters: moov/udta/chpl, 100 ns units. */
static ChapterList *
read_chpl (Box chpl)
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
read_moov (const ChapterMp4Samples * src, Box moov)
{
  static const gchar *const chpl_path[] = { "udta", "chpl", NULL };
  Box chpl;
  ChapterList *qt, *nero = NULL;

  qt = read_qt_chapters (src, moov);
  if (find_path (moov.data, moov.size, chpl_path, &chpl))
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
  Box moov;

  if (!find_box (data, size, "moov", &moov)) {
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
  Box box = { moov, size };

  return read_moov (&src, box);
}
