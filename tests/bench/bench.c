/* gst-chapters benchmark: chapter jumps with stock GStreamer (default flags
 * and ACCURATE) against the seek table, on the stand-in episode, local and
 * over a loopback HTTP server; plus the index build of a 10-hour MP3, the
 * `chapters` element's per-buffer cost and a 100 000-chapter JSON parse.
 * Every figure is measured in this run; the tables are written to the file
 * given with --output (Markdown).
 *
 *   bench EPISODE_DIR [--output FILE] [--rate BYTES_PER_S] [--quick]
 */
#include <gst/gst.h>
#include <gst/app/gstappsink.h>
#include <math.h>
#include <string.h>
#include <stdio.h>
#include <sys/resource.h>

#include "audio-compare.h"
#include "locate.h"
#include "long-mp3.h"
#include "media-server.h"
#include "chapter-format.h"
#include "chapter-toc.h"
#include "seek-index.h"

#define PROBE_SAMPLES 16384
#define WINDOW_S 30

static const gchar *episode_dir;
static const gchar *base_url;
static GString *report;
static gboolean quick;

typedef enum
{
  MODE_DEFAULT,
  MODE_ACCURATE,
  MODE_SEEKTABLE,
} Mode;

static const gchar *const mode_names[] = { "stock, default flags",
  "stock, ACCURATE", "seektable"
};

typedef struct
{
  gdouble error_ms;
  gint landing_samples;         /* first sample's stream time - target */
  gint error_samples;
  gboolean matched;
  guint64 bytes;
  guint requests;
  gdouble latency_ms;
  gchar *decoder;               /* the one decodebin chose */
} Jump;

static guint64 probe_bytes;

static GstPadProbeReturn
count_bytes (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER)
    g_atomic_pointer_add (&probe_bytes,
        gst_buffer_get_size (GST_PAD_PROBE_INFO_BUFFER (info)));
  return GST_PAD_PROBE_OK;
}

/* The gapless straight decode around each target, WINDOW_S either side. */
typedef struct
{
  Capture windows[8];
  gint rate;
  guint skip;
} Reference;

static void
reference_decode (const gchar * path, const gdouble * targets, guint n,
    Reference * ref)
{
  g_autofree gchar *flac = g_build_filename (episode_dir, "episode.flac",
      NULL);
  g_autofree gchar *desc = NULL;
  guint i;

  /* the lossless FLAC is the source itself: every 44.1 kHz file is judged
   * against it; Opus (48 kHz) against its own straight decode */
  if (!g_str_has_suffix (path, ".opus") && g_file_test (flac, G_FILE_TEST_EXISTS))
    path = flac;
  desc = g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! " CAPTURE_SINK, path);
  ref->skip = capture_gapless_skip (path);
  /* one decode per target keeps memory small; the decoder is fast */
  for (i = 0; i < n; i++) {
    gint rate = g_str_has_suffix (path, ".opus") ? 48000 : 44100;
    gsize from = (gsize) ((targets[i] - WINDOW_S) * rate) + ref->skip;

    capture_run (desc, from, (gsize) (2 * WINDOW_S * rate), &ref->windows[i]);
    ref->rate = ref->windows[i].rate;
    g_assert (ref->rate == rate);
  }
}

/* Buffers the capture sink holds during a jump. */
#define SINK_BUFFERS 8

static void
jump (const gchar * location, gboolean http, Mode mode, gdouble target,
    const Capture * ref_window, Jump * out)
{
  g_autofree gchar *desc = g_strdup_printf ("%s name=src location=\"%s\" ! "
      "%s decodebin ! " CAPTURE_SINK, http ? "souphttpsrc" : "filesrc",
      location, mode == MODE_SEEKTABLE ? "seektable name=table !" : "");
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  GstPad *pad = gst_element_get_static_pad (src, "src");
  GstSeekFlags flags = GST_SEEK_FLAG_FLUSH;
  GstSegment stale;
  gboolean have_stale;
  Capture probe;
  gint64 t0;
  gint lag;
  gdouble score;
  gsize center;

  memset (out, 0, sizeof *out);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_bytes, NULL,
      NULL);
  {
    /* a sink that holds a few buffers, as an audio sink does: the bytes
     * counted are what the jump needs plus what the pipeline's queues
     * hold, the same for every path, not a decode racing ahead */
    GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "out");

    g_object_set (sink, "max-buffers", SINK_BUFFERS, NULL);
    gst_object_unref (sink);
  }
  if (mode == MODE_SEEKTABLE && http
      && g_str_has_suffix (location, "vbr.mp3")) {
    /* VBR over HTTP: the index comes from the bytes that streamed by in
     * one listen before, kept in the cache (keyed by URL, size, ETag) */
    g_autofree gchar *pass = g_strdup_printf ("souphttpsrc location=\"%s\" "
        "! seektable ! fakesink sync=false", location);
    GstElement *listen = gst_parse_launch (pass, NULL);
    GstBus *bus = gst_element_get_bus (listen);
    GstMessage *msg;

    gst_element_set_state (listen, GST_STATE_PLAYING);
    msg = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    if (msg)
      gst_message_unref (msg);
    gst_element_set_state (listen, GST_STATE_NULL);
    gst_object_unref (bus);
    gst_object_unref (listen);
  }
  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  gst_element_get_state (pipeline, NULL, NULL, 30 * GST_SECOND);
  out->decoder = locate_decoder_in (pipeline);
  if (mode == MODE_SEEKTABLE && !http) {
    g_usleep (1000000);         /* the local scan, in its worker */
  }
  if (mode != MODE_DEFAULT)
    flags |= GST_SEEK_FLAG_ACCURATE;
  have_stale = capture_preroll_segment (pipeline, &stale);

  g_atomic_pointer_set (&probe_bytes, 0);
  media_server_reset_counts ();
  t0 = g_get_monotonic_time ();
  gst_element_seek_simple (pipeline, GST_FORMAT_TIME, flags,
      (gint64) (target * GST_SECOND));
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  capture_pull_after (pipeline, have_stale ? &stale : NULL, PROBE_SAMPLES,
      &probe);
  out->latency_ms = probe.first_arrival_us ?
      (probe.first_arrival_us - t0) / 1000.0 : -1;
  out->bytes = g_atomic_pointer_get (&probe_bytes);
  out->requests = media_server_requests ();
  gst_element_set_state (pipeline, GST_STATE_NULL);

  /* where the audio labelled first_pts really is */
  if (probe.n == PROBE_SAMPLES && GST_CLOCK_TIME_IS_VALID (probe.first_pts)) {
    gdouble labelled = probe.first_pts / (gdouble) GST_SECOND;
    /* judge by audio a little after the start: a decoder that lands
     * without its bit reservoir puts out silence first */
    Capture later = { probe.samples + PROBE_SAMPLES / 2, PROBE_SAMPLES / 2,
      probe.rate, probe.first_pts, 0
    };

    /* where it starts: audio before the target is audio from before the
     * chapter */
    out->landing_samples = (gint) llround ((labelled - target) *
        ref_window->rate);

    center = (gsize) MAX (0, llround ((labelled - (target - WINDOW_S)) *
            ref_window->rate)) + PROBE_SAMPLES / 2;
    /* coarse-to-fine would be faster; the window is what a default-flags
     * seek can miss by */
    lag = capture_best_lag (ref_window, center, &later, 2048,
        (gint) ((WINDOW_S - 0.2) * ref_window->rate), &score);
    out->matched = score > 0.9;
    if (g_getenv ("BENCH_DEBUG"))
      g_printerr ("first pts %" GST_TIME_FORMAT " center %zu lag %d score %f n %zu s0 %f s1000 %f s4000 %f\n", GST_TIME_ARGS (probe.first_pts), center, lag, score, probe.n, probe.samples[0], probe.samples[1000], probe.samples[4000]);
    out->error_samples = lag;
    out->error_ms = lag * 1000.0 / ref_window->rate;
  }
  capture_clear (&probe);
  gst_object_unref (pad);
  gst_object_unref (src);
  gst_object_unref (pipeline);
}

/* The worst of a path's jumps in one file, for the summary. */
typedef struct
{
  gboolean seen;
  gboolean all_matched;
  gint worst_error;             /* samples, largest magnitude */
  gint worst_landing;
  guint64 most_bytes;
  guint most_requests;
} Worst;

static void
worst_add (Worst * w, const Jump * j, gboolean http)
{
  if (!w->seen) {
    w->seen = TRUE;
    w->all_matched = TRUE;
  }
  w->all_matched &= j->matched;
  if (j->matched && ABS (j->error_samples) > ABS (w->worst_error))
    w->worst_error = j->error_samples;
  if (j->matched && ABS (j->landing_samples) > ABS (w->worst_landing))
    w->worst_landing = j->landing_samples;
  w->most_bytes = MAX (w->most_bytes, j->bytes);
  if (http)
    w->most_requests = MAX (w->most_requests, j->requests);
}

static void
summary_cell (GString * out, const Worst * w)
{
  if (!w->seen) {
    g_string_append (out, " - |");
    return;
  }
  if (!w->all_matched)
    g_string_append (out, " missed by more than 30 s at some jump");
  else if (w->worst_error == 0 && w->worst_landing == 0)
    g_string_append (out, " exact");
  else {
    if (w->worst_error != 0)
      g_string_append_printf (out, " off by up to %+d samples",
          w->worst_error);
    if (w->worst_landing != 0)
      g_string_append_printf (out, "%s starts up to %+d samples from the "
          "target", w->worst_error ? "," : "", w->worst_landing);
  }
  g_string_append_printf (out, ", up to %.0f KiB", w->most_bytes / 1024.0);
  if (w->most_requests)
    g_string_append_printf (out, " and %u request%s", w->most_requests,
        w->most_requests == 1 ? "" : "s");
  g_string_append (out, " |");
}

static GString *summary;

static void
bench_jumps (void)
{
  static const gchar *const all_files[] = { "episode-vbr.mp3",
    "episode-cbr.mp3", "episode.m4a", "episode.opus", "episode.flac",
    "episode.mka", "episode.ogg", NULL
  };
  const gchar *only[] = { g_getenv ("BENCH_ONLY"), NULL };
  const gchar *const *files = only[0] ? only : all_files;
  static const gdouble targets[] = { 660, 1650 };
  static const gchar *const target_names[] = { "11:00 Prediction Limits",
    "27:30 Scaling and Gradients"
  };
  guint f, t, http, m;

  g_string_append (report, "## Chapter jumps\n\n"
      "Error: where the first decoded audio after the jump really is "
      "(cross-correlated against the source) minus its "
      "stream time (judged on audio a little after the landing, as a "
      "decoder without its bit reservoir or overlap starts with silence or "
      "a partial frame); 0 is exact. \"seektable\" over HTTP: VBR MP3 "
      "after one listen to the whole file (the index of the bytes that "
      "streamed by, from the cache), CBR "
      "MP3 cold (placed by arithmetic), FLAC cold (an interpolated byte, "
      "checked in the frame headers), Ogg cold (the last page read once "
      "for the duration when the stream opens, then an interpolated byte, "
      "checked in the page granules), M4A cold (the movie box read once "
      "when the stream opens, then the frame before the target), Matroska "
      "cold (on from the first cluster until the writer's block times are "
      "learned, then an interpolated byte, the landing timed by them). "
      "Bytes: what the source element delivered "
      "from the seek until 16384 samples were out. Requests: HTTP requests "
      "the server saw for the jump. Latency: seek to first audio sample. "
      "Starts at: the first sample's stream time minus the target, in "
      "samples (negative: audio from before the chapter is played). "
      "Decoder: the one decodebin chose. Exactness from the first sample, "
      "decoder by decoder, is measured in the next section.\n\n"
      "| file | where | jump to | path | decoder | error | starts at | "
      "bytes | requests | latency |\n"
      "|---|---|---|---|---|---|---|---|---|---|\n");
  for (f = 0; files[f]; f++) {
    g_autofree gchar *path = g_build_filename (episode_dir, files[f], NULL);
    g_autofree gchar *url = g_strdup_printf ("%s/media/%s", base_url,
        files[f]);
    Reference ref;

    Worst worst[2][3];

    memset (worst, 0, sizeof worst);
    reference_decode (path, targets, G_N_ELEMENTS (targets), &ref);
    for (http = 0; http < 2; http++) {
      for (t = 0; t < G_N_ELEMENTS (targets); t++) {
        for (m = 0; m < 3; m++) {
          Jump j;

          if (quick && t > 0)
            continue;
          jump (http ? url : path, http, m, targets[t], &ref.windows[t], &j);
          worst_add (&worst[http][m], &j, http);
          g_string_append_printf (report, "| %s | %s | %s | %s | %s | ",
              files[f], http ? "HTTP" : "local", target_names[t],
              mode_names[m], j.decoder ? j.decoder : "-");
          if (j.matched)
            g_string_append_printf (report, "%+.1f ms (%+d samples) | "
                "%+d | ", j.error_ms, j.error_samples, j.landing_samples);
          else
            g_string_append (report, "no match within 30 s | - | ");
          {
            g_autofree gchar *requests = http ?
                g_strdup_printf ("%u", j.requests) : g_strdup ("-");

            g_string_append_printf (report, "%.1f KiB | %s | %.0f ms |\n",
                j.bytes / 1024.0, requests, j.latency_ms);
          }
          g_print ("%s %s %s %s: %+d samples, %" G_GUINT64_FORMAT " bytes, "
              "%u requests, %.0f ms\n", files[f], http ? "http" : "local",
              target_names[t], mode_names[m], j.error_samples, j.bytes,
              j.requests, j.latency_ms);
          g_free (j.decoder);
        }
      }
    }
    for (t = 0; t < G_N_ELEMENTS (targets); t++)
      capture_clear (&ref.windows[t]);
    for (http = 0; http < 2; http++) {
      g_string_append_printf (summary, "| %s | %s |", files[f],
          http ? "HTTP" : "local");
      for (m = 0; m < 3; m++)
        summary_cell (summary, &worst[http][m]);
      g_string_append (summary, "\n");
    }
  }
  g_string_append (report, "\n");
}

/* How exact a path's jumps are from the first sample heard. */
typedef struct
{
  guint jumps;
  gboolean all_matched;
  gint worst_start;             /* first sample's label - target */
  gint worst_error;             /* a buffer's audio - its label */
  guint gaps;                   /* labels that do not follow on */
  guint most_requests;          /* HTTP requests for one jump */
  guint stuck;                  /* jumps with no audio within 30 s */
  gchar *decoder;
} Exactness;

static const guint64 locator_targets_ms[] = { 12345, 66667, 101990 };

/* Jumps in @location, through the seek table or the stock path with
 * ACCURATE, and locates every buffer of the first PROBE_SAMPLES. */
static void
measure_pipeline (GstElement * pipeline, gboolean http, gboolean table,
    const SourceSignal * source, Exactness * out);

static void
measure_exactness (const gchar * location, gboolean http, gboolean table,
    const SourceSignal * source, Exactness * out)
{
  g_autofree gchar *desc = g_strdup_printf ("%s location=\"%s\" ! %s "
      "decodebin ! " LOCATE_SINK, http ? "souphttpsrc" : "filesrc",
      location, table ? "seektable !" : "");

  measure_pipeline (gst_parse_launch (desc, NULL), http, table, source, out);
}

/* @factory (playbin or playbin3) on @uri, its audio into LOCATE_SINK,
 * video (none here) into a fakesink: what a player built on it plays. */
static GstElement *
make_playbin (const gchar * factory, const gchar * uri)
{
  GstElement *player = gst_element_factory_make (factory, NULL);
  GstElement *sink = gst_parse_bin_from_description (LOCATE_SINK, TRUE,
      NULL);

  g_object_set (player, "uri", uri, "audio-sink", sink, "video-sink",
      gst_element_factory_make ("fakesink", NULL), NULL);
  return gst_object_ref_sink (player);
}

/* Jumps in @pipeline (a source to LOCATE_SINK, taking ownership) and
 * locates every buffer of the first PROBE_SAMPLES after each. */
static void
measure_pipeline (GstElement * pipeline, gboolean http, gboolean table,
    const SourceSignal * source, Exactness * out)
{
  memset (out, 0, sizeof *out);
  out->all_matched = TRUE;
  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  gst_element_get_state (pipeline, NULL, NULL, 30 * GST_SECOND);
  out->decoder = locate_decoder_in (pipeline);
  if (table && !http)
    g_usleep (300000);          /* the local scan, in its worker */
  for (guint t = 0; t < G_N_ELEMENTS (locator_targets_ms); t++) {
    guint64 target = locator_targets_ms[t] * source->rate / 1000;
    GstSegment stale;
    GArray *buffers;
    const LocatedBuffer *b;

    locate_prepare_seek (pipeline, &stale);
    media_server_reset_counts ();
    gst_element_seek_simple (pipeline, GST_FORMAT_TIME, GST_SEEK_FLAG_FLUSH
        | GST_SEEK_FLAG_ACCURATE, gst_util_uint64_scale_int_ceil (target,
            GST_SECOND, source->rate));
    if (!locate_try_wait_preroll (pipeline, 30 * GST_SECOND)) {
      /* a jump that never lands is a result too */
      out->stuck++;
      out->all_matched = FALSE;
      break;
    }
    gst_element_set_state (pipeline, GST_STATE_PLAYING);
    buffers = locate_pull (pipeline, source, PROBE_SAMPLES, 4800, &stale);
    b = (const LocatedBuffer *) buffers->data;
    out->jumps++;
    if (http)
      out->most_requests = MAX (out->most_requests, media_server_requests ());
    if (buffers->len == 0) {
      out->all_matched = FALSE;
    } else if (ABS ((gint64) (b[0].label - target)) > ABS (out->worst_start)) {
      out->worst_start = (gint) (b[0].label - target);
    }
    for (guint i = 0; i < buffers->len; i++) {
      if (i > 0 && b[i].label != b[i - 1].label + b[i - 1].n)
        out->gaps++;
      if (!b[i].located)
        continue;
      if (b[i].score < 0.5)
        out->all_matched = FALSE;
      else if (ABS (b[i].lag) > ABS (out->worst_error))
        out->worst_error = b[i].lag;
    }
    g_array_unref (buffers);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
}

static void
exactness_cell (GString * out, const Exactness * e)
{
  if (e->stuck)
    g_string_append_printf (out, " no audio within 30 s of jump %u |",
        e->jumps + 1);
  else if (!e->all_matched)
    g_string_append (out, " audio not found within 100 ms of its label |");
  else if (e->worst_start == 0 && e->worst_error == 0 && e->gaps == 0)
    g_string_append_printf (out, " exact (%u jumps) |", e->jumps);
  else
    g_string_append_printf (out, " starts %+d, audio up to %+d off its "
        "label, %u gaps |", e->worst_start, e->worst_error, e->gaps);
}

static void
bench_decoders (const SourceSignal * source)
{
  gchar *choice[16] = { NULL };
  guint f;

  g_string_append (report, "## From the first sample heard, per decoder\n\n"
      "The locator (two minutes of band-limited noise, "
      "`data/make-locator.sh`, a signal in which a few hundred samples fit "
      "in one place only) in every codec, each decoder Debian 12 ships for "
      "it forced in turn on decodebin by rank; jumps to 0:12.345, 1:06.667 "
      "and 1:41.990 (FLUSH | ACCURATE); every buffer of the first 16384 "
      "samples after each jump located on its own against the source (a "
      "short first buffer with the samples after it), in the decoder's own "
      "sample format as a sink gets it. Starts: the first buffer's stream "
      "time minus the target; off its label: the largest distance between "
      "where a buffer's audio is and where its timestamp puts it; gaps: "
      "buffers whose timestamp does not follow from the one before and its "
      "length. All in samples at 48 kHz; \"exact\" is 0 in all three. "
      "\"(decodebin's choice)\": the decoder decodebin picks with the "
      "stock ranks.\n\n| file | decoder | where | stock, ACCURATE | "
      "seektable |\n|---|---|---|---|---|\n");
  /* decodebin's own choice, before any rank is touched */
  for (f = 0; locator_files[f].file; f++) {
    g_autofree gchar *path = g_build_filename (episode_dir,
        locator_files[f].file, NULL);
    g_autofree gchar *desc = g_strdup_printf ("filesrc location=\"%s\" ! "
        "decodebin ! fakesink", path);
    GstElement *pipeline = gst_parse_launch (desc, NULL);

    gst_element_set_state (pipeline, GST_STATE_PAUSED);
    gst_element_get_state (pipeline, NULL, NULL, 30 * GST_SECOND);
    choice[f] = locate_decoder_in (pipeline);
    gst_element_set_state (pipeline, GST_STATE_NULL);
    gst_object_unref (pipeline);
  }
  for (f = 0; locator_files[f].file; f++) {
    const LocatorFile *lf = &locator_files[f];
    g_autofree gchar *path = g_build_filename (episode_dir, lf->file, NULL);
    g_autofree gchar *url = g_strdup_printf ("%s/media/%s", base_url,
        lf->file);

    for (guint d = 0; lf->decoders[d]; d++) {
      locate_force_decoder (lf->decoders, lf->decoders[d]);
      for (guint http = 0; http < 2; http++) {
        Exactness stock, table;

        measure_exactness (http ? url : path, http, FALSE, source, &stock);
        measure_exactness (http ? url : path, http, TRUE, source, &table);
        g_string_append_printf (report, "| %s | %s%s%s | %s |", lf->file,
            table.decoder ? table.decoder : "none",
            g_strcmp0 (table.decoder, lf->decoders[d]) ? " (not the one "
            "forced)" : "", !g_strcmp0 (table.decoder, choice[f]) ?
            " (decodebin's choice)" : "", http ? "HTTP" : "local");
        exactness_cell (report, &stock);
        exactness_cell (report, &table);
        g_string_append (report, "\n");
        g_print ("%s %s %s: stock start %+d error %+d gaps %u, seektable "
            "start %+d error %+d gaps %u\n", lf->file, lf->decoders[d],
            http ? "http" : "local", stock.worst_start, stock.worst_error,
            stock.gaps, table.worst_start, table.worst_error, table.gaps);
        g_free (stock.decoder);
        g_free (table.decoder);
      }
    }
  }
  g_string_append (report, "\n");
  for (f = 0; f < G_N_ELEMENTS (choice); f++)
    g_free (choice[f]);
}

/* The chapters of the TOC @player (taken) posts before PAUSED (0: none). */
static guint
chapters_at_preroll (GstElement * player)
{
  GstBus *bus = gst_element_get_bus (player);
  guint n = 0;

  gst_element_set_state (player, GST_STATE_PAUSED);
  for (;;) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND,
        GST_MESSAGE_TOC | GST_MESSAGE_ASYNC_DONE | GST_MESSAGE_ERROR);
    gboolean done = msg == NULL || GST_MESSAGE_TYPE (msg) !=
        GST_MESSAGE_TOC;

    if (msg && !done && n == 0) {
      GstToc *toc;
      g_autoptr (ChapterList) list = NULL;

      gst_message_parse_toc (msg, &toc, NULL);
      list = chapter_list_from_toc (toc);
      n = chapter_list_length (list);
      gst_toc_unref (toc);
    }
    if (msg)
      gst_message_unref (msg);
    if (done)
      break;
  }
  gst_element_set_state (player, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (player);
  return n;
}

static void
playbin_cell (GString * out, guint chapters, const Exactness * e, gboolean http)
{
  g_string_append_printf (out, " %u chapters;", chapters);
  exactness_cell (out, e);
  g_string_truncate (out, out->len - 2);
  if (http)
    g_string_append_printf (out, ", up to %u request%s per jump",
        e->most_requests, e->most_requests == 1 ? "" : "s");
  g_string_append (out, " |");
}

/* playbin and playbin3 as players use them, GStreamer as it comes against
 * the plugin merely installed: the chapters a player sees at preroll (the
 * stand-in episode), and jumps in the locator located from the first
 * sample. */
static void
bench_playbin (const SourceSignal * source)
{
  /* the episode in the container of each locator_files[] */
  static const gchar *const episodes[] = { "episode-cbr.mp3",
    "episode-vbr.mp3", "episode.m4a", "episode.opus", "episode.ogg",
    "episode.mka", "episode.flac"
  };
  static const gchar *const players[] = { "playbin", "playbin3" };

  g_string_append (report, "## playbin, as players get it\n\n"
      "`playbin` (and `playbin3`, which `gst-play-1.0 --use-playbin3` and "
      "some players take) with no application code, as gst-play-1.0 and GTK "
      "players use it: GStreamer as it comes (the plugin's autoplugged "
      "factories ranked out) against the plugin merely installed. Chapters: those in "
      "the TOC message posted before the pipeline reached PAUSED, for the "
      "stand-in episode in that container (a player reads chapters once, at "
      "preroll). Jumps: the locator in the same container, the three jumps "
      "and the measure of the next section (FLUSH | ACCURATE; every buffer "
      "of the first 16384 samples located on its own), with the HTTP "
      "requests each jump made once the head was read.\n\n"
      "| container | where | playbin, stock | playbin, plugin installed "
      "| playbin3, stock | playbin3, plugin installed |\n"
      "|---|---|---|---|---|---|\n");
  for (guint f = 0; f < G_N_ELEMENTS (episodes) && locator_files[f].file;
      f++) {
    const gchar *locator = locator_files[f].file;

    for (guint http = 0; http < 2; http++) {
      g_autofree gchar *episode_path = g_build_filename (episode_dir,
          episodes[f], NULL);
      g_autofree gchar *locator_path = g_build_filename (episode_dir, locator,
          NULL);
      g_autofree gchar *episode_uri = http ? g_strdup_printf ("%s/media/%s",
          base_url, episodes[f]) : gst_filename_to_uri (episode_path, NULL);
      g_autofree gchar *locator_uri = http ? g_strdup_printf ("%s/media/%s",
          base_url, locator) : gst_filename_to_uri (locator_path, NULL);

      g_string_append_printf (report, "| %s / %s | %s |", episodes[f],
          locator, http ? "HTTP" : "local");
      for (guint p = 0; p < G_N_ELEMENTS (players); p++) {
        Exactness e[2];
        guint chapters[2];

        for (guint installed = 0; installed < 2; installed++) {
          if (installed)
            locate_rank_autoplug_out (FALSE);
          chapters[installed] = chapters_at_preroll (make_playbin (players[p],
                  episode_uri));
          measure_pipeline (make_playbin (players[p], locator_uri), http,
              installed, source, &e[installed]);
          if (installed)
            locate_rank_autoplug_out (TRUE);
        }
        playbin_cell (report, chapters[0], &e[0], http);
        playbin_cell (report, chapters[1], &e[1], http);
        g_print ("%s %s %s: stock %u chapters start %+d error %+d gaps %u "
            "requests %u; installed %u chapters start %+d error %+d gaps %u "
            "requests %u\n", players[p], locator, http ? "http" : "local",
            chapters[0], e[0].worst_start, e[0].worst_error, e[0].gaps,
            e[0].most_requests, chapters[1], e[1].worst_start,
            e[1].worst_error, e[1].gaps, e[1].most_requests);
        g_free (e[0].decoder);
        g_free (e[1].decoder);
      }
      g_string_append (report, "\n");
    }
  }
  g_string_append (report, "\n");
}

/* A 10-hour CBR MP3: the episode's frames over and over. */
static gchar *
make_long_mp3 (gdouble * hours)
{
  g_autofree gchar *src = g_build_filename (episode_dir, "episode-cbr.mp3",
      NULL);
  gchar *out = g_build_filename (episode_dir, "ten-hours.mp3", NULL);

  *hours = long_mp3_make (src, out, 10);
  return out;
}

static void
bench_index (void)
{
  gdouble hours;
  g_autofree gchar *path = make_long_mp3 (&hours);
  g_autoptr (GMappedFile) file = g_mapped_file_new (path, FALSE, NULL);
  const guint8 *data = (const guint8 *) g_mapped_file_get_contents (file);
  gsize size = g_mapped_file_get_length (file);
  gdouble best = INFINITY;
  gsize memory = 0;
  guint64 frames = 0;
  guint i;

  for (i = 0; i < 5; i++) {
    gint64 t0 = g_get_monotonic_time ();
    SeekIndex *index = seek_index_scan (data, size);
    gdouble s = (g_get_monotonic_time () - t0) / 1e6;

    best = MIN (best, s);
    memory = seek_index_memory (index);
    frames = seek_index_frames (index);
    seek_index_free (index);
  }
  g_string_append_printf (report, "## Index build\n\n"
      "A %.1f-hour CBR MP3 (%.0f MiB, %" G_GUINT64_FORMAT " frames), from "
      "the page cache, best of 5.\n\n| measure | value | target |\n"
      "|---|---|---|\n| scan time | %.1f ms | |\n| speed | %.2f GB/s | >= 1 "
      "GB/s |\n| index memory | %.0f KiB | <= 1024 KiB |\n\n", hours,
      size / 1048576.0, frames, best * 1000, size / best / 1e9,
      memory / 1024.0);
  g_print ("index: %.1f ms, %.2f GB/s, %zu bytes\n", best * 1000,
      size / best / 1e9, memory);
}

static gdouble
run_buffers (const gchar * element, guint buffers)
{
  g_autofree gchar *desc = g_strdup_printf ("audiotestsrc wave=silence "
      "num-buffers=%u samplesperbuffer=64 ! %s ! fakesink sync=false",
      buffers, element);
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstBus *bus = gst_element_get_bus (pipeline);
  gint64 t0 = g_get_monotonic_time ();

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  gst_message_unref (gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
          GST_MESSAGE_EOS | GST_MESSAGE_ERROR));
  t0 = g_get_monotonic_time () - t0;
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
  return t0 / 1e6;
}

static void
bench_overhead (void)
{
  const guint buffers = quick ? 20000 : 200000;
  gdouble ident = INFINITY, chap = INFINITY;
  guint i;

  for (i = 0; i < 5; i++) {
    ident = MIN (ident, run_buffers ("identity", buffers));
    chap = MIN (chap, run_buffers ("chapters chapters=\"0:00 A\n"
            "0:01 B\n0:02 C\n\"", buffers));
  }
  g_string_append_printf (report, "## Per-buffer cost\n\n%u buffers of 64 "
      "samples through `identity` and through `chapters` (with chapters), "
      "best of 5.\n\n| element | time | per buffer |\n|---|---|---|\n"
      "| identity | %.0f ms | %.2f us |\n| chapters | %.0f ms | %.2f us |\n"
      "| chapters vs identity | %+.1f %% | target: within 5 %% |\n\n",
      buffers, ident * 1000, ident * 1e6 / buffers, chap * 1000,
      chap * 1e6 / buffers, (chap / ident - 1) * 100);
  g_print ("overhead: identity %.3f s, chapters %.3f s\n", ident, chap);
}

static void
bench_json (void)
{
  GString *json = g_string_new ("{\"version\":\"1.2.0\",\"chapters\":[");
  gdouble best = INFINITY;
  guint i;

  for (i = 0; i < 100000; i++)
    g_string_append_printf (json, "%s{\"startTime\":%u.5,\"title\":"
        "\"Chapter %u\",\"url\":\"https://example.com/%u\"}", i ? "," : "",
        i, i + 1, i);
  g_string_append (json, "]}");
  for (i = 0; i < 5; i++) {
    gint64 t0 = g_get_monotonic_time ();
    ChapterList *list = chapter_read ((const guint8 *) json->str, json->len,
        NULL, NULL, NULL);

    best = MIN (best, (g_get_monotonic_time () - t0) / 1000.0);
    g_assert (chapter_list_length (list) == 100000);
    chapter_list_free (list);
  }
  g_string_append_printf (report, "## Parsing\n\n| input | time | target |\n"
      "|---|---|---|\n| 100 000-chapter Podcasting 2.0 JSON (%.1f MiB) | "
      "%.0f ms | < 100 ms |\n\n", json->len / 1048576.0, best);
  g_print ("json: %.1f ms\n", best);
  g_string_free (json, TRUE);
}

int
main (int argc, char **argv)
{
  gchar *output = NULL;
  gint64 rate = 0;
  GOptionEntry entries[] = {
    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
        "Write the Markdown tables here", "FILE"},
    {"rate", 0, 0, G_OPTION_ARG_INT64, &rate,
        "Limit the HTTP server to this many bytes a second", "BPS"},
    {"quick", 0, 0, G_OPTION_ARG_NONE, &quick, "Fewer jumps and buffers",
        NULL},
    {NULL}
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("EPISODE_DIR");
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree gchar *stamp = g_date_time_format (now, "%Y-%m-%d %H:%M");
  GError *error = NULL;

  gst_init (&argc, &argv);
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 2) {
    g_printerr ("bench: %s\n", error ? error->message : "usage: bench "
        "EPISODE_DIR");
    return 2;
  }
  episode_dir = argv[1];
  /* "stock" is GStreamer as it comes: the plugin's autoplugged factories
   * ranked out (the seektable rows name the element) */
  locate_rank_autoplug_out (TRUE);
  base_url = media_server_start (episode_dir);
  media_server_set_rate (rate);
  report = g_string_new (NULL);
  g_string_append_printf (report, "# Benchmarks\n\n`./run bench` "
      "regenerates this file (`./run bench --rate 1250000` limits the "
      "loopback HTTP server to 10 Mbit/s). Nothing here is typed by hand: "
      "the stand-in episode is synthesised by `data/make-episode.sh`, "
      "served by an HTTP server inside the benchmark that counts requests, "
      "and every jump is decoded and cross-correlated against the source: "
      "the lossless FLAC for the 44.1 kHz files, the gapless straight "
      "decode of the same file for Opus (48 kHz).\n\nLast run: %s (%s, "
      "%s%s). Ratios matter more than absolute times on a shared machine."
      "\n\n", stamp,
      gst_version_string (), rate ? "HTTP limited to " : "HTTP on loopback "
      "unthrottled", rate ? g_strdup_printf ("%.1f Mbit/s", rate * 8 / 1e6) :
      "");

  if (!g_getenv ("BENCH_ONLY")) {
    bench_json ();
    bench_overhead ();
    bench_index ();
  }
  summary = g_string_new ("## Per container\n\nThe worst of the jumps "
      "below, per file and path: position error against the source, bytes "
      "read and HTTP requests per jump (\"starts\": where the first sample "
      "is against the target). `seektable` serves MP3, FLAC, Ogg, M4A and "
      "Matroska/Vorbis; "
      "\"-\": it leaves the stream to the stock path.\n\n| file | where | stock, default flags | "
      "stock, ACCURATE | seektable |\n|---|---|---|---|---|\n");
  {
    GString *jumps_start = g_string_new (report->str);

    g_string_truncate (report, 0);
    bench_jumps ();
    g_string_prepend (report, "\n");
    g_string_prepend (report, summary->str);
    g_string_prepend (report, jumps_start->str);
    g_string_free (jumps_start, TRUE);
  }
  g_string_free (summary, TRUE);
  {
    /* the locator, for the sections that locate every buffer */
    g_autofree gchar *wav = g_build_filename (episode_dir, "locator.wav",
        NULL);
    SourceSignal source;

    if (source_signal_load (wav, &source, &error)) {
      bench_playbin (&source);
      bench_decoders (&source);
      source_signal_clear (&source);
    } else {
      g_printerr ("bench: %s (ninja -C build locator)\n", error->message);
      g_clear_error (&error);
    }
  }

  if (output) {
    g_autofree gchar *head = NULL;
    const gchar *intro = g_getenv ("BENCH_INTRO");

    if (intro && g_file_get_contents (intro, &head, NULL, NULL))
      g_string_prepend (report, head);
    if (!g_file_set_contents (output, report->str, -1, &error)) {
      g_printerr ("bench: %s\n", error->message);
      return 1;
    }
    g_print ("bench: results in %s\n", output);
  } else {
    g_print ("%s", report->str);
  }
  return 0;
}
