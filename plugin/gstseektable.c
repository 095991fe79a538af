/**
 * SECTION:element-seektable
 * @title: seektable
 * @short_description: exact, one-request seeks in compressed audio
 *
 * Sits right after the source and keeps an exact index of an MP3, FLAC,
 * Ogg Opus/Vorbis, M4A or Matroska/WebM Vorbis stream (where each frame,
 * page or sample is), so that a TIME seek lands on the exact sample with
 * one byte seek upstream: one HTTP range request instead of a re-read
 * from the first frame. Local files are indexed by a scan in a worker;
 * over HTTP the index grows from the bytes that stream by and MP3
 * indexes are kept in `$XDG_CACHE_HOME/gst-chapters/seek-index/`.
 *
 * Installed, its autoplugged factories (`seektableparse`, `seektableid3`)
 * put it in front of the stock parser in decodebin and playbin, which then
 * also post the stream's chapters as a TOC before PAUSED; opt out with
 * `GST_PLUGIN_FEATURE_RANK=seektableparse:NONE,seektableid3:NONE`.
 * `seektable` itself has rank NONE, for explicit pipelines.
 *
 * ## Example pipeline
 * |[
 * gst-launch-1.0 souphttpsrc location=https://example.com/episode.mp3 ! \
 *     seektable ! decodebin ! chapters start-chapter=4 ! audioconvert ! \
 *     autoaudiosink
 * ]| Starts in chapter 4 from its first sample, with one range request.
 */

/* gst-chapters: the `seektable` element.
 *
 * Sits right after the source, in the byte domain:
 *
 *   filesrc location=ep.mp3 ! seektable ! decodebin ! chapters ! ...
 *
 * It passes the stream through untouched while it keeps an exact index of
 * the MPEG audio frames (local files are scanned whole in a worker). When a
 * TIME seek comes up from the parser it serves it itself: one BYTES seek
 * upstream to the frame the decoder needs to produce the target sample (a
 * few frames early, for the bit reservoir), then the frames from there as
 * timestamped buffers in a TIME segment that starts at the target, so the
 * decoder clips to the exact sample and the sink gets it first. Over HTTP
 * that is one range request near the target instead of a re-read from the
 * first frame.
 *
 * FLAC: every frame header names its first sample, so any header found is
 * an exact index point (flac-index.c). A seek goes to the known frame
 * before the target, or to an interpolated byte a little before it; the
 * landing is read from the headers in the data, frames before the target
 * are dropped, and a landing after it reads again from further back.
 *
 * Ogg Opus and Ogg Vorbis (one logical stream): oggdemux in push mode
 * seeks by a bisection of its own and never asks upstream, so the element
 * takes the stream apart itself (ogg-index.h) and outputs the packets,
 * timed by their granules, in place of oggdemux. Every page header is an
 * exact index point; a seek reads from the page that lets the decoder
 * produce the target sample (Opus: 80 ms of pre-roll, Vorbis: the packet
 * before), and a landing after that reads again from further back.
 *
 * Matroska/WebM with one Vorbis track: its blocks are timed in whole
 * milliseconds, and matroskademux labels the audio a short block late. The
 * element takes it apart too (mkv-audio.h), timing the packets by their
 * block sizes counted from the first, and serves it as Ogg Vorbis; a
 * cluster whose granule is known (a scan, or the bytes that streamed by)
 * is where a seek reads from.
 *
 * M4A with one AAC track: the movie box's sample tables give every frame's
 * time and byte; the element cuts the frames from the bytes itself, and a
 * seek reads from the frame before the target, whose overlap the decoder
 * needs (qtdemux starts at the frame holding it, a sample late).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstseektable.h"

#include <gst/base/gstadapter.h>
#include <gst/audio/audio.h>
#include <gst/pbutils/pbutils.h>
#include <gst/tag/tag.h>
#include <string.h>
#include <glib/gstdio.h>

#include "seek-index.h"
#include "flac-index.h"
#include "ogg-index.h"
#include "mkv-audio.h"
#include "ebml-read.h"
#include "chapter-embedded.h"
#include "chapter-toc.h"
#include "mp4-track.h"
#include "chapter-bytes.h"
#include "chapter-source.h"

GST_DEBUG_CATEGORY_STATIC (gst_seek_table_debug);
#define GST_CAT_DEFAULT gst_seek_table_debug

/* Frames decoded ahead of the target: the bit reservoir reaches back at
 * most 511 bytes, a few frames at low bitrates; the MDCT overlap needs one
 * more. */
#define PREROLL_FRAMES 10

/* SeekPlan.first_wanted of a plan made with no index: from the segment's
 * start, once the stream's head made one */
#define FIRST_FROM_SEGMENT G_MAXUINT64

/* Landings after the target before a FLAC seek reads from the first frame
 * instead. */
#define MAX_RETRIES 6

/* Opus decodes exactly after 80 ms of pre-roll (RFC 7845 4.6). */
#define OPUS_PREROLL 3840

typedef enum
{
  DEMUX_UNDECIDED,              /* at byte 0: the first bytes tell */
  DEMUX_NO,                     /* bytes through, to the stock demuxers */
  DEMUX_OGG,                    /* we take Ogg apart */
  DEMUX_MP4,                    /* we take MP4 apart */
} DemuxState;

/* What the BYTES seek we wait on is for. */
typedef enum
{
  PLAN_MPEG,                    /* MP3 frames from frame, timed by the index */
  PLAN_FLAC,                    /* a FLAC landing, checked in the headers */
  PLAN_OGG,                     /* an Ogg landing, checked in the granules */
  PLAN_OGG_END,                 /* Ogg: a look at the end for the duration */
  PLAN_MP4,                     /* MP4: frames from frame (a sample index) */
  PLAN_MP4_MOOV,                /* MP4: the movie box after the media data */
} PlanKind;

#define PLAN_ANY_BYTE G_MAXUINT64

/* The upstream query a seek table answers: one is there already. */
#define SEEK_TABLE_QUERY "gst-chapters-seek-table"

typedef struct
{
  PlanKind kind;
  GstSegment segment;
  guint64 frame;                /* where it reads from, in the kind's unit */
  guint64 first_wanted;         /* MPEG: the first frame pushed */
  guint64 point_granule;        /* Matroska: the granule of that cluster,
                                 * PLAN_ANY_BYTE: an estimated byte */
  gboolean resync;              /* MPEG: the frame number from the data */
  gboolean verify;              /* MPEG: the landing is an index point,
                                 * checked before a frame is labelled */
  guint64 target_sample;
  guint32 seqnum;
  gboolean ask_elsewhere;       /* a retry asks from @ask for a plan that
                                 * reads from @want (else from frame: a
                                 * byte, for the kinds that retry) */
  guint64 ask, want;
} SeekPlan;

struct _GstSeekTable
{
  GstElement parent;

  GstPad *sinkpad;
  GstPad *srcpad;

  /* under the object lock */
  SeekIndex *index;             /* from the bytes that streamed by */
  SeekIndex *scanned;           /* from a scan of the whole local file */
  FlacIndex *flac;              /* FLAC: from the bytes that streamed by */
  FlacIndex *flac_scanned;
  OggIndex *ogg;                /* Ogg: from the bytes that streamed by */
  OggIndex *ogg_scanned;
  gboolean not_mpeg, not_flac, not_ogg; /* what the stream is not */
  GThread *scan_thread;
  gchar *scan_path;
  gboolean scan_checked;
  gboolean scan_started;        /* a deferred scan was started */
  gchar *validator;             /* ETag / Last-Modified from souphttpsrc */
  gboolean ranges_unsure;       /* the server's last answer neither said
                                 * it serves byte ranges nor was one */
  gchar *cache_path;            /* where this stream's index is kept */
  gboolean whole;               /* streamed from byte 0 without a seek */
  guint64 cached_frames;        /* frames of the partial index loaded */
  SeekIndex *cached_partial;    /* from the cache, not yet checked */
  gboolean played;              /* reached PLAYING (not only a preroll) */

  /* streaming state, under the stream lock (and the object lock where the
   * seek handler sets it up) */
  guint64 in_offset;            /* file offset of the next input byte */
  gint64 offset_shift;          /* where the bytes are, less where the
                                 * source says they are (a server that
                                 * answers a range from another byte) */
  guint64 skip_until;           /* bytes before this one are not wanted */
  gboolean timed;               /* we serve a seek: framed TIME output */
  gboolean awaiting_segment;    /* our BYTES seek's segment is to come */
  gboolean resync;              /* find the frame number from the data */
  gboolean verifying;           /* the landing is checked against the
                                 * index before anything is pushed */
  guint agreed;                 /* index points of the cache or scan found
                                 * the same in the stream */
  guint64 bad_offset, bad_frame;        /* a landing that did not match */
  GstAdapter *adapter;
  guint64 adapter_offset;       /* file offset of the adapter's first byte */
  guint64 out_frame;            /* frame number there */
  guint64 first_wanted;
  GstSegment segment;
  gboolean need_segment;
  gboolean discont;
  guint32 seqnum;

  /* FLAC: where the output starts, found in the data */
  gboolean flac_mode;
  gboolean landed;
  gboolean have_first;          /* a header at the adapter's start */
  FlacFrame first;
  gsize search_from;
  guint64 target_sample;
  guint retries;

  /* Ogg: the stream taken apart (streaming thread) */
  DemuxState demux;
  OggReader *reader;
  GList *held;                  /* buffers and the segment, while undecided */
  gboolean ogg_started;         /* caps, tags, headers are out */
  guint32 quiet_seqnum;         /* our seek whose flush stays upstream */
  gboolean probing;             /* reading the end of the file */
  gboolean ogg_flushed;         /* a flush took the segment downstream */
  guint32 upstream_seqnum;

  /* MP4 (M4A/AAC): the movie read, then its samples cut from the bytes */
  gboolean mp4;                 /* deciding on, or taking apart, an MP4 */
  GByteArray *mp4_head;         /* boxes read so far, from mp4_head_offset */
  guint64 mp4_head_offset;
  gboolean mp4_ready;
  Mp4Audio mp4_audio;
  guint mp4_next;               /* the next sample to push */
  GstToc *toc;                  /* autoplugged: the stream's chapters, to go
                                 * out after the first segment */
  gboolean early_decoder;       /* the decoder labels a frame early (faad),
                                 * looked at when a segment goes out */
  GstFlowReturn ogg_ret;

  /* Matroska/Vorbis, taken apart like Ogg (the Ogg state serves it) */
  gboolean mkv;
  MkvReader *mkv_reader;
  gint64 mkv_duration;          /* as the file says (ms), under the lock */

  /* a seek we serve, set up by the seek handler (under the object lock)
   * and taken on by the streaming thread when its segment arrives */
  SeekPlan pending;
  /* the BYTES seeks we sent last (under the object lock): an answer to
   * one that a later one overtook is not the one planned */
  guint32 sent_seqnums[8];
  guint n_sent;
  guint64 sent_offset;
  guint64 wanted_offset;        /* the byte the plan reads from (earlier
                                 * asked of a server that answered late) */
  gint64 response_start;        /* where the last HTTP answer's bytes
                                 * begin (Content-Range), -1 unknown */
  guint skews;                  /* answers from later than asked, this
                                 * plan */
  gboolean skew_warned;         /* (once per stream) */
  guint64 skew_asked, skew_answered;
  guint plans;                  /* how many plans were made: a newer one
                                 * supersedes what an older seek left */
};

#define gst_seek_table_parent_class parent_class
G_DEFINE_TYPE (GstSeekTable, gst_seek_table, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (seektable, "seektable", GST_RANK_NONE,
    GST_TYPE_SEEK_TABLE);

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

/* The index to answer from: the full scan once it is there (one from the
 * cache once the stream's bytes matched its fingerprint). */
static SeekIndex *
best_index_locked (GstSeekTable * self)
{
  if (self->scanned && seek_index_trusted (self->scanned))
    return self->scanned;
  return seek_index_ready (self->index) ? self->index : NULL;
}

/* Drops *@index, which is not this stream's (@why), and its cache file:
 * the content changed under the same cache key, or the file is another
 * media's. Object lock held. */
static void
forget_index_locked (GstSeekTable * self, SeekIndex ** index,
    const gchar * why)
{
  GST_INFO_OBJECT (self, "index dropped (%s), and its cache file %s", why,
      GST_STR_NULL (self->cache_path));
  g_clear_pointer (index, seek_index_free);
  if (self->cache_path)
    g_unlink (self->cache_path);
}

/* Drops the cached index *@index, and its file, when the stream's bytes
 * did not match its fingerprint. */
static gboolean
drop_if_foreign_locked (GstSeekTable * self, SeekIndex ** index)
{
  if (!seek_index_mismatch (*index))
    return FALSE;
  forget_index_locked (self, index, "the media's fingerprint differs");
  return TRUE;
}

/* A cached index checked against the bytes at @offset: adopted when they
 * match its fingerprint, dropped (and its file removed) when they do not:
 * the content changed under the same cache key, or the file is another
 * media's. Object lock held. */
static void
check_cached_locked (GstSeekTable * self, guint64 offset, const guint8 * data,
    gsize size)
{
  if (self->scanned && !seek_index_trusted (self->scanned)) {
    seek_index_check (self->scanned, offset, data, size);
    drop_if_foreign_locked (self, &self->scanned);
  }
  if (self->scanned && seek_index_trusted (self->scanned)
      && !seek_index_agrees (self->index, self->scanned, &self->agreed)) {
    /* the frames that streamed by are not where the index has them: the
     * same first bytes, changed further on */
    GST_DEBUG_OBJECT (self, "index point %u differs from the stream's",
        self->agreed);
    forget_index_locked (self, &self->scanned, "its frames are not where "
        "the stream has them");
  }
  if (self->cached_partial) {
    /* fed, so that it knows where the stream is contiguous */
    seek_index_feed (self->cached_partial, offset, data, size);
    if (!drop_if_foreign_locked (self, &self->cached_partial)
        && seek_index_trusted (self->cached_partial)
        && seek_index_frames (self->cached_partial) >
        seek_index_frames (self->index)) {
      GST_DEBUG_OBJECT (self, "cached partial index checked: %"
          G_GUINT64_FORMAT " frames", seek_index_frames (self->cached_partial));
      seek_index_free (self->index);
      self->index = g_steal_pointer (&self->cached_partial);
      self->cached_frames = seek_index_frames (self->index);
    }
  }
}

/* The FLAC index to answer from. */
static FlacIndex *
best_flac_locked (GstSeekTable * self)
{
  if (self->flac_scanned)
    return self->flac_scanned;
  return flac_index_ready (self->flac) ? self->flac : NULL;
}

/* The Ogg index to answer from. */
static OggIndex *
best_ogg_locked (GstSeekTable * self)
{
  if (self->ogg_scanned)
    return self->ogg_scanned;
  return ogg_index_ready (self->ogg) ? self->ogg : NULL;
}

/* Sets up the seek we serve, under the object lock (@segment NULL: from
 * time 0); the streaming thread takes it on when the segment that answers
 * it arrives. */
static void
plan_locked (GstSeekTable * self, PlanKind kind, const GstSegment * segment,
    guint64 frame, guint64 target, guint32 seqnum)
{
  memset (&self->pending, 0, sizeof self->pending);
  self->plans++;
  self->pending.kind = kind;
  if (segment)
    self->pending.segment = *segment;
  else
    gst_segment_init (&self->pending.segment, GST_FORMAT_TIME);
  self->pending.frame = frame;
  self->pending.target_sample = target;
  self->pending.seqnum = seqnum;
  self->awaiting_segment = TRUE;
}

/* An MP3 jump read from byte 0, its frames counted (those before @first,
 * frame number or FIRST_FROM_SEGMENT, dropped): what needs no index and
 * no range. Object lock held. */
static void
plan_mpeg_from_start_locked (GstSeekTable * self, const GstSegment * segment,
    guint32 seqnum, guint64 first)
{
  plan_locked (self, PLAN_MPEG, segment, 0, 0, seqnum);
  self->pending.first_wanted = first;
  seek_index_restart_at (self->index, 0, 0);
}

/* A seek planned since the landing under way was taken on (its answer is
 * awaited): what the landing would re-plan is superseded. */
static gboolean
newer_plan_locked (GstSeekTable * self)
{
  return self->awaiting_segment;
}

static void save_index (GstSeekTable * self, SeekIndex * index);

/* The URI upstream reads, or NULL. */
static gchar *
upstream_uri (GstSeekTable * self)
{
  GstQuery *query = gst_query_new_uri ();
  gchar *uri = NULL;

  if (gst_pad_peer_query (self->sinkpad, query))
    gst_query_parse_uri (query, &uri);
  gst_query_unref (query);
  return uri;
}

/* The MPEG stream of @where is damaged at the end of @index, with no
 * frames found after it: said once, as a warning. */
static void
warn_lost (GstSeekTable * self, SeekIndex * index, const gchar * where)
{
  GST_ELEMENT_WARNING (self, STREAM, DECODE, ("%s is damaged at byte %"
          G_GUINT64_FORMAT ": no MPEG audio frames within %u KiB after it",
          where, seek_index_end_offset (index), SEEK_INDEX_RESYNC_WINDOW /
          1024), ("the index ends "
          "there (%" G_GUINT64_FORMAT " frames): jumps beyond it read on "
          "from there", seek_index_frames (index)));
}

static gpointer
scan_thread (gpointer data)
{
  GstSeekTable *self = data;
  g_autofree gchar *path = NULL;
  g_autoptr (GMappedFile) file = NULL;
  SeekIndex *index = NULL;
  gint64 t0 = g_get_monotonic_time ();

  GST_OBJECT_LOCK (self);
  path = g_strdup (self->scan_path);
  GST_OBJECT_UNLOCK (self);

  file = g_mapped_file_new (path, FALSE, NULL);
  if (file) {
    const guint8 *bytes = (const guint8 *) g_mapped_file_get_contents (file);
    gsize size = g_mapped_file_get_length (file);
    FlacInfo info;
    gboolean mkv = ebml_sniff (bytes, size);

    if (mkv || (size >= 4 && memcmp (bytes, "OggS", 4) == 0)) {
      OggIndex *ogg = mkv ? mkv_index_scan (bytes, size) :
          ogg_index_scan (bytes, size);

      if (ogg == NULL)
        return NULL;
      GST_INFO_OBJECT (self, "indexed %s: %u points in %" G_GINT64_FORMAT
          " us", path, ogg_index_points (ogg), g_get_monotonic_time () - t0);
      GST_OBJECT_LOCK (self);
      ogg_index_free (self->ogg_scanned);
      self->ogg_scanned = ogg;
      GST_OBJECT_UNLOCK (self);
      return NULL;
    }
    if (flac_info_parse (bytes, size, &info) == 1) {
      FlacIndex *flac = flac_index_scan (bytes, size);

      GST_INFO_OBJECT (self, "indexed FLAC %s: %u points in %" G_GINT64_FORMAT
          " us", path, flac_index_points (flac), g_get_monotonic_time () - t0);
      GST_OBJECT_LOCK (self);
      flac_index_free (self->flac_scanned);
      self->flac_scanned = flac;
      GST_OBJECT_UNLOCK (self);
      return NULL;
    }
    index = seek_index_scan (bytes, size);
  }
  if (index == NULL) {
    GST_DEBUG_OBJECT (self, "%s is not MPEG audio we index", path);
    return NULL;
  }
  GST_INFO_OBJECT (self, "indexed %" G_GUINT64_FORMAT " frames of %s in %"
      G_GINT64_FORMAT " us, past %u breaks in the stream (damage, tags)",
      seek_index_frames (index), path, g_get_monotonic_time () - t0,
      seek_index_damages (index));
  if (seek_index_lost (index))
    warn_lost (self, index, path);
  save_index (self, index);
  GST_OBJECT_LOCK (self);
  seek_index_free (self->scanned);
  self->scanned = index;
  GST_OBJECT_UNLOCK (self);
  return NULL;
}

/* The cache key: the URI, the size and a validator (ETag or Last-Modified
 * over HTTP; a local file's mtime, ctime and inode). NULL when there is no
 * validator. */
static gchar *
cache_key (GstSeekTable * self, const gchar * uri)
{
  gint64 size = -1;
  g_autofree gchar *validator = NULL;

  if (g_str_has_prefix (uri, "file:")) {
    g_autofree gchar *path = g_filename_from_uri (uri, NULL, NULL);

    return path ? seek_index_file_key (uri, path) : NULL;
  }
  gst_pad_peer_query_duration (self->sinkpad, GST_FORMAT_BYTES, &size);
  GST_OBJECT_LOCK (self);
  validator = g_strdup (self->validator);
  GST_OBJECT_UNLOCK (self);
  if (validator == NULL || size <= 0)
    return NULL;
  return g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%s", uri, size,
      validator);
}

static void
save_index (GstSeekTable * self, SeekIndex * index)
{
  g_autofree gchar *path = NULL;
  GError *error = NULL;

  GST_OBJECT_LOCK (self);
  path = g_strdup (self->cache_path);
  GST_OBJECT_UNLOCK (self);
  if (path == NULL)
    return;
  if (seek_index_save (index, path, &error))
    GST_INFO_OBJECT (self, "%s index (%" G_GUINT64_FORMAT " frames) saved to "
        "%s", seek_index_complete (index) ? "whole" : "partial",
        seek_index_frames (index), path);
  else {
    GST_DEBUG_OBJECT (self, "cannot save the index: %s", error->message);
    g_error_free (error);
  }
}

/* A local file gets a full scan in a worker: exact from the start. */
static void
maybe_start_scan (GstSeekTable * self)
{
  gchar *uri = upstream_uri (self), *path = NULL, *key;

  if (uri == NULL)
    return;
  /* an index this stream had before */
  key = cache_key (self, uri);
  if (key) {
    gchar *cache = seek_index_cache_path (key);
    SeekIndex *cached = seek_index_load (cache, NULL);

    if (cached && g_str_has_prefix (uri, "file:")) {
      /* a local file: its fingerprint is checked now, from the file */
      g_autofree gchar *local = g_filename_from_uri (uri, NULL, NULL);
      g_autoptr (GMappedFile) file = local ? g_mapped_file_new (local, FALSE,
          NULL) : NULL;

      if (file)
        seek_index_check (cached, 0,
            (const guint8 *) g_mapped_file_get_contents (file),
            g_mapped_file_get_length (file));
      if (!seek_index_trusted (cached)) {
        GST_INFO_OBJECT (self, "cached index %s is not %s's (its fingerprint "
            "differs): dropped", cache, local);
        g_clear_pointer (&cached, seek_index_free);
        g_unlink (cache);
      }
    }

    GST_OBJECT_LOCK (self);
    g_free (self->cache_path);
    self->cache_path = cache;
    if (cached && !seek_index_complete (cached)) {
      /* what a listener heard before: exact up to its last frame; once
       * checked against the stream, the streamed index goes on from it */
      GST_INFO_OBJECT (self, "partial index of %s from the cache (%"
          G_GUINT64_FORMAT " frames)", uri, seek_index_frames (cached));
      seek_index_free (self->cached_partial);
      self->cached_partial = cached;
      cached = NULL;
    } else if (cached) {
      GST_INFO_OBJECT (self, "index of %s from the cache", uri);
      seek_index_free (self->scanned);
      self->scanned = cached;
    }
    GST_OBJECT_UNLOCK (self);
    g_free (key);
    if (cached) {
      g_free (uri);
      return;
    }
  }
  if (g_str_has_prefix (uri, "file:"))
    path = g_filename_from_uri (uri, NULL, NULL);
  g_free (uri);
  if (path == NULL)
    return;
  GST_OBJECT_LOCK (self);
  if (self->scan_thread == NULL && self->scan_path == NULL) {
    self->scan_path = path;
    /* autoplugged, the scan waits for playback or a seek: a discoverer or
     * a thumbnailer that only prerolls pays for no scan and no cache */
    if (!gst_seek_table_autoplugged (self))
      self->scan_thread = g_thread_new ("seektable-scan", scan_thread, self);
  } else {
    g_free (path);
  }
  GST_OBJECT_UNLOCK (self);
}

/* The scan that waited (autoplugged); with @wait, until it is done. */
static void
start_deferred_scan (GstSeekTable * self, gboolean wait)
{
  GThread *thread = NULL;

  GST_OBJECT_LOCK (self);
  if (self->scan_path && self->scan_thread == NULL && !self->scan_started) {
    self->scan_started = TRUE;
    GST_DEBUG_OBJECT (self, "scanning %s now", self->scan_path);
    self->scan_thread = g_thread_new ("seektable-scan", scan_thread, self);
  }
  if (wait)
    thread = g_steal_pointer (&self->scan_thread);
  GST_OBJECT_UNLOCK (self);
  if (thread)
    g_thread_join (thread);
}

/* Times an MP3 frame whose first decoded sample is sample @first of a
 * gapless decode (negative in the encoder delay), in a stream of @total
 * samples (-1: not known yet). A frame that holds the segment's start, the
 * stream's start or its end is cut by the decoder itself: it carries
 * GstAudioClippingMeta, which every MP3 decoder honours (avdec_*,
 * mpg123audiodec), and the time of its first kept sample. The decoder base
 * class's own clip of a planar buffer (avdec's) only shortens the buffer's
 * audio meta, which audioconvert drops when it passes mono audio through:
 * the audio before the target would be heard. Frames before the segment
 * are decoded for the bit reservoir and dropped whole by the base class. */
static void
mpeg_frame_time (GstBuffer * buf, gint64 first, guint spf, gint rate,
    const GstSegment * segment, gint64 total)
{
  gint64 from = gst_util_uint64_scale (segment->start, rate, GST_SECOND);
  guint clip_start = 0, clip_end = 0;
  GstClockTime pts;

  if (first + (gint64) spf <= 0)
    clip_start = spf;           /* all encoder delay */
  else if (first < from && first + (gint64) spf > from)
    clip_start = from - first;
  else if (first < 0)
    clip_start = -first;
  if (total >= 0 && first + (gint64) spf > total)
    clip_end = MIN (spf - clip_start, first + spf - total);
  if (clip_start && first + (gint64) clip_start == from && from > 0)
    pts = segment->start;
  else
    pts = gst_util_uint64_scale_int (MAX (first + (gint64) clip_start, 0),
        GST_SECOND, rate);
  GST_BUFFER_PTS (buf) = GST_BUFFER_DTS (buf) = pts;
  GST_BUFFER_DURATION (buf) = gst_util_uint64_scale_int (spf - clip_start -
      clip_end, GST_SECOND, rate);
  if (clip_start || clip_end)
    gst_buffer_add_audio_clipping_meta (buf, GST_FORMAT_DEFAULT, clip_start,
        clip_end);
}

/* Checks an MP3 landing (the adapter holds the stream from it) against
 * the index that planned it; a landing it does not match drops that
 * index. */
static SeekLanding
check_landing (GstSeekTable * self, gboolean at_eos)
{
  gsize avail = gst_adapter_available (self->adapter);
  const guint8 *data = avail > 0 ? gst_adapter_map (self->adapter, avail) :
      NULL;
  SeekIndex *index;
  SeekLanding landing;

  GST_OBJECT_LOCK (self);
  index = best_index_locked (self);
  landing = index ? seek_index_check_landing (index, self->out_frame,
      self->adapter_offset, data, avail, at_eos) : SEEK_LANDING_MORE;
  if (landing == SEEK_LANDING_BAD) {
    self->bad_offset = self->adapter_offset;
    self->bad_frame = self->out_frame;
    forget_index_locked (self, index == self->scanned ? &self->scanned :
        &self->index, "a jump's landing does not match it");
    if (self->index == NULL) {
      self->index = seek_index_new ();
      self->cached_frames = 0;
    }
  } else if (landing == SEEK_LANDING_GOOD) {
    GST_LOG_OBJECT (self, "landing at byte %" G_GUINT64_FORMAT " (frame %"
        G_GUINT64_FORMAT ") matches the index", self->adapter_offset,
        self->out_frame);
  }
  GST_OBJECT_UNLOCK (self);
  if (data)
    gst_adapter_unmap (self->adapter);
  return landing;
}

static void
warn_landing (GstElement * element, gpointer data)
{
  GstSeekTable *self = GST_SEEK_TABLE (element);
  g_autofree gchar *uri = upstream_uri (self);
  guint64 offset, frame;

  GST_OBJECT_LOCK (self);
  offset = self->bad_offset;
  frame = self->bad_frame;
  GST_OBJECT_UNLOCK (self);
  GST_ELEMENT_WARNING (self, STREAM, DEMUX, ("The seek index does not match "
          "the stream"), ("%s: no frame at byte %" G_GUINT64_FORMAT " (frame %"
          G_GUINT64_FORMAT " by the index), or the frames from it miss the "
          "next index point; the index is dropped and the jump planned again "
          "without it", uri ? uri : "the stream", offset, frame));
}

static gint64 plan_mpeg_locked (GstSeekTable * self,
    const GstSegment * segment, guint32 seqnum, gint64 length);
static void retry_seek (GstElement * element, gpointer data);

/* A landing that did not match its index (dropped): the jump planned
 * again, with the index of the bytes that streamed by when there is one,
 * else from byte 0, counting frames (the target frame is found once the
 * stream's head is read). Nothing of the landing is pushed. */
static GstFlowReturn
replan_without_index (GstSeekTable * self)
{
  GstSegment segment = self->segment;
  gint64 length, ask;
  guint plans;

  if (!gst_pad_peer_query_duration (self->sinkpad, GST_FORMAT_BYTES,
          &length))
    length = -1;
  GST_OBJECT_LOCK (self);
  ask = plan_mpeg_locked (self, &segment, self->seqnum, length);
  if (ask < 0) {
    plan_mpeg_from_start_locked (self, &segment, self->seqnum,
        FIRST_FROM_SEGMENT);
    ask = 0;
  }
  self->pending.ask_elsewhere = TRUE;
  self->pending.ask = self->pending.want = (guint64) ask;
  plans = self->plans;
  GST_OBJECT_UNLOCK (self);
  GST_DEBUG_OBJECT (self, "jump planned again: from byte %" G_GINT64_FORMAT,
      ask);
  self->verifying = FALSE;
  gst_adapter_clear (self->adapter);
  gst_element_call_async (GST_ELEMENT (self), warn_landing, NULL, NULL);
  /* (not from the streaming thread, which the flush must stop) */
  gst_element_call_async (GST_ELEMENT (self), retry_seek,
      GUINT_TO_POINTER (plans), NULL);
  return GST_FLOW_OK;
}

/* Pushes the frames in the adapter as timestamped buffers. */
static GstFlowReturn
push_frames (GstSeekTable * self, gboolean at_eos)
{
  GstFlowReturn ret = GST_FLOW_OK;
  SeekIndex *index;
  MpegFrame format;
  guint64 skip, first_offset;
  gint rate, spf;
  gint64 first = 0, total = -1;

  GST_OBJECT_LOCK (self);
  index = best_index_locked (self);
  if (index == NULL) {
    GST_OBJECT_UNLOCK (self);
    return GST_FLOW_OK;
  }
  format = *seek_index_format (index);
  first_offset = seek_index_first_offset (index);
  if (self->first_wanted == FIRST_FROM_SEGMENT) {
    /* (planned from byte 0 with no index: now there is one) */
    guint64 target = seek_index_frame_at (index, self->segment.start);

    self->first_wanted = target > PREROLL_FRAMES ? target - PREROLL_FRAMES :
        0;
  }
  GST_OBJECT_UNLOCK (self);
  rate = format.rate;
  spf = format.samples;
  skip = 0;

  if (self->verifying) {
    SeekLanding landing = check_landing (self, at_eos);

    if (landing == SEEK_LANDING_MORE)
      return GST_FLOW_OK;
    if (landing == SEEK_LANDING_BAD)
      return replan_without_index (self);
    self->verifying = FALSE;
  }

  while (ret == GST_FLOW_OK) {
    gsize avail = gst_adapter_available (self->adapter);
    guint8 header[4];
    MpegFrame f;
    GstBuffer *buf;

    if (self->adapter_offset < first_offset && avail > 0) {
      /* (read from byte 0: the tags and the info frame hold no audio) */
      gsize n = MIN (avail, first_offset - self->adapter_offset);

      gst_adapter_flush (self->adapter, n);
      self->adapter_offset += n;
      continue;
    }
    if (avail < 4)
      break;
    gst_adapter_copy (self->adapter, header, 0, 4);
    if (!mpeg_frame_parse (header, &f) || f.rate != format.rate
        || f.layer != format.layer) {
      if (self->resync) {
        gst_adapter_flush (self->adapter, 1);
        self->adapter_offset++;
        skip++;
        continue;
      }
      /* damage or a tag inside the stream, passed as the index passes it
       * (the frames after it are the ones it counts), or a trailing tag */
      {
        const guint8 *data = gst_adapter_map (self->adapter, avail);
        gsize at = 0;
        MpegResync r = mpeg_resync (&format, data, avail, 0, at_eos, &at);

        gst_adapter_unmap (self->adapter);
        if (r == MPEG_RESYNC_MORE || (r == MPEG_RESYNC_FOUND && at > avail
                && !at_eos))
          break;                /* (more bytes tell) */
        if (r == MPEG_RESYNC_LOST) {
          /* no frames within the window: on past it, as mpegaudioparse
           * goes on, though the index ends here */
          at = SEEK_INDEX_RESYNC_WINDOW - 16;
        }
        if (r == MPEG_RESYNC_END || at >= avail) {
          GST_DEBUG_OBJECT (self, "no frame at %" G_GUINT64_FORMAT
              ", dropping %" G_GSIZE_FORMAT " bytes", self->adapter_offset,
              avail);
          gst_adapter_clear (self->adapter);
          break;
        }
        GST_DEBUG_OBJECT (self, "no frame at %" G_GUINT64_FORMAT ": on "
            "%" G_GSIZE_FORMAT " bytes further", self->adapter_offset, at);
        gst_adapter_flush (self->adapter, at);
        self->adapter_offset += at;
        continue;
      }
    }
    if (avail < f.size)
      break;
    if (self->resync) {
      GST_OBJECT_LOCK (self);
      index = best_index_locked (self);
      /* constant bitrate: the frame number follows from the offset */
      if (index) {
        const MpegFrame *fmt = seek_index_format (index);
        gdouble avg = (gdouble) fmt->samples / 8 * fmt->bitrate / fmt->rate;

        self->out_frame = (guint64) ((self->adapter_offset -
                seek_index_first_offset (index)) / avg + 0.5);
      }
      GST_OBJECT_UNLOCK (self);
      self->resync = FALSE;
      GST_DEBUG_OBJECT (self, "resynced at %" G_GUINT64_FORMAT " (skipped %"
          G_GUINT64_FORMAT "): frame %" G_GUINT64_FORMAT, self->adapter_offset,
          skip, self->out_frame);
    }
    buf = gst_buffer_make_writable (gst_adapter_take_buffer (self->adapter,
            f.size));
    /* the adapter copies an input buffer's flags to every frame cut from
     * it: a DISCONT on each would reset the decoder each time */
    GST_BUFFER_FLAGS (buf) = 0;
    GST_OBJECT_LOCK (self);
    index = best_index_locked (self);
    if (index) {
      first = seek_index_frame_sample (index, self->out_frame);
      total = seek_index_samples (index);
    }
    GST_OBJECT_UNLOCK (self);
    GST_BUFFER_OFFSET (buf) = self->adapter_offset;
    GST_BUFFER_OFFSET_END (buf) = self->adapter_offset + f.size;
    self->adapter_offset += f.size;
    self->out_frame++;
    if (self->out_frame - 1 < self->first_wanted || index == NULL) {
      gst_buffer_unref (buf);
      continue;
    }
    mpeg_frame_time (buf, first, spf, rate, &self->segment, total);
    if (self->discont) {
      GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DISCONT);
      self->discont = FALSE;
    }
    if (self->need_segment) {
      GstEvent *seg = gst_event_new_segment (&self->segment);

      gst_event_set_seqnum (seg, self->seqnum);
      gst_pad_push_event (self->srcpad, seg);
      self->need_segment = FALSE;
    }
    ret = gst_pad_push (self->srcpad, buf);
  }
  return ret;
}

/* A FLAC frame header in the adapter at or after @from: its position, or
 * -1 when more data is needed (search again from *@resume). */
static gssize
find_flac_header (GstAdapter * adapter, gsize from, const FlacInfo * info,
    FlacFrame * frame, gsize * resume)
{
  gsize avail = gst_adapter_available (adapter);

  while (from + 4 <= avail) {
    guint8 header[16];
    gssize pos = gst_adapter_masked_scan_uint32 (adapter, 0xfffe0000,
        0xfff80000, from, avail - from);
    gsize n;
    gint r;

    if (pos < 0)
      break;
    n = MIN (sizeof header, avail - pos);
    gst_adapter_copy (adapter, header, pos, n);
    r = flac_frame_parse (header, n, info, frame);
    if (r < 0) {
      *resume = pos;
      return -1;
    }
    if (r > 0)
      return pos;
    from = pos + 1;
  }
  *resume = avail > 3 ? MAX (from, avail - 3) : from;
  return -1;
}

/* Our BYTES seek upstream, from @offset, under the seqnum of the seek it
 * serves, for a plan that reads from @want (the same, unless a server
 * that answered from later than asked is asked for earlier bytes). On
 * refusal, nothing is awaited any more (FALSE), unless a newer plan was
 * made meanwhile: its answer is awaited (TRUE: the newer seek serves).
 * @wait (not from the streaming thread): while another of our seeks is
 * flushing the pads, which refuses it, try again when that is over. */
static gboolean
send_bytes_seek_full (GstSeekTable * self, GstSeekFlags flags, guint64 offset,
    guint64 want, guint32 seqnum, gboolean wait)
{
  GstEvent *seek = gst_event_new_seek (1.0, GST_FORMAT_BYTES, flags,
      GST_SEEK_TYPE_SET, offset, GST_SEEK_TYPE_NONE, -1);
  gint64 deadline = g_get_monotonic_time () + 200 * G_TIME_SPAN_MILLISECOND;
  guint plan, tries;
  gboolean superseded, sent;

  gst_event_set_seqnum (seek, seqnum);
  GST_OBJECT_LOCK (self);
  self->sent_seqnums[self->n_sent++ % G_N_ELEMENTS (self->sent_seqnums)] =
      seqnum;
  self->sent_offset = offset;
  self->wanted_offset = want;
  self->response_start = -1;
  if (offset == want)
    self->skews = 0;            /* (a new request of the plan's own) */
  plan = self->plans;
  GST_OBJECT_UNLOCK (self);
  for (tries = 0;; tries++) {
    sent = gst_pad_push_event (self->sinkpad, gst_event_ref (seek));
    /* (the flush may have ended since it refused: one more try) */
    if (sent || !wait || (tries > 0 && !GST_PAD_IS_FLUSHING (self->sinkpad))
        || g_get_monotonic_time () > deadline)
      break;
    g_usleep (1000);
  }
  gst_event_unref (seek);
  if (!sent) {
    GST_OBJECT_LOCK (self);
    /* (a newer plan's answer is still to come) */
    superseded = self->plans != plan;
    if (!superseded)
      self->awaiting_segment = FALSE;
    GST_OBJECT_UNLOCK (self);
    GST_DEBUG_OBJECT (self, "upstream refused a seek to byte %"
        G_GUINT64_FORMAT "%s", offset, superseded ? ", a newer one is under "
        "way" : "");
    return superseded;
  }
  return TRUE;
}

static gboolean
send_bytes_seek (GstSeekTable * self, GstSeekFlags flags, guint64 offset,
    guint32 seqnum, gboolean wait)
{
  return send_bytes_seek_full (self, flags, offset, offset, seqnum, wait);
}

static void
retry_seek (GstElement * element, gpointer data)
{
  GstSeekTable *self = GST_SEEK_TABLE (element);
  guint64 offset, want;
  guint32 seqnum;

  GST_OBJECT_LOCK (self);
  if (self->plans != GPOINTER_TO_UINT (data)) {
    /* a newer seek took over, with a seek of its own */
    GST_OBJECT_UNLOCK (self);
    return;
  }
  offset = self->pending.ask_elsewhere ? self->pending.ask :
      self->pending.frame;
  want = self->pending.ask_elsewhere ? self->pending.want : offset;
  seqnum = self->pending.seqnum;
  GST_OBJECT_UNLOCK (self);
  if (!send_bytes_seek_full (self, GST_SEEK_FLAG_FLUSH, offset, want, seqnum,
          TRUE)) {
    GST_ELEMENT_WARNING (self, RESOURCE, SEEK, (NULL), ("upstream refused a "
            "seek to byte %" G_GUINT64_FORMAT, offset));
    /* an end it may have sent meanwhile was held back: the stream ends */
    gst_pad_push_event (self->srcpad, gst_event_new_eos ());
  }
}

/* The FLAC seek read from after the target: read again from further back,
 * with what the landing taught the index. */
static GstFlowReturn
flac_overshoot (GstSeekTable * self, const FlacFrame * landed_at)
{
  FlacIndex *index;
  guint64 offset = 0;
  guint plan;

  GST_OBJECT_LOCK (self);
  index = best_flac_locked (self);
  /* what this landing found is a known point too (the streamed index
   * keeps it once the next header confirms it, as here) */
  flac_index_add (self->flac, landed_at->sample, self->adapter_offset);
  if (newer_plan_locked (self)) {
    GST_OBJECT_UNLOCK (self);
    return GST_FLOW_OK;
  }
  if (index == NULL) {
    GST_OBJECT_UNLOCK (self);
    GST_ELEMENT_ERROR (self, STREAM, FAILED, (NULL), ("FLAC seek without "
            "a FLAC index"));
    return GST_FLOW_ERROR;
  }
  self->retries++;
  if (self->retries >= MAX_RETRIES) {
    /* the known points mislead (a SEEKTABLE that lies): from the first
     * frame, which cannot be after the target */
    offset = flac_index_info (index)->first_offset;
  } else {
    flac_index_locate (index, self->target_sample, &offset);
  }
  GST_DEBUG_OBJECT (self, "landed on sample %" G_GUINT64_FORMAT " after "
      "the target %" G_GUINT64_FORMAT "; reading again from byte %"
      G_GUINT64_FORMAT, landed_at->sample, self->target_sample, offset);
  plan_locked (self, PLAN_FLAC, &self->segment, offset, self->target_sample,
      self->seqnum);
  self->timed = FALSE;
  plan = self->plans;
  GST_OBJECT_UNLOCK (self);
  gst_adapter_clear (self->adapter);
  /* not from the streaming thread, which the flush must stop */
  gst_element_call_async (GST_ELEMENT (self), retry_seek,
      GUINT_TO_POINTER (plan), NULL);
  return GST_FLOW_OK;
}

/* Pushes the adapter from the frame at its start: our TIME segment, then
 * the bytes, timestamped by the frame header. */
static GstFlowReturn
flac_push_landing (GstSeekTable * self, guint rate)
{
  GstBuffer *buf;
  GstEvent *seg;

  GST_DEBUG_OBJECT (self, "landed at byte %" G_GUINT64_FORMAT ", sample %"
      G_GUINT64_FORMAT " (target %" G_GUINT64_FORMAT ", %u retries)",
      self->adapter_offset, self->first.sample, self->target_sample,
      self->retries);
  self->landed = TRUE;
  seg = gst_event_new_segment (&self->segment);
  gst_event_set_seqnum (seg, self->seqnum);
  gst_pad_push_event (self->srcpad, seg);
  buf = gst_adapter_take_buffer (self->adapter,
      gst_adapter_available (self->adapter));
  buf = gst_buffer_make_writable (buf);
  GST_BUFFER_FLAGS (buf) = GST_BUFFER_FLAG_DISCONT;
  GST_BUFFER_PTS (buf) = GST_BUFFER_DTS (buf) =
      gst_util_uint64_scale_int (self->first.sample, GST_SECOND, rate);
  GST_BUFFER_OFFSET (buf) = self->adapter_offset;
  return gst_pad_push (self->srcpad, buf);
}

/* After a FLAC seek: finds the frame that holds the target sample in the
 * data (each header is checked by the one after it), drops what comes
 * before it, and pushes from there on. */
static GstFlowReturn
flac_land (GstSeekTable * self, gboolean at_eos)
{
  FlacIndex *index;
  FlacInfo info;
  /* a header not followed by another within this is not one */
  gsize reach;

  GST_OBJECT_LOCK (self);
  index = best_flac_locked (self);
  if (index)
    info = *flac_index_info (index);
  GST_OBJECT_UNLOCK (self);
  if (index == NULL) {
    GST_ELEMENT_ERROR (self, STREAM, FAILED, (NULL), ("FLAC seek without "
            "a FLAC index"));
    return GST_FLOW_ERROR;
  }
  reach = MAX (info.max_frame, 64 * 1024) + 16;

  for (;;) {
    FlacFrame next;
    gssize pos;
    gsize resume = 0;

    if (!self->have_first) {
      pos = find_flac_header (self->adapter, self->search_from, &info,
          &self->first, &resume);
      if (pos < 0) {
        gst_adapter_flush (self->adapter, resume);
        self->adapter_offset += resume;
        self->search_from = 0;
        return GST_FLOW_OK;
      }
      gst_adapter_flush (self->adapter, pos);
      self->adapter_offset += pos;
      self->have_first = TRUE;
      self->search_from = MAX (self->first.header_size, info.min_frame);
    }
    pos = find_flac_header (self->adapter, self->search_from, &info, &next,
        &resume);
    if (pos < 0 || next.sample != self->first.sample + self->first.block) {
      gsize at = pos < 0 ? resume : (gsize) pos;

      if (at > reach) {
        /* no frame follows: that was not a header */
        gst_adapter_flush (self->adapter, 1);
        self->adapter_offset++;
        self->have_first = FALSE;
        self->search_from = 0;
        continue;
      }
      if (pos >= 0) {
        self->search_from = pos + 1;
        continue;
      }
      self->search_from = resume;
      if (at_eos && self->target_sample >= self->first.sample)
        return flac_push_landing (self, info.rate);     /* the last frame */
      return GST_FLOW_OK;
    }
    if (self->target_sample < self->first.sample)
      return flac_overshoot (self, &self->first);
    if (self->target_sample < next.sample)
      return flac_push_landing (self, info.rate);
    /* a frame before the target: not needed */
    gst_adapter_flush (self->adapter, pos);
    self->adapter_offset += pos;
    self->first = next;
    self->search_from = MAX (next.header_size, info.min_frame);
  }
}

/* The Ogg or Matroska reader's side of the stream. */
static const OggAudioInfo *
demux_info (GstSeekTable * self)
{
  return self->mkv ? mkv_reader_info (self->mkv_reader) :
      ogg_reader_info (self->reader);
}

static guint
demux_n_headers (GstSeekTable * self)
{
  return self->mkv ? mkv_reader_n_headers (self->mkv_reader) :
      ogg_reader_n_headers (self->reader);
}

static const guint8 *
demux_header (GstSeekTable * self, guint i, gsize * size)
{
  return self->mkv ? mkv_reader_header (self->mkv_reader, i, size) :
      ogg_reader_header (self->reader, i, size);
}

/* The next bytes come from @offset; Matroska: a cluster whose first
 * packet ends at @granule (-1 unknown). */
static void
demux_discont (GstSeekTable * self, guint64 offset, gint64 granule)
{
  if (self->mkv)
    mkv_reader_discont (self->mkv_reader, offset, granule);
  else
    ogg_reader_discont (self->reader, offset);
}

static const gchar *
demux_name (GstSeekTable * self)
{
  return self->mkv ? "Matroska" : "Ogg";
}

/* Where a Matroska seek reads from to decode from @want, under the object
 * lock: the known cluster before it when that is close (or the index
 * whole, or the writer's block times not learned), else an estimated byte
 * (the landing is timed by the block times and checked); the known one
 * too when @far_back (a landing that could not be timed). Returns the
 * plan's point granule. */
static guint64
mkv_read_from_locked (GstSeekTable * self, OggIndex * index, guint64 want,
    gboolean far_back, guint64 * offset)
{
  guint64 granule;

  if (!far_back && !ogg_index_locate (index, want, offset)
      && mkv_reader_can_time_landing (self->mkv_reader))
    return PLAN_ANY_BYTE;
  ogg_index_known_point (index, want, &granule, offset);
  return granule;
}

/* Granules of audio the decoder needs before the target. */
static guint64
ogg_preroll (const OggAudioInfo * info)
{
  return info->codec == OGG_AUDIO_OPUS ? OPUS_PREROLL : 2 * info->max_block;
}

/* Sends the chapters read for the application after the stream's first
 * segment: players read a TOC once, when the pipeline prerolls. */
static void
push_toc (GstSeekTable * self)
{
  GstToc *toc = g_steal_pointer (&self->toc);

  if (toc) {
    GST_INFO_OBJECT (self, "the stream's chapters: %u",
        g_list_length (gst_toc_entry_get_sub_entries (gst_toc_get_entries
                (toc)->data)));
    gst_pad_push_event (self->srcpad, gst_event_new_toc (toc, FALSE));
    gst_toc_unref (toc);
  }
}

/* Keeps @list's chapters, when it has any, to go out as the TOC. */
static void
keep_chapters (GstSeekTable * self, ChapterList * list)
{
  if (list == NULL || chapter_list_length (list) == 0)
    return;
  chapter_list_finalize (list, -1);
  gst_clear_mini_object ((GstMiniObject **) &self->toc);
  self->toc = chapter_list_to_toc (list);
}

/* Autoplugged, the element gives a player the chapters of a local file,
 * which stock 1.22 turns into a TOC only for Matroska: its own (ID3 CHAP,
 * MP4, CHAPTERxxx comments, FLAC cuesheet), else those of a sidecar file
 * beside it with the same base name. FALSE: the stream is no local file. */
static gboolean
autoplug_read_chapters (GstSeekTable * self)
{
  static const gchar *const sidecars[] = { ".chapters.json", ".json",
    ".cue", ".vtt", ".ffmetadata", ".chapters.txt", ".txt", NULL
  };
  g_autofree gchar *uri = upstream_uri (self), *path = NULL;
  g_autoptr (ChapterList) list = NULL;
  gchar *dot, *slash;

  if (uri == NULL || g_ascii_strncasecmp (uri, "file:", 5) != 0
      || (path = g_filename_from_uri (uri, NULL, NULL)) == NULL)
    return FALSE;
  list = chapter_embedded_read_uri (path, NULL);
  slash = strrchr (path, G_DIR_SEPARATOR);
  dot = strrchr (path, '.');
  if (dot && (!slash || dot > slash))
    *dot = '\0';
  for (guint i = 0; sidecars[i] && (!list || !chapter_list_length (list));
      i++) {
    g_autofree gchar *sidecar = g_strconcat (path, sidecars[i], NULL);
    ChapterReadContext ctx = { uri, NULL, NULL };
    ChapterFetchLimits limits;
    GError *error = NULL;

    if (!g_file_test (sidecar, G_FILE_TEST_IS_REGULAR))
      continue;
    chapter_fetch_limits_init (&limits);
    g_clear_pointer (&list, chapter_list_free);
    list = chapter_source_load (sidecar, &ctx, &limits, NULL, &error);
    if (list == NULL) {
      GST_ELEMENT_WARNING (self, STREAM, FORMAT, ("Could not read chapters "
              "from %s", sidecar), ("%s", error->message));
      g_clear_error (&error);
    }
  }
  keep_chapters (self, list);
  return TRUE;
}

/* Not a local file (HTTP): the chapters in the stream's first bytes (an ID3 tag, FLAC
 * metadata, the Ogg comment header) when they are whole there; the rest
 * reach the `chapters` element as tags or through its own container read. */
static void
autoplug_head_chapters (GstSeekTable * self, GstBuffer * buf)
{
  g_autoptr (ChapterList) list = NULL;
  GstMapInfo map;

  if (!gst_buffer_map (buf, &map, GST_MAP_READ))
    return;
  list = chapter_embedded_read (map.data, map.size, NULL);
  gst_buffer_unmap (buf, &map);
  keep_chapters (self, list);
}

/* Not ours after all: what was held goes on as it came. */
static GstFlowReturn
release_held (GstSeekTable * self)
{
  GstFlowReturn ret = GST_FLOW_OK;
  GList *held = g_list_reverse (g_steal_pointer (&self->held)), *l;

  self->demux = DEMUX_NO;
  for (l = held; l; l = l->next) {
    if (GST_IS_EVENT (l->data)) {
      gboolean segment = GST_EVENT_TYPE (l->data) == GST_EVENT_SEGMENT;

      gst_pad_push_event (self->srcpad, l->data);
      if (segment)
        push_toc (self);
    } else if (ret == GST_FLOW_OK)
      ret = gst_pad_push (self->srcpad, l->data);
    else
      gst_buffer_unref (l->data);
  }
  g_list_free (held);
  return ret;
}

/* Whether buffers are held (not only events). */
static gboolean
holds_data (GstSeekTable * self)
{
  for (GList * l = self->held; l; l = l->next)
    if (GST_IS_BUFFER (l->data))
      return TRUE;
  return FALSE;
}

static void
drop_held (GstSeekTable * self)
{
  g_list_free_full (g_steal_pointer (&self->held),
      (GDestroyNotify) gst_mini_object_unref);
}

static GstBuffer *
ogg_header_buffer (GstSeekTable * self, guint i)
{
  gsize size;
  const guint8 *data = demux_header (self, i, &size);
  GstBuffer *buf = gst_buffer_new_memdup (data, size);

  GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_HEADER);
  return buf;
}

/* The stream is ours: caps, tags and a TIME segment go out, then the
 * header packets, as oggdemux sends them. */
static void
ogg_start (GstSeekTable * self)
{
  const OggAudioInfo *info = demux_info (self);
  guint i, n = demux_n_headers (self);
  GstCaps *caps;
  GstTagList *tags;
  GstEvent *seg;
  GstToc *toc = NULL;
  gsize size;
  const guint8 *comments = demux_header (self, 1, &size);

  self->demux = DEMUX_OGG;
  self->ogg_started = TRUE;
  drop_held (self);
  if (info->codec == OGG_AUDIO_OPUS) {
    g_autoptr (GstBuffer) id = ogg_header_buffer (self, 0);
    g_autoptr (GstBuffer) tags_buf = ogg_header_buffer (self, 1);

    caps = gst_codec_utils_opus_create_caps_from_header (id, tags_buf);
    tags = gst_tag_list_from_vorbiscomment (comments, size,
        (const guint8 *) "OpusTags", 8, NULL);
  } else {
    GValue array = G_VALUE_INIT;

    caps = gst_caps_new_simple ("audio/x-vorbis", "rate", G_TYPE_INT,
        (gint) info->rate, "channels", G_TYPE_INT, (gint) info->channels,
        NULL);
    g_value_init (&array, GST_TYPE_ARRAY);
    for (i = 0; i < n; i++) {
      GValue value = G_VALUE_INIT;
      GstBuffer *buf = ogg_header_buffer (self, i);

      g_value_init (&value, GST_TYPE_BUFFER);
      gst_value_take_buffer (&value, buf);
      gst_value_array_append_and_take_value (&array, &value);
    }
    gst_caps_set_value (caps, "streamheader", &array);
    g_value_unset (&array);
    tags = gst_tag_list_from_vorbiscomment (comments, size,
        (const guint8 *) "\003vorbis", 7, NULL);
  }
  if (self->mkv) {
    g_autoptr (GstTagList) segment_tags = mkv_reader_tags (self->mkv_reader);
    g_autoptr (ChapterList) chapters = NULL;
    const guint8 *head = mkv_reader_head (self->mkv_reader, &size);
    gint64 bytes = -1;

    /* what matroskademux would send: the segment's tags and chapters */
    if (tags && segment_tags)
      gst_tag_list_insert (tags, segment_tags, GST_TAG_MERGE_REPLACE);
    else if (segment_tags)
      tags = g_steal_pointer (&segment_tags);
    chapters = chapter_matroska_read (head, size, NULL);
    if (chapters && chapter_list_length (chapters) > 0)
      toc = chapter_list_to_toc (chapters);
    /* the file's size, for estimates between the clusters known */
    gst_pad_peer_query_duration (self->sinkpad, GST_FORMAT_BYTES, &bytes);
    GST_OBJECT_LOCK (self);
    ogg_index_set_info (self->ogg, info);
    if (bytes > 0)
      ogg_index_set_file_size (self->ogg, bytes);
    self->mkv_duration = mkv_reader_written_duration (self->mkv_reader);
    if (self->mkv_duration > 0)
      ogg_index_set_end_estimate (self->ogg, gst_util_uint64_scale_int
          (self->mkv_duration, info->rate, GST_SECOND));
    GST_OBJECT_UNLOCK (self);
  }
  GST_INFO_OBJECT (self, "%s %s, one stream: taken apart here (%"
      GST_PTR_FORMAT ")", demux_name (self), info->codec == OGG_AUDIO_OPUS ?
      "Opus" : "Vorbis", caps);
  gst_pad_push_event (self->srcpad, gst_event_new_caps (caps));
  gst_caps_unref (caps);
  if (tags) {
    gst_tag_list_add (tags, GST_TAG_MERGE_REPLACE, GST_TAG_CONTAINER_FORMAT,
        demux_name (self), NULL);
    gst_pad_push_event (self->srcpad, gst_event_new_tag (tags));
  }
  gst_segment_init (&self->segment, GST_FORMAT_TIME);
  seg = gst_event_new_segment (&self->segment);
  if (self->upstream_seqnum)
    gst_event_set_seqnum (seg, self->upstream_seqnum);
  gst_pad_push_event (self->srcpad, seg);
  if (toc) {
    /* the container's own, as matroskademux sends them */
    gst_clear_mini_object ((GstMiniObject **) &self->toc);
    gst_pad_push_event (self->srcpad, gst_event_new_toc (toc, FALSE));
    gst_toc_unref (toc);
  }
  push_toc (self);
  self->ogg_flushed = FALSE;
  for (i = 0; i < n && self->ogg_ret == GST_FLOW_OK; i++)
    self->ogg_ret = gst_pad_push (self->srcpad, ogg_header_buffer (self, i));
}

static GstClockTime
granules_to_time (guint64 granules, guint rate)
{
  return gst_util_uint64_scale_int (granules, GST_SECOND, rate);
}

/* A packet as a buffer, timed by its granules; Opus pre-skip and the
 * stream's last page clip it as oggdemux does. */
static GstBuffer *
ogg_packet_buffer (const OggPacket * packet, const OggAudioInfo * info)
{
  GstBuffer *buf = gst_buffer_new_memdup (packet->data, packet->size);
  guint64 skip = info->codec == OGG_AUDIO_OPUS ? info->pre_skip : 0;
  guint64 clip_start = 0;

  if (packet->start >= 0) {
    guint64 start = packet->start;

    if (start < skip)
      clip_start = MIN (skip, (guint64) packet->end) - start;
    start = MAX (start, skip) - skip;
    GST_BUFFER_PTS (buf) = granules_to_time (start, info->rate);
    /* (a stream shorter than its pre-skip clips it all) */
    GST_BUFFER_DURATION (buf) = granules_to_time (MAX ((gint64) (packet->end
                - packet->start - clip_start - packet->clip_end), 0),
        info->rate);
  } else if (packet->end >= 0) {
    /* it decodes to nothing: it belongs where the next one starts */
    GST_BUFFER_PTS (buf) = granules_to_time (MAX ((guint64) packet->end,
            skip) - skip, info->rate);
    GST_BUFFER_DURATION (buf) = 0;
  }
  GST_BUFFER_DTS (buf) = GST_BUFFER_PTS (buf);
  GST_BUFFER_OFFSET_END (buf) = packet->end;
  if (clip_start || packet->clip_end)
    gst_buffer_add_audio_clipping_meta (buf, GST_FORMAT_DEFAULT, clip_start,
        packet->clip_end);
  return buf;
}

/* The Ogg or Matroska landing under way is given up: the seek reads
 * again from @offset (Matroska: a cluster ending its first packet at
 * @granule, or PLAN_ANY_BYTE). Called with the object lock, which it
 * releases. */
static void
read_again_unlock (GstSeekTable * self, guint64 offset, guint64 granule)
{
  guint plan;

  plan_locked (self, PLAN_OGG, &self->segment, offset, self->target_sample,
      self->seqnum);
  self->pending.point_granule = granule;
  self->timed = FALSE;
  plan = self->plans;
  GST_OBJECT_UNLOCK (self);
  gst_element_call_async (GST_ELEMENT (self), retry_seek,
      GUINT_TO_POINTER (plan), NULL);
}

/* The Ogg seek read from after where the decoder must start: again from
 * further back. */
static gboolean
ogg_overshoot (GstSeekTable * self, const OggPacket * packet)
{
  OggIndex *index;
  guint64 offset = 0, want, granule = 0;

  GST_OBJECT_LOCK (self);
  index = best_ogg_locked (self);
  if (index == NULL || newer_plan_locked (self)) {
    GST_OBJECT_UNLOCK (self);
    return FALSE;
  }
  want = self->target_sample - MIN (self->target_sample,
      ogg_preroll (ogg_index_info (index)));
  self->retries++;
  if (self->retries >= MAX_RETRIES)
    offset = ogg_index_info (index)->first_page, granule = 0;
  else if (self->mkv)
    granule = mkv_read_from_locked (self, index, want, packet->end < 0
        || self->retries >= MAX_RETRIES / 2, &offset);
  else
    ogg_index_locate (index, want, &offset);
  GST_DEBUG_OBJECT (self, "landed on granule %" G_GINT64_FORMAT " after %"
      G_GUINT64_FORMAT "; reading again from byte %" G_GUINT64_FORMAT,
      packet->end, want, offset);
  read_again_unlock (self, offset, granule);
  return FALSE;
}

/* A Matroska seek reading from far before the target (from a known
 * cluster: the writer's block times were not learned yet, or the scan of
 * the file not done; or from an estimate that fell short): once a place
 * well nearer is known or can be estimated, from there instead. @at: the
 * cluster being read. TRUE: gone to read it. */
static gboolean
mkv_reestimate (GstSeekTable * self, guint64 at)
{
  OggIndex *index;
  guint64 want, offset = 0, granule;
  gint64 size = -1;

  if (self->retries >= MAX_RETRIES / 2)
    return FALSE;
  gst_pad_peer_query_duration (self->sinkpad, GST_FORMAT_BYTES, &size);
  GST_OBJECT_LOCK (self);
  if (newer_plan_locked (self)) {
    GST_OBJECT_UNLOCK (self);
    return TRUE;                /* this landing is over */
  }
  index = best_ogg_locked (self);
  if (index && size > 0)
    ogg_index_set_file_size (index, size);
  want = self->target_sample - MIN (self->target_sample,
      ogg_preroll (demux_info (self)));
  granule = index ? mkv_read_from_locked (self, index, want, FALSE, &offset)
      : 0;
  if (index == NULL || offset <= at + 256 * 1024) {
    GST_OBJECT_UNLOCK (self);
    return FALSE;
  }
  self->retries++;
  GST_DEBUG_OBJECT (self, "on from byte %" G_GUINT64_FORMAT " near the "
      "target (%s)", offset, granule == PLAN_ANY_BYTE ? "an estimate" :
      "a known cluster");
  read_again_unlock (self, offset, granule);
  return TRUE;
}

/* Plays from the start: a landing at time 0, the way a seek lands. */
static void
ogg_play_from_start (GstSeekTable * self, gboolean at_eos)
{
  const OggAudioInfo *info = demux_info (self);
  guint32 seqnum = self->upstream_seqnum ? self->upstream_seqnum :
      gst_util_seqnum_next ();
  guint plan;

  GST_OBJECT_LOCK (self);
  if (self->probing)
    self->quiet_seqnum = seqnum;        /* back from the end: no audio yet */
  self->probing = FALSE;
  plan_locked (self, PLAN_OGG, NULL, info->first_page,
      info->codec == OGG_AUDIO_OPUS ? info->pre_skip : 0, seqnum);
  self->retries = 0;
  plan = self->plans;
  GST_OBJECT_UNLOCK (self);
  if (at_eos) {
    /* the source's end, in its own thread: a seek from here would be
     * undone when that thread pauses after the end */
    gst_element_call_async (GST_ELEMENT (self), retry_seek,
        GUINT_TO_POINTER (plan), NULL);
    return;
  }
  if (!send_bytes_seek (self, GST_SEEK_FLAG_FLUSH, info->first_page, seqnum,
          FALSE))
    GST_ELEMENT_ERROR (self, RESOURCE, SEEK, (NULL), ("upstream refused a "
            "seek back to the first Ogg page, at byte %" G_GUINT64_FORMAT,
            info->first_page));
}

/* Streamed, not scanned: the duration is in the last page. Like oggdemux
 * in push mode, the element reads the end of the file once, before any
 * audio, then reads on from the first page. TRUE: gone to read it. */
static gboolean
ogg_probe_end (GstSeekTable * self)
{
  gint64 size = -1;
  guint64 from;
  gboolean local;
  guint32 seqnum = gst_util_seqnum_next ();

  GST_OBJECT_LOCK (self);
  /* (a local file's scan, maybe waiting for playback, gives the end) */
  local = self->scan_thread != NULL || self->ogg_scanned != NULL
      || self->scan_path != NULL;
  GST_OBJECT_UNLOCK (self);
  if (local || self->mkv || self->timed
      || ogg_index_last_granule (self->ogg) >= 0
      || !gst_pad_peer_query_duration (self->sinkpad, GST_FORMAT_BYTES, &size)
      || size < 256 * 1024)
    return FALSE;
  from = MAX ((guint64) size - 64 * 1024, demux_info (self)->first_page);
  GST_DEBUG_OBJECT (self, "reading the last pages, from byte %"
      G_GUINT64_FORMAT ", for the duration", from);
  GST_OBJECT_LOCK (self);
  plan_locked (self, PLAN_OGG_END, NULL, from, 0, seqnum);
  self->quiet_seqnum = seqnum;
  GST_OBJECT_UNLOCK (self);
  /* refused: nothing is awaited, and playback goes on without it */
  return send_bytes_seek (self, GST_SEEK_FLAG_FLUSH, from, seqnum, FALSE);
}

/* Each packet the reader completes. FALSE stops the reader. */
static gboolean
ogg_packet_out (const OggPacket * packet, gpointer user_data)
{
  GstSeekTable *self = user_data;
  const OggAudioInfo *info = demux_info (self);
  GstBuffer *buf;

  if (!self->ogg_started) {
    ogg_start (self);
    if (self->ogg_ret == GST_FLOW_OK && ogg_probe_end (self))
      return FALSE;
  }
  if (self->ogg_ret != GST_FLOW_OK)
    return FALSE;
  if (self->mkv && packet->cluster_start && packet->end >= 0
      && mkv_reader_times_exact (self->mkv_reader)) {
    /* a cluster's first packet: an exact point */
    GST_LOG_OBJECT (self, "point: granule %" G_GINT64_FORMAT " at the "
        "cluster at byte %" G_GUINT64_FORMAT, packet->end,
        packet->page_offset);
    GST_OBJECT_LOCK (self);
    ogg_index_add (self->ogg, packet->end, packet->page_offset);
    GST_OBJECT_UNLOCK (self);
    if (self->timed && !self->landed
        && mkv_reestimate (self, packet->page_offset))
      return FALSE;
  }
  if (self->timed && !self->landed) {
    guint64 target = self->target_sample;
    guint64 need = target - MIN (target, info->codec == OGG_AUDIO_OPUS ?
        OPUS_PREROLL : 0);
    GstEvent *seg;

    /* Matroska, a landing that could not be timed: from a known cluster */
    if (packet->end < 0 && self->mkv)
      return ogg_overshoot (self, packet);
    if (packet->end < 0)
      return TRUE;
    /* Opus: the pre-roll before the target; Vorbis: the packet before the
     * one that holds the target, which decodes to nothing */
    if ((packet->start >= 0 ? (guint64) packet->start : (guint64) packet->end)
        > need || (info->codec == OGG_AUDIO_VORBIS
            && (guint64) packet->end > target))
      return ogg_overshoot (self, packet);
    if ((guint64) packet->end + ogg_preroll (info) <= target)
      return TRUE;              /* not needed */
    GST_DEBUG_OBJECT (self, "landed on granule %" G_GINT64_FORMAT " (page "
        "at byte %" G_GUINT64_FORMAT ") for %" G_GUINT64_FORMAT ", %u "
        "retries", packet->end, packet->page_offset, target, self->retries);
    self->landed = TRUE;
    seg = gst_event_new_segment (&self->segment);
    gst_event_set_seqnum (seg, self->seqnum);
    gst_pad_push_event (self->srcpad, seg);
    self->discont = TRUE;
    self->ogg_flushed = FALSE;
  }
  buf = ogg_packet_buffer (packet, info);
  if (self->ogg_flushed) {
    /* bytes after a flush that no landing of ours answers (a seek that a
     * later one overtook): the packets' own times start the segment */
    GstEvent *seg;

    gst_segment_init (&self->segment, GST_FORMAT_TIME);
    if (GST_BUFFER_PTS_IS_VALID (buf))
      self->segment.start = self->segment.time = GST_BUFFER_PTS (buf);
    seg = gst_event_new_segment (&self->segment);
    if (self->seqnum)
      gst_event_set_seqnum (seg, self->seqnum);
    gst_pad_push_event (self->srcpad, seg);
    self->ogg_flushed = FALSE;
    self->discont = TRUE;
  }
  if (packet->clip_end && info->codec == OGG_AUDIO_VORBIS) {
    /* vorbisdec leaves clipping meta alone: the segment ends the stream */
    GstEvent *seg;

    self->segment.stop = granules_to_time (packet->end - packet->clip_end,
        info->rate);
    seg = gst_event_new_segment (&self->segment);
    gst_event_set_seqnum (seg, self->seqnum ? self->seqnum :
        self->upstream_seqnum);
    gst_pad_push_event (self->srcpad, seg);
  }
  if (self->discont) {
    GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DISCONT);
    self->discont = FALSE;
  }
  self->ogg_ret = gst_pad_push (self->srcpad, buf);
  return self->ogg_ret == GST_FLOW_OK;
}

/* The bytes of an Ogg stream we take apart (or may: at byte 0). */
static GstFlowReturn
ogg_chain (GstSeekTable * self, guint64 offset, GstBuffer * buf)
{
  g_autofree gchar *error = NULL;
  GstMapInfo map;
  gint r;

  if (!gst_buffer_map (buf, &map, GST_MAP_READ)) {
    gst_buffer_unref (buf);
    return GST_FLOW_ERROR;
  }
  self->ogg_ret = GST_FLOW_OK;
  if (self->mkv)
    r = mkv_reader_feed (self->mkv_reader, offset, map.data, map.size,
        ogg_packet_out, self, &error);
  else
    r = ogg_reader_feed (self->reader, offset, map.data, map.size,
        ogg_packet_out, self, &error);
  gst_buffer_unmap (buf, &map);
  if (self->mkv) {
    g_autofree gchar *damage = mkv_reader_take_damage (self->mkv_reader);

    if (damage)
      GST_ELEMENT_WARNING (self, STREAM, DEMUX, (NULL), ("Matroska: %s; "
              "times from there are the file's own milliseconds", damage));
  }
  if (r == 0 && self->demux == DEMUX_UNDECIDED) {
    GST_DEBUG_OBJECT (self, "%s, but not a stream we take apart: %s",
        demux_name (self), error);
    self->held = g_list_prepend (self->held, buf);
    return release_held (self);
  }
  if (r == 0) {
    /* a chained or multiplexed stream after all: what we sent so far is
     * all we can */
    GST_ELEMENT_WARNING (self, STREAM, DEMUX, (NULL), ("%s: %s; the "
            "stream ends here", demux_name (self), error));
    gst_buffer_unref (buf);
    return GST_FLOW_EOS;
  }
  if (self->demux == DEMUX_UNDECIDED) {
    self->held = g_list_prepend (self->held, buf);
    return GST_FLOW_OK;
  }
  gst_buffer_unref (buf);
  return self->ogg_ret;
}

/* MP4 (M4A/AAC). qtdemux lands within a sample of a target (the edit
 * list's priming, in nanoseconds, rounds) and feeds the decoder from the
 * frame that holds it, without the frame before, whose overlap the first
 * one needs. The sample tables give every frame's time and byte exactly:
 * the element reads the movie, then cuts the AAC frames from the bytes
 * itself, a seek reading from the frame before the target. */

static void
mp4_forget (GstSeekTable * self)
{
  self->mp4 = FALSE;
  self->mp4_ready = FALSE;
  g_clear_pointer (&self->mp4_head, g_byte_array_unref);
  mp4_audio_clear (&self->mp4_audio);
}

/* Sends downstream the sticky event of @type our sink pad got, if any. */
static void
forward_sticky (GstSeekTable * self, GstEventType type)
{
  GstEvent *event = gst_pad_get_sticky_event (self->sinkpad, type, 0);

  if (event)
    gst_pad_push_event (self->srcpad, event);
}

/* Not one we take apart: to qtdemux, from byte 0. */
static GstFlowReturn
mp4_abandon (GstSeekTable * self, const gchar * why)
{
  GST_DEBUG_OBJECT (self, "not an MP4 we take apart: %s", why);
  mp4_forget (self);
  if (self->demux == DEMUX_UNDECIDED)
    return release_held (self);
  /* the bytes held went by in a look at the end: read them again, as
   * they came (stream-start and typefind's caps first, which were held
   * and dropped with them) */
  self->demux = DEMUX_NO;
  forward_sticky (self, GST_EVENT_STREAM_START);
  forward_sticky (self, GST_EVENT_CAPS);
  if (!send_bytes_seek (self, GST_SEEK_FLAG_FLUSH, 0, gst_util_seqnum_next (),
          FALSE)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SEEK, (NULL), ("upstream refused a "
            "seek back to byte 0"));
    return GST_FLOW_ERROR;
  }
  return GST_FLOW_OK;
}

/* A TIME seek in an MP4 we take apart: from the frame before the one that
 * holds the target; the segment starts at the target's sample (the
 * nanoseconds rounded down to it, as GStreamer counts samples), in
 * nanoseconds rounded up, so that the decoder's clip, which rounds down,
 * lands on it and the frames' times (rounded down) stay before it. */
static gboolean
handle_mp4_seek (GstSeekTable * self, const GstSegment * segment,
    guint32 seqnum)
{
  const Mp4Audio *a = &self->mp4_audio;
  guint64 scale = a->track.timescale, at, end;
  guint i, from;
  GstSegment seg = *segment;

  if (!self->mp4_ready || a->track.n == 0 || scale == 0) {
    /* the movie box never came (the stream ended, or a server sent other
     * bytes): no frame to seek to */
    GST_DEBUG_OBJECT (self, "MP4 seek refused: no movie box read");
    return FALSE;
  }

  at = a->priming + gst_util_uint64_scale (segment->start, scale,
      GST_SECOND);
  i = mp4_audio_sample_at (a, at);
  from = i > 0 ? i - 1 : 0;
  seg.start = gst_util_uint64_scale_ceil (at, GST_SECOND, scale);
  seg.time = segment->start;
  seg.position = seg.start;
  end = a->length ? a->priming + a->length :
      (guint64) (a->track.starts[a->track.n - 1] +
      a->track.durations[a->track.n - 1]);
  seg.stop = gst_util_uint64_scale (end, GST_SECOND, scale);
  if (GST_CLOCK_TIME_IS_VALID (segment->stop))
    seg.stop = MIN (seg.stop, gst_util_uint64_scale_ceil (a->priming,
            GST_SECOND, scale) + segment->stop);
  if (seg.start > seg.stop)
    seg.start = seg.position = seg.stop;        /* past the end: nothing */
  GST_DEBUG_OBJECT (self, "MP4 seek to %" GST_TIME_FORMAT ": frame %u at "
      "byte %" G_GUINT64_FORMAT ", for the target in frame %u",
      GST_TIME_ARGS (segment->start), from, a->track.offsets[from], i);
  GST_OBJECT_LOCK (self);
  plan_locked (self, PLAN_MP4, &seg, from, 0, seqnum);
  GST_OBJECT_UNLOCK (self);
  return send_bytes_seek (self, GST_SEEK_FLAG_FLUSH, a->track.offsets[from],
      seqnum, TRUE);
}

static GBytes *
no_sample_fetch (guint64 offset, guint32 size, gpointer user_data)
{
  return NULL;
}

/* The movie box is in: ours when it is one AAC track; then caps, and
 * playback from the first frame. */
static GstFlowReturn
mp4_take_moov (GstSeekTable * self, const guint8 * moov, gsize size)
{
  g_autofree gchar *error = NULL;
  GstSegment start;
  GstCaps *caps;
  GstTagList *tags;

  if (!mp4_audio_read (moov, size, &self->mp4_audio, &error))
    return mp4_abandon (self, error);
  GST_INFO_OBJECT (self, "MP4 with one AAC track (%u frames, %u Hz, %u "
      "channels, priming %" G_GUINT64_FORMAT "): taken apart here",
      self->mp4_audio.track.n, self->mp4_audio.rate,
      self->mp4_audio.channels, self->mp4_audio.priming);
  self->mp4_ready = TRUE;
  self->demux = DEMUX_MP4;
  if (gst_seek_table_autoplugged (self) && self->toc == NULL) {
    /* over HTTP: what the movie box holds (Nero chapters); QuickTime
     * chapter titles are samples elsewhere in the file */
    g_autoptr (ChapterList) list = chapter_mp4_read_moov (moov, size,
        no_sample_fetch, NULL, FALSE);

    keep_chapters (self, list);
  }
  /* the movie's own metadata (title, artist, cover...), as qtdemux sends,
   * read before the head that holds @moov goes */
  tags = mp4_moov_tags (moov, size);
  if (tags == NULL)
    tags = gst_tag_list_new_empty ();
  g_clear_pointer (&self->mp4_head, g_byte_array_unref);
  drop_held (self);
  caps = gst_caps_new_simple ("audio/mpeg", "mpegversion", G_TYPE_INT, 4,
      "stream-format", G_TYPE_STRING, "raw", "framed", G_TYPE_BOOLEAN, TRUE,
      "rate", G_TYPE_INT, (gint) self->mp4_audio.rate, "channels", G_TYPE_INT,
      (gint) self->mp4_audio.channels, NULL);
  {
    gsize n;
    const guint8 *asc = g_bytes_get_data (self->mp4_audio.codec_data, &n);
    GstBuffer *codec_data = gst_buffer_new_memdup (asc, n);

    gst_caps_set_simple (caps, "codec_data", GST_TYPE_BUFFER, codec_data,
        NULL);
    gst_buffer_unref (codec_data);
  }
  gst_pad_push_event (self->srcpad, gst_event_new_caps (caps));
  gst_caps_unref (caps);
  gst_tag_list_add (tags, GST_TAG_MERGE_REPLACE, GST_TAG_CONTAINER_FORMAT,
      "ISO MP4/M4A", NULL);
  gst_pad_push_event (self->srcpad, gst_event_new_tag (tags));
  gst_segment_init (&start, GST_FORMAT_TIME);
  if (!handle_mp4_seek (self, &start, self->upstream_seqnum ?
          self->upstream_seqnum : gst_util_seqnum_next ())) {
    GST_ELEMENT_ERROR (self, RESOURCE, SEEK, (NULL), ("upstream refused a "
            "seek to the first AAC frame"));
    return GST_FLOW_ERROR;
  }
  return GST_FLOW_OK;
}

/* Box types are four printable characters (ISO/IEC 14496-12 4.2). */
static gboolean
mp4_box_type_valid (const guint8 * type)
{
  for (guint i = 0; i < 4; i++)
    if (type[i] < 0x20 || type[i] > 0x7e)
      return FALSE;
  return TRUE;
}

/* Walks the top-level boxes read so far: the movie box when it is whole,
 * or, when the media data comes first, a look at what follows it. */
static GstFlowReturn
mp4_scan_head (GstSeekTable * self)
{
  const guint8 *d = self->mp4_head->data;
  gsize len = self->mp4_head->len, pos = 0;

  while (pos + 8 <= len) {
    guint64 size;
    gsize header;

    if (!chapter_mp4_box_header (d + pos, len - pos, &size, &header)) {
      if (pos + 16 > len)
        break;                  /* a 64-bit size still to come */
      return mp4_abandon (self, "a box shorter than its header");
    }
    if (!mp4_box_type_valid (d + pos + 4))
      return mp4_abandon (self, "no box where one should start (a server "
          "that answered from another byte than asked?)");
    if (memcmp (d + pos + 4, "moov", 4) == 0) {
      if (size == 0 || size > 64 * 1024 * 1024)
        return mp4_abandon (self, "a movie box of no or too large a size");
      if (pos + size > len)
        break;
      return mp4_take_moov (self, d + pos + header, size - header);
    }
    if (memcmp (d + pos + 4, "mdat", 4) == 0) {
      guint64 after = self->mp4_head_offset + pos + size;
      guint32 seqnum = gst_util_seqnum_next ();

      gint64 length;

      if (size == 0)
        return mp4_abandon (self, "media data to the end, no movie box");
      if (gst_pad_peer_query_duration (self->sinkpad, GST_FORMAT_BYTES,
              &length) && after >= (guint64) length)
        return mp4_abandon (self, "the file ends inside its media data, "
            "before the movie box (a partial download?)");
      /* the movie box after the media data: read it there */
      GST_DEBUG_OBJECT (self, "media data first: the movie box from byte %"
          G_GUINT64_FORMAT, after);
      GST_OBJECT_LOCK (self);
      plan_locked (self, PLAN_MP4_MOOV, NULL, after, 0, seqnum);
      GST_OBJECT_UNLOCK (self);
      if (!send_bytes_seek (self, GST_SEEK_FLAG_FLUSH, after, seqnum, FALSE))
        return mp4_abandon (self, "upstream cannot seek to the movie box");
      /* no way back to the held bytes now: from here, it is ours or read
       * again from byte 0 */
      drop_held (self);
      self->demux = DEMUX_MP4;
      return GST_FLOW_OK;
    }
    if (size == 0)
      return mp4_abandon (self, "no movie box");
    pos += size;
  }
  if (len > 16 * 1024 * 1024)
    return mp4_abandon (self, "no movie box in the first 16 MiB");
  return GST_FLOW_OK;
}

/* The audio decoder our output reaches through parsers, ghost pads and
 * elements with one output, or NULL (none plugged yet, or the way forks). */
static GstElement *
downstream_decoder (GstSeekTable * self)
{
  GstPad *pad = gst_pad_get_peer (self->srcpad);
  guint hops;

  for (hops = 0; pad != NULL && hops < 32; hops++) {
    GstObject *parent = gst_object_get_parent (GST_OBJECT (pad));
    GstPad *next = NULL;

    if (GST_IS_GHOST_PAD (pad) && GST_PAD_IS_SINK (pad)) {
      /* into a bin */
      next = gst_ghost_pad_get_target (GST_GHOST_PAD (pad));
    } else if (GST_IS_GHOST_PAD (parent) && GST_PAD_IS_SINK (pad)) {
      /* out of a bin: the ghost pad's peer */
      next = gst_pad_get_peer (GST_PAD (parent));
    } else if (GST_IS_ELEMENT (parent)) {
      GstElement *element = GST_ELEMENT (parent);
      GstPad *src = NULL;

      if (GST_IS_AUDIO_DECODER (element)) {
        gst_object_unref (pad);
        return element;
      }
      GST_OBJECT_LOCK (element);
      if (element->numsrcpads == 1)
        src = gst_object_ref (element->srcpads->data);
      GST_OBJECT_UNLOCK (element);
      if (src) {
        next = gst_pad_get_peer (src);
        gst_object_unref (src);
      }
    }
    if (parent)
      gst_object_unref (parent);
    gst_object_unref (pad);
    pad = next;
  }
  if (pad)
    gst_object_unref (pad);
  return NULL;
}

/* faad (libfaad) puts out nothing for the first frame after a flush and
 * leaves that frame unfinished, so GstAudioDecoder gives each output the
 * time of the frame before: everything it decodes comes out a frame early
 * and a jump's first frame is lost. Labelled with the next frame's time,
 * its output gets its own. */
static gboolean
decoder_labels_a_frame_early (GstSeekTable * self)
{
  GstElement *decoder = downstream_decoder (self);
  GstElementFactory *factory;
  gboolean early = FALSE;

  if (decoder == NULL)
    return FALSE;
  factory = gst_element_get_factory (decoder);
  early = factory && !g_strcmp0 (GST_OBJECT_NAME (factory), "faad");
  gst_object_unref (decoder);
  return early;
}

/* Cuts the frames from the bytes in the adapter, as timed buffers. */
static GstFlowReturn
mp4_push_samples (GstSeekTable * self)
{
  const Mp4Track *t = &self->mp4_audio.track;
  GstFlowReturn ret = GST_FLOW_OK;

  while (ret == GST_FLOW_OK && self->mp4_next < t->n) {
    guint j = self->mp4_next;
    guint64 o = t->offsets[j];
    gsize avail = gst_adapter_available (self->adapter);
    GstBuffer *buf;

    if (o < self->adapter_offset) {
      /* before what we have: a table out of order; pass over it */
      self->mp4_next++;
      continue;
    }
    if (self->adapter_offset + avail < o + t->sizes[j]) {
      /* not all here yet: let go of what comes before it */
      gsize gap = MIN (avail, o - self->adapter_offset);

      gst_adapter_flush (self->adapter, gap);
      self->adapter_offset += gap;
      break;
    }
    gst_adapter_flush (self->adapter, o - self->adapter_offset);
    buf = gst_buffer_make_writable (gst_adapter_take_buffer (self->adapter,
            t->sizes[j]));
    self->adapter_offset = o + t->sizes[j];
    self->mp4_next++;
    GST_BUFFER_FLAGS (buf) = 0;
    if (self->need_segment) {
      self->early_decoder = decoder_labels_a_frame_early (self);
      GST_DEBUG_OBJECT (self, "the decoder labels a frame early: %s",
          self->early_decoder ? "yes" : "no");
    }
    GST_BUFFER_PTS (buf) = GST_BUFFER_DTS (buf) =
        gst_util_uint64_scale (t->starts[j] + (self->early_decoder ?
            t->durations[j] : 0), GST_SECOND, t->timescale);
    GST_BUFFER_DURATION (buf) = gst_util_uint64_scale (t->durations[j],
        GST_SECOND, t->timescale);
    if (GST_BUFFER_PTS (buf) + GST_BUFFER_DURATION (buf) <= self->segment.start)
      /* the frame before the target, only there for the decoder's overlap:
       * with a duration, aacparse (baseparse) would drop it as ending
       * before the segment */
      GST_BUFFER_DURATION (buf) = GST_CLOCK_TIME_NONE;
    GST_BUFFER_OFFSET (buf) = o;
    GST_LOG_OBJECT (self, "frame %u at byte %" G_GUINT64_FORMAT ", %"
        GST_TIME_FORMAT, j, o, GST_TIME_ARGS (GST_BUFFER_PTS (buf)));
    if (self->need_segment) {
      GstEvent *seg = gst_event_new_segment (&self->segment);

      gst_event_set_seqnum (seg, self->seqnum);
      gst_pad_push_event (self->srcpad, seg);
      self->need_segment = FALSE;
      push_toc (self);
    }
    if (self->discont) {
      GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DISCONT);
      self->discont = FALSE;
    }
    ret = gst_pad_push (self->srcpad, buf);
  }
  if (self->mp4_next >= t->n)
    gst_adapter_clear (self->adapter);  /* what follows the last frame */
  return ret;
}

/* The bytes of an MP4 we read (or may: from byte 0). */
static GstFlowReturn
mp4_chain (GstSeekTable * self, guint64 offset, GstBuffer * buf)
{
  if (!self->mp4_ready) {
    if (self->mp4_head == NULL) {
      self->mp4_head = g_byte_array_new ();
      self->mp4_head_offset = offset;
    }
    if (offset == self->mp4_head_offset + self->mp4_head->len) {
      GstMapInfo map;

      if (gst_buffer_map (buf, &map, GST_MAP_READ)) {
        g_byte_array_append (self->mp4_head, map.data, map.size);
        gst_buffer_unmap (buf, &map);
      }
    }
    if (self->demux == DEMUX_UNDECIDED)
      self->held = g_list_prepend (self->held, buf);
    else
      gst_buffer_unref (buf);
    return mp4_scan_head (self);
  }
  if (offset != self->adapter_offset + gst_adapter_available (self->adapter)) {
    gst_adapter_clear (self->adapter);
    self->adapter_offset = offset;
  }
  gst_adapter_push (self->adapter, buf);
  return mp4_push_samples (self);
}

/* mpegaudioparse (1.22) honours the LAME tag's encoder delay and padding
 * (a gapless decode from the first sample, cut by the clipping meta every
 * MP3 decoder honours) only when the tag's encoder string starts with
 * "LAME"; ffmpeg writes the same tag as "Lavc"/"Lavf". Passed through from
 * the stream's start, the tag is spelled "LAME", so that the straight
 * decode is as gapless as the element's own jumps. */
static GstBuffer *
spell_lame_tag (GstSeekTable * self, guint64 offset, GstBuffer * buf)
{
  gsize size = gst_buffer_get_size (buf);
  guint64 at;
  gchar name[5] = "";           /* terminated: GStreamer's printf takes
                                 * strlen() even of a "%.4s" argument */

  GST_OBJECT_LOCK (self);
  at = self->not_mpeg ? 0 : seek_index_lame_tag_offset (self->index);
  GST_OBJECT_UNLOCK (self);
  if (at == 0 || at < offset || at + 4 > offset + size
      || gst_buffer_extract (buf, at - offset, name, 4) != 4
      || (memcmp (name, "Lavc", 4) && memcmp (name, "Lavf", 4)))
    return buf;
  GST_DEBUG_OBJECT (self, "LAME tag by %s at byte %" G_GUINT64_FORMAT
      ": spelled LAME for mpegaudioparse", name, at);
  buf = gst_buffer_make_writable (buf);
  gst_buffer_fill (buf, at - offset, "LAME", 4);
  return buf;
}

static GstFlowReturn
gst_seek_table_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  GstSeekTable *self = GST_SEEK_TABLE (parent);
  guint64 offset = GST_BUFFER_OFFSET_IS_VALID (buf) ?
      GST_BUFFER_OFFSET (buf) : self->in_offset;
  gsize size = gst_buffer_get_size (buf);
  GstMapInfo map;
  guint8 head[4];
  gboolean timed, awaiting;

  GST_OBJECT_LOCK (self);
  awaiting = self->awaiting_segment;
  timed = self->timed;
  GST_OBJECT_UNLOCK (self);
  if (awaiting) {
    /* data from before our seek took effect. (Stopping that request with
     * GST_FLOW_EOS saved bytes on loopback but made souphttpsrc close a
     * half-read libsoup stream on the next seek, which crashed libsoup
     * 3.2 now and then under load.) */
    gst_buffer_unref (buf);
    return GST_FLOW_OK;
  }
  if (self->offset_shift != 0 || self->skip_until > 0) {
    /* an answer from another byte than asked: where the bytes really are,
     * and those before what the plan reads from dropped */
    offset = (guint64) ((gint64) offset + self->offset_shift);
    if (offset + size <= self->skip_until) {
      gst_buffer_unref (buf);
      return GST_FLOW_OK;
    }
    if (offset < self->skip_until) {
      GstBuffer *rest = gst_buffer_copy_region (buf, GST_BUFFER_COPY_ALL,
          self->skip_until - offset, -1);

      gst_buffer_unref (buf);
      buf = rest;
      size = gst_buffer_get_size (buf);
      offset = self->skip_until;
    }
  }

  if (!self->scan_checked && offset == 0) {
    self->scan_checked = TRUE;
    maybe_start_scan (self);
    if (gst_seek_table_autoplugged (self) && !autoplug_read_chapters (self))
      autoplug_head_chapters (self, buf);
  }

  if (gst_buffer_map (buf, &map, GST_MAP_READ)) {
    GST_OBJECT_LOCK (self);
    if (!self->not_mpeg
        && !seek_index_feed (self->index, offset, map.data, map.size))
      self->not_mpeg = TRUE;
    if (!self->not_mpeg)
      check_cached_locked (self, offset, map.data, map.size);
    if (!self->not_flac
        && !flac_index_feed (self->flac, offset, map.data, map.size))
      self->not_flac = TRUE;
    if (!self->not_ogg
        && !ogg_index_feed (self->ogg, offset, map.data, map.size))
      self->not_ogg = TRUE;
    GST_OBJECT_UNLOCK (self);
    gst_buffer_unmap (buf, &map);
  }
  self->in_offset = offset + size;

  if (self->probing) {
    /* the end of the file, for the duration: the index read it */
    gst_buffer_unref (buf);
    if (ogg_index_last_granule (self->ogg) >= 0)
      ogg_play_from_start (self, FALSE);
    return GST_FLOW_OK;
  }

  /* Ogg or MP4 from byte 0: held until the first pages or the movie box
   * tell whether it is ours */
  if (self->demux == DEMUX_UNDECIDED && !self->mp4
      && (self->held == NULL || GST_IS_EVENT (self->held->data))) {
    if (offset == 0 && size >= 8 && gst_buffer_memcmp (buf, 4, "ftyp",
            4) == 0) {
      self->mp4 = TRUE;
    } else if (offset == 0 && gst_buffer_extract (buf, 0, head, 4) == 4
        && ebml_sniff (head, 4)) {
      self->mkv = TRUE;
    } else if (offset != 0 || size < 4
        || gst_buffer_memcmp (buf, 0, "OggS", 4) != 0) {
      GstFlowReturn ret = release_held (self);

      if (ret != GST_FLOW_OK) {
        gst_buffer_unref (buf);
        return ret;
      }
    }
  }
  if (self->mp4)
    return mp4_chain (self, offset, buf);
  if (self->demux != DEMUX_NO)
    return ogg_chain (self, offset, buf);
  if (!timed)
    return gst_pad_push (self->srcpad, spell_lame_tag (self, offset, buf));
  if (self->flac_mode) {
    if (self->landed) {
      /* the parser reads the times from the frame headers */
      buf = gst_buffer_make_writable (buf);
      GST_BUFFER_PTS (buf) = GST_BUFFER_DTS (buf) = GST_CLOCK_TIME_NONE;
      GST_BUFFER_FLAG_UNSET (buf, GST_BUFFER_FLAG_DISCONT);
      return gst_pad_push (self->srcpad, buf);
    }
    gst_adapter_push (self->adapter, buf);
    return flac_land (self, FALSE);
  }

  gst_adapter_push (self->adapter, buf);
  return push_frames (self, FALSE);
}

/* A BYTES segment that answers one of our seeks other than the last one
 * sent (or the last one's seqnum, a retry's, but another byte). A segment
 * with a seqnum we never sent is taken as it comes. */
static gboolean
overtaken_locked (GstSeekTable * self, guint32 seqnum, guint64 start)
{
  guint i, n = MIN (self->n_sent, G_N_ELEMENTS (self->sent_seqnums));
  gboolean ours = FALSE;

  for (i = 0; i < n; i++)
    ours |= self->sent_seqnums[i] == seqnum;
  return ours && (seqnum != self->pending.seqnum || start != self->sent_offset);
}

static void
warn_skew (GstElement * element, gpointer data)
{
  GstSeekTable *self = GST_SEEK_TABLE (element);
  g_autofree gchar *uri = upstream_uri (self);
  guint64 asked, answered;

  GST_OBJECT_LOCK (self);
  asked = self->skew_asked;
  answered = self->skew_answered;
  GST_OBJECT_UNLOCK (self);
  GST_ELEMENT_WARNING (self, RESOURCE, READ, ("The server answers byte "
          "ranges from other bytes than asked"), ("%s: asked from byte %"
          G_GUINT64_FORMAT ", answered from byte %" G_GUINT64_FORMAT " (its "
          "Content-Range); the bytes are taken where they really are",
          uri ? uri : "the stream", asked, answered));
}

/* Our BYTES seek's answer, asked from @asked: where its bytes really begin
 * (souphttpsrc says @asked whatever the server's Content-Range says), and
 * *@start, where the plan reads from (what comes before is dropped).
 * FALSE: the answer began after that; asked again (earlier by twice as
 * much), or, the second time, for MP3 from byte 0; retry_seek asks, the
 * answer to that follows. A second late answer elsewhere is taken where
 * its bytes are: Ogg pages and FLAC frames say where they belong, an
 * MP4's samples are found by its table, a Matroska landing is timed from
 * the data. */
static gboolean
answer_from_locked (GstSeekTable * self, guint64 asked, guint64 * start)
{
  guint64 truth = self->response_start >= 0 ?
      (guint64) self->response_start : asked;
  guint64 want = self->wanted_offset;

  self->offset_shift = (gint64) truth - (gint64) asked;
  self->skip_until = 0;
  *start = want;
  if (truth != asked && !self->skew_warned) {
    self->skew_warned = TRUE;
    self->skew_asked = asked;
    self->skew_answered = truth;
    gst_element_call_async (GST_ELEMENT (self), warn_skew, NULL, NULL);
  }
  if (truth <= want) {
    self->skip_until = truth < want ? want : 0;
    if (truth != asked)
      GST_DEBUG_OBJECT (self, "asked from byte %" G_GUINT64_FORMAT ", the "
          "answer begins at %" G_GUINT64_FORMAT ": on from %" G_GUINT64_FORMAT,
          asked, truth, want);
    return TRUE;
  }
  GST_DEBUG_OBJECT (self, "asked from byte %" G_GUINT64_FORMAT ", the answer "
      "begins at %" G_GUINT64_FORMAT ", after %" G_GUINT64_FORMAT, asked,
      truth, want);
  if (self->skews++ > 0) {
    if (self->pending.kind != PLAN_MPEG) {
      /* (the bytes as they are, under the offset they really have) */
      *start = truth;
      if (self->mkv)
        self->pending.point_granule = PLAN_ANY_BYTE;
      return TRUE;
    }
    /* MP3 frames cannot tell where they are: from byte 0 (no range
     * asked), counting frames, this jump and every later one */
    {
      GstSegment segment = self->pending.segment;

      self->ranges_unsure = TRUE;
      plan_mpeg_from_start_locked (self, &segment, self->pending.seqnum,
          self->pending.first_wanted);
      want = truth = asked = 0;
    }
  }
  /* earlier by twice the lateness: the bytes wanted are in the answer */
  self->pending.ask_elsewhere = TRUE;
  self->pending.ask = want > 2 * (truth - asked) ? want - 2 * (truth - asked)
      : 0;
  self->pending.want = want;
  /* (not from the streaming thread, which the flush must stop) */
  gst_element_call_async (GST_ELEMENT (self), retry_seek,
      GUINT_TO_POINTER (self->plans), NULL);
  return FALSE;
}

/* The value of header @name (in any case) in souphttpsrc's @headers. */
static const gchar *
header_value (const GstStructure * headers, const gchar * name)
{
  for (gint i = 0; i < gst_structure_n_fields (headers); i++) {
    const gchar *field = gst_structure_nth_field_name (headers, i);
    const GValue *value;

    if (g_ascii_strcasecmp (field, name) != 0)
      continue;
    value = gst_structure_get_value (headers, field);
    return G_VALUE_HOLDS_STRING (value) ? g_value_get_string (value) : NULL;
  }
  return NULL;
}

/* The flush of a seek of ours that reads the stream's end for its duration
 * before any audio: it resets upstream, and goes no further. Downstream
 * has the caps and segment of a stream that has not started; a flush
 * there, while decodebin3 (playbin3) is still linking its decoder, made it
 * hand the decoder data before stream-start. oggdemux in push mode keeps
 * the flushes of its own duration seeks to itself as well. TRUE: @event
 * was ours, and is dropped. */
static gboolean
quiet_flush (GstSeekTable * self, GstEvent * event)
{
  guint32 seqnum = gst_event_get_seqnum (event);
  gboolean quiet;

  GST_OBJECT_LOCK (self);
  quiet = self->quiet_seqnum != 0 && seqnum == self->quiet_seqnum;
  if (quiet && GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP
      && self->pending.seqnum != seqnum)
    self->quiet_seqnum = 0;     /* (no longer the plan: the last one) */
  GST_OBJECT_UNLOCK (self);
  if (quiet) {
    GST_DEBUG_OBJECT (self, "%s of our own read of the end: kept upstream",
        GST_EVENT_TYPE_NAME (event));
    gst_event_unref (event);
  }
  return quiet;
}

static gboolean
gst_seek_table_sink_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstSeekTable *self = GST_SEEK_TABLE (parent);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_SEGMENT:{
      const GstSegment *segment;

      gst_event_parse_segment (event, &segment);
      GST_OBJECT_LOCK (self);
      if (self->awaiting_segment && segment->format == GST_FORMAT_BYTES
          && overtaken_locked (self, gst_event_get_seqnum (event),
              segment->start)) {
        /* the answer to a BYTES seek of ours that a later one overtook:
         * its bytes are not where the plan reads from; the later answer
         * follows */
        GST_DEBUG_OBJECT (self, "an overtaken seek's segment (byte %"
            G_GUINT64_FORMAT "), dropped", segment->start);
        GST_OBJECT_UNLOCK (self);
        gst_event_unref (event);
        return TRUE;
      }
      if (self->awaiting_segment && segment->format == GST_FORMAT_BYTES) {
        /* the answer to our BYTES seek: frames from here, our TIME
         * segment goes out with the first one. Only this thread touches
         * the streaming state, so nothing old is pushed under it. */
        guint64 start;

        if (!answer_from_locked (self, segment->start, &start)) {
          /* (asked again; the answer to that follows) */
          GST_OBJECT_UNLOCK (self);
          gst_event_unref (event);
          return TRUE;
        }
        self->awaiting_segment = FALSE;
        if (self->pending.kind == PLAN_MP4_MOOV) {
          /* the movie box after the media data */
          self->in_offset = start;
          GST_OBJECT_UNLOCK (self);
          if (self->mp4_head)
            g_byte_array_set_size (self->mp4_head, 0);
          else
            self->mp4_head = g_byte_array_new ();
          self->mp4_head_offset = start;
          gst_event_unref (event);
          return TRUE;
        }
        if (self->pending.kind == PLAN_MP4) {
          self->timed = TRUE;
          self->segment = self->pending.segment;
          self->seqnum = self->pending.seqnum;
          self->need_segment = TRUE;
          self->discont = TRUE;
          self->mp4_next = self->pending.frame;
          self->in_offset = start;
          self->adapter_offset = start;
          GST_OBJECT_UNLOCK (self);
          gst_adapter_clear (self->adapter);
          gst_event_unref (event);
          return TRUE;
        }
        if (self->pending.kind == PLAN_OGG_END) {
          self->probing = TRUE;
          self->timed = FALSE;
          self->in_offset = start;
          GST_OBJECT_UNLOCK (self);
          gst_event_unref (event);
          return TRUE;
        }
        self->timed = TRUE;
        self->segment = self->pending.segment;
        self->need_segment = TRUE;
        self->discont = TRUE;
        self->resync = self->pending.resync;
        self->verifying = self->pending.verify;
        self->out_frame = self->pending.frame;
        self->first_wanted = self->pending.first_wanted;
        self->seqnum = self->pending.seqnum;
        self->flac_mode = self->pending.kind == PLAN_FLAC;
        GST_LOG_OBJECT (self, "our seek's answer: from byte %" G_GUINT64_FORMAT
            " (point granule %" G_GINT64_FORMAT ")", start,
            (gint64) self->pending.point_granule);
        if (self->pending.kind == PLAN_OGG)
          demux_discont (self, start,
              self->pending.point_granule == PLAN_ANY_BYTE ?
              MKV_UNKNOWN_CLUSTER : (gint64) self->pending.point_granule);
        self->target_sample = self->pending.target_sample;
        self->landed = FALSE;
        self->have_first = FALSE;
        self->search_from = 0;
        self->adapter_offset = start;
        self->in_offset = start;
        GST_OBJECT_UNLOCK (self);
        gst_adapter_clear (self->adapter);
        gst_event_unref (event);
        return TRUE;
      }
      if (self->demux == DEMUX_UNDECIDED && !holds_data (self)
          && ((segment->format == GST_FORMAT_BYTES && segment->start == 0)
              || self->held != NULL)) {
        /* goes on once we know whether we take the stream apart (after
         * the caps held, whatever it is) */
        if (segment->format == GST_FORMAT_BYTES && segment->start == 0)
          self->upstream_seqnum = gst_event_get_seqnum (event);
        self->held = g_list_prepend (self->held, event);
        GST_OBJECT_UNLOCK (self);
        return TRUE;
      }
      if (self->mp4 && self->demux != DEMUX_UNDECIDED) {
        /* bytes from elsewhere in a movie we take apart: where its frames
         * are is known, but not where the segment should start */
        GST_OBJECT_UNLOCK (self);
        gst_event_unref (event);
        return TRUE;
      }
      if (self->demux == DEMUX_OGG) {
        /* bytes from elsewhere in a stream we take apart */
        self->timed = FALSE;
        GST_OBJECT_UNLOCK (self);
        demux_discont (self, segment->start, -1);
        gst_event_unref (event);
        return TRUE;
      }
      if (self->timed) {
        /* a seek that is not ours: back to passing bytes through */
        GST_DEBUG_OBJECT (self, "foreign segment, passthrough again");
        self->timed = FALSE;
      }
      if (segment->format == GST_FORMAT_BYTES)
        self->in_offset = segment->start;
      GST_OBJECT_UNLOCK (self);
      break;
    }
    case GST_EVENT_CAPS:
      if (self->demux == DEMUX_UNDECIDED && !holds_data (self)) {
        /* (typefind's, when autoplugged): held until the first bytes tell
         * whether the stream goes on as it is or taken apart, with caps of
         * its own; a demuxer plugged for these would refuse those */
        self->held = g_list_prepend (self->held, event);
        return TRUE;
      }
      break;
    case GST_EVENT_FLUSH_START:
      if (quiet_flush (self, event))
        return TRUE;
      break;
    case GST_EVENT_FLUSH_STOP:
      gst_adapter_clear (self->adapter);
      self->offset_shift = 0;
      self->skip_until = 0;
      if (self->demux == DEMUX_OGG)
        self->ogg_flushed = TRUE;
      if (self->demux == DEMUX_UNDECIDED) {
        drop_held (self);
        self->demux = DEMUX_NO;
      }
      GST_OBJECT_LOCK (self);
      self->whole = FALSE;
      GST_OBJECT_UNLOCK (self);
      if (quiet_flush (self, event))
        return TRUE;
      break;
    case GST_EVENT_CUSTOM_DOWNSTREAM_STICKY:{
      const GstStructure *s = gst_event_get_structure (event);
      const GstStructure *headers = NULL;

      /* souphttpsrc's response headers: the cache validator */
      if (s && gst_structure_has_name (s, "http-headers")
          && gst_structure_get (s, "response-headers", GST_TYPE_STRUCTURE,
              &headers, NULL) && headers) {
        const gchar *etag = gst_structure_get_string (headers, "ETag");
        const gchar *modified = gst_structure_get_string (headers,
            "Last-Modified");

        const gchar *accept = header_value (headers, "Accept-Ranges");
        const gchar *range = header_value (headers, "Content-Range");
        gboolean ranges = range != NULL || (accept && strstr (accept,
                "bytes"));
        guint64 first = 0;
        gchar *end = NULL;

        GST_DEBUG_OBJECT (self, "response headers: Content-Range %s",
            GST_STR_NULL (range));
        /* "bytes FIRST-LAST/LENGTH": where the answer's bytes begin */
        if (range && g_str_has_prefix (range, "bytes "))
          first = g_ascii_strtoull (range + 6, &end, 10);
        if (end && end > range + 6 && *end == '-' && first <= G_MAXINT64) {
          GST_OBJECT_LOCK (self);
          self->response_start = (gint64) first;
          GST_OBJECT_UNLOCK (self);
        }

        GST_OBJECT_LOCK (self);
        g_free (self->validator);
        self->validator = etag ? g_strdup_printf ("etag %s", etag) :
            modified ? g_strdup_printf ("modified %s", modified) : NULL;
        self->ranges_unsure = !ranges;
        GST_OBJECT_UNLOCK (self);
        gst_structure_free ((GstStructure *) headers);
      }
      break;
    }
    case GST_EVENT_EOS:{
      gboolean save = FALSE, lost = FALSE, stale;
      guint64 sent_offset;
      gint64 size = -1;

      /* the end of a request we are leaving (a FLAC landing past the
       * target reads again): not the end of the stream */
      GST_OBJECT_LOCK (self);
      stale = self->awaiting_segment;
      sent_offset = self->sent_offset;
      GST_OBJECT_UNLOCK (self);
      if (stale && gst_pad_peer_query_duration (self->sinkpad,
              GST_FORMAT_BYTES, &size) && size >= 0
          && sent_offset >= (guint64) size) {
        /* unless the request we await began at or past the end (an
         * estimate beyond a stream shorter than thought): then this end
         * is its answer, and the stream's */
        GstEvent *seg;

        GST_DEBUG_OBJECT (self, "our request from byte %" G_GUINT64_FORMAT
            " (of %" G_GINT64_FORMAT ") ended at once: the end", sent_offset,
            size);
        GST_OBJECT_LOCK (self);
        self->awaiting_segment = FALSE;
        self->segment = self->pending.segment;
        self->seqnum = self->pending.seqnum;
        self->need_segment = FALSE;
        GST_OBJECT_UNLOCK (self);
        seg = gst_event_new_segment (&self->segment);
        gst_event_set_seqnum (seg, self->seqnum);
        gst_pad_push_event (self->srcpad, seg);
        /* (what was read before says nothing about where the end is) */
        return gst_pad_push_event (self->srcpad, event);
      }
      if (stale) {
        GST_DEBUG_OBJECT (self, "EOS of the request we are leaving");
        gst_event_unref (event);
        return TRUE;
      }

      if (self->probing) {
        /* no page with the last-page flag: the highest granule it is */
        ogg_index_mark_end (self->ogg);
        ogg_play_from_start (self, TRUE);
        gst_event_unref (event);
        return TRUE;
      }
      if (self->demux == DEMUX_UNDECIDED)
        release_held (self);
      if (self->demux == DEMUX_MP4 && !self->mp4_ready) {
        /* the end came before the movie box: read from byte 0 by the
         * stock path, which says what is wrong with the file */
        mp4_abandon (self, "the stream ended before its movie box");
        gst_event_unref (event);
        return TRUE;
      }
      if (self->mkv && self->demux == DEMUX_OGG
          && mkv_reader_position (self->mkv_reader) >= 0) {
        /* the last packet read: the end of the stream, exactly */
        GST_OBJECT_LOCK (self);
        ogg_index_set_end (self->ogg, mkv_reader_position (self->mkv_reader),
            FALSE);
        GST_OBJECT_UNLOCK (self);
      }
      if (self->timed && self->flac_mode && !self->landed)
        flac_land (self, TRUE);
      else if (self->timed && !self->flac_mode && self->demux == DEMUX_NO)
        push_frames (self, TRUE);
      /* streamed from the first frame to the end without a gap: the index
       * is whole, and worth keeping */
      GST_OBJECT_LOCK (self);
      if (self->scanned == NULL && self->whole && seek_index_ready (self->index)
          && seek_index_frames (self->index) > 0) {
        seek_index_set_complete (self->index);
        lost = seek_index_lost (self->index);
        save = TRUE;
      }
      GST_OBJECT_UNLOCK (self);
      if (lost) {
        g_autofree gchar *uri = upstream_uri (self);

        warn_lost (self, self->index, uri ? uri : "the stream");
      }
      if (save)
        save_index (self, self->index);
      break;
    }
    default:
      break;
  }
  return gst_pad_event_default (pad, parent, event);
}

/* A TIME seek in a FLAC stream (@segment: the one it asks for): to the
 * known frame before the target, or to an estimate a little before it;
 * the landing is checked in the data. FALSE: not a FLAC stream we know. */
static gboolean
handle_flac_seek (GstSeekTable * self, const GstSegment * segment,
    guint32 seqnum)
{
  gint64 size = -1;
  FlacIndex *index;
  const FlacInfo *info;
  guint64 target, offset;
  gboolean exact;

  gst_pad_peer_query_duration (self->sinkpad, GST_FORMAT_BYTES, &size);
  GST_OBJECT_LOCK (self);
  index = best_flac_locked (self);
  if (index == NULL) {
    GST_OBJECT_UNLOCK (self);
    return FALSE;
  }
  info = flac_index_info (index);
  target = gst_util_uint64_scale_int (segment->start, info->rate, GST_SECOND);
  if (info->total_samples && target >= info->total_samples) {
    GST_OBJECT_UNLOCK (self);
    return FALSE;
  }
  if (size > 0)
    flac_index_set_file_size (index, size);
  exact = flac_index_locate (index, target, &offset);
  GST_DEBUG_OBJECT (self, "FLAC seek to %" GST_TIME_FORMAT " (sample %"
      G_GUINT64_FORMAT "): from byte %" G_GUINT64_FORMAT "%s",
      GST_TIME_ARGS (segment->start), target, offset,
      exact ? "" : " (estimate)");
  plan_locked (self, PLAN_FLAC, segment, offset, target, seqnum);
  self->retries = 0;
  GST_OBJECT_UNLOCK (self);
  /* refused: the stock path may still serve it */
  return send_bytes_seek (self, GST_SEEK_FLAG_FLUSH, offset, seqnum, TRUE);
}

/* A TIME seek in an Ogg stream we take apart: from the page that lets the
 * decoder produce the target sample; the landing is checked in the data. */
static gboolean
handle_ogg_seek (GstSeekTable * self, const GstSegment * segment,
    guint32 seqnum)
{
  gint64 size = -1;
  OggIndex *index;
  const OggAudioInfo *info;
  guint64 target, want, offset, granule = 0;
  gboolean exact;

  gst_pad_peer_query_duration (self->sinkpad, GST_FORMAT_BYTES, &size);
  GST_OBJECT_LOCK (self);
  index = best_ogg_locked (self);
  if (index == NULL) {
    GST_OBJECT_UNLOCK (self);
    return FALSE;
  }
  info = ogg_index_info (index);
  target = gst_util_uint64_scale_int (segment->start, info->rate, GST_SECOND)
      + (info->codec == OGG_AUDIO_OPUS ? info->pre_skip : 0);
  want = target - MIN (target, ogg_preroll (info));
  if (size > 0)
    ogg_index_set_file_size (index, size);
  if (self->mkv) {
    granule = mkv_read_from_locked (self, index, want, FALSE, &offset);
    exact = granule != PLAN_ANY_BYTE;
  } else {
    exact = ogg_index_locate (index, want, &offset);
  }
  GST_DEBUG_OBJECT (self, "%s seek to %" GST_TIME_FORMAT " (granule %"
      G_GUINT64_FORMAT "): from byte %" G_GUINT64_FORMAT "%s",
      demux_name (self), GST_TIME_ARGS (segment->start), target, offset,
      exact ? "" : " (estimate)");
  plan_locked (self, PLAN_OGG, segment, offset, target, seqnum);
  self->pending.point_granule = granule;
  self->probing = FALSE;
  self->retries = 0;
  GST_OBJECT_UNLOCK (self);
  return send_bytes_seek (self, GST_SEEK_FLAG_FLUSH, offset, seqnum, TRUE);
}

/* Plans an MP3 jump to @segment's start with the best index: the frame
 * to decode from (a few before the target's, for the bit reservoir), the
 * byte it starts at, and whether the landing is one of the index's points
 * (checked when it comes). Returns the byte to read from, -1 when there is
 * no index to plan with. Object lock held. */
static gint64
plan_mpeg_locked (GstSeekTable * self, const GstSegment * segment,
    guint32 seqnum, gint64 length)
{
  SeekIndex *index = best_index_locked (self);
  guint64 target_frame, first, found_frame = 0, offset = 0;
  gboolean exact, cbr = FALSE, point = TRUE;

  if (index == NULL || seek_index_format (index)->layer != 3)
    return -1;
  target_frame = seek_index_frame_at (index, segment->start);
  /* (near the start too: mpegaudioparse's gapless times there are rounded
   * to the nanosecond twice, and its clip lands a sample early) */
  first = target_frame > PREROLL_FRAMES ? target_frame - PREROLL_FRAMES : 0;
  exact = seek_index_lookup (index, first, &found_frame, &offset);
  if (!exact && seek_index_info (index)->cbr) {
    /* constant bitrate: the offset follows, the data tells the frame */
    const MpegFrame *fmt = seek_index_format (index);
    gdouble avg = (gdouble) fmt->samples / 8 * fmt->bitrate / fmt->rate;

    cbr = TRUE;
    found_frame = first > 2 ? first - 2 : 0;
    offset = seek_index_first_offset (index) + (guint64) (found_frame * avg);
  } else if (!exact && !seek_index_complete (index)
      && seek_index_frames (index) > 0
      && (length < 0 || seek_index_end_offset (index) < (guint64) length)) {
    /* beyond the index: carry on from its furthest frame, not byte 0, and
     * the index grows from there */
    found_frame = seek_index_frames (index);
    offset = seek_index_end_offset (index);
    point = FALSE;
    GST_DEBUG_OBJECT (self, "target frame %" G_GUINT64_FORMAT " beyond the "
        "index (%" G_GUINT64_FORMAT " frames)", first, found_frame);
  }
  if (self->ranges_unsure) {
    /* (from the first byte, the one a server that ignores Range serves;
     * the frames before the target are counted and dropped) */
    found_frame = 0;
    offset = 0;
    cbr = point = FALSE;
  }
  GST_DEBUG_OBJECT (self, "seek to %" GST_TIME_FORMAT ": frame %"
      G_GUINT64_FORMAT ", decoding from frame %" G_GUINT64_FORMAT " at byte %"
      G_GUINT64_FORMAT "%s", GST_TIME_ARGS (segment->start), target_frame,
      found_frame, offset, cbr ? " (CBR estimate)" : "");

  plan_locked (self, PLAN_MPEG, segment, found_frame, 0, seqnum);
  self->pending.first_wanted = first;
  self->pending.resync = cbr;
  self->pending.verify = !cbr && point;
  /* the streamed index goes on from a frame it knows */
  seek_index_restart_at (self->index, found_frame, offset);
  return (gint64) offset;
}

/* Serves a flushing TIME seek from the index. FALSE: not ours to serve. */
static gboolean
handle_time_seek (GstSeekTable * self, GstEvent * event)
{
  gdouble rate;
  GstFormat format;
  GstSeekFlags flags;
  GstSeekType start_type, stop_type;
  gint64 start, stop;
  gint64 length, offset;
  gboolean unsure;
  GstSegment segment;

  gst_event_parse_seek (event, &rate, &format, &flags, &start_type, &start,
      &stop_type, &stop);
  /* forward at any speed (the segment carries the rate: scaletempo
   * plays it at 1.5x with the pitch kept); backwards is the parser's */
  if (format != GST_FORMAT_TIME || rate <= 0.0
      || start_type != GST_SEEK_TYPE_SET || !(flags & GST_SEEK_FLAG_FLUSH)
      || start < 0)
    return FALSE;

  GST_OBJECT_LOCK (self);
  unsure = self->ranges_unsure;
  GST_OBJECT_UNLOCK (self);
  if (unsure && self->demux != DEMUX_NO) {
    /* a server that may ignore Range (souphttpsrc fails on the first
     * range it ignores): the parser's own seek, as stock, which reads
     * from byte 0 when it must */
    GST_INFO_OBJECT (self, "the server did not say it serves byte ranges: "
        "the seek is left to the parser");
    return FALSE;
  }

  /* (a seek in PAUSED, before playback started a deferred scan: a local
   * file's scan takes milliseconds, a jump without it may read far) */
  if (gst_seek_table_autoplugged (self))
    start_deferred_scan (self, TRUE);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_segment_do_seek (&segment, rate, GST_FORMAT_TIME, flags, start_type,
      start, stop_type, stop, NULL);
  if (self->demux == DEMUX_OGG)
    return handle_ogg_seek (self, &segment, gst_event_get_seqnum (event));
  if (self->demux == DEMUX_MP4)
    return handle_mp4_seek (self, &segment, gst_event_get_seqnum (event));
  if (!unsure && handle_flac_seek (self, &segment, gst_event_get_seqnum
          (event)))
    return TRUE;

  if (!gst_pad_peer_query_duration (self->sinkpad, GST_FORMAT_BYTES,
          &length))
    length = -1;
  GST_OBJECT_LOCK (self);
  offset = plan_mpeg_locked (self, &segment, gst_event_get_seqnum (event),
      length);
  GST_OBJECT_UNLOCK (self);
  if (offset < 0)
    return FALSE;

  return send_bytes_seek (self, flags & ~(GST_SEEK_FLAG_ACCURATE |
          GST_SEEK_FLAG_KEY_UNIT | GST_SEEK_FLAG_SNAP_BEFORE |
          GST_SEEK_FLAG_SNAP_AFTER), (guint64) offset,
      gst_event_get_seqnum (event), TRUE);
}

static gboolean
gst_seek_table_src_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstSeekTable *self = GST_SEEK_TABLE (parent);

  if (GST_EVENT_TYPE (event) == GST_EVENT_SEEK
      && handle_time_seek (self, event)) {
    gst_event_unref (event);
    return TRUE;
  }
  return gst_pad_event_default (pad, parent, event);
}

/* Whether upstream can seek in bytes (HTTP without ranges cannot). */
static gboolean
upstream_seekable (GstSeekTable * self)
{
  GstQuery *query = gst_query_new_seeking (GST_FORMAT_BYTES);
  gboolean seekable = FALSE;

  if (gst_pad_peer_query (self->sinkpad, query))
    gst_query_parse_seeking (query, NULL, &seekable, NULL, NULL);
  gst_query_unref (query);
  return seekable;
}

/* Whether a seek table is upstream already (an explicit one in front of
 * decodebin, or the ID3 one in front of id3demux). */
static gboolean
seek_table_upstream (GstSeekTable * self)
{
  GstQuery *query = gst_query_new_custom (GST_QUERY_CUSTOM,
      gst_structure_new_empty (SEEK_TABLE_QUERY));
  gboolean found = gst_pad_peer_query (self->sinkpad, query);

  gst_query_unref (query);
  return found;
}

static gboolean
inside_parsebin (GstSeekTable * self)
{
  GstObject *parent = gst_object_get_parent (GST_OBJECT (self));
  gboolean found = FALSE;

  while (parent && !found) {
    GstObject *next;

    if (GST_IS_ELEMENT (parent)) {
      GstElementFactory *f = gst_element_get_factory (GST_ELEMENT (parent));

      found = f && !g_strcmp0 (GST_OBJECT_NAME (f), "parsebin");
    }
    next = gst_object_get_parent (parent);
    gst_object_unref (parent);
    parent = next;
  }
  if (parent)
    gst_object_unref (parent);
  return found;
}

/* Autoplugged, the element takes a stream only where it can serve it: caps
 * it knows, no seek table upstream already, and bytes it can seek in
 * (upstream knows their length: not a live stream, not the output of a
 * demuxer). A refusal makes decodebin and parsebin try the next factory,
 * the stock one. */
static gboolean
autoplug_accepts (GstSeekTable * self, GstCaps * caps)
{
  GstCaps *templ = gst_pad_get_pad_template_caps (self->sinkpad);
  gboolean ok = gst_caps_can_intersect (caps, templ);
  gint64 bytes = -1;

  gst_caps_unref (templ);
  if (ok && inside_parsebin (self)) {
    /* playbin3's way (parsebin, decodebin3): left to the stock path. A
     * stream we take apart has caps of its own that come after parsebin
     * linked us; parsebin then sends decodebin3 the stream-start twice
     * (its copy, and ours with the stream it adds), and its fallback
     * collection as well as any of ours: now and then decodebin3 waits
     * for caps or for the end of a collection that never come (a
     * preroll that hangs, 1 run in 3 under load). Not until that is
     * solved. */
    GST_DEBUG_OBJECT (self, "inside parsebin: refused");
    ok = FALSE;
  }
  if (ok && seek_table_upstream (self)) {
    GST_DEBUG_OBJECT (self, "a seek table is upstream already: refused");
    ok = FALSE;
  }
  if (ok && (!gst_pad_peer_query_duration (self->sinkpad, GST_FORMAT_BYTES,
              &bytes) || bytes <= 0)) {
    GST_DEBUG_OBJECT (self, "upstream has no length in bytes: refused");
    ok = FALSE;
  }
  return ok;
}

static gboolean
gst_seek_table_sink_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  GstSeekTable *self = GST_SEEK_TABLE (parent);

  if (GST_QUERY_TYPE (query) == GST_QUERY_ACCEPT_CAPS
      && gst_seek_table_autoplugged (self)) {
    GstCaps *caps;

    gst_query_parse_accept_caps (query, &caps);
    gst_query_set_accept_caps_result (query, autoplug_accepts (self, caps));
    return TRUE;
  }
  return gst_pad_query_default (pad, parent, query);
}

static gboolean
gst_seek_table_src_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  GstSeekTable *self = GST_SEEK_TABLE (parent);
  GstFormat format;
  gint64 duration = -1;
  SeekIndex *index;
  FlacIndex *flac;
  OggIndex *ogg;
  gboolean demux = self->demux == DEMUX_OGG;
  gboolean mp4 = self->demux == DEMUX_MP4 && self->mp4_ready;

  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_CUSTOM:
      if (gst_structure_has_name (gst_query_get_structure (query),
              SEEK_TABLE_QUERY))
        return TRUE;            /* a seek table is here */
      break;
    case GST_QUERY_CAPS:{
      /* what goes out is upstream's caps only when the stream passes
       * through: taken apart, our own; not decided yet, anything (parsebin
       * would plug a demuxer for upstream's caps, then get ours) */
      GstCaps *caps = gst_pad_get_current_caps (pad), *filter;

      if (caps == NULL && self->demux == DEMUX_NO)
        break;
      if (caps == NULL)
        caps = gst_pad_get_pad_template_caps (pad);
      gst_query_parse_caps (query, &filter);
      if (filter) {
        GstCaps *both = gst_caps_intersect_full (filter, caps,
            GST_CAPS_INTERSECT_FIRST);

        gst_caps_unref (caps);
        caps = both;
      }
      gst_query_set_caps_result (query, caps);
      gst_caps_unref (caps);
      return TRUE;
    }
    case GST_QUERY_DURATION:
      gst_query_parse_duration (query, &format, NULL);
      if (format != GST_FORMAT_TIME)
        break;
      if (mp4) {
        gst_query_set_duration (query, GST_FORMAT_TIME,
            self->mp4_audio.duration);
        return TRUE;
      }
      GST_OBJECT_LOCK (self);
      index = best_index_locked (self);
      flac = best_flac_locked (self);
      ogg = best_ogg_locked (self);
      if (demux && ogg)
        duration = ogg_index_duration (ogg);
      if (demux && duration < 0)
        duration = self->mkv_duration;  /* Matroska's own, to the ms */
      else if (index && seek_index_complete (index))
        duration = seek_index_duration (index);
      else if (flac)
        duration = flac_index_duration (flac);
      GST_OBJECT_UNLOCK (self);
      if (demux && duration < 0)
        return FALSE;           /* not the bytes upstream counts */
      if (duration >= 0) {
        gst_query_set_duration (query, GST_FORMAT_TIME, duration);
        return TRUE;
      }
      break;
    case GST_QUERY_SEEKING:
      gst_query_parse_seeking (query, &format, NULL, NULL, NULL);
      if (format != GST_FORMAT_TIME)
        break;
      if (mp4) {
        gst_query_set_seeking (query, GST_FORMAT_TIME,
            upstream_seekable (self), 0, self->mp4_audio.duration);
        return TRUE;
      }
      GST_OBJECT_LOCK (self);
      index = best_index_locked (self);
      flac = best_flac_locked (self);
      ogg = demux ? best_ogg_locked (self) : NULL;
      if (ogg) {
        duration = ogg_index_duration (ogg);
        if (duration < 0)
          duration = self->mkv_duration;
      } else if (index)
        duration = seek_index_duration (index);
      else if (flac)
        duration = flac_index_duration (flac);
      GST_OBJECT_UNLOCK (self);
      if (ogg && !upstream_seekable (self)) {
        /* a live stream: nothing to seek in */
        gst_query_set_seeking (query, GST_FORMAT_TIME, FALSE, 0, -1);
        return TRUE;
      }
      if (index || flac || ogg) {
        gst_query_set_seeking (query, GST_FORMAT_TIME, TRUE, 0, duration);
        return TRUE;
      }
      break;
    default:
      break;
  }
  return gst_pad_query_default (pad, parent, query);
}

/* A stream that was played and stopped before its end: the index of what
 * streamed by is exact up to its last frame; kept, a jump inside it costs
 * one request the next time, and one beyond it reads on from its end. Not
 * for a look that only prerolled (a discoverer, a thumbnailer), nor for a
 * local file, whose whole scan takes milliseconds. */
static void
keep_partial_index (GstSeekTable * self)
{
  gboolean keep;

  GST_OBJECT_LOCK (self);
  keep = self->played && self->cache_path && self->scan_path == NULL
      && self->scanned == NULL && !self->not_mpeg
      && seek_index_ready (self->index)
      && !seek_index_complete (self->index)
      && seek_index_frames (self->index) > self->cached_frames;
  GST_OBJECT_UNLOCK (self);
  /* (the streaming thread is stopped: the index is ours alone) */
  if (keep)
    save_index (self, self->index);
}

static void
reset (GstSeekTable * self)
{
  GThread *thread;

  GST_OBJECT_LOCK (self);
  thread = g_steal_pointer (&self->scan_thread);
  GST_OBJECT_UNLOCK (self);
  if (thread)
    g_thread_join (thread);
  GST_OBJECT_LOCK (self);
  seek_index_free (self->index);
  self->index = seek_index_new ();
  self->cached_frames = 0;
  g_clear_pointer (&self->cached_partial, seek_index_free);
  self->played = FALSE;
  g_clear_pointer (&self->scanned, seek_index_free);
  flac_index_free (self->flac);
  self->flac = flac_index_new ();
  g_clear_pointer (&self->flac_scanned, flac_index_free);
  ogg_index_free (self->ogg);
  self->ogg = ogg_index_new ();
  g_clear_pointer (&self->ogg_scanned, ogg_index_free);
  ogg_reader_free (self->reader);
  self->reader = ogg_reader_new ();
  mkv_reader_free (self->mkv_reader);
  self->mkv_reader = mkv_reader_new ();
  self->mkv = FALSE;
  self->mkv_duration = -1;
  drop_held (self);
  gst_clear_mini_object ((GstMiniObject **) &self->toc);
  self->demux = DEMUX_UNDECIDED;
  mp4_forget (self);
  self->ogg_started = FALSE;
  self->quiet_seqnum = 0;
  self->probing = FALSE;
  self->ogg_flushed = FALSE;
  memset (&self->pending, 0, sizeof self->pending);
  self->n_sent = 0;
  self->upstream_seqnum = 0;
  self->not_mpeg = FALSE;
  self->not_flac = FALSE;
  self->not_ogg = FALSE;
  self->flac_mode = FALSE;
  g_clear_pointer (&self->scan_path, g_free);
  g_clear_pointer (&self->validator, g_free);
  g_clear_pointer (&self->cache_path, g_free);
  self->scan_checked = FALSE;
  self->scan_started = FALSE;
  self->whole = TRUE;
  self->in_offset = 0;
  self->timed = FALSE;
  self->awaiting_segment = FALSE;
  self->resync = FALSE;
  self->verifying = FALSE;
  self->agreed = 0;
  GST_OBJECT_UNLOCK (self);
  gst_adapter_clear (self->adapter);
}

static GstStateChangeReturn
gst_seek_table_change_state (GstElement * element, GstStateChange transition)
{
  GstSeekTable *self = GST_SEEK_TABLE (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED)
    reset (self);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_PLAYING) {
    self->played = TRUE;
    start_deferred_scan (self, FALSE);
  }
  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY) {
    keep_partial_index (self);
    reset (self);
  }
  return ret;
}

static void
gst_seek_table_finalize (GObject * object)
{
  GstSeekTable *self = GST_SEEK_TABLE (object);

  reset (self);
  seek_index_free (self->index);
  seek_index_free (self->cached_partial);
  flac_index_free (self->flac);
  ogg_index_free (self->ogg);
  ogg_reader_free (self->reader);
  mkv_reader_free (self->mkv_reader);
  gst_clear_mini_object ((GstMiniObject **) &self->toc);
  g_object_unref (self->adapter);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_seek_table_init (GstSeekTable * self)
{
  GstElementClass *klass = GST_ELEMENT_GET_CLASS (self);

  self->sinkpad = gst_pad_new_from_template
      (gst_element_class_get_pad_template (klass, "sink"), "sink");
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_seek_table_chain));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_seek_table_sink_event));
  gst_pad_set_query_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_seek_table_sink_query));
  GST_PAD_SET_PROXY_CAPS (self->sinkpad);
  GST_PAD_SET_PROXY_ALLOCATION (self->sinkpad);
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->srcpad = gst_pad_new_from_template
      (gst_element_class_get_pad_template (klass, "src"), "src");
  gst_pad_set_event_function (self->srcpad,
      GST_DEBUG_FUNCPTR (gst_seek_table_src_event));
  gst_pad_set_query_function (self->srcpad,
      GST_DEBUG_FUNCPTR (gst_seek_table_src_query));
  GST_PAD_SET_PROXY_CAPS (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  self->adapter = gst_adapter_new ();
  self->index = seek_index_new ();
  self->flac = flac_index_new ();
  self->ogg = ogg_index_new ();
  self->reader = ogg_reader_new ();
  self->mkv_reader = mkv_reader_new ();
  self->mkv_duration = -1;
}

static void
gst_seek_table_class_init (GstSeekTableClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_seek_table_debug, "seektable", 0,
      "exact seek index of compressed audio");
  gobject_class->finalize = gst_seek_table_finalize;
  element_class->change_state = gst_seek_table_change_state;
  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Seek table",
      "Codec/Demuxer/Audio",
      "Exact, one-request seeks in compressed audio, right after the source",
      "gst-chapters developers");
}

/* The autoplugged factories: the same element, under the klass and caps
 * decodebin and parsebin look for. "seektableparse" is a Codec/Parser for
 * the audio streams it serves, ranked above the stock parsers (decodebin
 * sorts Codec/Parser factories first, then by rank, and never plugs a
 * Parser twice in one chain); "seektableid3" a Codec/Demuxer for ID3-tagged
 * streams, ranked above id3demux, which it passes through to. */

GType gst_seek_table_parse_get_type (void);
GType gst_seek_table_id3_get_type (void);

typedef GstSeekTable GstSeekTableParse;
typedef GstSeekTableClass GstSeekTableParseClass;
typedef GstSeekTable GstSeekTableId3;
typedef GstSeekTableClass GstSeekTableId3Class;

G_DEFINE_TYPE (GstSeekTableParse, gst_seek_table_parse, GST_TYPE_SEEK_TABLE);
G_DEFINE_TYPE (GstSeekTableId3, gst_seek_table_id3, GST_TYPE_SEEK_TABLE);

static GstStaticPadTemplate parse_sink_template =
GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("audio/mpeg, mpegversion = (int) 1, layer = (int) 3; "
        "audio/x-flac; audio/ogg; audio/x-m4a; audio/x-matroska; "
        "audio/webm"));
static GstStaticPadTemplate id3_sink_template =
GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("application/x-id3"));

gboolean
gst_seek_table_autoplugged (GstSeekTable * self)
{
  return G_OBJECT_TYPE (self) != GST_TYPE_SEEK_TABLE;
}

static void
gst_seek_table_parse_init (GstSeekTableParse * self)
{
}

static void
gst_seek_table_parse_class_init (GstSeekTableParseClass * klass)
{
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gst_element_class_add_static_pad_template (element_class,
      &parse_sink_template);
  gst_element_class_set_static_metadata (element_class,
      "Seek table (autoplugged)", "Codec/Parser/Audio",
      "The seek table, plugged by decodebin: exact seeks and a TOC",
      "gst-chapters developers");
}

static void
gst_seek_table_id3_init (GstSeekTableId3 * self)
{
}

static void
gst_seek_table_id3_class_init (GstSeekTableId3Class * klass)
{
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gst_element_class_add_static_pad_template (element_class,
      &id3_sink_template);
  gst_element_class_set_static_metadata (element_class,
      "Seek table (autoplugged, ID3)", "Codec/Demuxer/Audio",
      "The seek table, plugged by decodebin before id3demux: exact seeks "
      "and a TOC", "gst-chapters developers");
}

GST_ELEMENT_REGISTER_DEFINE (seektableparse, "seektableparse",
    GST_RANK_PRIMARY + 3, gst_seek_table_parse_get_type ());
GST_ELEMENT_REGISTER_DEFINE (seektableid3, "seektableid3",
    GST_RANK_PRIMARY + 1, gst_seek_table_id3_get_type ());
