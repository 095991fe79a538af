/* FFmpeg's FFMETADATA1 files: [CHAPTER] sections with TIMEBASE. */
#include "chapter-format.h"

#include <stdio.h>
#include <string.h>

static guint
ffmetadata_sniff (const guint8 * data, gsize size)
{
  gsize left;
  const gchar *p = chapter_text_skip_space (data, size, &left);

  return left >= 12 && strncmp (p, ";FFMETADATA1", 12) == 0 ? 100 : 0;
}

/* Removes the backslash escapes of '=', ';', '#', '\\' and newline. */
static gchar *
unescape (const gchar * s, gsize len)
{
  GString *out = g_string_sized_new (len);
  gsize i;

  for (i = 0; i < len; i++) {
    if (s[i] == '\\' && i + 1 < len)
      i++;
    g_string_append_c (out, s[i]);
  }
  return g_string_free (out, FALSE);
}

typedef struct
{
  gint64 num, den;
  gint64 start, end;
  gboolean has_start;
  guint line;
} PendingChapter;

static void
flush_chapter (ChapterList * list, PendingChapter * pending, Chapter ** cur)
{
  Chapter *chapter = *cur;

  if (chapter == NULL)
    return;
  if (!pending->has_start || pending->start < 0) {
    chapter_list_warn (list, "line %u: [CHAPTER] without a valid START, "
        "skipped", pending->line);
    g_ptr_array_remove (list->chapters, chapter);
  } else {
    /* TIMEBASE=num/den: a tick is num/den seconds */
    gdouble start = (gdouble) pending->start * pending->num * 1e9 /
        pending->den;
    gdouble end = (gdouble) pending->end * pending->num * 1e9 / pending->den;

    if (start >= 9e18) {
      chapter_list_warn (list, "line %u: START is out of range, chapter "
          "skipped", pending->line);
      g_ptr_array_remove (list->chapters, chapter);
    } else {
      chapter->start = (gint64) (start + 0.5);
      if (pending->end >= pending->start && end < 9e18)
        chapter->end = (gint64) (end + 0.5);
    }
  }
  *cur = NULL;
}

static ChapterList *
ffmetadata_read (const guint8 * data, gsize size,
    const ChapterReadContext * ctx, GError ** error)
{
  g_autofree gchar *text = NULL;
  const gchar *p, *end;
  gsize len;
  ChapterList *list;
  Chapter *cur = NULL;
  PendingChapter pending = { 0, };
  guint line = 0;

  text = chapter_text_to_utf8 (data, size, &len, error);
  if (text == NULL)
    return NULL;
  list = chapter_list_new ();
  p = text;
  end = text + len;
  while (p < end) {
    const gchar *eol = p;
    g_autofree gchar *entry = NULL;
    gchar *eq;
    guint entry_line = ++line;

    /* a value continues past an escaped newline */
    while (eol < end && *eol != '\n') {
      if (*eol == '\\' && eol + 1 < end) {
        if (eol[1] == '\n')
          line++;
        eol++;
      }
      eol++;
    }
    entry = g_strndup (p, eol - p);
    p = eol < end ? eol + 1 : end;
    if (*entry && entry[strlen (entry) - 1] == '\r')
      entry[strlen (entry) - 1] = '\0';
    if (*entry == '\0' || *entry == ';' || *entry == '#')
      continue;
    if (*entry == '[') {
      g_strchomp (entry);
      flush_chapter (list, &pending, &cur);
      if (g_ascii_strcasecmp (entry, "[CHAPTER]") == 0) {
        if (chapter_list_length (list) >= CHAPTER_MAX_COUNT) {
          chapter_list_warn (list, "line %u: more than %d chapters, rest "
              "ignored", entry_line, CHAPTER_MAX_COUNT);
          break;
        }
        cur = chapter_new (0, NULL);
        cur->source = "ffmetadata";
        chapter_list_add (list, cur);
        pending = (PendingChapter) {
        1, 1000000000, -1, -1, FALSE, entry_line};
      }
      continue;
    }
    if (cur == NULL)
      continue;
    eq = entry;
    while (*eq && *eq != '=') {
      if (*eq == '\\' && eq[1])
        eq++;
      eq++;
    }
    if (*eq != '=') {
      chapter_list_warn (list, "line %u: \"%s\" is not key=value",
          entry_line, entry);
      continue;
    }
    *eq = '\0';
    if (g_ascii_strcasecmp (entry, "TIMEBASE") == 0) {
      gint64 num, den;

      if (sscanf (eq + 1, "%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT, &num,
              &den) == 2 && num > 0 && den > 0 && num <= 1000000000
          && den <= G_GINT64_CONSTANT (1000000000000)) {
        pending.num = num;
        pending.den = den;
      } else {
        chapter_list_warn (list, "line %u: TIMEBASE \"%s\" is not num/den",
            entry_line, eq + 1);
      }
    } else if (g_ascii_strcasecmp (entry, "START") == 0
        || g_ascii_strcasecmp (entry, "END") == 0) {
      gint64 value;
      gboolean is_start = g_ascii_strcasecmp (entry, "START") == 0;

      if (!g_ascii_string_to_signed (eq + 1, 10, 0,
              G_GINT64_CONSTANT (1) << 53, &value, NULL)) {
        chapter_list_warn (list, "line %u: %s \"%s\" is not a whole "
            "non-negative number", entry_line, entry, eq + 1);
        continue;
      }
      if (is_start) {
        pending.start = value;
        pending.has_start = TRUE;
      } else {
        pending.end = value;
      }
    } else if (g_ascii_strcasecmp (entry, "title") == 0) {
      g_autofree gchar *value = unescape (eq + 1, strlen (eq + 1));

      g_free (cur->title);
      cur->title = chapter_text_clean (value, -1);
    }
  }
  flush_chapter (list, &pending, &cur);
  return list;
}

static void
append_escaped (GString * out, const gchar * s)
{
  for (; *s; s++) {
    if (strchr ("=;#\\\n", *s))
      g_string_append_c (out, '\\');
    g_string_append_c (out, *s);
  }
}

static gchar *
ffmetadata_write (const ChapterList * list)
{
  GString *out = g_string_new (";FFMETADATA1\n");
  gboolean sub_ms = FALSE;
  gint64 div;
  guint i;

  for (i = 0; i < chapter_list_length (list); i++) {
    const Chapter *c = chapter_list_get (list, i);

    if (c->start % 1000000 || (c->end > 0 && c->end % 1000000))
      sub_ms = TRUE;
  }
  div = sub_ms ? 1 : 1000000;
  for (i = 0; i < chapter_list_length (list); i++) {
    const Chapter *c = chapter_list_get (list, i);
    gint64 end = c->end != CHAPTER_TIME_NONE ? c->end : c->start;

    g_string_append_printf (out, "\n[CHAPTER]\nTIMEBASE=1/%s\nSTART=%"
        G_GINT64_FORMAT "\nEND=%" G_GINT64_FORMAT "\n",
        sub_ms ? "1000000000" : "1000", c->start / div, end / div);
    if (c->title) {
      g_string_append (out, "title=");
      append_escaped (out, c->title);
      g_string_append_c (out, '\n');
    }
  }
  return g_string_free (out, FALSE);
}

const ChapterFormat chapter_format_ffmetadata = {
  "ffmetadata", "FFmpeg FFMETADATA1", ffmetadata_sniff, ffmetadata_read,
  ffmetadata_write,
};
