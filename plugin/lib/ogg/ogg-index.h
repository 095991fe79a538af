/* gst-chapters: an exact seek index of an Ogg Opus or Ogg Vorbis stream,
 * and a reader that takes the stream apart into timed packets.
 *
 * Every Ogg page that ends a packet carries a granule position: the
 * number of samples decoded by the end of that packet (Opus: at 48 kHz,
 * pre-skip included). So every page header met is an exact point: audio
 * from that granule on can be decoded from the page that follows. Points
 * come from a scan of the whole file, from the bytes that streamed by,
 * and from each landing after a seek. Only streams of one logical audio
 * stream are ours; anything multiplexed or chained is left to oggdemux.
 * Pipeline-free. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  OGG_AUDIO_NONE,
  OGG_AUDIO_OPUS,
  OGG_AUDIO_VORBIS,
} OggAudioCodec;

typedef struct
{
  OggAudioCodec codec;
  guint32 serial;
  guint rate;                   /* granules per second (Opus: 48000) */
  guint channels;
  guint pre_skip;               /* granules before the first sample */
  guint max_block;              /* Vorbis: the long block size */
  guint64 first_page;           /* byte of the first page after the headers */
} OggAudioInfo;

/* Reads the identification header (the first packet of the stream). */
gboolean ogg_audio_info_parse (const guint8 * packet, gsize size,
    OggAudioInfo * info);

/* One page header: 1 parsed, 0 not a page, -1 more bytes needed. */
typedef struct
{
  guint8 flags;                 /* 1 continued, 2 first (BOS), 4 last (EOS) */
  gint64 granule;               /* -1: no packet ends on this page */
  guint32 serial;
  guint32 size;                 /* header and body */
} OggPageHeader;

#define OGG_PAGE_MAX (27 + 255 + 255 * 255)

gint ogg_page_header_parse (const guint8 * p, gsize avail,
    OggPageHeader * page);

typedef struct _OggIndex OggIndex;

/* Points are kept no closer than this apart: a 10-hour episode takes some
 * 280 KiB. */
#define OGG_INDEX_SPACING_S 1

OggIndex *ogg_index_new (void);
void ogg_index_free (OggIndex * index);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OggIndex, ogg_index_free);

/* Feeds stream bytes starting at file @offset; any order, any gaps (a gap
 * only loses the page sync, found again by a checked page). FALSE once the
 * stream is not one we index. */
gboolean ogg_index_feed (OggIndex * index, guint64 offset,
    const guint8 * data, gsize size);

/* Scans a whole file in memory; NULL when it is not one we index. */
OggIndex *ogg_index_scan (const guint8 * data, gsize size);

gboolean ogg_index_ready (const OggIndex * index);
const OggAudioInfo *ogg_index_info (const OggIndex * index);
gboolean ogg_index_complete (const OggIndex * index);
void ogg_index_set_file_size (OggIndex * index, guint64 size);

/* An index whose points come from elsewhere (Matroska): ready with @info,
 * fed no bytes. */
void ogg_index_set_info (OggIndex * index, const OggAudioInfo * info);
/* The stream ends at @granule; @complete: every point is known. */
void ogg_index_set_end (OggIndex * index, guint64 granule, gboolean complete);

/* Where the end is thought to be (a container's stated duration), for
 * estimates only, until the end is known. */
void ogg_index_set_end_estimate (OggIndex * index, guint64 granule);

/* Records an exact point: audio from @granule on decodes from the page at
 * @offset. */
void ogg_index_add (OggIndex * index, guint64 granule, guint64 offset);

/* Where to read from to decode from @granule: see point_table_locate(). */
gboolean ogg_index_locate (const OggIndex * index, guint64 granule,
    guint64 * offset);

/* The known point at or before @granule (the first page when none). */
void ogg_index_known_point (const OggIndex * index, guint64 granule,
    guint64 * point_granule, guint64 * offset);

/* The end of the file was read: the highest granule seen is the last. */
void ogg_index_mark_end (OggIndex * index);

/* The last granule of the stream when known (its last page), -1 if not. */
gint64 ogg_index_last_granule (const OggIndex * index);
/* Duration in ns when the end is known, -1 otherwise. */
gint64 ogg_index_duration (const OggIndex * index);
guint ogg_index_points (const OggIndex * index);
gsize ogg_index_memory (const OggIndex * index);

/* The reader: bytes in, packets out, each with the granules it spans. */
typedef struct
{
  const guint8 *data;
  gsize size;
  gboolean header;              /* one of the stream's header packets */
  gint64 start;                 /* granule of its first sample; -1 unknown
                                 * (Vorbis: the first packet after a gap,
                                 * which decodes to no samples) */
  gint64 end;                   /* granule after its last sample */
  guint64 clip_end;             /* granules past the end of the stream */
  guint64 page_offset;          /* byte of the page it ends on (Matroska:
                                 * of its cluster) */
  gboolean cluster_start;       /* Matroska: its cluster's first packet */
} OggPacket;

/* Returns FALSE to stop (an error downstream). */
typedef gboolean (*OggPacketFunc) (const OggPacket * packet,
    gpointer user_data);

typedef struct _OggReader OggReader;

OggReader *ogg_reader_new (void);
void ogg_reader_free (OggReader * reader);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OggReader, ogg_reader_free);

/* Feeds the bytes at file @offset (contiguous with the last feed, or the
 * start after ogg_reader_discont()). Until the headers are read, packets
 * are held; then every packet goes to @func as its page completes it.
 * Returns 1, 0 when the stream is not one we read (@error says why), or
 * -1 when @func asked to stop. */
gint ogg_reader_feed (OggReader * reader, guint64 offset,
    const guint8 * data, gsize size, OggPacketFunc func, gpointer user_data,
    gchar ** error);

/* The identification and other header packets have all been read. */
gboolean ogg_reader_ready (const OggReader * reader);
const OggAudioInfo *ogg_reader_info (const OggReader * reader);
/* The header packets, in order (Opus 2, Vorbis 3). */
guint ogg_reader_n_headers (const OggReader * reader);
const guint8 *ogg_reader_header (const OggReader * reader, guint i,
    gsize * size);

/* The next bytes come from @offset, after a seek: no packet carries over. */
void ogg_reader_discont (OggReader * reader, guint64 offset);

/* Damage the reader stepped over since last asked (what and where: pages
 * that failed their checksum or are missing), or NULL. The granules after
 * it are counted from the next page's. */
gchar *ogg_reader_take_damage (OggReader * reader);

G_END_DECLS
