/* gst-chapters: chapters embedded in media files (ID3v2 CHAP/CTOC, MP4
 * Nero chpl and QuickTime chapter tracks, Vorbis comments in Ogg Vorbis,
 * Opus and FLAC, FLAC CUESHEET, Matroska, RIFF cue) and in the tags
 * GStreamer's demuxers post. Readers are pure functions of bytes. */
#pragma once

#include <gst/gst.h>
#include <gio/gio.h>
#include "chapter-list.h"

G_BEGIN_DECLS

/* A reader of a container. @size is what is at hand of the file; @file_size
 * its whole size when known (readers that need data past @size say how much
 * in @need_more and return NULL without an error). */
typedef struct
{
  const gchar *name;
  gboolean (*sniff) (const guint8 * data, gsize size);
  ChapterList *(*read) (const guint8 * data, gsize size, GError ** error);
} ChapterContainer;

/* The container reader for @data, or NULL when it is none we know. */
const ChapterContainer *chapter_container_sniff (const guint8 * data,
    gsize size);

/* The container of the media in @data, looking past an ID3v2 tag in front
 * (of MP3, and of FLAC, which some taggers write): the "id3" row only
 * when what follows the tag is none the table knows (MPEG audio cut off,
 * or not there). The seek table's backends and `gst-chapters index` go by
 * its name. */
const ChapterContainer *chapter_container_sniff_media (const guint8 * data,
    gsize size);

/* Reads the chapters of a whole media file in memory. An empty list means
 * the container has no chapters; NULL with @error that it is broken or not
 * a container we read. */
ChapterList *chapter_embedded_read (const guint8 * data, gsize size,
    GError ** error);

/* Reads a local media file (path or file:// URI). */
ChapterList *chapter_embedded_read_uri (const gchar * uri, GError ** error);

/* Chapters carried in tags: ID3v2 CHAP/CTOC frames that id3demux passes
 * as GST_TAG_ID3V2_FRAME samples, and CHAPTERxxx Vorbis comments that
 * decoders pass as GST_TAG_EXTENDED_COMMENT. NULL when there are none. */
ChapterList *chapter_embedded_from_tags (const GstTagList * tags);

/* Individual readers. */
ChapterList *chapter_id3_read (const guint8 * data, gsize size,
    GError ** error);
ChapterList *chapter_id3_frames_read (GPtrArray * frames);
ChapterList *chapter_vorbis_comments_read (const gchar * const *comments,
    guint n);
ChapterList *chapter_mp4_read (const guint8 * data, gsize size,
    GError ** error);
ChapterList *chapter_ogg_read (const guint8 * data, gsize size,
    GError ** error);
ChapterList *chapter_flac_read (const guint8 * data, gsize size,
    GError ** error);
ChapterList *chapter_matroska_read (const guint8 * data, gsize size,
    GError ** error);
ChapterList *chapter_riff_read (const guint8 * data, gsize size,
    GError ** error);

/* MP4 whose moov box is in memory but whose samples are fetched on demand
 * (over HTTP): @fetch returns @size bytes at file @offset, or NULL. */
typedef GBytes *(*ChapterMp4FetchFunc) (guint64 offset, guint32 size,
    gpointer user_data);
typedef struct _ChapterMp4Samples ChapterMp4Samples;
ChapterList *chapter_mp4_read_moov (const guint8 * moov, gsize size,
    ChapterMp4FetchFunc fetch, gpointer user_data, gboolean pictures);

/* Parses a VorbisComment block (vendor, count, "KEY=value" strings). */
ChapterList *chapter_vorbis_comment_block_read (const guint8 * data,
    gsize size, gboolean framing, GError ** error);

G_END_DECLS
