/* gstchapters-gtk: the chapter list model. */
#include "chapters-gtk.h"

struct _ChaptersGtkChapter
{
  GObject parent;
  guint index;
  gchar *title, *description, *url, *image_uri;
  gint64 start, stop;
  gboolean current;
  GdkTexture *image;            /* a picture the chapter carries */
};

enum
{
  CH_PROP_0,
  CH_PROP_INDEX,
  CH_PROP_TITLE,
  CH_PROP_DESCRIPTION,
  CH_PROP_URL,
  CH_PROP_IMAGE_URI,
  CH_PROP_START,
  CH_PROP_STOP,
  CH_PROP_START_TEXT,
  CH_PROP_CURRENT,
  CH_PROP_IMAGE,
  CH_N_PROPS
};

static GParamSpec *chapter_props[CH_N_PROPS];

G_DEFINE_FINAL_TYPE (ChaptersGtkChapter, chapters_gtk_chapter, G_TYPE_OBJECT);

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

static void
chapters_gtk_chapter_get_property (GObject * object, guint id, GValue * value,
    GParamSpec * pspec)
{
  ChaptersGtkChapter *self = CHAPTERS_GTK_CHAPTER (object);

  switch (id) {
    case CH_PROP_INDEX:
      g_value_set_uint (value, self->index);
      break;
    case CH_PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case CH_PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case CH_PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case CH_PROP_IMAGE_URI:
      g_value_set_string (value, self->image_uri);
      break;
    case CH_PROP_START:
      g_value_set_int64 (value, self->start);
      break;
    case CH_PROP_STOP:
      g_value_set_int64 (value, self->stop);
      break;
    case CH_PROP_START_TEXT:
      g_value_take_string (value, chapters_gtk_format_time (self->start));
      break;
    case CH_PROP_CURRENT:
      g_value_set_boolean (value, self->current);
      break;
    case CH_PROP_IMAGE:
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

  g_free (self->title);
  g_free (self->description);
  g_free (self->url);
  g_free (self->image_uri);
  g_clear_object (&self->image);
  G_OBJECT_CLASS (chapters_gtk_chapter_parent_class)->finalize (object);
}

static void
chapters_gtk_chapter_init (ChaptersGtkChapter * self)
{
  self->stop = -1;
}

static void
chapters_gtk_chapter_class_init (ChaptersGtkChapterClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = chapters_gtk_chapter_get_property;
  object_class->finalize = chapters_gtk_chapter_finalize;
  chapter_props[CH_PROP_INDEX] = g_param_spec_uint ("index", NULL, NULL, 0,
      G_MAXUINT, 0, ro);
  chapter_props[CH_PROP_TITLE] = g_param_spec_string ("title", NULL, NULL,
      NULL, ro);
  chapter_props[CH_PROP_DESCRIPTION] = g_param_spec_string ("description",
      NULL, NULL, NULL, ro);
  chapter_props[CH_PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL,
      ro);
  chapter_props[CH_PROP_IMAGE_URI] = g_param_spec_string ("image-uri", NULL,
      NULL, NULL, ro);
  chapter_props[CH_PROP_START] = g_param_spec_int64 ("start", NULL, NULL, -1,
      G_MAXINT64, 0, ro);
  chapter_props[CH_PROP_STOP] = g_param_spec_int64 ("stop", NULL, NULL, -1,
      G_MAXINT64, -1, ro);
  chapter_props[CH_PROP_START_TEXT] = g_param_spec_string ("start-text", NULL,
      NULL, NULL, ro);
  chapter_props[CH_PROP_CURRENT] = g_param_spec_boolean ("current", NULL,
      NULL, FALSE, ro);
  chapter_props[CH_PROP_IMAGE] = g_param_spec_object ("image", NULL, NULL,
      GDK_TYPE_TEXTURE, ro);
  g_object_class_install_properties (object_class, CH_N_PROPS, chapter_props);
}

guint
chapters_gtk_chapter_get_index (ChaptersGtkChapter * chapter)
{
  return chapter->index;
}

const gchar *
chapters_gtk_chapter_get_title (ChaptersGtkChapter * chapter)
{
  return chapter->title;
}

gint64
chapters_gtk_chapter_get_start (ChaptersGtkChapter * chapter)
{
  return chapter->start;
}

gint64
chapters_gtk_chapter_get_stop (ChaptersGtkChapter * chapter)
{
  return chapter->stop;
}

gboolean
chapters_gtk_chapter_get_current (ChaptersGtkChapter * chapter)
{
  return chapter->current;
}

/* ---------------------------------------------------------------------- */

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

ChaptersGtkModel *
chapters_gtk_model_new (void)
{
  return g_object_new (CHAPTERS_GTK_TYPE_MODEL, NULL);
}

static gchar *
tag_string (const GstTagList * tags, const gchar * tag)
{
  gchar *value = NULL;

  if (tags && gst_tag_list_get_string_index (tags, tag, 0, &value))
    return value;
  return NULL;
}

/* An embedded picture (ID3 APIC, an MP4 chapter track frame) as a texture;
 * pictures that do not decode are left out. */
static GdkTexture *
image_texture (const GstTagList * tags)
{
  GstSample *sample = NULL;
  GdkTexture *texture = NULL;
  GstMapInfo map;

  if (tags == NULL || !gst_tag_list_get_sample (tags, GST_TAG_IMAGE, &sample))
    return NULL;
  if (gst_sample_get_buffer (sample)
      && gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ)) {
    g_autoptr (GBytes) bytes = g_bytes_new (map.data, map.size);

    texture = gdk_texture_new_from_bytes (bytes, NULL);
    gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
  }
  gst_sample_unref (sample);
  return texture;
}

void
chapters_gtk_model_set_toc (ChaptersGtkModel * self, GstToc * toc)
{
  GList *entries = gst_toc_get_entries (toc), *l;
  guint old = self->chapters->len, index = 0;

  for (l = entries; l; l = l->next)
    if (gst_toc_entry_get_entry_type (l->data) == GST_TOC_ENTRY_TYPE_EDITION) {
      entries = gst_toc_entry_get_sub_entries (l->data);
      break;
    }
  g_ptr_array_set_size (self->chapters, 0);
  for (l = entries; l; l = l->next) {
    const GstTagList *tags = gst_toc_entry_get_tags (l->data);
    ChaptersGtkChapter *c;
    gboolean hidden = FALSE;

    index++;
    if (tags && gst_tag_list_get_boolean (tags, "chapter-hidden", &hidden)
        && hidden)
      continue;
    c = g_object_new (CHAPTERS_GTK_TYPE_CHAPTER, NULL);
    c->index = index;
    gst_toc_entry_get_start_stop_times (l->data, &c->start, &c->stop);
    c->title = tag_string (tags, GST_TAG_TITLE);
    c->description = tag_string (tags, GST_TAG_DESCRIPTION);
    c->url = tag_string (tags, GST_TAG_HOMEPAGE);
    c->image_uri = tag_string (tags, "chapter-image-uri");
    c->image = image_texture (tags);
    g_ptr_array_add (self->chapters, c);
  }
  self->current = 0;
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old,
      self->chapters->len);
  g_object_notify_by_pspec (G_OBJECT (self), model_props[PROP_CURRENT]);
  g_object_notify_by_pspec (G_OBJECT (self), model_props[PROP_CURRENT_TITLE]);
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
    gboolean now = c->index == index;

    if (now != c->current) {
      c->current = now;
      g_object_notify_by_pspec (G_OBJECT (c), chapter_props[CH_PROP_CURRENT]);
    }
  }
  g_object_notify_by_pspec (G_OBJECT (self), model_props[PROP_CURRENT]);
  g_object_notify_by_pspec (G_OBJECT (self), model_props[PROP_CURRENT_TITLE]);
}

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

void
chapters_gtk_model_set_position (ChaptersGtkModel * self, gint64 position)
{
  guint index = 0, i;

  for (i = 0; i < self->chapters->len; i++) {
    ChaptersGtkChapter *c = g_ptr_array_index (self->chapters, i);

    if (c->start <= position && (c->stop < 0 || position < c->stop
            || c->stop <= c->start))
      index = c->index;
  }
  set_current (self, index);
}

guint
chapters_gtk_model_get_current (ChaptersGtkModel * self)
{
  return self->current;
}

const gchar *
chapters_gtk_model_get_current_title (ChaptersGtkModel * self)
{
  guint i;

  for (i = 0; i < self->chapters->len; i++) {
    ChaptersGtkChapter *c = g_ptr_array_index (self->chapters, i);

    if (c->index == self->current)
      return c->title;
  }
  return NULL;
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
  model_props[PROP_CURRENT] = g_param_spec_uint ("current", NULL, NULL, 0,
      G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  model_props[PROP_CURRENT_TITLE] = g_param_spec_string ("current-title",
      NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, model_props);
}
