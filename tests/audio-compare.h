/* Test and benchmark helpers: decode to mono float samples, and find where
 * one stretch of audio sits in another. */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct
{
  gfloat *samples;
  gsize n;
  gint rate;
  GstClockTime first_pts;      /* stream time of the first sample */
  gint64 first_arrival_us;      /* monotonic time the first buffer came */
} Capture;

/* Caps and sink that end every capture pipeline. */
#define CAPTURE_SINK "audioconvert ! " \
    "audio/x-raw,format=F32LE,channels=1,layout=interleaved ! " \
    "appsink name=out sync=false"

/* Runs @desc (ending in CAPTURE_SINK) and keeps @count samples starting
 * at sample @from of what arrives. */
void capture_run (const gchar * desc, gsize from, gsize count, Capture * out);

/* Keeps @count samples from the appsink "out" of a pipeline already
 * running (after a seek, say). */
void capture_pull (GstElement * pipeline, gsize count, Capture * out);

/* The segment of the sample the appsink "out" prerolled on (before a
 * seek); FALSE when there is none. */
gboolean capture_preroll_segment (GstElement * pipeline, GstSegment * segment);

/* As capture_pull after a seek, passing over samples still in the
 * @stale segment (from before the seek took effect). */
void capture_pull_after (GstElement * pipeline, const GstSegment * stale,
    gsize count, Capture * out);

void capture_clear (Capture * capture);

/* Matroska chapter XML of two chapters (0 s, 1 s), the first titled in
 * German, English and Canadian French, the second in German and English. */
#define LANGUAGES_XML "<?xml version=\"1.0\"?>\n<Chapters>" \
    "<EditionEntry><ChapterAtom><ChapterTimeStart>00:00:00.000" \
    "</ChapterTimeStart><ChapterDisplay><ChapterString>Einleitung" \
    "</ChapterString><ChapterLanguage>ger</ChapterLanguage></ChapterDisplay>" \
    "<ChapterDisplay><ChapterString>Introduction</ChapterString>" \
    "<ChapterLanguage>eng</ChapterLanguage></ChapterDisplay><ChapterDisplay>" \
    "<ChapterString>Pr\xc3\xa9sentation</ChapterString><ChapLanguageIETF>" \
    "fr-CA</ChapLanguageIETF></ChapterDisplay></ChapterAtom><ChapterAtom>" \
    "<ChapterTimeStart>00:00:01.000</ChapterTimeStart><ChapterDisplay>" \
    "<ChapterString>Ende</ChapterString><ChapterLanguage>ger" \
    "</ChapterLanguage></ChapterDisplay><ChapterDisplay><ChapterString>End" \
    "</ChapterString><ChapterLanguage>eng</ChapterLanguage>" \
    "</ChapterDisplay></ChapterAtom></EditionEntry></Chapters>"

/* A short Vorbis MKA in @dir with the chapters of Matroska chapter XML
 * @xml, as mkvmerge writes them; its path (the caller removes @dir's
 * c.xml, a.mka and c.mka). */
gchar *make_mka_with_chapters (const gchar * dir, const gchar * xml);

/* For the log of a test whose @pipeline stalled: @why, every element and
 * its state, where the pipeline got to, its graph, and every thread's
 * stack when gdb is at hand (on stderr, which the test log shows). */
void print_stalled_pipeline (GstElement * pipeline, const gchar * why);

/* One straight decode of @desc, keeping @n windows of @count samples that
 * start at the (ascending) sample positions @from. */
void capture_run_windows (const gchar * desc, const gsize * from, guint n,
    gsize count, Capture * out);

/* The lag in samples, within +-@max_lag, at which @probe[0..len) best
 * matches @ref around @center; @score is 1 for a perfect match. */
gint capture_best_lag (const Capture * ref, gsize center,
    const Capture * probe, gsize len, gint max_lag, gdouble * score);

/* Samples a gapless decode drops at the start of @path (MP3 encoder and
 * decoder delay), 0 for other formats. */
guint capture_gapless_skip (const gchar * path);

G_END_DECLS
