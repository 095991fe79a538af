/* One line of a timestamp list, in the forms hosts, video sites and
 * Markdown podcasts write: "- **4:20** Early Use Cases", "(17:40) Data",
 * "[01:00](#t=60) Title", "21:00 | Title", "4:20 – Title", "1. 0:00 Intro",
 * "Intro - 0:00", "0:00-4:20 Intro". Shared by the show-notes and the
 * mp4chaps readers. */
#include "chapter-format.h"

#include <string.h>

#define EN_DASH "\xe2\x80\x93"
#define EM_DASH "\xe2\x80\x94"
#define MIDDLE_DOT "\xc2\xb7"
#define BULLET "\xe2\x80\xa2"

static gboolean
is_blank (gchar c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Markdown emphasis and code marks, and the brackets a time may wear. */
static gboolean
is_opener (gchar c)
{
  return c == '*' || c == '_' || c == '`' || c == '[' || c == '(' || c == '~';
}

static gboolean
is_closer (gchar c)
{
  return c == '*' || c == '_' || c == '`' || c == ']' || c == ')' || c == '~';
}

/* Bullets ("-", "*", "+", "•", "‣", "◦", "▪"), numbering ("1.", "02)"),
 * a Markdown quote or table row, with the blanks around them. */
static const gchar *
skip_list_marker (const gchar * p)
{
  static const gchar *const bullets[] = { BULLET, "\xe2\x80\xa3",
    "\xe2\x97\xa6", "\xe2\x96\xaa", "\xe2\x96\xb8", "\xe2\x96\xba", NULL
  };
  const gchar *q;
  guint i;

  while (is_blank (*p))
    p++;
  /* a Markdown quote, or the first cell of a Markdown table row */
  if ((*p == '>' || *p == '|') && is_blank (p[1]))
    p += 2;
  while (is_blank (*p))
    p++;
  if ((*p == '-' || *p == '*' || *p == '+') && is_blank (p[1]))
    return skip_list_marker (p + 2);
  for (i = 0; bullets[i]; i++)
    if (g_str_has_prefix (p, bullets[i]))
      return skip_list_marker (p + strlen (bullets[i]));
  /* numbering: up to three digits and "." or ")", then a blank */
  for (q = p; g_ascii_isdigit (*q) && q - p < 3; q++);
  if (q > p && (*q == '.' || *q == ')') && is_blank (q[1])) {
    p = q + 2;
    while (is_blank (*p))
      p++;
  }
  return p;
}

/* A clock time that says it is one: "10:30 am", "14:00 Uhr", "9:00 UTC". */
static gboolean
is_time_of_day (const gchar * p)
{
  static const gchar *const suffixes[] = { "am", "pm", "a.m", "p.m", "uhr",
    "h", "hrs", "o'clock", "utc", "gmt", "cet", "cest", "est", "edt", "cst",
    "cdt", "pst", "pdt", "bst", "jst", "aest", "horas", "heures", NULL
  };
  gboolean spaced = *p == ' ';
  guint i;

  if (spaced)
    p++;
  for (i = 0; suffixes[i]; i++) {
    gsize n = strlen (suffixes[i]);

    if (g_ascii_strncasecmp (p, suffixes[i], n) || g_ascii_isalnum (p[n]))
      continue;
    /* "4:20 H is for Hello", "4:20 Am Anfang": a title, not a clock */
    if (spaced && (n == 1 || (n > 1 && g_ascii_isupper (p[0])
                && g_ascii_islower (p[1]) && strcmp (suffixes[i], "uhr"))))
      continue;
    return TRUE;
  }
  return FALSE;
}

/* [H:]M:SS[.fff] at @p, seconds (and minutes after hours) two digits, not
 * part of a longer number or a time of day. Returns the end, or NULL. */
static const gchar *
scan_stamp (const gchar * p, gint64 * ns)
{
  const gchar *q = p;
  g_autofree gchar *text = NULL;
  guint fields = 0, digits;

  for (;;) {
    for (digits = 0; g_ascii_isdigit (q[digits]); digits++);
    if (digits == 0 || digits > (fields == 0 ? 3 : 2)
        || (fields > 0 && digits != 2))
      return NULL;
    q += digits;
    fields++;
    if (*q != ':' || !g_ascii_isdigit (q[1]) || fields == 3)
      break;
    q++;
  }
  if (fields < 2)
    return NULL;
  if ((*q == '.' || *q == ',') && g_ascii_isdigit (q[1])) {
    for (digits = 1; g_ascii_isdigit (q[digits]); digits++);
    if (digits > 4)
      return NULL;
    q += digits;
  }
  /* "1:00:00:00", "4:20.5.1", "12:30/40" are something else */
  if (g_ascii_isdigit (*q) || ((*q == ':' || *q == '.' || *q == '/')
          && g_ascii_isdigit (q[1])) || is_time_of_day (q))
    return NULL;
  text = g_strndup (p, q - p);
  g_strdelimit (text, ",", '.');
  if (!chapter_parse_clock (text, ns))
    return NULL;
  return q;
}

/* Past emphasis marks and brackets after a time, and a Markdown link
 * target: "[11:00](#t=660)". */
static const gchar *
skip_closers (const gchar * p)
{
  while (is_closer (*p)) {
    if (*p == ']' && p[1] == '(') {
      const gchar *e = strchr (p, ')');

      if (e == NULL)
        break;
      p = e + 1;
    } else {
      p++;
    }
  }
  return p;
}

/* Separators between a time and a title, with the blanks around them. */
static const gchar *
skip_separators (const gchar * p)
{
  static const gchar *const wide[] = { EN_DASH, EM_DASH, MIDDLE_DOT, BULLET,
    "\xe2\x86\x92", "\xe2\x96\xb6", "\xe2\x80\xba", "\xc2\xbb", NULL
  };
  gboolean more = TRUE;

  while (more) {
    guint i;

    more = FALSE;
    while (is_blank (*p))
      p++;
    if (*p == '-' || *p == '|' || *p == ':' || *p == '>' || *p == '~'
        || *p == '=') {
      p++;
      more = TRUE;
    }
    for (i = 0; wide[i]; i++) {
      if (g_str_has_prefix (p, wide[i])) {
        p += strlen (wide[i]);
        more = TRUE;
      }
    }
  }
  return p;
}

/* A range's second time: "0:00-4:20", "0:00 – 4:20", "[0:00 to 4:20]". */
static const gchar *
scan_range_end (const gchar * p, gint64 * end)
{
  const gchar *q = p;

  while (*q == ' ')
    q++;
  if (*q == '-')
    q++;
  else if (g_str_has_prefix (q, EN_DASH) || g_str_has_prefix (q, EM_DASH))
    q += 3;
  else if (!g_ascii_strncasecmp (q, "to ", 3))
    q += 3;
  else
    return NULL;
  while (*q == ' ')
    q++;
  while (is_opener (*q) && *q != '(')
    q++;
  q = scan_stamp (q, end);
  return q ? skip_closers (q) : NULL;
}

static void
remove_all (gchar * s, const gchar * mark)
{
  gchar *at;
  gsize n = strlen (mark);

  while ((at = strstr (s, mark)))
    memmove (at, at + n, strlen (at + n) + 1);
}

/* Trailing separators and leaders: "Intro ....", "Intro –", "Intro (";
 * a single full stop stays. */
static void
trim_end (gchar * s)
{
  static const gchar *const wide[] = { EN_DASH, EM_DASH, MIDDLE_DOT,
    "\xe2\x80\xa6", NULL
  };
  gboolean more = TRUE;

  while (more) {
    gsize n = strlen (s);
    guint i;

    more = FALSE;
    if (n && strchr (" \t-|:~=([*_`", s[n - 1])) {
      s[n - 1] = '\0';
      more = TRUE;
    } else if (n > 1 && s[n - 1] == '.' && (s[n - 2] == '.'
            || s[n - 2] == ' ')) {
      /* leader dots, never a title's own full stop */
      while (n > 0 && s[n - 1] == '.')
        s[--n] = '\0';
      more = TRUE;
    }
    for (i = 0; wide[i]; i++) {
      if (g_str_has_suffix (s, wide[i])) {
        s[strlen (s) - strlen (wide[i])] = '\0';
        more = TRUE;
      }
    }
  }
}

/* Markdown out of a title: [text](url) links (a link that is the whole
 * title gives the chapter's URL), ** and __ anywhere, single emphasis and
 * code marks at the ends. */
static gchar *
clean_title (const gchar * text, gsize len, gchar ** url)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree gchar *raw = chapter_text_clean (text, len);
  const gchar *p = raw;
  gchar *title;
  gsize n;

  while (*p) {
    const gchar *close, *target_end;

    if (*p == '[' && (close = strstr (p, "](")) && !memchr (p, '\n', close - p)
        && (target_end = strchr (close, ')'))) {
      if (p == raw && target_end[1] == '\0')
        *url = g_strndup (close + 2, target_end - close - 2);
      g_string_append_len (out, p + 1, close - p - 1);
      p = target_end + 1;
    } else {
      g_string_append_c (out, *p++);
    }
  }
  title = g_string_free (g_steal_pointer (&out), FALSE);
  remove_all (title, "**");
  remove_all (title, "__");
  g_strstrip (title);
  while (*title && strchr ("*_`~", *title))
    memmove (title, title + 1, strlen (title));
  while ((n = strlen (title)) && strchr ("*_`~", title[n - 1]))
    title[n - 1] = '\0';
  trim_end (title);
  g_strstrip (title);
  if (*title == '\0') {
    g_clear_pointer (url, g_free);
    g_clear_pointer (&title, g_free);
  }
  return title;
}

static gboolean
has_letter (const gchar * s)
{
  for (; *s; s = g_utf8_next_char (s))
    if (g_unichar_isalpha (g_utf8_get_char (s)))
      return TRUE;
  return FALSE;
}

/* "Intro - 0:00", "Intro (0:00)", "**Intro** 0:00": the last time on the
 * line, with nothing but closing marks after it. */
static gboolean
parse_trailing (const gchar * line, ChapterStampLine * out)
{
  const gchar *body = skip_list_marker (line), *p, *found = NULL;
  gint64 ns = 0;

  for (p = body; *p; p++) {
    const gchar *end;
    gint64 t;

    if (!g_ascii_isdigit (*p) || (p > body && (g_ascii_isdigit (p[-1])
                || p[-1] == ':' || p[-1] == '.')))
      continue;
    end = scan_stamp (p, &t);
    if (end == NULL)
      continue;
    end = skip_closers (end);
    while (is_blank (*end) || *end == '.')
      end++;
    if (*end == '\0') {
      found = p;
      ns = t;
    }
  }
  if (found == NULL || found == body)
    return FALSE;
  while (found > body && (is_opener (found[-1]) || found[-1] == ' '))
    found--;
  /* "Open 9:00-12:00": a range at the end is no chapter start */
  {
    const gchar *d = found;

    while (d > body && d[-1] == ' ')
      d--;
    if (d > body && (d[-1] == '-' || (d - body >= 3 && (!strncmp (d - 3,
                        EN_DASH, 3) || !strncmp (d - 3, EM_DASH, 3))))) {
      d -= d[-1] == '-' ? 1 : 3;
      while (d > body && d[-1] == ' ')
        d--;
      if (d > body && g_ascii_isdigit (d[-1]))
        return FALSE;
    }
  }
  out->title = clean_title (body, found - body, &out->url);
  if (out->title == NULL || !has_letter (out->title)) {
    chapter_stamp_line_clear (out);
    return FALSE;
  }
  out->form = CHAPTER_STAMP_TRAILING;
  out->start = ns;
  return TRUE;
}

gboolean
chapter_stamp_line_parse (const gchar * line, ChapterStampLine * out)
{
  const gchar *p = skip_list_marker (line), *q;
  guint opened = 0;

  memset (out, 0, sizeof *out);
  out->end = CHAPTER_TIME_NONE;
  while (is_opener (*p) && opened < 4) {
    p++;
    opened++;
  }
  q = scan_stamp (p, &out->start);
  if (q == NULL)
    return parse_trailing (line, out);
  q = skip_closers (q);
  out->form = CHAPTER_STAMP_LEADING;
  {
    const gchar *r = scan_range_end (q, &out->end);

    if (r) {
      if (out->end <= out->start) {
        chapter_stamp_line_clear (out);
        return FALSE;
      }
      out->form = CHAPTER_STAMP_RANGE;
      q = r;
    } else {
      out->end = CHAPTER_TIME_NONE;
    }
  }
  /* "1:00Defining": the run-together form, read as running text */
  if (*q && !is_blank (*q) && !strchr ("-|:>~=", *q) && (guchar) * q < 0x80)
    return FALSE;
  q = skip_separators (q);
  out->title = clean_title (q, strlen (q), &out->url);
  return TRUE;
}

void
chapter_split_description (Chapter * chapter)
{
  gchar *colon = chapter->title ? strstr (chapter->title, ": ") : NULL;
  const gchar *rest, *p;
  guint words = 1;
  gsize n;

  if (colon == NULL || colon == chapter->title || chapter->description)
    return;
  rest = colon + 2;
  for (p = rest; *p; p++)
    words += *p == ' ';
  n = strlen (rest);
  if (n == 0 || (words < 8 && (words < 4 || !strchr (".!?", rest[n - 1]))))
    return;
  chapter->description = g_strdup (rest);
  *colon = '\0';
  g_strstrip (chapter->title);
}

void
chapter_stamp_line_clear (ChapterStampLine * line)
{
  g_clear_pointer (&line->title, g_free);
  g_clear_pointer (&line->url, g_free);
  line->form = CHAPTER_STAMP_NONE;
}
