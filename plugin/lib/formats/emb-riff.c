/* RIFF WAVE markers: the `cue ` chunk with LIST/adtl `labl` names. */
#include "chapter-embedded.h"
#include "chapter-bytes.h"
#include "chapter-format.h"

#include <string.h>

ChapterList *
chapter_riff_read (const guint8 * data, gsize size, GError ** error)
{
  const guint8 *cue = NULL, *adtl = NULL;
  gsize cue_size = 0, adtl_size = 0, pos = 12;
  guint32 rate = 0, count, i;
  g_autoptr (GHashTable) labels = g_hash_table_new_full (NULL, NULL, NULL,
      g_free);
  ChapterList *list;

  if (size < 12 || memcmp (data, "RIFF", 4) || memcmp (data + 8, "WAVE", 4)) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_FORMAT,
        "no RIFF WAVE header at byte 0");
    return NULL;
  }
  while (pos + 8 <= size) {
    guint32 len = chapter_read_u32_le (data + pos + 4);
    const guint8 *body = data + pos + 8;

    if (len > size - pos - 8)
      len = size - pos - 8;
    if (!memcmp (data + pos, "fmt ", 4) && len >= 8)
      rate = chapter_read_u32_le (body + 4);
    else if (!memcmp (data + pos, "cue ", 4))
      cue = body, cue_size = len;
    else if (!memcmp (data + pos, "LIST", 4) && len >= 4
        && !memcmp (body, "adtl", 4))
      adtl = body + 4, adtl_size = len - 4;
    pos += 8 + len + (len & 1);
  }
  list = chapter_list_new ();
  if (cue == NULL || cue_size < 4 || rate == 0)
    return list;

  for (pos = 0; adtl && pos + 12 <= adtl_size;) {
    guint32 len = chapter_read_u32_le (adtl + pos + 4);

    if (len > adtl_size - pos - 8)
      break;
    if (!memcmp (adtl + pos, "labl", 4) && len >= 4)
      g_hash_table_insert (labels,
          GUINT_TO_POINTER (chapter_read_u32_le (adtl + pos + 8)),
          chapter_text_clean ((const gchar *) adtl + pos + 12,
              strnlen ((const gchar *) adtl + pos + 12, len - 4)));
    pos += 8 + len + (len & 1);
  }

  count = chapter_read_u32_le (cue);
  for (i = 0; i < count && 4 + (gsize) (i + 1) * 24 <= cue_size
      && i < CHAPTER_MAX_COUNT; i++) {
    const guint8 *point = cue + 4 + i * 24;
    guint32 id = chapter_read_u32_le (point);
    Chapter *c = chapter_new (gst_util_uint64_scale (chapter_read_u32_le (point
                + 20), GST_SECOND, rate), NULL);

    c->uid = g_strdup_printf ("cue-%u", id);
    c->title = g_strdup (g_hash_table_lookup (labels, GUINT_TO_POINTER (id)));
    c->source = "riff-cue";
    chapter_list_add (list, c);
  }
  return list;
}
