/* OGM / mkvmerge "simple chapters": CHAPTERnn=time, CHAPTERnnNAME=title. */
#include "chapter-format.h"

#include <string.h>

static gboolean
parse_key (const gchar * line, guint64 * index, gboolean * is_name,
    const gchar ** value)
{
  const gchar *p = line, *digits;
  g_autofree gchar *number = NULL;

  if (g_ascii_strncasecmp (p, "CHAPTER", 7) != 0)
    return FALSE;
  p += 7;
  digits = p;
  while (g_ascii_isdigit (*p))
    p++;
  if (p == digits || p - digits > 9)
    return FALSE;
  number = g_strndup (digits, p - digits);
  *index = g_ascii_strtoull (number, NULL, 10);
  *is_name = g_ascii_strncasecmp (p, "NAME", 4) == 0;
  if (*is_name)
    p += 4;
  if (*p != '=')
    return FALSE;
  *value = p + 1;
  return TRUE;
}

static guint
ogm_sniff (const guint8 * data, gsize size)
{
  gsize left;
  const gchar *p = chapter_text_skip_space (data, size, &left);
  g_autofree gchar *first = g_strndup (p, MIN (left, 64));
  guint64 index;
  gboolean is_name;
  const gchar *value;

  g_strdelimit (first, "\r\n", '\0');
  return parse_key (first, &index, &is_name, &value) && !is_name ? 90 : 0;
}

static ChapterList *
ogm_read (const guint8 * data, gsize size, const ChapterReadContext * ctx,
    GError ** error)
{
  g_autofree gchar *text = NULL;
  g_autoptr (GHashTable) by_index = NULL;
  ChapterLineReader reader;
  gchar *line;
  gsize len;
  ChapterList *list;

  text = chapter_text_to_utf8 (data, size, &len, error);
  if (text == NULL)
    return NULL;
  list = chapter_list_new ();
  by_index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
      NULL);
  chapter_line_reader_init (&reader, text, len);
  while ((line = chapter_line_reader_next (&reader))) {
    g_autofree gchar *owned = line;
    guint64 index;
    gboolean is_name;
    const gchar *value;
    Chapter *chapter;
    gint64 ns;

    g_strstrip (line);
    if (*line == '\0')
      continue;
    if (!parse_key (line, &index, &is_name, &value)) {
      chapter_list_warn (list, "line %u: \"%s\" is not CHAPTERnn=… or "
          "CHAPTERnnNAME=…", reader.number, line);
      continue;
    }
    chapter = g_hash_table_lookup (by_index, &index);
    if (is_name) {
      if (chapter == NULL) {
        chapter_list_warn (list, "line %u: a name for chapter %"
            G_GUINT64_FORMAT " before its time, ignored", reader.number,
            index);
        continue;
      }
      g_free (chapter->title);
      chapter->title = chapter_text_clean (value, -1);
    } else if (!chapter_parse_clock (value, &ns) || ns < 0) {
      chapter_list_warn (list, "line %u: \"%s\" is not a time",
          reader.number, value);
    } else if (chapter == NULL) {
      if (chapter_list_length (list) >= CHAPTER_MAX_COUNT)
        break;
      chapter = chapter_new (ns, NULL);
      chapter->source = "ogm";
      chapter_list_add (list, chapter);
      /* the key lives in the chapter's uid */
      chapter->uid = g_strdup_printf ("%" G_GUINT64_FORMAT, index);
      g_hash_table_insert (by_index, g_memdup2 (&index, sizeof index),
          chapter);
    } else {
      chapter_list_warn (list, "line %u: chapter %" G_GUINT64_FORMAT
          " given twice, the first time is kept", reader.number, index);
    }
  }
  return list;
}

const ChapterFormat chapter_format_ogm = {
  "ogm", "OGM simple chapters (CHAPTERnn=)", ogm_sniff, ogm_read, NULL,
};
