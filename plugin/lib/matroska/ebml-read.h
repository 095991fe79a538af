/* gst-chapters: the one EBML reader of the tree (Matroska, WebM), for the
 * chapter reader (mkv-chapters.c) and the audio reader behind the seek
 * table (mkv-audio.c). Byte-level, pipeline-free. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Element IDs both readers look for. */
#define EBML_ID_HEADER           0x1A45DFA3
#define EBML_ID_SEGMENT          0x18538067
#define EBML_ID_CLUSTER          0x1F43B675

#define EBML_SIZE_UNKNOWN G_MAXUINT64

typedef struct
{
  guint32 id;
  guint64 size;                 /* EBML_SIZE_UNKNOWN: all ones, unknown */
  guint header;                 /* bytes of ID and size */
} EbmlElement;

/* The element header at @p (@avail bytes there): 1 read, 0 not a valid
 * header, -1 more bytes needed. */
gint ebml_read_header (const guint8 * p, gsize avail, EbmlElement * e);

/* The children of a master element in memory: each call gives the next
 * one whole (its header in @e, its body in @body); FALSE at the end or at
 * one cut short or of unknown size. */
typedef struct
{
  const guint8 *p;
  gsize left;
} EbmlWalk;

gboolean ebml_walk_next (EbmlWalk * w, EbmlElement * e, const guint8 ** body);

/* A big-endian unsigned integer body (at most its first 8 bytes). */
guint64 ebml_read_uint (const guint8 * p, guint64 size);
/* A float body of 4 or 8 bytes; 0 otherwise. */
gdouble ebml_read_float (const guint8 * p, guint64 size);

/* The first bytes of an EBML file. */
gboolean ebml_sniff (const guint8 * data, gsize size);

G_END_DECLS
