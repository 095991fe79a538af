/* gstchapters-1.0: a chapter list, a GObject (and a GListModel) over the
 * plain C model, its readers and writers. */
#include "chapters-private.h"
#include "chapter-embedded.h"
#include "chapter-format.h"
#include "chapter-source.h"
#include "chapter-toc.h"

/**
 * GstChaptersList:
 *
 * An episode's chapters, in order, as a #GListModel of
 * #GstChaptersChapter.
 *
 * Read one from any chapter source with gst_chapters_list_load() (a
 * sidecar file or URL, a podcast feed, an episode page, or the media file
 * itself), from bytes with gst_chapters_list_new_from_bytes(), or from a
 * #GstToc such as the `chapters` element posts; write it in any writable
 * format with gst_chapters_list_to_string(), or hand it to a pipeline as a
 * #GstToc with gst_chapters_list_to_toc().
 *
 * ```python
 * chapters = GstChapters.List.load("episode.mp3", None, None)
 * for chapter in chapters:
 *     print(chapter.props.start // Gst.SECOND, chapter.props.title)
 * ```
 */
struct _GstChaptersList
{
  GObject parent;
  GPtrArray *chapters;          /* of GstChaptersChapter */
  gint64 duration;              /* CHAPTER_TIME_NONE when unknown */
  gchar *format;
  GStrv warnings;
};

enum
{
  PROP_0,
  PROP_DURATION,
  PROP_FORMAT,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

static GType
list_get_item_type (GListModel * model)
{
  return GST_CHAPTERS_TYPE_CHAPTER;
}

static guint
list_get_n_items (GListModel * model)
{
  return GST_CHAPTERS_LIST (model)->chapters->len;
}

static gpointer
list_get_item (GListModel * model, guint position)
{
  GstChaptersChapter *chapter =
      gst_chapters_list_get_chapter (GST_CHAPTERS_LIST (model), position);

  return chapter ? g_object_ref (chapter) : NULL;
}

static void
list_model_init (GListModelInterface * iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (GstChaptersList, gst_chapters_list,
    G_TYPE_OBJECT, G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_init));

/**
 * gst_chapters_list_new:
 *
 * Makes an empty list.
 *
 * Returns: (transfer full): an empty list, for gst_chapters_list_append()
 */
GstChaptersList *
gst_chapters_list_new (void)
{
  return g_object_new (GST_CHAPTERS_TYPE_LIST, NULL);
}

GstChaptersList *
gst_chapters_list_new_take (ChapterList * core, const gchar * format)
{
  GstChaptersList *self = gst_chapters_list_new ();

  self->duration = core->duration;
  self->format = g_strdup (format);
  g_ptr_array_add (core->warnings, NULL);
  self->warnings = g_strdupv ((gchar **) core->warnings->pdata);
  gst_chapters_chapter_take_all (self->chapters, core->chapters);
  chapter_list_free (core);
  return self;
}

/* The plain model of @self, for the readers, writers and matching. */
static ChapterList *
list_to_core (GstChaptersList * self)
{
  ChapterList *core = chapter_list_new ();
  guint i;

  core->duration = self->duration;
  for (i = 0; i < self->chapters->len; i++)
    chapter_list_add (core,
        gst_chapters_chapter_to_core (g_ptr_array_index (self->chapters, i)));
  return core;
}

/* Where the first chapter came from ("json", "id3"...), the list's format
 * when the reader does not say. */
static const gchar *
core_format (const ChapterList * core)
{
  return chapter_list_length (core) > 0 ?
      chapter_list_get (core, 0)->source : NULL;
}

/**
 * gst_chapters_list_new_from_bytes:
 * @data: the bytes of a chapter file, or of a whole media file
 * @media_uri: (nullable): the URI of the media the chapters are for, which
 *   picks the item of a podcast feed
 * @error: where to put what went wrong
 *
 * Reads chapters in any format the library knows, told by content, never
 * by a name: the text formats (Podcasting 2.0 JSON, Podlove Simple
 * Chapters, a podcast feed, WebVTT, CUE, FFMETADATA, timestamp lists,
 * show notes...) and media files with chapters inside (ID3v2, MP4, Ogg,
 * FLAC, Matroska).
 *
 * Returns: (transfer full): the chapters, sorted, or %NULL with @error set
 *   (in %GST_CHAPTERS_ERROR, naming the line or offset at fault)
 */
GstChaptersList *
gst_chapters_list_new_from_bytes (GBytes * data, const gchar * media_uri,
    GError ** error)
{
  const ChapterReadContext ctx = { media_uri, NULL, NULL };
  const ChapterFormat *format = NULL;
  const ChapterContainer *container;
  const guint8 *bytes;
  gsize size;
  ChapterList *core;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  bytes = g_bytes_get_data (data, &size);
  container = chapter_container_sniff (bytes, size);
  if (container)
    core = chapter_embedded_read (bytes, size, error);
  else
    core = chapter_read (bytes, size, &ctx, &format, error);
  if (core == NULL)
    return NULL;
  return gst_chapters_list_new_take (core,
      container ? container->name : format->name);
}

/**
 * gst_chapters_list_new_from_toc:
 * @toc: a table of contents, as the `chapters` element or a demuxer posts
 *
 * Reads the first edition of @toc (or the chapters at its top), with the
 * titles, descriptions, links, pictures and hidden flags the `chapters`
 * element puts in its entries' tags.
 *
 * Returns: (transfer full): the chapters
 */
GstChaptersList *
gst_chapters_list_new_from_toc (GstToc * toc)
{
  g_return_val_if_fail (toc != NULL, NULL);
  return gst_chapters_list_new_take (chapter_list_from_toc (toc), "toc");
}

/**
 * gst_chapters_list_load:
 * @location: a path, a file:// URI or an http(s):// URL
 * @media_uri: (nullable): the URI of the media the chapters are for, which
 *   picks the item of a podcast feed
 * @cancellable: (nullable): to stop it
 * @error: where to put what went wrong
 *
 * Fetches and reads @location, whatever it holds: a chapter file, a podcast
 * feed (following its `<podcast:chapters>` link), an episode page, or the
 * media file itself (over HTTP only the parts that hold the chapters are
 * fetched). Blocks: see gst_chapters_list_load_async().
 *
 * Returns: (transfer full): the chapters, sorted, or %NULL with @error set
 *   (naming @location)
 */
GstChaptersList *
gst_chapters_list_load (const gchar * location, const gchar * media_uri,
    GCancellable * cancellable, GError ** error)
{
  const ChapterReadContext ctx = { media_uri, NULL, NULL };
  ChapterList *core;

  g_return_val_if_fail (location != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  core = chapter_source_load (location, &ctx, NULL, cancellable, error);
  if (core == NULL)
    return NULL;
  return gst_chapters_list_new_take (core, core_format (core));
}

typedef struct
{
  gchar *location;
  gchar *media_uri;
} LoadTask;

static void
load_task_free (LoadTask * task)
{
  g_free (task->location);
  g_free (task->media_uri);
  g_free (task);
}

static void
load_in_thread (GTask * task, gpointer source, gpointer data,
    GCancellable * cancellable)
{
  LoadTask *load = data;
  GError *error = NULL;
  GstChaptersList *list = gst_chapters_list_load (load->location,
      load->media_uri, cancellable, &error);

  if (list)
    g_task_return_pointer (task, list, g_object_unref);
  else
    g_task_return_error (task, error);
}

/**
 * gst_chapters_list_load_async:
 * @location: a path, a file:// URI or an http(s):// URL
 * @media_uri: (nullable): the URI of the media the chapters are for
 * @cancellable: (nullable): to stop it
 * @callback: (scope async): called with the result in the thread-default
 *   main context
 * @user_data: for @callback
 *
 * gst_chapters_list_load() in a worker thread.
 */
void
gst_chapters_list_load_async (const gchar * location, const gchar * media_uri,
    GCancellable * cancellable, GAsyncReadyCallback callback,
    gpointer user_data)
{
  GTask *task;
  LoadTask *load;

  g_return_if_fail (location != NULL);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gst_chapters_list_load_async);
  load = g_new0 (LoadTask, 1);
  load->location = g_strdup (location);
  load->media_uri = g_strdup (media_uri);
  g_task_set_task_data (task, load, (GDestroyNotify) load_task_free);
  g_task_run_in_thread (task, load_in_thread);
  g_object_unref (task);
}

/**
 * gst_chapters_list_load_finish:
 * @result: what the callback was given
 * @error: where to put what went wrong
 *
 * Finishes gst_chapters_list_load_async().
 *
 * Returns: (transfer full): the chapters, or %NULL with @error set
 */
GstChaptersList *
gst_chapters_list_load_finish (GAsyncResult * result, GError ** error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gst_chapters_list_get_n_chapters:
 * @list: a list
 *
 * Counts the chapters.
 *
 * Returns: how many chapters it has (at the top: nested ones are the
 *   chapters' children)
 */
guint
gst_chapters_list_get_n_chapters (GstChaptersList * self)
{
  g_return_val_if_fail (GST_CHAPTERS_IS_LIST (self), 0);
  return self->chapters->len;
}

/**
 * gst_chapters_list_get_chapter:
 * @list: a list
 * @index: 0-based
 *
 * Gets a chapter by its place in the list.
 *
 * Returns: (transfer none) (nullable): the chapter at @index, or %NULL past
 *   the last
 */
GstChaptersChapter *
gst_chapters_list_get_chapter (GstChaptersList * self, guint index)
{
  g_return_val_if_fail (GST_CHAPTERS_IS_LIST (self), NULL);
  return index < self->chapters->len ?
      g_ptr_array_index (self->chapters, index) : NULL;
}

/**
 * gst_chapters_list_append:
 * @list: a list
 * @chapter: (transfer none): a chapter to add at the end
 *
 * Call gst_chapters_list_sort() once all are added.
 */
void
gst_chapters_list_append (GstChaptersList * self, GstChaptersChapter * chapter)
{
  g_return_if_fail (GST_CHAPTERS_IS_LIST (self));
  g_return_if_fail (GST_CHAPTERS_IS_CHAPTER (chapter));
  g_ptr_array_add (self->chapters, g_object_ref (chapter));
  g_list_model_items_changed (G_LIST_MODEL (self), self->chapters->len - 1, 0,
      1);
}

/**
 * gst_chapters_list_get_duration:
 * @list: a list
 *
 * Gets #GstChaptersList:duration.
 *
 * Returns: the media's duration as the source gives it, in nanoseconds,
 *   or %GST_CLOCK_TIME_NONE
 */
GstClockTime
gst_chapters_list_get_duration (GstChaptersList * self)
{
  g_return_val_if_fail (GST_CHAPTERS_IS_LIST (self), GST_CLOCK_TIME_NONE);
  return self->duration > 0 ? (GstClockTime) self->duration
      : GST_CLOCK_TIME_NONE;
}

/**
 * gst_chapters_list_set_duration:
 * @list: a list
 * @duration: the media's duration in nanoseconds, or %GST_CLOCK_TIME_NONE
 *
 * The last chapter stops there once the list is sorted, and chapters that
 * start after it are left out of a TOC.
 */
void
gst_chapters_list_set_duration (GstChaptersList * self, GstClockTime duration)
{
  gint64 value = GST_CLOCK_TIME_IS_VALID (duration) ? (gint64) duration
      : CHAPTER_TIME_NONE;

  g_return_if_fail (GST_CHAPTERS_IS_LIST (self));
  if (self->duration == value)
    return;
  self->duration = value;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DURATION]);
}

/**
 * gst_chapters_list_get_format:
 * @list: a list
 *
 * Says where the chapters were read from.
 *
 * Returns: (nullable): the format or container the chapters were read from
 *   ("json", "cue", "id3", "toc"...), or %NULL for a list built by hand
 */
const gchar *
gst_chapters_list_get_format (GstChaptersList * self)
{
  g_return_val_if_fail (GST_CHAPTERS_IS_LIST (self), NULL);
  return self->format;
}

/**
 * gst_chapters_list_get_warnings:
 * @list: a list
 *
 * What the reader skipped and where ("line 7: no time"): the input had
 * chapters, and these parts of it were left out.
 *
 * Returns: (transfer none) (array zero-terminated=1): the warnings, maybe
 *   none
 */
const gchar *const *
gst_chapters_list_get_warnings (GstChaptersList * self)
{
  static const gchar *const none[] = { NULL };

  g_return_val_if_fail (GST_CHAPTERS_IS_LIST (self), none);
  return self->warnings ? (const gchar * const *) self->warnings : none;
}

/**
 * gst_chapters_list_sort:
 * @list: a list
 *
 * Sorts the chapters by start, drops duplicates, fills each unknown stop
 * from the next start (the last one's from the duration) as the readers
 * do.
 */
void
gst_chapters_list_sort (GstChaptersList * self)
{
  ChapterList *core;
  guint old;

  g_return_if_fail (GST_CHAPTERS_IS_LIST (self));
  core = list_to_core (self);
  chapter_list_finalize (core, core->duration);
  old = self->chapters->len;
  g_ptr_array_set_size (self->chapters, 0);
  gst_chapters_chapter_take_all (self->chapters, core->chapters);
  chapter_list_free (core);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old,
      self->chapters->len);
}

/**
 * gst_chapters_list_find:
 * @list: a sorted list
 * @position: a time in the media, in nanoseconds
 *
 * Finds the chapter that plays at @position.
 *
 * Returns: the index of the chapter that plays at @position, or -1 before
 *   the first one
 */
gint
gst_chapters_list_find (GstChaptersList * self, GstClockTime position)
{
  g_autoptr (ChapterList) core = NULL;

  g_return_val_if_fail (GST_CHAPTERS_IS_LIST (self), -1);
  if (!GST_CLOCK_TIME_IS_VALID (position))
    return -1;
  core = list_to_core (self);
  return chapter_list_find (core, (gint64) position);
}

/**
 * gst_chapters_list_lookup:
 * @list: a list
 * @spec: a chapter number (1-based) or a title: matched exactly, then
 *   regardless of case and accents, then as a unique prefix, then as a
 *   unique part
 * @error: where to say which chapters were candidates when @spec matches
 *   none or several
 *
 * Finds a chapter as `start-chapter` and the players' `--chapter` do:
 * "4", "Prediction Limits", "prediction", "Predic".
 *
 * Returns: the chapter's index (0-based), or -1 with @error set
 */
gint
gst_chapters_list_lookup (GstChaptersList * self, const gchar * spec,
    GError ** error)
{
  g_autoptr (ChapterList) core = NULL;

  g_return_val_if_fail (GST_CHAPTERS_IS_LIST (self), -1);
  g_return_val_if_fail (spec != NULL, -1);
  core = list_to_core (self);
  return chapter_list_resolve (core, spec, error);
}

/**
 * gst_chapters_list_to_toc:
 * @list: a list
 *
 * The chapters as a global #GstToc with one edition, as the `chapters`
 * element sends it: entry uids "chapter-N" (1-based), "chapter-N.M" for
 * nested ones, the title in %GST_TAG_TITLE and so on.
 *
 * Returns: (transfer full): the TOC
 */
GstToc *
gst_chapters_list_to_toc (GstChaptersList * self)
{
  g_autoptr (ChapterList) core = NULL;

  g_return_val_if_fail (GST_CHAPTERS_IS_LIST (self), NULL);
  core = list_to_core (self);
  return chapter_list_to_toc (core);
}

/**
 * gst_chapters_list_to_string:
 * @list: a list
 * @format: a writable format's name, from gst_chapters_get_formats()
 *   ("json", "vtt", "cue", "ffmetadata", "mp4chaps"...)
 * @error: where to say that @format is none the library writes
 *
 * Writes the chapters in a chapter format.
 *
 * Returns: (transfer full) (nullable): the chapters written in @format, or
 *   %NULL with @error set
 */
gchar *
gst_chapters_list_to_string (GstChaptersList * self, const gchar * format,
    GError ** error)
{
  g_autoptr (ChapterList) core = NULL;

  g_return_val_if_fail (GST_CHAPTERS_IS_LIST (self), NULL);
  g_return_val_if_fail (format != NULL, NULL);
  core = list_to_core (self);
  return chapter_write (core, format, error);
}

static void
gst_chapters_list_get_property (GObject * object, guint id, GValue * value,
    GParamSpec * pspec)
{
  GstChaptersList *self = GST_CHAPTERS_LIST (object);

  switch (id) {
    case PROP_DURATION:
      g_value_set_uint64 (value, gst_chapters_list_get_duration (self));
      break;
    case PROP_FORMAT:
      g_value_set_string (value, self->format);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
  }
}

static void
gst_chapters_list_set_property (GObject * object, guint id,
    const GValue * value, GParamSpec * pspec)
{
  switch (id) {
    case PROP_DURATION:
      gst_chapters_list_set_duration (GST_CHAPTERS_LIST (object),
          g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
  }
}

static void
gst_chapters_list_finalize (GObject * object)
{
  GstChaptersList *self = GST_CHAPTERS_LIST (object);

  g_ptr_array_unref (self->chapters);
  g_free (self->format);
  g_strfreev (self->warnings);
  G_OBJECT_CLASS (gst_chapters_list_parent_class)->finalize (object);
}

static void
gst_chapters_list_init (GstChaptersList * self)
{
  self->chapters = g_ptr_array_new_with_free_func (g_object_unref);
  self->duration = CHAPTER_TIME_NONE;
}

static void
gst_chapters_list_class_init (GstChaptersListClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = gst_chapters_list_get_property;
  object_class->set_property = gst_chapters_list_set_property;
  object_class->finalize = gst_chapters_list_finalize;

  /**
   * GstChaptersList:duration:
   *
   * The media's duration in nanoseconds, %GST_CLOCK_TIME_NONE when not
   * known.
   */
  props[PROP_DURATION] = g_param_spec_uint64 ("duration", NULL, NULL, 0,
      G_MAXUINT64, GST_CLOCK_TIME_NONE, G_PARAM_READWRITE
      | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * GstChaptersList:format:
   *
   * The format or container the chapters were read from.
   */
  props[PROP_FORMAT] = g_param_spec_string ("format", NULL, NULL, NULL,
      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}
