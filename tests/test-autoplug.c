/* The plugin merely installed: playbin and playbin3 get the seek table and
 * the chapters with no application code. For each stand-in encoding,
 * locally and over loopback HTTP: a TOC with the seed's 7 chapters before
 * PAUSED, the seek table in the chain, and jumps that are exact from the
 * first sample (the locator, buffer by buffer) with one range request; a
 * sidecar beside an MP3 without chapters; video left alone, its audio the
 * same as with the plugin's factories ranked out. */
#include <gst/gst.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "chapter-bytes.h"
#include "locate.h"
#include "long-mp3.h"
#include "media-server.h"
#include "tmp-dir.h"

static const gchar *base_url;
static SourceSignal source;

static gchar *
uri_of (const gchar * name, gboolean http)
{
  g_autofree gchar *path = g_build_filename (EPISODE_DIR, name, NULL);

  return http ? g_strdup_printf ("%s/media/%s", base_url, name) :
      gst_filename_to_uri (path, NULL);
}

/* playbin or playbin3 on @uri, its audio into LOCATE_SINK. */
static GstElement *
make_player (const gchar * factory, const gchar * uri)
{
  GstElement *player = gst_element_factory_make (factory, NULL);
  GError *error = NULL;
  GstElement *sink = gst_parse_bin_from_description (LOCATE_SINK, TRUE,
      &error);
  GstElement *video = gst_element_factory_make ("fakesink", NULL);

  g_assert_no_error (error);
  g_assert_nonnull (player);
  g_object_set (player, "uri", uri, "audio-sink", sink, "video-sink", video,
      NULL);
  return player;
}

/* Prerolls @player and returns the TOC posted before PAUSED (or NULL). */
static GstToc *
preroll_toc (GstElement * player)
{
  GstBus *bus = gst_element_get_bus (player);
  GstToc *toc = NULL;

  g_assert_cmpint (gst_element_set_state (player, GST_STATE_PAUSED), !=,
      GST_STATE_CHANGE_FAILURE);
  for (;;) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND,
        GST_MESSAGE_TOC | GST_MESSAGE_ASYNC_DONE | GST_MESSAGE_ERROR);

    if (msg == NULL) {
      g_autofree gchar *uri = NULL;
      g_autofree gchar *factory = gst_object_get_name (GST_OBJECT
          (gst_element_get_factory (player)));

      /* (the graph, for GST_DEBUG_DUMP_DOT_DIR) */
      GST_DEBUG_BIN_TO_DOT_FILE (GST_BIN (player), GST_DEBUG_GRAPH_SHOW_ALL,
          "preroll-hang");
      g_object_get (player, "uri", &uri, NULL);
      g_error ("%s on %s: no preroll within 30 s", factory, uri);
    }
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      GError *error;

      gst_message_parse_error (msg, &error, NULL);
      g_error ("%s", error->message);
    }
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_TOC && toc == NULL)
      gst_message_parse_toc (msg, &toc, NULL);
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ASYNC_DONE) {
      gst_message_unref (msg);
      break;
    }
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
  return toc;
}

/* The names of the plugin's elements in @bin's chain. */
static gchar *
seek_tables_in (GstElement * bin)
{
  return locate_factories_in (bin, NULL, "seektable");
}

/* The chapter entries of @toc, inside its edition if it has one. */
static GList *
toc_chapters (GstToc * toc)
{
  GList *entries = gst_toc_get_entries (toc);

  if (entries && gst_toc_entry_get_entry_type (entries->data) ==
      GST_TOC_ENTRY_TYPE_EDITION)
    entries = gst_toc_entry_get_sub_entries (entries->data);
  return entries;
}

static void
check_seed_toc (GstToc * toc, const gchar * what)
{
  static const gint64 starts[] = { 60, 260, 470, 660, 1060, 1260, 1650 };
  GList *entries;
  gchar *title = NULL;
  gint64 start;

  g_assert_nonnull (toc);
  entries = toc_chapters (toc);
  g_test_message ("%s: %u chapters", what, g_list_length (entries));
  g_assert_cmpuint (g_list_length (entries), ==, G_N_ELEMENTS (starts));
  for (guint i = 0; i < G_N_ELEMENTS (starts); i++) {
    gst_toc_entry_get_start_stop_times (g_list_nth_data (entries, i), &start,
        NULL);
    g_assert_cmpint (start, ==, starts[i] * GST_SECOND);
  }
  gst_tag_list_get_string (gst_toc_entry_get_tags (g_list_nth_data (entries,
              3)), GST_TAG_TITLE, &title);
  g_assert_cmpstr (title, ==, "Prediction Limits");
  g_free (title);
}

typedef struct
{
  const gchar *file;
  const gchar *player;
  gboolean http;
} Case;

/* The stand-in episode: the seed's chapters before PAUSED. */
static void
test_episode_toc (gconstpointer data)
{
  const Case *c = data;
  g_autofree gchar *uri = uri_of (c->file, c->http);
  GstElement *player = make_player (c->player, uri);
  GstToc *toc = preroll_toc (player);
  g_autofree gchar *tables = seek_tables_in (player);
  g_autofree gchar *what = g_strdup_printf ("%s %s %s", c->player, c->file,
      c->http ? "HTTP" : "local");

  g_test_message ("%s: seek tables %s", what, tables);
  g_assert_true (g_str_has_prefix (tables, "seektable"));
  g_assert_null (strchr (tables, ','));        /* one, not two */
  check_seed_toc (toc, what);
  gst_toc_unref (toc);
  gst_element_set_state (player, GST_STATE_NULL);
  gst_object_unref (player);
}

/* The chapters element as audio-filter of a stock playbin (the plugin's
 * autoplugged factories ranked out): every TOC message before PAUSED has
 * chapters (an empty one would be the one players keep), and for a local
 * file the first is whole: the 7 chapters, MP4's included, which no stock
 * demuxer turns into a TOC. */
static void
test_filter_toc (gconstpointer data)
{
  const Case *c = data;
  g_autofree gchar *uri = uri_of (c->file, c->http);
  GstElement *player = make_player ("playbin", uri);
  GstElement *filter = gst_element_factory_make ("chapters", NULL);
  GstBus *bus = gst_element_get_bus (player);
  g_autofree gchar *what = g_strdup_printf ("chapters, %s %s", c->file,
      c->http ? "HTTP" : "local");
  guint n_tocs = 0;
  GstToc *first = NULL;

  locate_rank_autoplug_out (TRUE);
  g_object_set (player, "audio-filter", filter, NULL);
  g_assert_cmpint (gst_element_set_state (player, GST_STATE_PAUSED), !=,
      GST_STATE_CHANGE_FAILURE);
  for (;;) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND,
        GST_MESSAGE_TOC | GST_MESSAGE_ASYNC_DONE | GST_MESSAGE_ERROR);
    GstToc *toc;
    guint n;

    g_assert_nonnull (msg);
    g_assert_cmpint (GST_MESSAGE_TYPE (msg), !=, GST_MESSAGE_ERROR);
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ASYNC_DONE) {
      gst_message_unref (msg);
      break;
    }
    gst_message_parse_toc (msg, &toc, NULL);
    n = g_list_length (toc_chapters (toc));
    g_test_message ("%s: TOC from %s, %u chapters", what,
        GST_OBJECT_NAME (msg->src), n);
    g_assert_cmpuint (n, >, 0);
    if (n_tocs++ == 0)
      first = gst_toc_ref (toc);
    gst_toc_unref (toc);
    gst_message_unref (msg);
  }
  if (!c->http)
    check_seed_toc (first, what);
  if (first)
    gst_toc_unref (first);
  gst_element_set_state (player, GST_STATE_NULL);
  locate_rank_autoplug_out (FALSE);
  gst_object_unref (bus);
  gst_object_unref (player);
}

/* The environment for a stock program the test runs: ours, with the
 * sanitizers' runtimes preloaded when the plugin is built with them (a
 * sanitized plugin loads only into a process that has them). */
static gchar **
child_environ (void)
{
  gchar **envp = g_get_environ ();

  if (*SANITIZER_PRELOAD)
    envp = g_environ_setenv (envp, "LD_PRELOAD", SANITIZER_PRELOAD, TRUE);
  return envp;
}

/* gst-play-1.0, the player GStreamer ships, as a user runs it: started at
 * an odd time (it seeks there once prerolled, as a chapter jump does), its
 * audio written to a file. Every second of what it played is where it
 * should be in the source, from the first sample to the last; over HTTP
 * the jump costs at most one request after the head. */
static void
test_gst_play (gconstpointer data)
{
  const Case *c = data;
  g_autofree gchar *uri = uri_of (c->file, c->http);
  g_autofree gchar *dir = g_dir_make_tmp ("gst-play-XXXXXX", NULL);
  g_autofree gchar *raw = g_build_filename (dir, "out.f32", NULL);
  g_autofree gchar *sink = g_strdup_printf ("audioconvert ! audio/x-raw,"
      "format=F32LE,channels=1,rate=%d ! filesink location=%s", source.rate,
      raw);
  const gchar *argv[] = { "timeout", "120", "gst-play-1.0",
    "--no-interactive", "-q", "--start-position", "60.5", "--audiosink",
    sink, uri, NULL, NULL
  };
  const guint64 first = 60 * source.rate + source.rate / 2;
  g_autofree gchar *out = NULL, *err = NULL, *contents = NULL;
  const gfloat *played;
  gsize len, n, off;
  gint status;
  guint requests;

  gchar **envp = child_environ ();

  if (!g_strcmp0 (c->player, "playbin3")) {
    argv[9] = "--use-playbin3";
    argv[10] = uri;
  }
  media_server_reset_counts ();
  g_assert_true (g_spawn_sync (NULL, (gchar **) argv, envp,
          G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, NULL));
  g_strfreev (envp);
  requests = media_server_requests ();
  g_test_message ("%s %s: %s%s", c->file, c->http ? "HTTP" : "local", out,
      err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_file_get_contents (raw, &contents, &len, NULL));
  played = (const gfloat *) contents;
  n = len / sizeof (gfloat);
  g_test_message ("%s: %" G_GSIZE_FORMAT " samples from %" G_GUINT64_FORMAT
      " (source has %" G_GSIZE_FORMAT "), %u requests", c->file, n, first,
      source.n, requests);
  /* to the source's last sample, none more, none less */
  g_assert_cmpuint (n, ==, source.n - first);
  for (off = 0; off < n; off += off + 1024 < n ? (gsize) source.rate : 1) {
    guint w = MIN (1024, n - off);
    gdouble score;
    gint lag;

    if (w < 256)
      break;
    lag = locate_window (&source, first + off, played + off, w, 512, &score);
    if (lag != 0 || score < 0.8)
      g_error ("%s: the audio %" G_GSIZE_FORMAT " samples into what "
          "gst-play-1.0 played is %d samples off (score %.3f)", c->file, off,
          lag, score);
  }
  if (c->http) {
    /* what reading the head costs: a preroll from the start */
    GstElement *player = make_player (c->player, uri);
    GstToc *toc;
    guint head;

    media_server_reset_counts ();
    toc = preroll_toc (player);
    head = media_server_requests ();
    if (toc)
      gst_toc_unref (toc);
    gst_element_set_state (player, GST_STATE_NULL);
    gst_object_unref (player);
    g_test_message ("%s: the head alone takes %u requests", c->file, head);
    g_assert_cmpuint (requests, <=, head + 1);
  }
  g_unlink (raw);
  g_rmdir (dir);
}

/* Runs gst-discoverer-1.0 on @uri (stock: the plugin's autoplugged
 * factories ranked out by GST_PLUGIN_FEATURE_RANK); returns its CPU time
 * in seconds and, in @out, what it printed. */
static gdouble
discover (const gchar * uri, gboolean stock, const gchar * cache, gchar ** out)
{
  const gchar *argv[] = { "timeout", "120", "gst-discoverer-1.0", uri, NULL };
  gchar **envp = child_environ ();
  struct rusage before, after;
  gint status;

  envp = g_environ_setenv (envp, "XDG_CACHE_HOME", cache, TRUE);
  if (stock)
    envp = g_environ_setenv (envp, "GST_PLUGIN_FEATURE_RANK",
        "seektableparse:NONE,seektableid3:NONE", TRUE);
  getrusage (RUSAGE_CHILDREN, &before);
  g_assert_true (g_spawn_sync (NULL, (gchar **) argv, envp,
          G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, out,
          NULL, &status, NULL));
  getrusage (RUSAGE_CHILDREN, &after);
  g_strfreev (envp);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return (after.ru_utime.tv_sec - before.ru_utime.tv_sec)
      + (after.ru_stime.tv_sec - before.ru_stime.tv_sec)
      + ((after.ru_utime.tv_usec - before.ru_utime.tv_usec)
      + (after.ru_stime.tv_usec - before.ru_stime.tv_usec)) / 1e6;
}

/* gst-discoverer-1.0 (and thumbnailers, which work the same way) on the
 * 10-hour MP3 pays no whole-file scan and writes no cache: locally its
 * CPU time is within 20% of stock's (the best of five runs each, taken in
 * turns), over HTTP it makes no more requests than stock, and no seek
 * index is written. */
static void
test_discoverer (void)
{
  g_autofree gchar *src = g_build_filename (EPISODE_DIR, "episode-cbr.mp3",
      NULL);
  g_autofree gchar *path = g_build_filename (EPISODE_DIR, "ten-hours.mp3",
      NULL);
  gdouble hours = long_mp3_make (src, path, 10);
  g_autofree gchar *local = uri_of ("ten-hours.mp3", FALSE);
  g_autofree gchar *http = uri_of ("ten-hours.mp3", TRUE);
  g_autofree gchar *cache = tmp_dir_new ("discoverer-cache-XXXXXX");
  gdouble ours = G_MAXDOUBLE, stock = G_MAXDOUBLE;
  guint ours_requests, stock_requests;
  const gchar *name;
  GDir *dir;

  for (guint i = 0; i < 5; i++) {
    g_autofree gchar *a = NULL, *b = NULL;

    /* (not inside MIN (), which would run it twice) */
    gdouble with_plugin = discover (local, FALSE, cache, &a);
    gdouble without = discover (local, TRUE, cache, &b);

    ours = MIN (ours, with_plugin);
    stock = MIN (stock, without);
    g_assert_nonnull (strstr (a, "Duration"));
  }
  media_server_reset_counts ();
  {
    g_autofree gchar *a = NULL, *b = NULL;

    discover (http, FALSE, cache, &a);
    ours_requests = media_server_requests ();
    media_server_reset_counts ();
    discover (http, TRUE, cache, &b);
    stock_requests = media_server_requests ();
  }
  g_test_message ("gst-discoverer-1.0, %.1f-hour MP3: CPU %.3f s with the "
      "plugin, %.3f s stock (%.0f%%); over HTTP %u requests with the "
      "plugin, %u stock", hours, ours, stock, 100.0 * ours / stock,
      ours_requests,
      stock_requests);
  /* (CPU time means nothing with the plugin under the sanitizers; 50 ms
   * on top of the 20% for loading the plugin's own libraries, which stock
   * never loads, and the clock's granularity: the whole-file scan this
   * guards against costs about 0.6 s here) */
  if (!*SANITIZER_PRELOAD)
    g_assert_cmpfloat (ours, <=, 1.2 * stock + 0.05);
  g_assert_cmpuint (ours_requests, <=, stock_requests);
  /* no cache written for a look */
  dir = g_dir_open (cache, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)))
    g_assert_cmpstr (name, !=, "gst-chapters");
  g_dir_close (dir);
  tmp_dir_remove (cache);
}

/* Prerolls @player, whose chain must hold a seek table; a local file's
 * scan (in its worker) is given a moment. */
static void
preroll_with_table (GstElement * player, gboolean http)
{
  GstToc *toc = preroll_toc (player);
  g_autofree gchar *tables = seek_tables_in (player);

  if (toc)
    gst_toc_unref (toc);
  g_assert_true (g_str_has_prefix (tables, "seektable"));
  if (!http)
    g_usleep (300000);
}

/* A FLUSH | ACCURATE jump of @player (prerolled) to source sample @sample
 * at @rate, then played: the buffers of its first @count samples, each
 * located (see locate_pull); NULL when it did not preroll within 20 s. The
 * server's counts start with the jump. */
static GArray *
jump_and_pull (GstElement * player, guint64 sample, gdouble rate, gsize count)
{
  GstSegment stale;

  locate_prepare_seek (player, &stale);
  media_server_reset_counts ();
  g_assert_true (gst_element_seek (player, rate, GST_FORMAT_TIME,
          GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, GST_SEEK_TYPE_SET,
          gst_util_uint64_scale_int_ceil (sample, GST_SECOND, source.rate),
          GST_SEEK_TYPE_NONE, GST_CLOCK_TIME_NONE));
  if (!locate_try_wait_preroll (player, 20 * GST_SECOND))
    return NULL;
  gst_element_set_state (player, GST_STATE_PLAYING);
  return locate_pull (player, &source, count, 2400, &stale);
}

/* The locator: jumps exact from the first sample, one request each over
 * HTTP. */
static void
test_locator_jumps (gconstpointer data)
{
  const Case *c = data;
  g_autofree gchar *uri = uri_of (c->file, c->http);
  GstElement *player = make_player (c->player, uri);

  preroll_with_table (player, c->http);
  /* at the speeds a listener picks too: the segment carries the rate
   * (scaletempo would play it faster), the samples stay the same */
  for (guint i = 0; i < 3; i++) {
    static const gdouble rates[] = { 1.0, 1.5, 0.75 };
    guint64 sample = g_test_rand_int_range (1, source.n - 65536);
    GArray *buffers = jump_and_pull (player, sample, rates[i], 8192);
    g_autofree gchar *why = NULL;

    g_assert_nonnull (buffers);
    why = locate_judge (buffers, sample, 0.8);
    if (why) {
      g_autofree gchar *all = locate_describe (buffers);

      g_test_message ("%s", all);
      g_error ("%s %s %s, jump to sample %" G_GUINT64_FORMAT " at %gx: %s",
          c->player, c->file, c->http ? "HTTP" : "local", sample, rates[i],
          why);
    }
    g_test_message ("%s %s %s: jump to sample %" G_GUINT64_FORMAT " at %gx "
        "exact (%u requests)", c->player, c->file, c->http ? "HTTP" : "local",
        sample, rates[i], media_server_requests ());
    /* Matroska's first cold jump learns the writer's block times first */
    if (c->http && !g_str_has_suffix (c->file, ".mka"))
      g_assert_cmpuint (media_server_requests (), <=, 1);
    g_array_unref (buffers);
  }
  gst_element_set_state (player, GST_STATE_NULL);
  gst_object_unref (player);
}

/* Keeps the text of each warning on @data, a GString, a line each. */
static void
keep_warning (GstBus * bus, GstMessage * msg, gpointer data)
{
  GString *warnings = data;
  g_autoptr (GError) error = NULL;
  g_autofree gchar *debug = NULL;

  gst_message_parse_warning (msg, &error, &debug);
  if (debug)
    g_strdelimit (debug, "\n", ' ');
  g_test_message ("warning from %s: %s: %s", GST_OBJECT_NAME (msg->src),
      error->message, debug);
  g_string_append_printf (warnings, "%s: %s\n", error->message, debug);
}

/* A locator file damaged in its middle, as a bad download leaves one (3%
 * of its bytes, from 48.5% on, noise) and cut off at 97% (but for M4A,
 * whose movie box is at its end), in playbin with the plugin installed:
 * a jump into the damage plays on from what follows it, as stock does,
 * instead of looking for its target for ever (it read the same bytes again
 * and again: a warning storm and no audio for Matroska, silence for Ogg
 * and FLAC); jumps before the damage stay exact, and so do those after it
 * where the container says where its audio is. Matroska says it to the
 * millisecond only (its block times), which is how close they must be;
 * an MP3 says it nowhere: its times after the damage are the frames as
 * counted (noise can pass for frames), as in a straight decode
 * (test-http's damaged-mp3 checks them against one), so only the labels
 * are checked here. A jump past where
 * the file was cut off ends the stream, and the index stays: the MP3
 * landing check took the frame the end cuts short for a mismatch and
 * dropped the index. The damage is told in a few warnings, not one per
 * look. */
static void
test_damaged (gconstpointer data)
{
  const Case *c = data;
  g_autofree gchar *path = g_build_filename (EPISODE_DIR, c->file, NULL);
  g_autofree gchar *name = g_strdup_printf ("damaged-%u-%s",
      (guint) getpid (), c->file);
  g_autofree gchar *damaged_path = g_build_filename (EPISODE_DIR, name, NULL);
  g_autofree gchar *uri = uri_of (name, c->http);
  g_autofree gchar *bytes = NULL;
  g_autoptr (GRand) noise = g_rand_new_with_seed (20261203);
  const gchar *where = c->http ? "HTTP" : "local";
  gboolean cut = !g_str_has_suffix (c->file, ".m4a");
  g_autoptr (GString) warnings = g_string_new (NULL);
  GstElement *player;
  GstBus *bus;
  gsize size;

  g_assert_true (g_file_get_contents (path, &bytes, &size, NULL));
  for (gsize i = size * 485 / 1000; i < size * 515 / 1000; i++)
    bytes[i] = (gchar) g_rand_int (noise);
  g_assert_true (g_file_set_contents (damaged_path, bytes, cut ?
          size * 97 / 100 : size, NULL));

  player = make_player ("playbin", uri);
  bus = gst_element_get_bus (player);
  gst_bus_enable_sync_message_emission (bus);
  g_signal_connect (bus, "sync-message::warning", G_CALLBACK (keep_warning),
      warnings);
  preroll_with_table (player, c->http);

  {
    /* 1:00.257, inside the damage (about 0:58 to 1:02) */
    guint64 target = 60 * source.rate + 12345;
    GArray *buffers = jump_and_pull (player, target, 1.0, 8192);
    const LocatedBuffer *first;

    if (buffers == NULL)
      g_error ("%s %s: no audio within 20 s of a jump into the damage",
          c->file, where);
    g_assert_cmpuint (buffers->len, >, 0);
    first = &g_array_index (buffers, LocatedBuffer, 0);
    g_test_message ("%s %s: a jump into the damage plays from %+.3f s (%u "
        "requests)", c->file, where, ((gdouble) first->label - target) /
        source.rate, media_server_requests ());
    g_assert_cmpuint (first->label, >=, target);
    g_assert_cmpuint (first->label, <=, target + 10 * source.rate);
    g_array_unref (buffers);
  }
  for (guint i = 0; i < 3; i++) {
    /* 0:30.111 before it, 1:20.333 after it, and before it again after a
     * jump past the cut (below) */
    guint64 target = i != 1 ? 30 * source.rate + 5333 :
        80 * source.rate + 16000;
    GArray *buffers = jump_and_pull (player, target, 1.0, 8192);
    const gchar *judged = "exact";
    g_autofree gchar *why = NULL;

    g_assert_nonnull (buffers);
    if (i == 1 && g_str_has_suffix (c->file, ".mka")) {
      judged = "within 1 ms";
      why = locate_judge_within (buffers, target, 0.8, source.rate / 1000);
    } else if (i == 1 && g_str_has_suffix (c->file, ".mp3")) {
      judged = "labelled on from the target";
      why = locate_judge_within (buffers, target, 0.0, G_MAXINT);
    } else {
      why = locate_judge (buffers, target, 0.8);
    }
    if (why) {
      g_autofree gchar *all = locate_describe (buffers);

      g_test_message ("%s", all);
      g_error ("%s %s: jump to sample %" G_GUINT64_FORMAT ", %s the "
          "damage: %s", c->file, where, target, i == 1 ? "after" : "before",
          why);
    }
    g_test_message ("%s %s: a jump %s the damage %s (%u requests)",
        c->file, where, i == 1 ? "after" : "before", judged,
        media_server_requests ());
    if (i == 2 && c->http)
      g_assert_cmpuint (media_server_requests (), <=, 1);
    g_array_unref (buffers);
    if (i == 1 && cut) {
      /* 1:59, past the cut (at about 1:56): the end */
      GstElement *out = gst_bin_get_by_name (GST_BIN (player), "out");

      buffers = jump_and_pull (player, 119 * source.rate, 1.0, 8192);
      g_assert_nonnull (buffers);
      g_test_message ("%s %s: a jump past the cut: %u buffers, then the "
          "end", c->file, where, buffers->len);
      g_assert_true (gst_app_sink_is_eos (GST_APP_SINK (out)));
      g_array_unref (buffers);
      gst_object_unref (out);
    }
  }
  {
    guint n = 0;

    for (const gchar * p = warnings->str; *p; p++)
      n += *p == '\n';
    g_test_message ("%s %s: %u warnings", c->file, where, n);
    g_assert_cmpuint (n, <=, 6);
  }
  g_assert_null (strstr (warnings->str, "does not match"));
  gst_element_set_state (player, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (player);
  g_unlink (damaged_path);
}

/* An MP3 whose tags are an ID3v1 tag at its end (with an ID3v2 tag at
 * its start that has no title, and without one), in playbin: the title
 * and artist reach the player's tags as stock gives them. Behind the seek
 * table id3demux runs in push mode, where it cannot read the end of the
 * file: the element reads that tag of a local file itself. */
static void
test_end_tag (void)
{
  g_autofree gchar *dir = tmp_dir_new ("chapters-end-tag-XXXXXX");
  g_autofree gchar *src = g_build_filename (EPISODE_DIR, "locator-cbr.mp3",
      NULL);
  g_autofree gchar *bytes = NULL;
  guint8 v1[128] = "TAG";
  gsize size, v2;

  memcpy (v1 + 3, "End Title", 9);
  memcpy (v1 + 33, "End Artist", 10);
  v1[127] = 12;
  g_assert_true (g_file_get_contents (src, &bytes, &size, NULL));
  v2 = chapter_id3v2_length ((const guint8 *) bytes, size);
  g_assert_cmpuint (v2, >, 0);
  for (guint with_v2 = 0; with_v2 < 2; with_v2++) {
    g_autofree gchar *path = g_build_filename (dir, with_v2 ? "v2v1.mp3" :
        "v1.mp3", NULL);
    g_autofree gchar *uri = gst_filename_to_uri (path, NULL);
    g_autoptr (GByteArray) file = g_byte_array_new ();

    g_byte_array_append (file, (const guint8 *) bytes + (with_v2 ? 0 : v2),
        size - (with_v2 ? 0 : v2));
    g_byte_array_append (file, v1, sizeof v1);
    g_assert_true (g_file_set_contents (path, (const gchar *) file->data,
            file->len, NULL));
    for (guint stock = 0; stock < 2; stock++) {
      GstElement *player = make_player ("playbin", uri);
      g_autoptr (GstTagList) tags = NULL;
      g_autofree gchar *title = NULL, *artist = NULL, *tables = NULL;
      GstToc *toc;

      if (stock)
        locate_rank_autoplug_out (TRUE);
      toc = preroll_toc (player);
      if (toc)
        gst_toc_unref (toc);
      tables = seek_tables_in (player);
      g_signal_emit_by_name (player, "get-audio-tags", 0, &tags);
      g_assert_nonnull (tags);
      gst_tag_list_get_string (tags, GST_TAG_TITLE, &title);
      gst_tag_list_get_string (tags, GST_TAG_ARTIST, &artist);
      g_test_message ("%s, %s: seek tables \"%s\", title %s, artist %s",
          with_v2 ? "ID3v2 and v1" : "ID3v1 only", stock ? "stock" :
          "plugin installed", tables, title, artist);
      g_assert_cmpstr (title, ==, "End Title");
      g_assert_cmpstr (artist, ==, "End Artist");
      if (!stock)
        g_assert_true (g_str_has_prefix (tables, "seektableid3"));
      gst_element_set_state (player, GST_STATE_NULL);
      gst_object_unref (player);
      if (stock)
        locate_rank_autoplug_out (FALSE);
    }
  }
  tmp_dir_remove (dir);
}

/* An MP3 without chapters, a CUE sheet beside it: its chapters, in
 * playbin or playbin3 (@data). */
static void
test_sidecar (gconstpointer data)
{
  g_autofree gchar *dir = g_dir_make_tmp ("chapters-sidecar-XXXXXX", NULL);
  g_autofree gchar *mp3 = g_build_filename (dir, "talk.mp3", NULL);
  g_autofree gchar *cue = g_build_filename (dir, "talk.cue", NULL);
  g_autofree gchar *src = g_build_filename (EPISODE_DIR, "locator-cbr.mp3",
      NULL);
  g_autofree gchar *uri = gst_filename_to_uri (mp3, NULL);
  g_autofree gchar *bytes = NULL;
  const gchar *sheet = "FILE \"talk.mp3\" MP3\n"
      "  TRACK 01 AUDIO\n    TITLE \"Opening\"\n    INDEX 01 00:00:00\n"
      "  TRACK 02 AUDIO\n    TITLE \"Middle\"\n    INDEX 01 00:40:00\n"
      "  TRACK 03 AUDIO\n    TITLE \"Closing\"\n    INDEX 01 01:30:00\n";
  gsize size;
  GstElement *player;
  GstToc *toc;
  GList *entries;

  g_assert_true (g_file_get_contents (src, &bytes, &size, NULL));
  g_assert_true (g_file_set_contents (mp3, bytes, size, NULL));
  g_assert_true (g_file_set_contents (cue, sheet, -1, NULL));
  player = make_player (data, uri);
  toc = preroll_toc (player);
  g_assert_nonnull (toc);
  entries = gst_toc_entry_get_sub_entries (gst_toc_get_entries (toc)->data);
  g_assert_cmpuint (g_list_length (entries), ==, 3);
  {
    gint64 start;
    gchar *title = NULL;

    gst_toc_entry_get_start_stop_times (g_list_nth_data (entries, 1), &start,
        NULL);
    g_assert_cmpint (start, ==, 40 * GST_SECOND);
    gst_tag_list_get_string (gst_toc_entry_get_tags (g_list_nth_data
            (entries, 2)), GST_TAG_TITLE, &title);
    g_assert_cmpstr (title, ==, "Closing");
    g_free (title);
  }
  gst_toc_unref (toc);
  gst_element_set_state (player, GST_STATE_NULL);
  gst_object_unref (player);
  g_unlink (cue);
  g_unlink (mp3);
  g_rmdir (dir);
}

/* A checksum of every sample @sink (an appsink) gives until none comes
 * within @timeout, with the @bytes of them and the first one's time
 * (@first; NULL: not wanted). */
static gchar *
samples_checksum (GstElement * sink, GstClockTime timeout,
    GstClockTime * first, gsize * bytes)
{
  GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);
  GstSample *sample;
  gchar *hex;

  if (first)
    *first = GST_CLOCK_TIME_NONE;
  *bytes = 0;
  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
              timeout))) {
    GstBuffer *buf = gst_sample_get_buffer (sample);
    GstMapInfo map;

    if (first && *first == GST_CLOCK_TIME_NONE)
      *first = GST_BUFFER_PTS (buf);
    g_assert_true (gst_buffer_map (buf, &map, GST_MAP_READ));
    g_checksum_update (sum, map.data, map.size);
    *bytes += map.size;
    gst_buffer_unmap (buf, &map);
    gst_sample_unref (sample);
  }
  hex = g_strdup (g_checksum_get_string (sum));
  g_checksum_free (sum);
  return hex;
}

/* The audio of @uri through @factory (playbin or playbin3): a checksum of
 * every sample; NULL when the pipeline did not reach PLAYING in 30 s. */
static gchar *
audio_checksum (const gchar * factory, const gchar * uri, gchar ** tables)
{
  GstElement *player = make_player (factory, uri);
  GstElement *bin = NULL, *sink;
  gsize bytes;
  gchar *hex;

  g_object_get (player, "audio-sink", &bin, NULL);
  sink = gst_bin_get_by_name (GST_BIN (bin), "out");
  gst_object_unref (bin);
  g_object_set (sink, "max-buffers", 0, NULL);
  gst_element_set_state (player, GST_STATE_PLAYING);
  /* (playbin3 adds its sinks once the streams are known: an appsink not
   * started yet answers a pull with nothing at once) */
  if (gst_element_get_state (player, NULL, NULL, 30 * GST_SECOND) !=
      GST_STATE_CHANGE_SUCCESS) {
    gst_element_set_state (player, GST_STATE_NULL);
    gst_object_unref (sink);
    gst_object_unref (player);
    *tables = NULL;
    return NULL;
  }
  hex = samples_checksum (sink, 30 * GST_SECOND, NULL, &bytes);
  g_test_message ("%s %s: %" G_GSIZE_FORMAT " bytes of audio", factory, uri,
      bytes);
  g_assert_cmpuint (bytes, >, 0);
  *tables = seek_tables_in (player);
  gst_element_set_state (player, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (player);
  return hex;
}


/* A source with no length in bytes (a live stream, a pipe): left alone by
 * decodebin or parsebin (playbin3's; @data), and it plays. */
static void
test_lengthless (gconstpointer data)
{
  g_autofree gchar *path = g_build_filename (EPISODE_DIR, "locator-cbr.mp3",
      NULL);
  g_autofree gchar *description = g_strdup_printf ("appsrc name=src ! %s ! "
      "fakesink sync=false", (const gchar *) data);
  GstElement *pipeline = gst_parse_launch (description, NULL);
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  g_autofree gchar *tables = NULL;
  gchar *bytes;
  gsize size, at;
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;

  g_assert_true (g_file_get_contents (path, &bytes, &size, NULL));
  for (at = 0; at < size; at += 4096) {
    GstBuffer *buf = gst_buffer_new_memdup (bytes + at, MIN (4096, size - at));

    g_assert_cmpint (gst_app_src_push_buffer (GST_APP_SRC (src), buf), ==,
        GST_FLOW_OK);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  g_free (bytes);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND, GST_MESSAGE_EOS
      | GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  gst_message_unref (msg);
  tables = seek_tables_in (pipeline);
  g_assert_cmpstr (tables, ==, "");
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (src);
  gst_object_unref (pipeline);
}

/* What refuse_as_flushing does: nothing, refuse the next buffer and
 * every one after it until a flush goes by, or refuse every buffer until
 * told otherwise (flushes or not). */
enum
{
  REFUSE_NOTHING,
  REFUSE_NEXT,
  REFUSING,
  REFUSING_FOR_NOW,
};

typedef struct
{
  gint state;
  gint refused;                 /* buffers */
} Refusal;

typedef struct
{
  const gchar *file, *rest;     /* what follows the seek table */
  gint refuse;
} RefusedCase;

/* A probe on the seek table's src pad: refuses buffers as flushing as
 * @data (a Refusal) says, as decodebin3 does with the input it has not
 * set going yet. */
static GstPadProbeReturn
refuse_as_flushing (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  Refusal *refusal = data;

  if (info->type & GST_PAD_PROBE_TYPE_EVENT_FLUSH) {
    if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) ==
        GST_EVENT_FLUSH_STOP)
      g_atomic_int_compare_and_exchange (&refusal->state, REFUSING,
          REFUSE_NOTHING);
    return GST_PAD_PROBE_OK;
  }
  if (!g_atomic_int_compare_and_exchange (&refusal->state, REFUSE_NEXT,
          REFUSING) && g_atomic_int_get (&refusal->state) == REFUSE_NOTHING)
    return GST_PAD_PROBE_OK;
  g_atomic_int_inc (&refusal->refused);
  gst_buffer_unref (GST_PAD_PROBE_INFO_BUFFER (info));
  GST_PAD_PROBE_INFO_DATA (info) = NULL;
  GST_PAD_PROBE_INFO_FLOW_RETURN (info) = GST_FLOW_FLUSHING;
  return GST_PAD_PROBE_HANDLED;
}

/* @file through the seek table and @rest into an appsink, the seek
 * table's data refused as @refuse says from the start on: with
 * REFUSING_FOR_NOW, until the pipeline's change to PAUSED is over (which
 * here waits 300 ms, as a bin's may while it sets its children). The
 * checksum of all that reaches the sink, from its first buffer's time
 * (@first) on, with the @bytes of it. */
static gchar *
refused_start_checksum (const gchar * file, const gchar * rest,
    gint refuse, GstClockTime * first, gsize * bytes)
{
  g_autofree gchar *path = g_build_filename (EPISODE_DIR, file, NULL);
  g_autofree gchar *description = g_strdup_printf ("filesrc location=\"%s\" "
      "! seektable name=table ! %s ! appsink name=sink sync=false", path,
      rest);
  GstElement *pipeline = gst_parse_launch (description, NULL);
  GstElement *table = gst_bin_get_by_name (GST_BIN (pipeline), "table");
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  GstPad *src = gst_element_get_static_pad (table, "src");
  GstBus *bus = gst_element_get_bus (pipeline);
  Refusal refusal = { refuse, 0 };
  GstMessage *msg;
  gchar *hex;

  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_FLUSH, refuse_as_flushing, &refusal, NULL);
  GST_STATE_LOCK (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  if (refuse == REFUSING_FOR_NOW) {
    g_usleep (300 * G_TIME_SPAN_MILLISECOND);
    g_atomic_int_set (&refusal.state, REFUSE_NOTHING);
  }
  GST_STATE_UNLOCK (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, 20 * GST_SECOND,
      GST_MESSAGE_ASYNC_DONE | GST_MESSAGE_ERROR);
  if (msg == NULL)
    g_error ("%s: no preroll within 20 s (refused: %d)", file, refuse);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_ASYNC_DONE);
  gst_message_unref (msg);
  g_assert_cmpint (g_atomic_int_get (&refusal.state), ==, REFUSE_NOTHING);
  if (refuse == REFUSE_NOTHING)
    g_assert_cmpint (g_atomic_int_get (&refusal.refused), ==, 0);
  else
    g_assert_cmpint (g_atomic_int_get (&refusal.refused), >, 0);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  hex = samples_checksum (sink, 20 * GST_SECOND, first, bytes);
  g_assert_true (gst_app_sink_is_eos (GST_APP_SINK (sink)));
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (table);
  gst_object_unref (pipeline);
  return hex;
}

/* Downstream refuses the stream's first data as flushing while the
 * pipeline prerolls (decodebin3's race in playbin3, which stops the queue
 * before it for good): the seek table reads the stream again from its
 * start, and all of it arrives, from the first sample; @data: a stream
 * passed through (MP3, to mpegaudioparse) or taken apart (Opus), refused
 * until a flush, or until the pipeline's state change is over. */
static void
test_refused_start (gconstpointer data)
{
  const RefusedCase *c = data;
  GstClockTime first, stock_first;
  gsize bytes, stock_bytes;
  g_autofree gchar *refused = refused_start_checksum (c->file, c->rest,
      c->refuse, &first, &bytes);
  g_autofree gchar *stock = refused_start_checksum (c->file, c->rest,
      REFUSE_NOTHING, &stock_first, &stock_bytes);

  g_assert_cmpuint (first, ==, stock_first);
  g_assert_cmpuint (bytes, ==, stock_bytes);
  g_assert_cmpstr (refused, ==, stock);
}

/* A refusal once the pipeline played (a stream switched off, a bin torn
 * down) is left alone: the stream is not read again from its start. */
static void
test_refused_later (void)
{
  g_autofree gchar *path = g_build_filename (EPISODE_DIR, "locator-cbr.mp3",
      NULL);
  g_autofree gchar *description = g_strdup_printf ("filesrc location=\"%s\" "
      "! seektable name=table ! mpegaudioparse ! appsink name=sink "
      "sync=false max-buffers=4", path);
  GstElement *pipeline = gst_parse_launch (description, NULL);
  GstElement *table = gst_bin_get_by_name (GST_BIN (pipeline), "table");
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  GstPad *src = gst_element_get_static_pad (table, "src");
  Refusal refusal = { REFUSE_NOTHING, 0 };
  GstClockTime last = 0;
  GstSample *sample;

  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_FLUSH, refuse_as_flushing, &refusal, NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  for (guint i = 0; i < 20; i++) {
    sample = gst_app_sink_pull_sample (GST_APP_SINK (sink));
    g_assert_nonnull (sample);
    last = GST_BUFFER_PTS (gst_sample_get_buffer (sample));
    gst_sample_unref (sample);
  }
  g_atomic_int_set (&refusal.state, REFUSE_NEXT);
  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
              GST_SECOND))) {
    GstClockTime pts = GST_BUFFER_PTS (gst_sample_get_buffer (sample));

    g_assert_cmpuint (pts, >, last);
    last = pts;
    gst_sample_unref (sample);
  }
  /* (refused, and no flush since) */
  g_assert_cmpint (g_atomic_int_get (&refusal.state), ==, REFUSING);
  g_assert_false (gst_app_sink_is_eos (GST_APP_SINK (sink)));
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (table);
  gst_object_unref (pipeline);
}

/* Video is never touched: no seek table in its chain, the same audio. */
static void
test_video (gconstpointer data)
{
  const Case *c = data;
  g_autofree gchar *uri = uri_of (c->file, FALSE);
  g_autofree gchar *tables = NULL, *stock_tables = NULL;
  g_autofree gchar *with = audio_checksum (c->player, uri, &tables);
  g_autofree gchar *without = NULL;
  guint tries;

  g_assert_nonnull (with);      /* with the plugin: played, no second try */
  /* The stock decode, the reference. Stock playbin3 (decodebin3) of 1.22
   * now and then does not preroll the video Matroska at all: measured 3
   * in 120 under load, each time in this second pipeline of the process,
   * where our factories are ranked out and none of our code runs. The
   * reference is then made again. */
  locate_rank_autoplug_out (TRUE);
  for (tries = 1; without == NULL && tries <= 3; tries++) {
    g_free (stock_tables);
    without = audio_checksum (c->player, uri, &stock_tables);
    if (without == NULL)
      g_test_message ("stock %s did not preroll %s (try %u)", c->player,
          c->file, tries);
  }
  locate_rank_autoplug_out (FALSE);
  g_assert_nonnull (without);
  g_test_message ("%s %s: %s / stock %s", c->player, c->file, with,
      without);
  g_assert_cmpstr (tables, ==, "");
  g_assert_cmpstr (with, ==, without);
}

/* decodebin3 in GStreamer 1.22 now and then hands a decoder it has just
 * linked its caps before the stream-start (a race of its own, seen with
 * stock playbin3 by others as well, e.g. WebKit bug 256428): GStreamer
 * warns and the decoder goes on. That warning alone is not fatal here;
 * every other warning is, as g_test_init makes them, and the audio is
 * still checked sample by sample. */
static void
log_handler (const gchar * domain, GLogLevelFlags level,
    const gchar * message, gpointer data)
{
  g_log_default_handler (domain, level, message, data);
  if ((level & G_LOG_LEVEL_WARNING) && !(g_strcmp0 (domain, "GStreamer") == 0
          && message && strstr (message, "Sticky event misordering, got "
              "'caps' before 'stream-start'")))
    g_error ("a warning is fatal here: %s", message);
  if (level & G_LOG_LEVEL_WARNING)
    g_printerr ("# tolerated (decodebin3's race)\n");
}

int
main (int argc, char **argv)
{
  static const gchar *const episodes[] = { "episode-vbr.mp3",
    "episode-cbr.mp3", "episode.flac", "episode.opus", "episode.ogg",
    "episode.m4a", "episode.mka", NULL
  };
  static const gchar *const players[] = { "playbin", "playbin3", NULL };
  static const gchar *const video_players[] = { "playbin", "playbin3", NULL };
  static const gchar *const videos[] = { "video.mp4", "video.mkv",
    "video.webm", "video.avi", NULL
  };
  g_autofree gchar *wav = g_build_filename (EPISODE_DIR, "locator.wav", NULL);
  g_autofree gchar *cache = tmp_dir_new ("chapters-autoplug-XXXXXX");
  GPtrArray *cases = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;
  gint ret;

  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_log_set_default_handler (log_handler, NULL);
  if (!source_signal_load (wav, &source, &error))
    g_error ("%s", error->message);
  base_url = media_server_start (EPISODE_DIR);

  for (guint p = 0; players[p]; p++)
    for (guint http = 0; http < 2; http++) {
      for (guint i = 0; episodes[i]; i++) {
        Case *c = g_new0 (Case, 1);
        g_autofree gchar *name = g_strdup_printf ("/autoplug/toc/%s/%s/%s",
            players[p], http ? "http" : "local", episodes[i]);

        *c = (Case) {
        episodes[i], players[p], http};
        g_ptr_array_add (cases, c);
        g_test_add_data_func (name, c, test_episode_toc);
      }
      for (guint i = 0; p == 0 && episodes[i]; i++) {
        Case *c = g_new0 (Case, 1);
        g_autofree gchar *name = g_strdup_printf ("/autoplug/filter-toc/%s/%s",
            http ? "http" : "local", episodes[i]);

        *c = (Case) {
        episodes[i], players[p], http};
        g_ptr_array_add (cases, c);
        g_test_add_data_func (name, c, test_filter_toc);
      }
      for (guint i = 0; locator_files[i].file; i++) {
        Case *c = g_new0 (Case, 1);
        g_autofree gchar *name = g_strdup_printf ("/autoplug/gst-play/%s/%s/%s", players[p],
            http ? "http" : "local", locator_files[i].file);

        *c = (Case) {
        locator_files[i].file, players[p], http};
        g_ptr_array_add (cases, c);
        g_test_add_data_func (name, c, test_gst_play);
      }
      for (guint i = 0; locator_files[i].file; i++) {
        Case *c = g_new0 (Case, 1);
        g_autofree gchar *name = g_strdup_printf ("/autoplug/jumps/%s/%s/%s",
            players[p], http ? "http" : "local", locator_files[i].file);

        *c = (Case) {
        locator_files[i].file, players[p], http};
        g_ptr_array_add (cases, c);
        g_test_add_data_func (name, c, test_locator_jumps);
      }
    }
  for (guint http = 0; http < 2; http++)
    for (guint i = 0; locator_files[i].file; i++) {
      Case *c = g_new0 (Case, 1);
      g_autofree gchar *name = g_strdup_printf ("/autoplug/damaged/%s/%s",
          http ? "http" : "local", locator_files[i].file);

      *c = (Case) {
      locator_files[i].file, "playbin", http};
      g_ptr_array_add (cases, c);
      g_test_add_data_func (name, c, test_damaged);
    }
  for (guint p = 0; players[p]; p++) {
    g_autofree gchar *name = g_strdup_printf ("/autoplug/sidecar/%s",
        players[p]);

    g_test_add_data_func (name, players[p], test_sidecar);
  }
  for (guint p = 0; video_players[p]; p++) {
    for (guint i = 0; videos[i]; i++) {
      Case *c = g_new0 (Case, 1);
      g_autofree gchar *vname = g_strdup_printf ("/autoplug/video/%s/%s",
          video_players[p], videos[i]);

      *c = (Case) {
      videos[i], video_players[p], FALSE};
      g_ptr_array_add (cases, c);
      g_test_add_data_func (vname, c, test_video);
    }
  }
  g_test_add_data_func ("/autoplug/lengthless/decodebin", "decodebin",
      test_lengthless);
  g_test_add_data_func ("/autoplug/lengthless/parsebin", "parsebin",
      test_lengthless);
  g_test_add_func ("/autoplug/discoverer", test_discoverer);
  g_test_add_func ("/autoplug/end-tag", test_end_tag);
  {
    static const RefusedCase passed = { "locator-cbr.mp3", "mpegaudioparse",
      REFUSE_NEXT
    }, apart = { "locator.opus", "opusdec", REFUSE_NEXT },
        changing = { "locator.opus", "opusdec", REFUSING_FOR_NOW };

    g_test_add_data_func ("/autoplug/refused-start/passed-through", &passed,
        test_refused_start);
    g_test_add_data_func ("/autoplug/refused-start/taken-apart", &apart,
        test_refused_start);
    g_test_add_data_func ("/autoplug/refused-start/state-change", &changing,
        test_refused_start);
    g_test_add_func ("/autoplug/refused-later", test_refused_later);
  }
  ret = g_test_run ();
  media_server_stop ();
  tmp_dir_remove (cache);
  source_signal_clear (&source);
  g_ptr_array_unref (cases);
  return ret;
}
