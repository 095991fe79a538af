/* Audacity label tracks: "start<TAB>end<TAB>label" in decimal seconds. */
#include "chapter-format.h"

#include <math.h>
#include <string.h>

static gboolean
parse_seconds (const gchar * text, gint64 * ns)
{
  g_autofree gchar *copy = g_strdup (text);
  gchar *end;
  gdouble value;

  g_strstrip (copy);
  /* some locales write a decimal comma */
  g_strdelimit (copy, ",", '.');
  if (*copy == '\0' || !g_ascii_isdigit (*copy))
    return FALSE;
  value = g_ascii_strtod (copy, &end);
  if (*end || !isfinite (value) || value < 0 || value > 1e9)
    return FALSE;
  *ns = (gint64) llround (value * 1e6) * 1000;
  return TRUE;
}

static guint
audacity_sniff (const guint8 * data, gsize size)
{
  gsize left;
  const gchar *p = chapter_text_skip_space (data, size, &left);
  const gchar *eol = memchr (p, '\n', MIN (left, 4096));
  g_autofree gchar *first = g_strndup (p, eol ? (gsize) (eol - p) :
      MIN (left, 4096));
  gchar **fields = g_strsplit (first, "\t", 3);
  gint64 a, b;
  guint score = g_strv_length (fields) >= 2 && parse_seconds (fields[0], &a)
      && parse_seconds (fields[1], &b) ? 85 : 0;

  g_strfreev (fields);
  return score;
}

static ChapterList *
audacity_read (const guint8 * data, gsize size,
    const ChapterReadContext * ctx, GError ** error)
{
  g_autofree gchar *text = NULL;
  ChapterLineReader reader;
  gchar *line;
  gsize len;
  ChapterList *list;

  text = chapter_text_to_utf8 (data, size, &len, error);
  if (text == NULL)
    return NULL;
  list = chapter_list_new ();
  chapter_line_reader_init (&reader, text, len);
  while ((line = chapter_line_reader_next (&reader))) {
    g_autofree gchar *owned = line;
    gchar **fields;
    gint64 start, end;

    /* "\tlow\thigh" lines carry a label's frequency range */
    if (*line == '\0' || *line == '\\')
      continue;
    fields = g_strsplit (line, "\t", 3);
    if (g_strv_length (fields) < 2 || !parse_seconds (fields[0], &start)
        || !parse_seconds (fields[1], &end)) {
      chapter_list_warn (list, "line %u: \"%s\" is not start<TAB>end<TAB>"
          "label, skipped", reader.number, line);
    } else if (chapter_list_length (list) < CHAPTER_MAX_COUNT) {
      Chapter *chapter = chapter_new (start, NULL);

      if (end > start)
        chapter->end = end;
      chapter->title = fields[2] ? chapter_text_clean (fields[2], -1) : NULL;
      chapter->source = "audacity";
      chapter_list_add (list, chapter);
    }
    g_strfreev (fields);
  }
  return list;
}

const ChapterFormat chapter_format_audacity = {
  "audacity", "Audacity labels", audacity_sniff, audacity_read, NULL,
};
