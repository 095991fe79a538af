/* gst-chapters: the seek table's MP4 (M4A/AAC) backend.
 *
 * qtdemux lands within a sample of a target (the edit list's priming, in
 * nanoseconds, rounds) and feeds the decoder from the frame that holds it,
 * without the frame before, whose overlap the first one needs. The movie
 * box's sample tables give every frame's time and byte exactly: the
 * element reads the movie (after the media data, with one seek, when it
 * comes last), then cuts the AAC frames from the bytes itself, a jump
 * reading from the frame before the target. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "seek-table-private.h"

#include <gst/audio/audio.h>
#include <string.h>

#include "chapter-embedded.h"
#include "chapter-bytes.h"

static void
mp4_forget (GstSeekTable * self)
{
  if (self->backend == &seek_backend_mp4)
    self->backend = NULL;
  self->mp4_ready = FALSE;
  g_clear_pointer (&self->mp4_head, g_byte_array_unref);
  mp4_audio_clear (&self->mp4_audio);
  gst_clear_caps (&self->mp4_caps);
}

/* Not one we take apart: to qtdemux, from byte 0. */
static GstFlowReturn
mp4_abandon (GstSeekTable * self, const gchar * why)
{
  GST_DEBUG_OBJECT (self, "not an MP4 we take apart: %s", why);
  mp4_forget (self);
  if (self->demux == DEMUX_UNDECIDED)
    return seek_table_release_held (self);
  /* the bytes held went by in a look at the end: read them again, as
   * they came (stream-start and typefind's caps first, which were held
   * and dropped with them) */
  self->demux = DEMUX_NO;
  seek_table_forward_sticky (self, GST_EVENT_STREAM_START);
  seek_table_forward_sticky (self, GST_EVENT_CAPS);
  if (!seek_table_send_bytes_seek (self, GST_SEEK_FLAG_FLUSH, 0,
          gst_util_seqnum_next (), FALSE)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SEEK, (NULL), ("upstream refused a "
            "seek back to byte 0"));
    return GST_FLOW_ERROR;
  }
  return GST_FLOW_OK;
}

/* A TIME seek in an MP4 we take apart: from the frame before the one that
 * holds the target; the segment starts at the target's sample (the
 * nanoseconds rounded down to it, as GStreamer counts samples), in
 * nanoseconds rounded up, so that the decoder's clip, which rounds down,
 * lands on it and the frames' times (rounded down) stay before it. */
static gboolean
mp4_seek (GstSeekTable * self, const GstSegment * segment, guint32 seqnum,
    GstSeekFlags flags)
{
  const Mp4Audio *a = &self->mp4_audio;
  guint64 scale = a->track.timescale, at, end;
  guint i, from;
  GstSegment seg = *segment;

  if (!self->mp4_ready || a->track.n == 0 || scale == 0) {
    /* the movie box never came (the stream ended, or a server sent other
     * bytes): no frame to seek to */
    GST_DEBUG_OBJECT (self, "MP4 seek refused: no movie box read");
    return FALSE;
  }

  at = a->priming + gst_util_uint64_scale (segment->start, scale,
      GST_SECOND);
  i = mp4_audio_sample_at (a, at);
  from = i > 0 ? i - 1 : 0;
  seg.start = gst_util_uint64_scale_ceil (at, GST_SECOND, scale);
  seg.time = segment->start;
  seg.position = seg.start;
  end = a->length ? a->priming + a->length :
      (guint64) (a->track.starts[a->track.n - 1] +
      a->track.durations[a->track.n - 1]);
  seg.stop = gst_util_uint64_scale (end, GST_SECOND, scale);
  if (GST_CLOCK_TIME_IS_VALID (segment->stop))
    seg.stop = MIN (seg.stop, gst_util_uint64_scale_ceil (a->priming,
            GST_SECOND, scale) + segment->stop);
  if (seg.start > seg.stop)
    seg.start = seg.position = seg.stop;        /* past the end: nothing */
  GST_DEBUG_OBJECT (self, "MP4 seek to %" GST_TIME_FORMAT ": frame %u at "
      "byte %" G_GUINT64_FORMAT ", for the target in frame %u",
      GST_TIME_ARGS (segment->start), from, a->track.offsets[from], i);
  GST_OBJECT_LOCK (self);
  seek_table_plan_locked (self, &seek_backend_mp4, PLAN_LANDING, &seg, from,
      0, seqnum);
  GST_OBJECT_UNLOCK (self);
  return seek_table_send_bytes_seek (self, GST_SEEK_FLAG_FLUSH,
      a->track.offsets[from], seqnum, TRUE);
}

static GBytes *
no_sample_fetch (guint64 offset, guint32 size, gpointer user_data)
{
  return NULL;
}

/* The movie box is in: ours when it is one AAC track; then caps, and
 * playback from the first frame. */
static GstFlowReturn
mp4_take_moov (GstSeekTable * self, const guint8 * moov, gsize size)
{
  g_autofree gchar *error = NULL;
  GstSegment start;
  GstCaps *caps;
  GstTagList *tags;

  if (!mp4_audio_read (moov, size, &self->mp4_audio, &error))
    return mp4_abandon (self, error);
  GST_INFO_OBJECT (self, "MP4 with one AAC track (%u frames, %u Hz, %u "
      "channels, priming %" G_GUINT64_FORMAT "): taken apart here",
      self->mp4_audio.track.n, self->mp4_audio.rate,
      self->mp4_audio.channels, self->mp4_audio.priming);
  self->mp4_ready = TRUE;
  self->demux = DEMUX_OURS;
  if (gst_seek_table_autoplugged (self) && self->toc == NULL) {
    /* over HTTP: what the movie box holds (Nero chapters); QuickTime
     * chapter titles are samples elsewhere in the file */
    g_autoptr (ChapterList) list = chapter_mp4_read_moov (moov, size,
        no_sample_fetch, NULL, FALSE);

    seek_table_keep_chapters (self, list);
  }
  /* the movie's own metadata (title, artist, cover...), as qtdemux sends,
   * read before the head that holds @moov goes */
  tags = mp4_moov_tags (moov, size);
  if (tags == NULL)
    tags = gst_tag_list_new_empty ();
  g_clear_pointer (&self->mp4_head, g_byte_array_unref);
  seek_table_drop_held (self);
  caps = gst_caps_new_simple ("audio/mpeg", "mpegversion", G_TYPE_INT, 4,
      "stream-format", G_TYPE_STRING, "raw", "framed", G_TYPE_BOOLEAN, TRUE,
      "rate", G_TYPE_INT, (gint) self->mp4_audio.rate, "channels", G_TYPE_INT,
      (gint) self->mp4_audio.channels, NULL);
  {
    gsize n;
    const guint8 *asc = g_bytes_get_data (self->mp4_audio.codec_data, &n);
    GstBuffer *codec_data = gst_buffer_new_memdup (asc, n);

    gst_caps_set_simple (caps, "codec_data", GST_TYPE_BUFFER, codec_data,
        NULL);
    gst_buffer_unref (codec_data);
  }
  /* (the caps now, so that decodebin plugs the decoder, which the first
   * frame's times depend on; the collection with the first frame, after
   * the flush of the seek to it: a parser downstream, aacparse, forgets
   * on a flush the collection it holds for its first frame) */
  gst_pad_push_event (self->srcpad, gst_event_new_caps (caps));
  gst_caps_replace (&self->mp4_caps, caps);
  gst_caps_unref (caps);
  gst_tag_list_add (tags, GST_TAG_MERGE_REPLACE, GST_TAG_CONTAINER_FORMAT,
      "ISO MP4/M4A", NULL);
  gst_pad_push_event (self->srcpad, gst_event_new_tag (tags));
  gst_segment_init (&start, GST_FORMAT_TIME);
  if (!mp4_seek (self, &start, self->upstream_seqnum ?
          self->upstream_seqnum : gst_util_seqnum_next (),
          GST_SEEK_FLAG_FLUSH)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SEEK, (NULL), ("upstream refused a "
            "seek to the first AAC frame"));
    return GST_FLOW_ERROR;
  }
  return GST_FLOW_OK;
}

/* Box types are four printable characters (ISO/IEC 14496-12 4.2). */
static gboolean
mp4_box_type_valid (const guint8 * type)
{
  for (guint i = 0; i < 4; i++)
    if (type[i] < 0x20 || type[i] > 0x7e)
      return FALSE;
  return TRUE;
}

/* Walks the top-level boxes read so far: the movie box when it is whole,
 * or, when the media data comes first, a look at what follows it. */
static GstFlowReturn
mp4_scan_head (GstSeekTable * self)
{
  const guint8 *d = self->mp4_head->data;
  gsize len = self->mp4_head->len, pos = 0;

  while (pos + 8 <= len) {
    guint64 size;
    gsize header;

    if (!chapter_mp4_box_header (d + pos, len - pos, &size, &header)) {
      if (pos + 16 > len)
        break;                  /* a 64-bit size still to come */
      return mp4_abandon (self, "a box shorter than its header");
    }
    if (!mp4_box_type_valid (d + pos + 4))
      return mp4_abandon (self, "no box where one should start (a server "
          "that answered from another byte than asked?)");
    if (memcmp (d + pos + 4, "moov", 4) == 0) {
      if (size == 0 || size > 64 * 1024 * 1024)
        return mp4_abandon (self, "a movie box of no or too large a size");
      if (pos + size > len)
        break;
      return mp4_take_moov (self, d + pos + header, size - header);
    }
    if (memcmp (d + pos + 4, "mdat", 4) == 0) {
      guint64 after = self->mp4_head_offset + pos + size;
      guint32 seqnum = gst_util_seqnum_next ();

      gint64 length;

      if (size == 0)
        return mp4_abandon (self, "media data to the end, no movie box");
      if ((length = seek_table_upstream_size (self)) >= 0
          && after >= (guint64) length)
        return mp4_abandon (self, "the file ends inside its media data, "
            "before the movie box (a partial download?)");
      /* the movie box after the media data: read it there */
      GST_DEBUG_OBJECT (self, "media data first: the movie box from byte %"
          G_GUINT64_FORMAT, after);
      GST_OBJECT_LOCK (self);
      seek_table_plan_locked (self, &seek_backend_mp4, PLAN_MP4_MOOV, NULL,
          after, 0, seqnum);
      GST_OBJECT_UNLOCK (self);
      if (!seek_table_send_bytes_seek (self, GST_SEEK_FLAG_FLUSH, after,
              seqnum, FALSE))
        return mp4_abandon (self, "upstream cannot seek to the movie box");
      /* no way back to the held bytes now: from here, it is ours or read
       * again from byte 0 */
      seek_table_drop_held (self);
      self->demux = DEMUX_OURS;
      return GST_FLOW_OK;
    }
    if (size == 0)
      return mp4_abandon (self, "no movie box");
    pos += size;
  }
  if (len > 16 * 1024 * 1024)
    return mp4_abandon (self, "no movie box in the first 16 MiB");
  return GST_FLOW_OK;
}

/* The audio decoder our output reaches through parsers, ghost pads and
 * elements with one output, or NULL (none plugged yet, or the way forks). */
static GstElement *
downstream_decoder (GstSeekTable * self)
{
  GstPad *pad = gst_pad_get_peer (self->srcpad);
  guint hops;

  for (hops = 0; pad != NULL && hops < 32; hops++) {
    GstObject *parent = gst_object_get_parent (GST_OBJECT (pad));
    GstPad *next = NULL;

    if (GST_IS_GHOST_PAD (pad) && GST_PAD_IS_SINK (pad)) {
      /* into a bin */
      next = gst_ghost_pad_get_target (GST_GHOST_PAD (pad));
    } else if (GST_IS_GHOST_PAD (parent) && GST_PAD_IS_SINK (pad)) {
      /* out of a bin: the ghost pad's peer */
      next = gst_pad_get_peer (GST_PAD (parent));
    } else if (GST_IS_ELEMENT (parent)) {
      GstElement *element = GST_ELEMENT (parent);
      GstPad *src = NULL;

      if (GST_IS_AUDIO_DECODER (element)) {
        gst_object_unref (pad);
        return element;
      }
      GST_OBJECT_LOCK (element);
      if (element->numsrcpads == 1)
        src = gst_object_ref (element->srcpads->data);
      GST_OBJECT_UNLOCK (element);
      if (src) {
        next = gst_pad_get_peer (src);
        gst_object_unref (src);
      }
    }
    if (parent)
      gst_object_unref (parent);
    gst_object_unref (pad);
    pad = next;
  }
  if (pad)
    gst_object_unref (pad);
  return NULL;
}

/* faad (libfaad) puts out nothing for the first frame after a flush and
 * leaves that frame unfinished, so GstAudioDecoder gives each output the
 * time of the frame before: everything it decodes comes out a frame early
 * and a jump's first frame is lost. Labelled with the next frame's time,
 * its output gets its own. */
static gboolean
decoder_labels_a_frame_early (GstSeekTable * self)
{
  GstElement *decoder = downstream_decoder (self);
  GstElementFactory *factory;
  gboolean early = FALSE;

  if (decoder == NULL)
    return FALSE;
  factory = gst_element_get_factory (decoder);
  early = factory && !g_strcmp0 (GST_OBJECT_NAME (factory), "faad");
  gst_object_unref (decoder);
  return early;
}

/* Cuts the frames from the bytes in the adapter, as timed buffers. */
static GstFlowReturn
mp4_push_samples (GstSeekTable * self)
{
  const Mp4Track *t = &self->mp4_audio.track;
  GstFlowReturn ret = GST_FLOW_OK;

  while (ret == GST_FLOW_OK && self->mp4_next < t->n) {
    guint j = self->mp4_next;
    guint64 o = t->offsets[j];
    gsize avail = gst_adapter_available (self->adapter);
    GstBuffer *buf;

    if (o < self->adapter_offset) {
      /* before what we have: a table out of order; pass over it */
      self->mp4_next++;
      continue;
    }
    if (self->adapter_offset + avail < o + t->sizes[j]) {
      /* not all here yet: let go of what comes before it */
      gsize gap = MIN (avail, o - self->adapter_offset);

      gst_adapter_flush (self->adapter, gap);
      self->adapter_offset += gap;
      break;
    }
    gst_adapter_flush (self->adapter, o - self->adapter_offset);
    buf = gst_buffer_make_writable (gst_adapter_take_buffer (self->adapter,
            t->sizes[j]));
    self->adapter_offset = o + t->sizes[j];
    self->mp4_next++;
    GST_BUFFER_FLAGS (buf) = 0;
    if (self->need_segment) {
      self->early_decoder = decoder_labels_a_frame_early (self);
      GST_DEBUG_OBJECT (self, "the decoder labels a frame early: %s",
          self->early_decoder ? "yes" : "no");
    }
    GST_BUFFER_PTS (buf) = GST_BUFFER_DTS (buf) =
        gst_util_uint64_scale (t->starts[j] + (self->early_decoder ?
            t->durations[j] : 0), GST_SECOND, t->timescale);
    GST_BUFFER_DURATION (buf) = gst_util_uint64_scale (t->durations[j],
        GST_SECOND, t->timescale);
    if (GST_BUFFER_PTS (buf) + GST_BUFFER_DURATION (buf) <= self->segment.start)
      /* the frame before the target, only there for the decoder's overlap:
       * with a duration, aacparse (baseparse) would drop it as ending
       * before the segment */
      GST_BUFFER_DURATION (buf) = GST_CLOCK_TIME_NONE;
    GST_BUFFER_OFFSET (buf) = o;
    GST_LOG_OBJECT (self, "frame %u at byte %" G_GUINT64_FORMAT ", %"
        GST_TIME_FORMAT, j, o, GST_TIME_ARGS (GST_BUFFER_PTS (buf)));
    if (self->need_segment) {
      if (self->mp4_caps) {
        seek_table_push_collection (self, self->mp4_caps);
        gst_clear_caps (&self->mp4_caps);
      }
      seek_table_push_segment (self, self->seqnum);
      self->need_segment = FALSE;
      seek_table_push_toc (self);
    }
    if (self->discont) {
      GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DISCONT);
      self->discont = FALSE;
    }
    ret = gst_pad_push (self->srcpad, buf);
  }
  if (self->mp4_next >= t->n)
    gst_adapter_clear (self->adapter);  /* what follows the last frame */
  return ret;
}

/* The bytes of an MP4 we read (or may: from byte 0). */
static GstFlowReturn
mp4_chain (GstSeekTable * self, guint64 offset, GstBuffer * buf)
{
  if (!self->mp4_ready) {
    if (self->mp4_head == NULL) {
      self->mp4_head = g_byte_array_new ();
      self->mp4_head_offset = offset;
    }
    if (offset == self->mp4_head_offset + self->mp4_head->len) {
      GstMapInfo map;

      if (gst_buffer_map (buf, &map, GST_MAP_READ)) {
        g_byte_array_append (self->mp4_head, map.data, map.size);
        gst_buffer_unmap (buf, &map);
      }
    }
    if (self->demux == DEMUX_UNDECIDED)
      self->held = g_list_prepend (self->held, buf);
    else
      gst_buffer_unref (buf);
    return mp4_scan_head (self);
  }
  if (offset != self->adapter_offset + gst_adapter_available (self->adapter)) {
    gst_adapter_clear (self->adapter);
    self->adapter_offset = offset;
  }
  gst_adapter_push (self->adapter, buf);
  return mp4_push_samples (self);
}


/* The backend. */

static void
mp4_answer_locked (GstSeekTable * self, guint64 start)
{
  if (self->pending.kind == PLAN_MP4_MOOV) {
    /* the movie box after the media data */
    self->in_offset = start;
    if (self->mp4_head)
      g_byte_array_set_size (self->mp4_head, 0);
    else
      self->mp4_head = g_byte_array_new ();
    self->mp4_head_offset = start;
    return;
  }
  seek_table_take_plan_locked (self, start);
  self->landing = LANDING_LANDED;
  self->mp4_next = self->pending.frame;
}

/* Bytes from elsewhere in a movie we take apart: where its frames are is
 * known, but not where the segment should start. */
static gboolean
mp4_foreign_segment (GstSeekTable * self, const GstSegment * segment)
{
  return TRUE;
}

static gboolean
mp4_eos (GstSeekTable * self)
{
  if (!self->mp4_ready) {
    /* the end came before the movie box: read from byte 0 by the stock
     * path, which says what is wrong with the file */
    mp4_abandon (self, "the stream ended before its movie box");
    return FALSE;
  }
  return TRUE;
}

static QueryAnswer
mp4_query (GstSeekTable * self, GstQuery * query)
{
  if (!self->mp4_ready)
    return QUERY_NOT_MINE;
  if (GST_QUERY_TYPE (query) == GST_QUERY_DURATION)
    gst_query_set_duration (query, GST_FORMAT_TIME, self->mp4_audio.duration);
  else
    gst_query_set_seeking (query, GST_FORMAT_TIME,
        seek_table_upstream_seekable (self), 0, self->mp4_audio.duration);
  return QUERY_ANSWERED;
}

static void
mp4_reset_locked (GstSeekTable * self)
{
  mp4_forget (self);
}

const SeekBackend seek_backend_mp4 = {
  .name = "MP4",
  .container = "mp4",
  .takes_apart = TRUE,
  .chain = mp4_chain,
  .seek = mp4_seek,
  .answer_locked = mp4_answer_locked,
  .foreign_segment = mp4_foreign_segment,
  .eos = mp4_eos,
  .query = mp4_query,
  .reset_locked = mp4_reset_locked,
  .finalize = mp4_reset_locked,
};
