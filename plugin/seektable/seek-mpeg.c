/* gst-chapters: the seek table's MPEG audio (MP3) backend.
 *
 * The stream passes through to mpegaudioparse while an exact index of its
 * frames grows (seek-index.c: local files are scanned whole; over HTTP
 * from the bytes that stream by, kept in the cache). A jump is one BYTES
 * seek to the frame the decoder needs to produce the target sample (a few
 * frames early, for the bit reservoir), then the frames from there as
 * timestamped buffers in a TIME segment that starts at the target, so the
 * decoder clips to the exact sample and the sink gets it first. A landing
 * on an index point is checked against the index before a frame is
 * labelled; one that does not match drops the index and plans again. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "seek-table-private.h"

#include <gst/audio/audio.h>
#include <glib/gstdio.h>
#include <string.h>

/* Frames decoded ahead of the target: the bit reservoir reaches back at
 * most 511 bytes, a few frames at low bitrates; the MDCT overlap needs one
 * more. */
#define PREROLL_FRAMES 10

/* The index to answer from: the full scan once it is there (one from the
 * cache once the stream's bytes matched its fingerprint). */
static SeekIndex *
best_index_locked (GstSeekTable * self)
{
  if (self->scanned && seek_index_trusted (self->scanned))
    return self->scanned;
  return seek_index_ready (self->index) ? self->index : NULL;
}

/* Drops *@index, which is not this stream's (@why), and its cache file:
 * the content changed under the same cache key, or the file is another
 * media's. Object lock held. */
static void
forget_index_locked (GstSeekTable * self, SeekIndex ** index,
    const gchar * why)
{
  GST_INFO_OBJECT (self, "index dropped (%s), and its cache file %s", why,
      GST_STR_NULL (self->cache_path));
  g_clear_pointer (index, seek_index_free);
  if (self->cache_path)
    g_unlink (self->cache_path);
}

/* Drops the cached index *@index, and its file, when the stream's bytes
 * did not match its fingerprint. */
static gboolean
drop_if_foreign_locked (GstSeekTable * self, SeekIndex ** index)
{
  if (!seek_index_mismatch (*index))
    return FALSE;
  forget_index_locked (self, index, "the media's fingerprint differs");
  return TRUE;
}

/* A cached index checked against the bytes at @offset: adopted when they
 * match its fingerprint, dropped (and its file removed) when they do not:
 * the content changed under the same cache key, or the file is another
 * media's. Object lock held. */
static void
check_cached_locked (GstSeekTable * self, guint64 offset, const guint8 * data,
    gsize size)
{
  if (self->scanned && !seek_index_trusted (self->scanned)) {
    seek_index_check (self->scanned, offset, data, size);
    drop_if_foreign_locked (self, &self->scanned);
  }
  if (self->scanned && seek_index_trusted (self->scanned)
      && !seek_index_agrees (self->index, self->scanned, &self->agreed)) {
    /* the frames that streamed by are not where the index has them: the
     * same first bytes, changed further on */
    GST_DEBUG_OBJECT (self, "index point %u differs from the stream's",
        self->agreed);
    forget_index_locked (self, &self->scanned, "its frames are not where "
        "the stream has them");
  }
  if (self->cached_partial) {
    /* fed, so that it knows where the stream is contiguous */
    seek_index_feed (self->cached_partial, offset, data, size);
    if (!drop_if_foreign_locked (self, &self->cached_partial)
        && seek_index_trusted (self->cached_partial)
        && seek_index_frames (self->cached_partial) >
        seek_index_frames (self->index)) {
      GST_DEBUG_OBJECT (self, "cached partial index checked: %"
          G_GUINT64_FORMAT " frames", seek_index_frames (self->cached_partial));
      seek_index_free (self->index);
      self->index = g_steal_pointer (&self->cached_partial);
      self->cached_frames = seek_index_frames (self->index);
    }
  }
}

/* An MP3 jump read from byte 0, its frames counted (those before @first,
 * frame number or FIRST_FROM_SEGMENT, dropped): what needs no index and
 * no range. Object lock held. */
static void
plan_mpeg_from_start_locked (GstSeekTable * self, const GstSegment * segment,
    guint32 seqnum, guint64 first)
{
  seek_table_plan_locked (self, &seek_backend_mpeg, PLAN_LANDING, segment, 0,
      0, seqnum);
  self->pending.first_wanted = first;
  seek_index_restart_at (self->index, 0, 0);
}

/* The MPEG stream of @where is damaged at the end of @index, with no
 * frames found after it: said once, as a warning. */
static void
warn_lost (GstSeekTable * self, SeekIndex * index, const gchar * where)
{
  GST_ELEMENT_WARNING (self, STREAM, DECODE, ("%s is damaged at byte %"
          G_GUINT64_FORMAT ": no MPEG audio frames within %u KiB after it",
          where, seek_index_end_offset (index), SEEK_INDEX_RESYNC_WINDOW /
          1024), ("the index ends "
          "there (%" G_GUINT64_FORMAT " frames): jumps beyond it read on "
          "from there", seek_index_frames (index)));
}

/* The cache key: the URI, the size and a validator (ETag or Last-Modified
 * over HTTP; a local file's mtime, ctime and inode). NULL when there is no
 * validator. */
static gchar *
cache_key (GstSeekTable * self, const gchar * uri)
{
  gint64 size = -1;
  g_autofree gchar *validator = NULL;

  if (g_str_has_prefix (uri, "file:")) {
    g_autofree gchar *path = g_filename_from_uri (uri, NULL, NULL);

    return path ? seek_index_file_key (uri, path) : NULL;
  }
  size = seek_table_upstream_size (self);
  GST_OBJECT_LOCK (self);
  validator = g_strdup (self->validator);
  GST_OBJECT_UNLOCK (self);
  if (validator == NULL || size <= 0)
    return NULL;
  return g_strdup_printf ("%s\n%" G_GINT64_FORMAT "\n%s", uri, size,
      validator);
}

static void
save_index (GstSeekTable * self, SeekIndex * index)
{
  g_autofree gchar *path = NULL;
  GError *error = NULL;

  GST_OBJECT_LOCK (self);
  path = g_strdup (self->cache_path);
  GST_OBJECT_UNLOCK (self);
  if (path == NULL)
    return;
  if (seek_index_save (index, path, &error))
    GST_INFO_OBJECT (self, "%s index (%" G_GUINT64_FORMAT " frames) saved to "
        "%s", seek_index_complete (index) ? "whole" : "partial",
        seek_index_frames (index), path);
  else {
    GST_DEBUG_OBJECT (self, "cannot save the index: %s", error->message);
    g_error_free (error);
  }
}

/* Times an MP3 frame whose first decoded sample is sample @first of a
 * gapless decode (negative in the encoder delay), in a stream of @total
 * samples (-1: not known yet). A frame that holds the segment's start, the
 * stream's start or its end is cut by the decoder itself: it carries
 * GstAudioClippingMeta, which every MP3 decoder honours (avdec_*,
 * mpg123audiodec), and the time of its first kept sample. The decoder base
 * class's own clip of a planar buffer (avdec's) only shortens the buffer's
 * audio meta, which audioconvert drops when it passes mono audio through:
 * the audio before the target would be heard. Frames before the segment
 * are decoded for the bit reservoir and dropped whole by the base class. */
static void
mpeg_frame_time (GstBuffer * buf, gint64 first, guint spf, gint rate,
    const GstSegment * segment, gint64 total)
{
  gint64 from = gst_util_uint64_scale (segment->start, rate, GST_SECOND);
  guint clip_start = 0, clip_end = 0;
  GstClockTime pts;

  if (first + (gint64) spf <= 0)
    clip_start = spf;           /* all encoder delay */
  else if (first < from && first + (gint64) spf > from)
    clip_start = from - first;
  else if (first < 0)
    clip_start = -first;
  if (total >= 0 && first + (gint64) spf > total)
    clip_end = MIN (spf - clip_start, first + spf - total);
  if (clip_start && first + (gint64) clip_start == from && from > 0)
    pts = segment->start;
  else
    pts = gst_util_uint64_scale_int (MAX (first + (gint64) clip_start, 0),
        GST_SECOND, rate);
  GST_BUFFER_PTS (buf) = GST_BUFFER_DTS (buf) = pts;
  GST_BUFFER_DURATION (buf) = gst_util_uint64_scale_int (spf - clip_start -
      clip_end, GST_SECOND, rate);
  if (clip_start || clip_end)
    gst_buffer_add_audio_clipping_meta (buf, GST_FORMAT_DEFAULT, clip_start,
        clip_end);
}

/* Checks an MP3 landing (the adapter holds the stream from it) against
 * the index that planned it; a landing it does not match drops that
 * index. */
static SeekLanding
check_landing (GstSeekTable * self, gboolean at_eos)
{
  gsize avail = gst_adapter_available (self->adapter);
  const guint8 *data = avail > 0 ? gst_adapter_map (self->adapter, avail) :
      NULL;
  SeekIndex *index;
  SeekLanding landing;

  GST_OBJECT_LOCK (self);
  index = best_index_locked (self);
  landing = index ? seek_index_check_landing (index, self->out_frame,
      self->adapter_offset, data, avail, at_eos) : SEEK_LANDING_MORE;
  if (landing == SEEK_LANDING_BAD) {
    self->bad_offset = self->adapter_offset;
    self->bad_frame = self->out_frame;
    forget_index_locked (self, index == self->scanned ? &self->scanned :
        &self->index, "a jump's landing does not match it");
    if (self->index == NULL) {
      self->index = seek_index_new ();
      self->cached_frames = 0;
    }
  } else if (landing == SEEK_LANDING_GOOD) {
    GST_LOG_OBJECT (self, "landing at byte %" G_GUINT64_FORMAT " (frame %"
        G_GUINT64_FORMAT ") matches the index", self->adapter_offset,
        self->out_frame);
  }
  GST_OBJECT_UNLOCK (self);
  if (data)
    gst_adapter_unmap (self->adapter);
  return landing;
}

static void
warn_landing (GstElement * element, gpointer data)
{
  GstSeekTable *self = GST_SEEK_TABLE (element);
  g_autofree gchar *uri = seek_table_upstream_uri (self);
  guint64 offset, frame;

  GST_OBJECT_LOCK (self);
  offset = self->bad_offset;
  frame = self->bad_frame;
  GST_OBJECT_UNLOCK (self);
  GST_ELEMENT_WARNING (self, STREAM, DEMUX, ("The seek index does not match "
          "the stream"), ("%s: no frame at byte %" G_GUINT64_FORMAT " (frame %"
          G_GUINT64_FORMAT " by the index), or the frames from it miss the "
          "next index point; the index is dropped and the jump planned again "
          "without it", uri ? uri : "the stream", offset, frame));
}

static gint64 plan_mpeg_locked (GstSeekTable * self,
    const GstSegment * segment, guint32 seqnum, gint64 length);

/* A landing that did not match its index (dropped): the jump planned
 * again, with the index of the bytes that streamed by when there is one,
 * else from byte 0, counting frames (the target frame is found once the
 * stream's head is read). Nothing of the landing is pushed. */
static GstFlowReturn
replan_without_index (GstSeekTable * self)
{
  GstSegment segment = self->segment;
  gint64 length, ask;
  guint plans;

  length = seek_table_upstream_size (self);
  GST_OBJECT_LOCK (self);
  ask = plan_mpeg_locked (self, &segment, self->seqnum, length);
  if (ask < 0) {
    plan_mpeg_from_start_locked (self, &segment, self->seqnum,
        FIRST_FROM_SEGMENT);
    ask = 0;
  }
  self->pending.ask_elsewhere = TRUE;
  self->pending.ask = self->pending.want = (guint64) ask;
  plans = self->plans;
  GST_OBJECT_UNLOCK (self);
  GST_DEBUG_OBJECT (self, "jump planned again: from byte %" G_GINT64_FORMAT,
      ask);
  self->landing = LANDING_LANDED;
  gst_adapter_clear (self->adapter);
  gst_element_call_async (GST_ELEMENT (self), warn_landing, NULL, NULL);
  seek_table_retry_async (self, plans);
  return GST_FLOW_OK;
}

/* Pushes the frames in the adapter as timestamped buffers. */
static GstFlowReturn
push_frames (GstSeekTable * self, gboolean at_eos)
{
  GstFlowReturn ret = GST_FLOW_OK;
  SeekIndex *index;
  MpegFrame format;
  guint64 skip, first_offset;
  gint rate, spf;
  gint64 first = 0, total = -1;

  GST_OBJECT_LOCK (self);
  index = best_index_locked (self);
  if (index == NULL) {
    GST_OBJECT_UNLOCK (self);
    return GST_FLOW_OK;
  }
  format = *seek_index_format (index);
  first_offset = seek_index_first_offset (index);
  if (self->first_wanted == FIRST_FROM_SEGMENT) {
    /* (planned from byte 0 with no index: now there is one) */
    guint64 target = seek_index_frame_at (index, self->segment.start);

    self->first_wanted = target > PREROLL_FRAMES ? target - PREROLL_FRAMES :
        0;
  }
  GST_OBJECT_UNLOCK (self);
  rate = format.rate;
  spf = format.samples;
  skip = 0;

  if (self->landing == LANDING_VERIFY) {
    SeekLanding landing = check_landing (self, at_eos);

    if (landing == SEEK_LANDING_MORE)
      return GST_FLOW_OK;
    if (landing == SEEK_LANDING_BAD)
      return replan_without_index (self);
    self->landing = LANDING_LANDED;
  }

  while (ret == GST_FLOW_OK) {
    gsize avail = gst_adapter_available (self->adapter);
    guint8 header[4];
    MpegFrame f;
    GstBuffer *buf;

    if (self->adapter_offset < first_offset && avail > 0) {
      /* (read from byte 0: the tags and the info frame hold no audio) */
      gsize n = MIN (avail, first_offset - self->adapter_offset);

      gst_adapter_flush (self->adapter, n);
      self->adapter_offset += n;
      continue;
    }
    if (avail < 4)
      break;
    gst_adapter_copy (self->adapter, header, 0, 4);
    if (!mpeg_frame_parse (header, &f) || f.rate != format.rate
        || f.layer != format.layer) {
      if (self->landing == LANDING_RESYNC) {
        gst_adapter_flush (self->adapter, 1);
        self->adapter_offset++;
        skip++;
        continue;
      }
      /* damage or a tag inside the stream, passed as the index passes it
       * (the frames after it are the ones it counts), or a trailing tag */
      {
        const guint8 *data = gst_adapter_map (self->adapter, avail);
        gsize at = 0;
        MpegResync r = mpeg_resync (&format, data, avail, 0, at_eos, &at);

        gst_adapter_unmap (self->adapter);
        if (r == MPEG_RESYNC_MORE || (r == MPEG_RESYNC_FOUND && at > avail
                && !at_eos))
          break;                /* (more bytes tell) */
        if (r == MPEG_RESYNC_LOST) {
          /* no frames within the window: on past it, as mpegaudioparse
           * goes on, though the index ends here */
          at = SEEK_INDEX_RESYNC_WINDOW - 16;
        }
        if (r == MPEG_RESYNC_END || at >= avail) {
          GST_DEBUG_OBJECT (self, "no frame at %" G_GUINT64_FORMAT
              ", dropping %" G_GSIZE_FORMAT " bytes", self->adapter_offset,
              avail);
          gst_adapter_clear (self->adapter);
          break;
        }
        GST_DEBUG_OBJECT (self, "no frame at %" G_GUINT64_FORMAT ": on "
            "%" G_GSIZE_FORMAT " bytes further", self->adapter_offset, at);
        gst_adapter_flush (self->adapter, at);
        self->adapter_offset += at;
        continue;
      }
    }
    if (avail < f.size)
      break;
    if (self->landing == LANDING_RESYNC) {
      GST_OBJECT_LOCK (self);
      index = best_index_locked (self);
      /* constant bitrate: the frame number follows from the offset */
      if (index) {
        const MpegFrame *fmt = seek_index_format (index);
        gdouble avg = (gdouble) fmt->samples / 8 * fmt->bitrate / fmt->rate;

        self->out_frame = (guint64) ((self->adapter_offset -
                seek_index_first_offset (index)) / avg + 0.5);
      }
      GST_OBJECT_UNLOCK (self);
      self->landing = LANDING_LANDED;
      GST_DEBUG_OBJECT (self, "resynced at %" G_GUINT64_FORMAT " (skipped %"
          G_GUINT64_FORMAT "): frame %" G_GUINT64_FORMAT, self->adapter_offset,
          skip, self->out_frame);
    }
    buf = gst_buffer_make_writable (gst_adapter_take_buffer (self->adapter,
            f.size));
    /* the adapter copies an input buffer's flags to every frame cut from
     * it: a DISCONT on each would reset the decoder each time */
    GST_BUFFER_FLAGS (buf) = 0;
    GST_OBJECT_LOCK (self);
    index = best_index_locked (self);
    if (index) {
      first = seek_index_frame_sample (index, self->out_frame);
      total = seek_index_samples (index);
    }
    GST_OBJECT_UNLOCK (self);
    GST_BUFFER_OFFSET (buf) = self->adapter_offset;
    GST_BUFFER_OFFSET_END (buf) = self->adapter_offset + f.size;
    self->adapter_offset += f.size;
    self->out_frame++;
    if (self->out_frame - 1 < self->first_wanted || index == NULL) {
      gst_buffer_unref (buf);
      continue;
    }
    mpeg_frame_time (buf, first, spf, rate, &self->segment, total);
    if (self->discont) {
      GST_BUFFER_FLAG_SET (buf, GST_BUFFER_FLAG_DISCONT);
      self->discont = FALSE;
    }
    if (self->need_segment) {
      seek_table_push_segment (self, self->seqnum);
      self->need_segment = FALSE;
    }
    ret = gst_pad_push (self->srcpad, buf);
  }
  return ret;
}

/* mpegaudioparse (1.22) honours the LAME tag's encoder delay and padding
 * (a gapless decode from the first sample, cut by the clipping meta every
 * MP3 decoder honours) only when the tag's encoder string starts with
 * "LAME"; ffmpeg writes the same tag as "Lavc"/"Lavf". Passed through from
 * the stream's start, the tag is spelled "LAME", so that the straight
 * decode is as gapless as the element's own jumps. */
static GstBuffer *
mpeg_pass (GstSeekTable * self, guint64 offset, GstBuffer * buf)
{
  gsize size = gst_buffer_get_size (buf);
  guint64 at;
  gchar name[5] = "";           /* terminated: GStreamer's printf takes
                                 * strlen() even of a "%.4s" argument */

  GST_OBJECT_LOCK (self);
  at = self->not_mpeg ? 0 : seek_index_lame_tag_offset (self->index);
  GST_OBJECT_UNLOCK (self);
  if (at == 0 || at < offset || at + 4 > offset + size
      || gst_buffer_extract (buf, at - offset, name, 4) != 4
      || (memcmp (name, "Lavc", 4) && memcmp (name, "Lavf", 4)))
    return buf;
  GST_DEBUG_OBJECT (self, "LAME tag by %s at byte %" G_GUINT64_FORMAT
      ": spelled LAME for mpegaudioparse", name, at);
  buf = gst_buffer_make_writable (buf);
  gst_buffer_fill (buf, at - offset, "LAME", 4);
  return buf;
}

/* Plans an MP3 jump to @segment's start with the best index: the frame
 * to decode from (a few before the target's, for the bit reservoir), the
 * byte it starts at, and whether the landing is one of the index's points
 * (checked when it comes). Returns the byte to read from, -1 when there is
 * no index to plan with. Object lock held. */
static gint64
plan_mpeg_locked (GstSeekTable * self, const GstSegment * segment,
    guint32 seqnum, gint64 length)
{
  SeekIndex *index = best_index_locked (self);
  guint64 target_frame, first, found_frame = 0, offset = 0;
  gboolean exact, cbr = FALSE, point = TRUE;

  if (index == NULL || seek_index_format (index)->layer != 3)
    return -1;
  target_frame = seek_index_frame_at (index, segment->start);
  /* (near the start too: mpegaudioparse's gapless times there are rounded
   * to the nanosecond twice, and its clip lands a sample early) */
  first = target_frame > PREROLL_FRAMES ? target_frame - PREROLL_FRAMES : 0;
  exact = seek_index_lookup (index, first, &found_frame, &offset);
  if (!exact && seek_index_info (index)->cbr) {
    /* constant bitrate: the offset follows, the data tells the frame */
    const MpegFrame *fmt = seek_index_format (index);
    gdouble avg = (gdouble) fmt->samples / 8 * fmt->bitrate / fmt->rate;

    cbr = TRUE;
    found_frame = first > 2 ? first - 2 : 0;
    offset = seek_index_first_offset (index) + (guint64) (found_frame * avg);
  } else if (!exact && !seek_index_complete (index)
      && seek_index_frames (index) > 0
      && (length < 0 || seek_index_end_offset (index) < (guint64) length)) {
    /* beyond the index: carry on from its furthest frame, not byte 0, and
     * the index grows from there */
    found_frame = seek_index_frames (index);
    offset = seek_index_end_offset (index);
    point = FALSE;
    GST_DEBUG_OBJECT (self, "target frame %" G_GUINT64_FORMAT " beyond the "
        "index (%" G_GUINT64_FORMAT " frames)", first, found_frame);
  }
  if (self->ranges_unsure) {
    /* (from the first byte, the one a server that ignores Range serves;
     * the frames before the target are counted and dropped) */
    found_frame = 0;
    offset = 0;
    cbr = point = FALSE;
  }
  GST_DEBUG_OBJECT (self, "seek to %" GST_TIME_FORMAT ": frame %"
      G_GUINT64_FORMAT ", decoding from frame %" G_GUINT64_FORMAT " at byte %"
      G_GUINT64_FORMAT "%s", GST_TIME_ARGS (segment->start), target_frame,
      found_frame, offset, cbr ? " (CBR estimate)" : "");

  seek_table_plan_locked (self, &seek_backend_mpeg, PLAN_LANDING, segment,
      found_frame, 0, seqnum);
  self->pending.first_wanted = first;
  self->pending.resync = cbr;
  self->pending.verify = !cbr && point;
  /* the streamed index goes on from a frame it knows */
  seek_index_restart_at (self->index, found_frame, offset);
  return (gint64) offset;
}

/* A stream that was played and stopped before its end: the index of what
 * streamed by is exact up to its last frame; kept, a jump inside it costs
 * one request the next time, and one beyond it reads on from its end. Not
 * for a look that only prerolled (a discoverer, a thumbnailer), nor for a
 * local file, whose whole scan takes milliseconds. */
static void
mpeg_stopped (GstSeekTable * self)
{
  gboolean keep;

  GST_OBJECT_LOCK (self);
  keep = self->played && self->cache_path && self->scan_path == NULL
      && self->scanned == NULL && !self->not_mpeg
      && seek_index_ready (self->index)
      && !seek_index_complete (self->index)
      && seek_index_frames (self->index) > self->cached_frames;
  GST_OBJECT_UNLOCK (self);
  /* (the streaming thread is stopped: the index is ours alone) */
  if (keep)
    save_index (self, self->index);
}


/* An index of this stream kept before (@uri, with its validator): the
 * cache path is this stream's from now on. TRUE when it held the whole
 * stream's index: no scan is needed. */
static gboolean
mpeg_load_cached (GstSeekTable * self, const gchar * uri)
{
  g_autofree gchar *key = cache_key (self, uri);
  gchar *cache;
  SeekIndex *cached;

  if (key == NULL)
    return FALSE;
  cache = seek_index_cache_path (key);
  cached = seek_index_load (cache, NULL);
  if (cached && g_str_has_prefix (uri, "file:")) {
    /* a local file: its fingerprint is checked now, from the file */
    g_autofree gchar *local = g_filename_from_uri (uri, NULL, NULL);
    g_autoptr (GMappedFile) file = local ? g_mapped_file_new (local, FALSE,
        NULL) : NULL;

    if (file)
      seek_index_check (cached, 0,
          (const guint8 *) g_mapped_file_get_contents (file),
          g_mapped_file_get_length (file));
    if (!seek_index_trusted (cached)) {
      GST_INFO_OBJECT (self, "cached index %s is not %s's (its fingerprint "
          "differs): dropped", cache, local);
      g_clear_pointer (&cached, seek_index_free);
      g_unlink (cache);
    }
  }

  GST_OBJECT_LOCK (self);
  g_free (self->cache_path);
  self->cache_path = cache;
  if (cached && !seek_index_complete (cached)) {
    /* what a listener heard before: exact up to its last frame; once
     * checked against the stream, the streamed index goes on from it */
    GST_INFO_OBJECT (self, "partial index of %s from the cache (%"
        G_GUINT64_FORMAT " frames)", uri, seek_index_frames (cached));
    seek_index_free (self->cached_partial);
    self->cached_partial = cached;
    cached = NULL;
  } else if (cached) {
    GST_INFO_OBJECT (self, "index of %s from the cache", uri);
    seek_index_free (self->scanned);
    self->scanned = cached;
  }
  GST_OBJECT_UNLOCK (self);
  return cached != NULL;
}

/* The end of the stream: streamed from the first frame to the end without
 * a gap, the index is whole, and worth keeping. */
static void
mpeg_stream_end (GstSeekTable * self)
{
  gboolean save = FALSE, lost = FALSE;
  gint64 size = seek_table_upstream_size (self);

  GST_OBJECT_LOCK (self);
  if (self->scanned == NULL && self->whole && seek_index_ready (self->index)
      && seek_index_frames (self->index) > 0) {
    if (size > 0)
      seek_index_cut_at (self->index, (guint64) size);
    seek_index_set_complete (self->index);
    lost = seek_index_lost (self->index);
    save = TRUE;
  }
  GST_OBJECT_UNLOCK (self);
  if (lost) {
    g_autofree gchar *uri = seek_table_upstream_uri (self);

    warn_lost (self, self->index, uri ? uri : "the stream");
  }
  if (save)
    save_index (self, self->index);
}

/* The backend. */

static void
mpeg_scan (GstSeekTable * self, const gchar * path, const guint8 * bytes,
    gsize size)
{
  gint64 t0 = g_get_monotonic_time ();
  SeekIndex *index = seek_index_scan (bytes, size);

  if (index == NULL) {
    GST_DEBUG_OBJECT (self, "%s is not MPEG audio we index", path);
    return;
  }
  GST_INFO_OBJECT (self, "indexed %" G_GUINT64_FORMAT " frames of %s in %"
      G_GINT64_FORMAT " us, past %u breaks in the stream (damage, tags)",
      seek_index_frames (index), path, g_get_monotonic_time () - t0,
      seek_index_damages (index));
  if (seek_index_lost (index))
    warn_lost (self, index, path);
  save_index (self, index);
  GST_OBJECT_LOCK (self);
  seek_index_free (self->scanned);
  self->scanned = index;
  GST_OBJECT_UNLOCK (self);
}

static void
mpeg_feed_locked (GstSeekTable * self, guint64 offset, const guint8 * data,
    gsize size)
{
  if (self->not_mpeg)
    return;
  if (!seek_index_feed (self->index, offset, data, size)) {
    self->not_mpeg = TRUE;
    return;
  }
  check_cached_locked (self, offset, data, size);
}

static GstFlowReturn
mpeg_chain (GstSeekTable * self, guint64 offset, GstBuffer * buf)
{
  gst_adapter_push (self->adapter, buf);
  return push_frames (self, FALSE);
}

/* A TIME seek: from the frame the decoder needs, with the best index. */
static gboolean
mpeg_seek (GstSeekTable * self, const GstSegment * segment, guint32 seqnum,
    GstSeekFlags flags)
{
  gint64 length = seek_table_upstream_size (self), offset;

  GST_OBJECT_LOCK (self);
  offset = plan_mpeg_locked (self, segment, seqnum, length);
  GST_OBJECT_UNLOCK (self);
  if (offset < 0)
    return FALSE;
  return seek_table_send_bytes_seek (self, flags & ~(GST_SEEK_FLAG_ACCURATE |
          GST_SEEK_FLAG_KEY_UNIT | GST_SEEK_FLAG_SNAP_BEFORE |
          GST_SEEK_FLAG_SNAP_AFTER), (guint64) offset, seqnum, TRUE);
}

static void
mpeg_answer_locked (GstSeekTable * self, guint64 start)
{
  seek_table_take_plan_locked (self, start);
  self->backend = &seek_backend_mpeg;
  self->landing = self->pending.resync ? LANDING_RESYNC :
      self->pending.verify ? LANDING_VERIFY : LANDING_LANDED;
  self->out_frame = self->pending.frame;
  self->first_wanted = self->pending.first_wanted;
}

/* A server whose answers begin later than asked, twice: MP3 frames cannot
 * tell where they are, so from byte 0 (no range asked), counting frames,
 * this jump and every later one. */
static void
mpeg_late_answer_locked (GstSeekTable * self)
{
  GstSegment segment = self->pending.segment;

  self->ranges_unsure = TRUE;
  plan_mpeg_from_start_locked (self, &segment, self->pending.seqnum,
      self->pending.first_wanted);
}

static gboolean
mpeg_eos (GstSeekTable * self)
{
  if (self->landing != LANDING_NONE)
    push_frames (self, TRUE);
  return TRUE;
}

static QueryAnswer
mpeg_query (GstSeekTable * self, GstQuery * query)
{
  SeekIndex *index;
  gint64 duration = -1;
  gboolean complete = FALSE;

  GST_OBJECT_LOCK (self);
  index = best_index_locked (self);
  if (index) {
    duration = seek_index_duration (index);
    complete = seek_index_complete (index);
  }
  GST_OBJECT_UNLOCK (self);
  return seek_table_answer_query (query, index != NULL, duration, complete);
}

static void
mpeg_reset_locked (GstSeekTable * self)
{
  seek_index_free (self->index);
  self->index = seek_index_new ();
  self->cached_frames = 0;
  g_clear_pointer (&self->cached_partial, seek_index_free);
  g_clear_pointer (&self->scanned, seek_index_free);
  self->not_mpeg = FALSE;
  self->agreed = 0;
}

static void
mpeg_init (GstSeekTable * self)
{
  self->index = seek_index_new ();
}

static void
mpeg_finalize (GstSeekTable * self)
{
  seek_index_free (self->index);
  seek_index_free (self->cached_partial);
}

const SeekBackend seek_backend_mpeg = {
  .name = "MPEG audio",
  .container = "mpeg-audio",
  .scan = mpeg_scan,
  .feed_locked = mpeg_feed_locked,
  .chain = mpeg_chain,
  .seek = mpeg_seek,
  .answer_locked = mpeg_answer_locked,
  .late_answer_locked = mpeg_late_answer_locked,
  .eos = mpeg_eos,
  .query = mpeg_query,
  .reset_locked = mpeg_reset_locked,
  .load_cached = mpeg_load_cached,
  .pass = mpeg_pass,
  .stream_end = mpeg_stream_end,
  .stopped = mpeg_stopped,
  .init = mpeg_init,
  .finalize = mpeg_finalize,
};
