/* gst-chapters: known points of a compressed stream (see point-table.h). */
#include "point-table.h"

/* A known point closer than this is read from directly: at most this many
 * bytes come before the one that holds the target. */
#define EXACT_REACH (192 * 1024)

struct _PointTable
{
  GArray *points;               /* IndexPoint, ascending */
  guint64 spacing;
};

PointTable *
point_table_new (void)
{
  PointTable *table = g_new0 (PointTable, 1);

  table->points = g_array_new (FALSE, FALSE, sizeof (IndexPoint));
  return table;
}

void
point_table_free (PointTable * table)
{
  if (table == NULL)
    return;
  g_array_unref (table->points);
  g_free (table);
}

void
point_table_set_spacing (PointTable * table, guint64 spacing)
{
  table->spacing = spacing;
}

/* The index of the first point after @position. */
static guint
upper_bound (const PointTable * table, guint64 position)
{
  guint lo = 0, hi = table->points->len;

  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;

    if (g_array_index (table->points, IndexPoint, mid).position <= position)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

void
point_table_add (PointTable * table, guint64 position, guint64 offset)
{
  guint at = upper_bound (table, position);
  IndexPoint point = { position, offset };

  if (at > 0 && position - g_array_index (table->points, IndexPoint,
          at - 1).position < table->spacing)
    return;
  if (at < table->points->len && g_array_index (table->points, IndexPoint,
          at).position - position < table->spacing)
    return;
  g_array_insert_val (table->points, at, point);
}

void
point_table_drop_from (PointTable * table, guint64 offset)
{
  guint i;

  for (i = table->points->len; i > 0; i--)
    if (g_array_index (table->points, IndexPoint, i - 1).offset >= offset)
      g_array_remove_index (table->points, i - 1);
}

void
point_table_bracket (const PointTable * table, guint64 position,
    const IndexPoint * start, const IndexPoint * end, IndexPoint * lo,
    IndexPoint * hi)
{
  guint at = upper_bound (table, position);

  *lo = at > 0 ? g_array_index (table->points, IndexPoint, at - 1) : *start;
  if (at < table->points->len) {
    *hi = g_array_index (table->points, IndexPoint, at);
  } else {
    /* the end of the stream, where it is known */
    hi->position = MAX (end->position, lo->position);
    hi->offset = MAX (end->offset, lo->offset);
  }
}

gboolean
point_table_locate (const PointTable * table, guint64 position,
    const IndexPoint * start, const IndexPoint * end, gboolean complete,
    guint64 * offset)
{
  IndexPoint lo, hi;
  guint64 estimate, margin;

  point_table_bracket (table, position, start, end, &lo, &hi);
  *offset = lo.offset;
  if (complete || hi.offset - lo.offset <= EXACT_REACH
      || hi.position <= lo.position)
    return TRUE;
  /* interpolate, and start a little early: a landing after the target
   * costs another request, one before it only some bytes */
  /* (a position past the end's: from near the end, not from beyond the
   * file, whose request would answer with its end alone) */
  estimate = position >= hi.position ? hi.offset : lo.offset + (guint64)
      ((gdouble) (position - lo.position) / (hi.position - lo.position) *
      (hi.offset - lo.offset));
  margin = 32 * 1024 + (estimate - lo.offset) / 256;
  if (estimate < lo.offset + margin + EXACT_REACH / 2)
    return TRUE;
  *offset = estimate - margin;
  return FALSE;
}

guint
point_table_len (const PointTable * table)
{
  return table->points->len;
}

gsize
point_table_memory (const PointTable * table)
{
  return sizeof *table + table->points->len * sizeof (IndexPoint);
}
