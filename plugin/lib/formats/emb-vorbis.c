/* CHAPTERxxx Vorbis comments (Ogg Vorbis, Opus, FLAC):
 * CHAPTER001=00:00:00.000, CHAPTER001NAME=Intro, CHAPTER001URL=...
 * 0- or 1-based, any case. */
#include "chapter-embedded.h"
#include "chapter-bytes.h"
#include "chapter-format.h"

#include <string.h>

static gint
compare_key (gconstpointer a, gconstpointer b)
{
  guint64 ka = *(const guint64 *) a, kb = *(const guint64 *) b;

  return (ka > kb) - (ka < kb);
}

ChapterList *
chapter_vorbis_comments_read (const gchar * const *comments, guint n)
{
  g_autoptr (GHashTable) chapters = g_hash_table_new_full (g_int64_hash,
      g_int64_equal, g_free, NULL);
  ChapterList *list = chapter_list_new ();
  guint i;

  for (i = 0; i < n; i++) {
    const gchar *c = comments[i], *p, *eq;
    guint64 index;
    Chapter *chapter;
    gchar digits[16];
    gsize nd;

    if (c == NULL || g_ascii_strncasecmp (c, "CHAPTER", 7) != 0)
      continue;
    p = c + 7;
    for (nd = 0; g_ascii_isdigit (p[nd]) && nd < sizeof digits - 1; nd++)
      digits[nd] = p[nd];
    if (nd == 0 || g_ascii_isdigit (p[nd]))
      continue;
    digits[nd] = '\0';
    index = g_ascii_strtoull (digits, NULL, 10);
    p += nd;
    eq = strchr (p, '=');
    if (eq == NULL)
      continue;
    chapter = g_hash_table_lookup (chapters, &index);
    if (chapter == NULL) {
      if (g_hash_table_size (chapters) >= CHAPTER_MAX_COUNT)
        continue;
      chapter = chapter_new (CHAPTER_TIME_NONE, NULL);
      chapter->source = "vorbiscomment";
      g_hash_table_insert (chapters, g_memdup2 (&index, sizeof index),
          chapter);
    }
    if (eq == p) {
      gint64 ns;

      if (chapter_parse_clock (eq + 1, &ns) && ns >= 0)
        chapter->start = ns;
      else
        chapter_list_warn (list, "comment %u: CHAPTER%s time \"%s\" is not "
            "HH:MM:SS.mmm", i, digits, eq + 1);
    } else if (eq - p == 4 && g_ascii_strncasecmp (p, "NAME", 4) == 0) {
      g_free (chapter->title);
      chapter->title = chapter_text_clean (eq + 1, -1);
    } else if (eq - p == 3 && g_ascii_strncasecmp (p, "URL", 3) == 0) {
      g_free (chapter->url);
      chapter->url = *(eq + 1) ? chapter_text_clean (eq + 1, -1) : NULL;
    }
  }

  {
    g_autoptr (GList) keys = g_hash_table_get_keys (chapters);
    GList *l;

    keys = g_list_sort (keys, compare_key);
    for (l = keys; l; l = l->next) {
      Chapter *chapter = g_hash_table_lookup (chapters, l->data);

      if (chapter->start == CHAPTER_TIME_NONE) {
        chapter_list_warn (list, "CHAPTER%03" G_GUINT64_FORMAT " has a name "
            "or URL but no time, skipped", *(guint64 *) l->data);
        chapter_free (chapter);
        continue;
      }
      chapter->uid = g_strdup_printf ("%" G_GUINT64_FORMAT,
          *(guint64 *) l->data);
      chapter_list_add (list, chapter);
    }
  }
  return list;
}

ChapterList *
chapter_vorbis_comment_block_read (const guint8 * data, gsize size,
    gboolean framing, GError ** error)
{
  GPtrArray *comments;
  guint32 vendor, count, i;
  gsize pos = 0;
  ChapterList *list;

  if (size < 8) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_PARSE,
        "Vorbis comment block of %" G_GSIZE_FORMAT " bytes is truncated", size);
    return NULL;
  }
  vendor = chapter_read_u32_le (data);
  if (vendor > size - 8) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_PARSE,
        "Vorbis comment vendor string of %u bytes runs past the block", vendor);
    return NULL;
  }
  pos = 4 + vendor;
  count = chapter_read_u32_le (data + pos);
  pos += 4;
  comments = g_ptr_array_new_with_free_func (g_free);
  for (i = 0; i < count && pos + 4 <= size; i++) {
    guint32 len = chapter_read_u32_le (data + pos);

    pos += 4;
    if (len > size - pos)
      break;
    /* only chapter keys are worth a copy; pictures can be megabytes */
    if (len > 7 && g_ascii_strncasecmp ((const gchar *) data + pos, "CHAPTER",
            7) == 0)
      g_ptr_array_add (comments, g_strndup ((const gchar *) data + pos,
              MIN (len, CHAPTER_MAX_TEXT)));
    pos += len;
  }
  list = chapter_vorbis_comments_read ((const gchar * const *)
      comments->pdata, comments->len);
  if (i < count)
    chapter_list_warn (list, "Vorbis comment block: comment %u of %u runs "
        "past the block (byte %" G_GSIZE_FORMAT ")", i + 1, count, pos);
  g_ptr_array_unref (comments);
  return list;
}
