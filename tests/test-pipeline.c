/* Pipelines with the stand-in episode: the TOC of every encoding, and a
 * jump to "Prediction Limits" checked by decoding and comparing samples
 * against a straight decode. */
#include <gst/gst.h>
#include <gst/app/gstappsink.h>
#include <math.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sys/wait.h>

#include "seek-index.h"
#include "audio-compare.h"
#include "tmp-dir.h"

#define S(x) ((GstClockTime) (x) * GST_SECOND)

static const gchar *episode_dir;

static const GstClockTime seed_starts[] = { S (60), S (260), S (470),
  S (660), S (1060), S (1260), S (1650)
};

static gchar *
episode (const gchar * name)
{
  return g_build_filename (episode_dir, name, NULL);
}

static GstMessage *
wait_for (GstElement * pipeline, GstMessageType types)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      types | GST_MESSAGE_ERROR);

  gst_object_unref (bus);
  g_assert_nonnull (msg);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *err;
    gchar *debug;

    gst_message_parse_error (msg, &err, &debug);
    g_error ("pipeline error: %s (%s)", err->message, debug);
  }
  return msg;
}

/* Preroll `filesrc ! decodebin ! chapters ! fakesink` and read the TOC. */
static void
test_toc (gconstpointer data)
{
  g_autofree gchar *path = episode (data);
  g_autofree gchar *desc = g_strdup_printf ("filesrc location=\"%s\" ! "
      "decodebin ! chapters name=c ! fakesink", path);
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstElement *chapters = gst_bin_get_by_name (GST_BIN (pipeline), "c");
  GstToc *toc = NULL;
  GList *entries;
  guint i, n = 0;

  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  gst_message_unref (wait_for (pipeline, GST_MESSAGE_ASYNC_DONE));
  /* a container read (MP4) runs off the streaming thread after the first
   * buffer: give it a moment */
  for (i = 0; i < 500 && n < 7; i++) {
    g_object_get (chapters, "n-chapters", &n, NULL);
    if (n < 7)
      g_usleep (10000);
  }
  g_object_get (chapters, "n-chapters", &n, "toc", &toc, NULL);
  g_assert_cmpuint (n, ==, 7);
  entries = gst_toc_entry_get_sub_entries (gst_toc_get_entries (toc)->data);
  for (i = 0; i < 7; i++) {
    gint64 start;
    gchar *title = NULL;

    gst_toc_entry_get_start_stop_times (g_list_nth_data (entries, i), &start,
        NULL);
    g_assert_cmpint (start, ==, seed_starts[i]);
    if (i == 3) {
      gst_tag_list_get_string (gst_toc_entry_get_tags (g_list_nth_data
              (entries, i)), GST_TAG_TITLE, &title);
      g_assert_cmpstr (title, ==, "Prediction Limits");
      g_free (title);
    }
  }
  gst_toc_unref (toc);
  gst_object_unref (chapters);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
}


/* Starts at "Prediction Limits" through start-chapter and checks, sample by
 * sample, that the first audio out is the audio at 660 s. */
static void
test_start_exact (gconstpointer data)
{
  g_autofree gchar *path = episode (data);
  /* M4A against the lossless source (see test_random_jumps) */
  g_autofree gchar *source = episode ("episode.flac");
  g_autofree gchar *ref_desc = NULL, *jump_desc = NULL;
  const gint max_lag = 4800;
  const gsize len = 8192;
  Capture ref, jump;
  gsize target;
  gdouble score;
  gint lag;

  /* through the seek table */
  jump_desc = g_strdup_printf ("filesrc location=\"%s\" ! seektable ! "
      "decodebin ! chapters start-chapter=\"prediction limits\" ! %s", path,
      CAPTURE_SINK);
  capture_run (jump_desc, 0, len, &jump);
  g_assert_cmpuint (jump.n, ==, len);
  g_assert_cmpuint (jump.first_pts, ==, S (660));

  /* the straight decode, counted in samples from the first one: gapless,
   * the plugin being installed (the autoplugged seek table) */
  target = 660 * (gsize) jump.rate;
  ref_desc = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! %s",
      g_str_has_suffix (path, ".m4a") ? source : path, CAPTURE_SINK);
  capture_run (ref_desc, target - max_lag, len + 2 * max_lag, &ref);
  g_assert_cmpint (ref.rate, ==, jump.rate);
  g_assert_cmpuint (ref.n, ==, len + 2 * max_lag);

  lag = capture_best_lag (&ref, max_lag, &jump, len, max_lag, &score);
  g_test_message ("%s: first sample after the jump is source sample "
      "660 s %+d (match %.4f)", (const gchar *) data, lag, score);
  g_assert_cmpfloat (score, >, 0.99);
  g_assert_cmpint (lag, ==, 0);
  capture_clear (&ref);
  capture_clear (&jump);
}

/* MP4 chapters come from the container's own read, which runs when the
 * first buffer finds none: start-chapter holds the audio back until they
 * are here, so nothing from the start is heard. */
static void
test_start_container (void)
{
  g_autofree gchar *path = episode ("episode.m4a");
  g_autofree gchar *desc = g_strdup_printf ("filesrc location=\"%s\" ! "
      "decodebin ! chapters start-chapter=\"prediction limits\" ! %s", path,
      CAPTURE_SINK);
  Capture jump;

  capture_run (desc, 0, 4096, &jump);
  g_assert_cmpuint (jump.n, ==, 4096);
  g_assert_cmpuint (jump.first_pts, ==, S (660));
  capture_clear (&jump);
}

static gint64 mka_decoded_duration (const gchar * path);

/* The seek table against a straight decode at random positions (and its
 * exact DURATION and SEEKING answers): each jump's first sample is the
 * source sample at the target, and the audio after it is the straight
 * decode's, the first frame included. */
static void
test_random_jumps (gconstpointer data)
{
  g_autofree gchar *path = episode (data);
  /* the reference is the straight decode; for M4A, the seek table's (which
   * start-exact checks against the lossless source): qtdemux's starts one
   * sample late (the edit list's 1024 samples of priming, rounded to the
   * nanosecond) */
  g_autofree gchar *desc = g_strdup_printf ("filesrc location=\"%s\" ! "
      "%s decodebin ! " CAPTURE_SINK, path, g_str_has_suffix (path, ".m4a") ?
      "seektable !" : "");
  g_autofree gchar *jump_desc = g_strdup_printf ("filesrc location=\"%s\" ! "
      "seektable ! decodebin ! " CAPTURE_SINK, path);
  const guint n = 8, len = 4096;
  const guint rate = g_str_has_suffix (path, ".opus") ? 48000 : 44100;
  const gint max_lag = 2048;
  /* (the straight decode is gapless: the seek table is autoplugged) */
  guint skip = 0;
  gsize from[8];
  gint64 targets[8];
  Capture ref[8];
  GstElement *pipeline;
  guint i;

  /* ascending positions, 1 s to 44 min, to the sample */
  for (i = 0; i < n; i++) {
    gsize sample = g_test_rand_int_range (1, 2600) * (gsize) rate / 1 +
        g_test_rand_int_range (0, rate);

    from[i] = sample;
  }
  for (i = 1; i < n; i++)
    for (guint j = i; j > 0 && from[j] < from[j - 1]; j--) {
      gsize t = from[j];

      from[j] = from[j - 1];
      from[j - 1] = t;
    }
  for (i = 0; i < n; i++) {
    targets[i] = gst_util_uint64_scale_ceil (from[i], GST_SECOND, rate);
    /* the straight decode, made gapless, from max_lag before */
    from[i] = from[i] + skip - max_lag;
  }
  capture_run_windows (desc, from, n, len + 2 * max_lag, ref);

  pipeline = gst_parse_launch (jump_desc, NULL);
  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  gst_element_get_state (pipeline, NULL, NULL, 10 * GST_SECOND);
  g_usleep (100000);            /* the local scan, in its worker */
  {
    /* the seek table answers DURATION and SEEKING exactly (Matroska has
     * no end trimming: its decode runs on to the end of the last block,
     * which mka-straight checks to the sample) */
    GstQuery *query = gst_query_new_seeking (GST_FORMAT_TIME);
    gboolean seekable = FALSE;
    gint64 duration = -1, end = -1;
    gint64 expect = S (2666);

    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    if (g_str_has_suffix (path, ".mka"))
      expect = mka_decoded_duration (path);
    /* (exact once the local scan is in: it runs in a worker) */
    while ((!gst_element_query_duration (pipeline, GST_FORMAT_TIME,
                &duration) || duration != expect)
        && g_get_monotonic_time () < deadline)
      g_usleep (20000);
    g_assert_cmpint (duration, ==, expect);
    g_assert_true (gst_element_query (pipeline, query));
    gst_query_parse_seeking (query, NULL, &seekable, NULL, &end);
    g_assert_true (seekable);
    g_assert_cmpint (end, ==, expect);
    gst_query_unref (query);
  }
  for (i = 0; i < n; i++) {
    Capture probe;
    gdouble score;
    gint lag;

    g_assert_true (gst_element_seek_simple (pipeline, GST_FORMAT_TIME,
            GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, targets[i]));
    gst_element_set_state (pipeline, GST_STATE_PLAYING);
    capture_pull (pipeline, len, &probe);
    gst_element_set_state (pipeline, GST_STATE_PAUSED);
    g_assert_cmpuint (probe.n, ==, len);
    lag = capture_best_lag (&ref[i], max_lag, &probe, len, max_lag, &score);
    g_test_message ("%s: jump to %" GST_TIME_FORMAT ": %+d samples (match "
        "%.4f), first pts %" GST_TIME_FORMAT, (const gchar *) data,
        GST_TIME_ARGS (targets[i]), lag, score,
        GST_TIME_ARGS (probe.first_pts));
    /* (Opus decoded from 80 ms before a target converges on the straight
     * decode's state to within about a percent, not bit for bit) */
    g_assert_cmpfloat (score, >, g_str_has_suffix (path, ".opus") ? 0.98 :
        0.99);
    g_assert_cmpint (lag, ==, 0);
    g_assert_cmpuint (probe.first_pts, ==, targets[i]);
    capture_clear (&probe);
    capture_clear (&ref[i]);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
}

/* Runs `gst-chapters index` on the episode file @name; returns its output. */
static gchar *
run_index_tool (const gchar * name, gchar ** envp)
{
  g_autofree gchar *path = episode (name);
  const gchar *argv[] = { GST_CHAPTERS_TOOL, "index", path, NULL };
  g_autofree gchar *err = NULL;
  gchar *out = NULL;
  gint status;

  g_assert_true (g_spawn_sync (NULL, (gchar **) argv, envp, 0, NULL, NULL,
          &out, &err, &status, NULL));
  g_test_message ("%s%s", out, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

/* gst-chapters show on empty input (an empty file, /dev/null, empty
 * standard input): exit status 1 and a message that names the source and
 * says it is empty; no crash. */
static void
test_tool_empty (void)
{
  g_autofree gchar *dir = g_dir_make_tmp ("empty-XXXXXX", NULL);
  g_autofree gchar *path = g_build_filename (dir, "episode.json", NULL);
  const gchar *sources[] = { path, "/dev/null", "-" };
  guint i;

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  for (i = 0; i < G_N_ELEMENTS (sources); i++) {
    const gchar *argv[] = { GST_CHAPTERS_TOOL, "show", sources[i], NULL };
    g_autofree gchar *out = NULL, *err = NULL;
    gint status;

    /* standard input is /dev/null unless a child pipe is asked for */
    g_assert_true (g_spawn_sync (NULL, (gchar **) argv, NULL,
            G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, NULL));
    g_test_message ("%s: %s", sources[i], err);
    g_assert_true (WIFEXITED (status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 1);
    g_assert_cmpstr (out, ==, "");
    g_assert_nonnull (strstr (err, i == 2 ? "standard input" : sources[i]));
    g_assert_nonnull (strstr (err, "empty"));
    g_assert_null (strstr (err, "CRITICAL"));
  }
  g_unlink (path);
  g_rmdir (dir);
}

/* gst-chapters index: the seek table's summary, exact duration, cached. */
static void
test_tool_index (void)
{
  g_autofree gchar *cache = tmp_dir_new ("index-cache-XXXXXX");
  gchar **envp = g_environ_setenv (g_get_environ (), "XDG_CACHE_HOME", cache,
      TRUE);
  g_autofree gchar *mp3 = run_index_tool ("episode-vbr.mp3", envp);
  g_autofree gchar *flac = run_index_tool ("episode.flac", envp);
  g_autofree gchar *opus = run_index_tool ("episode.opus", envp);
  g_autofree gchar *vorbis = run_index_tool ("episode.ogg", envp);
  g_autofree gchar *m4a = run_index_tool ("episode.m4a", envp);
  g_autofree gchar *mka = run_index_tool ("episode.mka", envp);
  g_autofree gchar *mka_path = episode ("episode.mka");
  g_autofree gchar *mka_duration = g_strdup_printf ("duration: %.3f s",
      mka_decoded_duration (mka_path) / 1e9);

  g_assert_nonnull (strstr (mp3, "frames: 102059"));
  g_assert_nonnull (strstr (mp3, "duration: 2666.000 s"));
  g_assert_nonnull (strstr (mp3, "encoder delay 576"));
  g_assert_nonnull (strstr (mp3, cache));
  /* FLAC: from its frame headers */
  g_assert_nonnull (strstr (flac, "FLAC, 44100 Hz"));
  g_assert_nonnull (strstr (flac, "duration: 2666.000 s"));
  /* Ogg: from its page granules */
  g_assert_nonnull (strstr (opus, "Ogg Opus, 48000 Hz"));
  g_assert_nonnull (strstr (opus, "pre-skip: 312"));
  g_assert_nonnull (strstr (opus, "duration: 2666.000 s"));
  g_assert_nonnull (strstr (vorbis, "Ogg Vorbis, 44100 Hz"));
  g_assert_nonnull (strstr (vorbis, "duration: 2666.000 s"));
  /* M4A: from its sample tables and edit list */
  g_assert_nonnull (strstr (m4a, "MP4 AAC, 44100 Hz"));
  g_assert_nonnull (strstr (m4a, "priming 1024"));
  g_assert_nonnull (strstr (m4a, "duration: 2666.000 s"));
  /* Matroska: from its block sizes, as long as the stock decode */
  g_assert_nonnull (strstr (mka, "Matroska Vorbis, 44100 Hz"));
  g_assert_nonnull (strstr (mka, mka_duration));
  g_strfreev (envp);
  tmp_dir_remove (cache);
}

/* Plays @pipeline (taken) to its end; returns the messages of @type it
 * posted on the way (the end must be EOS, not an error or a stall). */
static guint
play_pipeline_to_eos (GstElement * pipeline, GstMessageType type)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  guint n = 0;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  for (;;) {
    GstMessageType got;

    msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR | type);
    if (msg == NULL)
      print_stalled_pipeline (pipeline, "no EOS and no error for 60 s");
    g_assert_nonnull (msg);
    got = GST_MESSAGE_TYPE (msg);
    if (got == type)
      n++;
    if (got == GST_MESSAGE_ERROR) {
      GError *error = NULL;

      gst_message_parse_error (msg, &error, NULL);
      g_error ("%s: %s", GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)),
          error->message);
    }
    gst_message_unref (msg);
    if (got == GST_MESSAGE_EOS)
      break;
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
  return n;
}

/* Runs @desc to its end: see play_pipeline_to_eos(). */
static guint
run_to_eos (const gchar * desc, GstMessageType type)
{
  return play_pipeline_to_eos (gst_parse_launch (desc, NULL), type);
}

/* Samples decoded from @path, with or without the seek table in front. */
static gsize
decoded_samples (const gchar * path, gboolean table, const gchar * out)
{
  g_autofree gchar *desc = g_strdup_printf ("filesrc location=\"%s\" ! %s "
      "decodebin ! audioconvert ! audio/x-raw,format=S16LE,channels=1 ! "
      "filesink location=\"%s\"", path, table ? "seektable !" : "", out);
  GStatBuf st;

  run_to_eos (desc, 0);
  g_assert_cmpint (g_stat (out, &st), ==, 0);
  return st.st_size / 2;
}

/* Ogg the seek table does not take apart, or that is damaged: a stream
 * of two logical streams goes to oggdemux as it came; damaged pages in the
 * middle are skipped as oggdemux skips them; a second chained stream ends
 * the stream with a warning where stock oggdemux in push mode fails. The
 * same audio as without the seek table, to the sample, and no error. */
static void
test_ogg_odd (void)
{
  g_autofree gchar *dir = g_dir_make_tmp ("ogg-odd-XXXXXX", NULL);
  g_autofree gchar *a = g_build_filename (dir, "a.opus", NULL);
  g_autofree gchar *b = g_build_filename (dir, "b.opus", NULL);
  g_autofree gchar *two = g_build_filename (dir, "two.opus", NULL);
  g_autofree gchar *chained = g_build_filename (dir, "chained.opus", NULL);
  g_autofree gchar *damaged = g_build_filename (dir, "damaged.opus", NULL);
  g_autofree gchar *out = g_build_filename (dir, "out.raw", NULL);
  g_autofree gchar *episode_path = episode ("episode.opus");
  g_autofree gchar *desc = NULL;
  g_autofree gchar *bytes_a = NULL, *bytes_b = NULL, *bytes_e = NULL;
  gsize len_a, len_b, len_e, i, stock;
  GString *joined;

  desc = g_strdup_printf ("audiotestsrc num-buffers=100 freq=440 ! opusenc ! "
      "oggmux ! filesink location=\"%s\"", a);
  run_to_eos (desc, 0);
  g_free (desc);
  desc = g_strdup_printf ("audiotestsrc num-buffers=100 freq=660 ! opusenc ! "
      "oggmux ! filesink location=\"%s\"", b);
  run_to_eos (desc, 0);
  g_free (desc);
  desc = g_strdup_printf ("audiotestsrc num-buffers=100 ! opusenc ! m.  "
      "audiotestsrc num-buffers=100 freq=880 ! opusenc ! m.  oggmux name=m ! "
      "filesink location=\"%s\"", two);
  run_to_eos (desc, 0);

  /* two logical streams: oggdemux's */
  stock = decoded_samples (two, FALSE, out);
  g_assert_cmpuint (stock, >, 0);
  g_assert_cmpuint (decoded_samples (two, TRUE, out), ==, stock);

  /* damaged in the middle: 20 KB of noise at 1 MB */
  g_assert_true (g_file_get_contents (episode_path, &bytes_e, &len_e, NULL));
  len_e = MIN (len_e, 3000000);
  for (i = 1000000; i < 1020000; i++)
    bytes_e[i] = (gchar) g_test_rand_int_range (0, 256);
  g_assert_true (g_file_set_contents (damaged, bytes_e, len_e, NULL));
  stock = decoded_samples (damaged, FALSE, out);
  g_assert_cmpuint (stock, >, 48000 * 400);
  g_assert_cmpuint (decoded_samples (damaged, TRUE, out), ==, stock);

  /* chained: the first stream plays whole, then a warning and the end */
  g_assert_true (g_file_get_contents (a, &bytes_a, &len_a, NULL));
  g_assert_true (g_file_get_contents (b, &bytes_b, &len_b, NULL));
  joined = g_string_new_len (bytes_a, len_a);
  g_string_append_len (joined, bytes_b, len_b);
  g_assert_true (g_file_set_contents (chained, joined->str, joined->len,
          NULL));
  g_string_free (joined, TRUE);
  g_free (desc);
  desc = g_strdup_printf ("filesrc location=\"%s\" ! seektable ! decodebin ! "
      "audioconvert ! audio/x-raw,format=S16LE,channels=1 ! filesink "
      "location=\"%s\"", chained, out);
  stock = decoded_samples (a, FALSE, out);
  g_assert_cmpuint (decoded_samples (a, TRUE, out), ==, stock);
  g_assert_cmpuint (run_to_eos (desc, GST_MESSAGE_WARNING), ==, 1);
  {
    GStatBuf st;

    g_assert_cmpint (g_stat (out, &st), ==, 0);
    g_assert_cmpuint (st.st_size / 2, ==, stock);
  }

  for (i = 0; i < 6; i++) {
    const gchar *names[] = { a, b, two, chained, damaged, out };

    g_unlink (names[i]);
  }
  g_rmdir (dir);
}

static GstPadProbeReturn
count_bytes (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  *(guint64 *) user_data += gst_buffer_get_size (GST_PAD_PROBE_INFO_BUFFER
      (info));
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
digest_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GChecksum *sum = user_data;
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstMapInfo map;

  if (gst_buffer_map (buf, &map, GST_MAP_READ)) {
    g_checksum_update (sum, map.data, map.size);
    gst_buffer_unmap (buf, &map);
  }
  return GST_PAD_PROBE_OK;
}

/* A digest of all the audio decoded from @path (mono, 16 bits), with or
 * without the seek table in front; with @bytes, how much there was. */
static gchar *
decode_digest (const gchar * path, gboolean table, guint64 * bytes)
{
  g_autofree gchar *desc = g_strdup_printf ("filesrc location=\"%s\" ! %s "
      "decodebin ! audioconvert ! audio/x-raw,format=S16LE,channels=1 ! "
      "fakesink name=sink sync=false", path, table ? "seektable !" : "");
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  GstPad *pad = gst_element_get_static_pad (sink, "sink");
  GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  gchar *digest;

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, digest_buffer, sum,
      NULL);
  if (bytes) {
    *bytes = 0;
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_bytes, bytes,
        NULL);
  }
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 300 * GST_SECOND, GST_MESSAGE_EOS |
      GST_MESSAGE_ERROR);
  g_assert_nonnull (msg);
  g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_EOS);
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  digest = g_strdup (g_checksum_get_string (sum));
  g_checksum_free (sum);
  gst_object_unref (bus);
  gst_object_unref (pad);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  return digest;
}

/* Ogg (Matroska) taken apart by the seek table decodes to the same audio
 * as through oggdemux (matroskademux), sample for sample from the first to
 * the last: pre-skip, every packet's time, the last page's end trimming. */
static void
test_ogg_straight (gconstpointer data)
{
  g_autofree gchar *path = episode (data);
  g_autofree gchar *stock = decode_digest (path, FALSE, NULL);
  g_autofree gchar *ours = decode_digest (path, TRUE, NULL);

  g_assert_cmpstr (ours, ==, stock);
}

/* How long the stock decode of a Matroska/Vorbis file runs, to the
 * sample: what the seek table must answer for its DURATION. */
static gint64
mka_decoded_duration (const gchar * path)
{
  guint64 bytes = 0;

  g_free (decode_digest (path, FALSE, &bytes));
  return gst_util_uint64_scale_int (bytes / 2, GST_SECOND, 44100);
}

/* M4A taken apart by the seek table decodes to the source's length, to
 * the sample (qtdemux's ends 40 samples short), and, judged by
 * start-exact against the lossless source, from its first sample. */
static void
test_m4a_straight (void)
{
  g_autofree gchar *path = episode ("episode.m4a");
  g_autofree gchar *digest = NULL;
  guint64 bytes = 0;

  digest = decode_digest (path, TRUE, &bytes);
  g_assert_cmpuint (bytes, ==, 2666 * 44100 * 2);
}

/* What the seek table makes of @path: the caps on its source pad once
 * the pipeline has prerolled (NULL: it passed the bytes through). */
static gchar *
seektable_caps (const gchar * path, const gchar * tail)
{
  g_autofree gchar *desc = g_strdup_printf ("filesrc location=\"%s\" ! "
      "seektable name=t ! decodebin name=d %s", path, tail);
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstElement *table = gst_bin_get_by_name (GST_BIN (pipeline), "t");
  GstPad *pad = gst_element_get_static_pad (table, "src");
  GstCaps *caps;
  gchar *str = NULL;

  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  g_assert_cmpint (gst_element_get_state (pipeline, NULL, NULL,
          30 * GST_SECOND), ==, GST_STATE_CHANGE_SUCCESS);
  caps = gst_pad_get_current_caps (pad);
  if (caps) {
    str = gst_caps_to_string (caps);
    gst_caps_unref (caps);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pad);
  gst_object_unref (table);
  gst_object_unref (pipeline);
  return str;
}

/* Runs a command (found in PATH) that must succeed. */
static void
run_command (const gchar * const *argv)
{
  gint status;

  g_assert_true (g_spawn_sync (NULL, (gchar **) argv, NULL,
          G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* Plays @path through the seek table to its end, without error; the
 * title and artist tags that came with it; the warnings it posted. */
static guint
play_with_tags (const gchar * path, gchar ** title, gchar ** artist)
{
  g_autofree gchar *desc = g_strdup_printf ("filesrc location=\"%s\" ! "
      "seektable ! decodebin ! fakesink", path);
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  guint warnings = 0;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while ((msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND,
              GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_TAG |
              GST_MESSAGE_WARNING))) {
    GstMessageType type = GST_MESSAGE_TYPE (msg);

    if (type == GST_MESSAGE_TAG) {
      GstTagList *tags = NULL;

      gst_message_parse_tag (msg, &tags);
      if (!*title)
        gst_tag_list_get_string (tags, GST_TAG_TITLE, title);
      if (!*artist)
        gst_tag_list_get_string (tags, GST_TAG_ARTIST, artist);
      gst_tag_list_unref (tags);
    } else if (type == GST_MESSAGE_WARNING) {
      GError *error = NULL;

      gst_message_parse_warning (msg, &error, NULL);
      g_test_message ("warning: %s", error->message);
      g_error_free (error);
      warnings++;
    }
    gst_message_unref (msg);
    g_assert_cmpint (type, !=, GST_MESSAGE_ERROR);
    if (type == GST_MESSAGE_EOS)
      break;
  }
  g_assert_nonnull (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
  return warnings;
}

/* MP4 the seek table does and does not take apart: one AAC track with the
 * movie box first (faststart) is its, and its metadata goes on as
 * qtdemux's would; a movie with video goes to qtdemux as it came. */
static void
test_m4a_odd (void)
{
  g_autofree gchar *dir = g_dir_make_tmp ("m4a-odd-XXXXXX", NULL);
  g_autofree gchar *fast = g_build_filename (dir, "fast.m4a", NULL);
  g_autofree gchar *video = g_build_filename (dir, "video.mp4", NULL);
  g_autofree gchar *episode_path = episode ("episode.m4a");
  g_autofree gchar *desc = NULL, *caps = NULL;
  g_autofree gchar *title = NULL, *artist = NULL;
  /* ffmpeg writes the iTunes tags a podcast app would */
  const gchar *argv[] = { "ffmpeg", "-nostdin", "-loglevel", "error", "-y",
    "-i", episode_path, "-t", "20", "-c", "copy", "-metadata",
    "title=Prediction Limits", "-metadata", "artist=Stand-in", "-movflags",
    "+faststart", fast, NULL
  };

  run_command (argv);
  desc = g_strdup_printf ("videotestsrc num-buffers=30 ! x264enc ! mp4mux "
      "name=m ! filesink location=\"%s\"  audiotestsrc num-buffers=30 ! "
      "audioconvert ! avenc_aac ! m.", video);
  run_to_eos (desc, 0);

  caps = seektable_caps (fast, "! fakesink");
  g_test_message ("faststart: %s", caps);
  g_assert_nonnull (caps);
  g_assert_true (g_str_has_prefix (caps, "audio/mpeg"));
  g_clear_pointer (&caps, g_free);
  /* it plays, with the movie's metadata, as through qtdemux */
  g_assert_cmpuint (play_with_tags (fast, &title, &artist), ==, 0);
  g_assert_cmpstr (title, ==, "Prediction Limits");
  g_assert_cmpstr (artist, ==, "Stand-in");

  caps = seektable_caps (video, "d. ! queue ! fakesink  d. ! queue ! "
      "fakesink");
  g_test_message ("video: %s", caps ? caps : "(passed through)");
  g_assert_true (caps == NULL || !g_str_has_prefix (caps, "audio/mpeg"));

  g_unlink (fast);
  g_unlink (video);
  g_rmdir (dir);
}

/* Matroska the seek table does and does not take apart: ffmpeg's with
 * segment tags, WebM, GStreamer's own muxer's (other block times) are its,
 * and decode to the same audio as through matroskademux; Opus in Matroska
 * and a file with video go to matroskademux as they came; a damaged
 * stretch is skipped to the next cluster with a warning, and the rest
 * plays. */
static void
test_mka_odd (void)
{
  g_autofree gchar *dir = g_dir_make_tmp ("mka-odd-XXXXXX", NULL);
  g_autofree gchar *tagged = g_build_filename (dir, "tagged.mka", NULL);
  g_autofree gchar *webm = g_build_filename (dir, "audio.webm", NULL);
  g_autofree gchar *gst = g_build_filename (dir, "gst.mka", NULL);
  g_autofree gchar *opus = g_build_filename (dir, "opus.mka", NULL);
  g_autofree gchar *video = g_build_filename (dir, "video.mkv", NULL);
  g_autofree gchar *damaged = g_build_filename (dir, "damaged.mka", NULL);
  g_autofree gchar *out = g_build_filename (dir, "out.raw", NULL);
  g_autofree gchar *episode_path = episode ("episode.mka");
  g_autofree gchar *title = NULL, *artist = NULL, *caps = NULL, *desc = NULL;
  g_autofree gchar *bytes = NULL;
  const gchar *tag_argv[] = { "ffmpeg", "-nostdin", "-loglevel", "error",
    "-y", "-i", episode_path, "-t", "20", "-c", "copy", "-metadata",
    "title=Prediction Limits", "-metadata", "artist=Stand-in", tagged, NULL
  };
  const gchar *webm_argv[] = { "ffmpeg", "-nostdin", "-loglevel", "error",
    "-y", "-i", episode_path, "-t", "20", "-c", "copy", webm, NULL
  };
  gsize len, stock, i;
  guint j;

  run_command (tag_argv);
  run_command (webm_argv);
  desc = g_strdup_printf ("audiotestsrc num-buffers=400 ! audioconvert ! "
      "vorbisenc ! matroskamux ! filesink location=\"%s\"", gst);
  run_to_eos (desc, 0);
  g_free (desc);
  desc = g_strdup_printf ("audiotestsrc num-buffers=100 ! opusenc ! "
      "matroskamux ! filesink location=\"%s\"", opus);
  run_to_eos (desc, 0);
  g_free (desc);
  desc = g_strdup_printf ("videotestsrc num-buffers=30 ! x264enc ! "
      "matroskamux name=m ! filesink location=\"%s\"  audiotestsrc "
      "num-buffers=30 ! audioconvert ! vorbisenc ! m.", video);
  run_to_eos (desc, 0);

  /* ours: the same audio as matroskademux's, and the segment's tags */
  for (j = 0; j < 3; j++) {
    const gchar *path = j == 0 ? tagged : j == 1 ? webm : gst;
    g_autofree gchar *stock_digest = decode_digest (path, FALSE, NULL);
    g_autofree gchar *digest = decode_digest (path, TRUE, NULL);

    caps = seektable_caps (path, "! fakesink");
    g_assert_nonnull (caps);
    g_test_message ("%s: %.*s", path, (gint) strcspn (caps, ","), caps);
    g_assert_true (g_str_has_prefix (caps, "audio/x-vorbis"));
    g_clear_pointer (&caps, g_free);
    g_assert_cmpstr (digest, ==, stock_digest);
  }
  g_assert_cmpuint (play_with_tags (tagged, &title, &artist), ==, 0);
  g_assert_cmpstr (title, ==, "Prediction Limits");
  g_assert_cmpstr (artist, ==, "Stand-in");

  /* not ours: through as they came, and playing as without us */
  caps = seektable_caps (opus, "! fakesink");
  g_assert_true (caps == NULL || !g_str_has_prefix (caps, "audio/x-"));
  g_clear_pointer (&caps, g_free);
  stock = decoded_samples (opus, FALSE, out);
  g_assert_cmpuint (stock, >, 0);
  g_assert_cmpuint (decoded_samples (opus, TRUE, out), ==, stock);
  caps = seektable_caps (video, "d. ! queue ! fakesink  d. ! queue ! "
      "fakesink");
  g_test_message ("video: %s", caps ? caps : "(passed through)");
  g_assert_true (caps == NULL || !g_str_has_prefix (caps, "audio/x-"));

  /* damaged: 20 KB of noise at 1 MB of the episode's first 3 MB */
  g_assert_true (g_file_get_contents (episode_path, &bytes, &len, NULL));
  len = MIN (len, 3000000);
  for (i = 1000000; i < 1020000; i++)
    bytes[i] = (gchar) g_test_rand_int_range (0, 256);
  g_assert_true (g_file_set_contents (damaged, bytes, len, NULL));
  g_clear_pointer (&title, g_free);
  g_clear_pointer (&artist, g_free);
  g_assert_cmpuint (play_with_tags (damaged, &title, &artist), >=, 1);
  stock = decoded_samples (damaged, FALSE, out);
  g_assert_cmpuint (decoded_samples (damaged, TRUE, out), >=, stock * 0.98);

  for (j = 0; j < 7; j++) {
    const gchar *names[] = { tagged, webm, gst, opus, video, damaged, out };

    g_unlink (names[j]);
  }
  g_rmdir (dir);
}

/* A seek past the end through the seek table ends the stream, with no
 * error, whatever the format; also at once, before the local scan is
 * done ("now:" before the file's name): then the jump is planned from an
 * estimate, which past the end once lay beyond the file (the request
 * ended at once, its end was taken for a request left behind: a hang). */
static void
test_seek_past_end (gconstpointer data)
{
  const gchar *name = data;
  gboolean now = g_str_has_prefix (name, "now:");
  g_autofree gchar *path = episode (now ? name + 4 : name);
  g_autofree gchar *desc = g_strdup_printf ("filesrc location=\"%s\" ! "
      "seektable ! decodebin ! audioconvert ! fakesink sync=false", path);
  GstElement *pipeline = gst_parse_launch (desc, NULL);

  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  g_assert_cmpint (gst_element_get_state (pipeline, NULL, NULL,
          30 * GST_SECOND), ==, GST_STATE_CHANGE_SUCCESS);
  if (!now)
    g_usleep (100000);          /* the local scan, in its worker */
  gst_element_seek_simple (pipeline, GST_FORMAT_TIME, GST_SEEK_FLAG_FLUSH |
      GST_SEEK_FLAG_ACCURATE, S (3000));
  play_pipeline_to_eos (pipeline, 0);
}

/* The first chapter's title in the TOC of `chapters @props` behind
 * @chain on @path, once prerolled. */
static gchar *
first_toc_title (const gchar * chain, const gchar * path, const gchar * props)
{
  g_autofree gchar *desc = g_strdup_printf ("filesrc location=\"%s\" ! %s ! "
      "chapters name=c %s ! fakesink", path, chain, props);
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstElement *c = gst_bin_get_by_name (GST_BIN (pipeline), "c");
  GstToc *toc = NULL;
  gchar *title = NULL;

  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  g_assert_cmpint (gst_element_get_state (pipeline, NULL, NULL,
          30 * GST_SECOND), ==, GST_STATE_CHANGE_SUCCESS);
  g_object_get (c, "toc", &toc, NULL);
  g_assert_nonnull (toc);
  {
    GstTocEntry *edition = gst_toc_get_entries (toc)->data;
    GstTocEntry *first = gst_toc_entry_get_sub_entries (edition)->data;
    GstTagList *tags = gst_toc_entry_get_tags (first);

    g_assert_true (gst_tag_list_get_string (tags, GST_TAG_TITLE, &title));
  }
  gst_toc_unref (toc);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (c);
  gst_object_unref (pipeline);
  return title;
}

/* The language property chooses among a Matroska file's titles also where
 * the chapters come as a TOC, which holds one title each: from
 * matroskademux (its pick: the first display) or from an autoplugged
 * seek table (the user's language). */
static void
test_language_toc (void)
{
  const gchar *xml = LANGUAGES_XML;
  static const struct
  {
    const gchar *chain, *props, *title;
  } cases[] = {
    {"matroskademux ! vorbisdec", "language=fr", "Pr\xc3\xa9sentation"},
    {"matroskademux ! vorbisdec", "language=en", "Introduction"},
    /* none asked for: the user's (C here), else English; not
     * matroskademux's pick, the first display */
    {"matroskademux ! vorbisdec", "", "Introduction"},
    {"decodebin", "language=fr", "Pr\xc3\xa9sentation"},
    {"decodebin", "language=de", "Einleitung"},
  };
  g_autofree gchar *dir = g_dir_make_tmp ("chapters-lang-XXXXXX", NULL);
  g_autofree gchar *mka = make_mka_with_chapters (dir, xml);
  guint i;

  g_unsetenv ("LANGUAGE");
  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree gchar *title = first_toc_title (cases[i].chain, mka,
        cases[i].props);

    g_test_message ("%s, %s: %s", cases[i].chain, cases[i].props, title);
    g_assert_cmpstr (title, ==, cases[i].title);
  }
  for (i = 0; i < 3; i++) {
    g_autofree gchar *name = g_build_filename (dir, (const gchar *[]) {
        "c.xml", "a.mka", "c.mka"}[i], NULL);

    g_unlink (name);
  }
  g_rmdir (dir);
}

/* As playbin's audio-filter, the way GTK players embed it. */
static void
test_playbin_filter (void)
{
  g_autofree gchar *path = episode ("episode.opus");
  g_autofree gchar *uri = gst_filename_to_uri (path, NULL);
  GstElement *playbin = gst_element_factory_make ("playbin", NULL);
  GstElement *filter = gst_element_factory_make ("chapters", NULL);
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  GstMessage *msg = NULL;
  GstBus *bus;
  gint64 position = -1;
  gint index = 0;

  g_object_set (filter, "start-chapter", "Prediction Limits", NULL);
  g_object_set (sink, "sync", FALSE, NULL);
  g_object_set (playbin, "uri", uri, "audio-filter", filter, "audio-sink",
      sink, "video-sink", gst_element_factory_make ("fakesink", NULL), NULL);
  gst_element_set_state (playbin, GST_STATE_PAUSED);
  bus = gst_element_get_bus (playbin);
  while ((msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND,
              GST_MESSAGE_ELEMENT | GST_MESSAGE_ERROR))) {
    const GstStructure *s = gst_message_get_structure (msg);

    g_assert_cmpint (GST_MESSAGE_TYPE (msg), ==, GST_MESSAGE_ELEMENT);
    if (gst_structure_has_name (s, "chapter")) {
      gst_structure_get_int (s, "index", &index);
      gst_message_unref (msg);
      break;
    }
    gst_message_unref (msg);
  }
  g_assert_cmpint (index, ==, 4);
  gst_element_get_state (playbin, NULL, NULL, 10 * GST_SECOND);
  g_assert_true (gst_element_query_position (playbin, GST_FORMAT_TIME,
          &position));
  g_assert_cmpint (position, >=, S (660));
  g_assert_cmpint (position, <, S (661));
  gst_object_unref (bus);
  gst_element_set_state (playbin, GST_STATE_NULL);
  gst_object_unref (playbin);
}

int
main (int argc, char **argv)
{
  static const gchar *const encodings[] = { "episode-cbr.mp3",
    "episode-vbr.mp3", "episode.m4a", "episode.opus", "episode.flac",
    "episode.mka", "episode.ogg", NULL
  };
  static const gchar *const exact[] = { "episode.flac", "episode.opus",
    "episode-vbr.mp3", "episode-cbr.mp3", "episode.ogg", "episode.m4a",
    "episode.mka", NULL
  };
  const gchar *part;
  guint i;

  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  episode_dir = g_getenv ("CHAPTER_EPISODE_DIR");
  if (episode_dir == NULL)
    episode_dir = EPISODE_DIR;

  /* CHAPTER_PIPELINE_PART: "random" the random jumps only, "rest" all
   * but those, unset everything (the suite runs the two parts apart) */
  part = g_getenv ("CHAPTER_PIPELINE_PART");
  if (g_strcmp0 (part, "random") != 0) {
    for (i = 0; encodings[i]; i++) {
      g_autofree gchar *name = g_strdup_printf ("/pipeline/toc/%s",
          encodings[i]);

      g_test_add_data_func (name, encodings[i], test_toc);
    }
    for (i = 0; exact[i]; i++) {
      g_autofree gchar *name = g_strdup_printf ("/pipeline/start-exact/%s",
          exact[i]);

      g_test_add_data_func (name, exact[i], test_start_exact);
    }
    g_test_add_func ("/pipeline/playbin-audio-filter", test_playbin_filter);
    g_test_add_func ("/pipeline/language-toc", test_language_toc);
    g_test_add_func ("/pipeline/start-container/m4a", test_start_container);
    g_test_add_func ("/pipeline/tool-index", test_tool_index);
    g_test_add_func ("/pipeline/tool-empty", test_tool_empty);
    g_test_add_func ("/pipeline/ogg-odd", test_ogg_odd);
    g_test_add_data_func ("/pipeline/ogg-straight/opus", "episode.opus",
        test_ogg_straight);
    g_test_add_data_func ("/pipeline/ogg-straight/vorbis", "episode.ogg",
        test_ogg_straight);
    g_test_add_data_func ("/pipeline/mka-straight", "episode.mka",
        test_ogg_straight);
    g_test_add_data_func ("/pipeline/mka-straight/laced", "episode-laced.mka",
        test_ogg_straight);
    g_test_add_func ("/pipeline/m4a-straight", test_m4a_straight);
    g_test_add_func ("/pipeline/m4a-odd", test_m4a_odd);
    g_test_add_func ("/pipeline/mka-odd", test_mka_odd);
    {
      static const gchar *const files[] = { "episode-vbr.mp3", "episode.flac",
        "episode.opus", "episode.ogg", "episode.m4a", "episode.mka",
        "now:episode.mka", "now:episode-cbr.mp3", "now:episode.opus",
        "now:episode.flac", NULL
      };

      for (i = 0; files[i]; i++) {
        g_autofree gchar *name = g_strdup_printf ("/pipeline/seek-past-end/%s",
            files[i]);

        g_test_add_data_func (name, files[i], test_seek_past_end);
      }
    }
  }
  if (g_strcmp0 (part, "rest") != 0) {
    g_test_add_data_func ("/pipeline/seektable-random/vbr", "episode-vbr.mp3",
        test_random_jumps);
    g_test_add_data_func ("/pipeline/seektable-random/cbr", "episode-cbr.mp3",
        test_random_jumps);
    g_test_add_data_func ("/pipeline/seektable-random/flac", "episode.flac",
        test_random_jumps);
    g_test_add_data_func ("/pipeline/seektable-random/opus", "episode.opus",
        test_random_jumps);
    g_test_add_data_func ("/pipeline/seektable-random/vorbis", "episode.ogg",
        test_random_jumps);
    g_test_add_data_func ("/pipeline/seektable-random/m4a", "episode.m4a",
        test_random_jumps);
    g_test_add_data_func ("/pipeline/seektable-random/mka", "episode.mka",
        test_random_jumps);
    g_test_add_data_func ("/pipeline/seektable-random/mka-laced",
        "episode-laced.mka", test_random_jumps);
  }
  return g_test_run ();
}
