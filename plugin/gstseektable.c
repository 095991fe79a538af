/**
 * SECTION:element-seektable
 * @title: seektable
 * @short_description: exact, one-request seeks in compressed audio
 *
 * Sits right after the source and keeps an exact index of an MP3, FLAC,
 * Ogg Opus/Vorbis, M4A or Matroska/WebM Vorbis stream (where each frame,
 * page or sample is), so that a TIME seek lands on the exact sample with
 * one byte seek upstream: one HTTP range request instead of a re-read
 * from the first frame. Local files are indexed by a scan in a worker;
 * over HTTP the index grows from the bytes that stream by and MP3
 * indexes are kept in `$XDG_CACHE_HOME/gst-chapters/seek-index/`.
 *
 * Installed, its autoplugged factories (`seektableparse`, `seektableid3`)
 * put it in front of the stock parser in decodebin and playbin, which then
 * also post the stream's chapters as a TOC before PAUSED; opt out with
 * `GST_PLUGIN_FEATURE_RANK=seektableparse:NONE,seektableid3:NONE`.
 * `seektable` itself has rank NONE, for explicit pipelines.
 *
 * ## Example pipeline
 * |[
 * gst-launch-1.0 souphttpsrc location=https://example.com/episode.mp3 ! \
 *     seektable ! decodebin ! chapters start-chapter=4 ! audioconvert ! \
 *     autoaudiosink
 * ]| Starts in chapter 4 from its first sample, with one range request.
 */

/* gst-chapters: the `seektable` element.
 *
 * Sits right after the source, in the byte domain:
 *
 *   filesrc location=ep.mp3 ! seektable ! decodebin ! chapters ! ...
 *
 * It passes the stream through untouched, or takes it apart where the
 * stock demuxer cannot land exactly, while it keeps an exact index of it
 * (local files are scanned whole in a worker). When a TIME seek comes up
 * from the parser it serves it itself: one BYTES seek upstream to where
 * the decoder must start to produce the target sample, then the stream
 * from there in a TIME segment that starts at the target, so the decoder
 * clips to the exact sample and the sink gets it first. Over HTTP that is
 * one range request near the target instead of a re-read from the first
 * frame.
 *
 * This file is the element: pads, events, queries, the scan, the held
 * head of the stream and the chapters it gives a player when autoplugged.
 * The protocol of a jump is seek-protocol.c, and each container is a
 * backend behind one table (seek-table-private.h): seek-mpeg.c,
 * seek-flac.c, seek-ogg.c, seek-matroska.c, seek-mp4.c;
 * docs/seek-table.md says how each lands.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "seek-table-private.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gst/tag/tag.h>

#include "chapter-embedded.h"
#include "chapter-toc.h"
#include "chapter-source.h"

GST_DEBUG_CATEGORY (gst_seek_table_debug);

/* The upstream query a seek table answers: one is there already. */
#define SEEK_TABLE_QUERY "gst-chapters-seek-table"

/* Every backend. The container table (chapter_container_sniff_media)
 * names the one of a local file's scan and of a stream's first bytes;
 * MPEG audio is what is left (its frames are found past anything). */
static const SeekBackend *const backends[] = {
  &seek_backend_ogg, &seek_backend_matroska, &seek_backend_mp4,
  &seek_backend_flac, &seek_backend_mpeg,
};

/* Those that serve a stream passed through to the stock parser. */
static const SeekBackend *const passthrough_backends[] = {
  &seek_backend_flac, &seek_backend_mpeg,
};

static void start_deferred_scan (GstSeekTable * self, gboolean wait);

/* Whether we and every bin we are in are going to PAUSED or PLAYING: not
 * being shut down (the pipeline stopping, or playbin dropping the bin of
 * the stream before in a gapless change), when elements refuse data as
 * flushing one after the other; and whether the pipeline (the topmost
 * bin) has still to preroll. */
static gboolean
pipeline_plays (GstSeekTable * self, gboolean * prerolled)
{
  GstObject *object = gst_object_ref (GST_OBJECT (self)), *parent;
  gboolean plays = TRUE;

  while (object && plays) {
    if (GST_IS_ELEMENT (object)) {
      GST_OBJECT_LOCK (object);
      plays = GST_STATE_TARGET (object) >= GST_STATE_PAUSED;
      if (prerolled)
        *prerolled = GST_STATE (object) >= GST_STATE_PAUSED;
      GST_OBJECT_UNLOCK (object);
    }
    parent = gst_object_get_parent (object);
    gst_object_unref (object);
    object = parent;
  }
  if (object)
    gst_object_unref (object);
  return plays;
}

/* Waits out the state changes under way in the bins we are in, the
 * outermost first: a bin changing state sets its children one by one
 * (playbin3's uridecodebin3 may set urisourcebin going before
 * decodebin3), and elements it adds meanwhile (decodebin3's identity, a
 * decoder) sync to the state it had. */
static void
await_state_changes (GstSeekTable * self)
{
  GSList *bins = NULL;
  GstObject *parent = gst_object_get_parent (GST_OBJECT (self));

  while (parent) {
    GstObject *up = gst_object_get_parent (parent);

    bins = g_slist_prepend (bins, parent);
    parent = up;
  }
  for (GSList * l = bins; l; l = l->next)
    if (GST_IS_ELEMENT (l->data)) {
      GST_STATE_LOCK (l->data);
      GST_STATE_UNLOCK (l->data);
    }
  g_slist_free_full (bins, gst_object_unref);
}

/* Serves a flushing TIME @segment, from the backend that takes the stream
 * apart, or the one whose index knows the stream passed through. FALSE:
 * not ours to serve. */
static gboolean
serve_segment (GstSeekTable * self, const GstSegment * segment,
    guint32 seqnum, GstSeekFlags flags)
{
  /* (a seek in PAUSED, before playback started a deferred scan: a local
   * file's scan takes milliseconds, a jump without it may read far) */
  if (gst_seek_table_autoplugged (self))
    start_deferred_scan (self, TRUE);
  if (self->demux == DEMUX_OURS)
    return self->backend->seek (self, segment, seqnum, flags);
  for (guint i = 0; i < G_N_ELEMENTS (passthrough_backends); i++)
    if (passthrough_backends[i]->seek (self, segment, seqnum, flags))
      return TRUE;
  return FALSE;
}

/* The stream from its start again: a jump to 0 in one taken apart, the
 * bytes from 0 in one passed through. */
static void
replay_start (GstElement * element, gpointer data)
{
  GstSeekTable *self = GST_SEEK_TABLE (element);
  GstSegment segment;
  gboolean replayed;

  await_state_changes (self);
  if (!pipeline_plays (self, NULL))
    return;
  gst_segment_init (&segment, GST_FORMAT_TIME);
  if (self->demux == DEMUX_OURS)
    replayed = serve_segment (self, &segment, gst_util_seqnum_next (),
        GST_SEEK_FLAG_FLUSH);
  else
    replayed = gst_pad_push_event (self->sinkpad, gst_event_new_seek (1.0,
            GST_FORMAT_BYTES, GST_SEEK_FLAG_FLUSH, GST_SEEK_TYPE_SET, 0,
            GST_SEEK_TYPE_NONE, -1));
  if (!replayed)
    GST_ELEMENT_WARNING (self, STREAM, FAILED, (NULL), ("downstream "
            "refused the stream's start as flushing, and it could not be "
            "read again"));
}

/* @ret of a push downstream; refused as flushing with no flush under way
 * while the pipeline prerolls: decodebin3 (1.22, playbin3) linking its
 * input while its own change to PAUSED is still under way takes the first
 * data that way, and the queue before it (urisourcebin's) stops for good.
 * Then the stream again from its start, once, once the bins we are in
 * have changed state, after a flush that sets that queue going again. */
static GstFlowReturn
replay_if_refused (GstSeekTable * self, GstFlowReturn ret)
{
  gboolean prerolled = TRUE;

  if (ret != GST_FLOW_FLUSHING || GST_PAD_IS_FLUSHING (self->sinkpad)
      || GST_PAD_IS_FLUSHING (self->srcpad) || self->replayed
      || !pipeline_plays (self, &prerolled) || prerolled)
    return ret;
  GST_INFO_OBJECT (self, "downstream refused the stream's start as "
      "flushing: played again from its start");
  self->replayed = TRUE;
  gst_element_call_async (GST_ELEMENT (self), replay_start, NULL, NULL);
  return GST_FLOW_OK;
}

#define gst_seek_table_parent_class parent_class
G_DEFINE_TYPE (GstSeekTable, gst_seek_table, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (seektable, "seektable", GST_RANK_NONE,
    GST_TYPE_SEEK_TABLE);

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

/* The backend of the container that @data (a stream's head) starts;
 * @taking_apart: only one that takes its streams apart, else NULL. */
static const SeekBackend *
backend_of (const guint8 * data, gsize size, gboolean taking_apart)
{
  const ChapterContainer *container =
      chapter_container_sniff_media (data, size);

  for (guint i = 0; i < G_N_ELEMENTS (backends) && container; i++)
    if (!strcmp (backends[i]->container, container->name)
        && (backends[i]->takes_apart || !taking_apart))
      return backends[i];
  return taking_apart ? NULL : &seek_backend_mpeg;
}

/* A local file's scan, in a worker: the backend whose container it is
 * indexes it whole. */
static gpointer
scan_thread (gpointer data)
{
  GstSeekTable *self = data;
  g_autofree gchar *path = NULL;
  g_autoptr (GMappedFile) file = NULL;

  GST_OBJECT_LOCK (self);
  path = g_strdup (self->scan_path);
  GST_OBJECT_UNLOCK (self);
  if (path == NULL)
    return NULL;                /* (the stream was stopped meanwhile) */

  file = g_mapped_file_new (path, FALSE, NULL);
  if (file) {
    const guint8 *bytes = (const guint8 *) g_mapped_file_get_contents (file);
    gsize size = g_mapped_file_get_length (file);
    const SeekBackend *backend = backend_of (bytes, size, FALSE);

    if (backend->scan)
      backend->scan (self, path, bytes, size);
    else
      GST_DEBUG_OBJECT (self, "%s: %s, indexed as it streams by", path,
          backend->name);
  }
  return NULL;
}

/* A local file gets a full scan in a worker: exact from the start. */
static void
maybe_start_scan (GstSeekTable * self)
{
  gchar *uri = seek_table_upstream_uri (self), *path = NULL;

  if (uri == NULL)
    return;
  /* an index this stream had before */
  for (guint i = 0; i < G_N_ELEMENTS (backends); i++)
    if (backends[i]->load_cached && backends[i]->load_cached (self, uri)) {
      g_free (uri);
      return;
    }
  if (g_str_has_prefix (uri, "file:"))
    path = g_filename_from_uri (uri, NULL, NULL);
  g_free (uri);
  if (path == NULL)
    return;
  GST_OBJECT_LOCK (self);
  if (self->scan_thread == NULL && self->scan_path == NULL) {
    self->scan_path = path;
    /* autoplugged, the scan waits for playback or a seek: a discoverer or
     * a thumbnailer that only prerolls pays for no scan and no cache */
    if (!gst_seek_table_autoplugged (self))
      self->scan_thread = g_thread_new ("seektable-scan", scan_thread, self);
  } else {
    g_free (path);
  }
  GST_OBJECT_UNLOCK (self);
}

/* The scan that waited (autoplugged); with @wait, until it is done. */
static void
start_deferred_scan (GstSeekTable * self, gboolean wait)
{
  GThread *thread = NULL;

  GST_OBJECT_LOCK (self);
  if (self->scan_path && self->scan_thread == NULL && !self->scan_started) {
    self->scan_started = TRUE;
    GST_DEBUG_OBJECT (self, "scanning %s now", self->scan_path);
    self->scan_thread = g_thread_new ("seektable-scan", scan_thread, self);
  }
  if (wait)
    thread = g_steal_pointer (&self->scan_thread);
  GST_OBJECT_UNLOCK (self);
  if (thread)
    g_thread_join (thread);
}

/* Sends the chapters read for the application after the stream's first
 * segment: players read a TOC once, when the pipeline prerolls. (With the
 * tags of an ID3v1 tag at a local file's end, read for id3demux.) */
void
seek_table_push_toc (GstSeekTable * self)
{
  GstToc *toc = g_steal_pointer (&self->toc);
  GstTagList *end_tags = g_steal_pointer (&self->end_tags);

  if (end_tags)
    gst_pad_push_event (self->srcpad, gst_event_new_tag (end_tags));

  if (toc) {
    GST_INFO_OBJECT (self, "the stream's chapters: %u",
        g_list_length (gst_toc_entry_get_sub_entries (gst_toc_get_entries
                (toc)->data)));
    gst_pad_push_event (self->srcpad, gst_event_new_toc (toc, FALSE));
    gst_toc_unref (toc);
  }
}

/* Keeps @list's chapters, when it has any, to go out as the TOC. */
void
seek_table_keep_chapters (GstSeekTable * self, ChapterList * list)
{
  if (list == NULL || chapter_list_length (list) == 0)
    return;
  chapter_list_finalize (list, -1);
  gst_clear_mini_object ((GstMiniObject **) &self->toc);
  self->toc = chapter_list_to_toc (list);
}

/* Autoplugged in front of id3demux, the element runs it in push mode (as
 * a stream over HTTP does), where it cannot read a tag at the file's end:
 * of a local file @path, an ID3v1 tag there is read here and goes out as
 * tags, before id3demux's own (an ID3v2 tag at the start has the last
 * word, as the tags of one event). */
static void
autoplug_read_end_tag (GstSeekTable * self, const gchar * path)
{
  g_autoptr (GstCaps) caps = gst_pad_get_current_caps (self->sinkpad);
  guint8 tag[128];
  gint fd;

  if (caps == NULL || !gst_structure_has_name (gst_caps_get_structure (caps,
              0), "application/x-id3"))
    return;
  fd = g_open (path, O_RDONLY, 0);
  if (fd < 0)
    return;
  if (lseek (fd, -(off_t) sizeof tag, SEEK_END) >= 0
      && read (fd, tag, sizeof tag) == sizeof tag
      && memcmp (tag, "TAG", 3) == 0) {
    gst_clear_tag_list (&self->end_tags);
    self->end_tags = gst_tag_list_new_from_id3v1 (tag);
    GST_DEBUG_OBJECT (self, "the ID3v1 tag at the end of %s: %"
        GST_PTR_FORMAT, path, self->end_tags);
  }
  close (fd);
}

/* Autoplugged, the element gives a player the chapters of a local file,
 * which stock 1.22 turns into a TOC only for Matroska: its own (ID3 CHAP,
 * MP4, CHAPTERxxx comments, FLAC cuesheet), else those of a sidecar file
 * beside it with the same base name. FALSE: the stream is no local file. */
static gboolean
autoplug_read_chapters (GstSeekTable * self)
{
  static const gchar *const sidecars[] = { ".chapters.json", ".json",
    ".cue", ".vtt", ".ffmetadata", ".chapters.txt", ".txt", NULL
  };
  g_autofree gchar *uri = seek_table_upstream_uri (self), *path = NULL;
  g_autoptr (ChapterList) list = NULL;
  gchar *dot, *slash;

  if (uri == NULL || g_ascii_strncasecmp (uri, "file:", 5) != 0
      || (path = g_filename_from_uri (uri, NULL, NULL)) == NULL)
    return FALSE;
  autoplug_read_end_tag (self, path);
  list = chapter_embedded_read_uri (path, NULL);
  slash = strrchr (path, G_DIR_SEPARATOR);
  dot = strrchr (path, '.');
  if (dot && (!slash || dot > slash))
    *dot = '\0';
  for (guint i = 0; sidecars[i] && (!list || !chapter_list_length (list));
      i++) {
    g_autofree gchar *sidecar = g_strconcat (path, sidecars[i], NULL);
    ChapterReadContext ctx = { uri, NULL, NULL };
    ChapterFetchLimits limits;
    GError *error = NULL;

    if (!g_file_test (sidecar, G_FILE_TEST_IS_REGULAR))
      continue;
    chapter_fetch_limits_init (&limits);
    g_clear_pointer (&list, chapter_list_free);
    list = chapter_source_load (sidecar, &ctx, &limits, NULL, &error);
    if (list == NULL) {
      GST_ELEMENT_WARNING (self, STREAM, FORMAT, ("Could not read chapters "
              "from %s", sidecar), ("%s", error->message));
      g_clear_error (&error);
    }
  }
  seek_table_keep_chapters (self, list);
  return TRUE;
}

/* Not a local file (HTTP): the chapters in the stream's first bytes (an
 * ID3 tag, FLAC metadata, the Ogg comment header) when they are whole
 * there; the rest reach the `chapters` element as tags or through its own
 * container read. */
static void
autoplug_head_chapters (GstSeekTable * self, GstBuffer * buf)
{
  g_autoptr (ChapterList) list = NULL;
  GstMapInfo map;

  if (!gst_buffer_map (buf, &map, GST_MAP_READ))
    return;
  list = chapter_embedded_read (map.data, map.size, NULL);
  gst_buffer_unmap (buf, &map);
  seek_table_keep_chapters (self, list);
}

/* Not ours after all: what was held goes on as it came. */
GstFlowReturn
seek_table_release_held (GstSeekTable * self)
{
  GstFlowReturn ret = GST_FLOW_OK;
  GList *held = g_list_reverse (g_steal_pointer (&self->held)), *l;

  self->demux = DEMUX_NO;
  self->backend = NULL;
  for (l = held; l; l = l->next) {
    if (GST_IS_EVENT (l->data)) {
      gboolean segment = GST_EVENT_TYPE (l->data) == GST_EVENT_SEGMENT;

      gst_pad_push_event (self->srcpad, l->data);
      if (segment)
        seek_table_push_toc (self);
    } else if (ret == GST_FLOW_OK)
      ret = gst_pad_push (self->srcpad, l->data);
    else
      gst_buffer_unref (l->data);
  }
  g_list_free (held);
  return ret;
}

/* Whether buffers are held (not only events). */
static gboolean
holds_data (GstSeekTable * self)
{
  for (GList * l = self->held; l; l = l->next)
    if (GST_IS_BUFFER (l->data))
      return TRUE;
  return FALSE;
}

void
seek_table_drop_held (GstSeekTable * self)
{
  g_list_free_full (g_steal_pointer (&self->held),
      (GDestroyNotify) gst_mini_object_unref);
}

static GstFlowReturn
gst_seek_table_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  GstSeekTable *self = GST_SEEK_TABLE (parent);
  guint64 offset = GST_BUFFER_OFFSET_IS_VALID (buf) ?
      GST_BUFFER_OFFSET (buf) : self->in_offset;
  gsize size = gst_buffer_get_size (buf);
  GstMapInfo map;
  gboolean awaiting;
  Landing landing;

  GST_OBJECT_LOCK (self);
  awaiting = self->awaiting_segment;
  landing = self->landing;
  GST_OBJECT_UNLOCK (self);
  if (awaiting) {
    /* data from before our seek took effect. (Stopping that request with
     * GST_FLOW_EOS saved bytes on loopback but made souphttpsrc close a
     * half-read libsoup stream on the next seek, which crashed libsoup
     * 3.2 now and then under load.) */
    gst_buffer_unref (buf);
    seek_table_await_retry (self);
    return GST_PAD_IS_FLUSHING (pad) ? GST_FLOW_FLUSHING : GST_FLOW_OK;
  }
  if (self->offset_shift != 0 || self->skip_until > 0) {
    /* an answer from another byte than asked: where the bytes really are,
     * and those before what the plan reads from dropped */
    offset = (guint64) ((gint64) offset + self->offset_shift);
    if (offset + size <= self->skip_until) {
      gst_buffer_unref (buf);
      return GST_FLOW_OK;
    }
    if (offset < self->skip_until) {
      GstBuffer *rest = gst_buffer_copy_region (buf, GST_BUFFER_COPY_ALL,
          self->skip_until - offset, -1);

      gst_buffer_unref (buf);
      buf = rest;
      size = gst_buffer_get_size (buf);
      offset = self->skip_until;
    }
  }

  if (!self->scan_checked && offset == 0) {
    self->scan_checked = TRUE;
    maybe_start_scan (self);
    if (gst_seek_table_autoplugged (self) && !autoplug_read_chapters (self))
      autoplug_head_chapters (self, buf);
  }

  if (gst_buffer_map (buf, &map, GST_MAP_READ)) {
    /* the streamed indexes */
    GST_OBJECT_LOCK (self);
    for (guint i = 0; i < G_N_ELEMENTS (backends); i++)
      if (backends[i]->feed_locked)
        backends[i]->feed_locked (self, offset, map.data, map.size);
    GST_OBJECT_UNLOCK (self);
    /* from byte 0: held until the backend whose container it is (Ogg,
     * Matroska, MP4) tells from the first pages or the movie box whether
     * it takes it apart */
    if (self->demux == DEMUX_UNDECIDED && self->backend == NULL
        && (self->held == NULL || GST_IS_EVENT (self->held->data))
        && offset == 0)
      self->backend = backend_of (map.data, map.size, TRUE);
    gst_buffer_unmap (buf, &map);
  }
  if (self->demux == DEMUX_UNDECIDED && self->backend == NULL) {
    GstFlowReturn ret = seek_table_release_held (self);

    if (ret != GST_FLOW_OK) {
      gst_buffer_unref (buf);
      return replay_if_refused (self, ret);
    }
  }
  self->in_offset = offset + size;

  if (self->backend && self->demux != DEMUX_NO)
    return replay_if_refused (self, self->backend->chain (self, offset, buf));
  if (landing == LANDING_NONE || self->backend == NULL) {
    for (guint i = 0; i < G_N_ELEMENTS (passthrough_backends); i++)
      if (passthrough_backends[i]->pass)
        buf = passthrough_backends[i]->pass (self, offset, buf);
    return replay_if_refused (self, gst_pad_push (self->srcpad, buf));
  }
  return self->backend->chain (self, offset, buf);
}

/* The value of header @name (in any case) in souphttpsrc's @headers. */
static const gchar *
header_value (const GstStructure * headers, const gchar * name)
{
  for (gint i = 0; i < gst_structure_n_fields (headers); i++) {
    const gchar *field = gst_structure_nth_field_name (headers, i);
    const GValue *value;

    if (g_ascii_strcasecmp (field, name) != 0)
      continue;
    value = gst_structure_get_value (headers, field);
    return G_VALUE_HOLDS_STRING (value) ? g_value_get_string (value) : NULL;
  }
  return NULL;
}

static gboolean
gst_seek_table_sink_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstSeekTable *self = GST_SEEK_TABLE (parent);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_SEGMENT:{
      const GstSegment *segment;

      gst_event_parse_segment (event, &segment);
      GST_OBJECT_LOCK (self);
      if (self->awaiting_segment && segment->format == GST_FORMAT_BYTES
          && seek_table_overtaken_locked (self, gst_event_get_seqnum (event),
              segment->start)) {
        /* the answer to a BYTES seek of ours that a later one overtook:
         * its bytes are not where the plan reads from; the later answer
         * follows */
        GST_DEBUG_OBJECT (self, "an overtaken seek's segment (byte %"
            G_GUINT64_FORMAT "), dropped", segment->start);
        GST_OBJECT_UNLOCK (self);
        gst_event_unref (event);
        return TRUE;
      }
      if (self->awaiting_segment && segment->format == GST_FORMAT_BYTES) {
        /* the answer to our BYTES seek: frames from here, our TIME
         * segment goes out with the first one. Only this thread touches
         * the streaming state, so nothing old is pushed under it. */
        guint64 start;

        if (!seek_table_answer_from_locked (self, segment->start, &start)) {
          /* (asked again; the answer to that follows) */
          GST_OBJECT_UNLOCK (self);
          gst_event_unref (event);
          return TRUE;
        }
        self->awaiting_segment = FALSE;
        self->pending.backend->answer_locked (self, start);
        GST_OBJECT_UNLOCK (self);
        gst_adapter_clear (self->adapter);
        gst_event_unref (event);
        return TRUE;
      }
      if (self->demux == DEMUX_UNDECIDED && !holds_data (self)
          && ((segment->format == GST_FORMAT_BYTES && segment->start == 0)
              || self->held != NULL)) {
        /* goes on once we know whether we take the stream apart (after
         * the caps held, whatever it is) */
        if (segment->format == GST_FORMAT_BYTES && segment->start == 0)
          self->upstream_seqnum = gst_event_get_seqnum (event);
        self->held = g_list_prepend (self->held, event);
        GST_OBJECT_UNLOCK (self);
        return TRUE;
      }
      if (self->demux == DEMUX_OURS && self->backend->foreign_segment) {
        /* bytes from elsewhere in a stream we take apart */
        GST_OBJECT_UNLOCK (self);
        if (self->backend->foreign_segment (self, segment)) {
          gst_event_unref (event);
          return TRUE;
        }
        GST_OBJECT_LOCK (self);
      }
      if (self->landing != LANDING_NONE) {
        /* a seek that is not ours: back to passing bytes through */
        GST_DEBUG_OBJECT (self, "foreign segment, passthrough again");
        self->landing = LANDING_NONE;
      }
      if (segment->format == GST_FORMAT_BYTES)
        self->in_offset = segment->start;
      GST_OBJECT_UNLOCK (self);
      break;
    }
    case GST_EVENT_CAPS:
      if (self->demux == DEMUX_UNDECIDED && !holds_data (self)) {
        /* (typefind's, when autoplugged): held until the first bytes tell
         * whether the stream goes on as it is or taken apart, with caps of
         * its own; a demuxer plugged for these would refuse those */
        self->held = g_list_prepend (self->held, event);
        return TRUE;
      }
      break;
    case GST_EVENT_FLUSH_START:
      seek_table_wake_waiters (self);
      if (seek_table_quiet_flush (self, event))
        return TRUE;
      break;
    case GST_EVENT_FLUSH_STOP:
      gst_adapter_clear (self->adapter);
      self->offset_shift = 0;
      self->skip_until = 0;
      if (self->demux == DEMUX_OURS && self->backend->flush)
        self->backend->flush (self);
      if (self->demux == DEMUX_UNDECIDED) {
        seek_table_drop_held (self);
        self->demux = DEMUX_NO;
      }
      GST_OBJECT_LOCK (self);
      self->whole = FALSE;
      GST_OBJECT_UNLOCK (self);
      if (seek_table_quiet_flush (self, event))
        return TRUE;
      break;
    case GST_EVENT_CUSTOM_DOWNSTREAM_STICKY:{
      const GstStructure *s = gst_event_get_structure (event);
      const GstStructure *headers = NULL;

      /* souphttpsrc's response headers: the cache validator */
      if (s && gst_structure_has_name (s, "http-headers")
          && gst_structure_get (s, "response-headers", GST_TYPE_STRUCTURE,
              &headers, NULL) && headers) {
        const gchar *etag = gst_structure_get_string (headers, "ETag");
        const gchar *modified = gst_structure_get_string (headers,
            "Last-Modified");

        const gchar *accept = header_value (headers, "Accept-Ranges");
        const gchar *range = header_value (headers, "Content-Range");
        gboolean ranges = range != NULL || (accept && strstr (accept,
                "bytes"));
        guint64 first = 0;
        gchar *end = NULL;

        GST_DEBUG_OBJECT (self, "response headers: Content-Range %s",
            GST_STR_NULL (range));
        /* "bytes FIRST-LAST/LENGTH": where the answer's bytes begin */
        if (range && g_str_has_prefix (range, "bytes "))
          first = g_ascii_strtoull (range + 6, &end, 10);
        if (end && end > range + 6 && *end == '-' && first <= G_MAXINT64) {
          GST_OBJECT_LOCK (self);
          self->response_start = (gint64) first;
          GST_OBJECT_UNLOCK (self);
        }

        GST_OBJECT_LOCK (self);
        g_free (self->validator);
        self->validator = etag ? g_strdup_printf ("etag %s", etag) :
            modified ? g_strdup_printf ("modified %s", modified) : NULL;
        self->ranges_unsure = !ranges;
        GST_OBJECT_UNLOCK (self);
        gst_structure_free ((GstStructure *) headers);
      }
      break;
    }
    case GST_EVENT_EOS:{
      gboolean stale;
      guint64 sent_offset;
      gint64 size = -1;

      /* the end of a request we are leaving (a FLAC landing past the
       * target reads again): not the end of the stream */
      GST_OBJECT_LOCK (self);
      stale = self->awaiting_segment;
      sent_offset = self->sent_offset;
      GST_OBJECT_UNLOCK (self);
      if (stale && (size = seek_table_upstream_size (self)) >= 0
          && sent_offset >= (guint64) size) {
        /* unless the request we await began at or past the end (an
         * estimate beyond a stream shorter than thought): then this end
         * is its answer, and the stream's */
        GST_DEBUG_OBJECT (self, "our request from byte %" G_GUINT64_FORMAT
            " (of %" G_GINT64_FORMAT ") ended at once: the end", sent_offset,
            size);
        GST_OBJECT_LOCK (self);
        self->awaiting_segment = FALSE;
        self->segment = self->pending.segment;
        self->seqnum = self->pending.seqnum;
        self->need_segment = FALSE;
        GST_OBJECT_UNLOCK (self);
        seek_table_push_segment (self, self->seqnum);
        /* (what was read before says nothing about where the end is) */
        return gst_pad_push_event (self->srcpad, event);
      }
      if (stale) {
        GST_DEBUG_OBJECT (self, "EOS of the request we are leaving");
        gst_event_unref (event);
        return TRUE;
      }

      if (self->demux == DEMUX_UNDECIDED)
        seek_table_release_held (self);
      /* a landing under way, or a stream taken apart, ends (or goes on
       * elsewhere: the end is dropped) */
      if (self->backend && (self->demux == DEMUX_OURS
              || !self->backend->takes_apart) && self->backend->eos
          && !self->backend->eos (self)) {
        gst_event_unref (event);
        return TRUE;
      }
      for (guint i = 0; i < G_N_ELEMENTS (backends); i++)
        if (backends[i]->stream_end)
          backends[i]->stream_end (self);
      break;
    }
    default:
      break;
  }
  return gst_pad_event_default (pad, parent, event);
}

/* Serves a flushing TIME seek from the index. FALSE: not ours to serve. */
static gboolean
handle_time_seek (GstSeekTable * self, GstEvent * event)
{
  gdouble rate;
  GstFormat format;
  GstSeekFlags flags;
  GstSeekType start_type, stop_type;
  gint64 start, stop;
  gboolean unsure;
  GstSegment segment;

  gst_event_parse_seek (event, &rate, &format, &flags, &start_type, &start,
      &stop_type, &stop);
  /* forward at any speed (the segment carries the rate: scaletempo
   * plays it at 1.5x with the pitch kept); backwards is the parser's */
  if (format != GST_FORMAT_TIME || rate <= 0.0
      || start_type != GST_SEEK_TYPE_SET || !(flags & GST_SEEK_FLAG_FLUSH)
      || start < 0)
    return FALSE;

  GST_OBJECT_LOCK (self);
  unsure = self->ranges_unsure;
  GST_OBJECT_UNLOCK (self);
  if (unsure && self->demux != DEMUX_NO) {
    /* a server that may ignore Range (souphttpsrc fails on the first
     * range it ignores): the parser's own seek, as stock, which reads
     * from byte 0 when it must */
    GST_INFO_OBJECT (self, "the server did not say it serves byte ranges: "
        "the seek is left to the parser");
    return FALSE;
  }

  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_segment_do_seek (&segment, rate, GST_FORMAT_TIME, flags, start_type,
      start, stop_type, stop, NULL);
  return serve_segment (self, &segment, gst_event_get_seqnum (event), flags);
}

static gboolean
gst_seek_table_src_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstSeekTable *self = GST_SEEK_TABLE (parent);

  if (GST_EVENT_TYPE (event) == GST_EVENT_SEEK
      && handle_time_seek (self, event)) {
    gst_event_unref (event);
    return TRUE;
  }
  return gst_pad_event_default (pad, parent, event);
}

/* Whether a seek table is upstream already (an explicit one in front of
 * decodebin, or the ID3 one in front of id3demux). */
static gboolean
seek_table_upstream (GstSeekTable * self)
{
  GstQuery *query = gst_query_new_custom (GST_QUERY_CUSTOM,
      gst_structure_new_empty (SEEK_TABLE_QUERY));
  gboolean found = gst_pad_peer_query (self->sinkpad, query);

  gst_query_unref (query);
  return found;
}

/* Autoplugged, the element takes a stream only where it can serve it: caps
 * it knows, no seek table upstream already, and bytes it can seek in
 * (upstream knows their length: not a live stream, not the output of a
 * demuxer). A refusal makes decodebin and parsebin try the next factory,
 * the stock one. */
static gboolean
autoplug_accepts (GstSeekTable * self, GstCaps * caps)
{
  GstCaps *templ = gst_pad_get_pad_template_caps (self->sinkpad);
  gboolean ok = gst_caps_can_intersect (caps, templ);

  gst_caps_unref (templ);
  if (ok && seek_table_upstream (self)) {
    GST_DEBUG_OBJECT (self, "a seek table is upstream already: refused");
    ok = FALSE;
  }
  if (ok && seek_table_upstream_size (self) <= 0) {
    GST_DEBUG_OBJECT (self, "upstream has no length in bytes: refused");
    ok = FALSE;
  }
  return ok;
}

static gboolean
gst_seek_table_sink_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  GstSeekTable *self = GST_SEEK_TABLE (parent);

  if (GST_QUERY_TYPE (query) == GST_QUERY_ACCEPT_CAPS
      && gst_seek_table_autoplugged (self)) {
    GstCaps *caps;

    gst_query_parse_accept_caps (query, &caps);
    gst_query_set_accept_caps_result (query, autoplug_accepts (self, caps));
    return TRUE;
  }
  return gst_pad_query_default (pad, parent, query);
}

static gboolean
gst_seek_table_src_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  GstSeekTable *self = GST_SEEK_TABLE (parent);
  GstFormat format;

  switch (GST_QUERY_TYPE (query)) {
    case GST_QUERY_CUSTOM:
      if (gst_structure_has_name (gst_query_get_structure (query),
              SEEK_TABLE_QUERY))
        return TRUE;            /* a seek table is here */
      break;
    case GST_QUERY_CAPS:{
      /* what goes out is upstream's caps only when the stream passes
       * through: taken apart, our own; not decided yet, anything (parsebin
       * would plug a demuxer for upstream's caps, then get ours) */
      GstCaps *caps = gst_pad_get_current_caps (pad), *filter;

      if (caps == NULL && self->demux == DEMUX_NO)
        break;
      if (caps == NULL)
        caps = gst_pad_get_pad_template_caps (pad);
      gst_query_parse_caps (query, &filter);
      if (filter) {
        GstCaps *both = gst_caps_intersect_full (filter, caps,
            GST_CAPS_INTERSECT_FIRST);

        gst_caps_unref (caps);
        caps = both;
      }
      gst_query_set_caps_result (query, caps);
      gst_caps_unref (caps);
      return TRUE;
    }
    case GST_QUERY_DURATION:
    case GST_QUERY_SEEKING:{
      QueryAnswer answer = QUERY_NOT_MINE;

      if (GST_QUERY_TYPE (query) == GST_QUERY_DURATION)
        gst_query_parse_duration (query, &format, NULL);
      else
        gst_query_parse_seeking (query, &format, NULL, NULL, NULL);
      if (format != GST_FORMAT_TIME)
        break;
      /* in time: the backend's index, upstream counts bytes */
      if (self->demux == DEMUX_OURS)
        answer = self->backend->query (self, query);
      else
        for (guint i = 0; i < G_N_ELEMENTS (passthrough_backends)
            && answer == QUERY_NOT_MINE; i++)
          answer = passthrough_backends[i]->query (self, query);
      if (answer != QUERY_NOT_MINE)
        return answer == QUERY_ANSWERED;
      break;
    }
    default:
      break;
  }
  return gst_pad_query_default (pad, parent, query);
}

static void
reset (GstSeekTable * self)
{
  GThread *thread;

  GST_OBJECT_LOCK (self);
  thread = g_steal_pointer (&self->scan_thread);
  GST_OBJECT_UNLOCK (self);
  if (thread)
    g_thread_join (thread);
  GST_OBJECT_LOCK (self);
  for (guint i = 0; i < G_N_ELEMENTS (backends); i++)
    backends[i]->reset_locked (self);
  self->backend = NULL;
  self->played = FALSE;
  seek_table_drop_held (self);
  gst_clear_mini_object ((GstMiniObject **) &self->toc);
  gst_clear_tag_list (&self->end_tags);
  self->demux = DEMUX_UNDECIDED;
  memset (&self->pending, 0, sizeof self->pending);
  self->n_sent = 0;
  self->upstream_seqnum = 0;
  g_clear_pointer (&self->scan_path, g_free);
  g_clear_pointer (&self->validator, g_free);
  g_clear_pointer (&self->cache_path, g_free);
  self->scan_checked = FALSE;
  self->scan_started = FALSE;
  self->whole = TRUE;
  self->in_offset = 0;
  self->landing = LANDING_NONE;
  self->awaiting_segment = FALSE;
  self->replayed = FALSE;
  /* (what the last stream's server answered: a shift of its bytes kept
   * dropped the next stream's up to where that one's jump went) */
  self->offset_shift = 0;
  self->skip_until = 0;
  self->ranges_unsure = FALSE;
  self->response_start = -1;
  self->sent_offset = 0;
  self->wanted_offset = 0;
  self->skews = 0;
  self->skew_warned = FALSE;
  GST_OBJECT_UNLOCK (self);
  gst_adapter_clear (self->adapter);
}

static GstStateChangeReturn
gst_seek_table_change_state (GstElement * element, GstStateChange transition)
{
  GstSeekTable *self = GST_SEEK_TABLE (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED)
    reset (self);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_PLAYING) {
    self->played = TRUE;
    start_deferred_scan (self, FALSE);
  }
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    seek_table_wake_waiters (self);     /* (the sink pad goes down) */
  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY) {
    for (guint i = 0; i < G_N_ELEMENTS (backends); i++)
      if (backends[i]->stopped)
        backends[i]->stopped (self);
    reset (self);
  }
  return ret;
}

static void
gst_seek_table_finalize (GObject * object)
{
  GstSeekTable *self = GST_SEEK_TABLE (object);

  reset (self);
  for (guint i = 0; i < G_N_ELEMENTS (backends); i++)
    if (backends[i]->finalize)
      backends[i]->finalize (self);
  gst_clear_mini_object ((GstMiniObject **) &self->toc);
  gst_clear_tag_list (&self->end_tags);
  g_object_unref (self->adapter);
  g_cond_clear (&self->retry_cond);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_seek_table_init (GstSeekTable * self)
{
  GstElementClass *klass = GST_ELEMENT_GET_CLASS (self);

  g_cond_init (&self->retry_cond);
  self->sinkpad = gst_pad_new_from_template
      (gst_element_class_get_pad_template (klass, "sink"), "sink");
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_seek_table_chain));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_seek_table_sink_event));
  gst_pad_set_query_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_seek_table_sink_query));
  GST_PAD_SET_PROXY_CAPS (self->sinkpad);
  GST_PAD_SET_PROXY_ALLOCATION (self->sinkpad);
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->srcpad = gst_pad_new_from_template
      (gst_element_class_get_pad_template (klass, "src"), "src");
  gst_pad_set_event_function (self->srcpad,
      GST_DEBUG_FUNCPTR (gst_seek_table_src_event));
  gst_pad_set_query_function (self->srcpad,
      GST_DEBUG_FUNCPTR (gst_seek_table_src_query));
  GST_PAD_SET_PROXY_CAPS (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  self->adapter = gst_adapter_new ();
  for (guint i = 0; i < G_N_ELEMENTS (backends); i++)
    if (backends[i]->init)
      backends[i]->init (self);
}

static void
gst_seek_table_class_init (GstSeekTableClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_seek_table_debug, "seektable", 0,
      "exact seek index of compressed audio");
  gobject_class->finalize = gst_seek_table_finalize;
  element_class->change_state = gst_seek_table_change_state;
  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Seek table",
      "Codec/Demuxer/Audio",
      "Exact, one-request seeks in compressed audio, right after the source",
      "gst-chapters developers");
}

/* The autoplugged factories: the same element, under the klass and caps
 * decodebin and parsebin look for. "seektableparse" is a Codec/Parser for
 * the audio streams it serves, ranked above the stock parsers (decodebin
 * sorts Codec/Parser factories first, then by rank, and never plugs a
 * Parser twice in one chain); "seektableid3" a Codec/Demuxer for ID3-tagged
 * streams, ranked above id3demux, which it passes through to. */

GType gst_seek_table_parse_get_type (void);
GType gst_seek_table_id3_get_type (void);

typedef GstSeekTable GstSeekTableParse;
typedef GstSeekTableClass GstSeekTableParseClass;
typedef GstSeekTable GstSeekTableId3;
typedef GstSeekTableClass GstSeekTableId3Class;

G_DEFINE_TYPE (GstSeekTableParse, gst_seek_table_parse, GST_TYPE_SEEK_TABLE);
G_DEFINE_TYPE (GstSeekTableId3, gst_seek_table_id3, GST_TYPE_SEEK_TABLE);

static GstStaticPadTemplate parse_sink_template =
GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("audio/mpeg, mpegversion = (int) 1, layer = (int) 3; "
        "audio/x-flac; audio/ogg; audio/x-m4a; audio/x-matroska; "
        "audio/webm"));
static GstStaticPadTemplate id3_sink_template =
GST_STATIC_PAD_TEMPLATE ("sink", GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS ("application/x-id3"));

gboolean
gst_seek_table_autoplugged (GstSeekTable * self)
{
  return G_OBJECT_TYPE (self) != GST_TYPE_SEEK_TABLE;
}

static void
gst_seek_table_parse_init (GstSeekTableParse * self)
{
}

static void
gst_seek_table_parse_class_init (GstSeekTableParseClass * klass)
{
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gst_element_class_add_static_pad_template (element_class,
      &parse_sink_template);
  gst_element_class_set_static_metadata (element_class,
      "Seek table (autoplugged)", "Codec/Parser/Audio",
      "The seek table, plugged by decodebin: exact seeks and a TOC",
      "gst-chapters developers");
}

static void
gst_seek_table_id3_init (GstSeekTableId3 * self)
{
}

static void
gst_seek_table_id3_class_init (GstSeekTableId3Class * klass)
{
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gst_element_class_add_static_pad_template (element_class,
      &id3_sink_template);
  gst_element_class_set_static_metadata (element_class,
      "Seek table (autoplugged, ID3)", "Codec/Demuxer/Audio",
      "The seek table, plugged by decodebin before id3demux: exact seeks "
      "and a TOC", "gst-chapters developers");
}

GST_ELEMENT_REGISTER_DEFINE (seektableparse, "seektableparse",
    GST_RANK_PRIMARY + 3, gst_seek_table_parse_get_type ());
GST_ELEMENT_REGISTER_DEFINE (seektableid3, "seektableid3",
    GST_RANK_PRIMARY + 1, gst_seek_table_id3_get_type ());

