/* gst-chapters: a Matroska / WebM file with one Vorbis track, taken apart
 * into timed packets and indexed.
 *
 * Matroska times its blocks in whole milliseconds (ffmpeg: a short block
 * late, since it counts the first packet, which decodes to nothing), so
 * matroskademux labels Vorbis audio some 128 samples late. The block
 * sizes tell each packet's samples exactly, as in Ogg: counted from the
 * first packet, every cluster gets an exact granule (the sample at which
 * the audio of its first packet's successor starts), and that is the
 * index. The packets come out as OggPacket, so the element serves them as
 * it serves Ogg Vorbis. Anything else (other codecs, more tracks, content
 * encodings) is left to matroskademux. Pipeline-free. */
#pragma once

#include <gst/gst.h>
#include "ogg-index.h"

G_BEGIN_DECLS

typedef struct _MkvReader MkvReader;

MkvReader *mkv_reader_new (void);
void mkv_reader_free (MkvReader * reader);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MkvReader, mkv_reader_free);

/* Feeds the bytes at file @offset (from byte 0, contiguous with the last
 * feed, or where mkv_reader_discont() said). Every packet goes to @func;
 * a packet's page_offset is its cluster's byte. Returns 1, 0 when the
 * stream is not one we read (@error says why), -1 when @func asked to
 * stop. */
gint mkv_reader_feed (MkvReader * reader, guint64 offset,
    const guint8 * data, gsize size, OggPacketFunc func, gpointer user_data,
    gchar ** error);

/* The head (everything before the first cluster) has been read: info,
 * headers, tags. first_page in the info is the first cluster's byte. */
gboolean mkv_reader_ready (const MkvReader * reader);
const OggAudioInfo *mkv_reader_info (const MkvReader * reader);
guint mkv_reader_n_headers (const MkvReader * reader);
const guint8 *mkv_reader_header (const MkvReader * reader, guint i,
    gsize * size);
/* The bytes from 0 to the first cluster (chapters, tags, attachments). */
const guint8 *mkv_reader_head (const MkvReader * reader, gsize * size);
/* The segment's global tags (title, artist, ...); NULL when none (or
 * GStreamer was not initialised when the head was read). */
GstTagList *mkv_reader_tags (const MkvReader * reader);
/* The segment's duration as written (whole milliseconds), -1 if none. */
gint64 mkv_reader_written_duration (const MkvReader * reader);
/* The granule after the last packet read so far, -1 unknown. */
gint64 mkv_reader_position (const MkvReader * reader);

/* Damage the reader stepped over since last asked (what and where), or
 * NULL. After damage it reads on from the next cluster, the packets
 * without times until a discont says where they are. */
gchar *mkv_reader_take_damage (MkvReader * reader);

/* The next bytes come from the cluster at @offset, whose first packet ends
 * at @granule (-1: not known; the packets then carry the file's own
 * times, to the tick). MKV_UNKNOWN_CLUSTER: @offset is any byte; the
 * reader reads on to the next cluster and holds its packets back until
 * the writer's block times, as learned from the packets of known granule
 * read before, leave exactly one granule for them (then they go out timed
 * exactly), or until it gives up (then they go out without times). */
#define MKV_UNKNOWN_CLUSTER (-2)
void mkv_reader_discont (MkvReader * reader, guint64 offset, gint64 granule);

/* The packets go out with exact times (not the file's own, after damage
 * or a landing that could not be timed): a packet's cluster is then an
 * index point. */
gboolean mkv_reader_times_exact (const MkvReader * reader);

/* The writer's block times are learned well enough for a landing at an
 * unknown place (any thread). */
gboolean mkv_reader_can_time_landing (MkvReader * reader);

/* Reads a whole file in memory: an index with a point per cluster and
 * the exact end. NULL when it is not one we read. */
OggIndex *mkv_index_scan (const guint8 * data, gsize size);

G_END_DECLS
