/* gst-chapters: the playback core shared by the terminal and GTK players. */
#include "config.h"
#include "chapter-player.h"

#include <errno.h>
#include <string.h>

#include <gst/tag/tag.h>

#include "chapter-toc.h"

#define POLL_INTERVAL_MS 50
/* the position kept for resuming is written this often while playing */
#define RESUME_SAVE_INTERVAL (5 * GST_SECOND)
/* closer than this to either end, an episode starts from the beginning */
#define RESUME_MARGIN (10 * GST_SECOND)

struct _ChapterPlayer
{
  GObject parent;

  GstElement *pipeline;
  GstElement *chapters;
  ChapterList *list;
  gint current;
  gboolean playing;
  gboolean want_playing;
  guint bus_watch;
  guint poll;
  gint64 last_position;
  gchar *title;                 /* the episode's: its title tag, else the
                                 * file name */
  gint64 pending_seek;          /* asked before the preroll ended, or -1 */
  gdouble rate;                 /* playback speed, pitch kept */
  gboolean rate_pending;        /* set before the preroll ended */
  gchar *uri;
  gboolean resume;              /* keep the position per URI */
  gint64 saved_position;        /* last written for resuming, or -1 */
  GBytes *cover;                /* the episode's image, or NULL */
};

enum
{
  SIGNAL_CHAPTERS_CHANGED,
  SIGNAL_CHAPTER_CHANGED,
  SIGNAL_POSITION_CHANGED,
  SIGNAL_STATE_CHANGED,
  SIGNAL_WARNING,
  SIGNAL_ERROR,
  SIGNAL_EOS,
  SIGNAL_TITLE_CHANGED,
  SIGNAL_RATE_CHANGED,
  SIGNAL_COVER_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ChapterPlayer, chapter_player, G_TYPE_OBJECT);

gboolean
chapter_player_init_gst (GError ** error)
{
  GstElementFactory *factory;

  if (!gst_init_check (NULL, NULL, error))
    return FALSE;
  factory = gst_element_factory_find ("chapters");
  if (factory == NULL) {
    /* run from the build tree, uninstalled: build/src/<player> finds the
     * plugin in build/plugin (nothing of the build is baked into an
     * installed binary) */
    g_autofree gchar *exe = g_file_read_link ("/proc/self/exe", NULL);
    g_autofree gchar *dir = exe ? g_path_get_dirname (exe) : NULL;
    g_autofree gchar *plugin = dir ? g_build_filename (dir, "..", "plugin",
        "libgstchapters.so", NULL) : NULL;

    if (plugin && g_file_test (plugin, G_FILE_TEST_IS_REGULAR)) {
      g_autofree gchar *plugin_dir = g_path_get_dirname (plugin);

      gst_registry_scan_path (gst_registry_get (), plugin_dir);
      factory = gst_element_factory_find ("chapters");
    }
  }
  if (factory == NULL) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
        "the GStreamer element \"chapters\" is not installed (set "
        "GST_PLUGIN_PATH to the folder of libgstchapters.so)");
    return FALSE;
  }
  gst_object_unref (factory);
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* resuming: the position per media URI, in a key file under the XDG state
 * directory ($XDG_STATE_HOME/gst-chapters/positions.ini, group
 * "positions", the URI as key, milliseconds as value) */

static gchar *
positions_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "gst-chapters",
      "positions.ini", NULL);
}

static GKeyFile *
positions_load (void)
{
  g_autofree gchar *path = positions_path ();
  GKeyFile *file = g_key_file_new ();

  /* (missing or unreadable: no position kept yet) */
  g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL);
  return file;
}

/* The position kept for @uri, in ns, or -1. */
static gint64
resume_lookup (const gchar * uri)
{
  g_autoptr (GKeyFile) file = positions_load ();
  GError *error = NULL;
  gint64 ms = g_key_file_get_int64 (file, "positions", uri, &error);

  if (error) {
    g_error_free (error);
    return -1;
  }
  return ms >= 0 ? ms * GST_MSECOND : -1;
}

/* Keeps @position (ns) for the episode, or forgets it when -1. */
static void
resume_store (ChapterPlayer * self, gint64 position)
{
  g_autoptr (GKeyFile) file = NULL;
  g_autofree gchar *path = NULL, *dir = NULL;
  GError *error = NULL;

  if (!self->resume || position == self->saved_position)
    return;
  file = positions_load ();
  if (position >= 0)
    g_key_file_set_int64 (file, "positions", self->uri, position /
        GST_MSECOND);
  else if (!g_key_file_remove_key (file, "positions", self->uri, NULL)) {
    self->saved_position = -1;
    return;
  }
  path = positions_path ();
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0
      || !g_key_file_save_to_file (file, path, &error)) {
    g_autofree gchar *text = g_strdup_printf ("cannot keep the position "
        "in %s: %s", path, error ? error->message : g_strerror (errno));

    /* once: playing goes on without resuming */
    self->resume = FALSE;
    g_signal_emit (self, signals[SIGNAL_WARNING], 0, text);
    g_clear_error (&error);
    return;
  }
  self->saved_position = position;
}

/* What to keep at @position: the position, or nothing near either end. */
static void
resume_note (ChapterPlayer * self, gint64 position)
{
  gint64 duration = chapter_player_get_duration (self);

  if (position < RESUME_MARGIN || (duration > 0
          && position > duration - RESUME_MARGIN))
    resume_store (self, -1);
  else
    resume_store (self, position);
}

static void
update_current (ChapterPlayer * self, gint64 position)
{
  gint index = position >= 0 ? chapter_list_find (self->list, position) : -1;

  if (index != self->current) {
    self->current = index;
    g_signal_emit (self, signals[SIGNAL_CHAPTER_CHANGED], 0, index);
  }
}

static gboolean poll_position (gpointer data);

static void
take_toc (ChapterPlayer * self, GstToc * toc)
{
  ChapterList *list = chapter_list_from_toc (toc);

  chapter_list_finalize (list, chapter_player_get_duration (self));
  if (chapter_list_equal (list, self->list)) {
    chapter_list_free (list);
    return;
  }
  chapter_list_free (self->list);
  self->list = list;
  self->current = -2;
  g_signal_emit (self, signals[SIGNAL_CHAPTERS_CHANGED], 0);
  poll_position (self);
}

/* The position is what the sink says is heard: polling it keeps the title
 * in step with the audio, sink latency included. */
static gboolean
poll_position (gpointer data)
{
  ChapterPlayer *self = data;
  gint64 position;
  GstState state, pending;

  /* until the first preroll (and a start-chapter seek) is done, the
   * position says nothing about what will be heard */
  if (gst_element_get_state (self->pipeline, &state, &pending, 0) !=
      GST_STATE_CHANGE_SUCCESS || state < GST_STATE_PAUSED)
    return G_SOURCE_CONTINUE;
  position = chapter_player_get_position (self);
  if (position >= 0) {
    update_current (self, position);
    if (position != self->last_position) {
      self->last_position = position;
      g_signal_emit (self, signals[SIGNAL_POSITION_CHANGED], 0, position);
    }
    if (self->playing && ABS (position - MAX (self->saved_position, 0)) >=
        RESUME_SAVE_INTERVAL)
      resume_note (self, position);
  }
  return G_SOURCE_CONTINUE;
}

/* The episode's image (front cover first, else any): its encoded bytes.
 * (Of any scope: playbin's sink posts the stream's tags merged with the
 * container's as STREAM tags; a chapter's own picture is in the TOC.) */
static void
take_cover (ChapterPlayer * self, GstTagList * tags)
{
  GstSample *best = NULL;
  GstBuffer *buf;
  GstMapInfo map;

  for (guint i = 0; i < gst_tag_list_get_tag_size (tags, GST_TAG_IMAGE);
      i++) {
    GstSample *sample = NULL;
    const GstStructure *info;
    gint type = GST_TAG_IMAGE_TYPE_UNDEFINED;

    if (!gst_tag_list_get_sample_index (tags, GST_TAG_IMAGE, i, &sample))
      continue;
    info = gst_sample_get_info (sample);
    if (info)
      gst_structure_get_enum (info, "image-type",
          GST_TYPE_TAG_IMAGE_TYPE, &type);
    if (best == NULL || type == GST_TAG_IMAGE_TYPE_FRONT_COVER) {
      if (best)
        gst_sample_unref (best);
      best = sample;
    } else
      gst_sample_unref (sample);
  }
  if (best == NULL)
    return;
  buf = gst_sample_get_buffer (best);
  if (buf && gst_buffer_map (buf, &map, GST_MAP_READ)) {
    GBytes *bytes = g_bytes_new (map.data, map.size);

    gst_buffer_unmap (buf, &map);
    if (self->cover == NULL || !g_bytes_equal (bytes, self->cover)) {
      g_clear_pointer (&self->cover, g_bytes_unref);
      self->cover = g_steal_pointer (&bytes);
      g_signal_emit (self, signals[SIGNAL_COVER_CHANGED], 0);
    }
    g_clear_pointer (&bytes, g_bytes_unref);
  }
  gst_sample_unref (best);
}

static gchar *
describe (GError * err, const gchar * debug)
{
  /* the debug string carries the element's "where and what" */
  if (debug && *debug) {
    const gchar *detail = strrchr (debug, '\n');

    return g_strdup_printf ("%s (%s)", err->message,
        detail ? detail + 1 : debug);
  }
  return g_strdup (err->message);
}

static gboolean
on_bus (GstBus * bus, GstMessage * msg, gpointer data)
{
  ChapterPlayer *self = data;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_TOC:
      if (GST_MESSAGE_SRC (msg) == GST_OBJECT (self->chapters)) {
        GstToc *toc;

        gst_message_parse_toc (msg, &toc, NULL);
        take_toc (self, toc);
        gst_toc_unref (toc);
      }
      break;
    case GST_MESSAGE_ERROR:{
      GError *err;
      gchar *debug, *text;

      gst_message_parse_error (msg, &err, &debug);
      text = describe (err, debug);
      g_signal_emit (self, signals[SIGNAL_ERROR], 0, text);
      g_free (text);
      g_error_free (err);
      g_free (debug);
      break;
    }
    case GST_MESSAGE_WARNING:{
      GError *err;
      gchar *debug, *text;

      gst_message_parse_warning (msg, &err, &debug);
      text = describe (err, debug);
      g_signal_emit (self, signals[SIGNAL_WARNING], 0, text);
      g_free (text);
      g_error_free (err);
      g_free (debug);
      break;
    }
    case GST_MESSAGE_EOS:
      /* heard to the end: the next time starts from the beginning */
      resume_store (self, -1);
      g_signal_emit (self, signals[SIGNAL_EOS], 0);
      break;
    case GST_MESSAGE_TAG:{
      GstTagList *tags;
      gchar *title = NULL;

      gst_message_parse_tag (msg, &tags);
      /* (the episode's title, as for the cover: the tags of any scope) */
      if (gst_tag_list_get_string (tags, GST_TAG_TITLE, &title)
          && g_strcmp0 (title, self->title) != 0) {
        g_free (self->title);
        self->title = g_steal_pointer (&title);
        g_signal_emit (self, signals[SIGNAL_TITLE_CHANGED], 0);
      }
      g_free (title);
      take_cover (self, tags);
      gst_tag_list_unref (tags);
      break;
    }
    case GST_MESSAGE_STATE_CHANGED:
      if (GST_MESSAGE_SRC (msg) == GST_OBJECT (self->pipeline)) {
        GstState state;

        gst_message_parse_state_changed (msg, NULL, &state, NULL);
        if ((state == GST_STATE_PLAYING) != self->playing) {
          self->playing = state == GST_STATE_PLAYING;
          g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0,
              self->playing);
        }
      }
      break;
    case GST_MESSAGE_ASYNC_DONE:
      /* prerolled: a jump asked meanwhile, or the speed from where the
       * start chapter (if any) has put us */
      if (GST_MESSAGE_SRC (msg) == GST_OBJECT (self->pipeline)
          && (self->pending_seek >= 0 || self->rate_pending)) {
        gint64 position = self->pending_seek >= 0 ? self->pending_seek :
            chapter_player_get_position (self);

        self->pending_seek = -1;
        chapter_player_seek (self, MAX (position, 0));
      }
      break;
    case GST_MESSAGE_DURATION_CHANGED:
      if (self->list)
        chapter_list_finalize (self->list, chapter_player_get_duration (self));
      break;
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

/* Is there a sound server or a playback device to play to? Probing
 * autoaudiosink instead fills stderr with ALSA complaints on a headless
 * machine. */
static gboolean
have_audio_output (void)
{
  const gchar *runtime = g_get_user_runtime_dir ();
  g_autofree gchar *pulse = g_build_filename (runtime, "pulse", "native",
      NULL);
  g_autofree gchar *pipewire = g_build_filename (runtime, "pipewire-0",
      NULL);
  g_autoptr (GDir) snd = NULL;
  const gchar *name;

  if (g_getenv ("PULSE_SERVER") || g_file_test (pulse, G_FILE_TEST_EXISTS)
      || g_file_test (pipewire, G_FILE_TEST_EXISTS))
    return TRUE;
  snd = g_dir_open ("/dev/snd", 0, NULL);
  while (snd && (name = g_dir_read_name (snd)))
    if (g_str_has_prefix (name, "pcm") && g_str_has_suffix (name, "p"))
      return TRUE;
  return FALSE;
}

/* An audio sink that works here, or a fake one that keeps real time. */
static GstElement *
make_sink (gboolean no_audio)
{
  GstElement *sink = NULL;

  if (!no_audio && have_audio_output ())
    sink = gst_element_factory_make ("autoaudiosink", NULL);
  if (sink == NULL) {
    sink = gst_element_factory_make ("fakesink", NULL);
    g_object_set (sink, "sync", TRUE, NULL);
  }
  return sink;
}

/* The audio filter: the chapters element, then scaletempo, which keeps the
 * pitch at any speed (after the chapters element, so the chapters see the
 * stream's own times). */
static GstElement *
make_filter (GstElement * chapters)
{
  GstElement *tempo = gst_element_factory_make ("scaletempo", NULL);
  GstElement *bin;
  GstPad *pad;

  if (tempo == NULL)
    return chapters;            /* speeds then change the pitch */
  bin = gst_bin_new ("chapters-filter");
  gst_bin_add_many (GST_BIN (bin), chapters, tempo, NULL);
  gst_element_link (chapters, tempo);
  pad = gst_element_get_static_pad (chapters, "sink");
  gst_element_add_pad (bin, gst_ghost_pad_new ("sink", pad));
  gst_object_unref (pad);
  pad = gst_element_get_static_pad (tempo, "src");
  gst_element_add_pad (bin, gst_ghost_pad_new ("src", pad));
  gst_object_unref (pad);
  return bin;
}

ChapterPlayer *
chapter_player_new (const ChapterPlayerOptions * options, GError ** error)
{
  ChapterPlayer *self;
  g_autofree gchar *uri = NULL;
  GstElement *sink;
  GstBus *bus;

  if (gst_uri_is_valid (options->media))
    uri = g_strdup (options->media);
  else {
    uri = gst_filename_to_uri (options->media, error);
    if (uri == NULL)
      return NULL;
    if (!g_file_test (options->media, G_FILE_TEST_IS_REGULAR)) {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
          "%s: no such file", options->media);
      return NULL;
    }
  }
  if (!gst_uri_protocol_is_supported (GST_URI_SRC, gst_uri_get_protocol
          (uri))) {
    g_set_error (error, GST_URI_ERROR, GST_URI_ERROR_UNSUPPORTED_PROTOCOL,
        "%s: no source element for this kind of URI", uri);
    return NULL;
  }

  self = g_object_new (CHAPTER_TYPE_PLAYER, NULL);
  self->uri = g_strdup (uri);
  self->resume = !options->no_resume;
  {
    /* (until the stream's tags say better) */
    g_autofree gchar *path = g_uri_unescape_string (uri, NULL);

    self->title = g_path_get_basename (path ? path : uri);
  }
  /* what the README tells a player to do: playbin, the chapters element
   * as its audio filter; the seek table plugs itself in (autoplugged) */
  self->pipeline = gst_element_factory_make ("playbin", "chapterplayer");
  self->chapters = gst_element_factory_make ("chapters", NULL);
  if (self->chapters)
    gst_object_ref_sink (self->chapters);
  sink = make_sink (options->no_audio);
  if (self->pipeline == NULL || self->chapters == NULL) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
        "playbin or the chapters element is not installed");
    if (sink)
      gst_object_unref (gst_object_ref_sink (sink));
    g_object_unref (self);
    return NULL;
  }
  if (options->chapters)
    g_object_set (self->chapters, "location", options->chapters, NULL);
  if (options->start_chapter)
    g_object_set (self->chapters, "start-chapter", options->start_chapter,
        NULL);
  else if (self->resume) {
    /* where this episode was left, unless a chapter is asked for */
    gint64 position = resume_lookup (uri);

    if (position > 0) {
      self->pending_seek = position;
      self->saved_position = position;
    }
  }
  g_object_set (self->pipeline, "uri", uri, "audio-filter",
      make_filter (self->chapters), "audio-sink", sink, NULL);
  gst_util_set_object_arg (G_OBJECT (self->pipeline), "flags",
      "audio+soft-volume");

  bus = gst_element_get_bus (self->pipeline);
  self->bus_watch = gst_bus_add_watch (bus, on_bus, self);
  gst_object_unref (bus);
  self->poll = g_timeout_add (POLL_INTERVAL_MS, poll_position, self);
  gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
  return self;
}

void
chapter_player_play (ChapterPlayer * self)
{
  self->want_playing = TRUE;
  gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
}

void
chapter_player_pause (ChapterPlayer * self)
{
  gint64 position = chapter_player_get_position (self);

  self->want_playing = FALSE;
  gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
  if (position >= 0)
    resume_note (self, position);
}

void
chapter_player_toggle (ChapterPlayer * self)
{
  if (self->want_playing)
    chapter_player_pause (self);
  else
    chapter_player_play (self);
}

void
chapter_player_stop (ChapterPlayer * self)
{
  gint64 position = chapter_player_get_position (self);

  if (position >= 0 && self->pending_seek < 0)
    resume_note (self, position);
  self->want_playing = FALSE;
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
}

const gchar *
chapter_player_get_title (ChapterPlayer * self)
{
  return self->title;
}

gboolean
chapter_player_is_playing (ChapterPlayer * self)
{
  return self->want_playing;
}

static gboolean
emit_bool (ChapterPlayer * self, const gchar * signal, ...)
{
  gboolean ok = FALSE;
  va_list args;

  va_start (args, signal);
  if (!strcmp (signal, "seek-chapter"))
    g_signal_emit_by_name (self->chapters, signal, va_arg (args, gint), &ok);
  else if (!strcmp (signal, "seek-title"))
    g_signal_emit_by_name (self->chapters, signal, va_arg (args,
            const gchar *), &ok);
  else
    g_signal_emit_by_name (self->chapters, signal, &ok);
  va_end (args);
  return ok;
}

gboolean
chapter_player_next (ChapterPlayer * self)
{
  return emit_bool (self, "next-chapter");
}

gboolean
chapter_player_previous (ChapterPlayer * self)
{
  return emit_bool (self, "previous-chapter");
}

gboolean
chapter_player_seek_chapter (ChapterPlayer * self, guint number)
{
  return emit_bool (self, "seek-chapter", (gint) number);
}

gboolean
chapter_player_seek_title (ChapterPlayer * self, const gchar * title,
    GError ** error)
{
  /* match here first, so the front-end can show the candidates */
  if (chapter_list_match_title (self->list, title, error) < 0)
    return FALSE;
  return emit_bool (self, "seek-title", title);
}

/* Whether the first preroll is done (a position means something). */
static gboolean
prerolled (ChapterPlayer * self)
{
  GstState state;

  return gst_element_get_state (self->pipeline, &state, NULL, 0) !=
      GST_STATE_CHANGE_ASYNC || state >= GST_STATE_PAUSED;
}

gboolean
chapter_player_seek (ChapterPlayer * self, gint64 position)
{
  if (!prerolled (self)) {
    /* still prerolling: once it is done */
    self->pending_seek = MAX (position, 0);
    return TRUE;
  }
  self->rate_pending = FALSE;
  return gst_element_seek (self->pipeline, self->rate, GST_FORMAT_TIME,
      GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, GST_SEEK_TYPE_SET,
      MAX (position, 0), GST_SEEK_TYPE_NONE, GST_CLOCK_TIME_NONE);
}

gboolean
chapter_player_skip (ChapterPlayer * self, gint64 delta)
{
  gint64 position = self->pending_seek >= 0 ? self->pending_seek :
      chapter_player_get_position (self);
  gint64 duration = chapter_player_get_duration (self);

  if (position < 0)
    return FALSE;
  position += delta;
  if (duration > 0)
    position = MIN (position, duration);
  return chapter_player_seek (self, MAX (position, 0));
}

gdouble
chapter_player_get_rate (ChapterPlayer * self)
{
  return self->rate;
}

gboolean
chapter_player_set_rate (ChapterPlayer * self, gdouble rate)
{
  rate = CLAMP (rate, CHAPTER_PLAYER_MIN_RATE, CHAPTER_PLAYER_MAX_RATE);
  if (rate == self->rate)
    return TRUE;
  self->rate = rate;
  g_signal_emit (self, signals[SIGNAL_RATE_CHANGED], 0, rate);
  if (!prerolled (self)) {
    /* the seek once prerolled (a pending one, else one from where we
     * are) takes the new speed */
    self->rate_pending = TRUE;
    return TRUE;
  }
  /* from what is heard now, at the new speed */
  return chapter_player_seek (self, MAX (chapter_player_get_position (self),
          0));
}

/* The speeds podcast apps offer, one step at a time. */
static const gdouble rate_steps[] = { 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0,
  2.5, 3.0
};

const gdouble *
chapter_player_rate_steps (guint * n)
{
  *n = G_N_ELEMENTS (rate_steps);
  return rate_steps;
}

gboolean
chapter_player_step_rate (ChapterPlayer * self, gint direction)
{
  gdouble rate = self->rate;

  for (guint i = 0; i < G_N_ELEMENTS (rate_steps); i++) {
    const gdouble step = direction > 0 ? rate_steps[i] :
        rate_steps[G_N_ELEMENTS (rate_steps) - 1 - i];

    if ((direction > 0 && step > self->rate + 1e-6)
        || (direction < 0 && step < self->rate - 1e-6)) {
      rate = step;
      break;
    }
  }
  return chapter_player_set_rate (self, rate);
}

GBytes *
chapter_player_get_cover (ChapterPlayer * self)
{
  return self->cover;
}

gint64
chapter_player_get_position (ChapterPlayer * self)
{
  gint64 position = -1;

  if (!gst_element_query_position (self->pipeline, GST_FORMAT_TIME,
          &position))
    return -1;
  return position;
}

gint64
chapter_player_get_duration (ChapterPlayer * self)
{
  gint64 duration = -1;

  if (!gst_element_query_duration (self->pipeline, GST_FORMAT_TIME,
          &duration))
    return -1;
  return duration;
}

const ChapterList *
chapter_player_get_chapters (ChapterPlayer * self)
{
  return self->list;
}

gint
chapter_player_get_current (ChapterPlayer * self)
{
  return self->current;
}

GstElement *
chapter_player_get_pipeline (ChapterPlayer * self)
{
  return self->pipeline;
}

static void
chapter_player_dispose (GObject * object)
{
  ChapterPlayer *self = CHAPTER_PLAYER (object);

  g_clear_handle_id (&self->poll, g_source_remove);
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  if (self->pipeline) {
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
    gst_clear_object (&self->pipeline);
  }
  gst_clear_object (&self->chapters);
  G_OBJECT_CLASS (chapter_player_parent_class)->dispose (object);
}

static void
chapter_player_finalize (GObject * object)
{
  ChapterPlayer *self = CHAPTER_PLAYER (object);

  chapter_list_free (self->list);
  g_free (self->title);
  g_free (self->uri);
  g_clear_pointer (&self->cover, g_bytes_unref);
  G_OBJECT_CLASS (chapter_player_parent_class)->finalize (object);
}

static void
chapter_player_init (ChapterPlayer * self)
{
  self->list = chapter_list_new ();
  self->current = -2;
  self->last_position = -1;
  self->pending_seek = -1;
  self->rate = 1.0;
  self->saved_position = -1;
}

static void
chapter_player_class_init (ChapterPlayerClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = chapter_player_dispose;
  object_class->finalize = chapter_player_finalize;

  signals[SIGNAL_CHAPTERS_CHANGED] = g_signal_new ("chapters-changed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  signals[SIGNAL_CHAPTER_CHANGED] = g_signal_new ("chapter-changed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_INT);
  signals[SIGNAL_POSITION_CHANGED] = g_signal_new ("position-changed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIGNAL_STATE_CHANGED] = g_signal_new ("state-changed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  signals[SIGNAL_WARNING] = g_signal_new ("warning",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_ERROR] = g_signal_new ("error",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_EOS] = g_signal_new ("eos",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  signals[SIGNAL_TITLE_CHANGED] = g_signal_new ("title-changed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
  signals[SIGNAL_RATE_CHANGED] = g_signal_new ("rate-changed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 1, G_TYPE_DOUBLE);
  signals[SIGNAL_COVER_CHANGED] = g_signal_new ("cover-changed",
      G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
      G_TYPE_NONE, 0);
}
