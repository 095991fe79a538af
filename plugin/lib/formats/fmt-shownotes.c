/* Show notes and descriptions in Markdown, HTML or plain text: the chapter
 * list among everything else a page says. Lines in the forms of
 * stamp-line.c make runs of ascending times; the list is the run under a
 * heading such as "Chapters" or "Timestamps", else the longest run that
 * starts near the beginning of the episode. Times that are not a list (a
 * publication time, opening hours, one stray time, a transcript, an
 * agenda) give no chapters. The run-together form of episode pages,
 * "1:00Defining World Models: An introduction ...4:20Early Use Cases: ...",
 * is read when no list is found. */
#include "chapter-format.h"
#include "chapter-xml.h"

#include <string.h>

/* A list that does not start under a heading must start this early. */
#define SECOND_NS G_GINT64_CONSTANT (1000000000)
#define UNHEADED_FIRST_MAX (15 * 60 * SECOND_NS)
/* ... and one with its times after the titles earlier still. */
#define TRAILING_FIRST_MAX (60 * SECOND_NS)
/* Lines of other text a list may hold between two of its entries. */
#define MAX_GAP_LINES 3

typedef enum
{
  HEADING_NONE,                 /* not a heading */
  HEADING_OTHER,                /* a heading of another section */
  HEADING_CHAPTERS,
  HEADING_NOT_CHAPTERS,         /* a transcript, an agenda, opening hours */
} Heading;

/* "## Chapters", "**Timestamps:**", "⏱ Kapitel", "<h2>Chapitres</h2>". */
static Heading
classify_heading (const gchar * line)
{
  static const gchar *const chapters[] = { "chapters", "chapter", "chapter "
        "markers", "chapter list", "episode chapters", "timestamps",
    "timestamp", "time stamps", "time stamp", "timecodes", "time codes",
    "episode timestamps", "show timestamps", "podcast chapters", "sections",
    "in this episode", "topics", "episode topics", "table of contents",
    "contents", "outline", "kapitel", "kapitelmarken", "zeitstempel",
    "inhalt", "chapitres", "horodatages", "sommaire", "capítulos",
    "capitulos", "marcas de tiempo", "índice", "capitoli", "indice",
    "hoofdstukken", "tijdstempels", "rozdziały", "главы", "таймкоды", NULL
  };
  static const gchar *const not_chapters[] = { "transcript", "full "
        "transcript", "episode transcript", "transcription", "transkript",
    "transcripción", "agenda", "schedule", "program", "programme", "opening "
        "hours", "hours", "business hours", "timetable", "lineup", "line up",
    "öffnungszeiten", "fahrplan", "tagesordnung", "horaires", "horario",
    "event schedule", "tour dates", NULL
  };
  g_autofree gchar *lower = NULL;
  g_autoptr (GString) words = g_string_new (NULL);
  gboolean marked = FALSE;
  const gchar *p;
  guint i;

  for (p = line; *p == ' ' || *p == '\t'; p++);
  marked = *p == '#';
  lower = g_utf8_strdown (p, -1);
  /* letters and single spaces only: no emoji, marks or colons */
  for (p = lower; *p; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);

    if (g_unichar_isalpha (c))
      g_string_append_unichar (words, c);
    else if (g_unichar_isdigit (c))
      return marked ? HEADING_OTHER : HEADING_NONE;
    else if (words->len && words->str[words->len - 1] != ' '
        && (c == ' ' || c == '\t' || c == '-'))
      g_string_append_c (words, ' ');
  }
  g_strchomp (words->str);
  for (i = 0; chapters[i]; i++)
    if (!strcmp (words->str, chapters[i]))
      return HEADING_CHAPTERS;
  for (i = 0; not_chapters[i]; i++)
    if (!strcmp (words->str, not_chapters[i]))
      return HEADING_NOT_CHAPTERS;
  return marked ? HEADING_OTHER : HEADING_NONE;
}

typedef struct
{
  GArray *entries;              /* of ChapterStampLine */
  Heading heading;              /* the heading it is under */
  guint line;                   /* where it starts */
} Run;

static void
run_clear (Run * run)
{
  guint i;

  for (i = 0; run->entries && i < run->entries->len; i++)
    chapter_stamp_line_clear (&g_array_index (run->entries, ChapterStampLine,
            i));
  g_clear_pointer (&run->entries, g_array_unref);
}

static ChapterStampLine *
run_last (Run * run)
{
  return &g_array_index (run->entries, ChapterStampLine,
      run->entries->len - 1);
}

/* Why a run is no chapter list, or NULL when it is one. */
static const gchar *
run_refusal (Run * run)
{
  const ChapterStampLine *first = &g_array_index (run->entries,
      ChapterStampLine, 0);
  guint i;

  if (run->heading == HEADING_NOT_CHAPTERS)
    return "it is under a heading of times that are no chapters (a "
        "transcript, an agenda, opening hours)";
  if (run->entries->len < 2)
    return "a single time is no list";
  for (i = 0; i + 1 < run->entries->len; i++) {
    const ChapterStampLine *a = &g_array_index (run->entries,
        ChapterStampLine, i);
    const ChapterStampLine *b = a + 1;

    /* opening hours and schedules have gaps: "9:00-12:00, 13:00-17:00" */
    if (a->form == CHAPTER_STAMP_RANGE && ABS (a->end - b->start) > SECOND_NS)
      return "its time ranges do not follow one another";
  }
  if (run->heading != HEADING_CHAPTERS && first->start >
      (first->form == CHAPTER_STAMP_TRAILING ? TRAILING_FIRST_MAX :
          UNHEADED_FIRST_MAX))
    return "its first time is not near the start and no heading names it";
  return NULL;
}

static ChapterList *
list_from_run (Run * run)
{
  ChapterList *list = chapter_list_new ();
  guint i;

  for (i = 0; i < run->entries->len && i < CHAPTER_MAX_COUNT; i++) {
    ChapterStampLine *e = &g_array_index (run->entries, ChapterStampLine, i);
    Chapter *chapter = chapter_new (e->start, NULL);

    chapter->source = "shownotes";
    chapter->title = g_steal_pointer (&e->title);
    chapter->url = g_steal_pointer (&e->url);
    if (e->form == CHAPTER_STAMP_RANGE)
      chapter->end = e->end;
    chapter_split_description (chapter);
    chapter_list_add (list, chapter);
  }
  return list;
}

/* The runs of ascending list lines in @text, each with the heading it is
 * under. */
static GArray *
find_runs (const gchar * text, guint * stamp_lines)
{
  GArray *runs = g_array_new (FALSE, TRUE, sizeof (Run));
  ChapterLineReader reader;
  Heading heading = HEADING_NONE;
  Run run = { NULL, HEADING_NONE, 0 };
  guint gap = 0;
  gchar *line;

  chapter_line_reader_init (&reader, text, strlen (text));
  while ((line = chapter_line_reader_next (&reader))) {
    g_autofree gchar *owned = line;
    ChapterStampLine entry;
    Heading h;

    if (*g_strstrip (line) == '\0')
      continue;
    /* (a time with nothing after it is no entry) */
    if (chapter_stamp_line_parse (line, &entry) && entry.title) {
      gboolean trailing = entry.form == CHAPTER_STAMP_TRAILING;

      (*stamp_lines)++;
      if (run.entries && (gap > MAX_GAP_LINES || entry.start <=
              run_last (&run)->start || trailing !=
              (run_last (&run)->form == CHAPTER_STAMP_TRAILING)
              || run.entries->len >= CHAPTER_MAX_COUNT)) {
        g_array_append_val (runs, run);
        run.entries = NULL;
      }
      if (run.entries == NULL) {
        run.entries = g_array_new (FALSE, FALSE, sizeof (ChapterStampLine));
        run.heading = heading;
        run.line = reader.number;
      }
      g_array_append_val (run.entries, entry);
      gap = 0;
      continue;
    }
    chapter_stamp_line_clear (&entry);
    h = classify_heading (line);
    if (h != HEADING_NONE) {
      heading = h;
      gap = MAX_GAP_LINES + 1;
    } else {
      gap++;
    }
  }
  if (run.entries)
    g_array_append_val (runs, run);
  return runs;
}

/* The chapter list among the runs: the longest under a chapters heading,
 * else the longest run (the first of equals) if it starts near the
 * start. */
static ChapterList *
find_list (const gchar * text, GString * why)
{
  guint stamp_lines = 0, i;
  g_autoptr (GArray) runs = find_runs (text, &stamp_lines);
  Run *best = NULL;
  ChapterList *list = NULL;

  for (i = 0; i < runs->len; i++) {
    Run *run = &g_array_index (runs, Run, i);
    gboolean headed = run->heading == HEADING_CHAPTERS;

    if (run_refusal (run))
      continue;
    if (best == NULL || (headed && best->heading != HEADING_CHAPTERS)
        || (headed == (best->heading == HEADING_CHAPTERS)
            && run->entries->len > best->entries->len))
      best = run;
  }
  if (best)
    list = list_from_run (best);
  else if (runs->len) {
    /* say why the longest was refused */
    Run *longest = &g_array_index (runs, Run, 0);

    for (i = 1; i < runs->len; i++)
      if (g_array_index (runs, Run, i).entries->len > longest->entries->len)
        longest = &g_array_index (runs, Run, i);
    g_string_printf (why, "%u line%s with a time, the longest list of "
        "ascending times (line %u, %u time%s) is no chapter list: %s",
        stamp_lines, stamp_lines == 1 ? "" : "s", longest->line,
        longest->entries->len, longest->entries->len == 1 ? "" : "s",
        run_refusal (longest));
  }
  for (i = 0; i < runs->len; i++)
    run_clear (&g_array_index (runs, Run, i));
  return list;
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

/* The run-together form: each time glued to its title, at a line start or
 * right after the end of the sentence before it. */
static ChapterList *
find_run_together (const gchar * text)
{
  static gsize regex_once;
  static GRegex *stamp_regex;
  const gchar *section = text;
  g_autoptr (GMatchInfo) match = NULL;
  g_autoptr (GArray) starts = g_array_new (FALSE, FALSE, sizeof (gint));
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (gint64));
  ChapterList *list;
  guint i;

  if (g_once_init_enter (&regex_once)) {
    stamp_regex = g_regex_new ("((?:\\d{1,3}:)?\\d{1,2}:\\d{2})(?=\\p{Lu})",
        G_REGEX_OPTIMIZE, 0, NULL);
    g_once_init_leave (&regex_once, 1);
  }
  /* after a heading that names the list, when there is one */
  {
    ChapterLineReader reader;
    gchar *line;

    chapter_line_reader_init (&reader, text, strlen (text));
    while ((line = chapter_line_reader_next (&reader))) {
      Heading h = classify_heading (g_strstrip (line));

      g_free (line);
      if (h == HEADING_CHAPTERS) {
        section = reader.pos;
        break;
      }
    }
  }

  g_regex_match (stamp_regex, section, 0, &match);
  while (g_match_info_matches (match)) {
    gint s, e;
    g_autofree gchar *stamp = g_match_info_fetch (match, 1);
    gint64 ns;

    g_match_info_fetch_pos (match, 0, &s, &e);
    if (s > 0 && (g_ascii_isdigit (section[s - 1]) || section[s - 1] == ':'))
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
  if (times->len < 2)
    return NULL;

  list = chapter_list_new ();
  for (i = 0; i < times->len; i++) {
    gint from = g_array_index (starts, gint, 2 * i + 1);
    gint to = i + 1 < times->len ? g_array_index (starts, gint, 2 * i + 2) :
        (gint) strlen (section);
    const gchar *seg = section + from, *eol, *colon;
    g_autofree gchar *segment = NULL;
    Chapter *chapter;

    eol = memchr (seg, '\n', to - from);
    segment = g_strndup (seg, eol ? eol - seg : section + to - seg);
    g_strstrip (segment);
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

/* Entities decoded first (Markdown and plain text carry them too, and a
 * feed's description may hold escaped HTML), then HTML as text. */
static gchar *
notes_to_text (const gchar * text, gsize len)
{
  gchar *plain, *nbsp;

  if (chapter_text_looks_like_html (text))
    plain = chapter_html_to_text (text, len);
  else {
    g_autoptr (GString) decoded = g_string_sized_new (len);

    chapter_append_unescaped (decoded, text, len);
    if (chapter_text_looks_like_html (decoded->str))
      plain = chapter_html_to_text (decoded->str, decoded->len);
    else
      plain = g_string_free (g_steal_pointer (&decoded), FALSE);
  }
  /* no-break spaces (&nbsp;) separate like spaces */
  while ((nbsp = strstr (plain, "\xc2\xa0")))
    memcpy (nbsp, "  ", 2);
  return plain;
}

/* For the feed reader too: the chapters in an item's description. */
ChapterList *
chapter_shownotes_read_text (const gchar * notes, gsize len, GError ** error)
{
  g_autofree gchar *text = notes_to_text (notes, len);
  g_autoptr (GString) why = g_string_new (NULL);
  ChapterList *list;

  list = find_list (text, why);
  if (list == NULL)
    list = find_run_together (text);
  if (list == NULL) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_EMPTY,
        "no chapter list found: %s", why->len ? why->str : "no line starts "
        "or ends with a chapter time such as 0:00 or 1:02:03 (times of day "
        "such as 10:30 am or 9:00 UTC, and 3:1 or 9:99, are none)");
    return NULL;
  }
  list->duration = find_duration (text);
  return list;
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
  gsize len;

  text = chapter_text_to_utf8 (data, size, &len, error);
  if (text == NULL)
    return NULL;
  return chapter_shownotes_read_text (text, len, error);
}

const ChapterFormat chapter_format_shownotes = {
  "shownotes", "show notes (Markdown, HTML or text with timestamps)",
  shownotes_sniff, shownotes_read, NULL,
};
