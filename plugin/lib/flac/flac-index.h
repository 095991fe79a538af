/* gst-chapters: an exact seek index of a FLAC stream. Every FLAC frame
 * header carries the number of its first sample, so each header found is
 * an exact (sample, byte) point wherever it was found: in a scan of the
 * whole file, in the bytes that streamed by, after a seek. The stream's
 * own SEEKTABLE block adds points its encoder claims (trusted only as far
 * as where to read: the element checks every landing in the headers).
 * Pipeline-free. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* From the STREAMINFO block. */
typedef struct
{
  guint min_block, max_block;   /* samples per frame */
  guint min_frame, max_frame;   /* bytes, 0 = unknown */
  guint rate;
  guint channels;
  guint bits;
  guint64 total_samples;        /* 0 = unknown */
  guint64 first_offset;         /* byte of the first frame */
} FlacInfo;

typedef struct
{
  guint64 sample;               /* the frame's first sample */
  guint block;                  /* samples in it */
  guint header_size;
} FlacFrame;

/* Parses the stream head ("fLaC", after an optional ID3v2 tag, and the
 * metadata blocks). 1: done, 0: not FLAC, -1: more bytes needed. */
gint flac_info_parse (const guint8 * data, gsize size, FlacInfo * info);

/* Checks and parses the frame header at @p (sync code, reserved bits, the
 * stream's rate/channels/bits, CRC-8). 1: a header, 0: none, -1: more
 * bytes needed to tell. */
gint flac_frame_parse (const guint8 * p, gsize avail, const FlacInfo * info,
    FlacFrame * frame);

typedef struct _FlacIndex FlacIndex;

/* Known points are kept no closer than this many samples apart: a 10-hour
 * 44.1 kHz episode takes about 280 KiB. */
#define FLAC_INDEX_SPACING_S 2

FlacIndex *flac_index_new (void);
void flac_index_free (FlacIndex * index);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlacIndex, flac_index_free);

/* Feeds stream bytes starting at file @offset; any order, any gaps (a gap
 * only resets the frame sync). Returns FALSE once the data is not FLAC. */
gboolean flac_index_feed (FlacIndex * index, guint64 offset,
    const guint8 * data, gsize size);

/* Scans a whole file in memory. NULL when it is not FLAC. */
FlacIndex *flac_index_scan (const guint8 * data, gsize size);

/* The stream head has been seen. */
gboolean flac_index_ready (const FlacIndex * index);
const FlacInfo *flac_index_info (const FlacIndex * index);
/* The whole file was scanned: every frame is known. */
gboolean flac_index_complete (const FlacIndex * index);
/* Size of the file when known (for interpolation), 0 otherwise. */
void flac_index_set_file_size (FlacIndex * index, guint64 size);

/* Records an exact point. */
void flac_index_add (FlacIndex * index, guint64 sample, guint64 offset);

/* The known frame start at or before @sample (@lo) and the next known one
 * after it (@hi; the end of the file when none is known). */
void flac_index_bracket (const FlacIndex * index, guint64 sample,
    guint64 * lo_sample, guint64 * lo_offset, guint64 * hi_sample,
    guint64 * hi_offset);

/* Where to read from to get the frame holding @sample: exactly the point
 * at or before it when that is close (TRUE), otherwise an estimate a
 * little before it, interpolated between the known points around it
 * (FALSE: the landing must be checked). */
gboolean flac_index_locate (const FlacIndex * index, guint64 sample,
    guint64 * offset);

/* Exact duration in ns (from STREAMINFO), -1 when unknown. */
gint64 flac_index_duration (const FlacIndex * index);
guint flac_index_points (const FlacIndex * index);
gsize flac_index_memory (const FlacIndex * index);

G_END_DECLS
