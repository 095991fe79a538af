/* gst-chapters: an exact index of an MPEG audio (Layer III) stream: which
 * byte each frame starts at, with the encoder delay and padding that a
 * gapless decode honours. Pipeline-free. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint version;                /* 10 = MPEG-1, 20 = MPEG-2, 25 = MPEG-2.5 */
  guint layer;
  guint bitrate;                /* bits per second */
  guint rate;
  guint channels;
  guint padding;
  guint size;                   /* bytes in the frame, header included */
  guint samples;                /* per frame */
} MpegFrame;

/* Parses the 4-byte header at @p. */
gboolean mpeg_frame_parse (const guint8 * p, MpegFrame * frame);

/* The stream's Xing/Info/VBRI frame and LAME tag, when present. */
typedef struct
{
  gboolean present;             /* the first frame is an info frame */
  gboolean cbr;                 /* "Info" (LAME's CBR marker) */
  guint64 frames;               /* audio frames, 0 when unknown */
  guint64 bytes;
  guint delay;                  /* encoder delay, samples */
  guint padding;                /* encoder padding, samples */
  guint tag_at;                 /* the LAME tag's encoder string, bytes
                                 * from the frame's start; 0: no tag */
} MpegInfo;

/* How far past damage (junk, a cut frame) the stream is looked for again,
 * and how many chained frames say it is found: a bound on the work, and
 * the chain mpegaudioparse asks for before it trusts a resync. ID3v2 tags
 * inside the stream (ad stitching puts whole ones mid-file) are passed by
 * their length, whatever it is. */
#define SEEK_INDEX_RESYNC_WINDOW (64 * 1024)
#define MPEG_RESYNC_FRAMES 3

typedef enum
{
  MPEG_RESYNC_FOUND,            /* the stream goes on at *at */
  MPEG_RESYNC_MORE,             /* @data ends before it can tell */
  MPEG_RESYNC_END,              /* no frame up to the end of the file */
  MPEG_RESYNC_LOST              /* none within SEEK_INDEX_RESYNC_WINDOW */
} MpegResync;

/* Where the stream of @format goes on at or after @from in @data: past an
 * ID3v2 tag, or at the first of MPEG_RESYNC_FRAMES chained frames (fewer
 * where the chain ends at the end of the file, when @data runs to it:
 * @at_end). *@at may lie past @size (a tag longer than what came). */
MpegResync mpeg_resync (const MpegFrame * format, const guint8 * data,
    gsize size, gsize from, gboolean at_end, gsize * at);

gboolean mpeg_info_parse (const guint8 * frame, gsize size,
    const MpegFrame * header, MpegInfo * info);

typedef struct _SeekIndex SeekIndex;

/* Index points are kept every SEEK_INDEX_STRIDE frames: a 10-hour episode
 * at 44.1 kHz takes about 340 KiB. */
#define SEEK_INDEX_STRIDE 32

SeekIndex *seek_index_new (void);
void seek_index_free (SeekIndex * index);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SeekIndex, seek_index_free);

/* Feeds stream bytes starting at file @offset. Bytes must come in order
 * from the start of the stream (or from a point the index knows, see
 * seek_index_restart_at). Returns FALSE once the data is not MPEG audio. */
gboolean seek_index_feed (SeekIndex * index, guint64 offset,
    const guint8 * data, gsize size);
/* Continue feeding at a known frame (after a seek): at once when it is
 * the end of what the index knows, else when the stream from @offset
 * reaches that end. */
void seek_index_restart_at (SeekIndex * index, guint64 frame,
    guint64 offset);
/* The whole file is known: the frame count is final (unless the index
 * lost the stream at damage, seek_index_lost()). */
void seek_index_set_complete (SeekIndex * index);
/* The stream ends at byte @size: a last frame it cuts short (a download
 * cut off) is not counted, as a scan leaves it out. */
void seek_index_cut_at (SeekIndex * index, guint64 size);
/* Breaks in the frame chain passed so far (junk, a cut frame, an ID3v2
 * tag inside the stream), each found again within a bounded window. */
guint seek_index_damages (const SeekIndex * index);
/* Damage with no stream found after it: the index ends there, and the
 * frames after it (if any) are not counted. */
gboolean seek_index_lost (const SeekIndex * index);

/* Scans a whole file in memory. */
SeekIndex *seek_index_scan (const guint8 * data, gsize size);

gboolean seek_index_ready (const SeekIndex * index);
gboolean seek_index_complete (const SeekIndex * index);
const MpegFrame *seek_index_format (const SeekIndex * index);
const MpegInfo *seek_index_info (const SeekIndex * index);
/* Audio frames known so far, and the byte after the last one. */
guint64 seek_index_frames (const SeekIndex * index);
guint64 seek_index_end_offset (const SeekIndex * index);
/* Byte offset of the first audio frame (after tags and the info frame). */
guint64 seek_index_first_offset (const SeekIndex * index);

/* File offset of the LAME tag's encoder string ("LAME3.100", or ffmpeg's
 * "Lavc59.37"); 0 when the stream has none. */
guint64 seek_index_lame_tag_offset (const SeekIndex * index);

/* Decoder output samples to skip at the start of a gapless decode. */
guint seek_index_skip (const SeekIndex * index);

/* The indexed frame at or before @frame: its number and byte offset.
 * FALSE when the index does not reach @frame; then the furthest indexed
 * frame is returned. */
gboolean seek_index_lookup (const SeekIndex * index, guint64 frame,
    guint64 * found_frame, guint64 * offset);

/* What the bytes a jump landed on say of the index that planned it. */
typedef enum
{
  SEEK_LANDING_MORE,            /* more bytes are needed to tell */
  SEEK_LANDING_GOOD,            /* the frames from the landing reach the
                                 * next index point (or the index's end)
                                 * at the byte the index says */
  SEEK_LANDING_BAD              /* no frame where the index says, or the
                                 * frames from it miss the next point */
} SeekLanding;

/* Checks @data, the stream from file @offset on, where the index puts
 * frame @frame (one of its points): a frame header there, and the frames
 * from it (past damage and tags as the index passes them) reaching the
 * next point, or the end of what the index knows, at its byte. @at_end:
 * @data runs to the end of the file. A landing beyond the index is GOOD:
 * there is nothing to check it against. */
SeekLanding seek_index_check_landing (const SeekIndex * index, guint64 frame,
    guint64 offset, const guint8 * data, gsize size, gboolean at_end);

/* Whether @other (an index from the cache or a scan) says what @streamed
 * (built from the bytes that streamed by) says, for the points both
 * hold; *@checked counts the points compared so far, to go on from. */
gboolean seek_index_agrees (const SeekIndex * streamed,
    const SeekIndex * other, guint * checked);

/* Exact duration in ns (complete index, or from the info frame). */
gint64 seek_index_duration (const SeekIndex * index);
/* The same in samples of a gapless decode; -1 when unknown. */
gint64 seek_index_samples (const SeekIndex * index);

/* The first decoded sample of audio frame @frame, counted in samples of a
 * gapless decode. Negative for frames in the encoder delay. */
gint64 seek_index_frame_sample (const SeekIndex * index, guint64 frame);
/* The frame whose output holds the sample at stream time @ns. */
guint64 seek_index_frame_at (const SeekIndex * index, gint64 ns);

/* A complete index on disk, under $XDG_CACHE_HOME/gst-chapters/seek-index,
 * named by a hash of @key (URI, size and validator: ETag, Last-Modified or
 * mtime). Loading checks the format and refuses anything inconsistent. */
gchar *seek_index_cache_path (const gchar * key);
/* The cache key of the local file @path (URI @uri): the URI, the size and
 * what changes with the content: mtime and ctime (to the nanosecond) and
 * the inode. A copy made to look the same (same size, `touch -r`) has
 * another ctime. NULL when @path cannot be stat()ed. */
gchar *seek_index_file_key (const gchar * uri, const gchar * path);
/* Saves a complete index, or a partial one (exact up to its last frame,
 * and loaded to go on from there). */
gboolean seek_index_save (const SeekIndex * index, const gchar * path,
    GError ** error);
SeekIndex *seek_index_load (const gchar * path, GError ** error);

/* A loaded index is bound to its media by a fingerprint (a hash of the
 * first bytes of audio): the bytes that stream by are checked against it
 * (seek_index_feed does, seek_index_check for an index not fed). Until they
 * have been, the index is not trusted; when they differ (the content
 * changed under the same cache key, or the file is another's), it is a
 * mismatch. An index built from the stream is trusted. */
void seek_index_check (SeekIndex * index, guint64 offset,
    const guint8 * data, gsize size);
gboolean seek_index_trusted (const SeekIndex * index);
gboolean seek_index_mismatch (const SeekIndex * index);

/* How many indexes the cache keeps (some 40 KiB for an hour of VBR). */
#define SEEK_INDEX_CACHE_FILES 500

/* Keeps the @keep indexes in @dir used last (saved or loaded), removes the
 * rest. Every save prunes its directory. */
void seek_index_cache_prune (const gchar * dir, guint keep);

/* Memory held, for the benchmark. */
gsize seek_index_memory (const SeekIndex * index);

G_END_DECLS
