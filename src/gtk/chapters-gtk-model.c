/* gstchapters-gtk: the chapter list model. */
#include "chapters-gtk-model.h"
#include "chapters-gtk-chapter-private.h"

/**
 * ChaptersGtkModel:
 *
 * A #GListModel of [class@ChaptersGtk.Chapter], kept up to date from a
 * pipeline's TOC and the `chapters` element's `chapter` messages (give it
 * the bus messages with [method@ChaptersGtk.Model.handle_message]), or from
 * a [class@GstChapters.List] and the position heard.
 *
 * Chapters that a source hides (markers) stay out of the list.
 */
struct _ChaptersGtkModel
{
  GObject parent;
  GPtrArray *chapters;          /* of ChaptersGtkChapter, listed ones */
  guint current;                /* 1-based element index, 0 none */
};

enum
{
  PROP_0,
  PROP_CURRENT,
  PROP_CURRENT_TITLE,
  N_PROPS
};

static GParamSpec *model_props[N_PROPS];

static GType
model_get_item_type (GListModel * list)
{
  return CHAPTERS_GTK_TYPE_CHAPTER;
}

static guint
model_get_n_items (GListModel * list)
{
  return CHAPTERS_GTK_MODEL (list)->chapters->len;
}

static gpointer
model_get_item (GListModel * list, guint position)
{
  ChaptersGtkModel *self = CHAPTERS_GTK_MODEL (list);

  if (position >= self->chapters->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->chapters, position));
}

static void
model_list_init (GListModelInterface * iface)
{
  iface->get_item_type = model_get_item_type;
  iface->get_n_items = model_get_n_items;
  iface->get_item = model_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (ChaptersGtkModel, chapters_gtk_model,
    G_TYPE_OBJECT, G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, model_list_init));

/**
 * chapters_gtk_model_new:
 *
 * Makes a model with no chapters.
 *
 * Returns: (transfer full): the model
 */
ChaptersGtkModel *
chapters_gtk_model_new (void)
{
  return g_object_new (CHAPTERS_GTK_TYPE_MODEL, NULL);
}

/**
 * chapters_gtk_model_set_chapters:
 * @model: a model
 * @chapters: (nullable): the chapters to list, or %NULL for none
 *
 * Lists @chapters (those a source hides stay out), with none playing
 * until a `chapter` message or a position says which.
 */
void
chapters_gtk_model_set_chapters (ChaptersGtkModel * self,
    GstChaptersList * chapters)
{
  guint old = self->chapters->len, n, i;

  n = chapters ? gst_chapters_list_get_n_chapters (chapters) : 0;
  g_ptr_array_set_size (self->chapters, 0);
  for (i = 0; i < n; i++) {
    GstChaptersChapter *chapter = gst_chapters_list_get_chapter (chapters, i);

    if (!gst_chapters_chapter_get_hidden (chapter))
      g_ptr_array_add (self->chapters,
          chapters_gtk_chapter_new_for (chapter, i + 1));
  }
  self->current = 0;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old,
      self->chapters->len);
  g_object_notify_by_pspec (G_OBJECT (self), model_props[PROP_CURRENT]);
  g_object_notify_by_pspec (G_OBJECT (self), model_props[PROP_CURRENT_TITLE]);
}

/**
 * chapters_gtk_model_set_toc:
 * @model: a model
 * @toc: a table of contents, as the `chapters` element posts it
 *
 * Lists the chapters of @toc.
 */
void
chapters_gtk_model_set_toc (ChaptersGtkModel * self, GstToc * toc)
{
  g_autoptr (GstChaptersList) chapters = gst_chapters_list_new_from_toc (toc);

  chapters_gtk_model_set_chapters (self, chapters);
}

static void
set_current (ChaptersGtkModel * self, guint index)
{
  guint i;

  if (index == self->current)
    return;
  self->current = index;
  for (i = 0; i < self->chapters->len; i++) {
    ChaptersGtkChapter *c = g_ptr_array_index (self->chapters, i);

    chapters_gtk_chapter_set_current (c,
        chapters_gtk_chapter_get_index (c) == index);
  }
  g_object_notify_by_pspec (G_OBJECT (self), model_props[PROP_CURRENT]);
  g_object_notify_by_pspec (G_OBJECT (self), model_props[PROP_CURRENT_TITLE]);
}

/**
 * chapters_gtk_model_handle_message:
 * @model: a model
 * @message: a message from the pipeline's bus
 *
 * Follows the pipeline: a TOC message lists its chapters, a `chapter`
 * message from the `chapters` element says which one plays.
 *
 * Returns: %TRUE when @message was one of those
 */
gboolean
chapters_gtk_model_handle_message (ChaptersGtkModel * self, GstMessage * msg)
{
  const GstStructure *s = gst_message_get_structure (msg);

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_TOC) {
    GstToc *toc;

    gst_message_parse_toc (msg, &toc, NULL);
    chapters_gtk_model_set_toc (self, toc);
    gst_toc_unref (toc);
    return TRUE;
  }
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT && s
      && gst_structure_has_name (s, "chapter")) {
    gint index = 0;

    gst_structure_get_int (s, "index", &index);
    set_current (self, MAX (index, 0));
    return TRUE;
  }
  return FALSE;
}

/**
 * chapters_gtk_model_set_position:
 * @model: a model
 * @position: the position heard, in nanoseconds
 *
 * Makes the chapter that plays at @position the current one, for players
 * without the `chapters` element's messages.
 */
void
chapters_gtk_model_set_position (ChaptersGtkModel * self, gint64 position)
{
  guint index = 0, i;

  for (i = 0; i < self->chapters->len; i++) {
    ChaptersGtkChapter *c = g_ptr_array_index (self->chapters, i);

    gint64 start = chapters_gtk_chapter_get_start (c);
    gint64 stop = chapters_gtk_chapter_get_stop (c);

    if (start <= position && (stop < 0 || position < stop || stop <= start))
      index = chapters_gtk_chapter_get_index (c);
  }
  set_current (self, index);
}

/**
 * chapters_gtk_model_get_current:
 * @model: a model
 *
 * Gets [property@ChaptersGtk.Model:current].
 *
 * Returns: the number of the chapter playing (1-based, as in the TOC), or
 *   0 for none
 */
guint
chapters_gtk_model_get_current (ChaptersGtkModel * self)
{
  return self->current;
}

/**
 * chapters_gtk_model_get_current_chapter:
 * @model: a model
 *
 * Finds the list item of the chapter playing (the list leaves hidden
 * chapters out: its position is not the chapter's number).
 *
 * Returns: (transfer none) (nullable): the chapter playing, or %NULL when
 *   none is (or it is a hidden one)
 */
ChaptersGtkChapter *
chapters_gtk_model_get_current_chapter (ChaptersGtkModel * self)
{
  guint i;

  for (i = 0; self->current && i < self->chapters->len; i++) {
    ChaptersGtkChapter *c = g_ptr_array_index (self->chapters, i);

    if (chapters_gtk_chapter_get_index (c) == self->current)
      return c;
  }
  return NULL;
}

/**
 * chapters_gtk_model_get_current_title:
 * @model: a model
 *
 * Gets [property@ChaptersGtk.Model:current-title].
 *
 * Returns: (nullable): the title of the chapter playing, or %NULL
 */
const gchar *
chapters_gtk_model_get_current_title (ChaptersGtkModel * self)
{
  ChaptersGtkChapter *c = chapters_gtk_model_get_current_chapter (self);

  return c ? chapters_gtk_chapter_get_title (c) : NULL;
}

static void
chapters_gtk_model_get_property (GObject * object, guint id, GValue * value,
    GParamSpec * pspec)
{
  ChaptersGtkModel *self = CHAPTERS_GTK_MODEL (object);

  switch (id) {
    case PROP_CURRENT:
      g_value_set_uint (value, self->current);
      break;
    case PROP_CURRENT_TITLE:
      g_value_set_string (value, chapters_gtk_model_get_current_title (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
  }
}

static void
chapters_gtk_model_finalize (GObject * object)
{
  g_ptr_array_unref (CHAPTERS_GTK_MODEL (object)->chapters);
  G_OBJECT_CLASS (chapters_gtk_model_parent_class)->finalize (object);
}

static void
chapters_gtk_model_init (ChaptersGtkModel * self)
{
  self->chapters = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
chapters_gtk_model_class_init (ChaptersGtkModelClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = chapters_gtk_model_get_property;
  object_class->finalize = chapters_gtk_model_finalize;
  /**
   * ChaptersGtkModel:current:
   *
   * The number of the chapter playing (1-based, as in the TOC); 0 for none.
   */
  model_props[PROP_CURRENT] = g_param_spec_uint ("current", NULL, NULL, 0,
      G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /**
   * ChaptersGtkModel:current-title:
   *
   * The title of the chapter playing.
   */
  model_props[PROP_CURRENT_TITLE] = g_param_spec_string ("current-title",
      NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, model_props);
}
