/* WebVTT chapter tracks. */
#include "chapter-format.h"
#include "chapter-xml.h"

#include <string.h>

/* Cue text as plain text, per the WebVTT cue text parsing rules: tags
 * (<b>, <i>, <u>, <c.class>, <v Name>, <lang en>, <ruby>, <rt>, timestamps
 * <00:01.000>) dropped, character references decoded. */
static gchar *
cue_text (const gchar * line)
{
  g_autoptr (GString) plain = g_string_new (NULL);
  GString *out = g_string_new (NULL);
  const gchar *p = line;

  while (*p) {
    const gchar *lt = strchr (p, '<'), *gt;

    if (lt == NULL) {
      g_string_append (plain, p);
      break;
    }
    g_string_append_len (plain, p, lt - p);
    gt = strchr (lt, '>');
    /* an unclosed tag runs to the end of the line */
    if (gt == NULL)
      break;
    p = gt + 1;
  }
  chapter_append_unescaped (out, plain->str, plain->len);
  return g_string_free (out, FALSE);
}

static guint
vtt_sniff (const guint8 * data, gsize size)
{
  gsize left;
  const gchar *p = chapter_text_skip_space (data, size, &left);

  return left >= 6 && strncmp (p, "WEBVTT", 6) == 0
      && (left == 6 || g_ascii_isspace (p[6])) ? 100 : 0;
}

static ChapterList *
vtt_read (const guint8 * data, gsize size, const ChapterReadContext * ctx,
    GError ** error)
{
  g_autofree gchar *text = NULL;
  ChapterLineReader reader;
  gchar *line;
  gsize len;
  ChapterList *list;
  Chapter *cue = NULL;
  gboolean in_block = FALSE, skip_block = FALSE, header = TRUE;

  text = chapter_text_to_utf8 (data, size, &len, error);
  if (text == NULL)
    return NULL;
  list = chapter_list_new ();
  chapter_line_reader_init (&reader, text, len);
  while ((line = chapter_line_reader_next (&reader))) {
    g_autofree gchar *owned = line;
    gchar *arrow;

    if (header) {
      /* the WEBVTT line and its header block */
      if (*line == '\0')
        header = FALSE;
      continue;
    }
    if (*line == '\0') {
      cue = NULL;
      in_block = skip_block = FALSE;
      continue;
    }
    if (skip_block)
      continue;
    if (cue) {
      g_autofree gchar *plain = cue_text (line);
      g_autofree gchar *clean = chapter_text_clean (plain, -1);

      if (cue->title == NULL)
        cue->title = g_steal_pointer (&clean);
      else if (strlen (cue->title) < CHAPTER_MAX_TEXT) {
        gchar *joined = g_strconcat (cue->title, " ", clean, NULL);

        g_free (cue->title);
        cue->title = joined;
      }
      continue;
    }
    if (!in_block && (g_str_has_prefix (line, "NOTE")
            || g_str_has_prefix (line, "STYLE")
            || g_str_has_prefix (line, "REGION"))) {
      skip_block = TRUE;
      continue;
    }
    arrow = strstr (line, "-->");
    if (arrow == NULL) {
      /* a cue identifier; the timing must follow */
      in_block = TRUE;
      continue;
    }
    {
      g_autofree gchar *start_text = g_strndup (line, arrow - line);
      g_autofree gchar *end_text = NULL;
      gchar *settings;
      gint64 start, end;

      end_text = g_strdup (arrow + 3);
      g_strstrip (end_text);
      if ((settings = strpbrk (end_text, " \t")))
        *settings = '\0';
      if (!chapter_parse_clock (start_text, &start)
          || !chapter_parse_clock (end_text, &end) || start < 0 || end < 0) {
        chapter_list_warn (list, "line %u: \"%s\" is not a cue timing, cue "
            "skipped", reader.number, line);
        skip_block = TRUE;
        continue;
      }
      if (chapter_list_length (list) >= CHAPTER_MAX_COUNT) {
        chapter_list_warn (list, "line %u: more than %d cues, rest ignored",
            reader.number, CHAPTER_MAX_COUNT);
        break;
      }
      cue = chapter_new (start, NULL);
      cue->source = "vtt";
      if (end >= start)
        cue->end = end;
      else
        chapter_list_warn (list, "line %u: cue ends before it starts",
            reader.number);
      chapter_list_add (list, cue);
    }
  }
  if (header) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_EMPTY,
        "WebVTT file has a header and no cues");
    chapter_list_free (list);
    return NULL;
  }
  return list;
}

static gchar *
vtt_write (const ChapterList * list)
{
  GString *out = g_string_new ("WEBVTT\n");
  guint i;

  for (i = 0; i < chapter_list_length (list); i++) {
    const Chapter *c = chapter_list_get (list, i);
    gint64 end = c->end != CHAPTER_TIME_NONE ? c->end : c->start;
    g_autofree gchar *s = chapter_format_clock (c->start, TRUE);
    g_autofree gchar *e = chapter_format_clock (end, TRUE);
    g_autoptr (GString) title = g_string_new (NULL);
    const gchar *t;

    /* a cue's text ends at a blank line, "-->" would read as timing, and
     * & and < start references and tags */
    for (t = c->title ? c->title : ""; *t; t++) {
      if (*t == '&')
        g_string_append (title, "&amp;");
      else if (*t == '<')
        g_string_append (title, "&lt;");
      else if (*t == '>')
        g_string_append (title, "&gt;");
      else if (*t == '\r' || *t == '\n')
        g_string_append_c (title, ' ');
      else
        g_string_append_c (title, *t);
    }
    g_string_append_printf (out, "\n%u\n%s --> %s\n%s\n", i + 1, s, e,
        title->str);
  }
  return g_string_free (out, FALSE);
}

const ChapterFormat chapter_format_vtt = {
  "vtt", "WebVTT chapters", vtt_sniff, vtt_read, vtt_write,
};
