/* gst-chapters: MP4 boxes and sample tables, read from memory: the chapter
 * reader's text tracks and the seek table's AAC track. Pipeline-free. */
#pragma once

#include <glib.h>
#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct
{
  const guint8 *data;           /* the payload, after the header */
  gsize size;
  const guint8 *type;           /* its four letters (NULL for a payload
                                 * handed in as a whole) */
} Mp4Box;

/* The one walk over the boxes in a payload: the box at *@pos (sizes of 32
 * or 64 bits, 0 for "to the end"), and *@pos moved past it. FALSE at the
 * end, or at a box whose size is broken or runs past the payload. */
gboolean mp4_next_box (const guint8 * data, gsize size, gsize * pos,
    Mp4Box * out);
/* Finds the child box of @type inside a payload. */
gboolean mp4_find_box (const guint8 * data, gsize size, const gchar * type,
    Mp4Box * out);
/* Follows a NULL-terminated path of box types. */
gboolean mp4_find_path (const guint8 * data, gsize size,
    const gchar * const *path, Mp4Box * out);

typedef struct
{
  guint32 id;
  gchar handler[5];
  gchar language[4];            /* ISO 639-2/T from mdhd; "" unknown */
  guint32 timescale;
  guint n;
  gint64 *starts;               /* in timescale units */
  gint64 *durations;
  guint64 *offsets;
  guint32 *sizes;
} Mp4Track;

/* Sample times, sizes and file offsets of a `trak` payload (at most
 * @max_samples). */
gboolean mp4_track_read (const guint8 * data, gsize size, guint max_samples,
    Mp4Track * t);
void mp4_track_clear (Mp4Track * t);

/* The one AAC sound track of a `moov` payload, as the seek table plays it. */
typedef struct
{
  Mp4Track track;
  guint rate;
  guint channels;
  GBytes *codec_data;           /* AudioSpecificConfig */
  guint64 priming;              /* media time before the first sample heard */
  guint64 length;               /* media time heard (edit list), 0: all */
  gint64 duration;              /* ns, -1 unknown */
} Mp4Audio;

/* FALSE with @error when the movie is not one AAC track (video, several
 * sound tracks, another codec, edits we do not follow): qtdemux's then. */
gboolean mp4_audio_read (const guint8 * moov, gsize size, Mp4Audio * audio,
    gchar ** error);
void mp4_audio_clear (Mp4Audio * audio);

/* The iTunes-style metadata of a `moov` payload (udta/meta/ilst): title,
 * artist, album, date, genre, comment, cover... NULL when there is none. */
GstTagList *mp4_moov_tags (const guint8 * moov, gsize size);

/* The sample that holds media time @time (the last one past the end). */
guint mp4_audio_sample_at (const Mp4Audio * audio, guint64 time);

G_END_DECLS
