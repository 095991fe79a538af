/* CUE sheets: one chapter per TRACK, starting at its INDEX 01. */
#include "chapter-format.h"

#include <string.h>

#define CUE_FRAMES_PER_SECOND 75

static guint
cue_sniff (const guint8 * data, gsize size)
{
  gsize n = MIN (size, 65536);
  const gchar *text = (const gchar *) data;
  gboolean track = FALSE, index = FALSE, file = FALSE;
  gsize i;

  /* CUE keywords are ASCII in any of the encodings we read, except UTF-16 */
  if (size >= 2 && (data[0] == 0xff || data[0] == 0xfe || data[1] == 0)) {
    g_autofree gchar *utf8 = chapter_text_to_utf8 (data, n, &n, NULL);

    return utf8 ? cue_sniff ((const guint8 *) utf8, n) : 0;
  }
  for (i = 0; i < n; i++) {
    if (i && text[i - 1] != '\n' && text[i - 1] != '\r' && text[i - 1] != ' '
        && text[i - 1] != '\t')
      continue;
    if (n - i > 6 && !strncmp (text + i, "TRACK ", 6))
      track = TRUE;
    else if (n - i > 6 && !strncmp (text + i, "INDEX ", 6))
      index = TRUE;
    else if (n - i > 5 && !strncmp (text + i, "FILE ", 5))
      file = TRUE;
  }
  return track && index ? (file ? 90 : 70) : 0;
}

/* A CUE argument: "quoted text" or a bare word. Advances *p. */
static gchar *
next_arg (const gchar ** p)
{
  const gchar *s = *p, *e;

  while (*s == ' ' || *s == '\t')
    s++;
  if (*s == '"') {
    s++;
    e = strchr (s, '"');
    if (e == NULL)
      e = s + strlen (s);
    *p = *e ? e + 1 : e;
  } else {
    e = s;
    while (*e && *e != ' ' && *e != '\t')
      e++;
    *p = e;
  }
  return chapter_text_clean (s, e - s);
}

static gboolean
parse_msf (const gchar * text, gint64 * ns)
{
  guint64 m, s, f;
  gchar **parts = g_strsplit (text, ":", -1);
  gboolean ok = g_strv_length (parts) == 3
      && g_ascii_string_to_unsigned (parts[0], 10, 0, 100000, &m, NULL)
      && g_ascii_string_to_unsigned (parts[1], 10, 0, 59, &s, NULL)
      && g_ascii_string_to_unsigned (parts[2], 10, 0, 74, &f, NULL);

  g_strfreev (parts);
  if (ok)
    *ns = (gint64) ((m * 60 + s) * CUE_FRAMES_PER_SECOND + f) *
        G_GINT64_CONSTANT (1000000000) / CUE_FRAMES_PER_SECOND;
  return ok;
}

static ChapterList *
cue_read (const guint8 * data, gsize size, const ChapterReadContext * ctx,
    GError ** error)
{
  g_autofree gchar *text = NULL, *album_performer = NULL;
  ChapterLineReader reader;
  gchar *line;
  gsize len;
  ChapterList *list;
  Chapter *track = NULL;
  guint files = 0, track_line = 0;
  gboolean have_index01 = FALSE, ignoring = FALSE;

  text = chapter_text_to_utf8 (data, size, &len, error);
  if (text == NULL)
    return NULL;
  list = chapter_list_new ();
  chapter_line_reader_init (&reader, text, len);

#define FINISH_TRACK() G_STMT_START {                                      \
    if (track && !have_index01) {                                           \
      chapter_list_warn (list, "line %u: TRACK without INDEX 01, skipped",  \
          track_line);                                                      \
      g_ptr_array_remove (list->chapters, track);                           \
    } else if (track && !track->performer && album_performer) {             \
      track->performer = g_strdup (album_performer);                        \
    }                                                                       \
    track = NULL;                                                           \
  } G_STMT_END

  while ((line = chapter_line_reader_next (&reader))) {
    g_autofree gchar *owned = line;
    g_autofree gchar *keyword = NULL;
    const gchar *p = line;

    keyword = next_arg (&p);
    if (g_ascii_strcasecmp (keyword, "FILE") == 0) {
      if (++files == 2) {
        FINISH_TRACK ();
        chapter_list_warn (list, "line %u: a second FILE; chapters are read "
            "for the first file only", reader.number);
        ignoring = TRUE;
      }
    } else if (ignoring) {
      continue;
    } else if (g_ascii_strcasecmp (keyword, "TRACK") == 0) {
      g_autofree gchar *number = next_arg (&p);

      FINISH_TRACK ();
      if (chapter_list_length (list) >= CHAPTER_MAX_COUNT) {
        chapter_list_warn (list, "line %u: more than %d tracks, rest ignored",
            reader.number, CHAPTER_MAX_COUNT);
        break;
      }
      track = chapter_new (0, NULL);
      track->uid = g_strdup_printf ("track-%s", number);
      track->source = "cue";
      track_line = reader.number;
      have_index01 = FALSE;
      chapter_list_add (list, track);
    } else if (g_ascii_strcasecmp (keyword, "INDEX") == 0 && track) {
      g_autofree gchar *number = next_arg (&p);
      g_autofree gchar *msf = next_arg (&p);
      gint64 ns;

      if (!parse_msf (msf, &ns)) {
        chapter_list_warn (list, "line %u: INDEX time \"%s\" is not "
            "mm:ss:ff", reader.number, msf);
      } else if (strtol (number, NULL, 10) == 1) {
        track->start = ns;
        have_index01 = TRUE;
      }
    } else if (g_ascii_strcasecmp (keyword, "TITLE") == 0) {
      g_autofree gchar *title = next_arg (&p);

      if (track) {
        g_free (track->title);
        track->title = g_steal_pointer (&title);
      }
    } else if (g_ascii_strcasecmp (keyword, "PERFORMER") == 0) {
      gchar *performer = next_arg (&p);

      if (track) {
        g_free (track->performer);
        track->performer = performer;
      } else {
        g_free (album_performer);
        album_performer = performer;
      }
    }
  }
  FINISH_TRACK ();
#undef FINISH_TRACK

  if (chapter_list_length (list) == 0) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_EMPTY,
        "CUE sheet has no TRACK with an INDEX 01");
    chapter_list_free (list);
    return NULL;
  }
  return list;
}

static void
append_quoted (GString * out, const gchar * keyword, const gchar * value,
    const gchar * indent)
{
  g_autofree gchar *clean = g_strdup (value);

  /* CUE has no escapes: a double quote would end the string */
  g_strdelimit (clean, "\"", '\'');
  g_strdelimit (clean, "\r\n", ' ');
  g_string_append_printf (out, "%s%s \"%s\"\n", indent, keyword, clean);
}

static gchar *
cue_write (const ChapterList * list)
{
  GString *out = g_string_new (NULL);
  guint i;

  g_string_append (out, "FILE \"episode\" MP3\n");
  for (i = 0; i < chapter_list_length (list); i++) {
    const Chapter *c = chapter_list_get (list, i);
    gint64 frames = (c->start * CUE_FRAMES_PER_SECOND + 500000000) /
        G_GINT64_CONSTANT (1000000000);

    g_string_append_printf (out, "  TRACK %02u AUDIO\n", i + 1);
    if (c->title)
      append_quoted (out, "TITLE", c->title, "    ");
    if (c->performer)
      append_quoted (out, "PERFORMER", c->performer, "    ");
    g_string_append_printf (out, "    INDEX 01 %02" G_GINT64_FORMAT ":%02"
        G_GINT64_FORMAT ":%02" G_GINT64_FORMAT "\n",
        frames / (60 * CUE_FRAMES_PER_SECOND),
        frames / CUE_FRAMES_PER_SECOND % 60, frames % CUE_FRAMES_PER_SECOND);
  }
  return g_string_free (out, FALSE);
}

const ChapterFormat chapter_format_cue = {
  "cue", "CUE sheet", cue_sniff, cue_read, cue_write,
};
