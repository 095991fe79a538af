/* mp4chaps and YouTube-style timestamp lists: "0:00 Intro",
 * "1:02:03 - Title", "[11:00] Title", one chapter a line. */
#include "chapter-format.h"
#include "chapter-xml.h"

#include <string.h>

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
    ChapterStampLine entry;

    if (*g_strstrip (line)) {
      lines++;
      if (chapter_stamp_line_parse (line, &entry)
          && entry.form != CHAPTER_STAMP_TRAILING)
        stamps++;
      chapter_stamp_line_clear (&entry);
    }
    g_free (line);
  }
  /* every line; anything less, and HTML, goes to the show-notes reader,
   * which tells a chapter list from other times in running text */
  if (lines > 0 && stamps == lines && !chapter_text_looks_like_html (text))
    return 80;
  return 0;
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
    ChapterStampLine entry;
    Chapter *chapter;

    if (*g_strstrip (line) == '\0')
      continue;
    if (!chapter_stamp_line_parse (line, &entry)
        || entry.form == CHAPTER_STAMP_TRAILING) {
      chapter_stamp_line_clear (&entry);
      chapter_list_warn (list, "line %u: \"%s\" does not start with a "
          "timestamp, skipped", reader.number, line);
      continue;
    }
    if (chapter_list_length (list) >= CHAPTER_MAX_COUNT) {
      chapter_list_warn (list, "line %u: more than %d chapters, rest ignored",
          reader.number, CHAPTER_MAX_COUNT);
      chapter_stamp_line_clear (&entry);
      break;
    }
    chapter = chapter_new (entry.start, NULL);
    chapter->title = g_steal_pointer (&entry.title);
    chapter->url = g_steal_pointer (&entry.url);
    if (entry.form == CHAPTER_STAMP_RANGE)
      chapter->end = entry.end;
    chapter->source = "mp4chaps";
    chapter_split_description (chapter);
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
