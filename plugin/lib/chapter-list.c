/* gst-chapters: the chapter model, merge rules and title matching. */
#include "chapter-list.h"

#include <string.h>
#include <stdlib.h>
#include <gst/tag/tag.h>

G_DEFINE_QUARK (chapter-error-quark, chapter_error);

Chapter *
chapter_new (gint64 start, const gchar * title)
{
  Chapter *chapter = g_new0 (Chapter, 1);

  chapter->start = start;
  chapter->end = CHAPTER_TIME_NONE;
  chapter->title = g_strdup (title);
  chapter->children = g_ptr_array_new_with_free_func ((GDestroyNotify)
      chapter_free);
  return chapter;
}

Chapter *
chapter_copy (const Chapter * chapter)
{
  Chapter *copy = chapter_new (chapter->start, chapter->title);
  guint i;

  copy->end = chapter->end;
  copy->uid = g_strdup (chapter->uid);
  copy->description = g_strdup (chapter->description);
  copy->url = g_strdup (chapter->url);
  copy->image_url = g_strdup (chapter->image_url);
  copy->image = chapter->image ? g_bytes_ref (chapter->image) : NULL;
  copy->image_mime = g_strdup (chapter->image_mime);
  copy->performer = g_strdup (chapter->performer);
  copy->hidden = chapter->hidden;
  copy->past_end = chapter->past_end;
  copy->source = chapter->source;
  for (i = 0; chapter->titles && i < chapter->titles->len; i++) {
    const ChapterTitle *t = g_ptr_array_index (chapter->titles, i);

    chapter_add_title (copy, t->language, t->title);
  }
  for (i = 0; i < chapter->children->len; i++)
    g_ptr_array_add (copy->children,
        chapter_copy (g_ptr_array_index (chapter->children, i)));
  return copy;
}

void
chapter_free (Chapter * chapter)
{
  if (chapter == NULL)
    return;
  g_free (chapter->uid);
  g_free (chapter->title);
  g_free (chapter->description);
  g_free (chapter->url);
  g_free (chapter->image_url);
  g_clear_pointer (&chapter->image, g_bytes_unref);
  g_free (chapter->image_mime);
  g_free (chapter->performer);
  g_ptr_array_unref (chapter->children);
  g_clear_pointer (&chapter->titles, g_ptr_array_unref);
  g_free (chapter);
}

static void
chapter_title_free (ChapterTitle * t)
{
  g_free (t->language);
  g_free (t->title);
  g_free (t);
}

/* "deu", "ger", "de-DE", "de_DE.UTF-8" -> "de"; NULL for none or "C". */
static gchar *
language_code (const gchar * language)
{
  g_autofree gchar *primary = NULL;
  const gchar *iso1;

  if (language == NULL)
    return NULL;
  primary = g_ascii_strdown (language, strcspn (language, "-_.@"));
  if (*primary == '\0' || !strcmp (primary, "c") || !strcmp (primary,
          "posix") || !strcmp (primary, "und"))
    return NULL;
  if (strlen (primary) == 3
      && (iso1 = gst_tag_get_language_code_iso_639_1 (primary)))
    return g_strdup (iso1);
  return g_steal_pointer (&primary);
}

void
chapter_add_title (Chapter * chapter, const gchar * language,
    const gchar * title)
{
  ChapterTitle *t;

  if (title == NULL)
    return;
  if (chapter->titles == NULL)
    chapter->titles = g_ptr_array_new_with_free_func ((GDestroyNotify)
        chapter_title_free);
  if (chapter->titles->len >= 64)
    return;
  t = g_new0 (ChapterTitle, 1);
  t->language = language_code (language);
  if (t->language == NULL && language && *language)
    t->language = g_strdup (language);
  t->title = g_strdup (title);
  g_ptr_array_add (chapter->titles, t);
  if (chapter->title == NULL)
    chapter->title = g_strdup (title);
}

static void
choose_language (GPtrArray * chapters, GPtrArray * wanted)
{
  guint i, w, k;

  for (i = 0; i < chapters->len; i++) {
    Chapter *c = g_ptr_array_index (chapters, i);
    const ChapterTitle *pick = NULL;

    choose_language (c->children, wanted);
    if (c->titles == NULL || c->titles->len == 0)
      continue;
    for (w = 0; w < wanted->len && pick == NULL; w++)
      for (k = 0; k < c->titles->len && pick == NULL; k++) {
        const ChapterTitle *t = g_ptr_array_index (c->titles, k);

        if (t->language && !strcmp (t->language,
                g_ptr_array_index (wanted, w)))
          pick = t;
      }
    if (pick == NULL)
      pick = g_ptr_array_index (c->titles, 0);
    g_free (c->title);
    c->title = g_strdup (pick->title);
  }
}

void
chapter_list_choose_language (ChapterList * list, const gchar * language)
{
  g_autoptr (GPtrArray) wanted = g_ptr_array_new_with_free_func (g_free);
  const gchar *const *names = g_get_language_names ();
  gchar *code;

  if (language) {
    if ((code = language_code (language)))
      g_ptr_array_add (wanted, code);
  } else {
    for (; *names; names++)
      if ((code = language_code (*names)))
        g_ptr_array_add (wanted, code);
  }
  g_ptr_array_add (wanted, g_strdup ("en"));
  choose_language (list->chapters, wanted);
}

ChapterList *
chapter_list_new (void)
{
  ChapterList *list = g_new0 (ChapterList, 1);

  list->chapters = g_ptr_array_new_with_free_func ((GDestroyNotify)
      chapter_free);
  list->warnings = g_ptr_array_new_with_free_func (g_free);
  list->duration = CHAPTER_TIME_NONE;
  return list;
}

ChapterList *
chapter_list_copy (const ChapterList * list)
{
  ChapterList *copy = chapter_list_new ();
  guint i;

  for (i = 0; i < list->chapters->len; i++)
    chapter_list_add (copy, chapter_copy (chapter_list_get (list, i)));
  for (i = 0; i < list->warnings->len; i++)
    g_ptr_array_add (copy->warnings,
        g_strdup (g_ptr_array_index (list->warnings, i)));
  copy->duration = list->duration;
  copy->chapters_url = g_strdup (list->chapters_url);
  return copy;
}

void
chapter_list_free (ChapterList * list)
{
  if (list == NULL)
    return;
  g_ptr_array_unref (list->chapters);
  g_ptr_array_unref (list->warnings);
  g_free (list->chapters_url);
  g_free (list);
}

guint
chapter_list_length (const ChapterList * list)
{
  return list ? list->chapters->len : 0;
}

Chapter *
chapter_list_get (const ChapterList * list, guint index)
{
  g_return_val_if_fail (index < list->chapters->len, NULL);
  return g_ptr_array_index (list->chapters, index);
}

void
chapter_list_add (ChapterList * list, Chapter * chapter)
{
  g_ptr_array_add (list->chapters, chapter);
}

void
chapter_list_warn (ChapterList * list, const gchar * format, ...)
{
  va_list args;

  /* A hostile input could produce a warning per byte: keep the first few. */
  if (list->warnings->len >= 100)
    return;
  va_start (args, format);
  g_ptr_array_add (list->warnings, g_strdup_vprintf (format, args));
  va_end (args);
}

static gint
compare_start (gconstpointer a, gconstpointer b)
{
  const Chapter *ca = *(const Chapter **) a;
  const Chapter *cb = *(const Chapter **) b;

  return (ca->start > cb->start) - (ca->start < cb->start);
}

static void
finalize_level (GPtrArray * chapters, gint64 end_of_level, gint64 duration)
{
  guint i;

  /* g_ptr_array_sort is a stable merge sort in GLib >= 2.32 */
  g_ptr_array_sort (chapters, compare_start);

  for (i = 1; i < chapters->len;) {
    Chapter *prev = g_ptr_array_index (chapters, i - 1);
    Chapter *cur = g_ptr_array_index (chapters, i);

    if (prev->start == cur->start && g_strcmp0 (prev->title, cur->title) == 0
        && prev->hidden == cur->hidden && cur->children->len == 0)
      g_ptr_array_remove_index (chapters, i);
    else
      i++;
  }

  for (i = 0; i < chapters->len; i++) {
    Chapter *cur = g_ptr_array_index (chapters, i);

    if (cur->end == CHAPTER_TIME_NONE) {
      if (i + 1 < chapters->len)
        cur->end = ((Chapter *) g_ptr_array_index (chapters, i + 1))->start;
      else if (end_of_level != CHAPTER_TIME_NONE && end_of_level >= cur->start)
        cur->end = end_of_level;
    }
    cur->past_end = duration > 0 && cur->start >= duration;
    finalize_level (cur->children, cur->end, duration);
  }
}

void
chapter_list_finalize (ChapterList * list, gint64 duration)
{
  if (duration > 0)
    list->duration = duration;
  finalize_level (list->chapters, list->duration, list->duration);
}

ChapterList *
chapter_list_merge (const ChapterList * external, const ChapterList * embedded,
    ChapterPrefer prefer, gint64 duration)
{
  const ChapterList *first, *second, *pick;
  ChapterList *merged;

  first = prefer == CHAPTER_PREFER_EXTERNAL ? external : embedded;
  second = prefer == CHAPTER_PREFER_EXTERNAL ? embedded : external;
  pick = chapter_list_length (first) > 0 ? first : second;

  if (pick == NULL)
    merged = chapter_list_new ();
  else
    merged = chapter_list_copy (pick);
  if (duration <= 0) {
    if (first && first->duration > 0)
      duration = first->duration;
    else if (second && second->duration > 0)
      duration = second->duration;
  }
  chapter_list_finalize (merged, duration);
  return merged;
}

static gboolean
chapters_equal (const GPtrArray * a, const GPtrArray * b)
{
  guint i;

  if (a->len != b->len)
    return FALSE;
  for (i = 0; i < a->len; i++) {
    const Chapter *x = g_ptr_array_index (a, i);
    const Chapter *y = g_ptr_array_index (b, i);

    if (x->start != y->start || x->end != y->end || x->hidden != y->hidden
        || g_strcmp0 (x->title, y->title) || g_strcmp0 (x->url, y->url)
        || g_strcmp0 (x->image_url, y->image_url)
        || g_strcmp0 (x->description, y->description)
        || (x->image == NULL) != (y->image == NULL)
        || !chapters_equal (x->children, y->children))
      return FALSE;
  }
  return TRUE;
}

gboolean
chapter_list_equal (const ChapterList * a, const ChapterList * b)
{
  if (a == NULL || b == NULL)
    return chapter_list_length (a) == chapter_list_length (b);
  return a->duration == b->duration && chapters_equal (a->chapters,
      b->chapters);
}

gint
chapter_list_find (const ChapterList * list, gint64 position)
{
  guint lo = 0, hi = chapter_list_length (list);
  const Chapter *chapter;

  /* last chapter whose start <= position */
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;

    if (chapter_list_get (list, mid)->start <= position)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == 0)
    return -1;
  chapter = chapter_list_get (list, lo - 1);
  /* an explicit end before the next start leaves a gap outside any chapter;
   * zero-length markers last until the next one */
  if (chapter->end > chapter->start && position >= chapter->end
      && lo < chapter_list_length (list))
    return -1;
  return (gint) lo - 1;
}

/* Case-folded, accent-stripped form of @text for loose comparison. */
static gchar *
fold_title (const gchar * text)
{
  g_autofree gchar *decomposed = NULL;
  g_autofree gchar *folded = NULL;
  GString *out;
  const gchar *p;

  if (text == NULL)
    return g_strdup ("");
  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  if (decomposed == NULL)
    return g_strdup ("");
  folded = g_utf8_casefold (decomposed, -1);
  out = g_string_sized_new (strlen (folded));
  for (p = folded; *p; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);
    GUnicodeType type = g_unichar_type (c);

    if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_ENCLOSING_MARK
        || type == G_UNICODE_SPACING_MARK)
      continue;
    g_string_append_unichar (out, c);
  }
  return g_strstrip (g_string_free (out, FALSE));
}

static gint
match_unique (const ChapterList * list, gchar ** folded, const gchar * query,
    gboolean prefix, GString * candidates)
{
  gint found = -1;
  guint i, count = 0;

  for (i = 0; i < chapter_list_length (list); i++) {
    gboolean hit = prefix ? g_str_has_prefix (folded[i], query)
        : strstr (folded[i], query) != NULL;

    if (!hit)
      continue;
    if (count++ == 0)
      found = i;
    if (candidates->len)
      g_string_append (candidates, ", ");
    g_string_append_printf (candidates, "%u \"%s\"", i + 1,
        chapter_list_get (list, i)->title);
  }
  if (count == 1)
    return found;
  return count == 0 ? -1 : -2;
}

gint
chapter_list_match_title (const ChapterList * list, const gchar * query,
    GError ** error)
{
  guint i, n = chapter_list_length (list);
  g_autofree gchar *fquery = NULL;
  gchar **folded;
  gint result = -1;
  g_autoptr (GString) candidates = g_string_new (NULL);

  g_return_val_if_fail (query != NULL, -1);

  for (i = 0; i < n; i++)
    if (g_strcmp0 (chapter_list_get (list, i)->title, query) == 0)
      return i;

  fquery = fold_title (query);
  folded = g_new0 (gchar *, n + 1);
  for (i = 0; i < n; i++)
    folded[i] = fold_title (chapter_list_get (list, i)->title);

  for (i = 0; i < n && result < 0; i++)
    if (*fquery && strcmp (folded[i], fquery) == 0)
      result = i;
  if (result < 0 && *fquery) {
    result = match_unique (list, folded, fquery, TRUE, candidates);
    if (result == -1)
      result = match_unique (list, folded, fquery, FALSE, candidates);
  }
  g_strfreev (folded);

  if (result == -2)
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_MATCH,
        "\"%s\" matches several chapters: %s", query, candidates->str);
  else if (result < 0)
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_MATCH,
        "no chapter title matches \"%s\"", query);
  return result < 0 ? -1 : result;
}

gint
chapter_list_resolve (const ChapterList * list, const gchar * spec,
    GError ** error)
{
  guint64 number;
  g_autofree gchar *trimmed = g_strstrip (g_strdup (spec));

  if (g_ascii_string_to_unsigned (trimmed, 10, 1, G_MAXINT, &number, NULL)) {
    if (number > chapter_list_length (list)) {
      g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_MATCH,
          "chapter %" G_GUINT64_FORMAT " does not exist (there are %u)",
          number, chapter_list_length (list));
      return -1;
    }
    return (gint) number - 1;
  }
  return chapter_list_match_title (list, trimmed, error);
}

gboolean
chapter_matches_spec (const ChapterList * list, guint index, const gchar * spec)
{
  g_autofree gchar *trimmed = g_strstrip (g_strdup (spec));
  guint64 number;
  const Chapter *chapter = chapter_list_get (list, index);

  if (*trimmed == '\0')
    return FALSE;
  if (g_ascii_string_to_unsigned (trimmed, 10, 1, G_MAXINT, &number, NULL))
    return number == index + 1;
  if (strpbrk (trimmed, "*?")) {
    g_autofree gchar *fpattern = fold_title (trimmed);
    g_autofree gchar *ftitle = fold_title (chapter->title);

    return g_pattern_match_simple (fpattern, ftitle);
  }
  return chapter_list_match_title (list, trimmed, NULL) == (gint) index;
}

/* Parses [-][[H:]M:]S[.fraction] (also ',' as decimal separator). The
 * leading field may exceed 59. */
gboolean
chapter_parse_clock (const gchar * text, gint64 * out_ns)
{
  const gchar *p = text;
  guint64 fields[3];
  guint n = 0;
  gint64 ns, frac = 0;
  gboolean negative = FALSE;

  while (g_ascii_isspace (*p))
    p++;
  if (*p == '-') {
    negative = TRUE;
    p++;
  }
  if (!g_ascii_isdigit (*p))
    return FALSE;
  for (;;) {
    guint64 value = 0;
    guint digits = 0;

    while (g_ascii_isdigit (*p)) {
      if (++digits > 12)
        return FALSE;
      value = value * 10 + (*p++ - '0');
    }
    if (digits == 0 || n == 3)
      return FALSE;
    fields[n++] = value;
    if (*p != ':')
      break;
    p++;
  }
  if (*p == '.' || *p == ',') {
    gint64 scale = G_GINT64_CONSTANT (100000000);

    p++;
    if (!g_ascii_isdigit (*p))
      return FALSE;
    while (g_ascii_isdigit (*p)) {
      frac += (*p++ - '0') * scale;
      scale /= 10;
    }
  }
  while (g_ascii_isspace (*p))
    p++;
  if (*p)
    return FALSE;
  /* only the leading field may run past 59 */
  if (n >= 2 && fields[n - 1] > 59)
    return FALSE;
  if (n == 3 && fields[1] > 59)
    return FALSE;

  ns = 0;
  for (guint i = 0; i < n; i++) {
    if (fields[i] > G_MAXINT64 / G_GINT64_CONSTANT (60000000000000))
      return FALSE;
    ns = ns * 60 + (gint64) fields[i];
  }
  ns = ns * G_GINT64_CONSTANT (1000000000) + frac;
  *out_ns = negative ? -ns : ns;
  return TRUE;
}

gchar *
chapter_format_clock (gint64 ns, gboolean always_hours)
{
  gint64 ms = (ns + 500000) / 1000000;
  gint64 h = ms / 3600000, m = (ms / 60000) % 60, s = (ms / 1000) % 60;

  if (ns < 0)
    return g_strdup ("-");
  if (h > 0 || always_hours)
    return g_strdup_printf ("%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT
        ":%02" G_GINT64_FORMAT ".%03" G_GINT64_FORMAT, h, m, s, ms % 1000);
  return g_strdup_printf ("%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT
      ".%03" G_GINT64_FORMAT, m, s, ms % 1000);
}
