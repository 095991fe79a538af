/* gst-chapters: byte-wise reads of big- and little-endian integers, safe
 * at any alignment (GST_READ_UINT32_BE may load unaligned words). */
#pragma once

#include <glib.h>

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
