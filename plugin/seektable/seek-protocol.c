/* gst-chapters: the seek protocol, written once for every container.
 *
 * A jump the element serves is a plan (seek_table_plan_locked: which
 * backend, where it reads from, the TIME segment it answers), one BYTES
 * seek upstream under the seqnum of the seek it serves, and the answer
 * matched to it: a segment of an overtaken seek is dropped, one from
 * later than asked (a server whose Content-Range differs from the range
 * asked) asked again earlier or taken where its bytes really are. The
 * backend then judges the landing in its own data, and a landing it
 * cannot use makes a new plan, sent from outside the streaming thread
 * (seek_table_retry_async). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "seek-table-private.h"

#include <string.h>

/* Sets up the seek we serve, under the object lock (@segment NULL: from
 * time 0); the streaming thread takes it on when the segment that answers
 * it arrives. */
void
seek_table_plan_locked (GstSeekTable * self, const SeekBackend * backend,
    PlanKind kind, const GstSegment * segment, guint64 frame, guint64 target,
    guint32 seqnum)
{
  memset (&self->pending, 0, sizeof self->pending);
  self->plans++;
  self->pending.backend = backend;
  self->pending.kind = kind;
  if (segment)
    self->pending.segment = *segment;
  else
    gst_segment_init (&self->pending.segment, GST_FORMAT_TIME);
  self->pending.frame = frame;
  self->pending.target_sample = target;
  self->pending.seqnum = seqnum;
  self->awaiting_segment = TRUE;
}

/* A seek planned since the landing under way was taken on (its answer is
 * awaited): what the landing would re-plan is superseded. */
gboolean
seek_table_newer_plan_locked (GstSeekTable * self)
{
  return self->awaiting_segment;
}

/* The answer to our BYTES seek, from byte @start: the plan's segment and
 * seqnum are the stream's now; the backend's answer_locked takes on the
 * rest. Object lock held. */
void
seek_table_take_plan_locked (GstSeekTable * self, guint64 start)
{
  self->segment = self->pending.segment;
  self->seqnum = self->pending.seqnum;
  self->need_segment = TRUE;
  self->discont = TRUE;
  self->target_sample = self->pending.target_sample;
  self->adapter_offset = start;
  self->in_offset = start;
  self->landing_behind = FALSE;
}

/* Where a retry of a landing that went past its target reads to @want
 * from, in samples at @rate: further back each time (1, 4, 9... s), as
 * the known point before the target may be in damage. */
guint64
seek_table_retry_want (GstSeekTable * self, guint64 want, guint rate)
{
  return want - MIN (want, (guint64) self->retries * self->retries * rate);
}

/* A landing that went past its target: whether to take it all the same,
 * the target being in a part of the stream that cannot be read (damaged or
 * missing), as stock demuxers and parsers play on from what follows it.
 * So it is when this read went through the stream before the target
 * (nothing can be read nearer), or when the last retry, which reads from
 * the stream's first frame, went past it too: asking again would only
 * read the same bytes again, for ever. */
gboolean
seek_table_past_gap (GstSeekTable * self)
{
  if (!self->landing_behind && self->retries < MAX_RETRIES)
    return FALSE;
  GST_INFO_OBJECT (self, "the target (sample %" G_GUINT64_FORMAT ") is in "
      "a part of the stream that cannot be read; on from what follows it",
      self->target_sample);
  return TRUE;
}

/* A stream taken apart goes out as a demuxer's does, with a collection of
 * its one stream (under upstream's stream id, which its stream-start has),
 * of @caps. parsebin (playbin3) forwards a collection it gets before any
 * data; one it must make up itself, for a stream that came without, it
 * sends only after it let the data go, and decodebin3 refuses data that
 * comes before a collection (a preroll that stalls now and then). */
void
seek_table_push_collection (GstSeekTable * self, GstCaps * caps)
{
  GstEvent *upstream = gst_pad_get_sticky_event (self->sinkpad,
      GST_EVENT_STREAM_START, 0);
  const gchar *id = NULL;

  if (upstream)
    gst_event_parse_stream_start (upstream, &id);
  if (id) {
    GstStreamCollection *collection = gst_stream_collection_new (id);

    gst_stream_collection_add_stream (collection, gst_stream_new (id, caps,
            GST_STREAM_TYPE_AUDIO, GST_STREAM_FLAG_SELECT));
    gst_pad_push_event (self->srcpad,
        gst_event_new_stream_collection (collection));
    gst_object_unref (collection);
  }
  if (upstream)
    gst_event_unref (upstream);
}

/* Pushes our TIME segment (self->segment) under @seqnum (0: a new one). */
void
seek_table_push_segment (GstSeekTable * self, guint32 seqnum)
{
  GstEvent *seg = gst_event_new_segment (&self->segment);

  if (seqnum)
    gst_event_set_seqnum (seg, seqnum);
  gst_pad_push_event (self->srcpad, seg);
}

/* Whether upstream can seek in bytes (HTTP without ranges cannot). */
gboolean
seek_table_upstream_seekable (GstSeekTable * self)
{
  GstQuery *query = gst_query_new_seeking (GST_FORMAT_BYTES);
  gboolean seekable = FALSE;

  if (gst_pad_peer_query (self->sinkpad, query))
    gst_query_parse_seeking (query, NULL, &seekable, NULL, NULL);
  gst_query_unref (query);
  return seekable;
}

/* A DURATION or SEEKING query answered from a backend's index, when it
 * has one (@indexed): seekable up to @duration (-1 unknown), which is the
 * stream's (@whole) or only the indexed part's. */
QueryAnswer
seek_table_answer_query (GstQuery * query, gboolean indexed, gint64 duration,
    gboolean whole)
{
  if (!indexed)
    return QUERY_NOT_MINE;
  if (GST_QUERY_TYPE (query) == GST_QUERY_DURATION) {
    if (!whole || duration < 0)
      return QUERY_NOT_MINE;
    gst_query_set_duration (query, GST_FORMAT_TIME, duration);
  } else {
    gst_query_set_seeking (query, GST_FORMAT_TIME, TRUE, 0, duration);
  }
  return QUERY_ANSWERED;
}

/* The size of upstream's stream in bytes, -1 unknown. */
gint64
seek_table_upstream_size (GstSeekTable * self)
{
  gint64 size = -1;

  if (!gst_pad_peer_query_duration (self->sinkpad, GST_FORMAT_BYTES, &size))
    size = -1;
  return size;
}

/* The URI upstream reads, or NULL. */
gchar *
seek_table_upstream_uri (GstSeekTable * self)
{
  GstQuery *query = gst_query_new_uri ();
  gchar *uri = NULL;

  if (gst_pad_peer_query (self->sinkpad, query))
    gst_query_parse_uri (query, &uri);
  gst_query_unref (query);
  return uri;
}

/* Our BYTES seek upstream, from @offset, under the seqnum of the seek it
 * serves, for a plan that reads from @want (the same, unless a server
 * that answered from later than asked is asked for earlier bytes). On
 * refusal, nothing is awaited any more (FALSE), unless a newer plan was
 * made meanwhile: its answer is awaited (TRUE: the newer seek serves).
 * @wait (not from the streaming thread): while another of our seeks is
 * flushing the pads, which refuses it, try again when that is over. */
static gboolean
send_bytes_seek_full (GstSeekTable * self, GstSeekFlags flags, guint64 offset,
    guint64 want, guint32 seqnum, gboolean wait)
{
  GstEvent *seek = gst_event_new_seek (1.0, GST_FORMAT_BYTES, flags,
      GST_SEEK_TYPE_SET, offset, GST_SEEK_TYPE_NONE, -1);
  gint64 deadline = g_get_monotonic_time () + 200 * G_TIME_SPAN_MILLISECOND;
  guint plan, tries;
  gboolean superseded, sent;

  gst_event_set_seqnum (seek, seqnum);
  GST_OBJECT_LOCK (self);
  self->sent_seqnums[self->n_sent++ % G_N_ELEMENTS (self->sent_seqnums)] =
      seqnum;
  self->sent_offset = offset;
  self->wanted_offset = want;
  self->response_start = -1;
  if (offset == want)
    self->skews = 0;            /* (a new request of the plan's own) */
  plan = self->plans;
  GST_OBJECT_UNLOCK (self);
  for (tries = 0;; tries++) {
    sent = gst_pad_push_event (self->sinkpad, gst_event_ref (seek));
    /* (the flush may have ended since it refused: one more try) */
    if (sent || !wait || (tries > 0 && !GST_PAD_IS_FLUSHING (self->sinkpad))
        || g_get_monotonic_time () > deadline)
      break;
    g_usleep (1000);
  }
  gst_event_unref (seek);
  if (!sent) {
    GST_OBJECT_LOCK (self);
    /* (a newer plan's answer is still to come) */
    superseded = self->plans != plan;
    if (!superseded)
      self->awaiting_segment = FALSE;
    GST_OBJECT_UNLOCK (self);
    GST_DEBUG_OBJECT (self, "upstream refused a seek to byte %"
        G_GUINT64_FORMAT "%s", offset, superseded ? ", a newer one is under "
        "way" : "");
    return superseded;
  }
  return TRUE;
}

gboolean
seek_table_send_bytes_seek (GstSeekTable * self, GstSeekFlags flags,
    guint64 offset, guint32 seqnum, gboolean wait)
{
  return send_bytes_seek_full (self, flags, offset, offset, seqnum, wait);
}

/* One retry_seek done: its flush went by, or it was refused or superseded. */
static void
retry_over (GstSeekTable * self)
{
  g_atomic_int_add (&self->retries_due, -1);
  seek_table_wake_waiters (self);
}

static void
retry_seek (GstElement * element, gpointer data)
{
  GstSeekTable *self = GST_SEEK_TABLE (element);
  guint64 offset, want;
  guint32 seqnum;

  GST_OBJECT_LOCK (self);
  if (self->plans != GPOINTER_TO_UINT (data)) {
    /* a newer seek took over, with a seek of its own */
    GST_OBJECT_UNLOCK (self);
    retry_over (self);
    return;
  }
  offset = self->pending.ask_elsewhere ? self->pending.ask :
      self->pending.frame;
  want = self->pending.ask_elsewhere ? self->pending.want : offset;
  seqnum = self->pending.seqnum;
  GST_OBJECT_UNLOCK (self);
  if (!send_bytes_seek_full (self, GST_SEEK_FLAG_FLUSH, offset, want, seqnum,
          TRUE)) {
    GST_ELEMENT_WARNING (self, RESOURCE, SEEK, (NULL), ("upstream refused a "
            "seek to byte %" G_GUINT64_FORMAT, offset));
    /* an end it may have sent meanwhile was held back: the stream ends */
    gst_pad_push_event (self->srcpad, gst_event_new_eos ());
  }
  retry_over (self);
}

/* Sends the BYTES seek of plan number @plan again, or that of the plan
 * that replaced it, from a thread of the element's: not from the
 * streaming thread, which the flush must stop. */
void
seek_table_retry_async (GstSeekTable * self, guint plan)
{
  g_atomic_int_inc (&self->retries_due);
  gst_element_call_async (GST_ELEMENT (self), retry_seek,
      GUINT_TO_POINTER (plan), NULL);
}

/* Wakes a streaming thread held in seek_table_await_retry to look again
 * (a retry is over, a flush began, the element stops). */
void
seek_table_wake_waiters (GstSeekTable * self)
{
  GST_OBJECT_LOCK (self);
  g_cond_broadcast (&self->retry_cond);
  GST_OBJECT_UNLOCK (self);
}

/* Bytes of an answer we are leaving, while the seek that leaves it is yet
 * to be sent (retry_seek, from another thread): the streaming thread waits
 * for that seek's flush rather than drop the bytes as fast as the server
 * sends them. Dropping went on until the flush came: on loopback under
 * load, megabytes of a hostile server's answer. A flush, the pad going
 * down, or the retry over (refused, superseded) ends the wait; so does a
 * second, in case an upstream element handles the seek without a flush
 * first (then the bytes are dropped as before). */
void
seek_table_await_retry (GstSeekTable * self)
{
  gint64 deadline = g_get_monotonic_time () + G_TIME_SPAN_SECOND;

  GST_OBJECT_LOCK (self);
  while (g_atomic_int_get (&self->retries_due) > 0
      && !GST_PAD_IS_FLUSHING (self->sinkpad)) {
    gint64 now = g_get_monotonic_time ();

    if (now >= deadline) {
      GST_DEBUG_OBJECT (self, "the retry's flush did not come: dropping");
      break;
    }
    /* (in slices: the pad's flushing flag is set with no signal) */
    g_cond_wait_until (&self->retry_cond, GST_OBJECT_GET_LOCK (self),
        MIN (deadline, now + 20 * G_TIME_SPAN_MILLISECOND));
  }
  GST_OBJECT_UNLOCK (self);
}

/* Sends downstream the sticky event of @type our sink pad got, if any. */
void
seek_table_forward_sticky (GstSeekTable * self, GstEventType type)
{
  GstEvent *event = gst_pad_get_sticky_event (self->sinkpad, type, 0);

  if (event)
    gst_pad_push_event (self->srcpad, event);
}

/* A BYTES segment that answers one of our seeks other than the last one
 * sent (or the last one's seqnum, a retry's, but another byte). A segment
 * with a seqnum we never sent is taken as it comes. */
gboolean
seek_table_overtaken_locked (GstSeekTable * self, guint32 seqnum, guint64 start)
{
  guint i, n = MIN (self->n_sent, G_N_ELEMENTS (self->sent_seqnums));
  gboolean ours = FALSE;

  for (i = 0; i < n; i++)
    ours |= self->sent_seqnums[i] == seqnum;
  return ours && (seqnum != self->pending.seqnum || start != self->sent_offset);
}

static void
warn_skew (GstElement * element, gpointer data)
{
  GstSeekTable *self = GST_SEEK_TABLE (element);
  g_autofree gchar *uri = seek_table_upstream_uri (self);
  guint64 asked, answered;

  GST_OBJECT_LOCK (self);
  asked = self->skew_asked;
  answered = self->skew_answered;
  GST_OBJECT_UNLOCK (self);
  GST_ELEMENT_WARNING (self, RESOURCE, READ, ("The server answers byte "
          "ranges from other bytes than asked"), ("%s: asked from byte %"
          G_GUINT64_FORMAT ", answered from byte %" G_GUINT64_FORMAT " (its "
          "Content-Range); the bytes are taken where they really are",
          uri ? uri : "the stream", asked, answered));
}

/* Our BYTES seek's answer, asked from @asked: where its bytes really begin
 * (souphttpsrc says @asked whatever the server's Content-Range says), and
 * *@start, where the plan reads from (what comes before is dropped).
 * FALSE: the answer began after that; asked again (earlier by twice as
 * much), or, the second time, for MP3 from byte 0; retry_seek asks, the
 * answer to that follows. A second late answer elsewhere is taken where
 * its bytes are: Ogg pages and FLAC frames say where they belong, an
 * MP4's samples are found by its table, a Matroska landing is timed from
 * the data. */
gboolean
seek_table_answer_from_locked (GstSeekTable * self, guint64 asked,
    guint64 * start)
{
  guint64 truth = self->response_start >= 0 ?
      (guint64) self->response_start : asked;
  guint64 want = self->wanted_offset;

  self->offset_shift = (gint64) truth - (gint64) asked;
  self->skip_until = 0;
  *start = want;
  if (truth != asked && !self->skew_warned) {
    self->skew_warned = TRUE;
    self->skew_asked = asked;
    self->skew_answered = truth;
    gst_element_call_async (GST_ELEMENT (self), warn_skew, NULL, NULL);
  }
  if (truth <= want) {
    self->skip_until = truth < want ? want : 0;
    if (truth != asked)
      GST_DEBUG_OBJECT (self, "asked from byte %" G_GUINT64_FORMAT ", the "
          "answer begins at %" G_GUINT64_FORMAT ": on from %" G_GUINT64_FORMAT,
          asked, truth, want);
    return TRUE;
  }
  GST_DEBUG_OBJECT (self, "asked from byte %" G_GUINT64_FORMAT ", the answer "
      "begins at %" G_GUINT64_FORMAT ", after %" G_GUINT64_FORMAT, asked,
      truth, want);
  if (self->skews++ > 0) {
    const SeekBackend *backend = self->pending.backend;

    if (backend->late_answer_locked == NULL) {
      /* (the bytes as they are, under the offset they really have; a
       * Matroska landing is timed from the data) */
      *start = truth;
      self->pending.point_granule = PLAN_ANY_BYTE;
      return TRUE;
    }
    /* frames that cannot tell where they are (MP3): the backend plans
     * again, from byte 0 */
    backend->late_answer_locked (self);
    want = truth = asked = 0;
  }
  /* earlier by twice the lateness: the bytes wanted are in the answer */
  self->pending.ask_elsewhere = TRUE;
  self->pending.ask = want > 2 * (truth - asked) ? want - 2 * (truth - asked)
      : 0;
  self->pending.want = want;
  seek_table_retry_async (self, self->plans);
  return FALSE;
}

/* The flush of a seek of ours that reads the stream's end for its duration
 * before any audio: it resets upstream, and goes no further. Downstream
 * has the caps and segment of a stream that has not started; a flush
 * there, while decodebin3 (playbin3) is still linking its decoder, made it
 * hand the decoder data before stream-start. oggdemux in push mode keeps
 * the flushes of its own duration seeks to itself as well. TRUE: @event
 * was ours, and is dropped. */
gboolean
seek_table_quiet_flush (GstSeekTable * self, GstEvent * event)
{
  guint32 seqnum = gst_event_get_seqnum (event);
  gboolean quiet;

  GST_OBJECT_LOCK (self);
  quiet = self->quiet_seqnum != 0 && seqnum == self->quiet_seqnum;
  if (quiet && GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP
      && self->pending.seqnum != seqnum)
    self->quiet_seqnum = 0;     /* (no longer the plan: the last one) */
  GST_OBJECT_UNLOCK (self);
  if (quiet) {
    GST_DEBUG_OBJECT (self, "%s of our own read of the end: kept upstream",
        GST_EVENT_TYPE_NAME (event));
    gst_event_unref (event);
  }
  return quiet;
}

