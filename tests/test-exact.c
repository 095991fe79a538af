/* Exact from the first sample heard, on every decoder Debian ships for the
 * codecs the seek table serves. Each case forces one decoder on decodebin
 * (by rank, as a user's registry would), then plays the locator (band-
 * limited noise, see data/make-locator.sh) through `seektable ! decodebin
 * ! chapters`, locally and over loopback HTTP, and locates every decoded
 * buffer on its own in the source: the straight decode from the first
 * sample to the last, jumps made by the `chapters` element to its
 * chapters, and seeks to random samples. Buffers reach the appsink in the
 * decoder's own sample format, as they would reach a sink. */
#include <gst/gst.h>
#include <glib/gstdio.h>

#include "locate.h"
#include "media-server.h"
#include "tmp-dir.h"

/* The locator's chapters, at whole milliseconds (whole samples at 48 kHz),
 * none on a frame boundary of any codec here. */
static const guint chapter_ms[] = { 0, 12345, 31001, 47500, 66667, 83210,
  101990, 118765
};

#define HEAD 16384              /* samples located after each start */
#define MAX_LAG 2400            /* 50 ms either side of a label */
#define MIN_SCORE 0.8

typedef struct
{
  const gchar *file;
  const gchar *decoder;
} Case;

static SourceSignal source;
static const gchar *base_url;

static gchar *
chapters_json (void)
{
  GString *s = g_string_new ("{\"version\":\"1.2.0\",\"chapters\":[");

  for (guint i = 0; i < G_N_ELEMENTS (chapter_ms); i++)
    g_string_append_printf (s, "%s{\"startTime\":%u.%03u,\"title\":\"Part "
        "%u\"}", i ? "," : "", chapter_ms[i] / 1000, chapter_ms[i] % 1000,
        i + 1);
  g_string_append (s, "]}");
  return g_string_free (s, FALSE);
}

static GstElement *
make_pipeline (const Case * c, gboolean http, guint start_chapter)
{
  g_autofree gchar *path = g_build_filename (EPISODE_DIR, c->file, NULL);
  g_autofree gchar *src = http ?
      g_strdup_printf ("souphttpsrc location=%s/media/%s", base_url, c->file) :
      g_strdup_printf ("filesrc location=\"%s\"", path);
  g_autofree gchar *desc = g_strdup_printf ("%s ! seektable ! decodebin ! "
      "chapters name=c embedded=false ! " LOCATE_SINK, src);
  g_autofree gchar *json = chapters_json ();
  GError *error = NULL;
  GstElement *pipeline = gst_parse_launch (desc, &error);
  GstElement *chapters;

  g_assert_no_error (error);
  chapters = gst_bin_get_by_name (GST_BIN (pipeline), "c");
  g_object_set (chapters, "chapters", json, NULL);
  if (start_chapter) {
    g_autofree gchar *n = g_strdup_printf ("%u", start_chapter);

    g_object_set (chapters, "start-chapter", n, NULL);
  }
  gst_object_unref (chapters);
  return pipeline;
}

static void
preroll (GstElement * pipeline)
{
  g_assert_cmpint (gst_element_set_state (pipeline, GST_STATE_PAUSED), !=,
      GST_STATE_CHANGE_FAILURE);
  g_assert_cmpint (gst_element_get_state (pipeline, NULL, NULL,
          30 * GST_SECOND), ==, GST_STATE_CHANGE_SUCCESS);
}

static void
judge (const Case * c, const gchar * what, GArray * buffers, guint64 first)
{
  g_autofree gchar *why = locate_judge (buffers, first, MIN_SCORE);

  if (why) {
    g_autofree gchar *all = locate_describe (buffers);

    g_test_message ("%s", all);
    g_error ("%s with %s, %s (source sample %" G_GUINT64_FORMAT "): %s",
        c->file, c->decoder, what, first, why);
  }
  g_test_message ("%s with %s, %s: from source sample %" G_GUINT64_FORMAT
      ", %u buffers exact", c->file, c->decoder, what, first, buffers->len);
}

/* From the first sample to the last: gapless at both ends. */
static void
check_straight (const Case * c, gboolean http)
{
  GstElement *pipeline = make_pipeline (c, http, 0);
  g_autofree gchar *used = NULL;
  GArray *buffers;
  const LocatedBuffer *last;

  preroll (pipeline);
  used = locate_decoder_in (pipeline);
  g_assert_cmpstr (used, ==, c->decoder);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  buffers = locate_pull_from (pipeline, &source, G_MAXSIZE, MAX_LAG, NULL,
      HEAD, source.n - HEAD);
  judge (c, "straight decode", buffers, 0);
  last = &g_array_index (buffers, LocatedBuffer, buffers->len - 1);
  g_assert_cmpuint (last->label + last->n, ==, source.n);
  g_array_unref (buffers);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
}

/* The rate of the segment the audio last came in. */
static gdouble
segment_rate (GstElement * pipeline)
{
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "out");
  GstSample *sample = NULL;
  gdouble rate = 0.0;

  g_object_get (sink, "last-sample", &sample, NULL);
  if (sample) {
    rate = gst_sample_get_segment (sample)->rate;
    gst_sample_unref (sample);
  }
  gst_object_unref (sink);
  return rate;
}

/* Jumps: the chapters element's own, then seeks to random samples. */
static void
check_jumps (const Case * c, gboolean http)
{
  GstElement *pipeline = make_pipeline (c, http, 0);
  GstElement *chapters = gst_bin_get_by_name (GST_BIN (pipeline), "c");
  guint i;

  preroll (pipeline);
  {
    /* at a listener's speed: 1.5x set by a seek to chapter 1, which the
     * chapters element's jumps below keep */
    GstSegment stale;
    GArray *buffers;

    locate_prepare_seek (pipeline, &stale);
    g_assert_true (gst_element_seek (pipeline, 1.5, GST_FORMAT_TIME,
            GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, GST_SEEK_TYPE_SET,
            (gint64) chapter_ms[0] * GST_MSECOND, GST_SEEK_TYPE_NONE,
            GST_CLOCK_TIME_NONE));
    locate_wait_preroll (pipeline);
    gst_element_set_state (pipeline, GST_STATE_PLAYING);
    buffers = locate_pull (pipeline, &source, HEAD, MAX_LAG, &stale);
    judge (c, "seek at 1.5x", buffers,
        (guint64) chapter_ms[0] * source.rate / 1000);
    g_array_unref (buffers);
    g_assert_cmpfloat (segment_rate (pipeline), ==, 1.5);
  }
  for (i = 2; i <= G_N_ELEMENTS (chapter_ms); i += 2) {
    guint n = i == G_N_ELEMENTS (chapter_ms) ? 1 : i;
    g_autofree gchar *what = g_strdup_printf ("chapter %u", n);
    gboolean ok = FALSE;
    GstSegment stale;
    GArray *buffers;

    locate_prepare_seek (pipeline, &stale);
    g_signal_emit_by_name (chapters, "seek-chapter", n, &ok);
    g_assert_true (ok);
    locate_wait_preroll (pipeline);
    gst_element_set_state (pipeline, GST_STATE_PLAYING);
    buffers = locate_pull (pipeline, &source, HEAD, MAX_LAG, &stale);
    judge (c, what, buffers, (guint64) chapter_ms[n - 1] * source.rate / 1000);
    g_array_unref (buffers);
    /* the jump kept the speed */
    g_assert_cmpfloat (segment_rate (pipeline), ==, 1.5);
  }
  for (i = 0; i < 4; i++) {
    /* one near the start, within the first frames' decoder delay */
    guint64 sample = i == 0 ? g_test_rand_int_range (1, 9600) :
        g_test_rand_int_range (1, source.n - 4 * HEAD);
    GstSegment stale;
    GArray *buffers;

    locate_prepare_seek (pipeline, &stale);
    g_assert_true (gst_element_seek_simple (pipeline, GST_FORMAT_TIME,
            GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
            gst_util_uint64_scale_int_ceil (sample, GST_SECOND,
                source.rate)));
    locate_wait_preroll (pipeline);
    gst_element_set_state (pipeline, GST_STATE_PLAYING);
    buffers = locate_pull (pipeline, &source, HEAD, MAX_LAG, &stale);
    judge (c, "random seek", buffers, sample);
    g_array_unref (buffers);
  }
  gst_object_unref (chapters);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
}

/* Started in a chapter (start-chapter): nothing from before it is heard. */
static void
check_start_chapter (const Case * c, gboolean http)
{
  guint n = 3 + g_test_rand_int_range (0, G_N_ELEMENTS (chapter_ms) - 3);
  GstElement *pipeline = make_pipeline (c, http, n);
  g_autofree gchar *what = g_strdup_printf ("start-chapter=%u", n);
  GArray *buffers;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  buffers = locate_pull (pipeline, &source, HEAD, MAX_LAG, NULL);
  judge (c, what, buffers, (guint64) chapter_ms[n - 1] * source.rate / 1000);
  g_array_unref (buffers);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
}

static void
test_case (gconstpointer data)
{
  const Case *c = data;
  const gchar *const *family = NULL;

  for (guint i = 0; locator_files[i].file; i++)
    if (!g_strcmp0 (locator_files[i].file, c->file))
      family = locator_files[i].decoders;
  if (gst_registry_lookup_feature (gst_registry_get (), c->decoder) == NULL) {
    g_test_fail_printf ("%s is not installed", c->decoder);
    return;
  }
  locate_force_decoder (family, c->decoder);
  check_straight (c, FALSE);
  check_jumps (c, FALSE);
  check_start_chapter (c, FALSE);
  check_straight (c, TRUE);
  check_jumps (c, TRUE);
  check_start_chapter (c, TRUE);
}

int
main (int argc, char **argv)
{
  g_autofree gchar *wav = g_build_filename (EPISODE_DIR, "locator.wav", NULL);
  g_autofree gchar *cache = tmp_dir_new ("chapters-exact-XXXXXX");
  GError *error = NULL;
  GPtrArray *cases = g_ptr_array_new_with_free_func (g_free);
  gint ret;

  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);
  if (!source_signal_load (wav, &source, &error))
    g_error ("%s (build it with `ninja -C build locator`)", error->message);
  base_url = media_server_start (EPISODE_DIR);

  for (guint i = 0; locator_files[i].file; i++)
    for (guint j = 0; locator_files[i].decoders[j]; j++) {
      Case *c = g_new0 (Case, 1);
      g_autofree gchar *name = g_strdup_printf ("/exact/%s/%s",
          locator_files[i].file, locator_files[i].decoders[j]);

      c->file = locator_files[i].file;
      c->decoder = locator_files[i].decoders[j];
      g_ptr_array_add (cases, c);
      g_test_add_data_func (name, c, test_case);
    }
  ret = g_test_run ();
  media_server_stop ();
  tmp_dir_remove (cache);
  source_signal_clear (&source);
  g_ptr_array_unref (cases);
  return ret;
}
