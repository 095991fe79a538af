/* gst-chapters: the seek table's Matroska/WebM backend: one Vorbis track,
 * taken apart and served as Ogg Vorbis through the packet path
 * (seek-ogg.c), with the Matroska reader (mkv-audio.h) in place of Ogg's.
 *
 * Its blocks are timed in whole milliseconds, and matroskademux labels the
 * audio a short block late: the reader times the packets by their block
 * sizes counted from the first. A cluster whose granule is known (a scan,
 * or the bytes that streamed by) is where a jump reads from; between the
 * known ones, once the writer's block times are learned, an estimated
 * byte, whose landing is timed from the data and checked. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "seek-table-private.h"

#include "chapter-embedded.h"
#include "chapter-toc.h"

/* Where a Matroska seek reads from to decode from @want, under the object
 * lock: the known cluster before it when that is close (or the index
 * whole, or the writer's block times not learned), else an estimated byte
 * (the landing is timed by the block times and checked); the known one
 * too when @far_back (a landing that could not be timed). *@granule: the
 * plan's point granule. */
static gboolean
mkv_read_from_locked (GstSeekTable * self, OggIndex * index, guint64 want,
    gboolean far_back, guint64 * offset, guint64 * granule)
{
  if (!far_back && !ogg_index_locate (index, want, offset)
      && mkv_reader_can_time_landing (self->mkv_reader)) {
    *granule = PLAN_ANY_BYTE;
    return FALSE;
  }
  ogg_index_known_point (index, want, granule, offset);
  return TRUE;
}

/* A Matroska seek reading from far before the target (from a known
 * cluster: the writer's block times were not learned yet, or the scan of
 * the file not done; or from an estimate that fell short): once a place
 * well nearer is known or can be estimated, from there instead. @at: the
 * cluster being read. TRUE: gone to read it. */
static gboolean
mkv_reestimate (GstSeekTable * self, guint64 at)
{
  OggIndex *index;
  guint64 want, offset = 0, granule;
  gint64 size = -1;

  if (self->retries >= MAX_RETRIES / 2)
    return FALSE;
  size = seek_table_upstream_size (self);
  GST_OBJECT_LOCK (self);
  if (seek_table_newer_plan_locked (self)) {
    GST_OBJECT_UNLOCK (self);
    return TRUE;                /* this landing is over */
  }
  index = seek_packets_index_locked (self);
  if (index && size > 0)
    ogg_index_set_file_size (index, size);
  want = self->target_sample - MIN (self->target_sample,
      seek_packets_preroll (mkv_reader_info (self->mkv_reader)));
  granule = 0;
  if (index)
    mkv_read_from_locked (self, index, want, FALSE, &offset, &granule);
  if (index == NULL || offset <= at + 256 * 1024) {
    GST_OBJECT_UNLOCK (self);
    return FALSE;
  }
  self->retries++;
  GST_DEBUG_OBJECT (self, "on from byte %" G_GUINT64_FORMAT " near the "
      "target (%s)", offset, granule == PLAN_ANY_BYTE ? "an estimate" :
      "a known cluster");
  seek_packets_read_again_unlock (self, offset, granule);
  return TRUE;
}


/* The reader */

static const OggAudioInfo *
mkv_info (GstSeekTable * self)
{
  return mkv_reader_info (self->mkv_reader);
}

static guint
mkv_n_headers (GstSeekTable * self)
{
  return mkv_reader_n_headers (self->mkv_reader);
}

static const guint8 *
mkv_header (GstSeekTable * self, guint i, gsize * size)
{
  return mkv_reader_header (self->mkv_reader, i, size);
}

static void
mkv_discont (GstSeekTable * self, guint64 offset, gint64 granule)
{
  mkv_reader_discont (self->mkv_reader, offset, granule);
}

static gint
mkv_feed (GstSeekTable * self, guint64 offset, const guint8 * data,
    gsize size, OggPacketFunc func, gchar ** error)
{
  gint r = mkv_reader_feed (self->mkv_reader, offset, data, size, func, self,
      error);
  g_autofree gchar *damage = mkv_reader_take_damage (self->mkv_reader);

  if (damage)
    GST_ELEMENT_WARNING (self, STREAM, DEMUX, (NULL), ("Matroska: %s; the "
            "packets from there are timed by its block times", damage));
  return r;
}

/* What matroskademux would send: the segment's tags and chapters; and
 * what the estimates between the clusters known need: the file's size and
 * the duration the file gives. */
static GstToc *
mkv_start (GstSeekTable * self, GstTagList ** tags)
{
  const OggAudioInfo *info = mkv_reader_info (self->mkv_reader);
  g_autoptr (GstTagList) segment_tags = mkv_reader_tags (self->mkv_reader);
  g_autoptr (ChapterList) chapters = NULL;
  gsize size;
  const guint8 *head = mkv_reader_head (self->mkv_reader, &size);
  gint64 bytes = seek_table_upstream_size (self);

  if (*tags && segment_tags)
    gst_tag_list_insert (*tags, segment_tags, GST_TAG_MERGE_REPLACE);
  else if (segment_tags)
    *tags = g_steal_pointer (&segment_tags);
  GST_OBJECT_LOCK (self);
  ogg_index_set_info (self->ogg, info);
  if (bytes > 0)
    ogg_index_set_file_size (self->ogg, bytes);
  self->mkv_duration = mkv_reader_written_duration (self->mkv_reader);
  if (self->mkv_duration > 0)
    ogg_index_set_end_estimate (self->ogg, gst_util_uint64_scale_int
        (self->mkv_duration, info->rate, GST_SECOND));
  GST_OBJECT_UNLOCK (self);
  chapters = chapter_matroska_read (head, size, NULL);
  if (chapters && chapter_list_length (chapters) > 0)
    return chapter_list_to_toc (chapters);
  return NULL;
}

/* A cluster's first packet is an exact point, once the block times are
 * known to be exact; a landing that could not be timed reads again from a
 * known cluster. */
static gboolean
mkv_packet (GstSeekTable * self, const OggPacket * packet)
{
  if (packet->cluster_start && packet->end >= 0
      && mkv_reader_times_exact (self->mkv_reader)) {
    GST_LOG_OBJECT (self, "point: granule %" G_GINT64_FORMAT " at the "
        "cluster at byte %" G_GUINT64_FORMAT, packet->end,
        packet->page_offset);
    GST_OBJECT_LOCK (self);
    ogg_index_add (self->ogg, packet->end, packet->page_offset);
    GST_OBJECT_UNLOCK (self);
    if (self->landing == LANDING_SEARCH
        && mkv_reestimate (self, packet->page_offset))
      return FALSE;
  }
  /* (untimed after damage the landing read through: passed over) */
  if (self->landing == LANDING_SEARCH && packet->end < 0)
    return self->landing_behind || seek_packets_overshoot (self, packet);
  return TRUE;
}

/* The last packet read: the end of the stream, exactly. */
static void
mkv_end (GstSeekTable * self)
{
  if (mkv_reader_position (self->mkv_reader) < 0)
    return;
  GST_OBJECT_LOCK (self);
  ogg_index_set_end (self->ogg, mkv_reader_position (self->mkv_reader),
      FALSE);
  GST_OBJECT_UNLOCK (self);
}

static const SeekPacketReader mkv_packet_reader = {
  .name = "Matroska",
  .info = mkv_info,
  .n_headers = mkv_n_headers,
  .header = mkv_header,
  .discont = mkv_discont,
  .feed = mkv_feed,
  .read_from_locked = mkv_read_from_locked,
  .start = mkv_start,
  .packet = mkv_packet,
  .end = mkv_end,
  .scan = mkv_index_scan,
};

/* The backend: Ogg's packet path, and its index (of clusters here). */

static void
mkv_scan (GstSeekTable * self, const gchar * path, const guint8 * bytes,
    gsize size)
{
  seek_packets_scan (self, &mkv_packet_reader, path, bytes, size);
}

static void
mkv_init (GstSeekTable * self)
{
  self->mkv_reader = mkv_reader_new ();
}

static void
mkv_reset_locked (GstSeekTable * self)
{
  mkv_reader_free (self->mkv_reader);
  self->mkv_reader = mkv_reader_new ();
}

static void
mkv_finalize (GstSeekTable * self)
{
  mkv_reader_free (self->mkv_reader);
}

const SeekBackend seek_backend_matroska = {
  .name = "Matroska",
  .packets = &mkv_packet_reader,
  .scan = mkv_scan,
  .container = "matroska",
  .takes_apart = TRUE,
  .chain = seek_packets_chain,
  .seek = seek_packets_seek,
  .answer_locked = seek_packets_answer_locked,
  .foreign_segment = seek_packets_foreign_segment,
  .flush = seek_packets_flush,
  .eos = seek_packets_eos,
  .query = seek_packets_query,
  .reset_locked = mkv_reset_locked,
  .init = mkv_init,
  .finalize = mkv_finalize,
};
