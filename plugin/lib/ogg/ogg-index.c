/* gst-chapters: an exact seek index of an Ogg Opus or Vorbis stream (see
 * ogg-index.h). The index walks the page headers itself: a scan of a
 * whole file reads only those, skipping the page bodies. */
#define _GNU_SOURCE             /* memmem */
#include "ogg-index.h"

#include <string.h>

#include "point-table.h"

/* The header pages (tags with cover art included) are kept until they
 * parse; beyond this it is not a stream we index. */
#define MAX_HEAD (16 * 1024 * 1024)
#define PAGE_HEADER_MAX (27 + 255)

static guint32
read_u32_le (const guint8 * p)
{
  return (guint32) p[3] << 24 | (guint32) p[2] << 16 | (guint32) p[1] << 8 |
      p[0];
}

static guint64
read_u64_le (const guint8 * p)
{
  return (guint64) read_u32_le (p + 4) << 32 | read_u32_le (p);
}

gboolean
ogg_audio_info_parse (const guint8 * p, gsize size, OggAudioInfo * info)
{
  memset (info, 0, sizeof *info);
  if (size >= 19 && memcmp (p, "OpusHead", 8) == 0) {
    /* RFC 7845 5.1: major version 0 */
    if (p[8] >= 16 || p[9] == 0)
      return FALSE;
    info->codec = OGG_AUDIO_OPUS;
    info->channels = p[9];
    info->pre_skip = (guint) p[10] | (guint) p[11] << 8;
    info->rate = 48000;
    return TRUE;
  }
  if (size >= 30 && p[0] == 1 && memcmp (p + 1, "vorbis", 6) == 0) {
    guint b0 = p[28] & 15, b1 = p[28] >> 4;

    /* Vorbis I 4.2.2 */
    if (read_u32_le (p + 7) != 0 || p[11] == 0 || read_u32_le (p + 12) == 0
        || b0 < 6 || b1 > 13 || b0 > b1 || !(p[29] & 1))
      return FALSE;
    info->codec = OGG_AUDIO_VORBIS;
    info->channels = p[11];
    info->rate = read_u32_le (p + 12);
    info->max_block = 1u << b1;
    return TRUE;
  }
  return FALSE;
}

gint
ogg_page_header_parse (const guint8 * p, gsize avail, OggPageHeader * page)
{
  guint i, n;
  guint32 size;

  if (avail < 27)
    return avail >= 4 && memcmp (p, "OggS", 4) != 0 ? 0 : -1;
  if (memcmp (p, "OggS", 4) != 0 || p[4] != 0 || p[5] > 7)
    return 0;
  n = p[26];
  if (avail < 27 + n)
    return -1;
  size = 27 + n;
  for (i = 0; i < n; i++)
    size += p[27 + i];
  page->flags = p[5];
  page->granule = (gint64) read_u64_le (p + 6);
  page->serial = read_u32_le (p + 14);
  page->size = size;
  return 1;
}

static guint
header_packets (OggAudioCodec codec)
{
  return codec == OGG_AUDIO_VORBIS ? 3 : 2;
}

/* Packets that end on a page: lacing values below 255. */
static guint
packet_ends (const guint8 * page)
{
  guint i, n = 0;

  for (i = 0; i < page[26]; i++)
    n += page[27 + i] < 255;
  return n;
}

/* Reads the header pages from byte 0: one logical stream of Opus or
 * Vorbis, its headers, where its audio starts. 1 done, 0 not ours, -1
 * more bytes needed. */
static gint
parse_head (const guint8 * data, gsize size, OggAudioInfo * info)
{
  gsize off = 0;
  guint packets = 0;

  while (TRUE) {
    OggPageHeader page;
    const guint8 *p = data + off;
    gint r = ogg_page_header_parse (p, size - off, &page);

    if (r <= 0)
      return r;
    if (size - off < page.size)
      return -1;
    if (off == 0) {
      guint len = 0, i = 0;

      /* the first page: the identification header alone */
      if (!(page.flags & 2) || p[26] == 0)
        return 0;
      do
        len += p[27 + i];
      while (p[27 + i++] == 255 && i < p[26]);
      if (!ogg_audio_info_parse (p + 27 + p[26], len, info)
          || packet_ends (p) != 1)
        return 0;
      info->serial = page.serial;
    } else if (page.serial != info->serial || (page.flags & 2)) {
      return 0;                 /* multiplexed: oggdemux's */
    }
    packets += packet_ends (p);
    off += page.size;
    if (packets >= header_packets (info->codec)) {
      /* audio starts on a fresh page (RFC 7845 3, Vorbis I A.2) */
      if (packets > header_packets (info->codec))
        return 0;
      info->first_page = off;
      return 1;
    }
  }
}

struct _OggIndex
{
  OggAudioInfo info;
  gboolean ready;
  gboolean failed;
  gboolean complete;
  guint64 file_size;
  gint64 last_granule;
  gint64 max_granule;
  gint64 end_estimate;          /* where the end is thought to be, -1 */
  PointTable *points;           /* (granule, offset of the next page) */

  GByteArray *head;             /* the header pages until they parse */
  guint8 *carry;                /* an unfinished page header */
  gsize carry_len;
  guint64 next_offset;          /* where the next fed byte is expected */
  guint64 skip;                 /* bytes of the current page still to come */
  gboolean synced;
  /* a page's point counts once the next page follows it */
  gboolean pending;
  guint64 pending_granule;
  guint64 pending_offset;
};

OggIndex *
ogg_index_new (void)
{
  OggIndex *index = g_new0 (OggIndex, 1);

  index->points = point_table_new ();
  index->head = g_byte_array_new ();
  index->carry = g_malloc (PAGE_HEADER_MAX);
  index->last_granule = -1;
  index->max_granule = -1;
  index->end_estimate = -1;
  return index;
}

void
ogg_index_free (OggIndex * index)
{
  if (index == NULL)
    return;
  point_table_free (index->points);
  if (index->head)
    g_byte_array_unref (index->head);
  g_free (index->carry);
  g_free (index);
}

/* One page header at @offset, found in sync. */
static void
met_page (OggIndex * index, const OggPageHeader * page, guint64 offset)
{
  /* (not the last page: its granule may end the audio before its packets
   * do, so packets read from it alone cannot be timed back from it; a
   * jump there reads from the page before) */
  if (index->pending && index->pending_offset == offset
      && !(page->flags & 4))
    point_table_add (index->points, index->pending_granule, offset);
  index->pending = FALSE;
  if (page->serial != index->info.serial || page->granule < 0)
    return;
  index->pending = TRUE;
  index->pending_granule = page->granule;
  index->pending_offset = offset + page->size;
  index->max_granule = MAX (index->max_granule, page->granule);
  if (page->flags & 4)
    index->last_granule = page->granule;
}

/* Walks the page headers in @buf (file offset @base); returns how many
 * bytes it is done with (the rest: a page header cut short). */
static gsize
walk (OggIndex * index, guint64 base, const guint8 * buf, gsize len)
{
  gsize pos = 0;

  while (pos < len) {
    OggPageHeader page;
    gint r;

    if (index->skip > 0) {
      gsize n = MIN (index->skip, len - pos);

      index->skip -= n;
      pos += n;
      continue;
    }
    if (!index->synced) {
      const guint8 *hit = memmem (buf + pos, len - pos, "OggS", 4);

      if (hit == NULL)
        return len > pos + 3 ? len - 3 : pos;
      pos = hit - buf;
    }
    r = ogg_page_header_parse (buf + pos, len - pos, &page);
    if (r < 0)
      return pos;
    if (r == 0 || (!index->synced && page.serial != index->info.serial)) {
      index->synced = FALSE;
      index->pending = FALSE;
      pos++;
      continue;
    }
    index->synced = TRUE;
    met_page (index, &page, base + pos);
    index->skip = page.size;
  }
  return pos;
}

static void
walk_fed (OggIndex * index, guint64 offset, const guint8 * data, gsize size)
{
  g_autofree guint8 *joined = NULL;
  gsize done;

  if (offset != index->next_offset) {
    /* a gap: the page sync is lost */
    index->synced = FALSE;
    index->pending = FALSE;
    index->skip = 0;
    index->carry_len = 0;
  }
  index->next_offset = offset + size;
  if (index->carry_len > 0) {
    /* a page header cut by the last feed */
    joined = g_malloc (index->carry_len + size);
    memcpy (joined, index->carry, index->carry_len);
    memcpy (joined + index->carry_len, data, size);
    offset -= index->carry_len;
    size += index->carry_len;
    data = joined;
  }
  done = walk (index, offset, data, size);
  index->carry_len = size - done;
  g_assert (index->carry_len <= PAGE_HEADER_MAX);
  memcpy (index->carry, data + done, index->carry_len);
}

static void
became_ready (OggIndex * index)
{
  index->ready = TRUE;
  point_table_set_spacing (index->points,
      (guint64) index->info.rate * OGG_INDEX_SPACING_S);
  index->synced = TRUE;
  index->next_offset = index->info.first_page;
}

gboolean
ogg_index_feed (OggIndex * index, guint64 offset, const guint8 * data,
    gsize size)
{
  gint r;

  if (index->failed)
    return FALSE;
  if (index->ready) {
    walk_fed (index, offset, data, size);
    return TRUE;
  }
  if (offset != index->head->len)
    return TRUE;                /* the head must come from byte 0 */
  g_byte_array_append (index->head, data, size);
  r = parse_head (index->head->data, index->head->len, &index->info);
  if (r == 0 || (r < 0 && index->head->len > MAX_HEAD)) {
    index->failed = TRUE;
    return FALSE;
  }
  if (r > 0) {
    GByteArray *head = g_steal_pointer (&index->head);
    guint64 first = index->info.first_page;

    became_ready (index);
    walk_fed (index, first, head->data + first, head->len - first);
    g_byte_array_unref (head);
  }
  return TRUE;
}

OggIndex *
ogg_index_scan (const guint8 * data, gsize size)
{
  OggIndex *index = ogg_index_new ();

  if (parse_head (data, size, &index->info) != 1) {
    ogg_index_free (index);
    return NULL;
  }
  g_clear_pointer (&index->head, g_byte_array_unref);
  became_ready (index);
  walk (index, index->info.first_page, data + index->info.first_page,
      size - index->info.first_page);
  index->complete = TRUE;
  index->file_size = size;
  if (index->last_granule < 0)
    index->last_granule = index->max_granule;   /* cut short */
  return index;
}

gboolean
ogg_index_ready (const OggIndex * index)
{
  return index->ready;
}

const OggAudioInfo *
ogg_index_info (const OggIndex * index)
{
  return &index->info;
}

gboolean
ogg_index_complete (const OggIndex * index)
{
  return index->complete;
}

void
ogg_index_set_file_size (OggIndex * index, guint64 size)
{
  index->file_size = size;
  point_table_drop_from (index->points, size);
}

void
ogg_index_add (OggIndex * index, guint64 granule, guint64 offset)
{
  point_table_add (index->points, granule, offset);
}

void
ogg_index_set_info (OggIndex * index, const OggAudioInfo * info)
{
  index->info = *info;
  g_clear_pointer (&index->head, g_byte_array_unref);
  index->failed = TRUE;         /* its bytes are not Ogg pages */
  became_ready (index);
}

void
ogg_index_set_end (OggIndex * index, guint64 granule, gboolean complete)
{
  index->last_granule = index->max_granule = granule;
  index->complete = complete;
}

void
ogg_index_set_end_estimate (OggIndex * index, guint64 granule)
{
  index->end_estimate = (gint64) granule;
}

void
ogg_index_known_point (const OggIndex * index, guint64 granule,
    guint64 * point_granule, guint64 * offset)
{
  IndexPoint start = { 0, index->info.first_page }, lo, hi;

  point_table_bracket (index->points, granule, &start, &start, &lo, &hi);
  *point_granule = lo.position;
  *offset = lo.offset;
}

gboolean
ogg_index_locate (const OggIndex * index, guint64 granule, guint64 * offset)
{
  IndexPoint start = { 0, index->info.first_page };
  IndexPoint end = { MAX (index->last_granule >= 0 ? index->last_granule :
        index->end_estimate, 0), index->file_size };

  return point_table_locate (index->points, granule, &start, &end,
      index->complete, offset);
}

void
ogg_index_mark_end (OggIndex * index)
{
  if (index->last_granule < 0)
    index->last_granule = index->max_granule;
}

gint64
ogg_index_last_granule (const OggIndex * index)
{
  return index->last_granule;
}

gint64
ogg_index_duration (const OggIndex * index)
{
  guint64 samples;

  if (!index->ready || index->last_granule < 0)
    return -1;
  samples = (guint64) index->last_granule > index->info.pre_skip ?
      (guint64) index->last_granule - index->info.pre_skip : 0;
  return (gint64) (samples / index->info.rate * G_GUINT64_CONSTANT
      (1000000000) + samples % index->info.rate *
      G_GUINT64_CONSTANT (1000000000) / index->info.rate);
}

guint
ogg_index_points (const OggIndex * index)
{
  return point_table_len (index->points);
}

gsize
ogg_index_memory (const OggIndex * index)
{
  return sizeof *index + PAGE_HEADER_MAX + point_table_memory (index->points)
      + (index->head ? index->head->len : 0);
}
