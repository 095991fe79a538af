/* gst-chapters: an exact index of MPEG audio frames. */
#include "seek-index.h"
#include "chapter-bytes.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <utime.h>
#include <glib/gstdio.h>

/* kbps by [version is MPEG-1][layer - 1][index] */
static const guint16 bitrates[2][3][16] = {
  {                             /* MPEG-2 / 2.5 */
        {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256, 0},
        {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0},
        {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0},
      },
  {                             /* MPEG-1 */
        {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448,
            0},
        {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 0},
        {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0},
      },
};

static const guint rates[3] = { 44100, 48000, 32000 };

gboolean
mpeg_frame_parse (const guint8 * p, MpegFrame * f)
{
  guint v, layer, br, sr, mpeg1;

  if (p[0] != 0xff || (p[1] & 0xe0) != 0xe0)
    return FALSE;
  v = (p[1] >> 3) & 3;          /* 0 = 2.5, 2 = 2, 3 = 1 */
  layer = 4 - ((p[1] >> 1) & 3);
  br = p[2] >> 4;
  sr = (p[2] >> 2) & 3;
  if (v == 1 || layer == 4 || br == 0 || br == 15 || sr == 3)
    return FALSE;
  mpeg1 = v == 3;
  f->version = v == 3 ? 10 : v == 2 ? 20 : 25;
  f->layer = layer;
  f->bitrate = bitrates[mpeg1][layer - 1][br] * 1000;
  f->rate = rates[sr] >> (v == 3 ? 0 : v == 2 ? 1 : 2);
  f->padding = (p[2] >> 1) & 1;
  f->channels = (p[3] >> 6) == 3 ? 1 : 2;
  if (layer == 1) {
    f->samples = 384;
    f->size = (12 * f->bitrate / f->rate + f->padding) * 4;
  } else {
    f->samples = layer == 3 && !mpeg1 ? 576 : 1152;
    f->size = (f->samples / 8) * f->bitrate / f->rate + f->padding;
  }
  return f->size >= 4;
}

static gboolean
same_stream (const MpegFrame * a, const MpegFrame * b)
{
  return a->version == b->version && a->layer == b->layer
      && a->rate == b->rate;
}

static guint32
be32 (const guint8 * p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 |
      p[3];
}

gboolean
mpeg_info_parse (const guint8 * frame, gsize size, const MpegFrame * h,
    MpegInfo * info)
{
  /* the side information ahead of the Xing tag */
  gsize side = h->version == 10 ? (h->channels == 1 ? 17 : 32) :
      (h->channels == 1 ? 9 : 17);
  gsize x = 4 + side;

  memset (info, 0, sizeof *info);
  if (x + 8 <= size && (!memcmp (frame + x, "Xing", 4)
          || !memcmp (frame + x, "Info", 4))) {
    guint32 flags = be32 (frame + x + 4);
    gsize p = x + 8;

    info->present = TRUE;
    info->cbr = !memcmp (frame + x, "Info", 4);
    if ((flags & 1) && p + 4 <= size) {
      info->frames = be32 (frame + p);
      p += 4;
    }
    if ((flags & 2) && p + 4 <= size) {
      info->bytes = be32 (frame + p);
      p += 4;
    }
    if (flags & 4)
      p += 100;
    if (flags & 8)
      p += 4;
    /* the LAME tag: encoder delay and padding, 12 bits each */
    if (p + 24 <= size && (!memcmp (frame + p, "LAME", 4)
            || !memcmp (frame + p, "Lavc", 4) || !memcmp (frame + p, "Lavf",
                4))) {
      const guint8 *d = frame + p + 21;

      info->tag_at = p;
      info->delay = d[0] << 4 | d[1] >> 4;
      info->padding = (d[1] & 0x0f) << 8 | d[2];
    }
    return TRUE;
  }
  /* VBRI sits 32 bytes after the header */
  if (36 + 18 <= size && !memcmp (frame + 36, "VBRI", 4)) {
    info->present = TRUE;
    info->delay = frame[36 + 6] << 8 | frame[36 + 7];
    info->bytes = be32 (frame + 36 + 10);
    info->frames = be32 (frame + 36 + 14);
    return TRUE;
  }
  return FALSE;
}

struct _SeekIndex
{
  gboolean ready;               /* the first frame has been seen */
  gboolean broken;
  gboolean complete;
  MpegFrame format;
  MpegInfo info;
  guint64 first_offset;         /* first audio frame */
  guint64 lame_tag;             /* the LAME tag's encoder string, or 0 */
  GArray *points;               /* guint64 offsets of frames k*STRIDE */
  guint64 frames;               /* frames known, contiguous from 0 */
  guint64 next_offset;          /* where the next frame starts */
  gboolean feeding;             /* bytes at next_offset belong to frame
                                 * number `frames` */
  gboolean head_seen;           /* bytes from offset 0 came */
  /* the media's fingerprint: SHA-256 of its first fp_len bytes of audio
   * (from first_offset), kept with the index and checked against the
   * stream before a loaded index is trusted */
  guint8 fingerprint[32];
  guint fp_len;
  gboolean fingerprinted;
  gboolean loaded;              /* from the cache */
  gint verdict;                 /* loaded: 0 unchecked, 1 the stream's
                                 * bytes match, -1 they do not */
  GChecksum *fp_sum;            /* hashing as the bytes stream by */
  guint64 fp_done;
  guint64 stream_end;           /* where the bytes fed last ended: the
                                 * stream is contiguous when the next come
                                 * from there */
  GByteArray *held;             /* the stream from next_offset on, when
                                 * what came did not tell where the next
                                 * frame is: a header split over two
                                 * buffers, or damage being resynced */
  gboolean lost;                /* damage with no frame chain after it
                                 * within SEEK_INDEX_RESYNC_WINDOW: the
                                 * frames past it are not counted */
  guint damages;                /* breaks in the frame chain resynced */
  guint64 tag_end;              /* end of a leading ID3v2 tag */
};

SeekIndex *
seek_index_new (void)
{
  SeekIndex *index = g_new0 (SeekIndex, 1);

  index->points = g_array_new (FALSE, FALSE, sizeof (guint64));
  index->feeding = TRUE;
  return index;
}

void
seek_index_free (SeekIndex * index)
{
  if (index == NULL)
    return;
  g_array_unref (index->points);
  g_clear_pointer (&index->fp_sum, g_checksum_free);
  g_clear_pointer (&index->held, g_byte_array_unref);
  g_free (index);
}

static void
sha256 (const guint8 * data, gsize size, guint8 digest[32])
{
  GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);
  gsize n = 32;

  g_checksum_update (sum, data, size);
  g_checksum_get_digest (sum, digest, &n);
  g_checksum_free (sum);
}

/* How much of the audio the fingerprint covers. */
#define FINGERPRINT_BYTES 2048

/* Hashes what of [offset, offset+size) is the next part of the
 * fingerprinted bytes; at the end of them, records the fingerprint (an
 * index built here) or compares it (one from the cache). */
void
seek_index_check (SeekIndex * index, guint64 offset, const guint8 * data,
    gsize size)
{
  guint64 at, until;
  gsize len;

  if (!index->ready || index->verdict != 0
      || (index->fingerprinted && !index->loaded))
    return;
  if (index->fp_len == 0)
    index->fp_len = FINGERPRINT_BYTES;
  at = index->first_offset + index->fp_done;
  until = index->first_offset + index->fp_len;
  if (at < offset || at >= offset + size)
    return;                     /* not contiguous with what was hashed */
  len = MIN (offset + size, until) - at;
  if (index->fp_sum == NULL)
    index->fp_sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (index->fp_sum, data + (at - offset), len);
  index->fp_done += len;
  if (index->fp_done == index->fp_len) {
    guint8 digest[32];
    gsize n = sizeof digest;

    g_checksum_get_digest (index->fp_sum, digest, &n);
    g_clear_pointer (&index->fp_sum, g_checksum_free);
    if (index->loaded)
      index->verdict = memcmp (digest, index->fingerprint, 32) ? -1 : 1;
    else {
      memcpy (index->fingerprint, digest, 32);
      index->fingerprinted = TRUE;
    }
  }
}

gboolean
seek_index_trusted (const SeekIndex * index)
{
  return !index->loaded || index->verdict > 0;
}

gboolean
seek_index_mismatch (const SeekIndex * index)
{
  return index->loaded && index->verdict < 0;
}

/* Notes frame number @frame at @offset. */
static void
add_frame (SeekIndex * index, guint64 frame, guint64 offset)
{
  if (frame % SEEK_INDEX_STRIDE == 0
      && frame / SEEK_INDEX_STRIDE == index->points->len)
    g_array_append_val (index->points, offset);
}

/* Finds the first frame at or after @from in @data (the start of the
 * stream): a header whose successor is a header of the same stream. */
static gboolean
find_first_frame (SeekIndex * index, guint64 base, const guint8 * data,
    gsize size, gsize from, gsize * at)
{
  gsize i;

  for (i = from; i + 4 <= size; i++) {
    MpegFrame a, b;

    if (!mpeg_frame_parse (data + i, &a))
      continue;
    if (i + a.size + 4 > size)
      return FALSE;             /* need more data to be sure */
    if (!mpeg_frame_parse (data + i + a.size, &b) || !same_stream (&a, &b))
      continue;
    *at = i;
    return TRUE;
  }
  return FALSE;
}

MpegResync
mpeg_resync (const MpegFrame * fmt, const guint8 * data, gsize size,
    gsize from, gboolean at_end, gsize * at)
{
  gsize i;

  for (i = from; i < from + SEEK_INDEX_RESYNC_WINDOW; i++) {
    gsize p = i, tag;
    guint n;

    if (i + 10 > size && !at_end)
      return MPEG_RESYNC_MORE;  /* (a tag's header, or a frame's) */
    if (i + 4 > size)
      return MPEG_RESYNC_END;
    tag = data[i] == 'I' ? chapter_id3v2_length (data + i, size - i) : 0;
    if (tag > 0) {
      *at = i + tag;
      return MPEG_RESYNC_FOUND;
    }
    for (n = 0; n < MPEG_RESYNC_FRAMES; n++) {
      MpegFrame f;

      if (p + 4 > size && !at_end)
        return MPEG_RESYNC_MORE;
      if (p + 4 > size || !mpeg_frame_parse (data + p, &f)
          || !same_stream (&f, fmt))
        break;
      p += f.size;
    }
    if (n == MPEG_RESYNC_FRAMES || (n > 0 && at_end && p == size)) {
      *at = i;
      return MPEG_RESYNC_FOUND;
    }
  }
  return MPEG_RESYNC_LOST;
}

/* The start of the stream: skip an ID3v2 tag, find the first frame, read
 * the info frame. Needs the first few KiB in one piece. */
static gboolean
start_stream (SeekIndex * index, guint64 offset, const guint8 * data,
    gsize size)
{
  gsize skip = 0, at;
  MpegFrame f;

  if (offset != 0)
    return FALSE;
  skip = chapter_id3v2_length (data, size);
  if (skip > 0) {
    index->tag_end = skip;
    if (skip >= size)
      return FALSE;
  }
  if (!find_first_frame (index, 0, data, size, skip, &at))
    return FALSE;
  mpeg_frame_parse (data + at, &f);
  index->format = f;
  if (at + f.size <= size && mpeg_info_parse (data + at, f.size, &f,
          &index->info)) {
    if (index->info.tag_at)
      index->lame_tag = at + index->info.tag_at;
    at += f.size;               /* the info frame holds no audio */
  }
  index->first_offset = at;
  index->next_offset = at;
  index->ready = TRUE;
  return TRUE;
}

/* Counts the frames from next_offset on in @data (file offset @base),
 * past damage and tags where the stream is found again; keeps what it
 * cannot yet tell about. */
static void
walk (SeekIndex * index, guint64 base, const guint8 * data, gsize size)
{
  guint64 end = base + size;

  while (index->feeding && index->next_offset >= base
      && index->next_offset < end) {
    gsize at = index->next_offset - base, found;
    MpegFrame f;

    if (size - at >= 4 && mpeg_frame_parse (data + at, &f)
        && same_stream (&f, &index->format)) {
      add_frame (index, index->frames, index->next_offset);
      index->frames++;
      index->next_offset += f.size;
      continue;
    }
    switch (mpeg_resync (&index->format, data, size, at, FALSE, &found)) {
      case MPEG_RESYNC_FOUND:
        index->damages++;
        index->next_offset = base + found;
        break;
      case MPEG_RESYNC_MORE:
        index->held = g_byte_array_sized_new (size - at);
        g_byte_array_append (index->held, data + at, size - at);
        return;
      case MPEG_RESYNC_END:
        index->feeding = FALSE;
        return;
      case MPEG_RESYNC_LOST:
        index->lost = TRUE;
        index->feeding = FALSE;
        return;
    }
  }
}

gboolean
seek_index_feed (SeekIndex * index, guint64 offset, const guint8 * data,
    gsize size)
{
  guint64 end = offset + size;

  if (index->broken)
    return FALSE;
  if (index->ready && offset == 0 && !index->head_seen) {
    /* an index loaded from the cache meets the stream's head: what the
     * cache does not keep (where the LAME tag is) is read there */
    g_autoptr (SeekIndex) head = seek_index_new ();

    if (start_stream (head, 0, data, size))
      index->lame_tag = head->lame_tag;
  }
  index->head_seen |= offset == 0;
  if (!index->ready) {
    if (!start_stream (index, offset, data, size))
      return !(offset == 0 && size >= 65536);
  }
  seek_index_check (index, offset, data, size);
  if (index->complete)
    return TRUE;
  if (!index->feeding && !index->lost && offset == index->stream_end
      && index->next_offset >= offset && index->next_offset < end
      && index->frames > 0) {
    /* a contiguous stream reaches the end of what the index knows (a
     * straight play, or one on from a jump into the known part): the
     * frame there is the next one, and the index grows from it */
    index->feeding = TRUE;
  }
  index->stream_end = end;
  if (!index->feeding)
    return TRUE;

  if (index->held) {
    /* the bytes kept from next_offset on, and these after them */
    GByteArray *held = g_steal_pointer (&index->held);
    guint64 base = index->next_offset;

    if (base + held->len == offset && held->len < 4 && size >= 4) {
      /* (most often a header split over two buffers: that frame, and on
       * in these bytes without copying them) */
      guint8 header[4];
      MpegFrame f;

      memcpy (header, held->data, held->len);
      memcpy (header + held->len, data, 4 - held->len);
      if (mpeg_frame_parse (header, &f) && same_stream (&f, &index->format)) {
        add_frame (index, index->frames, index->next_offset);
        index->frames++;
        index->next_offset += f.size;
        g_byte_array_unref (held);
        walk (index, offset, data, size);
        return TRUE;
      }
    }
    if (base + held->len == offset) {
      g_byte_array_append (held, data, size);
      walk (index, base, held->data, held->len);
      g_byte_array_unref (held);
      return TRUE;
    }
    g_byte_array_unref (held);
    index->feeding = FALSE;     /* not contiguous: a gap in the stream */
    return TRUE;
  }
  walk (index, offset, data, size);
  return TRUE;
}

void
seek_index_restart_at (SeekIndex * index, guint64 frame, guint64 offset)
{
  /* only a frame the index holds continues it; else it goes on when the
   * stream from @offset reaches its end */
  index->feeding = !index->lost && frame == index->frames
      && offset == index->next_offset;
  index->stream_end = offset;
  g_clear_pointer (&index->held, g_byte_array_unref);
}

void
seek_index_set_complete (SeekIndex * index)
{
  /* (frames after damage it lost the stream at were not counted) */
  index->complete = !index->lost;
  index->feeding = FALSE;
}

void
seek_index_cut_at (SeekIndex * index, guint64 size)
{
  if (index->next_offset <= size || index->frames == 0)
    return;
  index->frames--;
  if (index->frames % SEEK_INDEX_STRIDE == 0
      && index->points->len > index->frames / SEEK_INDEX_STRIDE)
    g_array_set_size (index->points, index->frames / SEEK_INDEX_STRIDE);
  index->next_offset = size;
}

guint
seek_index_damages (const SeekIndex * index)
{
  return index->damages;
}

gboolean
seek_index_lost (const SeekIndex * index)
{
  return index->lost;
}

SeekIndex *
seek_index_scan (const guint8 * data, gsize size)
{
  SeekIndex *index = seek_index_new ();

  if (!start_stream (index, 0, data, MIN (size, 1024 * 1024))) {
    seek_index_free (index);
    return NULL;
  }
  /* the hot loop: one header per frame, ~400 bytes apart */
  {
    guint64 pos = index->next_offset, frames = 0;
    guint8 b1 = data[pos + 1] & 0xfe, b2 = data[pos + 2] & 0x0c;
    gsize found;

    for (;;) {
      MpegResync r;

      while (pos + 4 <= size) {
        MpegFrame f;
        const guint8 *p = data + pos;

        /* same version, layer and rate: a cheap test before the full
         * parse */
        if (p[0] != 0xff || (p[1] & 0xfe) != b1 || (p[2] & 0x0c) != b2
            || !mpeg_frame_parse (p, &f))
          break;
        if (frames % SEEK_INDEX_STRIDE == 0)
          g_array_append_val (index->points, pos);
        frames++;
        pos += f.size;
      }
      if (pos + 4 > size)
        break;
      /* damage or a tag inside the stream */
      r = mpeg_resync (&index->format, data, size, pos, TRUE, &found);
      if (r != MPEG_RESYNC_FOUND) {
        index->lost = r == MPEG_RESYNC_LOST;
        break;
      }
      index->damages++;
      pos = MIN (found, size);
    }
    if (pos > size)             /* a truncated last frame */
      frames--;
    index->frames = frames;
    index->next_offset = MIN (pos, size);
  }
  index->fp_len = (guint) MIN (FINGERPRINT_BYTES, index->next_offset -
      index->first_offset);
  seek_index_check (index, index->first_offset, data + index->first_offset,
      index->fp_len);
  /* (after damage it found no stream again: what follows is not counted) */
  if (!index->lost)
    seek_index_set_complete (index);
  return index;
}

gboolean
seek_index_ready (const SeekIndex * index)
{
  return index && index->ready;
}

gboolean
seek_index_complete (const SeekIndex * index)
{
  return index && index->complete;
}

const MpegFrame *
seek_index_format (const SeekIndex * index)
{
  return &index->format;
}

const MpegInfo *
seek_index_info (const SeekIndex * index)
{
  return &index->info;
}

guint64
seek_index_frames (const SeekIndex * index)
{
  return index->frames;
}

guint64
seek_index_end_offset (const SeekIndex * index)
{
  return index->next_offset;
}

guint64
seek_index_first_offset (const SeekIndex * index)
{
  return index->first_offset;
}

guint
seek_index_skip (const SeekIndex * index)
{
  /* the encoder delay plus the 529 samples of decoder delay that the LAME
   * tag's figure leaves out */
  return index->info.delay ? index->info.delay + 529 : 0;
}

gboolean
seek_index_lookup (const SeekIndex * index, guint64 frame,
    guint64 * found_frame, guint64 * offset)
{
  guint64 slot;

  if (index->points->len == 0)
    return FALSE;
  slot = MIN (frame / SEEK_INDEX_STRIDE, index->points->len - 1);
  *found_frame = slot * SEEK_INDEX_STRIDE;
  *offset = g_array_index (index->points, guint64, slot);
  return frame < index->frames;
}

SeekLanding
seek_index_check_landing (const SeekIndex * index, guint64 frame,
    guint64 offset, const guint8 * data, gsize size, gboolean at_end)
{
  guint64 n = frame, next = (frame / SEEK_INDEX_STRIDE + 1) *
      SEEK_INDEX_STRIDE;
  gsize pos = 0;

  if (!index->ready || frame >= index->frames)
    return SEEK_LANDING_GOOD;
  if (frame % SEEK_INDEX_STRIDE != 0
      || frame / SEEK_INDEX_STRIDE >= index->points->len
      || g_array_index (index->points, guint64, frame / SEEK_INDEX_STRIDE)
      != offset)
    return SEEK_LANDING_BAD;    /* not a landing this index planned */
  for (;;) {
    MpegFrame f;
    gsize found;

    if (at_end && pos > size)
      return SEEK_LANDING_BAD;  /* the file ends inside a frame */
    if (n == next && n / SEEK_INDEX_STRIDE < index->points->len)
      return g_array_index (index->points, guint64, n / SEEK_INDEX_STRIDE)
          == offset + pos ? SEEK_LANDING_GOOD : SEEK_LANDING_BAD;
    if (n == index->frames) {
      guint64 end = index->next_offset;

      if (end == offset + pos)
        return SEEK_LANDING_GOOD;
      /* a scan leaves out a last frame the file's end cuts short (a
       * download cut off), and ends at the file's end, inside it */
      if (end < offset + pos || pos + 4 > size
          || !mpeg_frame_parse (data + pos, &f)
          || !same_stream (&f, &index->format)
          || offset + pos + f.size <= end)
        return SEEK_LANDING_BAD;
      if (at_end)
        return offset + size == end ? SEEK_LANDING_GOOD : SEEK_LANDING_BAD;
      return offset + size <= end ? SEEK_LANDING_MORE : SEEK_LANDING_BAD;
    }
    if (pos + 4 <= size && mpeg_frame_parse (data + pos, &f)
        && same_stream (&f, &index->format)) {
      pos += f.size;
      n++;
      continue;
    }
    if (pos + 4 > size && !at_end)
      return SEEK_LANDING_MORE;
    if (n == frame)
      return SEEK_LANDING_BAD;  /* no frame where the index says */
    switch (mpeg_resync (&index->format, data, size, pos, at_end, &found)) {
      case MPEG_RESYNC_FOUND:
        if (found > size && !at_end)
          return SEEK_LANDING_MORE;     /* (a tag longer than what came) */
        pos = found;
        break;
      case MPEG_RESYNC_MORE:
        return SEEK_LANDING_MORE;
      default:
        /* the file ends, or the stream is lost, before the index does */
        return SEEK_LANDING_BAD;
    }
  }
}

gboolean
seek_index_agrees (const SeekIndex * streamed, const SeekIndex * other,
    guint * checked)
{
  guint n = MIN (streamed->points->len, other->points->len);

  if (!streamed->ready || !other->ready)
    return TRUE;
  if (streamed->first_offset != other->first_offset)
    return FALSE;
  for (; *checked < n; (*checked)++)
    if (g_array_index (streamed->points, guint64, *checked) !=
        g_array_index (other->points, guint64, *checked))
      return FALSE;
  return TRUE;
}

guint64
seek_index_lame_tag_offset (const SeekIndex * index)
{
  return index->lame_tag;
}

gint64
seek_index_samples (const SeekIndex * index)
{
  guint64 frames = index->complete ? index->frames : index->info.frames;
  gint64 samples;

  if (!index->ready || frames == 0)
    return -1;
  /* the decoder's 529 samples come off the start and back at the end:
   * the padding figure counts them */
  samples = (gint64) frames * index->format.samples - index->info.delay -
      index->info.padding;
  return MAX (samples, 0);
}

gint64
seek_index_duration (const SeekIndex * index)
{
  gint64 samples = seek_index_samples (index);

  if (samples < 0)
    return -1;
  return samples * G_GINT64_CONSTANT (1000000000) / index->format.rate;
}

gint64
seek_index_frame_sample (const SeekIndex * index, guint64 frame)
{
  return (gint64) frame * index->format.samples -
      (gint64) seek_index_skip (index);
}

guint64
seek_index_frame_at (const SeekIndex * index, gint64 ns)
{
  gint64 sample = (ns * (gint64) index->format.rate +
      G_GINT64_CONSTANT (999999999)) / G_GINT64_CONSTANT (1000000000);

  sample += seek_index_skip (index);
  return (guint64) MAX (sample, 0) / index->format.samples;
}

gsize
seek_index_memory (const SeekIndex * index)
{
  return sizeof *index + index->points->len * sizeof (guint64);
}

/* The cache file: a magic, the stream's format and info, the frame count,
 * then the index points (all little-endian 64-bit). */
/* The cache file: magic, 14 64-bit words (format, info, offsets, frames,
 * point count), the fingerprint's length and SHA-256, the points, then a
 * SHA-256 of all that. Files of the first format (GSTCHIX1, with neither)
 * are not read. */
#define CACHE_MAGIC "GSTCHIX2"
#define CACHE_HEAD (8 + 15 * 8 + 32)

gchar *
seek_index_cache_path (const gchar * key)
{
  g_autofree gchar *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
      key, -1);

  return g_build_filename (g_get_user_cache_dir (), "gst-chapters",
      "seek-index", hash, NULL);
}

gchar *
seek_index_file_key (const gchar * uri, const gchar * path)
{
  struct stat st;

  if (g_stat (path, &st) != 0)
    return NULL;
  return g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\nmtime %" G_GINT64_FORMAT
      ".%09ld ctime %" G_GINT64_FORMAT ".%09ld inode %" G_GUINT64_FORMAT, uri,
      (gint64) st.st_size, (gint64) st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
      (gint64) st.st_ctim.tv_sec, st.st_ctim.tv_nsec, (guint64) st.st_ino);
}

static void
put64 (GByteArray * out, guint64 v)
{
  guint8 b[8];
  guint i;

  for (i = 0; i < 8; i++)
    b[i] = v >> (8 * i);
  g_byte_array_append (out, b, 8);
}

static guint64
get64 (const guint8 * p)
{
  guint64 v = 0;
  gint i;

  for (i = 7; i >= 0; i--)
    v = v << 8 | p[i];
  return v;
}

gboolean
seek_index_save (const SeekIndex * index, const gchar * path, GError ** error)
{
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autofree gchar *dir = g_path_get_dirname (path);
  const MpegFrame *f = &index->format;
  guint8 digest[32];
  guint i;

  g_return_val_if_fail (index->ready, FALSE);
  if (!index->fingerprinted) {
    /* (fewer bytes of audio streamed by than it takes) */
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
        "%s: the index has no fingerprint of its media yet", path);
    return FALSE;
  }
  g_byte_array_append (out, (const guint8 *) CACHE_MAGIC, 8);
  put64 (out, f->version);
  put64 (out, f->layer);
  put64 (out, f->bitrate);
  put64 (out, f->rate);
  put64 (out, f->channels);
  put64 (out, f->samples);
  /* (bit 2: partial, exact up to its last frame; files written before
   * there were partial ones have it clear) */
  put64 (out, index->info.present | index->info.cbr << 1
      | (guint64) !index->complete << 2);
  put64 (out, index->info.frames);
  put64 (out, index->info.delay);
  put64 (out, index->info.padding);
  put64 (out, index->first_offset);
  put64 (out, index->frames);
  put64 (out, index->next_offset);
  put64 (out, index->points->len);
  put64 (out, index->fp_len);
  g_byte_array_append (out, index->fingerprint, 32);
  for (i = 0; i < index->points->len; i++)
    put64 (out, g_array_index (index->points, guint64, i));
  sha256 (out->data, out->len, digest);
  g_byte_array_append (out, digest, 32);
  if (g_mkdir_with_parents (dir, 0700) != 0) {
    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno),
        "%s: cannot create", dir);
    return FALSE;
  }
  if (!g_file_set_contents (path, (const gchar *) out->data, out->len,
          error))
    return FALSE;
  seek_index_cache_prune (dir, SEEK_INDEX_CACHE_FILES);
  return TRUE;
}

typedef struct
{
  gchar *path;
  gint64 used;
} CacheEntry;

static gint
newest_first (gconstpointer a, gconstpointer b)
{
  const CacheEntry *x = a, *y = b;

  return x->used < y->used ? 1 : x->used > y->used ? -1 : 0;
}

void
seek_index_cache_prune (const gchar * dir, guint keep)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr (GArray) entries = g_array_new (FALSE, FALSE, sizeof (CacheEntry));
  const gchar *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d))) {
    CacheEntry e = { g_build_filename (dir, name, NULL), 0 };
    GStatBuf st;

    /* ours only: named by a SHA-256 in hex */
    if (strlen (name) != 64 || g_lstat (e.path, &st) != 0
        || !S_ISREG (st.st_mode)) {
      g_free (e.path);
      continue;
    }
    e.used = st.st_mtime;
    g_array_append_val (entries, e);
  }
  g_array_sort (entries, newest_first);
  for (guint i = 0; i < entries->len; i++) {
    CacheEntry *e = &g_array_index (entries, CacheEntry, i);

    if (i >= keep)
      g_unlink (e->path);
    g_free (e->path);
  }
}

/* The largest cache file read: an index point is 8 bytes a 32 frames, so
 * this is some 500 hours of MP3; anything larger is not ours. */
#define CACHE_MAX_SIZE (16 * 1024 * 1024)

/* Reads a cache file as untrusted input: a regular file only (a FIFO or a
 * device would block or never end), opened without blocking, and no
 * larger than CACHE_MAX_SIZE. */
static gchar *
read_cache_file (const gchar * path, gsize * size, GError ** error)
{
  g_autofree gchar *data = NULL;
  struct stat st;
  gsize got = 0;
  gint fd;

  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0) {
    gint saved = errno;

    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
        "%s: %s", path, g_strerror (saved));
    return NULL;
  }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode)
      || st.st_size > CACHE_MAX_SIZE) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
        "%s: not a seek index (%s)", path, S_ISREG (st.st_mode) ?
        "larger than any index" : "not a regular file");
    close (fd);
    return NULL;
  }
  data = g_malloc (st.st_size + 1);
  while (got < (gsize) st.st_size) {
    gssize n = read (fd, data + got, st.st_size - got);

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    got += n;
  }
  close (fd);
  if (got != (gsize) st.st_size) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO,
        "%s: read %" G_GSIZE_FORMAT " of %" G_GINT64_FORMAT " bytes", path,
        got, (gint64) st.st_size);
    return NULL;
  }
  *size = got;
  return g_steal_pointer (&data);
}

SeekIndex *
seek_index_load (const gchar * path, GError ** error)
{
  g_autofree gchar *data = NULL;
  gsize size;
  const guint8 *p;
  SeekIndex *index;
  guint8 digest[32];
  guint64 n, i, prev = 0;

  data = read_cache_file (path, &size, error);
  if (data == NULL)
    return NULL;
  p = (const guint8 *) data;
  if (size < CACHE_HEAD + 32 || memcmp (p, CACHE_MAGIC, 8) != 0) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
        "%s: not a seek index (of this version)", path);
    return NULL;
  }
  n = get64 (p + 8 + 13 * 8);
  if (n > (size - CACHE_HEAD - 32) / 8 || size != CACHE_HEAD + n * 8 + 32) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
        "%s: truncated seek index", path);
    return NULL;
  }
  sha256 (p, size - 32, digest);
  if (memcmp (digest, p + size - 32, 32) != 0) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
        "%s: damaged seek index (checksum)", path);
    return NULL;
  }
  p += 8;
  index = seek_index_new ();
  index->fp_len = get64 (p + 14 * 8);
  memcpy (index->fingerprint, p + 15 * 8, 32);
  index->fingerprinted = TRUE;
  index->loaded = TRUE;
  index->format.version = get64 (p);
  index->format.layer = get64 (p + 8);
  index->format.bitrate = get64 (p + 16);
  index->format.rate = get64 (p + 24);
  index->format.channels = get64 (p + 32);
  index->format.samples = get64 (p + 40);
  index->info.present = get64 (p + 48) & 1;
  index->info.cbr = (get64 (p + 48) >> 1) & 1;
  index->info.frames = get64 (p + 56);
  index->info.delay = get64 (p + 64);
  index->info.padding = get64 (p + 72);
  index->first_offset = get64 (p + 80);
  index->frames = get64 (p + 88);
  index->next_offset = get64 (p + 96);
  for (i = 0; i < n; i++) {
    guint64 offset = get64 (p + 15 * 8 + 32 + i * 8);

    /* points only go forward, and there is one per stride of frames */
    if (offset < prev || offset >= index->next_offset)
      break;
    g_array_append_val (index->points, offset);
    prev = offset;
  }
  if (i < n || index->format.rate == 0 || index->format.samples == 0
      || (index->format.layer < 1 || index->format.layer > 3)
      || index->fp_len == 0 || index->fp_len > FINGERPRINT_BYTES
      || (n != (index->frames + SEEK_INDEX_STRIDE - 1) / SEEK_INDEX_STRIDE)) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
        "%s: inconsistent seek index", path);
    seek_index_free (index);
    return NULL;
  }
  index->ready = TRUE;
  /* used now: the last to go when the cache is pruned */
  g_utime (path, NULL);
  if ((get64 (p + 48) >> 2) & 1)
    index->feeding = FALSE;     /* goes on where a stream reaches its end */
  else
    seek_index_set_complete (index);
  return index;
}
