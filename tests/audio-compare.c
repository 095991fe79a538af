/* Test and benchmark helpers: decode to samples, compare positions. */
#include "audio-compare.h"

#include <gst/app/gstappsink.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>

#include "seek-index.h"

/* Keeps @count samples from the appsink @sink, starting at sample @from of
 * what arrives. */
static void
pull_samples (GstElement * sink, gsize from, gsize count,
    const GstSegment * stale, Capture * out)
{
  gsize seen = 0;

  memset (out, 0, sizeof *out);
  out->samples = g_new0 (gfloat, count);
  out->first_pts = GST_CLOCK_TIME_NONE;
  while (out->n < count) {
    GstSample *sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
        60 * GST_SECOND);
    GstBuffer *buf;
    GstMapInfo map;
    gsize n, skip;

    if (sample == NULL)
      break;
    if (stale && out->rate == 0
        && gst_segment_is_equal (gst_sample_get_segment (sample), stale)) {
      /* from before the seek took effect (a demuxer that seeks in a
       * thread of its own lets some through) */
      gst_sample_unref (sample);
      continue;
    }
    buf = gst_sample_get_buffer (sample);
    if (out->rate == 0) {
      out->first_arrival_us = g_get_monotonic_time ();
      gst_structure_get_int (gst_caps_get_structure (gst_sample_get_caps
              (sample), 0), "rate", &out->rate);
      /* the position a player shows: stream time, which differs from the
       * PTS when an edit list (AAC priming) shifts the segment */
      out->first_pts = gst_segment_to_stream_time (gst_sample_get_segment
          (sample), GST_FORMAT_TIME, GST_BUFFER_PTS (buf));
    }
    gst_buffer_map (buf, &map, GST_MAP_READ);
    n = map.size / sizeof (gfloat);
    if (seen + n > from) {
      skip = from > seen ? from - seen : 0;
      while (skip < n && out->n < count)
        out->samples[out->n++] = ((const gfloat *) map.data)[skip++];
    }
    seen += n;
    gst_buffer_unmap (buf, &map);
    gst_sample_unref (sample);
  }
}

void
capture_pull (GstElement * pipeline, gsize count, Capture * out)
{
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "out");

  g_assert (sink != NULL);
  pull_samples (sink, 0, count, NULL, out);
  gst_object_unref (sink);
}

void
capture_pull_after (GstElement * pipeline, const GstSegment * stale,
    gsize count, Capture * out)
{
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "out");

  g_assert (sink != NULL);
  pull_samples (sink, 0, count, stale, out);
  gst_object_unref (sink);
}

gboolean
capture_preroll_segment (GstElement * pipeline, GstSegment * segment)
{
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "out");
  GstSample *sample;

  g_assert (sink != NULL);
  sample = gst_app_sink_try_pull_preroll (GST_APP_SINK (sink), 0);
  gst_object_unref (sink);
  if (sample == NULL)
    return FALSE;
  gst_segment_copy_into (gst_sample_get_segment (sample), segment);
  gst_sample_unref (sample);
  return TRUE;
}

void
capture_run (const gchar * desc, gsize from, gsize count, Capture * out)
{
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "out");

  g_assert (sink != NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  pull_samples (sink, from, count, NULL, out);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
}

void
capture_run_windows (const gchar * desc, const gsize * from, guint n,
    gsize count, Capture * out)
{
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "out");
  gsize seen = 0;
  guint w = 0, i;

  for (i = 0; i < n; i++) {
    memset (&out[i], 0, sizeof out[i]);
    out[i].samples = g_new0 (gfloat, count);
  }
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  while (w < n) {
    GstSample *sample = gst_app_sink_pull_sample (GST_APP_SINK (sink));
    GstMapInfo map;
    gsize k, len;
    gint rate = 0;

    if (sample == NULL)
      break;
    gst_structure_get_int (gst_caps_get_structure (gst_sample_get_caps
            (sample), 0), "rate", &rate);
    gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ);
    len = map.size / sizeof (gfloat);
    for (k = 0; k < len && w < n; k++, seen++) {
      for (i = w; i < n && from[i] <= seen; i++) {
        if (seen < from[i] + count && out[i].n < count) {
          out[i].samples[out[i].n++] = ((const gfloat *) map.data)[k];
          out[i].rate = rate;
        }
      }
      while (w < n && out[w].n == count)
        w++;
    }
    gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
    gst_sample_unref (sample);
  }
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
}

void
capture_clear (Capture * capture)
{
  g_clear_pointer (&capture->samples, g_free);
  capture->n = 0;
}

/* Squared error of @probe against @ref at @pos, every @step-th sample,
 * giving up once it passes @limit. */
static gdouble
mismatch (const Capture * ref, gsize pos, const Capture * probe, gsize len,
    gsize step, gdouble limit)
{
  gdouble err = 0;
  gsize i;

  for (i = 0; i < len && err < limit; i += step) {
    gdouble d = probe->samples[i] - ref->samples[pos + i];

    err += d * d;
  }
  return err;
}

gint
capture_best_lag (const Capture * ref, gsize center, const Capture * probe,
    gsize len, gint max_lag, gdouble * score)
{
  gint lag, best = 0;
  gdouble best_err = INFINITY, energy = 0;
  gsize i;

  len = MIN (len, probe->n);
  for (i = 0; i < len; i++)
    energy += probe->samples[i] * probe->samples[i];
  if (max_lag > 256) {
    /* wide windows: a coarse pass on every 16th sample at every 4th lag
     * (the noise bed is smooth enough for that), then a fine one near the
     * best */
    gint coarse = 0;
    gdouble coarse_err = INFINITY;

    for (lag = -max_lag; lag <= max_lag; lag += 4) {
      gdouble err;

      if ((gssize) center + lag < 0 || center + lag + len > ref->n)
        continue;
      err = mismatch (ref, center + lag, probe, len, 16, coarse_err);
      if (err < coarse_err) {
        coarse_err = err;
        coarse = lag;
      }
    }
    center += coarse;
    max_lag = 64;
    best = capture_best_lag (ref, center, probe, len, max_lag, score);
    return coarse + best;
  }
  for (lag = -max_lag; lag <= max_lag; lag++) {
    gdouble err = 0;

    if ((gssize) center + lag < 0 || center + lag + len > ref->n)
      continue;
    for (i = 0; i < len && err < best_err; i++) {
      gdouble d = probe->samples[i] - ref->samples[center + lag + i];

      err += d * d;
    }
    if (err < best_err) {
      best_err = err;
      best = lag;
    }
  }
  *score = energy > 0 ? 1.0 - best_err / energy : 0;
  return best;
}

guint
capture_gapless_skip (const gchar * path)
{
  g_autoptr (GMappedFile) file = NULL;
  g_autoptr (SeekIndex) index = NULL;

  if (!g_str_has_suffix (path, ".mp3"))
    return 0;
  file = g_mapped_file_new (path, FALSE, NULL);
  if (file == NULL)
    return 0;
  index = seek_index_scan ((const guint8 *) g_mapped_file_get_contents (file),
      g_mapped_file_get_length (file));
  return index ? seek_index_skip (index) : 0;
}

static void
print_thread_stacks (void)
{
  g_autofree gchar *gdb = g_find_program_in_path ("gdb");
  g_autofree gchar *pid = g_strdup_printf ("%d", (gint) getpid ());
  g_autofree gchar *out = NULL;
  const gchar *argv[] = { gdb, "-batch", "-nx", "-p", pid, "-ex",
    "thread apply all bt 30", NULL
  };

  if (gdb == NULL)
    return;
#ifdef PR_SET_PTRACER
  prctl (PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
#endif
  if (g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL,
          NULL, NULL, &out, NULL, NULL, NULL))
    g_printerr ("threads:\n%s\n", out);
}

void
print_stalled_pipeline (GstElement * pipeline, const gchar * why)
{
  g_autoptr (GString) what = g_string_new (NULL);
  GstIterator *it = gst_bin_iterate_recurse (GST_BIN (pipeline));
  GValue v = G_VALUE_INIT;
  gint64 position = -1;
  g_autofree gchar *dot = NULL;

  while (gst_iterator_next (it, &v) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&v);

    g_string_append_printf (what, " %s(%s)", GST_OBJECT_NAME (e),
        gst_element_state_get_name (GST_STATE (e)));
    g_value_reset (&v);
  }
  g_value_unset (&v);
  gst_iterator_free (it);
  gst_element_query_position (pipeline, GST_FORMAT_TIME, &position);
  dot = gst_debug_bin_to_dot_data (GST_BIN (pipeline),
      GST_DEBUG_GRAPH_SHOW_ALL);
  g_printerr ("%s, at %" GST_TIME_FORMAT "; elements:%s\n%s\n", why,
      GST_TIME_ARGS (position), what->str, dot);
  print_thread_stacks ();
}

gchar *
make_mka_with_chapters (const gchar * dir, const gchar * xml)
{
  g_autofree gchar *xml_path = g_build_filename (dir, "c.xml", NULL);
  g_autofree gchar *audio = g_build_filename (dir, "a.mka", NULL);
  g_autofree gchar *launch = g_strdup_printf ("audiotestsrc num-buffers=100 "
      "! audioconvert ! vorbisenc ! matroskamux ! filesink location=%s", audio);
  g_autofree gchar *mkvmerge = g_find_program_in_path ("mkvmerge");
  gchar *mka = g_build_filename (dir, "c.mka", NULL);
  GstElement *p = gst_parse_launch (launch, NULL);
  GstMessage *msg;
  gint status;
  const gchar *argv[] = { mkvmerge, "-q", "-o", mka, "--chapters",
    xml_path, audio, NULL
  };

  g_assert_nonnull (mkvmerge);
  g_assert_true (g_file_set_contents (xml_path, xml, -1, NULL));
  gst_element_set_state (p, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (p), 30 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  g_assert_true (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
  gst_message_unref (msg);
  gst_element_set_state (p, GST_STATE_NULL);
  gst_object_unref (p);
  g_assert_true (g_spawn_sync (NULL, (gchar **) argv, NULL, 0, NULL,
          NULL, NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return mka;
}
