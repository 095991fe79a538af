/* gstchapters-gtk: a seek bar with a mark at each chapter start. */
#include "chapters-gtk-seek-bar.h"

/**
 * ChaptersGtkSeekBar:
 *
 * A seek bar with a mark, and its title, at the start of each chapter of a
 * [class@ChaptersGtk.Model]. Moving it emits
 * [signal@ChaptersGtk.SeekBar::seek].
 */
struct _ChaptersGtkSeekBar
{
  GtkWidget parent;
  GtkScale *scale;
  ChaptersGtkModel *model;
  gint64 duration;
  gboolean updating;
};

enum
{
  SIGNAL_SEEK,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ChaptersGtkSeekBar, chapters_gtk_seek_bar,
    GTK_TYPE_WIDGET);

static void
rebuild_marks (ChaptersGtkSeekBar * self)
{
  guint i, n;

  gtk_scale_clear_marks (self->scale);
  if (self->model == NULL || self->duration <= 0)
    return;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  for (i = 0; i < n; i++) {
    g_autoptr (ChaptersGtkChapter) c =
        g_list_model_get_item (G_LIST_MODEL (self->model), i);

    gtk_scale_add_mark (self->scale,
        chapters_gtk_chapter_get_start (c) / (gdouble) GST_SECOND,
        GTK_POS_BOTTOM, NULL);
  }
}

static void
on_items_changed (GListModel * list, guint position, guint removed,
    guint added, ChaptersGtkSeekBar * self)
{
  rebuild_marks (self);
}

static void
on_value_changed (GtkRange * range, ChaptersGtkSeekBar * self)
{
  if (self->updating)
    return;
  g_signal_emit (self, signals[SIGNAL_SEEK], 0,
      (gint64) (gtk_range_get_value (range) * GST_SECOND));
}

static gchar *
format_value (GtkScale * scale, gdouble value, gpointer data)
{
  gint64 s = (gint64) value;

  return g_strdup_printf ("%" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT,
      s / 60, s % 60);
}

/**
 * chapters_gtk_seek_bar_new:
 *
 * Makes a seek bar with no chapters.
 *
 * Returns: (transfer floating) (type ChaptersGtkSeekBar): the seek bar
 */
GtkWidget *
chapters_gtk_seek_bar_new (void)
{
  return g_object_new (CHAPTERS_GTK_TYPE_SEEK_BAR, NULL);
}

/**
 * chapters_gtk_seek_bar_set_model:
 * @bar: a seek bar
 * @model: (nullable): the chapters to mark, or %NULL
 *
 * Marks the chapters of @model, and follows its changes.
 */
void
chapters_gtk_seek_bar_set_model (ChaptersGtkSeekBar * self,
    ChaptersGtkModel * model)
{
  if (self->model)
    g_signal_handlers_disconnect_by_func (self->model, on_items_changed,
        self);
  g_set_object (&self->model, model);
  if (model)
    g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed),
        self);
  rebuild_marks (self);
}

/**
 * chapters_gtk_seek_bar_set_duration:
 * @bar: a seek bar
 * @duration: the media's duration, in nanoseconds
 *
 * Sets the length of the bar.
 */
void
chapters_gtk_seek_bar_set_duration (ChaptersGtkSeekBar * self,
    gint64 duration)
{
  if (duration == self->duration)
    return;
  self->duration = duration;
  self->updating = TRUE;
  gtk_range_set_range (GTK_RANGE (self->scale), 0,
      MAX (duration, 1) / (gdouble) GST_SECOND);
  self->updating = FALSE;
  rebuild_marks (self);
}

/**
 * chapters_gtk_seek_bar_set_position:
 * @bar: a seek bar
 * @position: the position heard, in nanoseconds
 *
 * Moves the bar to @position without emitting
 * [signal@ChaptersGtk.SeekBar::seek].
 */
void
chapters_gtk_seek_bar_set_position (ChaptersGtkSeekBar * self,
    gint64 position)
{
  self->updating = TRUE;
  gtk_range_set_value (GTK_RANGE (self->scale),
      position / (gdouble) GST_SECOND);
  self->updating = FALSE;
}

static void
chapters_gtk_seek_bar_dispose (GObject * object)
{
  ChaptersGtkSeekBar *self = CHAPTERS_GTK_SEEK_BAR (object);

  chapters_gtk_seek_bar_set_model (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self),
      CHAPTERS_GTK_TYPE_SEEK_BAR);
  G_OBJECT_CLASS (chapters_gtk_seek_bar_parent_class)->dispose (object);
}

static void
chapters_gtk_seek_bar_init (ChaptersGtkSeekBar * self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_scale_set_format_value_func (self->scale, format_value, NULL, NULL);
}

static void
chapters_gtk_seek_bar_class_init (ChaptersGtkSeekBarClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = chapters_gtk_seek_bar_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
      "/org/gstchapters/gtk/seek-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, ChaptersGtkSeekBar,
      scale);
  gtk_widget_class_bind_template_callback (widget_class, on_value_changed);
  gtk_widget_class_set_layout_manager_type (widget_class,
      GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "chapters-seek-bar");
  /**
   * ChaptersGtkSeekBar::seek:
   * @bar: the seek bar
   * @position: where the user moved it, in nanoseconds
   *
   * The user moved the bar: the player seeks to @position.
   */
  signals[SIGNAL_SEEK] = g_signal_new ("seek", G_TYPE_FROM_CLASS (klass),
      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}
