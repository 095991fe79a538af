/* gst-chapters: an exact seek index of a FLAC stream (see flac-index.h). */
#include "flac-index.h"

#include <string.h>

#include "chapter-bytes.h"
#include "point-table.h"

static guint32
read_be24 (const guint8 * p)
{
  return (guint32) p[0] << 16 | (guint32) p[1] << 8 | p[2];
}

/* The head (metadata blocks, pictures included) is kept until it parses;
 * beyond this it is not a stream we index. */
#define MAX_HEAD (16 * 1024 * 1024)
/* Bytes a frame header takes at most. */
#define MAX_HEADER 16

struct _FlacIndex
{
  FlacInfo info;
  gboolean ready;
  gboolean failed;
  gboolean complete;
  guint64 file_size;
  PointTable *points;           /* (sample, offset) */

  GByteArray *head;             /* the stream head until it parses */
  guint8 carry[MAX_HEADER + 64];        /* unscanned tail of the last feed */
  gsize carry_len;
  guint64 next_offset;          /* where the next fed byte is expected */

  /* frame sync: a header counts once the next one follows it */
  gboolean synced;
  guint64 expect_sample;
  gboolean pending;
  FlacFrame pending_frame;
  guint64 pending_offset;
};

static guint8 crc8_table[256];

static gpointer
init_crc8 (gpointer data)
{
  guint i, bit;

  for (i = 0; i < 256; i++) {
    guint8 c = (guint8) i;

    for (bit = 0; bit < 8; bit++)
      c = (guint8) ((c & 0x80) ? (c << 1) ^ 0x07 : c << 1);
    crc8_table[i] = c;
  }
  return NULL;
}

static guint8
crc8 (const guint8 * p, gsize n)
{
  static GOnce once = G_ONCE_INIT;
  guint8 c = 0;

  g_once (&once, init_crc8, NULL);
  while (n--)
    c = crc8_table[c ^ *p++];
  return c;
}

/* Parses the head; with @seekpoints, the SEEKTABLE block's points (sample,
 * byte offset from the first frame) are appended to it. */
static gint
parse_head (const guint8 * data, gsize size, FlacInfo * info,
    GArray * seekpoints);

gint
flac_info_parse (const guint8 * data, gsize size, FlacInfo * info)
{
  return parse_head (data, size, info, NULL);
}

static gint
parse_head (const guint8 * data, gsize size, FlacInfo * info,
    GArray * seekpoints)
{
  gsize pos = 0;
  gboolean last = FALSE, have_streaminfo = FALSE;

  if (size < 10)
    return -1;
  /* an ID3v2 tag in front, which some taggers write */
  if (memcmp (data, "ID3", 3) == 0) {
    pos = chapter_id3v2_length (data, size);
    if (pos == 0)
      return 0;
  }
  if (size < pos + 4)
    return -1;
  if (memcmp (data + pos, "fLaC", 4) != 0)
    return 0;
  pos += 4;
  memset (info, 0, sizeof *info);
  while (!last) {
    guint type;
    gsize len;

    if (size < pos + 4)
      return -1;
    last = (data[pos] & 0x80) != 0;
    type = data[pos] & 0x7f;
    len = read_be24 (data + pos + 1);
    if (type == 127)
      return 0;
    if (type == 0) {
      const guint8 *s = data + pos + 4;

      if (len < 34 || have_streaminfo)
        return 0;
      if (size < pos + 4 + 34)
        return -1;
      info->min_block = chapter_read_u16_be (s);
      info->max_block = chapter_read_u16_be (s + 2);
      info->min_frame = read_be24 (s + 4);
      info->max_frame = read_be24 (s + 7);
      info->rate = (s[10] << 12) | (s[11] << 4) | (s[12] >> 4);
      info->channels = ((s[12] >> 1) & 7) + 1;
      info->bits = (((s[12] & 1) << 4) | (s[13] >> 4)) + 1;
      info->total_samples = ((guint64) (s[13] & 0x0f) << 32) |
          chapter_read_u32_be (s + 14);
      if (info->rate == 0 || info->max_block < 16
          || info->min_block > info->max_block)
        return 0;
      have_streaminfo = TRUE;
    } else if (!have_streaminfo) {
      return 0;                 /* STREAMINFO comes first */
    }
    /* the whole block, up to the frames */
    if (size < pos + 4 + len)
      return -1;
    if (type == 3 && seekpoints) {
      gsize k;

      for (k = 0; k + 18 <= len; k += 18) {
        const guint8 *p = data + pos + 4 + k;
        IndexPoint point = { chapter_read_u64_be (p),
          chapter_read_u64_be (p + 8)
        };

        /* placeholders are all ones */
        if (point.position != G_MAXUINT64)
          g_array_append_val (seekpoints, point);
      }
    }
    pos += 4 + len;
  }
  info->first_offset = pos;
  return 1;
}

static const guint sample_rates[12] = { 0, 88200, 176400, 192000, 8000,
  16000, 22050, 24000, 32000, 44100, 48000, 96000
};

static const guint sample_bits[8] = { 0, 8, 12, 0, 16, 20, 24, 32 };

gint
flac_frame_parse (const guint8 * p, gsize avail, const FlacInfo * info,
    FlacFrame * frame)
{
  guint bs_code, sr_code, ch_code, ss_code, n, k, i;
  guint64 number;
  guint block;

  if (avail < 2)
    return -1;
  if (p[0] != 0xff || (p[1] & 0xfe) != 0xf8)
    return 0;
  if (avail < 5)
    return -1;
  bs_code = p[2] >> 4;
  sr_code = p[2] & 0x0f;
  ch_code = p[3] >> 4;
  ss_code = (p[3] >> 1) & 7;
  if (bs_code == 0 || sr_code == 15 || ch_code > 10 || ss_code == 3
      || (p[3] & 1))
    return 0;
  /* the stream's format, where the header repeats it */
  if ((ch_code < 8 ? ch_code + 1 : 2) != info->channels)
    return 0;
  if (ss_code != 0 && sample_bits[ss_code] != info->bits)
    return 0;
  if (sr_code >= 1 && sr_code <= 11 && sample_rates[sr_code] != info->rate)
    return 0;

  /* the frame (fixed blocking) or sample number, UTF-8 style */
  if (!(p[4] & 0x80)) {
    n = 1;
    number = p[4];
  } else {
    for (n = 0; n < 8 && (p[4] & (0x80 >> n)); n++);
    if (n < 2 || n > ((p[1] & 1) ? 7 : 6))
      return 0;
    number = p[4] & (0xff >> (n + 1));
  }
  if (avail < 4 + n + 4)
    return -1;
  for (k = 1; k < n; k++) {
    if ((p[4 + k] & 0xc0) != 0x80)
      return 0;
    number = (number << 6) | (p[4 + k] & 0x3f);
  }
  i = 4 + n;
  if (bs_code == 1)
    block = 192;
  else if (bs_code <= 5)
    block = 576u << (bs_code - 2);
  else if (bs_code == 6)
    block = p[i++] + 1u;
  else if (bs_code == 7) {
    block = ((guint) p[i] << 8 | p[i + 1]) + 1u;
    i += 2;
  } else
    block = 256u << (bs_code - 8);
  if (sr_code == 12)
    i += 1;
  else if (sr_code == 13 || sr_code == 14)
    i += 2;
  if (avail < i + 1)
    return -1;
  if (crc8 (p, i) != p[i])
    return 0;
  if (block > info->max_block)
    return 0;
  frame->block = block;
  frame->sample = (p[1] & 1) ? number : number * info->max_block;
  frame->header_size = i + 1;
  if (info->total_samples && frame->sample >= info->total_samples)
    return 0;
  return 1;
}

FlacIndex *
flac_index_new (void)
{
  FlacIndex *index = g_new0 (FlacIndex, 1);

  index->points = point_table_new ();
  index->head = g_byte_array_new ();
  return index;
}

void
flac_index_free (FlacIndex * index)
{
  if (index == NULL)
    return;
  point_table_free (index->points);
  if (index->head)
    g_byte_array_unref (index->head);
  g_free (index);
}

void
flac_index_add (FlacIndex * index, guint64 sample, guint64 offset)
{
  point_table_add (index->points, sample, offset);
}

static void
consider (FlacIndex * index, const FlacFrame * frame, guint64 offset)
{
  if (index->synced && frame->sample == index->expect_sample) {
    flac_index_add (index, frame->sample, offset);
    index->expect_sample = frame->sample + frame->block;
    index->pending = FALSE;
    return;
  }
  if (index->pending && offset > index->pending_offset
      && frame->sample == index->pending_frame.sample +
      index->pending_frame.block) {
    flac_index_add (index, index->pending_frame.sample,
        index->pending_offset);
    flac_index_add (index, frame->sample, offset);
    index->synced = TRUE;
    index->expect_sample = frame->sample + frame->block;
    index->pending = FALSE;
    return;
  }
  /* a candidate until the next header confirms it */
  index->pending = TRUE;
  index->pending_frame = *frame;
  index->pending_offset = offset;
}

/* Looks for headers at positions [0, limit) of @buf; returns the first
 * position that needs more bytes than @len to tell (or @limit). */
static gsize
scan_region (FlacIndex * index, guint64 base, const guint8 * buf, gsize len,
    gsize limit)
{
  gsize i = 0;

  while (i < limit) {
    const guint8 *p = memchr (buf + i, 0xff, limit - i);
    FlacFrame frame;
    gint r;

    if (p == NULL)
      return limit;
    i = p - buf;
    r = flac_frame_parse (p, len - i, &index->info, &frame);
    if (r < 0)
      return i;
    if (r > 0) {
      consider (index, &frame, base + i);
      /* no header starts inside another one */
      i += frame.header_size;
    } else {
      i++;
    }
  }
  return limit;
}

static void
scan_bytes (FlacIndex * index, guint64 offset, const guint8 * data,
    gsize size)
{
  gsize done;

  if (offset < index->info.first_offset) {
    gsize skip = index->info.first_offset - offset;

    if (skip >= size)
      return;
    data += skip;
    size -= skip;
    offset += skip;
  }
  if (offset != index->next_offset) {
    /* a gap (a seek): sync again from the headers */
    index->carry_len = 0;
    index->synced = FALSE;
    index->pending = FALSE;
  }
  index->next_offset = offset + size;
  if (index->carry_len > 0) {
    guint64 base = offset - index->carry_len;
    gsize c0 = index->carry_len;
    gsize n = MIN (size, sizeof index->carry - c0);

    memcpy (index->carry + c0, data, n);
    done = scan_region (index, base, index->carry, c0 + n, c0);
    if (done < c0) {
      /* still too short to tell (tiny buffers): all of it waits */
      g_assert (n == size);
      memmove (index->carry, index->carry + done, c0 + n - done);
      index->carry_len = c0 + n - done;
      return;
    }
    index->carry_len = 0;
  }
  done = scan_region (index, offset, data, size, size);
  index->carry_len = size - done;
  g_assert (index->carry_len <= MAX_HEADER);
  memcpy (index->carry, data + done, index->carry_len);
}

static void
became_ready (FlacIndex * index)
{
  index->ready = TRUE;
  point_table_set_spacing (index->points,
      (guint64) index->info.rate * FLAC_INDEX_SPACING_S / 2);
  flac_index_add (index, 0, index->info.first_offset);
  index->synced = TRUE;
  index->expect_sample = 0;
  index->next_offset = index->info.first_offset;
}

/* The stream's own SEEKTABLE: points its encoder wrote. They only guide
 * where to read; every landing is still checked in the frame headers. */
static void
add_seekpoints (FlacIndex * index, GArray * seekpoints)
{
  guint i;

  for (i = 0; i < seekpoints->len; i++) {
    const IndexPoint *p = &g_array_index (seekpoints, IndexPoint, i);

    if (p->position < index->info.total_samples || !index->info.total_samples)
      flac_index_add (index, p->position,
          index->info.first_offset + p->offset);
  }
}

gboolean
flac_index_feed (FlacIndex * index, guint64 offset, const guint8 * data,
    gsize size)
{
  g_autoptr (GArray) seekpoints = NULL;
  gint r;

  if (index->failed)
    return FALSE;
  if (index->ready) {
    scan_bytes (index, offset, data, size);
    return TRUE;
  }
  if (offset != index->head->len)
    return TRUE;                /* the head must come from byte 0 */
  g_byte_array_append (index->head, data, size);
  seekpoints = g_array_new (FALSE, FALSE, sizeof (IndexPoint));
  r = parse_head (index->head->data, index->head->len, &index->info,
      seekpoints);
  if (r == 0 || (r < 0 && index->head->len > MAX_HEAD)) {
    index->failed = TRUE;
    return FALSE;
  }
  if (r > 0) {
    GByteArray *head = g_steal_pointer (&index->head);

    became_ready (index);
    add_seekpoints (index, seekpoints);
    if (head->len > index->info.first_offset)
      scan_bytes (index, index->info.first_offset,
          head->data + index->info.first_offset,
          head->len - index->info.first_offset);
    g_byte_array_unref (head);
  }
  return TRUE;
}

FlacIndex *
flac_index_scan (const guint8 * data, gsize size)
{
  FlacIndex *index = flac_index_new ();
  FlacInfo info;

  if (flac_info_parse (data, size, &info) != 1) {
    flac_index_free (index);
    return NULL;
  }
  g_clear_pointer (&index->head, g_byte_array_unref);
  index->info = info;
  became_ready (index);
  scan_bytes (index, info.first_offset, data + info.first_offset,
      size - info.first_offset);
  index->complete = TRUE;
  index->file_size = size;
  return index;
}

gboolean
flac_index_ready (const FlacIndex * index)
{
  return index->ready;
}

const FlacInfo *
flac_index_info (const FlacIndex * index)
{
  return &index->info;
}

gboolean
flac_index_complete (const FlacIndex * index)
{
  return index->complete;
}

void
flac_index_set_file_size (FlacIndex * index, guint64 size)
{
  index->file_size = size;
  /* a SEEKTABLE may point past the end: not a place to read from */
  point_table_drop_from (index->points, size);
}

void
flac_index_bracket (const FlacIndex * index, guint64 sample,
    guint64 * lo_sample, guint64 * lo_offset, guint64 * hi_sample,
    guint64 * hi_offset)
{
  IndexPoint start = { 0, index->info.first_offset };
  IndexPoint end = { index->info.total_samples, index->file_size };
  IndexPoint lo, hi;

  point_table_bracket (index->points, sample, &start, &end, &lo, &hi);
  *lo_sample = lo.position;
  *lo_offset = lo.offset;
  *hi_sample = hi.position;
  *hi_offset = hi.offset;
}

gboolean
flac_index_locate (const FlacIndex * index, guint64 sample,
    guint64 * offset)
{
  IndexPoint start = { 0, index->info.first_offset };
  IndexPoint end = { index->info.total_samples, index->file_size };

  return point_table_locate (index->points, sample, &start, &end,
      index->complete, offset);
}

gint64
flac_index_duration (const FlacIndex * index)
{
  guint64 total = index->info.total_samples, rate = index->info.rate;

  if (!index->ready || total == 0)
    return -1;
  return (gint64) (total / rate * G_GUINT64_CONSTANT (1000000000) +
      total % rate * G_GUINT64_CONSTANT (1000000000) / rate);
}

guint
flac_index_points (const FlacIndex * index)
{
  return point_table_len (index->points);
}

gsize
flac_index_memory (const FlacIndex * index)
{
  return sizeof *index + point_table_memory (index->points) +
      (index->head ? index->head->len : 0);
}
