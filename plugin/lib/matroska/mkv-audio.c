/* gst-chapters: a Matroska / WebM file with one Vorbis track, taken apart
 * into timed packets and indexed (see mkv-audio.h). The element walk is
 * flat: masters that hold blocks (Segment, Cluster, BlockGroup) are
 * entered, blocks are read whole, everything else is skipped unread, so
 * clusters of unknown size read as well as sized ones. libvorbis reads
 * the headers and tells each packet's block size. */
#define _GNU_SOURCE             /* memmem */
#include "mkv-audio.h"
#include "ebml-read.h"

#include <math.h>
#include <string.h>
#include <vorbis/codec.h>

#define ID_EBML           EBML_ID_HEADER
#define ID_DOCTYPE        0x4282
#define ID_SEGMENT        EBML_ID_SEGMENT
#define ID_INFO           0x1549A966
#define ID_TIMESTAMPSCALE 0x2AD7B1
#define ID_DURATION       0x4489
#define ID_TITLE          0x7BA9
#define ID_TRACKS         0x1654AE6B
#define ID_TRACKENTRY     0xAE
#define ID_TRACKNUMBER    0xD7
#define ID_TRACKTYPE      0x83
#define ID_CODECID        0x86
#define ID_CODECPRIVATE   0x63A2
#define ID_CONTENTENCODINGS 0x6D80
#define ID_TAGS           0x1254C367
#define ID_TAG            0x7373
#define ID_TARGETS        0x63C0
#define ID_TARGETTYPEVALUE 0x68CA
#define ID_TAGTRACKUID    0x63C5
#define ID_SIMPLETAG      0x67C8
#define ID_TAGNAME        0x45A3
#define ID_TAGSTRING      0x4487
#define ID_CLUSTER        EBML_ID_CLUSTER
#define ID_TIMESTAMP      0xE7
#define ID_BLOCKGROUP     0xA0
#define ID_BLOCK          0xA1
#define ID_SIMPLEBLOCK    0xA3

/* The writer's block times are learned from this many packets of known
 * granule before a landing at an unknown place is timed by them; such a
 * landing gives up after the other many packets. */
#define MODEL_PACKETS 64
#define RESOLVE_PACKETS 800

/* The head (tags, chapters, cover art) is held up to this; a block up to
 * the other. */
#define MAX_HEAD (16 * 1024 * 1024)
#define MAX_BLOCK (4 * 1024 * 1024)

struct _MkvReader
{
  gboolean ready;
  GByteArray *head;             /* bytes from 0 until the first cluster */
  gsize head_len;               /* how much of it is the head */
  OggAudioInfo info;
  guint64 track;
  GPtrArray *headers;           /* GBytes */
  vorbis_info vi;
  vorbis_comment vc;
  GstTagList *tags;
  gint64 written_duration;
  guint64 timescale;            /* ns per tick */

  /* the walk through the clusters */
  GByteArray *rest;             /* an element not yet whole */
  guint64 next_offset;          /* file offset of the next byte expected */
  guint64 skip;                 /* bytes of a skipped element still to come */
  guint64 cluster;              /* byte of the current cluster */
  gint64 cluster_time;          /* its timestamp in ticks, -1 unknown */
  gboolean cluster_start;       /* no packet of it read yet */
  glong prev_block;             /* -1 after a discontinuity */
  gint64 running;               /* granule after the last packet, -1 unknown */
  gint64 first_end;             /* after a discont: the first packet's end */
  gboolean lost;                /* looking for the next cluster */
  gboolean damage_time;         /* since then: times from the blocks */
  gchar *damage;                /* what was damaged, for the caller */

  /* How the writer times its blocks: a block's time, in granules, minus
   * the granule of its packet's first sample, lies in [model_lo,
   * model_hi] up to half a tick of rounding; learned from every packet of
   * known granule. (ffmpeg: 128, a short block, on every packet.) */
  gdouble model_lo, model_hi;
  guint model_n;
  gboolean model_broken;
  gint model_ready;             /* atomic: a landing can be timed by it */
  /* a landing at an unknown place: its packets held until the model leaves
   * one granule for them */
  gboolean resolving;
  GArray *held;                 /* HeldPacket */
  gint64 held_rel;              /* granules from the first one's end */
  gdouble x_lo, x_hi;           /* where that end can be */
};

typedef struct
{
  guint8 *data;
  gsize size;
  gint64 rel_start;             /* -1: the first, which decodes to nothing */
  gint64 rel_end;
  guint64 cluster;
  gboolean cluster_start;
} HeldPacket;

MkvReader *
mkv_reader_new (void)
{
  MkvReader *reader = g_new0 (MkvReader, 1);

  reader->head = g_byte_array_new ();
  reader->rest = g_byte_array_new ();
  reader->headers = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  vorbis_info_init (&reader->vi);
  vorbis_comment_init (&reader->vc);
  reader->written_duration = -1;
  reader->timescale = 1000000;
  reader->model_lo = -G_MAXDOUBLE;
  reader->model_hi = G_MAXDOUBLE;
  reader->held = g_array_new (FALSE, FALSE, sizeof (HeldPacket));
  reader->cluster_time = -1;
  reader->prev_block = -1;
  reader->running = 0;
  reader->first_end = -1;
  return reader;
}

static void
drop_held_packets (MkvReader * reader)
{
  guint i;

  for (i = 0; i < reader->held->len; i++)
    g_free (g_array_index (reader->held, HeldPacket, i).data);
  g_array_set_size (reader->held, 0);
}

void
mkv_reader_free (MkvReader * reader)
{
  if (reader == NULL)
    return;
  g_byte_array_unref (reader->head);
  g_byte_array_unref (reader->rest);
  g_ptr_array_unref (reader->headers);
  vorbis_comment_clear (&reader->vc);
  vorbis_info_clear (&reader->vi);
  if (reader->tags)
    gst_tag_list_unref (reader->tags);
  g_free (reader->damage);
  drop_held_packets (reader);
  g_array_unref (reader->held);
  g_free (reader);
}

/* CodecPrivate of A_VORBIS: the three headers, Xiph-laced. */
static gboolean
take_vorbis_headers (MkvReader * reader, const guint8 * p, gsize size,
    gchar ** error)
{
  gsize sizes[3], pos = 1, total = 0;
  guint i;

  if (size < 3 || p[0] != 2) {
    *error = g_strdup ("Vorbis CodecPrivate does not hold three headers");
    return FALSE;
  }
  for (i = 0; i < 2; i++) {
    sizes[i] = 0;
    while (pos < size && p[pos] == 255)
      sizes[i] += p[pos++];
    if (pos >= size) {
      *error = g_strdup ("Vorbis CodecPrivate cut short");
      return FALSE;
    }
    sizes[i] += p[pos++];
    total += sizes[i];
  }
  if (total > size - pos) {
    *error = g_strdup ("Vorbis CodecPrivate cut short");
    return FALSE;
  }
  sizes[2] = size - pos - total;
  for (i = 0; i < 3; i++) {
    ogg_packet op = { (guchar *) p + pos, (long) sizes[i], i == 0, 0, 0, i };

    if (vorbis_synthesis_headerin (&reader->vi, &reader->vc, &op) != 0) {
      *error = g_strdup_printf ("Vorbis header %u is not valid", i + 1);
      return FALSE;
    }
    if (i == 0 && !ogg_audio_info_parse (p + pos, sizes[i], &reader->info)) {
      *error = g_strdup ("Vorbis identification header is not valid");
      return FALSE;
    }
    g_ptr_array_add (reader->headers, g_bytes_new (p + pos, sizes[i]));
    pos += sizes[i];
  }
  return TRUE;
}

/* Tracks: exactly one, audio, plain Vorbis. */
static gboolean
take_tracks (MkvReader * reader, const guint8 * p, gsize size,
    gchar ** error)
{
  EbmlWalk w = { p, size }, t;
  EbmlElement e, f;
  const guint8 *body, *sub, *private = NULL;
  gsize private_size = 0;
  guint n = 0;
  guint64 type = 0;
  g_autofree gchar *codec = NULL;

  while (ebml_walk_next (&w, &e, &body)) {
    if (e.id != ID_TRACKENTRY)
      continue;
    if (++n > 1) {
      *error = g_strdup ("more than one track");
      return FALSE;
    }
    t = (EbmlWalk) { body, e.size };
    while (ebml_walk_next (&t, &f, &sub)) {
      if (f.id == ID_TRACKNUMBER)
        reader->track = ebml_read_uint (sub, f.size);
      else if (f.id == ID_TRACKTYPE)
        type = ebml_read_uint (sub, f.size);
      else if (f.id == ID_CODECID)
        codec = g_strndup ((const gchar *) sub, f.size);
      else if (f.id == ID_CODECPRIVATE)
        private = sub, private_size = f.size;
      else if (f.id == ID_CONTENTENCODINGS) {
        *error = g_strdup ("the track is compressed or encrypted");
        return FALSE;
      }
    }
  }
  if (n == 0 || type != 2 || g_strcmp0 (codec, "A_VORBIS") != 0) {
    *error = g_strdup_printf ("not one Vorbis audio track (%s)",
        codec ? codec : "no codec");
    return FALSE;
  }
  return take_vorbis_headers (reader, private, private_size, error);
}

/* A string tag, when it is text. */
static void
add_tag (MkvReader * reader, const gchar * tag, const guint8 * value,
    gsize len)
{
  g_autofree gchar *text = g_strndup ((const gchar *) value, len);

  if (!g_utf8_validate (text, -1, NULL) || *text == '\0')
    return;
  if (reader->tags == NULL)
    reader->tags = gst_tag_list_new_empty ();
  gst_tag_list_add (reader->tags, GST_TAG_MERGE_APPEND, tag, text, NULL);
}

static void
take_info (MkvReader * reader, const guint8 * p, gsize size)
{
  EbmlWalk w = { p, size };
  EbmlElement e;
  const guint8 *body;
  guint64 scale = 1000000;
  gdouble duration = -1;

  while (ebml_walk_next (&w, &e, &body)) {
    if (e.id == ID_TIMESTAMPSCALE)
      scale = ebml_read_uint (body, e.size);
    else if (e.id == ID_DURATION)
      duration = ebml_read_float (body, e.size);
    else if (e.id == ID_TITLE && gst_is_initialized ())
      add_tag (reader, GST_TAG_TITLE, body, e.size);
  }
  if (scale > 0 && scale < G_GUINT64_CONSTANT (1000000000000))
    reader->timescale = scale;
  if (duration >= 0 && duration * scale < 1e18)
    reader->written_duration = (gint64) (duration * scale + 0.5);
}

/* The tags that apply to the whole segment. */
static void
take_tags (MkvReader * reader, const guint8 * p, gsize size)
{
  static const struct
  {
    const gchar *name, *tag;
  } names[] = {
    {"TITLE", GST_TAG_TITLE}, {"ARTIST", GST_TAG_ARTIST},
    {"ALBUM", GST_TAG_ALBUM}, {"COMMENT", GST_TAG_COMMENT},
    {"DESCRIPTION", GST_TAG_DESCRIPTION}, {"GENRE", GST_TAG_GENRE},
    {"COPYRIGHT", GST_TAG_COPYRIGHT}, {"ENCODER", GST_TAG_ENCODER},
  };
  EbmlWalk w = { p, size };
  EbmlElement e;
  const guint8 *body;

  while (ebml_walk_next (&w, &e, &body)) {
    EbmlWalk t = { body, e.size };
    EbmlElement f;
    const guint8 *sub;
    gboolean global = TRUE;

    if (e.id != ID_TAG)
      continue;
    while (ebml_walk_next (&t, &f, &sub)) {
      EbmlWalk s = { sub, f.size };
      EbmlElement g;
      const guint8 *v, *name = NULL, *value = NULL;
      gsize name_len = 0, value_len = 0;
      guint i;

      if (f.id == ID_TARGETS) {
        while (ebml_walk_next (&s, &g, &v))
          if (g.id == ID_TAGTRACKUID || (g.id == ID_TARGETTYPEVALUE
                  && ebml_read_uint (v, g.size) < 50))
            global = FALSE;
        continue;
      }
      if (f.id != ID_SIMPLETAG || !global)
        continue;
      while (ebml_walk_next (&s, &g, &v)) {
        if (g.id == ID_TAGNAME)
          name = v, name_len = g.size;
        else if (g.id == ID_TAGSTRING)
          value = v, value_len = g.size;
      }
      if (name == NULL || value == NULL)
        continue;
      for (i = 0; i < G_N_ELEMENTS (names); i++) {
        if (strlen (names[i].name) == name_len
            && g_ascii_strncasecmp ((const gchar *) name, names[i].name,
                name_len) == 0) {
          add_tag (reader, names[i].tag, value, value_len);
          break;
        }
      }
    }
  }
}

/* Reads the head from byte 0 up to the first cluster. 1 done, 0 not ours
 * (@error), -1 more bytes needed. */
static gint
parse_head (MkvReader * reader, gchar ** error)
{
  const guint8 *d = reader->head->data;
  gsize size = reader->head->len, pos, start, at;
  gboolean tracks = FALSE;
  EbmlElement e;
  gint r;

  r = ebml_read_header (d, size, &e);
  if (r <= 0 || e.id != ID_EBML || e.size == EBML_SIZE_UNKNOWN) {
    if (r == 0 || (r > 0 && e.id != ID_EBML)) {
      *error = g_strdup ("no EBML header at byte 0");
      return 0;
    }
    return -1;
  }
  if (size < e.header + e.size)
    return -1;
  {
    EbmlWalk w = { d + e.header, e.size };
    EbmlElement f;
    const guint8 *body;
    gboolean known = FALSE;

    while (ebml_walk_next (&w, &f, &body))
      if (f.id == ID_DOCTYPE)
        known = (f.size >= 8 && memcmp (body, "matroska", 8) == 0)
            || (f.size >= 4 && memcmp (body, "webm", 4) == 0);
    if (!known) {
      *error = g_strdup ("not a Matroska or WebM document");
      return 0;
    }
  }
  pos = e.header + e.size;
  r = ebml_read_header (d + pos, size - pos, &e);
  if (r <= 0 || e.id != ID_SEGMENT) {
    if (r == 0 || (r > 0 && e.id != ID_SEGMENT)) {
      *error = g_strdup_printf ("no Segment at byte %" G_GSIZE_FORMAT, pos);
      return 0;
    }
    return -1;
  }
  pos += e.header;
  start = pos;
  /* all there up to the first cluster? */
  for (;;) {
    r = ebml_read_header (d + pos, size - pos, &e);
    if (r < 0)
      return -1;
    if (r == 0 || e.size == EBML_SIZE_UNKNOWN) {
      if (r != 0 && e.id == ID_CLUSTER)
        break;
      *error = g_strdup_printf ("invalid element at byte %" G_GSIZE_FORMAT,
          pos);
      return 0;
    }
    if (e.id == ID_CLUSTER)
      break;
    if (size - pos < e.header + e.size)
      return -1;
    pos += e.header + e.size;
  }
  /* then read, once */
  for (at = start; at < pos; at += e.header + e.size) {
    ebml_read_header (d + at, size - at, &e);
    if (e.id == ID_INFO)
      take_info (reader, d + at + e.header, e.size);
    else if (e.id == ID_TAGS && gst_is_initialized ())
      take_tags (reader, d + at + e.header, e.size);
    else if (e.id == ID_TRACKS) {
      if (!take_tracks (reader, d + at + e.header, e.size, error))
        return 0;
      tracks = TRUE;
    }
  }
  if (!tracks) {
    *error = g_strdup ("no Tracks before the first cluster");
    return 0;
  }
  reader->info.first_page = pos;
  reader->head_len = pos;
  return 1;
}

/* A block's time in granules; half a tick in @half. */
static gdouble
time_granules (MkvReader * reader, gint64 time, gdouble * half)
{
  gdouble per_tick = (gdouble) reader->timescale * reader->info.rate / 1e9;

  *half = per_tick / 2;
  return time * per_tick;
}

/* Where the packet of block time @time starts, after damage: by the
 * writer's timing as far as it was learned (its offset known to a few
 * granules), else with the time taken as the start of its output. */
static gint64
damaged_start (MkvReader * reader, gint64 time)
{
  gdouble half, t = time_granules (reader, time, &half);

  if (!reader->model_broken && reader->model_n >= MODEL_PACKETS)
    t -= (reader->model_lo + reader->model_hi) / 2;
  return MAX ((gint64) (t + 0.5), 0);
}

/* A packet of known first granule @start, its block's time @time: what
 * the writer's timing must be. */
static void
learn (MkvReader * reader, gint64 start, gint64 time)
{
  gdouble half, d = time_granules (reader, time, &half) - start;

  if (reader->model_broken)
    return;
  reader->model_lo = MAX (reader->model_lo, d - half);
  reader->model_hi = MIN (reader->model_hi, d + half);
  reader->model_n++;
  if (reader->model_lo > reader->model_hi + 1e-6)
    reader->model_broken = TRUE;        /* no constant offset: not usable */
  g_atomic_int_set (&reader->model_ready, !reader->model_broken
      && reader->model_n >= MODEL_PACKETS
      && reader->model_hi - reader->model_lo < 1.0);
}

/* The held packets go out: with their granules when @end (the first one's
 * end) is known, without (-1) when the landing could not be timed. */
static gboolean
release_held_packets (MkvReader * reader, gint64 end, OggPacketFunc func,
    gpointer user_data)
{
  gboolean ok = TRUE;
  guint i;

  reader->resolving = FALSE;
  reader->running = end >= 0 ? end + reader->held_rel : -1;
  reader->damage_time = end < 0;
  for (i = 0; i < reader->held->len && ok; i++) {
    HeldPacket *h = &g_array_index (reader->held, HeldPacket, i);
    OggPacket packet = { h->data, h->size, FALSE, -1, -1, 0, h->cluster,
      h->cluster_start
    };

    if (end >= 0) {
      packet.start = h->rel_start >= 0 ? end + h->rel_start : -1;
      packet.end = end + h->rel_end;
    }
    ok = func (&packet, user_data);
  }
  drop_held_packets (reader);
  return ok;
}

/* A packet of a landing at an unknown place: held, and the range of the
 * first one's end narrowed by its block's time, until one granule is
 * left. */
static gboolean
resolve_packet (MkvReader * reader, const guint8 * data, gsize size,
    gint64 duration, gint64 time, gboolean first, OggPacketFunc func,
    gpointer user_data)
{
  HeldPacket h = { g_memdup2 (data, size), size, -1, 0, reader->cluster,
    first
  };
  gdouble lo, hi;

  if (reader->held->len > 0) {
    h.rel_start = reader->held_rel;
    reader->held_rel += MAX (duration, 0);
    h.rel_end = reader->held_rel;
  }
  g_array_append_val (reader->held, h);
  if (reader->held->len > 1 && time >= 0 && duration >= 0) {
    gdouble half, t = time_granules (reader, time, &half) - h.rel_start;

    reader->x_lo = MAX (reader->x_lo, t - reader->model_hi - half - 1e-6);
    reader->x_hi = MIN (reader->x_hi, t - reader->model_lo + half + 1e-6);
  }
  lo = ceil (reader->x_lo);
  hi = floor (reader->x_hi);
  if (lo > hi || reader->held->len >= RESOLVE_PACKETS)
    return release_held_packets (reader, -1, func, user_data);
  if (lo == hi && lo >= 0)
    return release_held_packets (reader, (gint64) lo, func, user_data);
  return TRUE;
}

/* One packet of our track; @time: its block's time in ticks (-1: not
 * the block's first). */
static gboolean
take_packet (MkvReader * reader, const guint8 * data, gsize size,
    gint64 time, OggPacketFunc func, gpointer user_data)
{
  ogg_packet op = { (guchar *) data, (long) size, 0, 0, -1, 0 };
  glong block = size > 0 ? vorbis_packet_blocksize (&reader->vi, &op) : -1;
  gint64 duration = -1;
  OggPacket packet = { data, size, FALSE, -1, -1, 0, reader->cluster };

  gboolean first = reader->cluster_start;

  reader->cluster_start = FALSE;
  if (block > 0 && reader->prev_block > 0)
    duration = (reader->prev_block + block) / 4;
  if (block > 0)
    reader->prev_block = block;
  if (reader->resolving)
    return resolve_packet (reader, data, size, duration, time, first, func,
        user_data);
  packet.cluster_start = first;
  if (reader->running >= 0 && duration >= 0) {
    packet.start = reader->running;
    packet.end = reader->running + duration;
  } else if (reader->running >= 0) {
    packet.end = reader->running;       /* the first: it decodes to nothing */
  } else if (reader->first_end >= 0 && block > 0) {
    packet.end = reader->first_end;     /* the first after a seek */
    reader->first_end = -1;
  } else if (reader->damage_time && time >= 0 && duration >= 0) {
    /* after damage: from the file's own time, to its tick (the first
     * packet, which decodes to nothing, goes out untimed: its end is not
     * known) */
    packet.start = damaged_start (reader, time);
    packet.end = packet.start + duration;
  }
  if (packet.end >= 0)
    reader->running = packet.end;
  if (packet.start >= 0 && time >= 0 && !reader->damage_time)
    learn (reader, packet.start, time);
  return func (&packet, user_data);
}

/* A block (SimpleBlock or Block) whole in memory: its packets, laced or
 * not. 1 on, 0 broken, -1 stopped by @func. */
static gint
take_block (MkvReader * reader, const guint8 * p, gsize size,
    OggPacketFunc func, gpointer user_data)
{
  guint len, i, n, lacing;
  guint64 track = 0;
  gsize pos, sizes[256], total = 0;
  gint64 time = -1;

  for (len = 1; len <= 8 && size > 0 && !(p[0] & (0x80 >> (len - 1)));
      len++);
  if (size == 0 || len > 8 || size < len + 3)
    return 0;
  track = p[0] & (0xff >> len);
  for (i = 1; i < len; i++)
    track = track << 8 | p[i];
  if (track != reader->track)
    return 0;                   /* the file has one track */
  if (reader->cluster_time >= 0)
    time = MAX (reader->cluster_time + (gint16) (p[len] << 8 | p[len + 1]),
        0);
  pos = len + 2;
  lacing = (p[pos++] >> 1) & 3;
  if (lacing == 0)
    return take_packet (reader, p + pos, size - pos, time, func,
        user_data) ? 1 : -1;
  if (pos >= size)
    return 0;
  n = p[pos++] + 1u;
  if (lacing == 2) {
    /* fixed: equal sizes */
    if ((size - pos) % n != 0)
      return 0;
    for (i = 0; i < n; i++)
      sizes[i] = (size - pos) / n;
  } else {
    for (i = 0; i + 1 < n; i++) {
      if (lacing == 1) {
        /* Xiph: runs of 255 */
        sizes[i] = 0;
        do {
          if (pos >= size)
            return 0;
          sizes[i] += p[pos];
        } while (p[pos++] == 255);
      } else {
        /* EBML: the first a vint, the others signed differences */
        guint l, k;
        guint64 v;

        if (pos >= size)
          return 0;
        for (l = 1; l <= 8 && !(p[pos] & (0x80 >> (l - 1))); l++);
        if (l > 8 || pos + l > size)
          return 0;
        v = p[pos] & (0xff >> l);
        for (k = 1; k < l; k++)
          v = v << 8 | p[pos + k];
        pos += l;
        if (i == 0) {
          sizes[0] = v;
        } else {
          gint64 diff = (gint64) v - ((G_GINT64_CONSTANT (1) << (7 * l - 1))
              - 1);

          if ((gint64) sizes[i - 1] + diff < 0)
            return 0;
          sizes[i] = (gsize) ((gint64) sizes[i - 1] + diff);
        }
      }
      if (sizes[i] > size)
        return 0;
      total += sizes[i];
    }
    if (total > size - pos)
      return 0;
    sizes[n - 1] = size - pos - total;
  }
  for (i = 0; i < n; i++) {
    if (!take_packet (reader, p + pos, sizes[i], i == 0 ? time : -1, func,
            user_data))
      return -1;
    pos += sizes[i];
  }
  return 1;
}

/* An element that may follow the head, of a size it may have: anything
 * else is damage (the walk skips elements by their stated size, so a
 * wrong one would skip the rest of the file). */
static gboolean
expected_element (guint32 id, guint64 size)
{
  switch (id) {
    case 0x1C53BB6B:           /* Cues */
    case 0x1254C367:           /* Tags */
    case 0x1043A770:           /* Chapters */
    case 0x1941A469:           /* Attachments */
    case 0x114D9B74:           /* SeekHead */
    case ID_INFO:
    case ID_TRACKS:
      return TRUE;
    case ID_TIMESTAMP:
    case 0x5854:               /* SilentTracks */
    case 0xA7:                 /* Position */
    case 0xAB:                 /* PrevSize */
    case 0xAF:                 /* EncryptedBlock */
    case 0xA2:                 /* BlockVirtual */
    case 0x75A1:               /* BlockAdditions */
    case 0x9B:                 /* BlockDuration */
    case 0xFA:                 /* ReferencePriority */
    case 0xFB:                 /* ReferenceBlock */
    case 0xFD:                 /* ReferenceVirtual */
    case 0xA4:                 /* CodecState */
    case 0x75A2:               /* DiscardPadding */
    case 0x8E:                 /* Slices */
    case 0xC8:                 /* ReferenceFrame */
    case 0xBF:                 /* CRC-32 */
    case 0xEC:                 /* Void */
      return size <= MAX_BLOCK;
    default:
      return FALSE;
  }
}

/* Damage at @offset: noted for the caller, and the walk goes on at the
 * next cluster. The packets from there are timed as after a landing at an
 * unknown place: held until the writer's block times leave one granule
 * for them, when those are learned; else they carry the file's own
 * times. */
static void
damaged (MkvReader * reader, guint64 offset, const gchar * what)
{
  /* looking for a cluster after a landing or damage: the packets held so
   * far are not followed by the next ones; the timing starts over after
   * it */
  if (reader->resolving)
    drop_held_packets (reader);
  else if (reader->damage == NULL)
    reader->damage = g_strdup_printf ("%s at byte %" G_GUINT64_FORMAT
        "; skipped to the next cluster", what, offset);
  reader->lost = TRUE;
  reader->cluster_time = -1;
  reader->skip = 0;
  reader->running = -1;
  reader->prev_block = -1;
  reader->first_end = -1;
  reader->resolving = g_atomic_int_get (&reader->model_ready);
  reader->damage_time = !reader->resolving;
  reader->held_rel = 0;
  reader->x_lo = -G_MAXDOUBLE;
  reader->x_hi = G_MAXDOUBLE;
}

/* Walks the elements after the head in @p (file offset @base), setting
 * @done to how many bytes it is done with. 1 on, -1 stopped. */
static gint
walk_clusters (MkvReader * reader, guint64 base, const guint8 * p,
    gsize len, gsize * done, OggPacketFunc func, gpointer user_data)
{
  static const guint8 cluster_id[4] = { 0x1F, 0x43, 0xB6, 0x75 };
  gsize pos = 0;
  gint r = 1;

  while (pos < len && r > 0) {
    EbmlElement e;
    gint h;

    if (reader->lost) {
      const guint8 *hit = memmem (p + pos, len - pos, cluster_id, 4);

      if (hit == NULL) {
        pos = len > pos + 3 ? len - 3 : pos;
        break;
      }
      pos = hit - p;
      reader->lost = FALSE;
    }
    if (reader->skip > 0) {
      gsize n = MIN (reader->skip, len - pos);

      reader->skip -= n;
      pos += n;
      continue;
    }
    h = ebml_read_header (p + pos, len - pos, &e);
    if (h < 0)
      break;
    if (h == 0) {
      damaged (reader, base + pos, "an invalid element");
      pos++;
      continue;
    }
    if (e.id == ID_CLUSTER || e.id == ID_BLOCKGROUP || e.id == ID_SEGMENT) {
      /* a master that holds blocks: its children follow */
      if (e.id == ID_CLUSTER) {
        reader->cluster = base + pos;
        reader->cluster_time = -1;
        reader->cluster_start = TRUE;
      }
      pos += e.header;
      continue;
    }
    if (e.size == EBML_SIZE_UNKNOWN) {
      damaged (reader, base + pos, "an element of unknown size");
      pos++;
      continue;
    }
    if (e.id == ID_TIMESTAMP && e.size <= 8) {
      if (len - pos < e.header + e.size)
        break;
      reader->cluster_time = (gint64) MIN (ebml_read_uint (p + pos + e.header,
              e.size), G_MAXINT64 / 2);
      pos += e.header + e.size;
      continue;
    }
    if (e.id != ID_SIMPLEBLOCK && e.id != ID_BLOCK) {
      if (!expected_element (e.id, e.size)) {
        damaged (reader, base + pos, "an unexpected element");
        pos++;
        continue;
      }
      pos += e.header;
      reader->skip = e.size;
      continue;
    }
    if (e.size > MAX_BLOCK) {
      damaged (reader, base + pos, "an oversized block");
      pos++;
      continue;
    }
    if (len - pos < e.header + e.size)
      break;
    r = take_block (reader, p + pos + e.header, e.size, func, user_data);
    if (r == 0) {
      damaged (reader, base + pos, "a broken block");
      pos++;
      r = 1;
      continue;
    }
    pos += e.header + e.size;
  }
  *done = pos;
  return r;
}

/* Walks @data and keeps what is left of an element cut short. */
static gint
walk_fed (MkvReader * reader, guint64 offset, const guint8 * data,
    gsize size, OggPacketFunc func, gpointer user_data)
{
  gsize done = 0;
  gint r;

  if (reader->rest->len > 0) {
    g_byte_array_append (reader->rest, data, size);
    offset -= reader->rest->len - size;
    r = walk_clusters (reader, offset, reader->rest->data, reader->rest->len,
        &done, func, user_data);
    g_byte_array_remove_range (reader->rest, 0, done);
    return r;
  }
  r = walk_clusters (reader, offset, data, size, &done, func, user_data);
  if (r > 0)
    g_byte_array_append (reader->rest, data + done, size - done);
  return r;
}

gint
mkv_reader_feed (MkvReader * reader, guint64 offset, const guint8 * data,
    gsize size, OggPacketFunc func, gpointer user_data, gchar ** error)
{
  GByteArray *head;
  gint r;

  if (reader->ready) {
    if (offset != reader->next_offset) {
      *error = g_strdup_printf ("bytes from %" G_GUINT64_FORMAT " where %"
          G_GUINT64_FORMAT " was expected", offset, reader->next_offset);
      return 0;
    }
    reader->next_offset = offset + size;
    return walk_fed (reader, offset, data, size, func, user_data);
  }
  if (offset != reader->head->len) {
    *error = g_strdup ("the head must be read from byte 0");
    return 0;
  }
  g_byte_array_append (reader->head, data, size);
  r = parse_head (reader, error);
  if (r < 0 && reader->head->len > MAX_HEAD) {
    *error = g_strdup_printf ("no cluster in the first %d MiB",
        MAX_HEAD >> 20);
    return 0;
  }
  if (r <= 0)
    return r < 0 ? 1 : 0;
  reader->ready = TRUE;
  head = reader->head;
  reader->cluster = reader->head_len;
  reader->next_offset = head->len;
  return walk_fed (reader, reader->head_len, head->data + reader->head_len,
      head->len - reader->head_len, func, user_data);
}

gboolean
mkv_reader_ready (const MkvReader * reader)
{
  return reader->ready;
}

const OggAudioInfo *
mkv_reader_info (const MkvReader * reader)
{
  return &reader->info;
}

guint
mkv_reader_n_headers (const MkvReader * reader)
{
  return reader->headers->len;
}

const guint8 *
mkv_reader_header (const MkvReader * reader, guint i, gsize * size)
{
  return g_bytes_get_data (g_ptr_array_index (reader->headers, i), size);
}

const guint8 *
mkv_reader_head (const MkvReader * reader, gsize * size)
{
  *size = reader->head_len;
  return reader->head->data;
}

GstTagList *
mkv_reader_tags (const MkvReader * reader)
{
  return reader->tags ? gst_tag_list_copy (reader->tags) : NULL;
}

gint64
mkv_reader_written_duration (const MkvReader * reader)
{
  return reader->written_duration;
}

gint64
mkv_reader_position (const MkvReader * reader)
{
  return reader->running;
}

gchar *
mkv_reader_take_damage (MkvReader * reader)
{
  return g_steal_pointer (&reader->damage);
}

gboolean
mkv_reader_times_exact (const MkvReader * reader)
{
  return reader->running >= 0 && !reader->damage_time;
}

gboolean
mkv_reader_can_time_landing (MkvReader * reader)
{
  return g_atomic_int_get (&reader->model_ready);
}

void
mkv_reader_discont (MkvReader * reader, guint64 offset, gint64 granule)
{
  drop_held_packets (reader);
  reader->resolving = FALSE;
  if (granule == MKV_UNKNOWN_CLUSTER && g_atomic_int_get
      (&reader->model_ready)) {
    /* a byte somewhere: the next cluster, then its packets timed by the
     * writer's block times once they leave one granule */
    reader->resolving = TRUE;
    reader->held_rel = 0;
    reader->x_lo = -G_MAXDOUBLE;
    reader->x_hi = G_MAXDOUBLE;
    granule = -1;
  }
  g_byte_array_set_size (reader->rest, 0);
  reader->next_offset = offset;
  reader->skip = 0;
  reader->cluster = offset;
  reader->cluster_start = !reader->resolving;
  reader->prev_block = -1;
  reader->running = -1;
  reader->first_end = granule;
  reader->lost = reader->resolving;
  reader->damage_time = granule < 0 && !reader->resolving;
  reader->cluster_time = -1;
}

typedef struct
{
  OggIndex *index;
  MkvReader *reader;
} Scan;

/* A cluster's first packet, timed exactly (not after damage): a point. */
static gboolean
scan_packet (const OggPacket * packet, gpointer user_data)
{
  Scan *scan = user_data;

  if (packet->cluster_start && packet->end >= 0
      && mkv_reader_times_exact (scan->reader))
    ogg_index_add (scan->index, packet->end, packet->page_offset);
  return TRUE;
}

OggIndex *
mkv_index_scan (const guint8 * data, gsize size)
{
  g_autoptr (MkvReader) reader = mkv_reader_new ();
  g_autofree gchar *error = NULL;
  OggIndex *index = ogg_index_new ();
  Scan scan = { index, reader };
  gsize head = MIN (size, 64 * 1024);
  gint r;

  /* the head first (it may need more than its first bytes), then the
   * clusters straight from the mapping */
  r = mkv_reader_feed (reader, 0, data, head, scan_packet, &scan, &error);
  while (r > 0 && !reader->ready && head < size) {
    gsize more = MIN (size - head, MAX (head, 64 * 1024));

    r = mkv_reader_feed (reader, head, data + head, more, scan_packet,
        &scan, &error);
    head += more;
  }
  if (r > 0 && reader->ready) {
    ogg_index_set_info (index, &reader->info);
    if (head < size)
      r = mkv_reader_feed (reader, head, data + head, size - head,
          scan_packet, &scan, &error);
  }
  if (r <= 0 || !reader->ready || reader->running < 0) {
    ogg_index_free (index);
    return NULL;
  }
  ogg_index_set_file_size (index, size);
  ogg_index_set_end (index, reader->running, TRUE);
  return index;
}
