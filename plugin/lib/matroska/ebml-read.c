/* gst-chapters: the EBML reader (see ebml-read.h). */
#include "ebml-read.h"

gint
ebml_read_header (const guint8 * p, gsize avail, EbmlElement * e)
{
  guint len, slen, i;
  guint64 size;

  if (avail < 1)
    return -1;
  for (len = 1; len <= 4 && !(p[0] & (0x80 >> (len - 1))); len++);
  if (len > 4)
    return 0;
  if (avail < len + 1)
    return -1;
  e->id = 0;
  for (i = 0; i < len; i++)
    e->id = e->id << 8 | p[i];
  for (slen = 1; slen <= 8 && !(p[len] & (0x80 >> (slen - 1))); slen++);
  if (slen > 8)
    return 0;
  if (avail < len + slen)
    return -1;
  size = p[len] & (0xff >> slen);
  for (i = 1; i < slen; i++)
    size = size << 8 | p[len + i];
  if (size == (G_GUINT64_CONSTANT (1) << (7 * slen)) - 1)
    size = EBML_SIZE_UNKNOWN;
  e->size = size;
  e->header = len + slen;
  return 1;
}

gboolean
ebml_walk_next (EbmlWalk * w, EbmlElement * e, const guint8 ** body)
{
  if (ebml_read_header (w->p, w->left, e) != 1 || e->size == EBML_SIZE_UNKNOWN
      || e->size > w->left - e->header)
    return FALSE;
  *body = w->p + e->header;
  w->p += e->header + e->size;
  w->left -= e->header + e->size;
  return TRUE;
}

guint64
ebml_read_uint (const guint8 * p, guint64 size)
{
  guint64 v = 0, i;

  for (i = 0; i < size && i < 8; i++)
    v = v << 8 | p[i];
  return v;
}

gdouble
ebml_read_float (const guint8 * p, guint64 size)
{
  if (size == 4) {
    union
    {
      guint32 u;
      gfloat f;
    } v = {.u = (guint32) ebml_read_uint (p, 4) };
    return v.f;
  }
  if (size == 8) {
    union
    {
      guint64 u;
      gdouble f;
    } v = {.u = ebml_read_uint (p, 8) };
    return v.f;
  }
  return 0;
}

gboolean
ebml_sniff (const guint8 * data, gsize size)
{
  return size >= 4 && data[0] == 0x1A && data[1] == 0x45 && data[2] == 0xDF
      && data[3] == 0xA3;
}
