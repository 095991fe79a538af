/* gstchapters-1.0: one chapter, a GObject over the plain C model. */
#include "chapters-private.h"
#include "chapter-source.h"

/* A chapter picture bigger than this is refused. */
#define IMAGE_MAX_SIZE (8 * 1024 * 1024)

/**
 * GstChaptersChapter:
 *
 * A chapter: where it starts and stops, its title, description, link and
 * picture, whether a list shows it, and the chapters nested in it.
 *
 * Times are in nanoseconds from the start of the media; a stop of
 * %GST_CLOCK_TIME_NONE is not known (the next chapter's start, or the
 * media's end, once the list is sorted with gst_chapters_list_sort()).
 */
struct _GstChaptersChapter
{
  GObject parent;
  Chapter *core;                /* its children stay empty: see children */
  GPtrArray *children;          /* of GstChaptersChapter */
};

enum
{
  PROP_0,
  PROP_START,
  PROP_STOP,
  PROP_TITLE,
  PROP_DESCRIPTION,
  PROP_URL,
  PROP_IMAGE_URI,
  PROP_IMAGE,
  PROP_IMAGE_TYPE,
  PROP_HIDDEN,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (GstChaptersChapter, gst_chapters_chapter, G_TYPE_OBJECT);

/**
 * gst_chapters_chapter_new:
 * @start: where it starts, in nanoseconds
 * @title: (nullable): its title
 *
 * Makes a chapter that starts at @start.
 *
 * Returns: (transfer full): a new chapter with no stop, link or picture
 */
GstChaptersChapter *
gst_chapters_chapter_new (GstClockTime start, const gchar * title)
{
  return g_object_new (GST_CHAPTERS_TYPE_CHAPTER, "start", start, "title",
      title, NULL);
}

GstChaptersChapter *
gst_chapters_chapter_new_take (Chapter * core)
{
  GstChaptersChapter *self = g_object_new (GST_CHAPTERS_TYPE_CHAPTER, NULL);

  chapter_free (self->core);
  self->core = core;
  gst_chapters_chapter_take_all (self->children, core->children);
  return self;
}

void
gst_chapters_chapter_take_all (GPtrArray * into, GPtrArray * from)
{
  guint i;

  for (i = 0; i < from->len; i++)
    g_ptr_array_add (into,
        gst_chapters_chapter_new_take (g_ptr_array_index (from, i)));
  /* (the objects own them now) */
  g_ptr_array_set_free_func (from, NULL);
  g_ptr_array_set_size (from, 0);
  g_ptr_array_set_free_func (from, (GDestroyNotify) chapter_free);
}

Chapter *
gst_chapters_chapter_to_core (GstChaptersChapter * self)
{
  Chapter *copy = chapter_copy (self->core);
  guint i;

  for (i = 0; i < self->children->len; i++)
    g_ptr_array_add (copy->children,
        gst_chapters_chapter_to_core (g_ptr_array_index (self->children, i)));
  return copy;
}

static void
replace_string (GstChaptersChapter * self, gchar ** field, const gchar * value,
    guint prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), props[prop]);
}

/**
 * gst_chapters_chapter_get_start:
 * @chapter: a chapter
 *
 * Gets #GstChaptersChapter:start.
 *
 * Returns: where the chapter starts, in nanoseconds
 */
GstClockTime
gst_chapters_chapter_get_start (GstChaptersChapter * self)
{
  g_return_val_if_fail (GST_CHAPTERS_IS_CHAPTER (self), 0);
  return (GstClockTime) self->core->start;
}

/**
 * gst_chapters_chapter_set_start:
 * @chapter: a chapter
 * @start: where it starts, in nanoseconds
 *
 * Sets #GstChaptersChapter:start.
 */
void
gst_chapters_chapter_set_start (GstChaptersChapter * self, GstClockTime start)
{
  g_return_if_fail (GST_CHAPTERS_IS_CHAPTER (self));
  g_return_if_fail (GST_CLOCK_TIME_IS_VALID (start));
  if (self->core->start == (gint64) start)
    return;
  self->core->start = (gint64) start;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_START]);
}

/**
 * gst_chapters_chapter_get_stop:
 * @chapter: a chapter
 *
 * Gets #GstChaptersChapter:stop.
 *
 * Returns: where the chapter stops, in nanoseconds, or
 *   %GST_CLOCK_TIME_NONE when that is not known
 */
GstClockTime
gst_chapters_chapter_get_stop (GstChaptersChapter * self)
{
  g_return_val_if_fail (GST_CHAPTERS_IS_CHAPTER (self), GST_CLOCK_TIME_NONE);
  return self->core->end == CHAPTER_TIME_NONE ? GST_CLOCK_TIME_NONE
      : (GstClockTime) self->core->end;
}

/**
 * gst_chapters_chapter_set_stop:
 * @chapter: a chapter
 * @stop: where it stops, in nanoseconds, or %GST_CLOCK_TIME_NONE
 *
 * Sets #GstChaptersChapter:stop.
 */
void
gst_chapters_chapter_set_stop (GstChaptersChapter * self, GstClockTime stop)
{
  gint64 end = GST_CLOCK_TIME_IS_VALID (stop) ? (gint64) stop
      : CHAPTER_TIME_NONE;

  g_return_if_fail (GST_CHAPTERS_IS_CHAPTER (self));
  if (self->core->end == end)
    return;
  self->core->end = end;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STOP]);
}

/**
 * gst_chapters_chapter_get_title:
 * @chapter: a chapter
 *
 * Gets #GstChaptersChapter:title.
 *
 * Returns: (nullable): its title, or %NULL when the source gives none
 */
const gchar *
gst_chapters_chapter_get_title (GstChaptersChapter * self)
{
  g_return_val_if_fail (GST_CHAPTERS_IS_CHAPTER (self), NULL);
  return self->core->title;
}

/**
 * gst_chapters_chapter_set_title:
 * @chapter: a chapter
 * @title: (nullable): its title
 *
 * Sets #GstChaptersChapter:title.
 */
void
gst_chapters_chapter_set_title (GstChaptersChapter * self, const gchar * title)
{
  g_return_if_fail (GST_CHAPTERS_IS_CHAPTER (self));
  replace_string (self, &self->core->title, title, PROP_TITLE);
}

/**
 * gst_chapters_chapter_get_description:
 * @chapter: a chapter
 *
 * Gets #GstChaptersChapter:description.
 *
 * Returns: (nullable): what the chapter is about, or %NULL
 */
const gchar *
gst_chapters_chapter_get_description (GstChaptersChapter * self)
{
  g_return_val_if_fail (GST_CHAPTERS_IS_CHAPTER (self), NULL);
  return self->core->description;
}

/**
 * gst_chapters_chapter_set_description:
 * @chapter: a chapter
 * @description: (nullable): what the chapter is about
 *
 * Sets #GstChaptersChapter:description.
 */
void
gst_chapters_chapter_set_description (GstChaptersChapter * self,
    const gchar * description)
{
  g_return_if_fail (GST_CHAPTERS_IS_CHAPTER (self));
  replace_string (self, &self->core->description, description,
      PROP_DESCRIPTION);
}

/**
 * gst_chapters_chapter_get_url:
 * @chapter: a chapter
 *
 * Gets #GstChaptersChapter:url.
 *
 * Returns: (nullable): the web page the chapter links to, or %NULL
 */
const gchar *
gst_chapters_chapter_get_url (GstChaptersChapter * self)
{
  g_return_val_if_fail (GST_CHAPTERS_IS_CHAPTER (self), NULL);
  return self->core->url;
}

/**
 * gst_chapters_chapter_set_url:
 * @chapter: a chapter
 * @url: (nullable): the web page the chapter links to
 *
 * Sets #GstChaptersChapter:url.
 */
void
gst_chapters_chapter_set_url (GstChaptersChapter * self, const gchar * url)
{
  g_return_if_fail (GST_CHAPTERS_IS_CHAPTER (self));
  replace_string (self, &self->core->url, url, PROP_URL);
}

/**
 * gst_chapters_chapter_get_image_uri:
 * @chapter: a chapter
 *
 * Gets #GstChaptersChapter:image-uri.
 *
 * Returns: (nullable): the URI of the chapter's picture, or %NULL
 */
const gchar *
gst_chapters_chapter_get_image_uri (GstChaptersChapter * self)
{
  g_return_val_if_fail (GST_CHAPTERS_IS_CHAPTER (self), NULL);
  return self->core->image_url;
}

/**
 * gst_chapters_chapter_set_image_uri:
 * @chapter: a chapter
 * @uri: (nullable): the URI of the chapter's picture
 *
 * Sets #GstChaptersChapter:image-uri.
 */
void
gst_chapters_chapter_set_image_uri (GstChaptersChapter * self,
    const gchar * uri)
{
  g_return_if_fail (GST_CHAPTERS_IS_CHAPTER (self));
  replace_string (self, &self->core->image_url, uri, PROP_IMAGE_URI);
}

/**
 * gst_chapters_chapter_get_image:
 * @chapter: a chapter
 *
 * The picture the chapter carries in the media (ID3 APIC in a CHAP frame,
 * a frame of an MP4 chapter track).
 *
 * Returns: (nullable) (transfer none): the encoded picture, or %NULL
 */
GBytes *
gst_chapters_chapter_get_image (GstChaptersChapter * self)
{
  g_return_val_if_fail (GST_CHAPTERS_IS_CHAPTER (self), NULL);
  return self->core->image;
}

/**
 * gst_chapters_chapter_get_image_type:
 * @chapter: a chapter
 *
 * Gets #GstChaptersChapter:image-type.
 *
 * Returns: (nullable): the media type of its picture ("image/jpeg"), or
 *   %NULL
 */
const gchar *
gst_chapters_chapter_get_image_type (GstChaptersChapter * self)
{
  g_return_val_if_fail (GST_CHAPTERS_IS_CHAPTER (self), NULL);
  return self->core->image_mime;
}

/**
 * gst_chapters_chapter_set_image:
 * @chapter: a chapter
 * @image: (nullable): an encoded picture
 * @type: (nullable): its media type ("image/png")
 *
 * Sets the picture the chapter carries (#GstChaptersChapter:image and #GstChaptersChapter:image-type).
 */
void
gst_chapters_chapter_set_image (GstChaptersChapter * self, GBytes * image,
    const gchar * type)
{
  g_return_if_fail (GST_CHAPTERS_IS_CHAPTER (self));
  g_clear_pointer (&self->core->image, g_bytes_unref);
  self->core->image = image ? g_bytes_ref (image) : NULL;
  replace_string (self, &self->core->image_mime, type, PROP_IMAGE_TYPE);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_IMAGE]);
}

static void
load_image_in_thread (GTask * task, gpointer source, gpointer data,
    GCancellable * cancellable)
{
  ChapterFetchLimits limits;
  GError *error = NULL;
  GBytes *bytes;

  chapter_fetch_limits_init (&limits);
  limits.max_size = IMAGE_MAX_SIZE;
  bytes = chapter_fetch (data, &limits, cancellable, &error);
  if (bytes)
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
  else
    g_task_return_error (task, error);
}

/**
 * gst_chapters_chapter_load_image_async:
 * @chapter: a chapter with an image URI (Podcasting 2.0 `img`)
 * @cancellable: (nullable): to stop it
 * @callback: (scope async): called with the result in the thread-default
 *   main context
 * @user_data: for @callback
 *
 * Fetches the picture at #GstChaptersChapter:image-uri (a path, a file://
 * URI or an http(s):// URL, at most 8 MiB, within 10 seconds) in a worker
 * thread. Where the chapter carries a picture already, that is the result
 * and nothing is fetched.
 */
void
gst_chapters_chapter_load_image_async (GstChaptersChapter * self,
    GCancellable * cancellable, GAsyncReadyCallback callback,
    gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (GST_CHAPTERS_IS_CHAPTER (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gst_chapters_chapter_load_image_async);
  if (self->core->image) {
    g_task_return_pointer (task, g_bytes_ref (self->core->image),
        (GDestroyNotify) g_bytes_unref);
    return;
  }
  if (self->core->image_url == NULL) {
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
        "chapter \"%s\" has no image",
        self->core->title ? self->core->title : "");
    return;
  }
  g_task_set_task_data (task, g_strdup (self->core->image_url), g_free);
  g_task_run_in_thread (task, load_image_in_thread);
}

/**
 * gst_chapters_chapter_load_image_finish:
 * @chapter: the chapter
 * @result: what the callback was given
 * @error: where to put what went wrong (naming the URI)
 *
 * Finishes gst_chapters_chapter_load_image_async(). A picture fetched
 * becomes the chapter's #GstChaptersChapter:image, so it is fetched once.
 *
 * Returns: (transfer full) (nullable): the encoded picture, or %NULL with
 *   @error set
 */
GBytes *
gst_chapters_chapter_load_image_finish (GstChaptersChapter * self,
    GAsyncResult * result, GError ** error)
{
  GBytes *bytes;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  bytes = g_task_propagate_pointer (G_TASK (result), error);
  if (bytes && self->core->image == NULL) {
    self->core->image = g_bytes_ref (bytes);
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_IMAGE]);
  }
  return bytes;
}

/**
 * gst_chapters_chapter_get_hidden:
 * @chapter: a chapter
 *
 * Gets #GstChaptersChapter:hidden.
 *
 * Returns: whether the chapter is a marker that a list does not show
 */
gboolean
gst_chapters_chapter_get_hidden (GstChaptersChapter * self)
{
  g_return_val_if_fail (GST_CHAPTERS_IS_CHAPTER (self), FALSE);
  return self->core->hidden;
}

/**
 * gst_chapters_chapter_set_hidden:
 * @chapter: a chapter
 * @hidden: %TRUE to keep it out of a list of chapters
 *
 * Sets #GstChaptersChapter:hidden.
 */
void
gst_chapters_chapter_set_hidden (GstChaptersChapter * self, gboolean hidden)
{
  g_return_if_fail (GST_CHAPTERS_IS_CHAPTER (self));
  if (self->core->hidden == !!hidden)
    return;
  self->core->hidden = !!hidden;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_HIDDEN]);
}

/**
 * gst_chapters_chapter_get_n_children:
 * @chapter: a chapter
 *
 * Counts the chapters nested in @chapter.
 *
 * Returns: how many chapters are nested in it
 */
guint
gst_chapters_chapter_get_n_children (GstChaptersChapter * self)
{
  g_return_val_if_fail (GST_CHAPTERS_IS_CHAPTER (self), 0);
  return self->children->len;
}

/**
 * gst_chapters_chapter_get_child:
 * @chapter: a chapter
 * @index: 0-based
 *
 * Gets a nested chapter.
 *
 * Returns: (transfer none) (nullable): the nested chapter at @index, or
 *   %NULL past the last
 */
GstChaptersChapter *
gst_chapters_chapter_get_child (GstChaptersChapter * self, guint index)
{
  g_return_val_if_fail (GST_CHAPTERS_IS_CHAPTER (self), NULL);
  return index < self->children->len ?
      g_ptr_array_index (self->children, index) : NULL;
}

/**
 * gst_chapters_chapter_append_child:
 * @chapter: a chapter
 * @child: (transfer none): a chapter to nest in it
 *
 * Nests @child in @chapter, after the others.
 */
void
gst_chapters_chapter_append_child (GstChaptersChapter * self,
    GstChaptersChapter * child)
{
  g_return_if_fail (GST_CHAPTERS_IS_CHAPTER (self));
  g_return_if_fail (GST_CHAPTERS_IS_CHAPTER (child) && child != self);
  g_ptr_array_add (self->children, g_object_ref (child));
}

static void
gst_chapters_chapter_get_property (GObject * object, guint id, GValue * value,
    GParamSpec * pspec)
{
  GstChaptersChapter *self = GST_CHAPTERS_CHAPTER (object);

  switch (id) {
    case PROP_START:
      g_value_set_uint64 (value, gst_chapters_chapter_get_start (self));
      break;
    case PROP_STOP:
      g_value_set_uint64 (value, gst_chapters_chapter_get_stop (self));
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->core->title);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->core->description);
      break;
    case PROP_URL:
      g_value_set_string (value, self->core->url);
      break;
    case PROP_IMAGE_URI:
      g_value_set_string (value, self->core->image_url);
      break;
    case PROP_IMAGE:
      g_value_set_boxed (value, self->core->image);
      break;
    case PROP_IMAGE_TYPE:
      g_value_set_string (value, self->core->image_mime);
      break;
    case PROP_HIDDEN:
      g_value_set_boolean (value, self->core->hidden);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
  }
}

static void
gst_chapters_chapter_set_property (GObject * object, guint id,
    const GValue * value, GParamSpec * pspec)
{
  GstChaptersChapter *self = GST_CHAPTERS_CHAPTER (object);

  switch (id) {
    case PROP_START:
      gst_chapters_chapter_set_start (self, g_value_get_uint64 (value));
      break;
    case PROP_STOP:
      gst_chapters_chapter_set_stop (self, g_value_get_uint64 (value));
      break;
    case PROP_TITLE:
      gst_chapters_chapter_set_title (self, g_value_get_string (value));
      break;
    case PROP_DESCRIPTION:
      gst_chapters_chapter_set_description (self, g_value_get_string (value));
      break;
    case PROP_URL:
      gst_chapters_chapter_set_url (self, g_value_get_string (value));
      break;
    case PROP_IMAGE_URI:
      gst_chapters_chapter_set_image_uri (self, g_value_get_string (value));
      break;
    case PROP_HIDDEN:
      gst_chapters_chapter_set_hidden (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
  }
}

static void
gst_chapters_chapter_finalize (GObject * object)
{
  GstChaptersChapter *self = GST_CHAPTERS_CHAPTER (object);

  chapter_free (self->core);
  g_ptr_array_unref (self->children);
  G_OBJECT_CLASS (gst_chapters_chapter_parent_class)->finalize (object);
}

static void
gst_chapters_chapter_init (GstChaptersChapter * self)
{
  self->core = chapter_new (0, NULL);
  self->children = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
gst_chapters_chapter_class_init (GstChaptersChapterClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY
      | G_PARAM_STATIC_STRINGS;

  object_class->get_property = gst_chapters_chapter_get_property;
  object_class->set_property = gst_chapters_chapter_set_property;
  object_class->finalize = gst_chapters_chapter_finalize;

  /**
   * GstChaptersChapter:start:
   *
   * Where the chapter starts, in nanoseconds.
   */
  props[PROP_START] = g_param_spec_uint64 ("start", NULL, NULL, 0,
      G_MAXINT64, 0, rw);
  /**
   * GstChaptersChapter:stop:
   *
   * Where the chapter stops, in nanoseconds; %GST_CLOCK_TIME_NONE when
   * not known.
   */
  props[PROP_STOP] = g_param_spec_uint64 ("stop", NULL, NULL, 0,
      G_MAXUINT64, GST_CLOCK_TIME_NONE, rw);
  /**
   * GstChaptersChapter:title:
   *
   * The chapter's title.
   */
  props[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, rw);
  /**
   * GstChaptersChapter:description:
   *
   * What the chapter is about.
   */
  props[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL,
      NULL, rw);
  /**
   * GstChaptersChapter:url:
   *
   * The web page the chapter links to.
   */
  props[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, rw);
  /**
   * GstChaptersChapter:image-uri:
   *
   * The URI of the chapter's picture.
   */
  props[PROP_IMAGE_URI] = g_param_spec_string ("image-uri", NULL, NULL, NULL,
      rw);
  /**
   * GstChaptersChapter:image:
   *
   * The picture the chapter carries in the media, encoded; set it with
   * gst_chapters_chapter_set_image().
   */
  props[PROP_IMAGE] = g_param_spec_boxed ("image", NULL, NULL, G_TYPE_BYTES,
      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * GstChaptersChapter:image-type:
   *
   * The media type of #GstChaptersChapter:image.
   */
  props[PROP_IMAGE_TYPE] = g_param_spec_string ("image-type", NULL, NULL,
      NULL, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
      | G_PARAM_STATIC_STRINGS);
  /**
   * GstChaptersChapter:hidden:
   *
   * Whether the chapter is a marker that a list of chapters does not show.
   */
  props[PROP_HIDDEN] = g_param_spec_boolean ("hidden", NULL, NULL, FALSE, rw);
  g_object_class_install_properties (object_class, N_PROPS, props);
}
