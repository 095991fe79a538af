/* Exactness judged from the first sample heard: every decoded buffer is
 * located on its own in the source signal, a noise made for it (band-
 * limited white noise: a window of 256 samples has one place it fits). */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* The source, mono float samples. */
typedef struct
{
  gfloat *samples;
  gsize n;
  gint rate;
} SourceSignal;

/* Reads a 16-bit PCM mono WAV file; FALSE (and a message) when it is not
 * one. */
gboolean source_signal_load (const gchar * path, SourceSignal * out,
    GError ** error);
void source_signal_clear (SourceSignal * signal);

/* Where @probe[0..n) is in the source, as a lag within +-@max_lag from
 * source sample @at (normalized cross-correlation; @score 1 for a perfect
 * match; G_MININT when no lag fits in the source). */
gint locate_window (const SourceSignal * source, gint64 at,
    const gfloat * probe, guint n, gint max_lag, gdouble * score);

/* The end of a pipeline whose audio is located: mono, interleaved, in the
 * decoder's own sample format, so that audioconvert passes the decoder's
 * buffers through as it would to a sink that takes that format. Its queue
 * is bounded, as a sink's is: upstream waits instead of running to the end,
 * where a pause would wait for a preroll that never comes. */
#define LOCATE_SINK "audioconvert ! audio/x-raw,layout=interleaved," \
    "channels=1,format={F32LE,S16LE,S32LE} ! appsink name=out sync=false " \
    "max-buffers=32"

/* A buffer shorter than this is located with the samples after it. */
#define LOCATE_MIN_SAMPLES 256

/* One decoded buffer, as it came out of the pipeline. */
typedef struct
{
  guint64 label;                /* its stream time, in samples (rounded) */
  GstClockTime pts;             /* its stream time */
  guint n;                      /* its samples */
  gboolean kept;                /* its audio was kept to be located */
  gboolean located;             /* located (with the samples after it if
                                 * it is short, before it if it is last) */
  gint lag;                     /* where its audio is in the source minus
                                 * where its label puts it, in samples */
  gdouble score;                /* 1 for a perfect match */
} LocatedBuffer;

/* Pulls buffers from the appsink "out" of @pipeline (LOCATE_SINK) until
 * @count samples came (or the stream ended), locating each of at least
 * LOCATE_MIN_SAMPLES samples within +-@max_lag of its label. Buffers whose
 * segment equals @stale (from before a seek took effect) are passed over
 * when it is not NULL. Returns the buffers (LocatedBuffer). */
GArray *locate_pull (GstElement * pipeline, const SourceSignal * source,
    gsize count, gint max_lag, const GstSegment * stale);
/* The same, locating only the buffers labelled before source sample @head
 * and those that end after sample @from (the rest are checked for their
 * labels and lengths only): the two ends of a whole decode. */
GArray *locate_pull_from (GstElement * pipeline, const SourceSignal * source,
    gsize count, gint max_lag, const GstSegment * stale, guint64 head,
    guint64 from);

/* Judges @buffers as audio that should start at source sample @first:
 * the first buffer's label is @first and its audio is there, every buffer
 * long enough is where its label says, and each label follows from the one
 * before and its sample count. Returns NULL when all hold, else what did
 * not (for a test message). */
gchar *locate_judge (GArray * buffers, guint64 first, gdouble min_score);
/* The same, with the audio allowed up to @tolerance samples off its
 * labels. */
gchar *locate_judge_within (GArray * buffers, guint64 first,
    gdouble min_score, gint tolerance);

/* One line per buffer, for a failing test's log. */
gchar *locate_describe (GArray * buffers);

/* Before a seek: back to PAUSED, settled, the bus emptied, and the segment
 * of what the appsink "out" prerolled on kept in @stale (audio from before
 * the seek that may still come out after it, for locate_pull). */
void locate_prepare_seek (GstElement * pipeline, GstSegment * stale);
/* After a flushing seek in PAUSED: waits for the preroll, as a player does
 * before it plays on. */
void locate_wait_preroll (GstElement * pipeline);
/* The same, FALSE when it does not come within @timeout (or fails). */
gboolean locate_try_wait_preroll (GstElement * pipeline,
    GstClockTime timeout);

/* The locator's encodings (data/make-locator.sh), each with every decoder
 * Debian 12 ships for its codec; NULL-terminated. */
typedef struct
{
  const gchar *file;
  const gchar *const *decoders;
} LocatorFile;

extern const LocatorFile locator_files[];

/* Makes @decoder the one decodebin picks among @family (by rank, as a
 * user's registry would). */
void locate_force_decoder (const gchar * const *family,
    const gchar * decoder);

/* The factory names of the elements in @bin (at any depth) whose klass
 * holds @klass and whose name starts with @prefix (NULL: any), joined by
 * commas; "" when there are none. */
gchar *locate_factories_in (GstElement * bin, const gchar * klass,
    const gchar * prefix);
/* The audio decoder(s) in @pipeline, or NULL. */
gchar *locate_decoder_in (GstElement * pipeline);

/* Ranks the plugin's autoplugged factories out (@out: GStreamer as it
 * comes), or back to the ranks they had. */
void locate_rank_autoplug_out (gboolean out);

G_END_DECLS
