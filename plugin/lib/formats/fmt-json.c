/* Podcasting 2.0 JSON chapters. */
#include "chapter-format.h"

#include <math.h>
#include <string.h>

static guint
json_sniff (const guint8 * data, gsize size)
{
  gsize left;
  const gchar *p = chapter_text_skip_space (data, size, &left);

  const gchar *q;

  if (left == 0 || (*p != '{' && *p != '['))
    return 0;
  /* an object or an array of objects or strings: not "[00:01] Intro" */
  for (q = p + 1; q < p + left && g_ascii_isspace (*q); q++);
  if (q < p + left && !strchr ("{}[]\"", *q))
    return 0;
  return g_strstr_len (p, MIN (left, 65536), "\"chapters\"")
      || g_strstr_len (p, MIN (left, 65536), "\"startTime\"") ? 95 : 40;
}

/* A small streaming JSON reader, specialised for chapters: it builds the
 * chapter list as it goes, with no tree. json-glib takes ~170 ms (plus
 * ~50 ms to free its tree) for 100 000 chapters; the target is 100 ms. */
typedef struct
{
  const gchar *start, *p, *end;
  guint depth;
  GError **error;
  gboolean failed;
} JsonScan;

#define JSON_MAX_DEPTH 64

static gboolean
scan_fail (JsonScan * s, const gchar * what)
{
  const gchar *q;
  guint line = 1, col = 1;

  if (s->failed)
    return FALSE;
  for (q = s->start; q < s->p && q < s->end; q++) {
    if (*q == '\n') {
      line++;
      col = 1;
    } else {
      col++;
    }
  }
  g_set_error (s->error, CHAPTER_ERROR, CHAPTER_ERROR_PARSE,
      "JSON error at line %u, column %u: %s", line, col,
      s->p >= s->end ? "the text ends too early" : what);
  s->failed = TRUE;
  return FALSE;
}

static void
skip_ws (JsonScan * s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n'
          || *s->p == '\r'))
    s->p++;
}

static gboolean
expect (JsonScan * s, gchar c)
{
  skip_ws (s);
  if (s->p < s->end && *s->p == c) {
    s->p++;
    return TRUE;
  }
  return scan_fail (s, c == ':' ? "expected ':'" : c == '"' ?
      "expected a string" : "unexpected character");
}

static gint
hex4 (const gchar * p)
{
  gint v = 0, i;

  for (i = 0; i < 4; i++) {
    gint d = g_ascii_xdigit_value (p[i]);

    if (d < 0)
      return -1;
    v = v << 4 | d;
  }
  return v;
}

/* A string; into @out when non-NULL (capped), else skipped. */
static gboolean
scan_string (JsonScan * s, GString * out)
{
  if (!expect (s, '"'))
    return FALSE;
  while (s->p < s->end) {
    const gchar *run = s->p;

    while (s->p < s->end && *s->p != '"' && *s->p != '\\'
        && (guchar) * s->p >= 0x20)
      s->p++;
    if (out && out->len < CHAPTER_MAX_TEXT)
      g_string_append_len (out, run, s->p - run);
    if (s->p >= s->end)
      break;
    if (*s->p == '"') {
      s->p++;
      return TRUE;
    }
    if ((guchar) * s->p < 0x20)
      return scan_fail (s, "control character in a string");
    /* an escape */
    if (s->p + 1 >= s->end)
      break;
    s->p++;
    switch (*s->p) {
      case '"':
      case '\\':
      case '/':
        if (out)
          g_string_append_c (out, *s->p);
        s->p++;
        break;
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
        if (out)
          g_string_append_c (out, *s->p == 'b' ? '\b' : *s->p == 'f' ? '\f' :
              *s->p == 'n' ? '\n' : *s->p == 'r' ? '\r' : '\t');
        s->p++;
        break;
      case 'u':{
        gint c, lo;

        if (s->p + 5 > s->end || (c = hex4 (s->p + 1)) < 0)
          return scan_fail (s, "bad \\u escape");
        s->p += 5;
        if (c >= 0xd800 && c < 0xdc00 && s->p + 6 <= s->end
            && s->p[0] == '\\' && s->p[1] == 'u'
            && (lo = hex4 (s->p + 2)) >= 0xdc00 && lo < 0xe000) {
          c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
          s->p += 6;
        } else if (c >= 0xd800 && c < 0xe000) {
          c = 0xfffd;           /* a lone surrogate */
        }
        if (out)
          g_string_append_unichar (out, c ? c : 0xfffd);
        break;
      }
      default:
        return scan_fail (s, "bad escape in a string");
    }
  }
  return scan_fail (s, "unterminated string");
}

typedef enum
{
  V_NUMBER, V_STRING, V_TRUE, V_FALSE, V_NULL, V_OTHER
} ValueKind;

static gboolean scan_value (JsonScan * s, ValueKind * kind, gdouble * number,
    GString * string);

static gboolean
scan_number (JsonScan * s, gdouble * number)
{
  const gchar *q = s->p;
  gchar buf[64], *endp;

  if (q < s->end && *q == '-')
    q++;
  while (q < s->end && (g_ascii_isdigit (*q) || *q == '.' || *q == 'e'
          || *q == 'E' || *q == '+' || *q == '-'))
    q++;
  if (q == s->p || q - s->p >= (gssize) sizeof buf)
    return scan_fail (s, "bad number");
  memcpy (buf, s->p, q - s->p);
  buf[q - s->p] = '\0';
  *number = g_ascii_strtod (buf, &endp);
  if (*endp || endp == buf)
    return scan_fail (s, "bad number");
  s->p = q;
  return TRUE;
}

/* Skips an object or array (what we do not read). */
static gboolean
scan_container (JsonScan * s, gchar open)
{
  gchar close = open == '{' ? '}' : ']';

  if (++s->depth > JSON_MAX_DEPTH)
    return scan_fail (s, "nested too deeply");
  s->p++;
  skip_ws (s);
  if (s->p < s->end && *s->p == close) {
    s->p++;
    s->depth--;
    return TRUE;
  }
  for (;;) {
    ValueKind kind;

    if (open == '{' && (!scan_string (s, NULL) || !expect (s, ':')))
      return FALSE;
    if (!scan_value (s, &kind, NULL, NULL))
      return FALSE;
    skip_ws (s);
    if (s->p < s->end && *s->p == ',') {
      s->p++;
      continue;
    }
    if (!expect (s, close))
      return FALSE;
    s->depth--;
    return TRUE;
  }
}

static gboolean
scan_value (JsonScan * s, ValueKind * kind, gdouble * number,
    GString * string)
{
  skip_ws (s);
  if (s->p >= s->end)
    return scan_fail (s, "value expected");
  switch (*s->p) {
    case '"':
      *kind = V_STRING;
      return scan_string (s, string);
    case '{':
    case '[':
      *kind = V_OTHER;
      return scan_container (s, *s->p);
    case 't':
    case 'f':
    case 'n':{
      static const gchar *const words[] = { "true", "false", "null" };
      guint i = *s->p == 't' ? 0 : *s->p == 'f' ? 1 : 2;
      gsize n = strlen (words[i]);

      if ((gsize) (s->end - s->p) < n || memcmp (s->p, words[i], n))
        return scan_fail (s, "unexpected word");
      s->p += n;
      *kind = i == 0 ? V_TRUE : i == 1 ? V_FALSE : V_NULL;
      return TRUE;
    }
    default:{
      gdouble dummy;

      *kind = V_NUMBER;
      return scan_number (s, number ? number : &dummy);
    }
  }
}

/* Seconds (a number, or a clock string) to ns. */
static gboolean
to_ns (ValueKind kind, gdouble seconds, const GString * text, gint64 * ns)
{
  if (kind == V_STRING)
    return chapter_parse_clock (text->str, ns) && *ns >= 0;
  if (kind != V_NUMBER || !isfinite (seconds) || seconds < 0 || seconds > 1e9)
    return FALSE;
  /* round to the microsecond: JSON seconds carry float noise */
  *ns = (gint64) llround (seconds * 1e6) * 1000;
  return TRUE;
}

static gchar *
take_text (gchar * old, const GString * text)
{
  g_free (old);
  return chapter_text_clean (text->str, text->len);
}

/* One element of "chapters": an object, or something we skip. */
static gboolean
scan_chapter (JsonScan * s, ChapterList * list, guint i, GString * key,
    GString * text)
{
  Chapter *chapter;
  gboolean has_start = FALSE, has_end = FALSE;
  gint64 start = 0, end = 0;
  ValueKind kind;

  skip_ws (s);
  if (s->p >= s->end || *s->p != '{') {
    if (!scan_value (s, &kind, NULL, NULL))
      return FALSE;
    chapter_list_warn (list, "chapters[%u] is not an object, skipped", i);
    return TRUE;
  }
  chapter = chapter_new (0, NULL);
  chapter->source = "json";
  s->p++;
  skip_ws (s);
  if (s->p < s->end && *s->p == '}')
    s->p++;
  else
    for (;;) {
      gdouble number = 0;

      g_string_truncate (key, 0);
      g_string_truncate (text, 0);
      if (!scan_string (s, key) || !expect (s, ':')
          || !scan_value (s, &kind, &number, text)) {
        chapter_free (chapter);
        return FALSE;
      }
      if (!strcmp (key->str, "startTime"))
        has_start = to_ns (kind, number, text, &start);
      else if (!strcmp (key->str, "endTime"))
        has_end = to_ns (kind, number, text, &end);
      else if (kind == V_STRING && !strcmp (key->str, "title"))
        chapter->title = take_text (chapter->title, text);
      else if (kind == V_STRING && !strcmp (key->str, "url"))
        chapter->url = take_text (chapter->url, text);
      else if (kind == V_STRING && !strcmp (key->str, "img"))
        chapter->image_url = take_text (chapter->image_url, text);
      else if (!strcmp (key->str, "toc") && (kind == V_TRUE
              || kind == V_FALSE))
        chapter->hidden = kind == V_FALSE;
      skip_ws (s);
      if (s->p < s->end && *s->p == ',') {
        s->p++;
        continue;
      }
      if (!expect (s, '}')) {
        chapter_free (chapter);
        return FALSE;
      }
      break;
    }
  if (!has_start) {
    chapter_list_warn (list, "chapters[%u]: startTime is missing, negative "
        "or not a number, chapter skipped", i);
    chapter_free (chapter);
    return TRUE;
  }
  chapter->start = start;
  if (has_end) {
    if (end >= start)
      chapter->end = end;
    else
      chapter_list_warn (list, "chapters[%u]: endTime before startTime, "
          "ignored", i);
  }
  if (chapter_list_length (list) >= CHAPTER_MAX_COUNT) {
    if (chapter_list_length (list) == CHAPTER_MAX_COUNT)
      chapter_list_warn (list, "chapters[%u] and later ignored: more than %d "
          "chapters", i, CHAPTER_MAX_COUNT);
    chapter_free (chapter);
    return TRUE;
  }
  chapter_list_add (list, chapter);
  return TRUE;
}

static gboolean
scan_chapters_array (JsonScan * s, ChapterList * list)
{
  g_autoptr (GString) key = g_string_new (NULL);
  g_autoptr (GString) text = g_string_new (NULL);
  guint i = 0;

  if (!expect (s, '['))
    return FALSE;
  skip_ws (s);
  if (s->p < s->end && *s->p == ']') {
    s->p++;
    return TRUE;
  }
  for (;; i++) {
    if (!scan_chapter (s, list, i, key, text))
      return FALSE;
    skip_ws (s);
    if (s->p < s->end && *s->p == ',') {
      s->p++;
      continue;
    }
    return expect (s, ']');
  }
}

static ChapterList *
json_read (const guint8 * data, gsize size, const ChapterReadContext * ctx,
    GError ** error)
{
  g_autofree gchar *text = NULL;
  g_autoptr (GString) key = g_string_new (NULL);
  gsize len;
  JsonScan scan = { 0, };
  ChapterList *list;
  gboolean found = FALSE, ok = TRUE;
  ValueKind kind;

  text = chapter_text_to_utf8 (data, size, &len, error);
  if (text == NULL)
    return NULL;
  scan.start = scan.p = text;
  scan.end = text + len;
  scan.error = error;
  list = chapter_list_new ();

  skip_ws (&scan);
  if (scan.p < scan.end && *scan.p == '[') {
    /* a bare array of chapter objects */
    found = TRUE;
    ok = scan_chapters_array (&scan, list);
  } else if ((ok = expect (&scan, '{'))) {
    skip_ws (&scan);
    if (scan.p < scan.end && *scan.p == '}')
      scan.p++;
    else
      for (;;) {
        g_string_truncate (key, 0);
        if (!scan_string (&scan, key) || !expect (&scan, ':')) {
          ok = FALSE;
          break;
        }
        skip_ws (&scan);
        if (!found && !strcmp (key->str, "chapters") && scan.p < scan.end
            && *scan.p == '[') {
          found = TRUE;
          ok = scan_chapters_array (&scan, list);
        } else {
          ok = scan_value (&scan, &kind, NULL, NULL);
        }
        if (!ok)
          break;
        skip_ws (&scan);
        if (scan.p < scan.end && *scan.p == ',') {
          scan.p++;
          continue;
        }
        ok = expect (&scan, '}');
        break;
      }
  }
  if (ok) {
    skip_ws (&scan);
    if (scan.p < scan.end)
      ok = scan_fail (&scan, "text after the JSON value");
  }
  if (!ok) {
    chapter_list_free (list);
    return NULL;
  }
  if (!found) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_PARSE,
        "JSON has no \"chapters\" array at the top level");
    chapter_list_free (list);
    return NULL;
  }
  return list;
}

/* Seconds with up to nine decimals and no float noise. */
static void
append_seconds (GString * out, gint64 ns)
{
  chapter_json_append_decimal (out, ns, 9);
}

static void
append_member (GString * out, const gchar * name, const gchar * value)
{
  if (value == NULL)
    return;
  g_string_append_printf (out, ", \"%s\": ", name);
  chapter_json_append_string (out, value);
}

static gchar *
json_write (const ChapterList * list)
{
  GString *out = g_string_new ("{\n  \"version\": \"1.2.0\",\n"
      "  \"chapters\": [");
  guint i;

  for (i = 0; i < chapter_list_length (list); i++) {
    const Chapter *c = chapter_list_get (list, i);

    g_string_append (out, i ? ",\n    {\"startTime\": " : "\n    {"
        "\"startTime\": ");
    append_seconds (out, c->start);
    if (c->end != CHAPTER_TIME_NONE) {
      g_string_append (out, ", \"endTime\": ");
      append_seconds (out, c->end);
    }
    append_member (out, "title", c->title);
    append_member (out, "img", c->image_url);
    append_member (out, "url", c->url);
    if (c->hidden)
      g_string_append (out, ", \"toc\": false");
    g_string_append_c (out, '}');
  }
  g_string_append (out, "\n  ]\n}\n");
  return g_string_free (out, FALSE);
}

const ChapterFormat chapter_format_json = {
  "json", "Podcasting 2.0 JSON chapters", json_sniff, json_read, json_write,
};
