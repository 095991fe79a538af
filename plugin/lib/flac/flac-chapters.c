/* FLAC: CHAPTERxxx in the VORBIS_COMMENT block, else the CUESHEET. */
#include "chapter-embedded.h"
#include "chapter-bytes.h"

#include <string.h>

static ChapterList *
read_cuesheet (const guint8 * p, gsize n, guint rate)
{
  ChapterList *list = chapter_list_new ();
  gsize pos = 128 + 8 + 1 + 258;
  guint tracks, t;

  if (n < pos + 1 || rate == 0)
    return list;
  tracks = p[pos++];
  for (t = 0; t < tracks; t++) {
    guint64 offset;
    guint number, points, i;

    if (pos + 36 > n)
      break;
    offset = chapter_read_u64_be (p + pos);
    number = p[pos + 8];
    points = p[pos + 35];
    pos += 36;
    for (i = 0; i < points && pos + 12 <= n; i++, pos += 12) {
      guint64 index_offset = chapter_read_u64_be (p + pos);
      Chapter *c;

      /* the lead-out track is not a chapter; INDEX 01 starts a track */
      if (p[pos + 8] != 1 || number == 170 || number == 255)
        continue;
      c = chapter_new ((gint64) gst_util_uint64_scale (offset + index_offset,
              GST_SECOND, rate), NULL);
      c->uid = g_strdup_printf ("track-%02u", number);
      c->source = "flac-cuesheet";
      chapter_list_add (list, c);
    }
  }
  return list;
}

ChapterList *
chapter_flac_read (const guint8 * data, gsize size, GError ** error)
{
  gsize pos = 4;
  guint rate = 0;
  ChapterList *comments = NULL, *cues = NULL;
  gboolean last = FALSE;

  if (size < 4 || memcmp (data, "fLaC", 4) != 0) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_FORMAT,
        "no fLaC marker at byte 0");
    return NULL;
  }
  while (!last && pos + 4 <= size) {
    guint type = data[pos] & 0x7f;
    gsize len = data[pos + 1] << 16 | data[pos + 2] << 8 | data[pos + 3];

    last = data[pos] & 0x80;
    pos += 4;
    if (len > size - pos) {
      g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_PARSE,
          "FLAC metadata block at byte %" G_GSIZE_FORMAT " runs past the "
          "end", pos - 4);
      break;
    }
    if (type == 0 && len >= 13)
      rate = data[pos + 10] << 12 | data[pos + 11] << 4 | data[pos + 12] >> 4;
    else if (type == 4 && comments == NULL)
      comments = chapter_vorbis_comment_block_read (data + pos, len, FALSE,
          NULL);
    else if (type == 5 && cues == NULL)
      cues = read_cuesheet (data + pos, len, rate);
    pos += len;
  }
  if (error && *error) {
    chapter_list_free (comments);
    chapter_list_free (cues);
    return NULL;
  }
  if (comments && chapter_list_length (comments) > 0) {
    chapter_list_free (cues);
    return comments;
  }
  chapter_list_free (comments);
  return cues ? cues : chapter_list_new ();
}
