/* Exactness judged from the first sample heard: see locate.h. */
#include "locate.h"

#include <gst/app/gstappsink.h>
#include <math.h>
#include <string.h>

static guint32
read_le32 (const guint8 * p)
{
  return p[0] | p[1] << 8 | p[2] << 16 | (guint32) p[3] << 24;
}

gboolean
source_signal_load (const gchar * path, SourceSignal * out, GError ** error)
{
  g_autofree guint8 *data = NULL;
  gsize size, pos = 12;
  gint rate = 0;

  memset (out, 0, sizeof *out);
  if (!g_file_get_contents (path, (gchar **) & data, &size, error))
    return FALSE;
  if (size < 12 || memcmp (data, "RIFF", 4) || memcmp (data + 8, "WAVE", 4))
    goto bad;
  while (pos + 8 <= size) {
    guint32 len = read_le32 (data + pos + 4);

    if (len > size - pos - 8)
      len = size - pos - 8;
    if (!memcmp (data + pos, "fmt ", 4) && len >= 16) {
      const guint8 *f = data + pos + 8;

      /* PCM, one channel, 16 bits */
      if (f[0] != 1 || f[1] || f[2] != 1 || f[3] || f[14] != 16)
        goto bad;
      rate = read_le32 (f + 4);
    } else if (!memcmp (data + pos, "data", 4) && rate > 0) {
      const guint8 *s = data + pos + 8;

      out->rate = rate;
      out->n = len / 2;
      out->samples = g_new (gfloat, out->n);
      for (gsize i = 0; i < out->n; i++)
        out->samples[i] = (gint16) (s[2 * i] | s[2 * i + 1] << 8) / 32768.0f;
      return TRUE;
    }
    pos += 8 + len + (len & 1);
  }
bad:
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
      "%s: not a 16-bit PCM mono WAV file", path);
  return FALSE;
}

void
source_signal_clear (SourceSignal * signal)
{
  g_clear_pointer (&signal->samples, g_free);
  signal->n = 0;
}

/* The lag within +-@max_lag at which @probe[0..n) best matches the source
 * at @at (normalized cross-correlation). */
static gint
best_lag (const SourceSignal * source, gint64 at, const gfloat * probe,
    guint n, gint max_lag, gdouble * score)
{
  gdouble pp = 0, best = -2;
  gint best_lag = G_MININT;

  for (guint i = 0; i < n; i++)
    pp += (gdouble) probe[i] * probe[i];
  for (gint lag = -max_lag; lag <= max_lag; lag++) {
    gint64 from = at + lag;
    gdouble sp = 0, ss = 0, r;

    if (from < 0 || from + n > (gint64) source->n)
      continue;
    for (guint i = 0; i < n; i++) {
      gdouble s = source->samples[from + i];

      sp += s * probe[i];
      ss += s * s;
    }
    r = (ss > 0 && pp > 0) ? sp / sqrt (ss * pp) : 0;
    if (r > best) {
      best = r;
      best_lag = lag;
    }
  }
  *score = best;
  return best_lag;
}

gint
locate_window (const SourceSignal * source, gint64 at, const gfloat * probe,
    guint n, gint max_lag, gdouble * score)
{
  return best_lag (source, at, probe, n, max_lag, score);
}

/* Bytes per sample of the formats LOCATE_SINK allows. */
static guint
sample_width (const gchar * format)
{
  return !g_strcmp0 (format, "S16LE") ? 2 : 4;
}

/* The samples of @map, in the decoder's own format (what a sink is given
 * when audioconvert passes the buffer through), as floats. */
static void
append_samples (GArray * audio, const GstMapInfo * map, const gchar * format)
{
  guint i, n = map->size / sample_width (format);

  if (!g_strcmp0 (format, "S16LE")) {
    for (i = 0; i < n; i++) {
      gfloat v = ((const gint16 *) map->data)[i] / 32768.0f;

      g_array_append_val (audio, v);
    }
  } else if (!g_strcmp0 (format, "S32LE")) {
    for (i = 0; i < n; i++) {
      gfloat v = ((const gint32 *) map->data)[i] / 2147483648.0f;

      g_array_append_val (audio, v);
    }
  } else {
    g_assert_cmpstr (format, ==, "F32LE");
    g_array_append_vals (audio, map->data, n);
  }
}

/* Whether buffers @i and @i + 1 were both kept: their audio side by side. */
static gboolean
kept_pair (GArray * buffers, guint i)
{
  return i + 1 < buffers->len
      && g_array_index (buffers, LocatedBuffer, i).kept
      && g_array_index (buffers, LocatedBuffer, i + 1).kept;
}

GArray *
locate_pull (GstElement * pipeline, const SourceSignal * source, gsize count,
    gint max_lag, const GstSegment * stale)
{
  return locate_pull_from (pipeline, source, count, max_lag, stale,
      G_MAXUINT64, 0);
}

GArray *
locate_pull_from (GstElement * pipeline, const SourceSignal * source,
    gsize count, gint max_lag, const GstSegment * stale, guint64 head,
    guint64 from)
{
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "out");
  GArray *buffers = g_array_new (FALSE, TRUE, sizeof (LocatedBuffer));
  GArray *audio = g_array_new (FALSE, FALSE, sizeof (gfloat));
  /* where a kept buffer's audio starts in @audio, and where its run (the
   * buffers kept one after another, their audio side by side) starts and
   * ends */
  GArray *at = g_array_new (FALSE, TRUE, sizeof (gsize));
  gsize got = 0, *start, *end;
  guint i;

  g_assert (sink != NULL);
  while (got < count) {
    GstSample *sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
        30 * GST_SECOND);
    const GstSegment *segment;
    LocatedBuffer b = { 0 };
    GstBuffer *buf;
    GstMapInfo map;
    const gchar *format;
    gsize offset = audio->len;
    gint rate = 0;

    if (sample == NULL)
      break;
    segment = gst_sample_get_segment (sample);
    if (stale && buffers->len == 0 && gst_segment_is_equal (segment, stale)) {
      gst_sample_unref (sample);
      continue;
    }
    buf = gst_sample_get_buffer (sample);
    gst_structure_get_int (gst_caps_get_structure (gst_sample_get_caps
            (sample), 0), "rate", &rate);
    g_assert_cmpint (rate, ==, source->rate);
    b.pts = gst_segment_to_stream_time (segment, GST_FORMAT_TIME,
        GST_BUFFER_PTS (buf));
    if (GST_CLOCK_TIME_IS_VALID (b.pts))
      b.label = gst_util_uint64_scale_round (b.pts, rate, GST_SECOND);
    format = gst_structure_get_string (gst_caps_get_structure
        (gst_sample_get_caps (sample), 0), "format");
    gst_buffer_map (buf, &map, GST_MAP_READ);
    b.n = map.size / sample_width (format);
    /* (outside the two ends, its length only) */
    if (b.label < head || b.label + b.n >= from
        || !GST_CLOCK_TIME_IS_VALID (b.pts)) {
      append_samples (audio, &map, format);
      b.kept = TRUE;
    }
    gst_buffer_unmap (buf, &map);
    gst_sample_unref (sample);
    g_array_append_val (buffers, b);
    g_array_append_val (at, offset);
    got += b.n;
  }
  gst_object_unref (sink);

  start = g_new0 (gsize, buffers->len);
  end = g_new0 (gsize, buffers->len);
  for (i = 0; i < buffers->len; i++)
    start[i] = i > 0 && kept_pair (buffers, i - 1) ? start[i - 1] :
        g_array_index (at, gsize, i);
  for (i = buffers->len; i-- > 0;)
    end[i] = kept_pair (buffers, i) ? end[i + 1] :
        g_array_index (at, gsize, i) + g_array_index (buffers, LocatedBuffer,
        i).n;

  /* each buffer on its own; a short one with the samples after it, so that
   * a short first buffer still shows where the first sample is, the last
   * short one of its run with those before it */
  for (i = 0; i < buffers->len; i++) {
    LocatedBuffer *b = &g_array_index (buffers, LocatedBuffer, i);
    gsize from_sample = g_array_index (at, gsize, i);
    guint len = MAX (b->n, LOCATE_MIN_SAMPLES);

    if (!b->kept || !GST_CLOCK_TIME_IS_VALID (b->pts))
      continue;
    if (from_sample + len <= end[i]) {
      b->located = TRUE;
      b->lag = best_lag (source, b->label, &g_array_index (audio, gfloat,
              from_sample), len, max_lag, &b->score);
    } else if (end[i] - start[i] >= LOCATE_MIN_SAMPLES) {
      /* (the window's first sample is labelled where this buffer's label
       * puts it) */
      b->located = TRUE;
      b->lag = best_lag (source, (gint64) b->label + (gint64) (end[i] -
              LOCATE_MIN_SAMPLES) - (gint64) from_sample,
          &g_array_index (audio, gfloat, end[i] - LOCATE_MIN_SAMPLES),
          LOCATE_MIN_SAMPLES, max_lag, &b->score);
    }
  }
  g_free (start);
  g_free (end);
  g_array_unref (at);
  g_array_unref (audio);
  return buffers;
}

gchar *
locate_judge (GArray * buffers, guint64 first, gdouble min_score)
{
  return locate_judge_within (buffers, first, min_score, 0);
}

gchar *
locate_judge_within (GArray * buffers, guint64 first, gdouble min_score,
    gint tolerance)
{
  const LocatedBuffer *b = (const LocatedBuffer *) buffers->data;

  if (buffers->len == 0)
    return g_strdup ("no audio came");
  if (!GST_CLOCK_TIME_IS_VALID (b[0].pts))
    return g_strdup ("the first buffer has no timestamp");
  if (b[0].label != first)
    return g_strdup_printf ("the first buffer is labelled sample %"
        G_GUINT64_FORMAT ", %+" G_GINT64_FORMAT " from the target",
        b[0].label, (gint64) (b[0].label - first));
  for (guint i = 0; i < buffers->len; i++) {
    if (!GST_CLOCK_TIME_IS_VALID (b[i].pts))
      return g_strdup_printf ("buffer %u has no timestamp", i);
    if (i > 0 && b[i].label != b[i - 1].label + b[i - 1].n)
      return g_strdup_printf ("buffer %u is labelled sample %" G_GUINT64_FORMAT
          ", but the one before ends at %" G_GUINT64_FORMAT, i, b[i].label,
          b[i - 1].label + b[i - 1].n);
    if (!b[i].located)
      continue;
    if (b[i].score < min_score)
      return g_strdup_printf ("buffer %u (%u samples at %" G_GUINT64_FORMAT
          ") matches the source nowhere (best %.3f at %+d)", i, b[i].n,
          b[i].label, b[i].score, b[i].lag);
    if (ABS (b[i].lag) > tolerance)
      return g_strdup_printf ("buffer %u (%u samples labelled %"
          G_GUINT64_FORMAT ") is audio from %+d samples off its label", i,
          b[i].n, b[i].label, b[i].lag);
  }
  if (b[0].kept && !b[0].located)
    return g_strdup_printf ("too little audio to locate the first buffer "
        "(%u samples)", b[0].n);
  return NULL;
}

gchar *
locate_describe (GArray * buffers)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < buffers->len; i++) {
    const LocatedBuffer *b = &g_array_index (buffers, LocatedBuffer, i);

    g_string_append_printf (s, "  #%u %" GST_TIME_FORMAT " sample %"
        G_GUINT64_FORMAT " +%u", i, GST_TIME_ARGS (b->pts), b->label, b->n);
    if (b->located)
      g_string_append_printf (s, ": audio at %+d (%.3f)", b->lag, b->score);
    g_string_append_c (s, '\n');
  }
  return g_string_free (s, FALSE);
}

static const gchar *const mp3_decoders[] = { "avdec_mp3", "avdec_mp3float",
  "mpg123audiodec", NULL
};
static const gchar *const aac_decoders[] = { "avdec_aac", "avdec_aac_fixed",
  "faad", NULL
};
static const gchar *const opus_decoders[] = { "opusdec", "avdec_opus", NULL };
static const gchar *const vorbis_decoders[] = { "vorbisdec", NULL };
static const gchar *const flac_decoders[] = { "flacdec", "avdec_flac", NULL };

const LocatorFile locator_files[] = {
  {"locator-cbr.mp3", mp3_decoders},
  {"locator-vbr.mp3", mp3_decoders},
  {"locator.m4a", aac_decoders},
  {"locator.opus", opus_decoders},
  {"locator.ogg", vorbis_decoders},
  {"locator.mka", vorbis_decoders},
  {"locator.flac", flac_decoders},
  {NULL, NULL}
};

void
locate_force_decoder (const gchar * const *family, const gchar * decoder)
{
  for (guint i = 0; family[i]; i++) {
    GstPluginFeature *f = gst_registry_lookup_feature (gst_registry_get (),
        family[i]);

    if (f == NULL)
      continue;
    gst_plugin_feature_set_rank (f, !g_strcmp0 (family[i], decoder) ?
        GST_RANK_PRIMARY + 100 : GST_RANK_NONE);
    gst_object_unref (f);
  }
}

gchar *
locate_factories_in (GstElement * bin, const gchar * klass,
    const gchar * prefix)
{
  GstIterator *it = gst_bin_iterate_recurse (GST_BIN (bin));
  GValue item = G_VALUE_INIT;
  GString *names = g_string_new (NULL);

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElementFactory *f = gst_element_get_factory (g_value_get_object
        (&item));

    if (f && (!klass || strstr (gst_element_factory_get_klass (f), klass))
        && (!prefix || g_str_has_prefix (GST_OBJECT_NAME (f), prefix)))
      g_string_append_printf (names, "%s%s", names->len ? "," : "",
          GST_OBJECT_NAME (f));
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  return g_string_free (names, FALSE);
}

gchar *
locate_decoder_in (GstElement * pipeline)
{
  gchar *names = locate_factories_in (pipeline, "Decoder/Audio", NULL);

  if (*names == '\0')
    g_clear_pointer (&names, g_free);
  return names;
}

void
locate_rank_autoplug_out (gboolean out)
{
  static const gchar *const names[] = { "seektableparse", "seektableid3" };
  static guint saved[G_N_ELEMENTS (names)];

  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    GstPluginFeature *f = gst_registry_lookup_feature (gst_registry_get (),
        names[i]);

    g_assert_nonnull (f);
    if (out)
      saved[i] = gst_plugin_feature_get_rank (f);
    gst_plugin_feature_set_rank (f, out ? GST_RANK_NONE : saved[i]);
    gst_object_unref (f);
  }
}

void
locate_prepare_seek (GstElement * pipeline, GstSegment * stale)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "out");
  GstSample *sample = NULL;

  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  g_assert_cmpint (gst_element_get_state (pipeline, NULL, NULL,
          30 * GST_SECOND), ==, GST_STATE_CHANGE_SUCCESS);
  gst_bus_set_flushing (bus, TRUE);
  gst_bus_set_flushing (bus, FALSE);
  gst_object_unref (bus);

  gst_segment_init (stale, GST_FORMAT_UNDEFINED);
  g_object_get (sink, "last-sample", &sample, NULL);
  if (sample) {
    gst_segment_copy_into (gst_sample_get_segment (sample), stale);
    gst_sample_unref (sample);
  }
  gst_object_unref (sink);
}

gboolean
locate_try_wait_preroll (GstElement * pipeline, GstClockTime timeout)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, timeout,
      GST_MESSAGE_ASYNC_DONE | GST_MESSAGE_ERROR);
  gboolean done = msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ASYNC_DONE;

  if (msg)
    gst_message_unref (msg);
  gst_object_unref (bus);
  return done;
}

void
locate_wait_preroll (GstElement * pipeline)
{
  g_assert_true (locate_try_wait_preroll (pipeline, 30 * GST_SECOND));
}
