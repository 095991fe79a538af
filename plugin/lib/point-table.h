/* gst-chapters: the known (position, byte offset) points of a compressed
 * stream, and where to read from to reach a position. Shared by the FLAC
 * and Ogg indexes; the position is in the stream's own unit (samples,
 * granules). Pipeline-free. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 position;
  guint64 offset;
} IndexPoint;

typedef struct _PointTable PointTable;

PointTable *point_table_new (void);
void point_table_free (PointTable * table);

/* Points are kept no closer than @spacing apart (the first one always). */
void point_table_set_spacing (PointTable * table, guint64 spacing);

void point_table_add (PointTable * table, guint64 position, guint64 offset);

/* Forgets the points at or past @offset (past the end of the file). */
void point_table_drop_from (PointTable * table, guint64 offset);

/* The known point at or before @position (@start when there is none) and
 * the next one after it (@end when there is none). */
void point_table_bracket (const PointTable * table, guint64 position,
    const IndexPoint * start, const IndexPoint * end, IndexPoint * lo,
    IndexPoint * hi);

/* Where to read from to reach @position: the known point at or before it
 * when that is close or @complete (TRUE), otherwise an estimate a little
 * before it, interpolated between the points around it (FALSE: the
 * landing must be checked). */
gboolean point_table_locate (const PointTable * table, guint64 position,
    const IndexPoint * start, const IndexPoint * end, gboolean complete,
    guint64 * offset);

guint point_table_len (const PointTable * table);
gsize point_table_memory (const PointTable * table);

G_END_DECLS
