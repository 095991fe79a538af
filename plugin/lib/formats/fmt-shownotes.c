/* Show notes in Markdown, HTML or plain text: chapter timestamps found in
 * running text, including the run-together form of episode pages,
 * "1:00Defining World Models: An introduction ...4:20Early Use Cases: ...",
 * where the title ends at the first ": " and the description follows. */
#include "chapter-format.h"

#include <string.h>

static gboolean
looks_like_html (const gchar * text)
{
  static const gchar *const tags[] = { "<html", "<body", "<p>", "<p ",
    "<li", "<br", "<div", "<ul", "<ol", "<h1", "<h2", "<h3", "<span", NULL
  };
  guint i;

  for (i = 0; tags[i]; i++)
    if (strstr (text, tags[i]))
      return TRUE;
  return FALSE;
}

static void
append_entity (GString * out, const gchar ** p)
{
  static const struct
  {
    const gchar *name;
    const gchar *text;
  } entities[] = {
    {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""},
    {"&apos;", "'"}, {"&#39;", "'"}, {"&nbsp;", " "}, {"&ndash;", "–"},
    {"&mdash;", "—"}, {"&hellip;", "…"}, {"&rsquo;", "’"}, {"&lsquo;", "‘"},
    {"&ldquo;", "“"}, {"&rdquo;", "”"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (entities); i++) {
    if (g_str_has_prefix (*p, entities[i].name)) {
      g_string_append (out, entities[i].text);
      *p += strlen (entities[i].name);
      return;
    }
  }
  if ((*p)[1] == '#') {
    gchar *end;
    gboolean hex = (*p)[2] == 'x' || (*p)[2] == 'X';
    guint64 c = g_ascii_strtoull (*p + (hex ? 3 : 2), &end, hex ? 16 : 10);

    if (*end == ';' && end > *p + 2 && c > 0 && c < 0x110000
        && g_unichar_validate ((gunichar) c)) {
      g_string_append_unichar (out, (gunichar) c);
      *p = end + 1;
      return;
    }
  }
  g_string_append_c (out, '&');
  (*p)++;
}

/* Tags out, block ends as line breaks, entities decoded. */
static gchar *
html_to_text (const gchar * html)
{
  static const gchar *const blocks[] = { "br", "p", "/p", "li", "/li", "div",
    "/div", "tr", "/tr", "h1", "h2", "h3", "h4", "/h1", "/h2", "/h3", "/h4",
    "ul", "/ul", "ol", "/ol", NULL
  };
  GString *out = g_string_sized_new (strlen (html));
  const gchar *p = html;

  while (*p) {
    if (*p == '<') {
      const gchar *end = strchr (p, '>');
      guint i;

      if (end == NULL)
        break;
      if (!g_ascii_strncasecmp (p, "<script", 7)
          || !g_ascii_strncasecmp (p, "<style", 6)) {
        const gchar *close = strstr (end, "</");

        end = close ? strchr (close, '>') : NULL;
        if (end == NULL)
          break;
      }
      for (i = 0; blocks[i]; i++) {
        gsize n = strlen (blocks[i]);

        if (!g_ascii_strncasecmp (p + 1, blocks[i], n)
            && !g_ascii_isalnum (p[1 + n])) {
          g_string_append_c (out, '\n');
          break;
        }
      }
      p = end + 1;
    } else if (*p == '&') {
      append_entity (out, &p);
    } else {
      g_string_append_c (out, *p++);
    }
  }
  return g_string_free (out, FALSE);
}

/* Where the chapter list starts: after a "Chapters" heading when there is
 * one, so timestamps in other sections do not count. */
static const gchar *
chapters_section (const gchar * text)
{
  const gchar *p = text;

  while (p && *p) {
    const gchar *eol = strchr (p, '\n');
    gsize n = eol ? (gsize) (eol - p) : strlen (p);
    g_autofree gchar *line = g_strndup (p, n);

    g_strstrip (line);
    g_strdelimit (line, "#*:_", ' ');
    g_strstrip (line);
    if (!g_ascii_strcasecmp (line, "chapters")
        || !g_ascii_strcasecmp (line, "chapter markers")
        || !g_ascii_strcasecmp (line, "timestamps"))
      return eol ? eol + 1 : p + n;
    p = eol ? eol + 1 : NULL;
  }
  return text;
}

static gboolean
is_stamp_position (const gchar * text, const gchar * at)
{
  const gchar *p = at;
  gunichar prev;

  /* at a line start, after an optional bullet */
  while (p > text && (p[-1] == ' ' || p[-1] == '\t' || p[-1] == '-'
          || p[-1] == '*' || p[-1] == '['))
    p--;
  if (p == text || p[-1] == '\n')
    return TRUE;
  /* or right after the end of a sentence */
  prev = g_utf8_get_char (g_utf8_find_prev_char (text, p));
  return prev == '.' || prev == '!' || prev == '?' || prev == ')'
      || prev == '"' || prev == 0x201d || prev == 0x2019 || prev == 0x2026
      || prev == ']';
}

static ChapterList *
find_chapters (const gchar * text, GError ** error)
{
  static gsize regex_once;
  static GRegex *stamp_regex;
  const gchar *section = chapters_section (text);
  g_autoptr (GMatchInfo) match = NULL;
  g_autoptr (GArray) starts = g_array_new (FALSE, FALSE, sizeof (gint));
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  ChapterList *list;
  guint i;

  if (g_once_init_enter (&regex_once)) {
    stamp_regex = g_regex_new ("\\[?((?:\\d{1,3}:)?\\d{1,2}:\\d{2}"
        "(?:\\.\\d{1,3})?)(?!\\d)\\]?", G_REGEX_OPTIMIZE, 0, NULL);
    g_once_init_leave (&regex_once, 1);
  }

  g_regex_match (stamp_regex, section, 0, &match);
  while (g_match_info_matches (match)) {
    gint s, e;
    g_autofree gchar *stamp = g_match_info_fetch (match, 1);
    gint64 ns;

    g_match_info_fetch_pos (match, 0, &s, &e);
    if (s > 0 && g_ascii_isdigit (section[s - 1]))
      ;                         /* part of a longer number */
    else if (is_stamp_position (section, section + s)
        && chapter_parse_clock (stamp, &ns)
        && (times->len == 0
            || ns > g_array_index (times, gint64, times->len - 1))) {
      g_array_append_val (starts, s);
      g_array_append_val (starts, e);
      g_array_append_val (times, ns);
      if (times->len >= CHAPTER_MAX_COUNT)
        break;
    }
    g_match_info_next (match, NULL);
  }

  if (times->len < 2) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_EMPTY,
        "no chapter list found: fewer than two ascending timestamps at line "
        "starts or sentence ends");
    return NULL;
  }

  list = chapter_list_new ();
  for (i = 0; i < times->len; i++) {
    gint from = g_array_index (starts, gint, 2 * i + 1);
    gint to = i + 1 < times->len ? g_array_index (starts, gint, 2 * i + 2) :
        (gint) strlen (section);
    const gchar *seg = section + from, *eol, *colon;
    g_autofree gchar *segment = NULL;
    Chapter *chapter;

    eol = memchr (seg, '\n', to - from);
    /* a Markdown link target after the time: [11:00](#t=660) */
    if (*seg == '(' && memchr (seg, ')', eol ? eol - seg : to - from))
      seg = (const gchar *) memchr (seg, ')', eol ? eol - seg : to - from) + 1;
    segment = g_strndup (seg, eol ? eol - seg : section + to - seg);
    g_strstrip (segment);
    /* a separator between the time and the title */
    if (g_str_has_prefix (segment, "- ") || g_str_has_prefix (segment, ": ")
        || g_str_has_prefix (segment, "| "))
      memmove (segment, segment + 2, strlen (segment + 2) + 1);
    chapter = chapter_new (g_array_index (times, gint64, i), NULL);
    chapter->source = "shownotes";
    colon = strstr (segment, ": ");
    if (colon) {
      chapter->title = chapter_text_clean (segment, colon - segment);
      chapter->description = chapter_text_clean (colon + 2, -1);
      g_strstrip (chapter->description);
    } else {
      chapter->title = chapter_text_clean (segment, -1);
    }
    g_strstrip (chapter->title);
    chapter_list_add (list, chapter);
  }
  return list;
}

/* Episode pages often state the length: "Duration: 44:26",
 * "Duration seconds\n2666". */
static gint64
find_duration (const gchar * text)
{
  g_autoptr (GRegex) regex = g_regex_new ("duration( ?\\(?(?:in )?"
      "seconds?\\)?)?[\\s:\\-]*((?:\\d+:)?(?:\\d+:)?\\d+(?:\\.\\d+)?)",
      G_REGEX_CASELESS, 0, NULL);
  g_autoptr (GMatchInfo) match = NULL;
  gint64 ns = CHAPTER_TIME_NONE;

  if (g_regex_match (regex, text, 0, &match)) {
    g_autofree gchar *seconds = g_match_info_fetch (match, 1);
    g_autofree gchar *value = g_match_info_fetch (match, 2);

    /* a bare number is seconds only when the page says so */
    if ((strchr (value, ':') || (seconds && *seconds))
        && !chapter_parse_clock (value, &ns))
      ns = CHAPTER_TIME_NONE;
  }
  return ns;
}

static guint
shownotes_sniff (const guint8 * data, gsize size)
{
  gsize left;

  /* the fallback for any text with at least one clock time in it */
  chapter_text_skip_space (data, size, &left);
  if (left == 0 || memchr (data, 0, MIN (size, 4096)))
    return 0;
  return 5;
}

static ChapterList *
shownotes_read (const guint8 * data, gsize size,
    const ChapterReadContext * ctx, GError ** error)
{
  g_autofree gchar *text = NULL;
  ChapterList *list;
  gsize len;

  text = chapter_text_to_utf8 (data, size, &len, error);
  if (text == NULL)
    return NULL;
  if (looks_like_html (text)) {
    gchar *plain = html_to_text (text);

    g_free (text);
    text = plain;
  }
  list = find_chapters (text, error);
  if (list)
    list->duration = find_duration (text);
  return list;
}

const ChapterFormat chapter_format_shownotes = {
  "shownotes", "show notes (Markdown, HTML or text with timestamps)",
  shownotes_sniff, shownotes_read, NULL,
};
