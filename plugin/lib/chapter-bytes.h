/* gst-chapters: byte-wise reads of big- and little-endian integers, safe
 * at any alignment (GST_READ_UINT32_BE may load unaligned words). */
#pragma once

#include <glib.h>
#include <string.h>

static inline guint16
chapter_read_u16_be (const guint8 * p)
{
  return (guint16) (p[0] << 8 | p[1]);
}

static inline guint32
chapter_read_u32_be (const guint8 * p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 |
      p[3];
}

static inline guint64
chapter_read_u64_be (const guint8 * p)
{
  return (guint64) chapter_read_u32_be (p) << 32 | chapter_read_u32_be (p + 4);
}

static inline guint32
chapter_read_u32_le (const guint8 * p)
{
  return (guint32) p[3] << 24 | (guint32) p[2] << 16 | (guint32) p[1] << 8 |
      p[0];
}

/* A 28-bit ID3v2 "synchsafe" integer (seven bits a byte). */
static inline guint32
chapter_read_synchsafe (const guint8 * p)
{
  return (guint32) (p[0] & 0x7f) << 21 | (guint32) (p[1] & 0x7f) << 14 |
      (guint32) (p[2] & 0x7f) << 7 | (p[3] & 0x7f);
}

/* The whole length (header, body and footer) of the ID3v2 tag that starts
 * @d (@n bytes), or 0 when none does (or its size is not synchsafe). */
static inline gsize
chapter_id3v2_length (const guint8 * d, gsize n)
{
  if (n < 10 || memcmp (d, "ID3", 3) != 0
      || ((d[6] | d[7] | d[8] | d[9]) & 0x80))
    return 0;
  return 10 + (gsize) chapter_read_synchsafe (d + 6) + (d[5] & 0x10 ? 10 : 0);
}

/* The header of the ISO BMFF (MP4) box at @p, of which @avail bytes are
 * there: its whole @size (0: it runs to the end of its parent) and the
 * @header's length (8, or 16 with a 64-bit size). FALSE when @avail does
 * not hold the header, or the size is smaller than it. */
static inline gboolean
chapter_mp4_box_header (const guint8 * p, gsize avail, guint64 * size,
    gsize * header)
{
  if (avail < 8)
    return FALSE;
  *size = chapter_read_u32_be (p);
  *header = 8;
  if (*size == 1) {
    if (avail < 16)
      return FALSE;
    *size = chapter_read_u64_be (p + 8);
    *header = 16;
  }
  return *size == 0 || *size >= *header;
}
