/* gstchapters-gtk: one chapter of the model. */
#include "chapters-gtk-chapter-private.h"

/* A GstChaptersChapter as a list shows it: its number, start as text,
 * picture as a texture, and whether it is playing. */
/**
 * ChaptersGtkChapter:
 *
 * A chapter as [class@ChaptersGtk.Model] lists it: the
 * [class@GstChapters.Chapter] with its number, its start as text, its
 * picture as a texture, and whether it is the one playing.
 */
struct _ChaptersGtkChapter
{
  GObject parent;
  GstChaptersChapter *chapter;
  guint index;
  gboolean current;
  GdkTexture *image;            /* its embedded picture, decoded */
};

enum
{
  PROP_0,
  PROP_CHAPTER,
  PROP_INDEX,
  PROP_TITLE,
  PROP_DESCRIPTION,
  PROP_URL,
  PROP_IMAGE_URI,
  PROP_START,
  PROP_STOP,
  PROP_START_TEXT,
  PROP_CURRENT,
  PROP_IMAGE,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (ChaptersGtkChapter, chapters_gtk_chapter, G_TYPE_OBJECT);

/**
 * chapters_gtk_format_time:
 * @ns: a time in nanoseconds (below 0: none)
 *
 * Formats a time as players show it, as a chapter's "start-text" has it:
 * "4:20", "1:02:03".
 *
 * Returns: (transfer full): the text
 */
gchar *
chapters_gtk_format_time (gint64 ns)
{
  gint64 s = ns > 0 ? ns / GST_SECOND : 0;

  if (s >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ":%02"
        G_GINT64_FORMAT, s / 3600, s / 60 % 60, s % 60);
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
      s / 60, s % 60);
}

/* The chapter's picture as a texture (one that does not decode is left
 * out), again whenever it changes: loaded from its URI, say. */
static void
update_image (ChaptersGtkChapter * self)
{
  GBytes *image = gst_chapters_chapter_get_image (self->chapter);

  g_clear_object (&self->image);
  if (image)
    self->image = gdk_texture_new_from_bytes (image, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_IMAGE]);
}

ChaptersGtkChapter *
chapters_gtk_chapter_new_for (GstChaptersChapter * chapter, guint index)
{
  ChaptersGtkChapter *self = g_object_new (CHAPTERS_GTK_TYPE_CHAPTER, NULL);

  g_set_object (&self->chapter, chapter);
  self->index = index;
  if (gst_chapters_chapter_get_image (chapter))
    update_image (self);
  g_signal_connect_object (chapter, "notify::image",
      G_CALLBACK (update_image), self, G_CONNECT_SWAPPED);
  return self;
}

void
chapters_gtk_chapter_set_current (ChaptersGtkChapter * self, gboolean current)
{
  if (self->current == !!current)
    return;
  self->current = !!current;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CURRENT]);
}

/**
 * chapters_gtk_chapter_get_chapter:
 * @chapter: a list item
 *
 * Gets [property@ChaptersGtk.Chapter:chapter].
 *
 * Returns: (transfer none): the chapter it shows
 */
GstChaptersChapter *
chapters_gtk_chapter_get_chapter (ChaptersGtkChapter * self)
{
  return self->chapter;
}

/**
 * chapters_gtk_chapter_get_index:
 * @chapter: a list item
 *
 * Gets [property@ChaptersGtk.Chapter:index].
 *
 * Returns: its number in the TOC, 1-based
 */
guint
chapters_gtk_chapter_get_index (ChaptersGtkChapter * self)
{
  return self->index;
}

/**
 * chapters_gtk_chapter_get_title:
 * @chapter: a list item
 *
 * Gets [property@ChaptersGtk.Chapter:title].
 *
 * Returns: (nullable): its title, or %NULL
 */
const gchar *
chapters_gtk_chapter_get_title (ChaptersGtkChapter * self)
{
  return gst_chapters_chapter_get_title (self->chapter);
}

/**
 * chapters_gtk_chapter_get_start:
 * @chapter: a list item
 *
 * Gets [property@ChaptersGtk.Chapter:start].
 *
 * Returns: where it starts, in nanoseconds
 */
gint64
chapters_gtk_chapter_get_start (ChaptersGtkChapter * self)
{
  return (gint64) gst_chapters_chapter_get_start (self->chapter);
}

/**
 * chapters_gtk_chapter_get_stop:
 * @chapter: a list item
 *
 * Gets [property@ChaptersGtk.Chapter:stop].
 *
 * Returns: where it stops, in nanoseconds, or -1 when not known
 */
gint64
chapters_gtk_chapter_get_stop (ChaptersGtkChapter * self)
{
  GstClockTime stop = gst_chapters_chapter_get_stop (self->chapter);

  return GST_CLOCK_TIME_IS_VALID (stop) ? (gint64) stop : -1;
}

/**
 * chapters_gtk_chapter_get_current:
 * @chapter: a list item
 *
 * Gets [property@ChaptersGtk.Chapter:current].
 *
 * Returns: whether it is the chapter playing
 */
gboolean
chapters_gtk_chapter_get_current (ChaptersGtkChapter * self)
{
  return self->current;
}

static void
chapters_gtk_chapter_get_property (GObject * object, guint id, GValue * value,
    GParamSpec * pspec)
{
  ChaptersGtkChapter *self = CHAPTERS_GTK_CHAPTER (object);

  switch (id) {
    case PROP_CHAPTER:
      g_value_set_object (value, self->chapter);
      break;
    case PROP_INDEX:
      g_value_set_uint (value, self->index);
      break;
    case PROP_TITLE:
      g_value_set_string (value, gst_chapters_chapter_get_title (self->chapter));
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value,
          gst_chapters_chapter_get_description (self->chapter));
      break;
    case PROP_URL:
      g_value_set_string (value, gst_chapters_chapter_get_url (self->chapter));
      break;
    case PROP_IMAGE_URI:
      g_value_set_string (value,
          gst_chapters_chapter_get_image_uri (self->chapter));
      break;
    case PROP_START:
      g_value_set_int64 (value, chapters_gtk_chapter_get_start (self));
      break;
    case PROP_STOP:
      g_value_set_int64 (value, chapters_gtk_chapter_get_stop (self));
      break;
    case PROP_START_TEXT:
      g_value_take_string (value,
          chapters_gtk_format_time (chapters_gtk_chapter_get_start (self)));
      break;
    case PROP_CURRENT:
      g_value_set_boolean (value, self->current);
      break;
    case PROP_IMAGE:
      g_value_set_object (value, self->image);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
  }
}

static void
chapters_gtk_chapter_finalize (GObject * object)
{
  ChaptersGtkChapter *self = CHAPTERS_GTK_CHAPTER (object);

  g_clear_object (&self->chapter);
  g_clear_object (&self->image);
  G_OBJECT_CLASS (chapters_gtk_chapter_parent_class)->finalize (object);
}

static void
chapters_gtk_chapter_init (ChaptersGtkChapter * self)
{
  self->chapter = gst_chapters_chapter_new (0, NULL);
}

static void
chapters_gtk_chapter_class_init (ChaptersGtkChapterClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = chapters_gtk_chapter_get_property;
  object_class->finalize = chapters_gtk_chapter_finalize;
  /**
   * ChaptersGtkChapter:chapter:
   *
   * The chapter this item shows, with everything the source gave.
   */
  props[PROP_CHAPTER] = g_param_spec_object ("chapter", NULL, NULL,
      GST_CHAPTERS_TYPE_CHAPTER, ro);
  /**
   * ChaptersGtkChapter:index:
   *
   * Its number in the TOC, 1-based (hidden markers count).
   */
  props[PROP_INDEX] = g_param_spec_uint ("index", NULL, NULL, 0, G_MAXUINT, 0,
      ro);
  /**
   * ChaptersGtkChapter:title:
   *
   * Its title.
   */
  props[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, ro);
  /**
   * ChaptersGtkChapter:description:
   *
   * What it is about.
   */
  props[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL,
      NULL, ro);
  /**
   * ChaptersGtkChapter:url:
   *
   * The web page it links to.
   */
  props[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, ro);
  /**
   * ChaptersGtkChapter:image-uri:
   *
   * The URI of its picture.
   */
  props[PROP_IMAGE_URI] = g_param_spec_string ("image-uri", NULL, NULL, NULL,
      ro);
  /**
   * ChaptersGtkChapter:start:
   *
   * Where it starts, in nanoseconds.
   */
  props[PROP_START] = g_param_spec_int64 ("start", NULL, NULL, -1,
      G_MAXINT64, 0, ro);
  /**
   * ChaptersGtkChapter:stop:
   *
   * Where it stops, in nanoseconds; -1 when not known.
   */
  props[PROP_STOP] = g_param_spec_int64 ("stop", NULL, NULL, -1, G_MAXINT64,
      -1, ro);
  /**
   * ChaptersGtkChapter:start-text:
   *
   * Where it starts, as players show it ("11:00").
   */
  props[PROP_START_TEXT] = g_param_spec_string ("start-text", NULL, NULL,
      NULL, ro);
  /**
   * ChaptersGtkChapter:current:
   *
   * Whether it is the chapter playing now.
   */
  props[PROP_CURRENT] = g_param_spec_boolean ("current", NULL, NULL, FALSE,
      ro);
  /**
   * ChaptersGtkChapter:image:
   *
   * Its picture, decoded: the one it carries in the media, or the one at
   * its image URI once gst_chapters_chapter_load_image_async() has
   * fetched it.
   */
  props[PROP_IMAGE] = g_param_spec_object ("image", NULL, NULL,
      GDK_TYPE_TEXTURE, ro);
  g_object_class_install_properties (object_class, N_PROPS, props);
}
