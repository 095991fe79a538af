/* gst-chapters: the `chapters` element. */

/**
 * SECTION:element-chapters
 * @title: chapters
 * @short_description: chapter markers, TOC and navigation for audio
 *
 * A passthrough, time-domain element that gives any audio stream chapters:
 * it reads them from #GstChapters:location or #GstChapters:chapters (and,
 * with #GstChapters:embedded, from what the stream or its file carries: an
 * upstream TOC, ID3 CHAP, MP4 chapters, Vorbis CHAPTERxxx comments, FLAC
 * cuesheets, Matroska), pushes a GLOBAL #GstToc downstream and posts it,
 * posts a `chapter` element message as playback enters each chapter, and
 * turns chapter navigation (the action signals, TOC_SELECT events, seeks
 * in the `chapter` format) into flushing, accurate TIME seeks to the
 * chapter's first sample.
 *
 * Messages (element messages on the bus):
 *
 * - `chapters`: the list, whenever it changes; fields `n-chapters` (uint),
 *   `titles` (array of string), `starts` and `stops` (arrays of guint64,
 *   ns; a stop of GST_CLOCK_TIME_NONE when unknown).
 * - `chapter`: the chapter entered, in step with what is heard; fields
 *   `index` (int, 1-based; 0 outside any chapter), `uid` (`chapter-N`),
 *   `title`, `start`, `stop` (guint64, ns), `hidden` (boolean),
 *   `running-time`, `stream-time` (guint64, ns) and, when the source has
 *   them, `description`, `url`, `image` (strings).
 *
 * Position and duration queries in the `chapter` format give the current
 * chapter number and the count.
 *
 * ## Example pipelines
 * |[
 * gst-launch-1.0 -m filesrc location=episode.opus ! decodebin ! \
 *     chapters location=https://example.com/episode.chapters.json \
 *     start-chapter="prediction limits" ! audioconvert ! autoaudiosink
 * ]| Plays from the chapter titled "Prediction Limits" (matched without
 * regard to case or accents), with chapters from a Podcasting 2.0 file.
 * |[
 * gst-launch-1.0 -m playbin uri=file:///podcasts/episode.mp3 \
 *     audio-filter="chapters skip=Ad*;Sponsor* stop-chapter=5"
 * ]| The file's own chapters; chapters whose title starts with "Ad" or
 * "Sponsor" are played past, and the stream ends after chapter 5.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstchapters.h"

#include <string.h>
#include <gst/tag/tag.h>
#include <gst/audio/audio.h>

#include "chapter-source.h"
#include "chapter-toc.h"
#include "chapter-embedded.h"

GST_DEBUG_CATEGORY_STATIC (gst_chapters_debug);
#define GST_CAT_DEFAULT gst_chapters_debug

#define DEFAULT_EMBEDDED TRUE
#define DEFAULT_PREFER GST_CHAPTERS_PREFER_EXTERNAL
#define DEFAULT_PREVIOUS_THRESHOLD 5.0
#define DEFAULT_TIMEOUT 10

enum
{
  PROP_0,
  PROP_LOCATION,
  PROP_CHAPTERS,
  PROP_EMBEDDED,
  PROP_PREFER,
  PROP_START_CHAPTER,
  PROP_STOP_CHAPTER,
  PROP_SKIP,
  PROP_PREVIOUS_THRESHOLD,
  PROP_TIMEOUT,
  PROP_LANGUAGE,
  PROP_CURRENT_CHAPTER,
  PROP_CURRENT_TITLE,
  PROP_N_CHAPTERS,
  PROP_TOC,
};

enum
{
  SIGNAL_NEXT_CHAPTER,
  SIGNAL_PREVIOUS_CHAPTER,
  SIGNAL_SEEK_CHAPTER,
  SIGNAL_SEEK_TITLE,
  LAST_SIGNAL
};

static guint signals[LAST_SIGNAL];

struct _GstChapters
{
  GstBaseTransform parent;

  /* properties, under the object lock */
  gchar *location;
  gchar *chapters_text;
  gboolean embedded;
  GstChaptersPrefer prefer;
  gchar *start_chapter;
  gchar *stop_chapter;
  gchar *skip;
  gdouble previous_threshold;
  guint timeout;
  gchar *language;

  /* chapter state, under the object lock */
  ChapterList *external;        /* from location / chapters */
  ChapterList *from_stream;     /* from upstream TOC, tags, container */
  ChapterList *list;            /* merged, what we publish */
  GstToc *toc;                  /* the list as a TOC, for the property */
  gint64 duration;
  gboolean toc_pending;         /* push a TOC event with the next buffer */
  gboolean stream_started;
  gint current;                 /* index into list, -1 outside chapters */
  gint announced;               /* what the last chapter message said */
  gint64 position;              /* stream time of the last buffer's end */
  gboolean fetching;            /* a location fetch is running */
  gboolean reading_container;   /* the container read is running */
  gboolean toc_published;       /* a TOC with chapters went out */
  gboolean start_pending;       /* start-chapter not applied yet */
  gboolean dropping;            /* drop audio until our seek lands */
  gboolean flushed;             /* ... that is, after its flush */
  gboolean eos_sent;
  gint skip_checked;            /* chapter whose skip status is known */
  gint64 stop_end;              /* where stop-chapter ends, -1 none */
  gboolean stop_resolved;       /* stop_end is up to date */
  gboolean duration_queried;
  gboolean container_checked;

  gint64 seek_target;           /* a jump asked for, -1 none */
  gdouble rate;                 /* the segment's: jumps keep the speed */
  gint64 jump_target;           /* ... and not landed yet */
  gboolean landing;             /* a flush came: the next audio lands it */
  guint32 seek_seqnum;          /* of the last seek we sent */
  gint64 clip_before;           /* our jump's target: audio before it is
                                 * from before the chapter (a demuxer that
                                 * lands early), not played */
  gboolean seek_scheduled;
  GThread *fetch_thread;
  GThread *container_thread;
  gchar *container_uri;
  gchar *languages_checked;     /* the local file read for languages */
  GCancellable *cancellable;
};

#define gst_chapters_parent_class parent_class
G_DEFINE_TYPE (GstChapters, gst_chapters, GST_TYPE_BASE_TRANSFORM);
GST_ELEMENT_REGISTER_DEFINE (chapters, "chapters", GST_RANK_NONE,
    GST_TYPE_CHAPTERS);

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);

GType
gst_chapters_prefer_get_type (void)
{
  static gsize id;
  static const GEnumValue values[] = {
    {GST_CHAPTERS_PREFER_EXTERNAL, "location/chapters win over the stream's "
          "own chapters", "external"},
    {GST_CHAPTERS_PREFER_EMBEDDED, "the stream's own chapters win over "
          "location/chapters", "embedded"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&id)) {
    GType type = g_enum_register_static ("GstChaptersPrefer", values);

    g_once_init_leave (&id, type);
  }
  return (GType) id;
}

GstFormat
gst_chapters_format (void)
{
  static gsize format;

  if (g_once_init_enter (&format)) {
    GstFormat f = gst_format_register ("chapter", "Chapter number (1-based)");

    g_once_init_leave (&format, (gsize) f);
  }
  return (GstFormat) format;
}

/* ---------------------------------------------------------------------- */
/* chapter list bookkeeping (object lock held) */

/* Merges the sources again; returns whether the published list changed. */
static gboolean
rebuild_locked (GstChapters * self)
{
  ChapterList *merged;

  merged = chapter_list_merge (self->external,
      self->embedded ? self->from_stream : NULL,
      self->prefer == GST_CHAPTERS_PREFER_EXTERNAL ?
      CHAPTER_PREFER_EXTERNAL : CHAPTER_PREFER_EMBEDDED, self->duration);
  /* (the readers chose the user's language already) */
  if (self->language)
    chapter_list_choose_language (merged, self->language);
  if (self->toc && chapter_list_equal (merged, self->list)) {
    chapter_list_free (merged);
    return FALSE;
  }
  chapter_list_free (self->list);
  self->list = merged;
  gst_clear_mini_object ((GstMiniObject **) & self->toc);
  self->toc = chapter_list_to_toc (self->list);
  self->toc_pending = TRUE;
  /* re-evaluate which chapter we are in, whether to skip it and where to
   * stop, with the next buffer */
  self->current = -2;
  self->skip_checked = G_MININT;
  self->stop_resolved = FALSE;
  return TRUE;
}

/* The list in a form gst-launch-1.0 -m prints (it cannot print a GstToc):
 * "chapters, n-chapters=7, titles=<...>, starts=<...>, stops=<...>". */
static GstStructure *
listing_structure (const ChapterList * list)
{
  GValue titles = G_VALUE_INIT, starts = G_VALUE_INIT, stops = G_VALUE_INIT;
  GstStructure *s;
  guint i;

  gst_value_array_init (&titles, chapter_list_length (list));
  gst_value_array_init (&starts, chapter_list_length (list));
  gst_value_array_init (&stops, chapter_list_length (list));
  for (i = 0; i < chapter_list_length (list); i++) {
    const Chapter *c = chapter_list_get (list, i);
    GValue v = G_VALUE_INIT;

    g_value_init (&v, G_TYPE_STRING);
    g_value_set_string (&v, c->title ? c->title : "");
    gst_value_array_append_and_take_value (&titles, &v);
    g_value_init (&v, G_TYPE_UINT64);
    g_value_set_uint64 (&v, c->start);
    gst_value_array_append_and_take_value (&starts, &v);
    g_value_init (&v, G_TYPE_UINT64);
    g_value_set_uint64 (&v, c->end >= 0 ? (guint64) c->end :
        GST_CLOCK_TIME_NONE);
    gst_value_array_append_and_take_value (&stops, &v);
  }
  s = gst_structure_new ("chapters", "n-chapters", G_TYPE_UINT,
      chapter_list_length (list), NULL);
  gst_structure_take_value (s, "titles", &titles);
  gst_structure_take_value (s, "starts", &starts);
  gst_structure_take_value (s, "stops", &stops);
  return s;
}

/* Whether the current TOC is one to post or send: it has chapters, or it
 * takes back chapters published before. */
static gboolean
toc_worth_publishing_locked (GstChapters * self)
{
  return self->toc && (chapter_list_length (self->list) > 0
      || self->toc_published);
}

/* Posts the TOC message for the current list. Call without the lock. */
static void
post_toc (GstChapters * self)
{
  GstToc *toc;
  GstStructure *listing;

  GST_OBJECT_LOCK (self);
  /* no chapters (yet): nothing to say. Players read the first TOC they
   * see and keep it; an empty one is said only to take chapters back */
  if (!toc_worth_publishing_locked (self)) {
    GST_OBJECT_UNLOCK (self);
    return;
  }
  self->toc_published = chapter_list_length (self->list) > 0;
  toc = gst_toc_ref (self->toc);
  listing = listing_structure (self->list);
  GST_OBJECT_UNLOCK (self);
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_toc (GST_OBJECT (self), toc, TRUE));
  gst_toc_unref (toc);
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self), listing));
  g_object_notify (G_OBJECT (self), "toc");
  g_object_notify (G_OBJECT (self), "n-chapters");
}

static void
warn_list (GstChapters * self, const ChapterList * list)
{
  guint i;

  for (i = 0; i < list->warnings->len; i++)
    GST_ELEMENT_WARNING (self, STREAM, FORMAT, ("Problem in chapter data"),
        ("%s", (gchar *) g_ptr_array_index (list->warnings, i)));
}

/* ---------------------------------------------------------------------- */
/* seeking */

static GstElement *
toplevel (GstChapters * self)
{
  GstObject *obj = gst_object_ref (GST_OBJECT (self)), *parent;

  while ((parent = gst_object_get_parent (obj))) {
    gst_object_unref (obj);
    obj = parent;
  }
  return GST_ELEMENT (obj);
}

/* A jump at the speed playing now (a segment's rate: playbin's at 1.5x
 * stays at 1.5x). */
static GstEvent *
seek_event (gdouble rate, gint64 position)
{
  return gst_event_new_seek (rate > 0.0 ? rate : 1.0, GST_FORMAT_TIME,
      GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, GST_SEEK_TYPE_SET,
      position, GST_SEEK_TYPE_NONE, -1);
}

/* Runs the requested seeks; jumps asked for while one is on its way
 * collapse into the latest. */
static void
do_seek (GstElement * element, gpointer data)
{
  GstChapters *self = GST_CHAPTERS (element);

  for (;;) {
    GstElement *top;
    GstEvent *seek;
    gint64 position;
    gdouble rate;
    gboolean ok;

    GST_OBJECT_LOCK (self);
    position = self->seek_target;
    rate = self->rate;
    self->seek_target = -1;
    if (position < 0)
      self->seek_scheduled = FALSE;
    GST_OBJECT_UNLOCK (self);
    if (position < 0)
      return;

    GST_DEBUG_OBJECT (self, "seeking to %" GST_TIME_FORMAT,
        GST_TIME_ARGS (position));
    seek = seek_event (rate, position);
    /* its flush carries this number: that is how our landing is known */
    GST_OBJECT_LOCK (self);
    self->seek_seqnum = gst_event_get_seqnum (seek);
    GST_OBJECT_UNLOCK (self);
    top = toplevel (self);
    if (top == element)
      ok = gst_pad_push_event (GST_BASE_TRANSFORM_SINK_PAD (self), seek);
    else
      ok = gst_element_send_event (top, seek);
    gst_object_unref (top);
    if (!ok) {
      GST_ELEMENT_WARNING (self, STREAM, FAILED, ("Chapter seek failed"),
          ("nothing upstream handled a seek to %" GST_TIME_FORMAT,
              GST_TIME_ARGS (position)));
      GST_OBJECT_LOCK (self);
      self->dropping = FALSE;
      self->jump_target = -1;
      GST_OBJECT_UNLOCK (self);
    }
  }
}

/* Seeks from a thread of our own: never from the streaming thread, and the
 * caller (maybe an application's bus handler) never blocks. */
static void
seek_async (GstChapters * self, gint64 position)
{
  gboolean schedule;

  GST_OBJECT_LOCK (self);
  self->seek_target = MAX (position, 0);
  self->jump_target = self->seek_target;
  schedule = !self->seek_scheduled;
  self->seek_scheduled = TRUE;
  GST_OBJECT_UNLOCK (self);
  if (schedule)
    gst_element_call_async (GST_ELEMENT (self), do_seek, NULL, NULL);
}

static gboolean
seek_to_index (GstChapters * self, gint index)
{
  gint64 position;

  GST_OBJECT_LOCK (self);
  if (self->list == NULL || index < 0
      || (guint) index >= chapter_list_length (self->list)) {
    GST_OBJECT_UNLOCK (self);
    return FALSE;
  }
  position = chapter_list_get (self->list, index)->start;
  GST_OBJECT_UNLOCK (self);
  seek_async (self, position);
  return TRUE;
}

/* What the listener hears now: the pipeline's position, else ours. A jump
 * asked for and not landed yet counts as where we are, so that pressing
 * "next" twice goes two chapters on. */
static gint64
heard_position (GstChapters * self)
{
  GstElement *top;
  gint64 position = -1;

  GST_OBJECT_LOCK (self);
  position = self->jump_target;
  GST_OBJECT_UNLOCK (self);
  if (position >= 0)
    return position;
  top = toplevel (self);
  if (top != GST_ELEMENT (self))
    gst_element_query_position (top, GST_FORMAT_TIME, &position);
  gst_object_unref (top);
  if (position < 0) {
    GST_OBJECT_LOCK (self);
    position = self->position;
    GST_OBJECT_UNLOCK (self);
  }
  return position;
}

static gboolean
gst_chapters_next_chapter (GstChapters * self)
{
  gint64 position = heard_position (self);
  gint target = -1;
  guint i;

  GST_OBJECT_LOCK (self);
  for (i = 0; self->list && i < chapter_list_length (self->list); i++) {
    const Chapter *c = chapter_list_get (self->list, i);

    if (c->start > position && !c->hidden) {
      target = i;
      break;
    }
  }
  GST_OBJECT_UNLOCK (self);
  GST_DEBUG_OBJECT (self, "next chapter from %" GST_TIME_FORMAT ": %d",
      GST_TIME_ARGS (position), target + 1);
  return target >= 0 && seek_to_index (self, target);
}

static gboolean
gst_chapters_previous_chapter (GstChapters * self)
{
  gint64 position = heard_position (self);
  gint index, target = -1;

  GST_OBJECT_LOCK (self);
  if (self->list == NULL || chapter_list_length (self->list) == 0) {
    GST_OBJECT_UNLOCK (self);
    return FALSE;
  }
  index = chapter_list_find (self->list, position);
  while (index >= 0 && chapter_list_get (self->list, index)->hidden)
    index--;
  if (index >= 0 && position - chapter_list_get (self->list, index)->start >
      (gint64) (self->previous_threshold * GST_SECOND)) {
    target = index;             /* restart the current chapter */
  } else {
    for (target = index - 1; target >= 0; target--)
      if (!chapter_list_get (self->list, target)->hidden)
        break;
    if (target < 0)
      target = index >= 0 ? index : 0;
  }
  GST_OBJECT_UNLOCK (self);
  GST_DEBUG_OBJECT (self, "previous chapter from %" GST_TIME_FORMAT ": %d",
      GST_TIME_ARGS (position), target + 1);
  return seek_to_index (self, target);
}

static gboolean
gst_chapters_seek_chapter (GstChapters * self, gint number)
{
  return seek_to_index (self, number - 1);
}

static gboolean
gst_chapters_seek_title (GstChapters * self, const gchar * title)
{
  GError *error = NULL;
  gint index;

  if (title == NULL)
    return FALSE;
  GST_OBJECT_LOCK (self);
  index = self->list ? chapter_list_match_title (self->list, title, &error) :
      -1;
  GST_OBJECT_UNLOCK (self);
  if (index < 0) {
    GST_ELEMENT_WARNING (self, RESOURCE, NOT_FOUND, ("No such chapter"),
        ("seek-title: %s", error ? error->message : "no chapters yet"));
    g_clear_error (&error);
    return FALSE;
  }
  return seek_to_index (self, index);
}

/* ---------------------------------------------------------------------- */
/* loading */

static gpointer
fetch_thread (gpointer data)
{
  GstChapters *self = data;
  ChapterFetchLimits limits;
  ChapterReadContext ctx = { NULL, };
  g_autofree gchar *location = NULL, *media_uri = NULL;
  GError *error = NULL;
  ChapterList *list;
  GstQuery *query;
  gboolean changed = FALSE;

  GST_OBJECT_LOCK (self);
  location = g_strdup (self->location);
  chapter_fetch_limits_init (&limits);
  limits.timeout_ms = self->timeout * 1000;
  GST_OBJECT_UNLOCK (self);

  /* feeds pick the item whose enclosure is our media */
  query = gst_query_new_uri ();
  if (gst_pad_peer_query (GST_BASE_TRANSFORM_SINK_PAD (self), query))
    gst_query_parse_uri (query, &media_uri);
  gst_query_unref (query);
  ctx.media_uri = media_uri;

  GST_INFO_OBJECT (self, "loading chapters from %s", location);
  list = chapter_source_load (location, &ctx, &limits, self->cancellable,
      &error);

  if (g_cancellable_is_cancelled (self->cancellable)) {
    chapter_list_free (list);
    g_clear_error (&error);
    return NULL;
  }
  if (list == NULL) {
    GST_ELEMENT_WARNING (self, RESOURCE, READ,
        ("Could not load chapters"), ("%s", error->message));
    g_error_free (error);
  } else {
    warn_list (self, list);
    GST_INFO_OBJECT (self, "%u chapters from %s", chapter_list_length (list),
        location);
  }

  GST_OBJECT_LOCK (self);
  self->fetching = FALSE;
  if (list) {
    chapter_list_free (self->external);
    self->external = list;
    if (list->duration > 0 && self->duration <= 0)
      self->duration = list->duration;
    changed = rebuild_locked (self);
  }
  GST_OBJECT_UNLOCK (self);
  if (changed)
    post_toc (self);
  return NULL;
}

static void take_stream_chapters (GstChapters * self, ChapterList * list,
    const gchar * what);

/* Reads the media file's own chapters (locally, or over HTTP with range
 * requests for just the parts that hold them). */
static void read_container (GstChapters * self);

static gpointer
container_thread (gpointer data)
{
  GstChapters *self = data;

  read_container (self);
  /* only now: a start-chapter waits for this answer */
  GST_OBJECT_LOCK (self);
  self->reading_container = FALSE;
  GST_OBJECT_UNLOCK (self);
  return NULL;
}

static void
read_container (GstChapters * self)
{
  ChapterFetchLimits limits;
  g_autofree gchar *uri = NULL;
  GError *error = NULL;
  ChapterList *list;

  GST_OBJECT_LOCK (self);
  uri = g_strdup (self->container_uri);
  chapter_fetch_limits_init (&limits);
  limits.timeout_ms = self->timeout * 1000;
  GST_OBJECT_UNLOCK (self);

  list = chapter_source_load (uri, NULL, &limits, self->cancellable, &error);
  if (g_cancellable_is_cancelled (self->cancellable)) {
    chapter_list_free (list);
    g_clear_error (&error);
    return;
  }
  if (list == NULL) {
    /* not a container we read, or one without chapters: nothing to say
     * unless it is broken */
    if (error && error->domain == CHAPTER_ERROR
        && error->code == CHAPTER_ERROR_PARSE)
      GST_ELEMENT_WARNING (self, STREAM, FORMAT,
          ("Could not read the media file's chapters"), ("%s",
              error->message));
    GST_DEBUG_OBJECT (self, "no chapters in %s: %s", uri,
        error ? error->message : "");
    g_clear_error (&error);
    return;
  }
  take_stream_chapters (self, list, "the media file");
}

static gboolean
gst_chapters_start (GstBaseTransform * trans)
{
  GstChapters *self = GST_CHAPTERS (trans);
  g_autofree gchar *text = NULL;
  ChapterList *inline_list = NULL;
  GError *error = NULL;

  GST_OBJECT_LOCK (self);
  text = g_strdup (self->chapters_text);
  self->current = -2;
  self->position = 0;
  self->duration = -1;
  self->stream_started = FALSE;
  self->toc_pending = FALSE;
  self->dropping = FALSE;
  self->eos_sent = FALSE;
  self->skip_checked = G_MININT;
  self->jump_target = -1;
  self->clip_before = -1;
  self->duration_queried = FALSE;
  self->container_checked = FALSE;
  self->toc_published = FALSE;
  self->start_pending = self->start_chapter && *self->start_chapter;
  self->fetching = self->location && *self->location;
  self->announced = -1;
  g_clear_pointer (&self->external, chapter_list_free);
  g_clear_pointer (&self->from_stream, chapter_list_free);
  gst_clear_mini_object ((GstMiniObject **) & self->toc);
  GST_OBJECT_UNLOCK (self);

  if (text && *text) {
    inline_list = chapter_read ((const guint8 *) text, strlen (text), NULL,
        NULL, &error);
    if (inline_list == NULL) {
      GST_ELEMENT_WARNING (self, STREAM, FORMAT,
          ("Could not read the chapters property"), ("chapters: %s",
              error->message));
      g_clear_error (&error);
    } else {
      warn_list (self, inline_list);
    }
  }

  GST_OBJECT_LOCK (self);
  self->external = inline_list;
  rebuild_locked (self);
  if (self->fetching) {
    self->cancellable = g_cancellable_new ();
    self->fetch_thread = g_thread_new ("chapters-fetch", fetch_thread, self);
  }
  GST_OBJECT_UNLOCK (self);
  if (inline_list)
    post_toc (self);
  return TRUE;
}

static gboolean
gst_chapters_stop (GstBaseTransform * trans)
{
  GstChapters *self = GST_CHAPTERS (trans);
  GThread *fetch, *container;

  GST_OBJECT_LOCK (self);
  fetch = g_steal_pointer (&self->fetch_thread);
  container = g_steal_pointer (&self->container_thread);
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  GST_OBJECT_UNLOCK (self);
  if (fetch)
    g_thread_join (fetch);
  if (container)
    g_thread_join (container);
  GST_OBJECT_LOCK (self);
  g_clear_pointer (&self->container_uri, g_free);
  g_clear_pointer (&self->languages_checked, g_free);
  g_clear_object (&self->cancellable);
  self->fetching = FALSE;
  self->reading_container = FALSE;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* events and queries */

static void
take_stream_chapters (GstChapters * self, ChapterList * list,
    const gchar * what)
{
  gboolean changed = FALSE;

  if (list == NULL)
    return;
  GST_OBJECT_LOCK (self);
  /* decoders repeat their tags with every bitrate update */
  if ((chapter_list_length (list) == 0 && self->from_stream)
      || (self->from_stream && chapter_list_equal (list, self->from_stream))) {
    GST_OBJECT_UNLOCK (self);
    chapter_list_free (list);
    return;
  }
  GST_OBJECT_UNLOCK (self);

  warn_list (self, list);
  GST_INFO_OBJECT (self, "%u chapters from %s", chapter_list_length (list),
      what);
  GST_OBJECT_LOCK (self);
  chapter_list_free (self->from_stream);
  self->from_stream = list;
  if (self->embedded)
    changed = rebuild_locked (self);
  GST_OBJECT_UNLOCK (self);
  if (changed)
    post_toc (self);
}

static gboolean
has_languages (const ChapterList * list)
{
  guint i;

  for (i = 0; i < chapter_list_length (list); i++) {
    const Chapter *c = chapter_list_get (list, i);

    if (c->titles && c->titles->len > 1)
      return TRUE;
  }
  return FALSE;
}

/* A TOC carries one title per chapter (matroskademux's pick, or the
 * reader's upstream), so the language property could not choose: where
 * the stream is a local file whose own chapters are the same ones with
 * titles in several languages, those (read once per file; milliseconds).
 * Takes @list, returns the one to use. */
static ChapterList *
with_languages (GstChapters * self, ChapterList * list)
{
  GstQuery *query;
  g_autofree gchar *uri = NULL;
  ChapterList *own;

  if (list == NULL || chapter_list_length (list) == 0 || has_languages (list))
    return list;
  query = gst_query_new_uri ();
  if (gst_pad_peer_query (GST_BASE_TRANSFORM_SINK_PAD (self), query))
    gst_query_parse_uri (query, &uri);
  gst_query_unref (query);
  if (uri == NULL || g_ascii_strncasecmp (uri, "file:", 5) != 0
      || !g_strcmp0 (uri, self->languages_checked))
    return list;
  g_free (self->languages_checked);
  self->languages_checked = g_strdup (uri);
  own = chapter_source_load (uri, NULL, NULL, NULL, NULL);
  if (own && chapter_list_length (own) == chapter_list_length (list)
      && has_languages (own)) {
    GST_INFO_OBJECT (self, "%s has the TOC's chapters in several languages",
        uri);
    chapter_list_free (list);
    return own;
  }
  chapter_list_free (own);
  return list;
}

static gboolean
gst_chapters_sink_event (GstBaseTransform * trans, GstEvent * event)
{
  GstChapters *self = GST_CHAPTERS (trans);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_STREAM_START:
      GST_OBJECT_LOCK (self);
      self->stream_started = TRUE;
      self->toc_pending = TRUE;
      GST_OBJECT_UNLOCK (self);
      break;
    case GST_EVENT_TOC:{
      GstToc *toc;

      /* upstream's TOC becomes one of our sources; we publish the merge */
      gst_event_parse_toc (event, &toc, NULL);
      take_stream_chapters (self, with_languages (self,
              chapter_list_from_toc (toc)), "upstream TOC");
      gst_toc_unref (toc);
      gst_event_unref (event);
      return TRUE;
    }
    case GST_EVENT_TAG:{
      GstTagList *tags;

      gst_event_parse_tag (event, &tags);
      take_stream_chapters (self, chapter_embedded_from_tags (tags),
          "stream tags");
      break;
    }
    case GST_EVENT_FLUSH_STOP:
      GST_OBJECT_LOCK (self);
      self->flushed = self->dropping;
      self->landing = self->jump_target >= 0;
      /* our own jump (not someone else's seek) */
      self->clip_before = gst_event_get_seqnum (event) == self->seek_seqnum ?
          self->jump_target : -1;
      self->current = -2;
      self->eos_sent = FALSE;
      self->skip_checked = G_MININT;
      GST_OBJECT_UNLOCK (self);
      break;
    case GST_EVENT_SEGMENT:{
      const GstSegment *segment;

      gst_event_parse_segment (event, &segment);
      GST_OBJECT_LOCK (self);
      /* the segment of our own seek: from here the audio is wanted */
      if (self->dropping && self->flushed) {
        self->dropping = FALSE;
        self->flushed = FALSE;
      }
      self->current = -2;
      self->rate = segment->rate;
      GST_OBJECT_UNLOCK (self);
      break;
    }
    default:
      break;
  }
  return GST_BASE_TRANSFORM_CLASS (parent_class)->sink_event (trans, event);
}

static gboolean
gst_chapters_src_event (GstBaseTransform * trans, GstEvent * event)
{
  GstChapters *self = GST_CHAPTERS (trans);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_TOC_SELECT:{
      gchar *uid = NULL;
      gint index;
      gboolean ok;

      gst_event_parse_toc_select (event, &uid);
      index = chapter_toc_uid_to_index (uid);
      GST_DEBUG_OBJECT (self, "TOC select %s", uid);
      if (index < 0) {
        GST_WARNING_OBJECT (self, "TOC select of unknown uid %s", uid);
        g_free (uid);
        return GST_BASE_TRANSFORM_CLASS (parent_class)->src_event (trans,
            event);
      }
      g_free (uid);
      gst_event_unref (event);
      GST_OBJECT_LOCK (self);
      ok = self->list && (guint) index < chapter_list_length (self->list);
      GST_OBJECT_UNLOCK (self);
      return ok && seek_to_index (self, index);
    }
    case GST_EVENT_SEEK:{
      gdouble rate;
      GstFormat format;
      GstSeekFlags flags;
      GstSeekType start_type, stop_type;
      gint64 start, stop;
      GstEvent *time_seek;

      gst_event_parse_seek (event, &rate, &format, &flags, &start_type,
          &start, &stop_type, &stop);
      if (format != gst_chapters_format ())
        break;
      GST_OBJECT_LOCK (self);
      if (self->list == NULL || start_type != GST_SEEK_TYPE_SET || start < 1
          || start > chapter_list_length (self->list)) {
        GST_OBJECT_UNLOCK (self);
        GST_WARNING_OBJECT (self, "seek to chapter %" G_GINT64_FORMAT
            " refused", start);
        gst_event_unref (event);
        return FALSE;
      }
      start = chapter_list_get (self->list, start - 1)->start;
      if (stop_type == GST_SEEK_TYPE_SET && stop >= 1
          && stop <= chapter_list_length (self->list)) {
        const Chapter *c = chapter_list_get (self->list, stop - 1);

        stop = c->end != CHAPTER_TIME_NONE ? c->end : -1;
      } else {
        stop_type = GST_SEEK_TYPE_NONE;
        stop = -1;
      }
      GST_OBJECT_UNLOCK (self);
      time_seek = gst_event_new_seek (rate, GST_FORMAT_TIME,
          flags | GST_SEEK_FLAG_ACCURATE, GST_SEEK_TYPE_SET, start,
          stop == -1 ? GST_SEEK_TYPE_NONE : stop_type, stop);
      gst_event_set_seqnum (time_seek, gst_event_get_seqnum (event));
      gst_event_unref (event);
      return gst_pad_push_event (GST_BASE_TRANSFORM_SINK_PAD (self),
          time_seek);
    }
    default:
      break;
  }
  return GST_BASE_TRANSFORM_CLASS (parent_class)->src_event (trans, event);
}

static gboolean
gst_chapters_query (GstBaseTransform * trans, GstPadDirection direction,
    GstQuery * query)
{
  GstChapters *self = GST_CHAPTERS (trans);
  GstFormat format;

  if (direction == GST_PAD_SRC) {
    switch (GST_QUERY_TYPE (query)) {
      case GST_QUERY_POSITION:
        gst_query_parse_position (query, &format, NULL);
        if (format == gst_chapters_format ()) {
          gint current;

          GST_OBJECT_LOCK (self);
          current = self->current >= 0 ? self->current + 1 : 0;
          GST_OBJECT_UNLOCK (self);
          gst_query_set_position (query, format, current);
          return TRUE;
        }
        break;
      case GST_QUERY_DURATION:
        gst_query_parse_duration (query, &format, NULL);
        if (format == gst_chapters_format ()) {
          GST_OBJECT_LOCK (self);
          gst_query_set_duration (query, format,
              chapter_list_length (self->list));
          GST_OBJECT_UNLOCK (self);
          return TRUE;
        }
        break;
      default:
        break;
    }
  }
  return GST_BASE_TRANSFORM_CLASS (parent_class)->query (trans, direction,
      query);
}

/* ---------------------------------------------------------------------- */
/* the streaming path */

static GstMessage *
chapter_message (GstChapters * self, gint index, gint64 stream_time,
    gint64 running_time)
{
  GstStructure *s;

  if (index < 0) {
    s = gst_structure_new ("chapter", "index", G_TYPE_INT, 0,
        "uid", G_TYPE_STRING, "", "title", G_TYPE_STRING, "",
        "start", G_TYPE_UINT64, (guint64) MAX (stream_time, 0),
        "stop", G_TYPE_UINT64, GST_CLOCK_TIME_NONE, NULL);
  } else {
    const Chapter *c = chapter_list_get (self->list, index);
    g_autofree gchar *uid = g_strdup_printf ("chapter-%d", index + 1);

    s = gst_structure_new ("chapter", "index", G_TYPE_INT, index + 1,
        "uid", G_TYPE_STRING, uid,
        "title", G_TYPE_STRING, c->title ? c->title : "",
        "start", G_TYPE_UINT64, (guint64) c->start,
        "stop", G_TYPE_UINT64, c->end != CHAPTER_TIME_NONE ?
        (guint64) c->end : GST_CLOCK_TIME_NONE,
        "hidden", G_TYPE_BOOLEAN, c->hidden, NULL);
    if (c->description)
      gst_structure_set (s, "description", G_TYPE_STRING, c->description,
          NULL);
    if (c->url)
      gst_structure_set (s, "url", G_TYPE_STRING, c->url, NULL);
    if (c->image_url)
      gst_structure_set (s, "image", G_TYPE_STRING, c->image_url, NULL);
  }
  gst_structure_set (s, "running-time", G_TYPE_UINT64, running_time,
      "stream-time", G_TYPE_UINT64, stream_time, NULL);
  return gst_message_new_element (GST_OBJECT (self), s);
}

static gboolean
is_skipped_locked (GstChapters * self, gint index)
{
  gchar **specs;
  gboolean skipped = FALSE;
  guint i;

  if (index < 0 || self->skip == NULL || *self->skip == '\0')
    return FALSE;
  specs = g_strsplit (self->skip, ";", -1);
  for (i = 0; specs[i] && !skipped; i++)
    skipped = chapter_matches_spec (self->list, index, specs[i]);
  g_strfreev (specs);
  return skipped;
}

/* The first chapter from @index on that is not skipped, or -1. */
static gint
next_unskipped_locked (GstChapters * self, gint index)
{
  for (; (guint) index < chapter_list_length (self->list); index++)
    if (!is_skipped_locked (self, index))
      return index;
  return -1;
}

/* Resolves start-chapter once the chapters are known: returns the start to
 * seek to, or -1 to play from where we are. */
static gint64
start_target_locked (GstChapters * self, gboolean * warn_missing)
{
  GError *error = NULL;
  gint index;

  index = chapter_list_resolve (self->list, self->start_chapter, &error);
  if (index < 0) {
    *warn_missing = TRUE;
    GST_WARNING_OBJECT (self, "start-chapter: %s", error->message);
    g_clear_error (&error);
    return -1;
  }
  index = next_unskipped_locked (self, index);
  return index >= 0 ? chapter_list_get (self->list, index)->start : -1;
}

static void
query_duration (GstChapters * self)
{
  gint64 duration = -1;
  gboolean changed = FALSE;

  if (!gst_pad_peer_query_duration (GST_BASE_TRANSFORM_SINK_PAD (self),
          GST_FORMAT_TIME, &duration) || duration <= 0)
    return;
  GST_OBJECT_LOCK (self);
  if (self->duration != duration) {
    self->duration = duration;
    changed = rebuild_locked (self);
  }
  GST_OBJECT_UNLOCK (self);
  if (changed)
    post_toc (self);
}

/* The format of raw audio on the sink pad; FALSE for anything else. */
static gboolean
raw_audio_info (GstChapters * self, GstAudioInfo * info)
{
  GstCaps *caps = gst_pad_get_current_caps (GST_BASE_TRANSFORM_SINK_PAD (self));
  gboolean raw = caps && gst_audio_info_from_caps (info, caps);

  if (caps)
    gst_caps_unref (caps);
  return raw;
}

/* @buffer (raw audio as @info says) from stream time @target on; NULL when
 * nothing of it is left. */
static GstBuffer *
clip_front (const GstAudioInfo * info, GstBuffer * buffer,
    const GstSegment * segment, gint64 target)
{
  GstSegment clip;
  guint64 start = gst_segment_position_from_stream_time (segment,
      GST_FORMAT_TIME, target);

  if (!GST_CLOCK_TIME_IS_VALID (start))
    return NULL;
  gst_segment_copy_into (segment, &clip);
  clip.start = MAX (clip.start, start);
  return gst_audio_buffer_clip (gst_buffer_ref (buffer), &clip,
      GST_AUDIO_INFO_RATE (info), GST_AUDIO_INFO_BPF (info));
}

static GstFlowReturn
gst_chapters_transform_ip (GstBaseTransform * trans, GstBuffer * buffer)
{
  GstChapters *self = GST_CHAPTERS (trans);
  GstSegment *segment = &trans->segment;
  GstClockTime pts = GST_BUFFER_PTS (buffer);
  GstClockTime dur = GST_BUFFER_DURATION (buffer);
  gint64 stream_start, stream_end, start_target = -1, skip_target = -1;
  GstEvent *toc_event = NULL;
  GstMessage *message = NULL;
  GstBuffer *clipped = NULL;
  GstFlowReturn ret;
  gint64 clip;
  gboolean drop = FALSE, send_eos = FALSE, need_duration, missing = FALSE;
  gboolean skip_to_end = FALSE, check_container;
  gint index;

  if (!GST_CLOCK_TIME_IS_VALID (pts) || segment->format != GST_FORMAT_TIME)
    return GST_FLOW_OK;

  GST_OBJECT_LOCK (self);
  need_duration = !self->duration_queried;
  self->duration_queried = TRUE;
  check_container = !self->container_checked && self->embedded;
  self->container_checked = TRUE;
  GST_OBJECT_UNLOCK (self);
  if (need_duration)
    query_duration (self);
  if (check_container) {
    /* the stream brought no chapters by its first buffer: the container
     * may have some that no demuxer turns into a TOC (MP4) */
    GstQuery *query = gst_query_new_uri ();
    gchar *uri = NULL;

    if (gst_pad_peer_query (GST_BASE_TRANSFORM_SINK_PAD (self), query))
      gst_query_parse_uri (query, &uri);
    gst_query_unref (query);
    GST_OBJECT_LOCK (self);
    if (uri && self->from_stream == NULL && self->container_thread == NULL) {
      gboolean local = g_str_has_prefix (uri, "file:");

      self->container_uri = g_steal_pointer (&uri);
      if (self->cancellable == NULL)
        self->cancellable = g_cancellable_new ();
      if (local) {
        /* a local file's chapters take milliseconds to read: read here,
         * so that the first TOC is whole before this buffer prerolls */
        GST_OBJECT_UNLOCK (self);
        read_container (self);
        GST_OBJECT_LOCK (self);
      } else {
        self->reading_container = TRUE;
        self->container_thread = g_thread_new ("chapters-container",
            container_thread, self);
      }
    }
    GST_OBJECT_UNLOCK (self);
    g_free (uri);
  }

  {
    GstClockTime s = gst_segment_to_stream_time (segment, GST_FORMAT_TIME,
        pts);
    GstClockTime e = GST_CLOCK_TIME_IS_VALID (dur) ?
        gst_segment_to_stream_time (segment, GST_FORMAT_TIME, pts + dur) : s;

    /* outside the segment: not ours to judge */
    if (!GST_CLOCK_TIME_IS_VALID (s))
      return GST_FLOW_OK;
    stream_start = (gint64) s;
    stream_end = GST_CLOCK_TIME_IS_VALID (e) && e > s ? (gint64) e :
        stream_start;
  }

  /* the first audio after our jump: a demuxer may land early (Ogg over
   * HTTP starts some ms before the target); what comes before the chapter
   * is not played */
  GST_OBJECT_LOCK (self);
  clip = self->clip_before;
  if (clip >= 0 && stream_start >= clip)
    self->clip_before = clip = -1;
  GST_OBJECT_UNLOCK (self);
  if (clip >= 0) {
    GstAudioInfo info;
    gboolean raw = raw_audio_info (self, &info);

    if (raw && stream_end <= clip)
      return GST_BASE_TRANSFORM_FLOW_DROPPED;
    if (raw)
      clipped = clip_front (&info, buffer, segment, clip);
    GST_OBJECT_LOCK (self);
    self->clip_before = -1;
    GST_OBJECT_UNLOCK (self);
    if (clipped) {
      GST_DEBUG_OBJECT (self, "landed %" G_GINT64_FORMAT " ns before the "
          "chapter: clipped", clip - stream_start);
      pts = GST_BUFFER_PTS (clipped);
      stream_start = clip;
    }
  }

  GST_OBJECT_LOCK (self);
  self->position = stream_end;
  /* the first audio after a flush: the jump has landed */
  if (self->landing) {
    self->landing = FALSE;
    self->jump_target = -1;
  }
  if (self->toc_pending && self->stream_started
      && toc_worth_publishing_locked (self)) {
    toc_event = gst_event_new_toc (self->toc, FALSE);
    self->toc_pending = FALSE;
  }

  if (self->start_pending) {
    if (chapter_list_length (self->list) > 0) {
      self->start_pending = FALSE;
      start_target = start_target_locked (self, &missing);
      /* already there (a seek by someone else): nothing to do */
      if (start_target >= 0 && stream_start >= start_target
          && chapter_list_find (self->list, stream_start) ==
          chapter_list_find (self->list, start_target))
        start_target = -1;
      if (start_target >= 0) {
        self->dropping = TRUE;
        self->flushed = FALSE;
      }
    } else if (self->fetching || self->reading_container) {
      /* chapters are on their way (a fetch, or the container's own read
       * for MP4): hold back the audio until they are here */
      drop = TRUE;
    } else {
      self->start_pending = FALSE;
      missing = TRUE;
    }
  }

  if (self->dropping)
    drop = TRUE;

  if (!drop && chapter_list_length (self->list) > 0) {
    if (!self->stop_resolved) {
      gint stop_index = self->stop_chapter && *self->stop_chapter ?
          chapter_list_resolve (self->list, self->stop_chapter, NULL) : -1;

      self->stop_end = stop_index >= 0 ?
          chapter_list_get (self->list, stop_index)->end : CHAPTER_TIME_NONE;
      self->stop_resolved = TRUE;
    }
    if (self->stop_end != CHAPTER_TIME_NONE && stream_start >= self->stop_end) {
      drop = TRUE;
      send_eos = !self->eos_sent;
      self->eos_sent = TRUE;
    }
  }

  if (!drop) {
    /* the chapter this buffer ends in; announce entries on the way */
    index = chapter_list_find (self->list, MAX (stream_end - 1, stream_start));
    if (index != self->announced) {
      gint64 at = index >= 0 ? MAX (chapter_list_get (self->list,
              index)->start, stream_start) : stream_start;
      GstClockTime running = gst_segment_to_running_time (segment,
          GST_FORMAT_TIME, pts + (at - stream_start));

      /* a boundary inside this buffer is announced at its own time */
      message = chapter_message (self, index, at, running);
      self->announced = index;
    }
    self->current = index;
    /* entering a chapter: is it one to play past? (once per chapter, not
     * per buffer: title globs are not free) */
    if (self->skip_checked != self->current) {
      self->skip_checked = self->current;
      if (is_skipped_locked (self, self->current)) {
        gint next = next_unskipped_locked (self, self->current + 1);

        if (next >= 0)
          skip_target = chapter_list_get (self->list, next)->start;
        else
          skip_to_end = TRUE;
        self->dropping = TRUE;
        self->flushed = FALSE;
        drop = TRUE;
      }
    }
  }
  GST_OBJECT_UNLOCK (self);

  if (toc_event) {
    GST_DEBUG_OBJECT (self, "pushing TOC");
    gst_pad_push_event (GST_BASE_TRANSFORM_SRC_PAD (self), toc_event);
  }
  if (message) {
    gst_element_post_message (GST_ELEMENT (self), message);
    g_object_notify (G_OBJECT (self), "current-chapter");
    g_object_notify (G_OBJECT (self), "current-title");
  }
  if (missing)
    GST_ELEMENT_WARNING (self, RESOURCE, NOT_FOUND,
        ("start-chapter not found"), ("start-chapter \"%s\": no such chapter "
            "(or no chapters); playing from the start", self->start_chapter));
  if (start_target >= 0)
    seek_async (self, start_target);
  if (skip_target >= 0)
    seek_async (self, skip_target);
  if (skip_to_end || send_eos) {
    GST_DEBUG_OBJECT (self, "%s: end of stream",
        send_eos ? "stop-chapter reached" : "skipping the last chapter");
    gst_pad_push_event (GST_BASE_TRANSFORM_SRC_PAD (self),
        gst_event_new_eos ());
    gst_clear_buffer (&clipped);
    return GST_FLOW_EOS;
  }
  if (clipped) {
    /* what is left of the buffer goes out in its place */
    if (drop) {
      gst_buffer_unref (clipped);
      return GST_BASE_TRANSFORM_FLOW_DROPPED;
    }
    ret = gst_pad_push (GST_BASE_TRANSFORM_SRC_PAD (self), clipped);
    return ret == GST_FLOW_OK ? GST_BASE_TRANSFORM_FLOW_DROPPED : ret;
  }
  return drop ? GST_BASE_TRANSFORM_FLOW_DROPPED : GST_FLOW_OK;
}

/* ---------------------------------------------------------------------- */
/* properties */

static gboolean
refuse_when_running (GstChapters * self, GParamSpec * pspec)
{
  GstState state;

  GST_OBJECT_LOCK (self);
  state = GST_STATE (self);
  GST_OBJECT_UNLOCK (self);
  if (state > GST_STATE_READY) {
    g_warning ("chapters: property \"%s\" can only be set in the NULL or "
        "READY state", pspec->name);
    return TRUE;
  }
  return FALSE;
}

static void
set_string (GstChapters * self, gchar ** field, const GValue * value)
{
  GST_OBJECT_LOCK (self);
  g_free (*field);
  *field = g_value_dup_string (value);
  GST_OBJECT_UNLOCK (self);
}

static void
gst_chapters_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstChapters *self = GST_CHAPTERS (object);

  switch (prop_id) {
    case PROP_LOCATION:
    case PROP_CHAPTERS:
    case PROP_EMBEDDED:
    case PROP_PREFER:
    case PROP_START_CHAPTER:
    case PROP_TIMEOUT:
    case PROP_LANGUAGE:
      if (refuse_when_running (self, pspec))
        return;
      break;
    default:
      break;
  }

  switch (prop_id) {
    case PROP_LOCATION:
      set_string (self, &self->location, value);
      break;
    case PROP_CHAPTERS:
      set_string (self, &self->chapters_text, value);
      break;
    case PROP_EMBEDDED:
      GST_OBJECT_LOCK (self);
      self->embedded = g_value_get_boolean (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_PREFER:
      GST_OBJECT_LOCK (self);
      self->prefer = g_value_get_enum (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_START_CHAPTER:
      set_string (self, &self->start_chapter, value);
      break;
    case PROP_STOP_CHAPTER:
      set_string (self, &self->stop_chapter, value);
      GST_OBJECT_LOCK (self);
      self->stop_resolved = FALSE;
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_SKIP:
      set_string (self, &self->skip, value);
      GST_OBJECT_LOCK (self);
      self->skip_checked = G_MININT;
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_PREVIOUS_THRESHOLD:
      GST_OBJECT_LOCK (self);
      self->previous_threshold = g_value_get_double (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_TIMEOUT:
      GST_OBJECT_LOCK (self);
      self->timeout = g_value_get_uint (value);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_LANGUAGE:
      set_string (self, &self->language, value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_chapters_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GstChapters *self = GST_CHAPTERS (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    case PROP_CHAPTERS:
      g_value_set_string (value, self->chapters_text);
      break;
    case PROP_EMBEDDED:
      g_value_set_boolean (value, self->embedded);
      break;
    case PROP_PREFER:
      g_value_set_enum (value, self->prefer);
      break;
    case PROP_START_CHAPTER:
      g_value_set_string (value, self->start_chapter);
      break;
    case PROP_STOP_CHAPTER:
      g_value_set_string (value, self->stop_chapter);
      break;
    case PROP_SKIP:
      g_value_set_string (value, self->skip);
      break;
    case PROP_PREVIOUS_THRESHOLD:
      g_value_set_double (value, self->previous_threshold);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, self->language);
      break;
    case PROP_CURRENT_CHAPTER:
      g_value_set_int (value, self->current >= 0 ? self->current + 1 : 0);
      break;
    case PROP_CURRENT_TITLE:
      g_value_set_string (value, self->list && self->current >= 0 ?
          chapter_list_get (self->list, self->current)->title : NULL);
      break;
    case PROP_N_CHAPTERS:
      g_value_set_uint (value, chapter_list_length (self->list));
      break;
    case PROP_TOC:
      g_value_set_boxed (value, self->toc);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_chapters_finalize (GObject * object)
{
  GstChapters *self = GST_CHAPTERS (object);

  g_free (self->location);
  g_free (self->chapters_text);
  g_free (self->start_chapter);
  g_free (self->stop_chapter);
  g_free (self->skip);
  g_free (self->language);
  chapter_list_free (self->external);
  chapter_list_free (self->from_stream);
  chapter_list_free (self->list);
  gst_clear_mini_object ((GstMiniObject **) &self->toc);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_chapters_init (GstChapters * self)
{
  self->embedded = DEFAULT_EMBEDDED;
  self->prefer = DEFAULT_PREFER;
  self->previous_threshold = DEFAULT_PREVIOUS_THRESHOLD;
  self->timeout = DEFAULT_TIMEOUT;
  self->current = -2;
  self->duration = -1;
  self->seek_target = -1;
  self->rate = 1.0;
  self->jump_target = -1;
  self->list = chapter_list_new ();
  self->clip_before = -1;
  gst_base_transform_set_passthrough (GST_BASE_TRANSFORM (self), TRUE);
  gst_base_transform_set_in_place (GST_BASE_TRANSFORM (self), TRUE);
}

static void
gst_chapters_class_init (GstChaptersClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  GST_DEBUG_CATEGORY_INIT (gst_chapters_debug, "chapters", 0,
      "chapter markers and navigation");
  chapter_toc_init ();
  gst_chapters_format ();

  gobject_class->set_property = gst_chapters_set_property;
  gobject_class->get_property = gst_chapters_get_property;
  gobject_class->finalize = gst_chapters_finalize;

  /**
   * GstChapters:location:
   *
   * Where the chapters are: a path, or a file://, http:// or https:// URL,
   * of any supported format (Podcasting 2.0 JSON, Podlove Simple Chapters,
   * an RSS feed or episode page, WebVTT, CUE, FFMETADATA, a timestamp
   * list, Audacity labels, Matroska XML, show notes). Fetched off the
   * streaming thread within #GstChapters:timeout. Default: NULL.
   */
  g_object_class_install_property (gobject_class, PROP_LOCATION,
      g_param_spec_string ("location", "Location",
          "Chapters to load: a path, file:// or http(s):// URL of any "
          "supported format (Podcasting 2.0 JSON, Podlove, RSS feed, WebVTT, "
          "CUE, FFMETADATA, timestamp list, Audacity labels, Matroska XML, "
          "show notes); fetched off the streaming thread", NULL,
          rw | GST_PARAM_MUTABLE_READY));
  /**
   * GstChapters:chapters:
   *
   * The chapters as inline text in any supported format. Default: NULL.
   */
  g_object_class_install_property (gobject_class, PROP_CHAPTERS,
      g_param_spec_string ("chapters", "Chapters",
          "Chapters as inline text in any supported format, e.g. "
          "\"0:00 Intro\\n11:00 Prediction Limits\"", NULL,
          rw | GST_PARAM_MUTABLE_READY));
  /**
   * GstChapters:embedded:
   *
   * Also use the chapters the stream or its file carries. Default: TRUE.
   */
  g_object_class_install_property (gobject_class, PROP_EMBEDDED,
      g_param_spec_boolean ("embedded", "Embedded",
          "Also use chapters the stream carries (upstream TOC, ID3 CHAP, "
          "Vorbis comments) or the media file's container holds",
          DEFAULT_EMBEDDED, rw | GST_PARAM_MUTABLE_READY));
  /**
   * GstChapters:prefer:
   *
   * Which chapters win when both #GstChapters:location (or
   * #GstChapters:chapters) and the stream have some. Default: external.
   */
  g_object_class_install_property (gobject_class, PROP_PREFER,
      g_param_spec_enum ("prefer", "Prefer",
          "Which chapters win when both location/chapters and the stream "
          "have some", GST_TYPE_CHAPTERS_PREFER, DEFAULT_PREFER,
          rw | GST_PARAM_MUTABLE_READY));
  /**
   * GstChapters:start-chapter:
   *
   * The chapter to begin in: a 1-based number or a title (exact, then
   * without regard to case and accents, then a unique prefix, then a
   * unique substring). No audio from before it reaches downstream.
   * Default: NULL (from the start).
   */
  g_object_class_install_property (gobject_class, PROP_START_CHAPTER,
      g_param_spec_string ("start-chapter", "Start chapter",
          "Begin playback in this chapter: a 1-based number or a title "
          "(exact, then case- and accent-insensitive, then unique prefix, "
          "then unique substring); no audio from before it reaches "
          "downstream", NULL, rw | GST_PARAM_MUTABLE_READY));
  /**
   * GstChapters:stop-chapter:
   *
   * The chapter at whose end the stream ends (EOS): number or title.
   * Default: NULL.
   */
  g_object_class_install_property (gobject_class, PROP_STOP_CHAPTER,
      g_param_spec_string ("stop-chapter", "Stop chapter",
          "End the stream (EOS) at the end of this chapter: number or title",
          NULL, rw | GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstChapters:skip:
   *
   * Chapters to play past, separated by semicolons: a number, a title or
   * a title glob (`Ad*;Sponsor*;3`). Default: NULL.
   */
  g_object_class_install_property (gobject_class, PROP_SKIP,
      g_param_spec_string ("skip", "Skip",
          "Semicolon-separated chapters to play past automatically: a bare "
          "number is a chapter number, anything else a title or title glob, "
          "e.g. \"Ad*;Sponsor*;3\"", NULL, rw | GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstChapters:previous-threshold:
   *
   * Seconds into a chapter after which #GstChapters::previous-chapter
   * restarts it rather than going to the one before. Range 0-3600,
   * default 5.
   */
  g_object_class_install_property (gobject_class, PROP_PREVIOUS_THRESHOLD,
      g_param_spec_double ("previous-threshold", "Previous threshold",
          "Seconds into a chapter after which previous-chapter restarts the "
          "current chapter instead of going to the one before", 0, 3600,
          DEFAULT_PREVIOUS_THRESHOLD, rw | GST_PARAM_MUTABLE_PLAYING));
  /**
   * GstChapters:timeout:
   *
   * Seconds a chapter fetch may take in all. Range 1-3600, default 10.
   */
  g_object_class_install_property (gobject_class, PROP_TIMEOUT,
      g_param_spec_uint ("timeout", "Timeout",
          "Seconds a chapter fetch may take in all before it is given up", 1,
          3600, DEFAULT_TIMEOUT, rw | GST_PARAM_MUTABLE_READY));
  /**
   * GstChapters:language:
   *
   * Where titles come in several languages (Matroska chapters, chapter
   * XML, MP4 chapter tracks), the one to use: an ISO 639 code. Default:
   * NULL (the user's language, else English, else the first).
   */
  g_object_class_install_property (gobject_class, PROP_LANGUAGE,
      g_param_spec_string ("language", "Language",
          "Where chapter titles come in several languages (Matroska "
          "chapters, chapter XML, MP4 chapter tracks), the one to show: an "
          "ISO 639 code such "
          "as en, de or fra; NULL for the user's language, else English, "
          "else the first", NULL, rw | GST_PARAM_MUTABLE_READY));
  /**
   * GstChapters:current-chapter:
   *
   * The 1-based number of the chapter heard now, 0 outside any (read).
   */
  g_object_class_install_property (gobject_class, PROP_CURRENT_CHAPTER,
      g_param_spec_int ("current-chapter", "Current chapter",
          "1-based number of the chapter playing now, 0 outside any chapter",
          0, G_MAXINT, 0, ro));
  g_object_class_install_property (gobject_class, PROP_CURRENT_TITLE,
      g_param_spec_string ("current-title", "Current title",
          "Title of the chapter playing now", NULL, ro));
  g_object_class_install_property (gobject_class, PROP_N_CHAPTERS,
      g_param_spec_uint ("n-chapters", "Number of chapters",
          "How many chapters there are", 0, G_MAXUINT, 0, ro));
  /**
   * GstChapters:toc:
   *
   * The chapters as a #GstToc (read), as the TOC message carries them.
   */
  g_object_class_install_property (gobject_class, PROP_TOC,
      g_param_spec_boxed ("toc", "TOC", "The chapters as a GstToc",
          GST_TYPE_TOC, ro));

  /**
   * GstChapters::next-chapter:
   * @chapters: the element
   *
   * Jumps to the first sample of the next listed chapter.
   *
   * Returns: FALSE when there is none.
   */
  signals[SIGNAL_NEXT_CHAPTER] = g_signal_new_class_handler ("next-chapter",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_chapters_next_chapter), NULL, NULL, NULL,
      G_TYPE_BOOLEAN, 0);
  /**
   * GstChapters::previous-chapter:
   * @chapters: the element
   *
   * Jumps to the start of the chapter before, or of this one when more
   * than #GstChapters:previous-threshold seconds of it were heard.
   *
   * Returns: FALSE when there is none.
   */
  signals[SIGNAL_PREVIOUS_CHAPTER] =
      g_signal_new_class_handler ("previous-chapter",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_chapters_previous_chapter), NULL, NULL, NULL,
      G_TYPE_BOOLEAN, 0);
  /**
   * GstChapters::seek-chapter:
   * @chapters: the element
   * @number: 1-based chapter number
   *
   * Jumps to the first sample of chapter @number.
   *
   * Returns: FALSE when there is no such chapter.
   */
  signals[SIGNAL_SEEK_CHAPTER] = g_signal_new_class_handler ("seek-chapter",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_chapters_seek_chapter), NULL, NULL, NULL,
      G_TYPE_BOOLEAN, 1, G_TYPE_INT);
  /**
   * GstChapters::seek-title:
   * @chapters: the element
   * @title: a title, matched as #GstChapters:start-chapter matches
   *
   * Jumps to the first sample of the chapter @title names.
   *
   * Returns: FALSE when no chapter (or more than one) matches.
   */
  signals[SIGNAL_SEEK_TITLE] = g_signal_new_class_handler ("seek-title",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
      G_CALLBACK (gst_chapters_seek_title), NULL, NULL, NULL,
      G_TYPE_BOOLEAN, 1, G_TYPE_STRING);

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Chapters",
      "Filter/Audio/Metadata",
      "Chapter markers, TOC and exact chapter jumps for audio",
      "gst-chapters developers");
  gst_type_mark_as_plugin_api (GST_TYPE_CHAPTERS_PREFER, 0);

  trans_class->start = GST_DEBUG_FUNCPTR (gst_chapters_start);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_chapters_stop);
  trans_class->sink_event = GST_DEBUG_FUNCPTR (gst_chapters_sink_event);
  trans_class->src_event = GST_DEBUG_FUNCPTR (gst_chapters_src_event);
  trans_class->query = GST_DEBUG_FUNCPTR (gst_chapters_query);
  trans_class->transform_ip = GST_DEBUG_FUNCPTR (gst_chapters_transform_ip);
  trans_class->passthrough_on_same_caps = TRUE;
  trans_class->transform_ip_on_passthrough = TRUE;
}
