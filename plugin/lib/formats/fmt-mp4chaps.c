/* mp4chaps and YouTube-style timestamp lists: "0:00 Intro",
 * "1:02:03 - Title", "[11:00] Title", one chapter a line. */
#include "chapter-format.h"

#include <string.h>

static const gchar *
skip_bullet (const gchar * p)
{
  while (*p == ' ' || *p == '\t')
    p++;
  if ((*p == '-' || *p == '*' || *p == '+') && (p[1] == ' ' || p[1] == '\t'))
    p += 2;
  else if (g_str_has_prefix (p, "\xe2\x80\xa2"))       /* • */
    p += 3;
  while (*p == ' ' || *p == '\t')
    p++;
  return p;
}

gboolean
chapter_timestamp_prefix (const gchar * line, gint64 * ns, const gchar ** rest)
{
  const gchar *p = skip_bullet (line), *t;
  gchar close = 0;
  g_autofree gchar *stamp = NULL;
  guint colons = 0;

  if (*p == '[')
    close = ']';
  else if (*p == '(')
    close = ')';
  if (close)
    p++;
  t = p;
  while (g_ascii_isdigit (*p) || *p == ':' || (*p == '.' && colons)) {
    if (*p == ':')
      colons++;
    p++;
  }
  if (colons == 0 || p - t > 16)
    return FALSE;
  stamp = g_strndup (t, p - t);
  if (!chapter_parse_clock (stamp, ns))
    return FALSE;
  if (close) {
    if (*p != close)
      return FALSE;
    p++;
    /* a Markdown link target: [11:00](#t=660) */
    if (close == ']' && *p == '(') {
      const gchar *e = strchr (p, ')');

      if (e)
        p = e + 1;
    }
  }
  if (g_ascii_isdigit (*p))
    return FALSE;
  while (*p == ' ' || *p == '\t')
    p++;
  if ((*p == '-' || *p == ':' || *p == '|') && (p[1] == ' ' || p[1] == '\t'))
    p += 2;
  else if (g_str_has_prefix (p, "\xe2\x80\x93 ")        /* – */
      || g_str_has_prefix (p, "\xe2\x80\x94 "))        /* — */
    p += 4;
  while (*p == ' ' || *p == '\t')
    p++;
  *rest = p;
  return TRUE;
}

static guint
mp4chaps_sniff (const guint8 * data, gsize size)
{
  g_autofree gchar *text = NULL;
  ChapterLineReader reader;
  gchar *line;
  gsize len;
  guint lines = 0, stamps = 0;

  text = chapter_text_to_utf8 (data, MIN (size, 16384), &len, NULL);
  if (text == NULL)
    return 0;
  chapter_line_reader_init (&reader, text, len);
  while (lines < 50 && (line = chapter_line_reader_next (&reader))) {
    gint64 ns;
    const gchar *rest;

    if (*g_strstrip (line)) {
      lines++;
      stamps += chapter_timestamp_prefix (line, &ns, &rest);
    }
    g_free (line);
  }
  if (lines > 0 && stamps == lines)
    return 80;
  return stamps >= 2 && stamps * 10 >= lines * 8 ? 50 : 0;
}

static ChapterList *
mp4chaps_read (const guint8 * data, gsize size,
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
    const gchar *rest;
    Chapter *chapter;
    gint64 ns;

    if (*g_strstrip (line) == '\0')
      continue;
    if (!chapter_timestamp_prefix (line, &ns, &rest)) {
      chapter_list_warn (list, "line %u: \"%s\" does not start with a "
          "timestamp, skipped", reader.number, line);
      continue;
    }
    if (chapter_list_length (list) >= CHAPTER_MAX_COUNT) {
      chapter_list_warn (list, "line %u: more than %d chapters, rest ignored",
          reader.number, CHAPTER_MAX_COUNT);
      break;
    }
    chapter = chapter_new (ns, NULL);
    chapter->title = chapter_text_clean (rest, -1);
    chapter->source = "mp4chaps";
    chapter_list_add (list, chapter);
  }
  if (chapter_list_length (list) == 0) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_EMPTY,
        "no line starts with a timestamp");
    chapter_list_free (list);
    return NULL;
  }
  return list;
}

static gchar *
mp4chaps_write (const ChapterList * list)
{
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; i < chapter_list_length (list); i++) {
    const Chapter *c = chapter_list_get (list, i);
    g_autofree gchar *stamp = chapter_format_clock (c->start, TRUE);
    g_autofree gchar *title = g_strdup (c->title ? c->title : "");

    g_strdelimit (title, "\r\n", ' ');
    g_string_append_printf (out, "%s %s\n", stamp, title);
  }
  return g_string_free (out, FALSE);
}

const ChapterFormat chapter_format_mp4chaps = {
  "mp4chaps", "mp4chaps / YouTube-style timestamp list", mp4chaps_sniff,
  mp4chaps_read, mp4chaps_write,
};
