/* gst-chapters: the seek table's inside, shared by the element
 * (gstseektable.c: pads, events, queries, scan and cache), the seek
 * protocol written once (seek-protocol.c: plan, BYTES seek, seqnum match,
 * late answers, re-plan) and one backend per container behind one table
 * of functions (seek-mpeg.c, seek-flac.c, seek-ogg.c for Ogg and the
 * Matroska reader in seek-matroska.c, seek-mp4.c). The byte-level
 * knowledge of each container (its index, reader, landing judge) is in
 * its folder of the chapter library, plugin/lib/<container>/. */
#pragma once

#include "gstseektable.h"

#include <gst/base/gstadapter.h>

#include "seek-index.h"
#include "flac-index.h"
#include "ogg-index.h"
#include "mkv-audio.h"
#include "mp4-track.h"
#include "chapter-list.h"

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (gst_seek_table_debug);
#define GST_CAT_DEFAULT gst_seek_table_debug

/* Landings after the target before a seek reads from the first frame
 * instead. */
#define MAX_RETRIES 6

/* SeekPlan.point_granule of a plan that reads from an estimated byte */
#define PLAN_ANY_BYTE G_MAXUINT64

/* SeekPlan.first_wanted of an MP3 plan made with no index: from the
 * segment's start, once the stream's head made one */
#define FIRST_FROM_SEGMENT G_MAXUINT64

typedef struct _SeekBackend SeekBackend;

/* What the BYTES seek we wait on is for. */
typedef enum
{
  PLAN_LANDING,                 /* a jump's landing: the backend's frames */
  PLAN_OGG_END,                 /* Ogg: a look at the end for the duration */
  PLAN_MP4_MOOV,                /* MP4: the movie box after the media data */
} PlanKind;

typedef struct
{
  const SeekBackend *backend;   /* whose plan */
  PlanKind kind;
  GstSegment segment;
  guint64 frame;                /* where it reads from, in the backend's
                                 * unit (MPEG, MP4: a frame; else a byte) */
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

/* Whether the element takes the stream apart (Ogg, Matroska, MP4), told
 * by the stream's first bytes, held until then. */
typedef enum
{
  DEMUX_UNDECIDED,              /* at byte 0: the first bytes tell */
  DEMUX_NO,                     /* bytes through, to the stock parsers */
  DEMUX_OURS,                   /* the backend takes it apart */
} DemuxState;

/* Where a jump we serve stands, in the streaming thread. */
typedef enum
{
  LANDING_NONE,                 /* no jump served: the bytes pass through,
                                 * or, taken apart, go out as they come */
  LANDING_VERIFY,               /* MPEG: the landing is checked against the
                                 * index before a frame is labelled */
  LANDING_RESYNC,               /* MPEG: a CBR estimate, the frame number
                                 * found from the data */
  LANDING_SEARCH,               /* FLAC: a frame header wanted; Ogg,
                                 * Matroska: the packet the decoder needs */
  LANDING_HEADER,               /* FLAC: a header found, to be confirmed by
                                 * the next one */
  LANDING_LANDED,               /* on from the landing, timed */
} Landing;

/* How a backend answered a DURATION or SEEKING query in time. */
typedef enum
{
  QUERY_NOT_MINE,               /* the next backend, or upstream */
  QUERY_ANSWERED,
  QUERY_REFUSED,                /* answered FALSE: upstream's answer would be
                                 * in its bytes, not ours */
} QueryAnswer;

/* The reader of a container whose audio packets the element cuts out and
 * times itself, in place of its demuxer (Ogg; Matroska, served as Ogg
 * Vorbis): what seek-ogg.c asks of it. */
typedef struct
{
  const gchar *name;
  const OggAudioInfo *(*info) (GstSeekTable * self);
  guint (*n_headers) (GstSeekTable * self);
  const guint8 *(*header) (GstSeekTable * self, guint i, gsize * size);
  /* the next bytes come from @offset; a cluster whose first packet ends at
   * @granule (-1 unknown) */
  void (*discont) (GstSeekTable * self, guint64 offset, gint64 granule);
  /* 0: not a stream of ours (*@error says why), else as ogg_reader_feed */
  gint (*feed) (GstSeekTable * self, guint64 offset, const guint8 * data,
      gsize size, OggPacketFunc func, gchar ** error);
  /* where a seek reads from to decode from granule @want, under the object
   * lock (@far_back: from a known point, not an estimate): *@granule the
   * point's, PLAN_ANY_BYTE an estimated byte. TRUE: a known point. */
  gboolean (*read_from_locked) (GstSeekTable * self, OggIndex * index,
      guint64 want, gboolean far_back, guint64 * offset, guint64 * granule);
  /* the stream is ours: what the container adds to the tags, and its own
   * TOC (or NULL) */
  GstToc *(*start) (GstSeekTable * self, GstTagList ** tags);
  /* each packet before it is timed: FALSE stops the reader (the landing
   * under way reads again elsewhere) */
  gboolean (*packet) (GstSeekTable * self, const OggPacket * packet);
  /* the end of the stream */
  void (*end) (GstSeekTable * self);
  gboolean probes_end;          /* streamed, the duration is in the last
                                 * page: read it first, as oggdemux does */
  /* the index of a whole local file */
  OggIndex *(*scan) (const guint8 * data, gsize size);
} SeekPacketReader;

/* A container's seek backend. Each function gets the element; the plan,
 * the landing state and the adapter are the protocol's, the rest of the
 * state its own. */
struct _SeekBackend
{
  const gchar *name;
  /* Ogg, Matroska: the reader the packet path asks */
  const SeekPacketReader *packets;
  /* @bytes, the whole local file @path, of its container: the index
   * built from them, kept as the scanned one (in the scan thread) */
  void (*scan) (GstSeekTable * self, const gchar * path,
      const guint8 * bytes, gsize size);
  /* the bytes that stream by, for the streamed index (object lock held) */
  void (*feed_locked) (GstSeekTable * self, guint64 offset,
      const guint8 * data, gsize size);
  /* its row in the container table (chapter_container_sniff_media) */
  const gchar *container;
  /* it takes the stream apart in place of the stock demuxer: from byte 0,
   * the stream is held until its chain decides */
  gboolean takes_apart;
  /* the bytes of a stream it takes apart, or of a landing it serves */
  GstFlowReturn (*chain) (GstSeekTable * self, guint64 offset,
      GstBuffer * buf);
  /* a flushing TIME segment wanted: FALSE, not one it can serve */
  gboolean (*seek) (GstSeekTable * self, const GstSegment * segment,
      guint32 seqnum, GstSeekFlags flags);
  /* the answer to its plan's BYTES seek, from byte @start (object lock
   * held): the landing taken on */
  void (*answer_locked) (GstSeekTable * self, guint64 start);
  /* an answer from later than asked, the second time: the plan made
   * again, from byte 0; NULL: the bytes are taken where they are */
  void (*late_answer_locked) (GstSeekTable * self);
  /* a BYTES segment that is no answer of ours, in a stream it takes
   * apart: TRUE when dropped */
  gboolean (*foreign_segment) (GstSeekTable * self,
      const GstSegment * segment);
  void (*flush) (GstSeekTable * self);
  /* the end of the stream, for a landing it serves or a stream it takes
   * apart: FALSE, the end is dropped (the stream goes on elsewhere) */
  gboolean (*eos) (GstSeekTable * self);
  /* DURATION and SEEKING in TIME */
  QueryAnswer (*query) (GstSeekTable * self, GstQuery * query);
  /* back to a new stream (object lock held) */
  void (*reset_locked) (GstSeekTable * self);
  /* an index of the stream at @uri kept before (the cache path is the
   * stream's from now on): TRUE when it is whole, and no scan is needed */
  gboolean (*load_cached) (GstSeekTable * self, const gchar * uri);
  /* a buffer passed through to the stock parser, from byte @offset:
   * returned (taken), made what the parser needs */
  GstBuffer *(*pass) (GstSeekTable * self, guint64 offset, GstBuffer * buf);
  /* the end of the stream, once it goes downstream */
  void (*stream_end) (GstSeekTable * self);
  /* the stream stopped (going to READY), the streaming thread with it */
  void (*stopped) (GstSeekTable * self);
  /* once, at init */
  void (*init) (GstSeekTable * self);
  void (*finalize) (GstSeekTable * self);
};

extern const SeekBackend seek_backend_mpeg;
extern const SeekBackend seek_backend_flac;
extern const SeekBackend seek_backend_ogg;
extern const SeekBackend seek_backend_matroska;
extern const SeekBackend seek_backend_mp4;

struct _GstSeekTable
{
  GstElement parent;

  GstPad *sinkpad;
  GstPad *srcpad;

  /* the backend that takes the stream apart, or that serves the jump
   * under way (NULL: neither yet) */
  const SeekBackend *backend;

  /* under the object lock */
  GThread *scan_thread;
  gchar *scan_path;
  gboolean scan_checked;
  gboolean scan_started;        /* a deferred scan was started */
  gchar *validator;             /* ETag / Last-Modified from souphttpsrc */
  gboolean ranges_unsure;       /* the server's last answer neither said
                                 * it serves byte ranges nor was one */
  gchar *cache_path;            /* where this stream's index is kept */
  gboolean whole;               /* streamed from byte 0 without a seek */
  gboolean played;              /* reached PLAYING (not only a preroll) */
  gboolean replayed;            /* the start was read again, once */

  /* MPEG audio (seek-mpeg.c), under the object lock */
  SeekIndex *index;             /* from the bytes that streamed by */
  SeekIndex *scanned;           /* from a scan of the whole local file */
  gboolean not_mpeg;            /* the streamed bytes are not MPEG audio */
  guint64 cached_frames;        /* frames of the partial index loaded */
  SeekIndex *cached_partial;    /* from the cache, not yet checked */
  guint agreed;                 /* index points of the cache or scan found
                                 * the same in the stream */
  guint64 bad_offset, bad_frame;        /* a landing that did not match */

  /* FLAC (seek-flac.c), under the object lock */
  FlacIndex *flac;              /* from the bytes that streamed by */
  FlacIndex *flac_scanned;
  gboolean not_flac;

  /* Ogg and Matroska (seek-ogg.c, seek-matroska.c), under the object lock */
  OggIndex *ogg;                /* from the bytes that streamed by (Ogg),
                                 * from the clusters read (Matroska) */
  OggIndex *ogg_scanned;
  gboolean not_ogg;
  gint64 mkv_duration;          /* as the file says (ms) */

  /* streaming state, under the stream lock (and the object lock where the
   * seek handler sets it up) */
  guint64 in_offset;            /* file offset of the next input byte */
  gint64 offset_shift;          /* where the bytes are, less where the
                                 * source says they are (a server that
                                 * answers a range from another byte) */
  guint64 skip_until;           /* bytes before this one are not wanted */
  Landing landing;              /* the jump we serve */
  gboolean awaiting_segment;    /* our BYTES seek's segment is to come */
  GstAdapter *adapter;
  guint64 adapter_offset;       /* file offset of the adapter's first byte */
  GstSegment segment;
  gboolean need_segment;
  gboolean discont;
  guint32 seqnum;
  guint64 target_sample;
  guint retries;
  gboolean landing_behind;      /* this read of a landing went through the
                                 * stream before the target: one past it
                                 * from there is past a gap (damage), not
                                 * a plan gone wrong */
  DemuxState demux;
  GList *held;                  /* buffers and events, while undecided */
  guint32 upstream_seqnum;      /* of upstream's first segment */
  GstToc *toc;                  /* autoplugged: the stream's chapters, to go
                                 * out after the first segment */
  GstTagList *end_tags;         /* autoplugged in front of id3demux: the
                                 * local file's ID3v1 tag, likewise */

  /* MPEG landing */
  guint64 out_frame;            /* frame number at the adapter's start */
  guint64 first_wanted;

  /* FLAC landing: the frame header at the adapter's start */
  FlacFrame first;
  gsize search_from;

  /* Ogg and Matroska, taken apart (streaming thread) */
  OggReader *reader;
  MkvReader *mkv_reader;
  gboolean ogg_started;         /* caps, tags, headers are out */
  guint32 quiet_seqnum;         /* our seek whose flush stays upstream */
  gboolean probing;             /* reading the end of the file */
  gboolean ogg_flushed;         /* a flush took the segment downstream */
  GstFlowReturn ogg_ret;

  /* MP4 (M4A/AAC): the movie read, then its samples cut from the bytes */
  GByteArray *mp4_head;         /* boxes read so far, from mp4_head_offset */
  guint64 mp4_head_offset;
  gboolean mp4_ready;           /* its movie box is read */
  Mp4Audio mp4_audio;
  GstCaps *mp4_caps;            /* its collection is to go out with the
                                 * first frame, of these caps */
  guint mp4_next;               /* the next sample to push */
  gboolean early_decoder;       /* the decoder labels a frame early (faad),
                                 * looked at when a segment goes out */

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
  gint retries_due;             /* retry_seek calls queued or under way
                                 * (atomic); signalled on retry_cond */
  GCond retry_cond;             /* (with the object lock) */
  guint64 skew_asked, skew_answered;
  guint plans;                  /* how many plans were made: a newer one
                                 * supersedes what an older seek left */
};

/* seek-protocol.c: one protocol for every backend */
gboolean seek_table_past_gap (GstSeekTable * self);
guint64 seek_table_retry_want (GstSeekTable * self, guint64 want, guint rate);
void seek_table_plan_locked (GstSeekTable * self, const SeekBackend * backend,
    PlanKind kind, const GstSegment * segment, guint64 frame, guint64 target,
    guint32 seqnum);
gboolean seek_table_newer_plan_locked (GstSeekTable * self);
void seek_table_take_plan_locked (GstSeekTable * self, guint64 start);
gboolean seek_table_send_bytes_seek (GstSeekTable * self, GstSeekFlags flags,
    guint64 offset, guint32 seqnum, gboolean wait);
void seek_table_retry_async (GstSeekTable * self, guint plan);
void seek_table_await_retry (GstSeekTable * self);
void seek_table_wake_waiters (GstSeekTable * self);
gboolean seek_table_answer_from_locked (GstSeekTable * self, guint64 asked,
    guint64 * start);
gboolean seek_table_overtaken_locked (GstSeekTable * self, guint32 seqnum,
    guint64 start);
gboolean seek_table_quiet_flush (GstSeekTable * self, GstEvent * event);
void seek_table_push_segment (GstSeekTable * self, guint32 seqnum);
void seek_table_push_collection (GstSeekTable * self, GstCaps * caps);
gchar *seek_table_upstream_uri (GstSeekTable * self);
gint64 seek_table_upstream_size (GstSeekTable * self);
gboolean seek_table_upstream_seekable (GstSeekTable * self);
void seek_table_forward_sticky (GstSeekTable * self, GstEventType type);
QueryAnswer seek_table_answer_query (GstQuery * query, gboolean indexed,
    gint64 duration, gboolean whole);

/* gstseektable.c: the element's side */
GstFlowReturn seek_table_release_held (GstSeekTable * self);
void seek_table_drop_held (GstSeekTable * self);
void seek_table_push_toc (GstSeekTable * self);
void seek_table_keep_chapters (GstSeekTable * self, ChapterList * list);

/* seek-ogg.c: the packet path, shared by Ogg and Matroska */
GstFlowReturn seek_packets_chain (GstSeekTable * self, guint64 offset,
    GstBuffer * buf);
gboolean seek_packets_seek (GstSeekTable * self, const GstSegment * segment,
    guint32 seqnum, GstSeekFlags flags);
void seek_packets_answer_locked (GstSeekTable * self, guint64 start);
gboolean seek_packets_foreign_segment (GstSeekTable * self,
    const GstSegment * segment);
void seek_packets_flush (GstSeekTable * self);
gboolean seek_packets_eos (GstSeekTable * self);
QueryAnswer seek_packets_query (GstSeekTable * self, GstQuery * query);
void seek_packets_reset_locked (GstSeekTable * self);
OggIndex *seek_packets_index_locked (GstSeekTable * self);
void seek_packets_scan (GstSeekTable * self, const SeekPacketReader * reader,
    const gchar * path, const guint8 * bytes, gsize size);
guint64 seek_packets_preroll (const OggAudioInfo * info);
gboolean seek_packets_overshoot (GstSeekTable * self,
    const OggPacket * packet);
void seek_packets_read_again_unlock (GstSeekTable * self, guint64 offset,
    guint64 granule);

G_END_DECLS
