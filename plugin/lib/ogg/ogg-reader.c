/* gst-chapters: takes an Ogg Opus or Vorbis stream apart into packets,
 * each with the granules it spans (see ogg-index.h). libogg finds and
 * checks the pages and joins the packets; libvorbis tells a packet's block
 * size, libopus its sample count. */
#include "ogg-index.h"

#include <string.h>
#include <ogg/ogg.h>
#include <opus/opus.h>
#include <vorbis/codec.h>

/* The header packets, tags and cover art included, are held up to this. */
#define MAX_HEADERS (16 * 1024 * 1024)

typedef struct
{
  const guint8 *data;
  gsize size;
  gint64 duration;
} PagePacket;

struct _OggReader
{
  ogg_sync_state sync;
  ogg_stream_state stream;
  gboolean have_stream;
  guint64 sync_offset;          /* file offset of the bytes libogg holds */
  OggAudioInfo info;
  gboolean ready;
  GPtrArray *headers;           /* GBytes */
  gsize headers_size;
  vorbis_info vi;
  vorbis_comment vc;
  glong prev_block;             /* Vorbis: -1 after a discontinuity */
  gint64 running;               /* granule after the last packet, -1 unknown */
  GArray *page;                 /* PagePacket: those ending on this page */
  guint64 skipped_from;         /* where bytes that are no page began */
  gsize skipped;                /* how many, since the last page */
  gchar *damage;                /* not yet taken */
};

OggReader *
ogg_reader_new (void)
{
  OggReader *reader = g_new0 (OggReader, 1);

  ogg_sync_init (&reader->sync);
  reader->headers = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  vorbis_info_init (&reader->vi);
  vorbis_comment_init (&reader->vc);
  reader->prev_block = -1;
  reader->running = -1;
  reader->page = g_array_new (FALSE, FALSE, sizeof (PagePacket));
  return reader;
}

void
ogg_reader_free (OggReader * reader)
{
  if (reader == NULL)
    return;
  ogg_sync_clear (&reader->sync);
  if (reader->have_stream)
    ogg_stream_clear (&reader->stream);
  vorbis_comment_clear (&reader->vc);
  vorbis_info_clear (&reader->vi);
  g_ptr_array_unref (reader->headers);
  g_array_unref (reader->page);
  g_free (reader->damage);
  g_free (reader);
}

/* A header packet; FALSE with @error when it is not a valid one. */
static gboolean
take_header (OggReader * reader, ogg_packet * op, gchar ** error)
{
  guint n = reader->headers->len;

  if (reader->info.codec == OGG_AUDIO_VORBIS) {
    op->b_o_s = n == 0;
    if (vorbis_synthesis_headerin (&reader->vi, &reader->vc, op) != 0) {
      *error = g_strdup_printf ("Vorbis header %u is not valid", n + 1);
      return FALSE;
    }
  } else if (n == 1 && (op->bytes < 8
          || memcmp (op->packet, "OpusTags", 8) != 0)) {
    *error = g_strdup ("the second Opus packet is not OpusTags");
    return FALSE;
  }
  reader->headers_size += op->bytes;
  if (reader->headers_size > MAX_HEADERS) {
    *error = g_strdup_printf ("headers larger than %d MiB",
        MAX_HEADERS >> 20);
    return FALSE;
  }
  g_ptr_array_add (reader->headers, g_bytes_new (op->packet, op->bytes));
  reader->ready = reader->headers->len ==
      (reader->info.codec == OGG_AUDIO_VORBIS ? 3u : 2u);
  return TRUE;
}

/* Samples an audio packet decodes to; -1 when it cannot be told (Vorbis,
 * the first packet after a discontinuity: it decodes to none). */
static gint64
packet_duration (OggReader * reader, ogg_packet * op)
{
  if (reader->info.codec == OGG_AUDIO_OPUS) {
    gint n = opus_packet_get_nb_samples (op->packet, op->bytes, 48000);

    return n > 0 ? n : 0;
  } else {
    glong block = vorbis_packet_blocksize (&reader->vi, op);
    gint64 d;

    if (block <= 0)
      return 0;
    d = reader->prev_block > 0 ? (reader->prev_block + block) / 4 : -1;
    reader->prev_block = block;
    return d;
  }
}

/* Gives the packets that end on this page their granules: counted on from
 * the packet before when that is known and agrees with the page, else back
 * from the page's granule. The last page may end before its packets do. */
static gboolean
emit_page (OggReader * reader, ogg_page * og, guint64 page_offset,
    OggPacketFunc func, gpointer user_data)
{
  guint i, n = reader->page->len;
  gint64 granule = ogg_page_granulepos (og);
  gboolean last = ogg_page_eos (og), forward = reader->running >= 0;
  g_autofree gint64 *ends = NULL;
  gint64 end;

  if (n == 0)
    return TRUE;
  ends = g_new (gint64, n);
  end = reader->running;
  for (i = 0; i < n && forward; i++) {
    gint64 d = g_array_index (reader->page, PagePacket, i).duration;

    end += MAX (d, 0);
    ends[i] = end;
  }
  if (granule >= 0 && (!forward || (end != granule && !(last
                  && end > granule)))) {
    /* from the page's granule back */
    ends[n - 1] = granule;
    for (i = n - 1; i > 0; i--) {
      gint64 d = g_array_index (reader->page, PagePacket, i).duration;

      ends[i - 1] = ends[i] >= 0 && d >= 0 ? ends[i] - d : -1;
    }
  } else if (granule < 0 && !forward) {
    for (i = 0; i < n; i++)
      ends[i] = -1;
  }
  for (i = 0; i < n; i++) {
    const PagePacket *pp = &g_array_index (reader->page, PagePacket, i);
    OggPacket packet = { pp->data, pp->size, FALSE, -1, ends[i], 0,
      page_offset
    };

    if (ends[i] >= 0 && pp->duration >= 0)
      packet.start = ends[i] - pp->duration;
    if (last && granule >= 0 && ends[i] > granule)
      packet.clip_end = (guint64) (ends[i] - MAX (granule,
              packet.start >= 0 ? packet.start : ends[i]));
    if (ends[i] < 0)
      packet.end = -1;
    if (!func (&packet, user_data))
      return FALSE;
  }
  reader->running = last && granule >= 0 ? granule : ends[n - 1];
  return TRUE;
}

/* One page: 1 on, 0 not ours (@error), -1 stopped by @func. */
static gint
take_page (OggReader * reader, ogg_page * og, guint64 page_offset,
    OggPacketFunc func, gpointer user_data, gchar ** error)
{
  ogg_packet op;
  gint r;

  if (!reader->have_stream) {
    if (!ogg_page_bos (og)) {
      *error = g_strdup ("the stream does not start with a first page");
      return 0;
    }
    ogg_stream_init (&reader->stream, ogg_page_serialno (og));
    reader->have_stream = TRUE;
    ogg_stream_pagein (&reader->stream, og);
    if (ogg_stream_packetout (&reader->stream, &op) != 1
        || !ogg_audio_info_parse (op.packet, op.bytes, &reader->info)) {
      *error = g_strdup ("not Opus or Vorbis");
      return 0;
    }
    reader->info.serial = ogg_page_serialno (og);
    return take_header (reader, &op, error) ? 1 : 0;
  }
  if ((guint32) ogg_page_serialno (og) != reader->info.serial) {
    *error = g_strdup_printf ("a second logical stream (serial %08x) at "
        "byte %" G_GUINT64_FORMAT, (guint32) ogg_page_serialno (og),
        page_offset);
    return 0;
  }
  ogg_stream_pagein (&reader->stream, og);
  g_array_set_size (reader->page, 0);
  while ((r = ogg_stream_packetout (&reader->stream, &op)) != 0) {
    PagePacket pp;

    if (r < 0) {
      /* a hole in the data: the granules start over from the page */
      if (reader->damage == NULL)
        reader->damage = reader->skipped ? g_strdup_printf ("%"
            G_GSIZE_FORMAT " bytes that are no page (damaged) at byte %"
            G_GUINT64_FORMAT, reader->skipped, reader->skipped_from) :
            g_strdup_printf ("pages missing before the one at byte %"
            G_GUINT64_FORMAT, page_offset);
      reader->running = -1;
      reader->prev_block = -1;
      continue;
    }
    if (!reader->ready) {
      if (!take_header (reader, &op, error))
        return 0;
      if (reader->ready)
        reader->info.first_page = page_offset + og->header_len + og->body_len;
      continue;
    }
    pp.data = op.packet;
    pp.size = op.bytes;
    pp.duration = packet_duration (reader, &op);
    g_array_append_val (reader->page, pp);
  }
  return emit_page (reader, og, page_offset, func, user_data) ? 1 : -1;
}

gint
ogg_reader_feed (OggReader * reader, guint64 offset, const guint8 * data,
    gsize size, OggPacketFunc func, gpointer user_data, gchar ** error)
{
  char *buffer = ogg_sync_buffer (&reader->sync, (long) size);

  memcpy (buffer, data, size);
  ogg_sync_wrote (&reader->sync, (long) size);
  for (;;) {
    ogg_page og;
    long n = ogg_sync_pageseek (&reader->sync, &og);
    guint64 page_offset = reader->sync_offset;
    gint r;

    if (n == 0)
      return 1;
    reader->sync_offset += n < 0 ? (guint64) - n : (guint64) n;
    if (n < 0) {
      if (!reader->have_stream) {
        *error = g_strdup ("no Ogg page at byte 0");
        return 0;
      }
      if (reader->skipped == 0)
        reader->skipped_from = page_offset;
      reader->skipped += (gsize) - n;
      continue;
    }
    r = take_page (reader, &og, page_offset, func, user_data, error);
    reader->skipped = 0;
    if (r <= 0)
      return r;
  }
}

gboolean
ogg_reader_ready (const OggReader * reader)
{
  return reader->ready;
}

const OggAudioInfo *
ogg_reader_info (const OggReader * reader)
{
  return &reader->info;
}

guint
ogg_reader_n_headers (const OggReader * reader)
{
  return reader->headers->len;
}

const guint8 *
ogg_reader_header (const OggReader * reader, guint i, gsize * size)
{
  return g_bytes_get_data (g_ptr_array_index (reader->headers, i), size);
}

void
ogg_reader_discont (OggReader * reader, guint64 offset)
{
  ogg_sync_reset (&reader->sync);
  if (reader->have_stream)
    ogg_stream_reset (&reader->stream);
  reader->sync_offset = offset;
  reader->running = -1;
  reader->prev_block = -1;
  reader->skipped = 0;
}

gchar *
ogg_reader_take_damage (OggReader * reader)
{
  return g_steal_pointer (&reader->damage);
}
