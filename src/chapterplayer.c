/* chapterplayer: a terminal player that shows the current chapter.
 *
 *   chapterplayer [--chapter N|TITLE] [--chapters SRC] [--list] [--no-audio]
 *                 [--play-for SECONDS] MEDIA
 *
 * Keys: n/p next/previous chapter, space pause, 1-9 jump, / search a title,
 * q quit. Without a terminal it prints plain lines, and (unless told how
 * long) plays a few seconds and quits. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "chapter-player.h"

#define NON_TTY_PLAY_FOR 5.0
#define SKIP_BACK (15 * GST_SECOND)
#define SKIP_FORWARD (30 * GST_SECOND)

typedef struct
{
  ChapterPlayer *player;
  GMainLoop *loop;
  gboolean tty_in, tty_out;
  struct termios saved;
  gboolean raw;
  GString *search;              /* non-NULL while typing a search */
  gchar *status_note;           /* a short message on the status line */
  gint64 note_until;
  gint escape;                  /* 1: after Esc, 2: after Esc [ */
  gint exit_code;
} App;

static void
restore_terminal (App * app)
{
  if (app->raw) {
    tcsetattr (STDIN_FILENO, TCSANOW, &app->saved);
    app->raw = FALSE;
  }
  if (app->tty_out)
    fputs ("\n", stdout);
}

static void
raw_terminal (App * app)
{
  struct termios raw;

  if (tcgetattr (STDIN_FILENO, &app->saved) != 0)
    return;
  raw = app->saved;
  raw.c_lflag &= ~(ICANON | ECHO);
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  if (tcsetattr (STDIN_FILENO, TCSANOW, &raw) == 0)
    app->raw = TRUE;
}

static gchar *
clock_text (gint64 ns)
{
  gint64 s;

  if (ns < 0)
    return g_strdup ("--:--");
  s = ns / GST_SECOND;
  if (s >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ":%02"
        G_GINT64_FORMAT, s / 3600, s / 60 % 60, s % 60);
  return g_strdup_printf ("%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
      s / 60, s % 60);
}

static const gchar *
current_title (App * app)
{
  const ChapterList *list = chapter_player_get_chapters (app->player);
  gint index = chapter_player_get_current (app->player);

  if (index < 0 || (guint) index >= chapter_list_length (list))
    return NULL;
  return chapter_list_get (list, index)->title;
}

static void
print_list (App * app)
{
  const ChapterList *list = chapter_player_get_chapters (app->player);
  guint i;

  if (chapter_list_length (list) == 0) {
    g_print ("No chapters.\n");
    return;
  }
  g_print ("Chapters:\n");
  for (i = 0; i < chapter_list_length (list); i++) {
    const Chapter *c = chapter_list_get (list, i);
    g_autofree gchar *start = clock_text (c->start);

    if (c->hidden)
      continue;
    g_print ("  %2u  %8s  %s\n", i + 1, start, c->title ? c->title : "");
  }
}

/* The status line, redrawn in place. */
static void
draw_status (App * app)
{
  gint64 position = chapter_player_get_position (app->player);
  gint64 duration = chapter_player_get_duration (app->player);
  const ChapterList *list = chapter_player_get_chapters (app->player);
  gint index = chapter_player_get_current (app->player);
  const gchar *title = current_title (app);
  g_autofree gchar *pos = clock_text (position);
  g_autofree gchar *dur = clock_text (duration);
  g_autofree gchar *line = NULL;
  struct winsize ws;
  gchar bar[21];
  guint filled = 0, i;

  if (!app->tty_out)
    return;
  if (duration > 0 && position >= 0)
    filled = MIN (20, (guint) (position * 20 / duration));
  for (i = 0; i < 20; i++)
    bar[i] = i < filled ? '#' : '-';
  bar[20] = '\0';

  if (app->search) {
    line = g_strdup_printf ("Search title: %s", app->search->str);
  } else {
    g_autofree gchar *chapter = index >= 0 ?
        g_strdup_printf ("%d/%u", index + 1, chapter_list_length (list)) :
        g_strdup ("-");

    gdouble rate = chapter_player_get_rate (app->player);
    g_autofree gchar *speed = rate != 1.0 ? g_strdup_printf ("  %gx", rate) :
        g_strdup ("");

    line = g_strdup_printf ("%s %s  %s  %s / %s  [%s]%s%s%s",
        chapter_player_is_playing (app->player) ? ">" : "||", chapter,
        title ? title : "(no chapter)", pos, dur, bar, speed,
        app->status_note ? "  " : "",
        app->status_note ? app->status_note : "");
  }
  /* one terminal line, or the redraw in place would leave lines behind */
  if (ioctl (STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1
      && g_utf8_strlen (line, -1) >= ws.ws_col)
    *g_utf8_offset_to_pointer (line, ws.ws_col - 1) = '\0';
  printf ("\r\033[K%s", line);
  fflush (stdout);
}

static void
note (App * app, const gchar * text)
{
  g_free (app->status_note);
  app->status_note = g_strdup (text);
  app->note_until = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  if (!app->tty_out)
    g_print ("%s\n", text);
  draw_status (app);
}

static void
on_chapters_changed (ChapterPlayer * player, App * app)
{
  if (app->tty_out)
    printf ("\r\033[K");
  print_list (app);
  draw_status (app);
}

static void
on_chapter_changed (ChapterPlayer * player, gint index, App * app)
{
  const gchar *title = current_title (app);

  if (!app->tty_out) {
    g_autofree gchar *pos = clock_text (chapter_player_get_position (player));

    if (title)
      g_print ("[%s] Chapter %d: %s\n", pos, index + 1, title);
    else
      g_print ("[%s] (no chapter)\n", pos);
    fflush (stdout);
  }
  draw_status (app);
}

static void
on_position (ChapterPlayer * player, gint64 position, App * app)
{
  if (app->status_note && g_get_monotonic_time () > app->note_until)
    g_clear_pointer (&app->status_note, g_free);
  draw_status (app);
}

static void
on_warning (ChapterPlayer * player, const gchar * message, App * app)
{
  if (app->tty_out)
    printf ("\r\033[K");
  g_printerr ("Warning: %s\n", message);
  draw_status (app);
}

static void
on_error (ChapterPlayer * player, const gchar * message, App * app)
{
  if (app->tty_out)
    printf ("\r\033[K");
  g_printerr ("Error: %s\n", message);
  app->exit_code = 1;
  g_main_loop_quit (app->loop);
}

static void
on_eos (ChapterPlayer * player, App * app)
{
  g_main_loop_quit (app->loop);
}

static void
run_search (App * app)
{
  GError *error = NULL;
  g_autofree gchar *query = g_string_free (app->search, FALSE);

  app->search = NULL;
  if (*g_strstrip (query) == '\0')
    return;
  if (!chapter_player_seek_title (app->player, query, &error)) {
    note (app, error ? error->message : "no such chapter");
    g_clear_error (&error);
  }
}

static gboolean
on_key (GIOChannel * channel, GIOCondition condition, gpointer data)
{
  App *app = data;
  gchar c;
  gsize n = 0;

  if (condition & (G_IO_HUP | G_IO_ERR)
      || g_io_channel_read_chars (channel, &c, 1, &n, NULL) !=
      G_IO_STATUS_NORMAL || n == 0)
    return G_SOURCE_REMOVE;

  if (app->search) {
    if (c == '\n' || c == '\r')
      run_search (app);
    else if (c == 27)           /* Esc */
      g_string_free (g_steal_pointer (&app->search), TRUE);
    else if (c == 127 || c == 8) {
      if (app->search->len)
        g_string_truncate (app->search, app->search->len - 1);
    } else if ((guchar) c >= 32)
      g_string_append_c (app->search, c);
    draw_status (app);
    return G_SOURCE_CONTINUE;
  }

  /* the arrow keys: Esc [ C (right) and Esc [ D (left) */
  if (app->escape == 0 && c == 27) {
    app->escape = 1;
    return G_SOURCE_CONTINUE;
  }
  if (app->escape == 1) {
    app->escape = c == '[' ? 2 : 0;
    return G_SOURCE_CONTINUE;
  }
  if (app->escape == 2) {
    app->escape = 0;
    c = c == 'C' ? 'f' : c == 'D' ? 'b' : 0;
  }

  switch (c) {
    case 'b':
      chapter_player_skip (app->player, -SKIP_BACK);
      break;
    case 'f':
      chapter_player_skip (app->player, SKIP_FORWARD);
      break;
    case '[':
    case ']':
      chapter_player_step_rate (app->player, c == ']' ? 1 : -1);
      break;
    case '=':
      chapter_player_set_rate (app->player, 1.0);
      break;
    case 'q':
    case 'Q':
      g_main_loop_quit (app->loop);
      break;
    case ' ':
      chapter_player_toggle (app->player);
      break;
    case 'n':
      if (!chapter_player_next (app->player))
        note (app, "no next chapter");
      break;
    case 'p':
      chapter_player_previous (app->player);
      break;
    case '/':
      app->search = g_string_new (NULL);
      break;
    default:
      if (c >= '1' && c <= '9' && !chapter_player_seek_chapter (app->player,
              c - '0'))
        note (app, "no such chapter");
      break;
  }
  draw_status (app);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_play_for (gpointer data)
{
  App *app = data;

  g_main_loop_quit (app->loop);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  gchar *chapter = NULL, *chapters = NULL;
  gboolean list_only = FALSE, no_audio = FALSE, no_resume = FALSE;
  gdouble play_for = -1, speed = 1.0;
  GOptionEntry entries[] = {
    {"chapter", 'c', 0, G_OPTION_ARG_STRING, &chapter,
        "Start in this chapter (number or title, any case)", "N|TITLE"},
    {"chapters", 0, 0, G_OPTION_ARG_STRING, &chapters,
        "Chapters from this file or URL (any supported format)", "SRC"},
    {"list", 'l', 0, G_OPTION_ARG_NONE, &list_only,
        "Print the chapter list and quit", NULL},
    {"no-audio", 0, 0, G_OPTION_ARG_NONE, &no_audio,
        "Play in real time into a fake sink", NULL},
    {"play-for", 0, 0, G_OPTION_ARG_DOUBLE, &play_for,
        "Quit after playing this long", "SECONDS"},
    {"speed", 's', 0, G_OPTION_ARG_DOUBLE, &speed,
        "Play at this speed, the pitch kept (0.5 to 3)", "RATE"},
    {"no-resume", 0, 0, G_OPTION_ARG_NONE, &no_resume,
        "Start from the beginning and do not keep the position", NULL},
    {NULL}
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("MEDIA");
  ChapterPlayerOptions options = { NULL, };
  GError *error = NULL;
  App app = { NULL, };
  GIOChannel *channel = NULL;

  setlocale (LC_ALL, "");
  g_option_context_set_summary (ctx, "Play MEDIA (a file or an http(s) URL) "
      "showing the current chapter; an episode opened again goes on where it "
      "was left.\n\nKeys: n/p next/previous chapter, space pause, 1-9 jump "
      "to a chapter,\nb or Left back 15 s, f or Right forward 30 s, [ ] "
      "slower/faster, = normal speed,\n/ search a title, q quit.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 2) {
    g_printerr ("chapterplayer: %s\n", error ? error->message :
        "expected one MEDIA (see --help)");
    g_clear_error (&error);
    return 2;
  }
  if (!chapter_player_init_gst (&error)) {
    g_printerr ("chapterplayer: %s\n", error->message);
    return 1;
  }

  options.media = argv[1];
  options.chapters = chapters;
  options.start_chapter = chapter;
  options.no_audio = no_audio || list_only;
  options.no_resume = no_resume || list_only;
  if (speed < CHAPTER_PLAYER_MIN_RATE || speed > CHAPTER_PLAYER_MAX_RATE) {
    g_printerr ("chapterplayer: --speed %g: the speed goes from %g to %g\n",
        speed, CHAPTER_PLAYER_MIN_RATE, CHAPTER_PLAYER_MAX_RATE);
    return 2;
  }
  app.tty_in = isatty (STDIN_FILENO);
  app.tty_out = isatty (STDOUT_FILENO) && !list_only;
  app.player = chapter_player_new (&options, &error);
  if (app.player == NULL) {
    g_printerr ("chapterplayer: %s\n", error->message);
    return 1;
  }
  app.loop = g_main_loop_new (NULL, FALSE);

  if (list_only) {
    /* wait for the chapters: preroll, plus a fetch or container read */
    GstElement *pipeline = chapter_player_get_pipeline (app.player);
    gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;

    g_signal_connect (app.player, "error", G_CALLBACK (on_error), &app);
    gst_element_get_state (pipeline, NULL, NULL, 10 * GST_SECOND);
    while (g_get_monotonic_time () < deadline && app.exit_code == 0) {
      g_main_context_iteration (NULL, FALSE);
      if (chapter_list_length (chapter_player_get_chapters (app.player)) > 0)
        break;
      g_usleep (10000);
    }
    print_list (&app);
    g_object_unref (app.player);
    return app.exit_code;
  }

  g_signal_connect (app.player, "chapters-changed",
      G_CALLBACK (on_chapters_changed), &app);
  g_signal_connect (app.player, "chapter-changed",
      G_CALLBACK (on_chapter_changed), &app);
  g_signal_connect (app.player, "position-changed",
      G_CALLBACK (on_position), &app);
  g_signal_connect (app.player, "warning", G_CALLBACK (on_warning), &app);
  g_signal_connect (app.player, "error", G_CALLBACK (on_error), &app);
  g_signal_connect (app.player, "eos", G_CALLBACK (on_eos), &app);

  if (app.tty_in) {
    raw_terminal (&app);
    channel = g_io_channel_unix_new (STDIN_FILENO);
    g_io_channel_set_encoding (channel, NULL, NULL);
    g_io_add_watch (channel, G_IO_IN | G_IO_HUP | G_IO_ERR, on_key, &app);
  } else if (play_for < 0) {
    play_for = NON_TTY_PLAY_FOR;
  }
  if (play_for >= 0)
    g_timeout_add ((guint) (play_for * 1000), on_play_for, &app);

  g_print ("Playing %s%s%s%s\n", argv[1], chapter ? " from \"" : "",
      chapter ? chapter : "", chapter ? "\"" : "");
  chapter_player_set_rate (app.player, speed);
  chapter_player_play (app.player);
  g_main_loop_run (app.loop);

  restore_terminal (&app);
  if (!app.tty_out && current_title (&app))
    g_print ("Stopped in chapter %d: %s\n",
        chapter_player_get_current (app.player) + 1, current_title (&app));
  chapter_player_stop (app.player);
  g_object_unref (app.player);
  if (channel)
    g_io_channel_unref (channel);
  g_main_loop_unref (app.loop);
  g_free (app.status_note);
  g_free (chapter);
  g_free (chapters);
  return app.exit_code;
}
