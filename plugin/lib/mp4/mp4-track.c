/* gst-chapters: MP4 boxes and sample tables (see mp4-track.h). */
#include "mp4-track.h"

#include <string.h>
#include <gst/tag/tag.h>

#include "chapter-bytes.h"

gboolean
mp4_next_box (const guint8 * data, gsize size, gsize * pos, Mp4Box * out)
{
  guint64 len;
  gsize header;

  if (*pos + 8 > size
      || !chapter_mp4_box_header (data + *pos, size - *pos, &len, &header))
    return FALSE;
  if (len == 0)
    len = size - *pos;
  if (len > size - *pos)
    return FALSE;
  out->type = data + *pos + 4;
  out->data = data + *pos + header;
  out->size = len - header;
  *pos += len;
  return TRUE;
}

/* Finds the child box of @type inside @parent's payload. */
gboolean
mp4_find_box (const guint8 * data, gsize size, const gchar * type, Mp4Box * out)
{
  gsize pos = 0;
  Mp4Box box;

  while (mp4_next_box (data, size, &pos, &box))
    if (memcmp (box.type, type, 4) == 0) {
      *out = box;
      return TRUE;
    }
  return FALSE;
}

gboolean
mp4_find_path (const guint8 * data, gsize size, const gchar * const *path,
    Mp4Box * out)
{
  Mp4Box box = { data, size, NULL };

  for (; *path; path++)
    if (!mp4_find_box (box.data, box.size, *path, &box))
      return FALSE;
  *out = box;
  return TRUE;
}

void
mp4_track_clear (Mp4Track * t)
{
  g_clear_pointer (&t->starts, g_free);
  g_clear_pointer (&t->durations, g_free);
  g_clear_pointer (&t->offsets, g_free);
  g_clear_pointer (&t->sizes, g_free);
  t->n = 0;
}

/* A media header's language: three 5-bit letters (ISO 639-2/T, each
 * plus 0x60), or below 0x400 a classic Macintosh language code, as
 * QuickTime writes it. "" when unknown or unspecified ("und"). */
static void
mdhd_language (guint16 code, gchar out[4])
{
  static const gchar mac[][4] = { "eng", "fra", "deu", "ita", "nld", "swe",
    "spa", "dan", "por", "nor", "heb", "jpn", "ara", "fin", "ell", "isl",
    "mlt", "tur", "hrv", "zho", "urd", "hin", "tha", "kor"
  };
  guint i;

  out[0] = '\0';
  if (code < 0x400) {
    if (code < G_N_ELEMENTS (mac))
      memcpy (out, mac[code], 4);
    return;
  }
  for (i = 0; i < 3; i++) {
    guint letter = (code >> (10 - 5 * i)) & 0x1f;

    if (letter == 0 || letter > 26) {
      out[0] = '\0';
      return;
    }
    out[i] = (gchar) (letter + 0x60);
  }
  out[3] = '\0';
  if (!strcmp (out, "und"))
    out[0] = '\0';
}

/* Sample times, sizes and file offsets from the sample tables. */
gboolean
mp4_track_read (const guint8 * data, gsize size, guint max_samples,
    Mp4Track * t)
{
  static const gchar *const tkhd_path[] = { "tkhd", NULL };
  static const gchar *const mdhd_path[] = { "mdia", "mdhd", NULL };
  static const gchar *const hdlr_path[] = { "mdia", "hdlr", NULL };
  static const gchar *const stbl_path[] = { "mdia", "minf", "stbl", NULL };
  Mp4Box tkhd, mdhd, hdlr, stbl, stts, stsz, stsc, stco;
  gboolean co64 = FALSE;
  guint i, j, sample, entries;
  gint64 time = 0;

  memset (t, 0, sizeof *t);
  if (!mp4_find_path (data, size, tkhd_path, &tkhd) || tkhd.size < 24
      || !mp4_find_path (data, size, mdhd_path, &mdhd) || mdhd.size < 24
      || !mp4_find_path (data, size, hdlr_path, &hdlr) || hdlr.size < 12
      || !mp4_find_path (data, size, stbl_path, &stbl))
    return FALSE;
  t->id = chapter_read_u32_be (tkhd.data + (tkhd.data[0] == 1 ? 20 : 12));
  memcpy (t->handler, hdlr.data + 8, 4);
  if (mdhd.data[0] == 1) {
    if (mdhd.size < 36)
      return FALSE;
    t->timescale = chapter_read_u32_be (mdhd.data + 20);
    mdhd_language (chapter_read_u16_be (mdhd.data + 32), t->language);
  } else {
    t->timescale = chapter_read_u32_be (mdhd.data + 12);
    mdhd_language (chapter_read_u16_be (mdhd.data + 20), t->language);
  }
  if (t->timescale == 0 || !mp4_find_box (stbl.data, stbl.size, "stts", &stts)
      || !mp4_find_box (stbl.data, stbl.size, "stsz", &stsz)
      || !mp4_find_box (stbl.data, stbl.size, "stsc", &stsc)
      || stsz.size < 12 || stts.size < 8 || stsc.size < 8)
    return FALSE;
  if (!mp4_find_box (stbl.data, stbl.size, "stco", &stco)) {
    if (!mp4_find_box (stbl.data, stbl.size, "co64", &stco))
      return FALSE;
    co64 = TRUE;
  }
  if (stco.size < 8)
    return FALSE;

  t->n = chapter_read_u32_be (stsz.data + 8);
  if (t->n == 0 || t->n > max_samples
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

/* An MPEG-4 descriptor's tag and length (1-4 bytes of 7 bits) at *@pos. */
static gboolean
read_descriptor (const guint8 * p, gsize size, gsize * pos, guint8 * tag,
    gsize * len)
{
  guint i;

  if (*pos >= size)
    return FALSE;
  *tag = p[(*pos)++];
  *len = 0;
  for (i = 0; i < 4; i++) {
    if (*pos >= size)
      return FALSE;
    *len = *len << 7 | (p[*pos] & 0x7f);
    if (!(p[(*pos)++] & 0x80))
      break;
  }
  return *len <= size - *pos;
}

/* The AudioSpecificConfig in an `esds` payload, for AAC only. */
static GBytes *
read_esds (const guint8 * p, gsize size)
{
  gsize pos = 4, len;
  guint8 tag, flags;

  if (!read_descriptor (p, size, &pos, &tag, &len) || tag != 0x03
      || len < 3)
    return NULL;
  flags = p[pos + 2];
  pos += 3;
  if (flags & 0x80)
    pos += 2;
  if (flags & 0x40) {
    if (pos >= size)
      return NULL;
    pos += 1 + p[pos];
  }
  if (flags & 0x20)
    pos += 2;
  if (!read_descriptor (p, size, &pos, &tag, &len) || tag != 0x04
      || len < 13 || p[pos] != 0x40)
    return NULL;
  pos += 13;
  if (!read_descriptor (p, size, &pos, &tag, &len) || tag != 0x05
      || len < 2)
    return NULL;
  return g_bytes_new (p + pos, len);
}

/* Sound tracks beyond this many samples (some 64 hours at 44.1 kHz) are
 * left to qtdemux. */
#define MAX_AUDIO_SAMPLES (10 * 1000 * 1000)

gboolean
mp4_audio_read (const guint8 * moov, gsize size, Mp4Audio * audio,
    gchar ** error)
{
  static const gchar *const stsd_path[] = { "mdia", "minf", "stbl", "stsd",
    NULL
  };
  Mp4Box mvhd, trak, stsd, esds, elst;
  const guint8 *sound = NULL, *entry;
  gsize sound_size = 0, pos = 0, entry_size, skip;
  guint32 movie_scale;
  guint sounds = 0;

  memset (audio, 0, sizeof *audio);
  audio->duration = -1;
  /* (the time scale after version, flags and two dates of 4 or 8 bytes) */
  if (!mp4_find_box (moov, size, "mvhd", &mvhd) || mvhd.size < 20
      || (mvhd.data[0] == 1 && mvhd.size < 24)) {
    *error = g_strdup ("no movie header");
    return FALSE;
  }
  movie_scale = chapter_read_u32_be (mvhd.data + (mvhd.data[0] == 1 ? 20 :
          12));
  if (mp4_find_box (moov, size, "mvex", &trak)) {
    *error = g_strdup ("a fragmented movie");
    return FALSE;
  }
  /* every track: one sound track, no video */
  while (mp4_next_box (moov, size, &pos, &trak)) {
    static const gchar *const hdlr_path[] = { "mdia", "hdlr", NULL };
    Mp4Box hdlr;

    if (memcmp (trak.type, "trak", 4) != 0
        || !mp4_find_path (trak.data, trak.size, hdlr_path, &hdlr)
        || hdlr.size < 12)
      continue;
    if (memcmp (hdlr.data + 8, "soun", 4) == 0) {
      sounds++;
      sound = trak.data;
      sound_size = trak.size;
    } else if (memcmp (hdlr.data + 8, "vide", 4) == 0) {
      *error = g_strdup ("a video track");
      return FALSE;
    }
  }
  if (sounds != 1) {
    *error = g_strdup_printf ("%u sound tracks", sounds);
    return FALSE;
  }
  /* the sample entry: mp4a with an esds */
  if (!mp4_find_path (sound, sound_size, stsd_path, &stsd) || stsd.size < 16
      || chapter_read_u32_be (stsd.data + 4) != 1
      || memcmp (stsd.data + 12, "mp4a", 4) != 0) {
    *error = g_strdup ("not AAC (mp4a)");
    return FALSE;
  }
  entry = stsd.data + 8;
  entry_size = MIN (chapter_read_u32_be (entry), stsd.size - 8);
  if (entry_size < 36) {
    *error = g_strdup ("a short mp4a entry");
    return FALSE;
  }
  /* sound sample description versions 0, 1 and 2 */
  skip = chapter_read_u16_be (entry + 16) == 1 ? 52 :
      chapter_read_u16_be (entry + 16) == 2 ? 72 : 36;
  audio->channels = chapter_read_u16_be (entry + 24);
  audio->rate = chapter_read_u32_be (entry + 32) >> 16;
  if (skip > entry_size || !mp4_find_box (entry + skip, entry_size - skip,
          "esds", &esds)
      || (audio->codec_data = read_esds (esds.data, esds.size)) == NULL) {
    *error = g_strdup ("no AAC decoder configuration (esds)");
    return FALSE;
  }
  {
    /* the channels the AudioSpecificConfig names outrank the sample
     * entry's (ffmpeg writes 2 there for mono) */
    gsize n;
    const guint8 *asc = g_bytes_get_data (audio->codec_data, &n);

    if (n >= 2 && asc[0] >> 3 != 31 && (((asc[0] & 7) << 1) | asc[1] >> 7)
        != 15) {
      guint config = (asc[1] >> 3) & 15;

      if (config >= 1 && config <= 7)
        audio->channels = config == 7 ? 8 : config;
    }
  }
  if (!mp4_track_read (sound, sound_size, MAX_AUDIO_SAMPLES, &audio->track)) {
    *error = g_strdup ("unreadable sample tables");
    mp4_audio_clear (audio);
    return FALSE;
  }
  /* the edit list: one edit, from the priming on */
  {
    static const gchar *const elst_path[] = { "edts", "elst", NULL };

    if (mp4_find_path (sound, sound_size, elst_path, &elst)) {
      gboolean v1 = elst.size >= 1 && elst.data[0] == 1;
      gsize entry_len = v1 ? 20 : 12;
      guint32 n = elst.size >= 8 ? chapter_read_u32_be (elst.data + 4) : 0;
      guint64 length;
      gint64 media;

      if (n != 1 || elst.size < 8 + entry_len || movie_scale == 0) {
        *error = g_strdup_printf ("an edit list of %u edits", n);
        mp4_audio_clear (audio);
        return FALSE;
      }
      length = v1 ? chapter_read_u64_be (elst.data + 8) :
          chapter_read_u32_be (elst.data + 8);
      media = v1 ? (gint64) chapter_read_u64_be (elst.data + 16) :
          (gint32) chapter_read_u32_be (elst.data + 12);
      if (media < 0) {
        *error = g_strdup ("an empty edit");
        mp4_audio_clear (audio);
        return FALSE;
      }
      audio->priming = media;
      audio->length = (guint64) ((gdouble) length * audio->track.timescale /
          movie_scale + 0.5);
      audio->duration = (gint64) ((gdouble) length * G_GUINT64_CONSTANT
          (1000000000) / movie_scale + 0.5);
    }
  }
  if (audio->duration < 0) {
    guint n = audio->track.n;
    guint64 end = audio->track.starts[n - 1] + audio->track.durations[n - 1];

    audio->duration = (gint64) ((gdouble) end * 1e9 / audio->track.timescale
        + 0.5);
  }
  if (audio->rate == 0 || audio->channels == 0) {
    *error = g_strdup ("no rate or channels");
    mp4_audio_clear (audio);
    return FALSE;
  }
  return TRUE;
}

void
mp4_audio_clear (Mp4Audio * audio)
{
  mp4_track_clear (&audio->track);
  g_clear_pointer (&audio->codec_data, g_bytes_unref);
}

guint
mp4_audio_sample_at (const Mp4Audio * audio, guint64 time)
{
  guint lo = 0, hi = audio->track.n;

  /* the last sample that starts at or before @time */
  while (hi - lo > 1) {
    guint mid = lo + (hi - lo) / 2;

    if ((guint64) audio->track.starts[mid] <= time)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

static const struct
{
  const gchar type[5];
  const gchar *tag;
} ilst_tags[] = {
  {"\251nam", GST_TAG_TITLE},
  {"\251ART", GST_TAG_ARTIST},
  {"aART", GST_TAG_ALBUM_ARTIST},
  {"\251alb", GST_TAG_ALBUM},
  {"\251gen", GST_TAG_GENRE},
  {"\251cmt", GST_TAG_COMMENT},
  {"desc", GST_TAG_DESCRIPTION},
  {"ldes", GST_TAG_DESCRIPTION},
  {"\251des", GST_TAG_DESCRIPTION},
  {"\251wrt", GST_TAG_COMPOSER},
  {"\251too", GST_TAG_ENCODER},
  {"cprt", GST_TAG_COPYRIGHT},
};

/* One ilst item's `data` box: type, locale, then the value. */
static void
add_ilst_item (GstTagList * tags, const guint8 * item, gsize size,
    const guint8 * type)
{
  Mp4Box data;
  const guint8 *value;
  gsize len;
  guint i;

  if (!mp4_find_box (item, size, "data", &data) || data.size < 8)
    return;
  value = data.data + 8;
  len = data.size - 8;
  if (memcmp (type, "covr", 4) == 0) {
    GstSample *image = gst_tag_image_data_to_image_sample (value, len,
        GST_TAG_IMAGE_TYPE_FRONT_COVER);

    if (image) {
      gst_tag_list_add (tags, GST_TAG_MERGE_APPEND, GST_TAG_IMAGE, image,
          NULL);
      gst_sample_unref (image);
    }
    return;
  }
  /* text (well-known type 1, UTF-8) only */
  if (chapter_read_u32_be (data.data) != 1 || len == 0
      || !g_utf8_validate ((const gchar *) value, len, NULL))
    return;
  if (memcmp (type, "\251day", 4) == 0) {
    g_autofree gchar *text = g_strndup ((const gchar *) value, len);
    GstDateTime *date = gst_date_time_new_from_iso8601_string (text);

    if (date) {
      gst_tag_list_add (tags, GST_TAG_MERGE_REPLACE, GST_TAG_DATE_TIME, date,
          NULL);
      gst_date_time_unref (date);
    }
    return;
  }
  for (i = 0; i < G_N_ELEMENTS (ilst_tags); i++) {
    if (memcmp (type, ilst_tags[i].type, 4) == 0) {
      g_autofree gchar *text = g_strndup ((const gchar *) value, len);

      gst_tag_list_add (tags, GST_TAG_MERGE_REPLACE, ilst_tags[i].tag, text,
          NULL);
      return;
    }
  }
}

GstTagList *
mp4_moov_tags (const guint8 * moov, gsize size)
{
  static const gchar *const meta_path[] = { "udta", "meta", NULL };
  Mp4Box meta, ilst;
  GstTagList *tags;
  gsize pos = 0;

  /* meta is a full box: its children follow four bytes of version */
  if (!mp4_find_path (moov, size, meta_path, &meta) || meta.size < 4
      || !mp4_find_box (meta.data + 4, meta.size - 4, "ilst", &ilst))
    return NULL;
  tags = gst_tag_list_new_empty ();
  while (pos + 8 <= ilst.size) {
    guint32 len = chapter_read_u32_be (ilst.data + pos);

    if (len < 8 || len > ilst.size - pos)
      break;
    add_ilst_item (tags, ilst.data + pos + 8, len - 8, ilst.data + pos + 4);
    pos += len;
  }
  if (gst_tag_list_is_empty (tags))
    g_clear_pointer (&tags, gst_tag_list_unref);
  return tags;
}
