/* gst-chapters: the seek table's packet path, for the containers whose
 * audio it takes apart in place of their demuxer: Ogg Opus and Ogg Vorbis
 * (one logical stream), and Matroska/WebM with one Vorbis track, served
 * as Ogg Vorbis (its reader is in seek-matroska.c).
 *
 * oggdemux in push mode seeks by a bisection of its own and never asks
 * upstream, so the element takes the stream apart itself (ogg-index.h)
 * and outputs the packets, timed by their granules. Every page header is
 * an exact index point; a jump reads from the page that lets the decoder
 * produce the target sample (Opus: 80 ms of pre-roll, Vorbis: the packet
 * before), and a landing after that reads again from further back. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "seek-table-private.h"

#include <gst/audio/audio.h>
#include <gst/pbutils/pbutils.h>
#include <gst/tag/tag.h>

/* Opus decodes exactly after 80 ms of pre-roll (RFC 7845 4.6). */
#define OPUS_PREROLL 3840

/* The Ogg index to answer from. */
OggIndex *
seek_packets_index_locked (GstSeekTable * self)
{
  if (self->ogg_scanned)
    return self->ogg_scanned;
  return ogg_index_ready (self->ogg) ? self->ogg : NULL;
}

/* The reader of the stream taken apart: Ogg's or Matroska's. */
#define READER(self) ((self)->backend->packets)

static const OggAudioInfo *
demux_info (GstSeekTable * self)
{
  return READER (self)->info (self);
}

static const guint8 *
demux_header (GstSeekTable * self, guint i, gsize * size)
{
  return READER (self)->header (self, i, size);
}

static const gchar *
demux_name (GstSeekTable * self)
{
  return READER (self)->name;
}

/* Granules of audio the decoder needs before the target. */
guint64
seek_packets_preroll (const OggAudioInfo * info)
{
  return info->codec == OGG_AUDIO_OPUS ? OPUS_PREROLL : 2 * info->max_block;
}

static GstBuffer *
ogg_header_buffer (GstSeekTable * self, guint i)
{
  gsize size;
  const guint8 *data = demux_header (self, i, &size);
  GstBuffer *buf = gst_buffer_new_memdup (data, size);

  GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_HEADER);
  return buf;
}

/* The stream is ours: caps, tags and a TIME segment go out, then the
 * header packets, as oggdemux sends them. */
static void
ogg_start (GstSeekTable * self)
{
  const OggAudioInfo *info = demux_info (self);
  guint i, n = READER (self)->n_headers (self);
  GstCaps *caps;
  GstTagList *tags;
  GstToc *toc = NULL;
  gsize size;
  const guint8 *comments = demux_header (self, 1, &size);

  self->demux = DEMUX_OURS;
  self->ogg_started = TRUE;
  seek_table_drop_held (self);
  if (info->codec == OGG_AUDIO_OPUS) {
    g_autoptr (GstBuffer) id = ogg_header_buffer (self, 0);
    g_autoptr (GstBuffer) tags_buf = ogg_header_buffer (self, 1);

    caps = gst_codec_utils_opus_create_caps_from_header (id, tags_buf);
    tags = gst_tag_list_from_vorbiscomment (comments, size,
        (const guint8 *) "OpusTags", 8, NULL);
  } else {
    GValue array = G_VALUE_INIT;

    caps = gst_caps_new_simple ("audio/x-vorbis", "rate", G_TYPE_INT,
        (gint) info->rate, "channels", G_TYPE_INT, (gint) info->channels,
        NULL);
    g_value_init (&array, GST_TYPE_ARRAY);
    for (i = 0; i < n; i++) {
      GValue value = G_VALUE_INIT;
      GstBuffer *buf = ogg_header_buffer (self, i);

      g_value_init (&value, GST_TYPE_BUFFER);
      gst_value_take_buffer (&value, buf);
      gst_value_array_append_and_take_value (&array, &value);
    }
    gst_caps_set_value (caps, "streamheader", &array);
    g_value_unset (&array);
    tags = gst_tag_list_from_vorbiscomment (comments, size,
        (const guint8 *) "\003vorbis", 7, NULL);
  }
  if (READER (self)->start)
    toc = READER (self)->start (self, &tags);
  GST_INFO_OBJECT (self, "%s %s, one stream: taken apart here (%"
      GST_PTR_FORMAT ")", demux_name (self), info->codec == OGG_AUDIO_OPUS ?
      "Opus" : "Vorbis", caps);
  seek_table_push_collection (self, caps);
  gst_pad_push_event (self->srcpad, gst_event_new_caps (caps));
  gst_caps_unref (caps);
  if (tags) {
    gst_tag_list_add (tags, GST_TAG_MERGE_REPLACE, GST_TAG_CONTAINER_FORMAT,
        demux_name (self), NULL);
    gst_pad_push_event (self->srcpad, gst_event_new_tag (tags));
  }
  gst_segment_init (&self->segment, GST_FORMAT_TIME);
  seek_table_push_segment (self, self->upstream_seqnum);
  if (toc) {
    /* the container's own, as matroskademux sends them */
    gst_clear_mini_object ((GstMiniObject **) &self->toc);
    gst_pad_push_event (self->srcpad, gst_event_new_toc (toc, FALSE));
    gst_toc_unref (toc);
  }
  seek_table_push_toc (self);
  self->ogg_flushed = FALSE;
  for (i = 0; i < n && self->ogg_ret == GST_FLOW_OK; i++)
    self->ogg_ret = gst_pad_push (self->srcpad, ogg_header_buffer (self, i));
}

static GstClockTime
granules_to_time (guint64 granules, guint rate)
{
  return gst_util_uint64_scale_int (granules, GST_SECOND, rate);
}

/* A packet as a buffer, timed by its granules; Opus pre-skip and the
 * stream's last page clip it as oggdemux does. */
static GstBuffer *
ogg_packet_buffer (const OggPacket * packet, const OggAudioInfo * info)
{
  GstBuffer *buf = gst_buffer_new_memdup (packet->data, packet->size);
  guint64 skip = info->codec == OGG_AUDIO_OPUS ? info->pre_skip : 0;
  guint64 clip_start = 0;

  if (packet->start >= 0) {
    guint64 start = packet->start;

    if (start < skip)
      clip_start = MIN (skip, (guint64) packet->end) - start;
    start = MAX (start, skip) - skip;
    GST_BUFFER_PTS (buf) = granules_to_time (start, info->rate);
    /* (a stream shorter than its pre-skip clips it all) */
    GST_BUFFER_DURATION (buf) = granules_to_time (MAX ((gint64) (packet->end
                - packet->start - clip_start - packet->clip_end), 0),
        info->rate);
  } else if (packet->end >= 0) {
    /* it decodes to nothing: it belongs where the next one starts */
    GST_BUFFER_PTS (buf) = granules_to_time (MAX ((guint64) packet->end,
            skip) - skip, info->rate);
    GST_BUFFER_DURATION (buf) = 0;
  }
  GST_BUFFER_DTS (buf) = GST_BUFFER_PTS (buf);
  GST_BUFFER_OFFSET_END (buf) = packet->end;
  if (clip_start || packet->clip_end)
    gst_buffer_add_audio_clipping_meta (buf, GST_FORMAT_DEFAULT, clip_start,
        packet->clip_end);
  return buf;
}

/* The Ogg or Matroska landing under way is given up: the seek reads
 * again from @offset (Matroska: a cluster ending its first packet at
 * @granule, or PLAN_ANY_BYTE). Called with the object lock, which it
 * releases. */
void
seek_packets_read_again_unlock (GstSeekTable * self, guint64 offset,
    guint64 granule)
{
  guint plan;

  seek_table_plan_locked (self, self->backend, PLAN_LANDING, &self->segment,
      offset, self->target_sample, self->seqnum);
  self->pending.point_granule = granule;
  self->landing = LANDING_NONE;
  plan = self->plans;
  GST_OBJECT_UNLOCK (self);
  seek_table_retry_async (self, plan);
}

/* The Ogg seek read from after where the decoder must start: again from
 * further back. TRUE: the packet is passed over instead (the last retry,
 * from the first page, reads on to a timed one). */
gboolean
seek_packets_overshoot (GstSeekTable * self, const OggPacket * packet)
{
  OggIndex *index;
  guint64 offset = 0, want, granule = 0;

  if (self->retries >= MAX_RETRIES)
    return TRUE;                /* (the last read: on to a timed packet) */
  GST_OBJECT_LOCK (self);
  index = seek_packets_index_locked (self);
  if (index == NULL || seek_table_newer_plan_locked (self)) {
    GST_OBJECT_UNLOCK (self);
    return FALSE;
  }
  want = self->target_sample - MIN (self->target_sample,
      seek_packets_preroll (ogg_index_info (index)));
  self->retries++;
  want = seek_table_retry_want (self, want, ogg_index_info (index)->rate);
  if (self->retries >= MAX_RETRIES)
    offset = ogg_index_info (index)->first_page, granule = 0;
  else
    READER (self)->read_from_locked (self, index, want, packet->end < 0
        || self->retries >= MAX_RETRIES / 2, &offset, &granule);
  GST_DEBUG_OBJECT (self, "landed on granule %" G_GINT64_FORMAT " after %"
      G_GUINT64_FORMAT "; reading again from byte %" G_GUINT64_FORMAT,
      packet->end, want, offset);
  seek_packets_read_again_unlock (self, offset, granule);
  return FALSE;
}

/* Plays from the start: a landing at time 0, the way a seek lands. */
static void
ogg_play_from_start (GstSeekTable * self, gboolean at_eos)
{
  const OggAudioInfo *info = demux_info (self);
  guint32 seqnum = self->upstream_seqnum ? self->upstream_seqnum :
      gst_util_seqnum_next ();
  guint plan;

  GST_OBJECT_LOCK (self);
  if (self->probing)
    self->quiet_seqnum = seqnum;        /* back from the end: no audio yet */
  self->probing = FALSE;
  seek_table_plan_locked (self, self->backend, PLAN_LANDING, NULL,
      info->first_page,
      info->codec == OGG_AUDIO_OPUS ? info->pre_skip : 0, seqnum);
  self->retries = 0;
  plan = self->plans;
  GST_OBJECT_UNLOCK (self);
  if (at_eos) {
    /* the source's end, in its own thread: a seek from here would be
     * undone when that thread pauses after the end */
    seek_table_retry_async (self, plan);
    return;
  }
  if (!seek_table_send_bytes_seek (self, GST_SEEK_FLAG_FLUSH,
          info->first_page, seqnum, FALSE))
    GST_ELEMENT_ERROR (self, RESOURCE, SEEK, (NULL), ("upstream refused a "
            "seek back to the first Ogg page, at byte %" G_GUINT64_FORMAT,
            info->first_page));
}

/* Streamed, not scanned: the duration is in the last page. Like oggdemux
 * in push mode, the element reads the end of the file once, before any
 * audio, then reads on from the first page. TRUE: gone to read it. */
static gboolean
ogg_probe_end (GstSeekTable * self)
{
  gint64 size = -1;
  guint64 from;
  gboolean local;
  guint32 seqnum = gst_util_seqnum_next ();

  GST_OBJECT_LOCK (self);
  /* (a local file's scan, maybe waiting for playback, gives the end) */
  local = self->scan_thread != NULL || self->ogg_scanned != NULL
      || self->scan_path != NULL;
  GST_OBJECT_UNLOCK (self);
  if (local || !READER (self)->probes_end || self->landing != LANDING_NONE
      || ogg_index_last_granule (self->ogg) >= 0
      || (size = seek_table_upstream_size (self)) < 256 * 1024)
    return FALSE;
  from = MAX ((guint64) size - 64 * 1024, demux_info (self)->first_page);
  GST_DEBUG_OBJECT (self, "reading the last pages, from byte %"
      G_GUINT64_FORMAT ", for the duration", from);
  GST_OBJECT_LOCK (self);
  seek_table_plan_locked (self, self->backend, PLAN_OGG_END, NULL, from, 0,
      seqnum);
  self->quiet_seqnum = seqnum;
  GST_OBJECT_UNLOCK (self);
  /* refused: nothing is awaited, and playback goes on without it */
  return seek_table_send_bytes_seek (self, GST_SEEK_FLAG_FLUSH, from, seqnum,
      FALSE);
}

/* Each packet the reader completes. FALSE stops the reader. */
static gboolean
ogg_packet_out (const OggPacket * packet, gpointer user_data)
{
  GstSeekTable *self = user_data;
  const OggAudioInfo *info = demux_info (self);
  GstBuffer *buf;

  if (!self->ogg_started) {
    ogg_start (self);
    if (self->ogg_ret == GST_FLOW_OK && ogg_probe_end (self))
      return FALSE;
  }
  if (self->ogg_ret != GST_FLOW_OK)
    return FALSE;
  if (READER (self)->packet && !READER (self)->packet (self, packet))
    return FALSE;
  if (self->landing == LANDING_SEARCH) {
    guint64 target = self->target_sample;
    guint64 need = target - MIN (target, info->codec == OGG_AUDIO_OPUS ?
        OPUS_PREROLL : 0);

    if (packet->end < 0)
      return TRUE;
    /* Opus: the pre-roll before the target; Vorbis: the packet before the
     * one that holds the target, which decodes to nothing */
    if ((packet->start >= 0 ? (guint64) packet->start : (guint64) packet->end)
        > need || (info->codec == OGG_AUDIO_VORBIS
            && (guint64) packet->end > target)) {
      if (!seek_table_past_gap (self))
        return seek_packets_overshoot (self, packet);
    } else if ((guint64) packet->end + seek_packets_preroll (info) <= target) {
      self->landing_behind = TRUE;
      return TRUE;              /* not needed */
    }
    GST_DEBUG_OBJECT (self, "landed on granule %" G_GINT64_FORMAT " (page "
        "at byte %" G_GUINT64_FORMAT ") for %" G_GUINT64_FORMAT ", %u "
        "retries", packet->end, packet->page_offset, target, self->retries);
    self->landing = LANDING_LANDED;
    seek_table_push_segment (self, self->seqnum);
    self->discont = TRUE;
    self->ogg_flushed = FALSE;
  }
  buf = ogg_packet_buffer (packet, info);
  if (self->ogg_flushed) {
    /* bytes after a flush that no landing of ours answers (a seek that a
     * later one overtook): the packets' own times start the segment */
    gst_segment_init (&self->segment, GST_FORMAT_TIME);
    if (GST_BUFFER_PTS_IS_VALID (buf))
      self->segment.start = self->segment.time = GST_BUFFER_PTS (buf);
    seek_table_push_segment (self, self->seqnum);
    self->ogg_flushed = FALSE;
    self->discont = TRUE;
  }
  if (packet->clip_end && info->codec == OGG_AUDIO_VORBIS) {
    /* vorbisdec leaves clipping meta alone: the segment ends the stream */
    self->segment.stop = granules_to_time (packet->end - packet->clip_end,
        info->rate);
    seek_table_push_segment (self, self->seqnum ? self->seqnum :
        self->upstream_seqnum);
  }
  if (self->discont) {
    GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DISCONT);
    self->discont = FALSE;
  }
  self->ogg_ret = gst_pad_push (self->srcpad, buf);
  return self->ogg_ret == GST_FLOW_OK;
}

/* The bytes of a stream we take apart (or may: at byte 0). */
GstFlowReturn
seek_packets_chain (GstSeekTable * self, guint64 offset, GstBuffer * buf)
{
  g_autofree gchar *error = NULL;
  GstMapInfo map;
  gint r;

  if (self->probing) {
    /* the end of the file, for the duration: the index read it */
    gst_buffer_unref (buf);
    if (ogg_index_last_granule (self->ogg) >= 0)
      ogg_play_from_start (self, FALSE);
    return GST_FLOW_OK;
  }
  if (!gst_buffer_map (buf, &map, GST_MAP_READ)) {
    gst_buffer_unref (buf);
    return GST_FLOW_ERROR;
  }
  self->ogg_ret = GST_FLOW_OK;
  r = READER (self)->feed (self, offset, map.data, map.size, ogg_packet_out,
      &error);
  gst_buffer_unmap (buf, &map);
  if (r == 0 && self->demux == DEMUX_UNDECIDED) {
    GST_DEBUG_OBJECT (self, "%s, but not a stream we take apart: %s",
        demux_name (self), error);
    self->held = g_list_prepend (self->held, buf);
    return seek_table_release_held (self);
  }
  if (r == 0) {
    /* a chained or multiplexed stream after all: what we sent so far is
     * all we can */
    GST_ELEMENT_WARNING (self, STREAM, DEMUX, (NULL), ("%s: %s; the "
            "stream ends here", demux_name (self), error));
    gst_buffer_unref (buf);
    return GST_FLOW_EOS;
  }
  if (self->demux == DEMUX_UNDECIDED) {
    self->held = g_list_prepend (self->held, buf);
    return GST_FLOW_OK;
  }
  gst_buffer_unref (buf);
  return self->ogg_ret;
}

/* A TIME seek in an Ogg stream we take apart: from the page that lets the
 * decoder produce the target sample; the landing is checked in the data. */
gboolean
seek_packets_seek (GstSeekTable * self, const GstSegment * segment,
    guint32 seqnum, GstSeekFlags flags)
{
  gint64 size = seek_table_upstream_size (self);
  OggIndex *index;
  const OggAudioInfo *info;
  guint64 target, want, offset = 0, granule = 0;
  gboolean exact;

  GST_OBJECT_LOCK (self);
  index = seek_packets_index_locked (self);
  if (index == NULL) {
    GST_OBJECT_UNLOCK (self);
    return FALSE;
  }
  info = ogg_index_info (index);
  target = gst_util_uint64_scale_int (segment->start, info->rate, GST_SECOND)
      + (info->codec == OGG_AUDIO_OPUS ? info->pre_skip : 0);
  want = target - MIN (target, seek_packets_preroll (info));
  if (size > 0)
    ogg_index_set_file_size (index, size);
  exact = READER (self)->read_from_locked (self, index, want, FALSE, &offset,
      &granule);
  GST_DEBUG_OBJECT (self, "%s seek to %" GST_TIME_FORMAT " (granule %"
      G_GUINT64_FORMAT "): from byte %" G_GUINT64_FORMAT "%s",
      demux_name (self), GST_TIME_ARGS (segment->start), target, offset,
      exact ? "" : " (estimate)");
  seek_table_plan_locked (self, self->backend, PLAN_LANDING, segment, offset,
      target, seqnum);
  self->pending.point_granule = granule;
  self->probing = FALSE;
  self->retries = 0;
  GST_OBJECT_UNLOCK (self);
  return seek_table_send_bytes_seek (self, GST_SEEK_FLAG_FLUSH, offset,
      seqnum, TRUE);
}


/* The answer to our BYTES seek: a landing, or the end of the file read
 * for the duration. */
void
seek_packets_answer_locked (GstSeekTable * self, guint64 start)
{
  if (self->pending.kind == PLAN_OGG_END) {
    self->probing = TRUE;
    self->landing = LANDING_NONE;
    self->in_offset = start;
    return;
  }
  seek_table_take_plan_locked (self, start);
  self->landing = LANDING_SEARCH;
  GST_LOG_OBJECT (self, "our seek's answer: from byte %" G_GUINT64_FORMAT
      " (point granule %" G_GINT64_FORMAT ")", start,
      (gint64) self->pending.point_granule);
  READER (self)->discont (self, start,
      self->pending.point_granule == PLAN_ANY_BYTE ?
      MKV_UNKNOWN_CLUSTER : (gint64) self->pending.point_granule);
}

/* Bytes from elsewhere in a stream we take apart: the reader finds its
 * way in them. */
gboolean
seek_packets_foreign_segment (GstSeekTable * self,
    const GstSegment * segment)
{
  GST_OBJECT_LOCK (self);
  self->landing = LANDING_NONE;
  GST_OBJECT_UNLOCK (self);
  READER (self)->discont (self, segment->start, -1);
  return TRUE;
}

void
seek_packets_flush (GstSeekTable * self)
{
  self->ogg_flushed = TRUE;
}

gboolean
seek_packets_eos (GstSeekTable * self)
{
  if (self->probing) {
    /* no page with the last-page flag: the highest granule it is */
    ogg_index_mark_end (self->ogg);
    ogg_play_from_start (self, TRUE);
    return FALSE;
  }
  if (READER (self)->end)
    READER (self)->end (self);
  return TRUE;
}

QueryAnswer
seek_packets_query (GstSeekTable * self, GstQuery * query)
{
  OggIndex *ogg;
  gint64 duration = -1;

  GST_OBJECT_LOCK (self);
  ogg = seek_packets_index_locked (self);
  if (ogg)
    duration = ogg_index_duration (ogg);
  if (duration < 0)
    duration = self->mkv_duration;      /* Matroska's own, to the ms */
  GST_OBJECT_UNLOCK (self);
  if (GST_QUERY_TYPE (query) == GST_QUERY_DURATION) {
    if (duration < 0)
      return QUERY_REFUSED;     /* not the bytes upstream counts */
    gst_query_set_duration (query, GST_FORMAT_TIME, duration);
    return QUERY_ANSWERED;
  }
  if (ogg == NULL)
    return QUERY_NOT_MINE;
  /* a live stream: nothing to seek in */
  if (!seek_table_upstream_seekable (self))
    gst_query_set_seeking (query, GST_FORMAT_TIME, FALSE, 0, -1);
  else
    gst_query_set_seeking (query, GST_FORMAT_TIME, TRUE, 0, duration);
  return QUERY_ANSWERED;
}

void
seek_packets_reset_locked (GstSeekTable * self)
{
  ogg_index_free (self->ogg);
  self->ogg = ogg_index_new ();
  g_clear_pointer (&self->ogg_scanned, ogg_index_free);
  self->not_ogg = FALSE;
  self->mkv_duration = -1;
  self->ogg_started = FALSE;
  self->quiet_seqnum = 0;
  self->probing = FALSE;
  self->ogg_flushed = FALSE;
}

/* Ogg's reader */

static const OggAudioInfo *
ogg_info (GstSeekTable * self)
{
  return ogg_reader_info (self->reader);
}

static guint
ogg_n_headers (GstSeekTable * self)
{
  return ogg_reader_n_headers (self->reader);
}

static const guint8 *
ogg_header (GstSeekTable * self, guint i, gsize * size)
{
  return ogg_reader_header (self->reader, i, size);
}

static void
ogg_discont (GstSeekTable * self, guint64 offset, gint64 granule)
{
  ogg_reader_discont (self->reader, offset);
}

static gint
ogg_feed (GstSeekTable * self, guint64 offset, const guint8 * data,
    gsize size, OggPacketFunc func, gchar ** error)
{
  gint r = ogg_reader_feed (self->reader, offset, data, size, func, self,
      error);
  g_autofree gchar *damage = ogg_reader_take_damage (self->reader);

  if (damage)
    GST_ELEMENT_WARNING (self, STREAM, DEMUX, (NULL), ("Ogg: %s; skipped to "
            "the next page; times from there are its own", damage));
  return r;
}

/* Every page is an exact point: the one before @want. */
static gboolean
ogg_read_from_locked (GstSeekTable * self, OggIndex * index, guint64 want,
    gboolean far_back, guint64 * offset, guint64 * granule)
{
  *granule = 0;
  return ogg_index_locate (index, want, offset);
}

static const SeekPacketReader ogg_packet_reader = {
  .name = "Ogg",
  .info = ogg_info,
  .n_headers = ogg_n_headers,
  .header = ogg_header,
  .discont = ogg_discont,
  .feed = ogg_feed,
  .read_from_locked = ogg_read_from_locked,
  .probes_end = TRUE,
  .scan = ogg_index_scan,
};

/* The backend. */

static void
ogg_scan (GstSeekTable * self, const gchar * path, const guint8 * bytes,
    gsize size)
{
  seek_packets_scan (self, &ogg_packet_reader, path, bytes, size);
}

/* A local file's index, by @reader: pages (Ogg) or clusters (Matroska).
 * In the scan thread. */
void
seek_packets_scan (GstSeekTable * self, const SeekPacketReader * reader,
    const gchar * path, const guint8 * bytes, gsize size)
{
  gint64 t0 = g_get_monotonic_time ();
  OggIndex *ogg = reader->scan (bytes, size);

  if (ogg == NULL)
    return;                     /* (none we index) */
  GST_INFO_OBJECT (self, "indexed %s %s: %u points in %" G_GINT64_FORMAT
      " us", reader->name, path, ogg_index_points (ogg),
      g_get_monotonic_time () - t0);
  GST_OBJECT_LOCK (self);
  ogg_index_free (self->ogg_scanned);
  self->ogg_scanned = ogg;
  GST_OBJECT_UNLOCK (self);
}

static void
ogg_feed_locked (GstSeekTable * self, guint64 offset, const guint8 * data,
    gsize size)
{
  if (!self->not_ogg && !ogg_index_feed (self->ogg, offset, data, size))
    self->not_ogg = TRUE;
}

static void
ogg_init (GstSeekTable * self)
{
  self->ogg = ogg_index_new ();
  self->reader = ogg_reader_new ();
  self->mkv_duration = -1;
}

static void
ogg_reset_locked (GstSeekTable * self)
{
  seek_packets_reset_locked (self);
  ogg_reader_free (self->reader);
  self->reader = ogg_reader_new ();
}

static void
ogg_finalize (GstSeekTable * self)
{
  ogg_index_free (self->ogg);
  ogg_reader_free (self->reader);
}

const SeekBackend seek_backend_ogg = {
  .name = "Ogg",
  .packets = &ogg_packet_reader,
  .scan = ogg_scan,
  .feed_locked = ogg_feed_locked,
  .container = "ogg",
  .takes_apart = TRUE,
  .chain = seek_packets_chain,
  .seek = seek_packets_seek,
  .answer_locked = seek_packets_answer_locked,
  .foreign_segment = seek_packets_foreign_segment,
  .flush = seek_packets_flush,
  .eos = seek_packets_eos,
  .query = seek_packets_query,
  .reset_locked = ogg_reset_locked,
  .init = ogg_init,
  .finalize = ogg_finalize,
};
