/* gst-chapters: the seek table's FLAC backend.
 *
 * The stream passes through to flacparse. Every frame header names its
 * first sample, so any header found is an exact index point
 * (flac-index.c). A jump goes to the known frame before the target, or to
 * an interpolated byte a little before it; the landing is read from the
 * headers in the data (each confirmed by the next), frames before the
 * target are dropped, and a landing after it reads again from further
 * back. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "seek-table-private.h"

/* The FLAC index to answer from. */
static FlacIndex *
best_flac_locked (GstSeekTable * self)
{
  if (self->flac_scanned)
    return self->flac_scanned;
  return flac_index_ready (self->flac) ? self->flac : NULL;
}

/* A FLAC frame header in the adapter at or after @from: its position, or
 * -1 when more data is needed (search again from *@resume). */
static gssize
find_flac_header (GstAdapter * adapter, gsize from, const FlacInfo * info,
    FlacFrame * frame, gsize * resume)
{
  gsize avail = gst_adapter_available (adapter);

  while (from + 4 <= avail) {
    guint8 header[16];
    gssize pos = gst_adapter_masked_scan_uint32 (adapter, 0xfffe0000,
        0xfff80000, from, avail - from);
    gsize n;
    gint r;

    if (pos < 0)
      break;
    n = MIN (sizeof header, avail - pos);
    gst_adapter_copy (adapter, header, pos, n);
    r = flac_frame_parse (header, n, info, frame);
    if (r < 0) {
      *resume = pos;
      return -1;
    }
    if (r > 0)
      return pos;
    from = pos + 1;
  }
  *resume = avail > 3 ? MAX (from, avail - 3) : from;
  return -1;
}

/* The FLAC seek read from after the target: read again from further back,
 * with what the landing taught the index. */
static GstFlowReturn
flac_overshoot (GstSeekTable * self, const FlacFrame * landed_at)
{
  FlacIndex *index;
  guint64 offset = 0;
  guint plan;

  GST_OBJECT_LOCK (self);
  index = best_flac_locked (self);
  /* what this landing found is a known point too (the streamed index
   * keeps it once the next header confirms it, as here) */
  flac_index_add (self->flac, landed_at->sample, self->adapter_offset);
  if (seek_table_newer_plan_locked (self)) {
    GST_OBJECT_UNLOCK (self);
    return GST_FLOW_OK;
  }
  if (index == NULL) {
    GST_OBJECT_UNLOCK (self);
    GST_ELEMENT_ERROR (self, STREAM, FAILED, (NULL), ("FLAC seek without "
            "a FLAC index"));
    return GST_FLOW_ERROR;
  }
  self->retries++;
  if (self->retries >= MAX_RETRIES) {
    /* the known points mislead (a SEEKTABLE that lies): from the first
     * frame, which cannot be after the target */
    offset = flac_index_info (index)->first_offset;
  } else {
    flac_index_locate (index, seek_table_retry_want (self,
            self->target_sample, flac_index_info (index)->rate), &offset);
  }
  GST_DEBUG_OBJECT (self, "landed on sample %" G_GUINT64_FORMAT " after "
      "the target %" G_GUINT64_FORMAT "; reading again from byte %"
      G_GUINT64_FORMAT, landed_at->sample, self->target_sample, offset);
  seek_table_plan_locked (self, &seek_backend_flac, PLAN_LANDING,
      &self->segment, offset, self->target_sample, self->seqnum);
  self->landing = LANDING_NONE;
  plan = self->plans;
  GST_OBJECT_UNLOCK (self);
  gst_adapter_clear (self->adapter);
  seek_table_retry_async (self, plan);
  return GST_FLOW_OK;
}

/* Pushes the adapter from the frame at its start: our TIME segment, then
 * the bytes, timestamped by the frame header. */
static GstFlowReturn
flac_push_landing (GstSeekTable * self, guint rate)
{
  GstBuffer *buf;

  GST_DEBUG_OBJECT (self, "landed at byte %" G_GUINT64_FORMAT ", sample %"
      G_GUINT64_FORMAT " (target %" G_GUINT64_FORMAT ", %u retries)",
      self->adapter_offset, self->first.sample, self->target_sample,
      self->retries);
  self->landing = LANDING_LANDED;
  seek_table_push_segment (self, self->seqnum);
  buf = gst_adapter_take_buffer (self->adapter,
      gst_adapter_available (self->adapter));
  buf = gst_buffer_make_writable (buf);
  GST_BUFFER_FLAGS (buf) = GST_BUFFER_FLAG_DISCONT;
  GST_BUFFER_PTS (buf) = GST_BUFFER_DTS (buf) =
      gst_util_uint64_scale_int (self->first.sample, GST_SECOND, rate);
  GST_BUFFER_OFFSET (buf) = self->adapter_offset;
  return gst_pad_push (self->srcpad, buf);
}

/* After a FLAC seek: finds the frame that holds the target sample in the
 * data (each header is checked by the one after it), drops what comes
 * before it, and pushes from there on. */
static GstFlowReturn
flac_land (GstSeekTable * self, gboolean at_eos)
{
  FlacIndex *index;
  FlacInfo info;
  /* a header not followed by another within this is not one */
  gsize reach;

  GST_OBJECT_LOCK (self);
  index = best_flac_locked (self);
  if (index)
    info = *flac_index_info (index);
  GST_OBJECT_UNLOCK (self);
  if (index == NULL) {
    GST_ELEMENT_ERROR (self, STREAM, FAILED, (NULL), ("FLAC seek without "
            "a FLAC index"));
    return GST_FLOW_ERROR;
  }
  reach = MAX (info.max_frame, 64 * 1024) + 16;

  for (;;) {
    FlacFrame next;
    gssize pos;
    gsize resume = 0;

    if (self->landing == LANDING_SEARCH) {
      pos = find_flac_header (self->adapter, self->search_from, &info,
          &self->first, &resume);
      if (pos < 0) {
        gst_adapter_flush (self->adapter, resume);
        self->adapter_offset += resume;
        self->search_from = 0;
        return GST_FLOW_OK;
      }
      gst_adapter_flush (self->adapter, pos);
      self->adapter_offset += pos;
      self->landing = LANDING_HEADER;
      self->search_from = MAX (self->first.header_size, info.min_frame);
    }
    pos = find_flac_header (self->adapter, self->search_from, &info, &next,
        &resume);
    if (pos < 0 || next.sample != self->first.sample + self->first.block) {
      gsize at = pos < 0 ? resume : (gsize) pos;

      if (at > reach) {
        /* no frame follows: that was not a header */
        gst_adapter_flush (self->adapter, 1);
        self->adapter_offset++;
        self->landing = LANDING_SEARCH;
        self->search_from = 0;
        continue;
      }
      if (pos >= 0) {
        self->search_from = pos + 1;
        continue;
      }
      self->search_from = resume;
      if (at_eos && self->target_sample >= self->first.sample)
        return flac_push_landing (self, info.rate);     /* the last frame */
      return GST_FLOW_OK;
    }
    if (self->target_sample < self->first.sample && !seek_table_past_gap
        (self))
      return flac_overshoot (self, &self->first);
    if (self->target_sample < next.sample)
      return flac_push_landing (self, info.rate);
    /* a frame before the target: not needed */
    self->landing_behind = TRUE;
    gst_adapter_flush (self->adapter, pos);
    self->adapter_offset += pos;
    self->first = next;
    self->search_from = MAX (next.header_size, info.min_frame);
  }
}

/* A TIME seek in a FLAC stream (@segment: the one it asks for): to the
 * known frame before the target, or to an estimate a little before it;
 * the landing is checked in the data. FALSE: not a FLAC stream we know. */
static gboolean
flac_seek (GstSeekTable * self, const GstSegment * segment, guint32 seqnum,
    GstSeekFlags flags)
{
  gint64 size = seek_table_upstream_size (self);
  FlacIndex *index;
  const FlacInfo *info;
  guint64 target, offset;
  gboolean exact;

  GST_OBJECT_LOCK (self);
  index = best_flac_locked (self);
  if (index == NULL || self->ranges_unsure) {
    /* (a server that may ignore Range: the MPEG backend, or the parser,
     * reads from byte 0) */
    GST_OBJECT_UNLOCK (self);
    return FALSE;
  }
  info = flac_index_info (index);
  target = gst_util_uint64_scale_int (segment->start, info->rate, GST_SECOND);
  if (info->total_samples && target >= info->total_samples) {
    GST_OBJECT_UNLOCK (self);
    return FALSE;
  }
  if (size > 0)
    flac_index_set_file_size (index, size);
  exact = flac_index_locate (index, target, &offset);
  GST_DEBUG_OBJECT (self, "FLAC seek to %" GST_TIME_FORMAT " (sample %"
      G_GUINT64_FORMAT "): from byte %" G_GUINT64_FORMAT "%s",
      GST_TIME_ARGS (segment->start), target, offset,
      exact ? "" : " (estimate)");
  seek_table_plan_locked (self, &seek_backend_flac, PLAN_LANDING, segment,
      offset, target, seqnum);
  self->retries = 0;
  GST_OBJECT_UNLOCK (self);
  /* refused: the stock path may still serve it */
  return seek_table_send_bytes_seek (self, GST_SEEK_FLAG_FLUSH, offset,
      seqnum, TRUE);
}


/* The backend. */

static void
flac_scan (GstSeekTable * self, const gchar * path, const guint8 * bytes,
    gsize size)
{
  gint64 t0 = g_get_monotonic_time ();
  FlacIndex *flac = flac_index_scan (bytes, size);

  if (flac == NULL) {
    GST_DEBUG_OBJECT (self, "%s: FLAC without a stream header we read",
        path);
    return;
  }
  GST_INFO_OBJECT (self, "indexed FLAC %s: %u points in %" G_GINT64_FORMAT
      " us", path, flac_index_points (flac), g_get_monotonic_time () - t0);
  GST_OBJECT_LOCK (self);
  flac_index_free (self->flac_scanned);
  self->flac_scanned = flac;
  GST_OBJECT_UNLOCK (self);
}

static void
flac_feed_locked (GstSeekTable * self, guint64 offset, const guint8 * data,
    gsize size)
{
  if (!self->not_flac && !flac_index_feed (self->flac, offset, data, size))
    self->not_flac = TRUE;
}

static GstFlowReturn
flac_chain (GstSeekTable * self, guint64 offset, GstBuffer * buf)
{
  if (self->landing == LANDING_LANDED) {
    /* the parser reads the times from the frame headers */
    buf = gst_buffer_make_writable (buf);
    GST_BUFFER_PTS (buf) = GST_BUFFER_DTS (buf) = GST_CLOCK_TIME_NONE;
    GST_BUFFER_FLAG_UNSET (buf, GST_BUFFER_FLAG_DISCONT);
    return gst_pad_push (self->srcpad, buf);
  }
  gst_adapter_push (self->adapter, buf);
  return flac_land (self, FALSE);
}

static void
flac_answer_locked (GstSeekTable * self, guint64 start)
{
  seek_table_take_plan_locked (self, start);
  self->backend = &seek_backend_flac;
  self->landing = LANDING_SEARCH;
  self->search_from = 0;
}

static gboolean
flac_eos (GstSeekTable * self)
{
  if (self->landing == LANDING_SEARCH || self->landing == LANDING_HEADER)
    flac_land (self, TRUE);
  return TRUE;
}

static QueryAnswer
flac_query (GstSeekTable * self, GstQuery * query)
{
  FlacIndex *flac;
  gint64 duration = -1;

  GST_OBJECT_LOCK (self);
  flac = best_flac_locked (self);
  if (flac)
    duration = flac_index_duration (flac);
  GST_OBJECT_UNLOCK (self);
  return seek_table_answer_query (query, flac != NULL, duration, TRUE);
}

static void
flac_reset_locked (GstSeekTable * self)
{
  flac_index_free (self->flac);
  self->flac = flac_index_new ();
  g_clear_pointer (&self->flac_scanned, flac_index_free);
  self->not_flac = FALSE;
}

static void
flac_init (GstSeekTable * self)
{
  self->flac = flac_index_new ();
}

static void
flac_finalize (GstSeekTable * self)
{
  flac_index_free (self->flac);
}

const SeekBackend seek_backend_flac = {
  .name = "FLAC",
  .container = "flac",
  .scan = flac_scan,
  .feed_locked = flac_feed_locked,
  .chain = flac_chain,
  .seek = flac_seek,
  .answer_locked = flac_answer_locked,
  .eos = flac_eos,
  .query = flac_query,
  .reset_locked = flac_reset_locked,
  .init = flac_init,
  .finalize = flac_finalize,
};
