/* chapterplayer-gtk: a GTK 4 player that shows the current chapter.
 *
 *   chapterplayer-gtk [--chapter N|TITLE] [--chapters SRC] [--no-audio]
 *                     [--speed RATE] [--no-resume] [--screenshot PNG]
 *                     [--play-for SECONDS] [MEDIA]
 *
 * Built on the playback core shared with the terminal player and on the
 * gstchapters-gtk library (chapter model and seek bar) that other players
 * embed. */
#include "config.h"

#include <gtk/gtk.h>
#include <locale.h>

#include "chapter-mpris.h"
#include "chapter-player.h"
#include "chapters-gtk.h"

#define SKIP_BACK (15 * GST_SECOND)
#define SKIP_FORWARD (30 * GST_SECOND)

#define CHAPTER_TYPE_WINDOW (chapter_window_get_type ())
G_DECLARE_FINAL_TYPE (ChapterWindow, chapter_window, CHAPTER, WINDOW,
    GtkApplicationWindow);

typedef struct
{
  gchar *chapter;
  gchar *chapters;
  gboolean no_audio;
  gchar *screenshot;
  gdouble play_for;
  gdouble speed;
  gboolean no_resume;
} Options;

static Options opts = { NULL, NULL, FALSE, NULL, -1, 1.0, FALSE };

struct _ChapterWindow
{
  GtkApplicationWindow parent;

  GtkLabel *title_label;
  GtkLabel *chapter_label;
  GtkLabel *episode_label;
  GtkLabel *time_label;
  GtkPicture *picture;
  GtkLinkButton *link_button;
  GtkDropDown *speed_dropdown;
  GtkLabel *error_label;
  GtkRevealer *error_revealer;
  GtkButton *play_button;
  GtkListView *list_view;
  GtkSearchEntry *search_entry;
  ChaptersGtkSeekBar *seek_bar;

  ChaptersGtkModel *model;
  ChapterPlayer *player;
  ChapterMpris *mpris;          /* media keys, the desktop's controls */
  GCancellable *cancellable;
  GdkTexture *cover;            /* the episode's, or NULL */
  const gchar *art;             /* what the picture shows: "chapter",
                                 * "cover" or "none" */
  GHashTable *images_asked;     /* chapter image URIs fetched or failed */
  gdouble rate;                 /* the speed chosen, for every episode */
};

G_DEFINE_FINAL_TYPE (ChapterWindow, chapter_window,
    GTK_TYPE_APPLICATION_WINDOW);

static void
show_error (ChapterWindow * self, const gchar * message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

static void update_art (ChapterWindow * self);

static void
on_image_loaded (GObject * source, GAsyncResult * result, gpointer data)
{
  ChapterWindow *self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = gst_chapters_chapter_load_image_finish
      (GST_CHAPTERS_CHAPTER (source), result, &error);

  /* (the picture is the chapter's now, and its list item's texture) */
  if (bytes)
    update_art (self);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_printerr ("chapter image of \"%s\": %s\n",
        gst_chapters_chapter_get_title (GST_CHAPTERS_CHAPTER (source)),
        error->message);
  g_object_unref (self);
}

/* A chapter with a picture at a URI (Podcasting 2.0 img) and none in the
 * media: fetch it, once. */
static void
fetch_chapter_image (ChapterWindow * self, ChaptersGtkChapter * item)
{
  GstChaptersChapter *chapter = chapters_gtk_chapter_get_chapter (item);
  const gchar *uri = gst_chapters_chapter_get_image_uri (chapter);

  if (uri == NULL || gst_chapters_chapter_get_image (chapter)
      || g_hash_table_contains (self->images_asked, uri))
    return;
  g_hash_table_add (self->images_asked, g_strdup (uri));
  gst_chapters_chapter_load_image_async (chapter, self->cancellable,
      on_image_loaded, g_object_ref (self));
}

/* The current chapter's image where it has one (as podcast apps show it),
 * else the episode's cover; and the chapter's link as a button. */
static void
update_art (ChapterWindow * self)
{
  ChaptersGtkChapter *chapter =
      chapters_gtk_model_get_current_chapter (self->model);
  g_autoptr (GdkTexture) image = NULL;
  g_autofree gchar *url = NULL;
  GdkPaintable *shown;

  if (chapter) {
    g_object_get (chapter, "image", &image, "url", &url, NULL);
    if (image == NULL)
      fetch_chapter_image (self, chapter);
  }
  shown = GDK_PAINTABLE (image ? image : self->cover);
  self->art = image ? "chapter" : self->cover ? "cover" : "none";
  gtk_picture_set_paintable (self->picture, shown);
  gtk_widget_set_visible (GTK_WIDGET (self->picture), shown != NULL);
  if (url && *url)
    gtk_link_button_set_uri (self->link_button, url);
  gtk_widget_set_visible (GTK_WIDGET (self->link_button), url && *url);
}

static void
update_title (ChapterWindow * self)
{
  guint current = chapters_gtk_model_get_current (self->model);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  const gchar *title = chapters_gtk_model_get_current_title (self->model);
  g_autofree gchar *where = NULL;

  gtk_label_set_text (self->title_label, title ? title :
      (self->player ? "Before the first chapter" : "Open an episode"));
  where = current ? g_strdup_printf ("Chapter %u of %u", current, n) :
      g_strdup (n ? "No chapter" : "No chapters");
  gtk_label_set_text (self->chapter_label, where);
  gtk_label_set_text (self->episode_label, self->player ?
      chapter_player_get_title (self->player) : "");
  update_art (self);
}

static void
on_cover (ChapterPlayer * player, ChapterWindow * self)
{
  GBytes *bytes = chapter_player_get_cover (player);

  g_clear_object (&self->cover);
  if (bytes)
    self->cover = gdk_texture_new_from_bytes (bytes, NULL);
  update_art (self);
}

/* Where @rate is in the speed menu (none: a speed given with --speed
 * between two of its steps). */
static guint
speed_menu_position (gdouble rate)
{
  guint n;
  const gdouble *steps = chapter_player_rate_steps (&n);

  for (guint i = 0; i < n; i++)
    if (steps[i] == rate)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

static void
on_rate (ChapterPlayer * player, gdouble rate, ChapterWindow * self)
{
  guint shown = speed_menu_position (rate);

  self->rate = rate;
  if (gtk_drop_down_get_selected (self->speed_dropdown) != shown)
    gtk_drop_down_set_selected (self->speed_dropdown, shown);
}

static void
on_speed_selected (GtkDropDown * dropdown, GParamSpec * pspec,
    ChapterWindow * self)
{
  guint n, i = gtk_drop_down_get_selected (dropdown);
  const gdouble *steps = chapter_player_rate_steps (&n);

  if (i >= n)
    return;
  self->rate = steps[i];
  if (self->player)
    chapter_player_set_rate (self->player, steps[i]);
}

/* The player's chapters come from the element's TOC: mirror them into the
 * model the widgets show. */
static void
on_chapters_changed (ChapterPlayer * player, ChapterWindow * self)
{
  GstToc *toc = NULL;
  GstElement *pipeline = chapter_player_get_pipeline (player);
  GstIterator *it = gst_bin_iterate_all_by_element_factory_name (GST_BIN
      (pipeline), "chapters");
  GValue item = G_VALUE_INIT;

  if (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    g_object_get (g_value_get_object (&item), "toc", &toc, NULL);
    g_value_unset (&item);
  }
  gst_iterator_free (it);
  if (toc) {
    chapters_gtk_model_set_toc (self->model, toc);
    gst_toc_unref (toc);
  }
  chapters_gtk_seek_bar_set_duration (self->seek_bar,
      chapter_player_get_duration (player));
  chapters_gtk_model_set_position (self->model,
      chapter_player_get_position (player));
  update_title (self);
}

static void
on_chapter_changed (ChapterPlayer * player, gint index, ChapterWindow * self)
{
  chapters_gtk_model_set_position (self->model,
      chapter_player_get_position (player));
  update_title (self);
}

static void
on_position (ChapterPlayer * player, gint64 position, ChapterWindow * self)
{
  gint64 duration = chapter_player_get_duration (player);
  g_autofree gchar *elapsed = chapters_gtk_format_time (position);
  g_autofree gchar *total = chapters_gtk_format_time (duration);
  g_autofree gchar *text = g_strdup_printf ("%s / %s", elapsed, total);

  chapters_gtk_seek_bar_set_duration (self->seek_bar, duration);
  chapters_gtk_seek_bar_set_position (self->seek_bar, position);
  gtk_label_set_text (self->time_label, text);
}

static void
on_state (ChapterPlayer * player, gboolean playing, ChapterWindow * self)
{
  gtk_button_set_icon_name (self->play_button, playing ?
      "media-playback-pause-symbolic" : "media-playback-start-symbolic");
}

static void
on_player_warning (ChapterPlayer * player, const gchar * message,
    ChapterWindow * self)
{
  g_autofree gchar *text = g_strdup_printf ("Warning: %s", message);

  show_error (self, text);
}

static void
on_player_error (ChapterPlayer * player, const gchar * message,
    ChapterWindow * self)
{
  g_autofree gchar *text = g_strdup_printf ("Cannot play: %s", message);

  show_error (self, text);
}

static void
close_player (ChapterWindow * self)
{
  if (self->mpris)
    chapter_mpris_set_player (self->mpris, NULL);
  if (self->player) {
    g_signal_handlers_disconnect_by_data (self->player, self);
    chapter_player_stop (self->player);
    g_clear_object (&self->player);
  }
  /* (the next episode's chapters are other objects: their images are
   * fetched for them) */
  if (self->images_asked)
    g_hash_table_remove_all (self->images_asked);
}

static void
open_media (ChapterWindow * self, const gchar * media)
{
  ChapterPlayerOptions options = { media, opts.chapters, opts.chapter,
    opts.no_audio, opts.no_resume
  };
  GError *error = NULL;

  close_player (self);
  show_error (self, NULL);
  self->player = chapter_player_new (&options, &error);
  if (self->player == NULL) {
    g_autofree gchar *text = g_strdup_printf ("Cannot open %s: %s", media,
        error->message);

    show_error (self, text);
    g_error_free (error);
    return;
  }
  g_signal_connect (self->player, "chapters-changed",
      G_CALLBACK (on_chapters_changed), self);
  g_signal_connect (self->player, "chapter-changed",
      G_CALLBACK (on_chapter_changed), self);
  g_signal_connect (self->player, "position-changed",
      G_CALLBACK (on_position), self);
  g_signal_connect (self->player, "state-changed", G_CALLBACK (on_state),
      self);
  g_signal_connect (self->player, "warning", G_CALLBACK (on_player_warning),
      self);
  g_signal_connect (self->player, "error", G_CALLBACK (on_player_error),
      self);
  g_signal_connect_swapped (self->player, "title-changed",
      G_CALLBACK (update_title), self);
  g_signal_connect (self->player, "cover-changed", G_CALLBACK (on_cover),
      self);
  g_signal_connect (self->player, "rate-changed", G_CALLBACK (on_rate), self);
  g_clear_object (&self->cover);
  /* the speed chosen goes on with the next episode */
  chapter_player_set_rate (self->player, self->rate);
  chapter_mpris_set_player (self->mpris, self->player);
  chapter_player_play (self->player);
  update_title (self);
}

static void
mpris_raise (gpointer data)
{
  gtk_window_present (GTK_WINDOW (data));
}

static void
mpris_quit (gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (data));
}

static void
mpris_open_uri (const gchar * uri, gpointer data)
{
  open_media (CHAPTER_WINDOW (data), uri);
}

static void
on_seek_bar_seek (ChaptersGtkSeekBar * bar, gint64 position,
    ChapterWindow * self)
{
  if (self->player)
    chapter_player_seek (self->player, position);
}

static void
on_list_activate (GtkListView * view, guint position, ChapterWindow * self)
{
  g_autoptr (ChaptersGtkChapter) chapter =
      g_list_model_get_item (G_LIST_MODEL (self->model), position);

  if (self->player && chapter)
    chapter_player_seek_chapter (self->player,
        chapters_gtk_chapter_get_index (chapter));
}

static void
on_search_activate (GtkSearchEntry * entry, ChapterWindow * self)
{
  const gchar *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  GError *error = NULL;

  if (self->player == NULL || *text == '\0')
    return;
  if (chapter_player_seek_title (self->player, text, &error))
    show_error (self, NULL);
  else {
    show_error (self, error ? error->message : "No such chapter");
    g_clear_error (&error);
  }
}

static void
action_toggle (GtkWidget * widget, const char *name, GVariant * param)
{
  ChapterWindow *self = CHAPTER_WINDOW (widget);

  if (self->player)
    chapter_player_toggle (self->player);
}

static void
action_next (GtkWidget * widget, const char *name, GVariant * param)
{
  ChapterWindow *self = CHAPTER_WINDOW (widget);

  if (self->player && !chapter_player_next (self->player))
    show_error (self, "This is the last chapter.");
}

static void
action_previous (GtkWidget * widget, const char *name, GVariant * param)
{
  ChapterWindow *self = CHAPTER_WINDOW (widget);

  if (self->player)
    chapter_player_previous (self->player);
}

static void
action_skip (GtkWidget * widget, const char *name, GVariant * param)
{
  ChapterWindow *self = CHAPTER_WINDOW (widget);

  if (self->player)
    chapter_player_skip (self->player, g_str_equal (name, "win.back") ?
        -SKIP_BACK : SKIP_FORWARD);
}

static void
action_speed (GtkWidget * widget, const char *name, GVariant * param)
{
  ChapterWindow *self = CHAPTER_WINDOW (widget);

  if (self->player)
    chapter_player_step_rate (self->player, g_str_equal (name, "win.faster") ?
        1 : -1);
}

static void
action_search (GtkWidget * widget, const char *name, GVariant * param)
{
  gtk_widget_grab_focus (GTK_WIDGET (CHAPTER_WINDOW (widget)->search_entry));
}

static void
on_native_response (GtkNativeDialog * dialog, gint response,
    ChapterWindow * self)
{
  if (response == GTK_RESPONSE_ACCEPT) {
    g_autoptr (GFile) file =
        gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
    g_autofree gchar *uri = g_file_get_uri (file);

    open_media (self, uri);
  }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
action_open (GtkWidget * widget, const char *name, GVariant * param)
{
  GtkFileChooserNative *dialog =
      gtk_file_chooser_native_new ("Open an episode", GTK_WINDOW (widget),
      GTK_FILE_CHOOSER_ACTION_OPEN, "_Open", "_Cancel");

  g_signal_connect (dialog, "response", G_CALLBACK (on_native_response),
      widget);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_url_response (GtkDialog * dialog, gint response, ChapterWindow * self)
{
  GtkEntry *entry = g_object_get_data (G_OBJECT (dialog), "entry");

  if (response == GTK_RESPONSE_ACCEPT)
    open_media (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
action_open_url (GtkWidget * widget, const char *name, GVariant * param)
{
  GtkWidget *dialog = gtk_dialog_new_with_buttons ("Open a URL",
      GTK_WINDOW (widget), GTK_DIALOG_MODAL | GTK_DIALOG_USE_HEADER_BAR,
      "_Cancel", GTK_RESPONSE_CANCEL, "_Open", GTK_RESPONSE_ACCEPT, NULL);
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry),
      "https://example.com/episode.mp3");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_widget_set_margin_start (entry, 12);
  gtk_widget_set_margin_end (entry, 12);
  gtk_widget_set_margin_top (entry, 12);
  gtk_widget_set_margin_bottom (entry, 12);
  gtk_box_append (GTK_BOX (gtk_dialog_get_content_area (GTK_DIALOG (dialog))),
      entry);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect (dialog, "response", G_CALLBACK (on_url_response), widget);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
has_text (gpointer self, const gchar * text)
{
  return text != NULL && *text != '\0';
}

static gboolean
has_image (gpointer self, GdkTexture * image)
{
  return image != NULL;
}

static gchar *
current_icon (gpointer self, gboolean current)
{
  return g_strdup (current ? "media-playback-start-symbolic" : NULL);
}

static void
chapter_window_dispose (GObject * object)
{
  ChapterWindow *self = CHAPTER_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  close_player (self);
  g_clear_pointer (&self->mpris, chapter_mpris_free);
  g_clear_object (&self->model);
  g_clear_object (&self->cover);
  g_clear_pointer (&self->images_asked, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), CHAPTER_TYPE_WINDOW);
  G_OBJECT_CLASS (chapter_window_parent_class)->dispose (object);
}

static void
chapter_window_init (ChapterWindow * self)
{
  g_autoptr (GtkBuilderScope) scope = gtk_builder_cscope_new ();
  g_autoptr (GtkListItemFactory) factory = NULL;

  g_type_ensure (CHAPTERS_GTK_TYPE_SEEK_BAR);
  g_type_ensure (CHAPTERS_GTK_TYPE_CHAPTER);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->images_asked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  self->art = "none";
  {
    ChapterMprisOptions mpris = { "chapterplayer", "Chapter Player",
      "org.gstchapters.Player", mpris_raise, mpris_quit, mpris_open_uri, self
    };

    self->mpris = chapter_mpris_new (&mpris);
  }
  self->model = chapters_gtk_model_new ();
  {
    guint n;
    const gdouble *steps = chapter_player_rate_steps (&n);
    GtkStringList *speeds = gtk_string_list_new (NULL);

    for (guint i = 0; i < n; i++) {
      g_autofree gchar *label = g_strdup_printf ("%g×", steps[i]);

      gtk_string_list_append (speeds, label);
    }
    self->rate = opts.speed;
    gtk_drop_down_set_model (self->speed_dropdown, G_LIST_MODEL (speeds));
    gtk_drop_down_set_selected (self->speed_dropdown,
        speed_menu_position (opts.speed));
    g_object_unref (speeds);
  }
  chapters_gtk_seek_bar_set_model (self->seek_bar, self->model);
  gtk_builder_cscope_add_callback_symbol (GTK_BUILDER_CSCOPE (scope),
      "has_text", G_CALLBACK (has_text));
  gtk_builder_cscope_add_callback_symbol (GTK_BUILDER_CSCOPE (scope),
      "current_icon", G_CALLBACK (current_icon));
  gtk_builder_cscope_add_callback_symbol (GTK_BUILDER_CSCOPE (scope),
      "has_image", G_CALLBACK (has_image));
  factory = gtk_builder_list_item_factory_new_from_resource (scope,
      "/org/gstchapters/player/chapter-row.ui");
  gtk_list_view_set_factory (self->list_view, factory);
  gtk_list_view_set_model (self->list_view,
      GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL
              (g_object_ref (self->model)))));
  update_title (self);
}

static void
chapter_window_class_init (ChapterWindowClass * klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = chapter_window_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
      "/org/gstchapters/player/window.ui");
  gtk_widget_class_bind_template_child (widget_class, ChapterWindow,
      title_label);
  gtk_widget_class_bind_template_child (widget_class, ChapterWindow,
      chapter_label);
  gtk_widget_class_bind_template_child (widget_class, ChapterWindow,
      error_label);
  gtk_widget_class_bind_template_child (widget_class, ChapterWindow,
      error_revealer);
  gtk_widget_class_bind_template_child (widget_class, ChapterWindow,
      play_button);
  gtk_widget_class_bind_template_child (widget_class, ChapterWindow,
      list_view);
  gtk_widget_class_bind_template_child (widget_class, ChapterWindow,
      search_entry);
  gtk_widget_class_bind_template_child (widget_class, ChapterWindow,
      seek_bar);
  gtk_widget_class_bind_template_child (widget_class, ChapterWindow,
      speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ChapterWindow,
      link_button);
  gtk_widget_class_bind_template_child (widget_class, ChapterWindow,
      picture);
  gtk_widget_class_bind_template_child (widget_class, ChapterWindow,
      time_label);
  gtk_widget_class_bind_template_child (widget_class, ChapterWindow,
      episode_label);
  gtk_widget_class_bind_template_callback (widget_class, on_seek_bar_seek);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_speed_selected);

  gtk_widget_class_install_action (widget_class, "win.toggle", NULL,
      action_toggle);
  gtk_widget_class_install_action (widget_class, "win.next", NULL,
      action_next);
  gtk_widget_class_install_action (widget_class, "win.previous", NULL,
      action_previous);
  gtk_widget_class_install_action (widget_class, "win.search", NULL,
      action_search);
  gtk_widget_class_install_action (widget_class, "win.back", NULL,
      action_skip);
  gtk_widget_class_install_action (widget_class, "win.forward", NULL,
      action_skip);
  gtk_widget_class_install_action (widget_class, "win.slower", NULL,
      action_speed);
  gtk_widget_class_install_action (widget_class, "win.faster", NULL,
      action_speed);
  gtk_widget_class_install_action (widget_class, "win.open", NULL,
      action_open);
  gtk_widget_class_install_action (widget_class, "win.open-url", NULL,
      action_open_url);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space,
      GDK_CONTROL_MASK, "win.toggle", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right,
      GDK_CONTROL_MASK, "win.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left,
      GDK_CONTROL_MASK, "win.previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f,
      GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left,
      0, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right,
      0, "win.forward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_bracketleft,
      GDK_CONTROL_MASK, "win.slower", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_bracketright,
      GDK_CONTROL_MASK, "win.faster", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o,
      GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l,
      GDK_CONTROL_MASK, "win.open-url", NULL);
}

/* --screenshot: the window as the compositor would draw it, to a PNG, and
 * the displayed title on stdout; then quit. For tests. */
static void
save_screenshot (GdkFrameClock * clock, ChapterWindow * self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GdkPaintable *paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  GdkTexture *texture = NULL;
  gint w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node) {
    texture = gsk_renderer_render_texture (gtk_native_get_renderer
        (GTK_NATIVE (widget)), node, &GRAPHENE_RECT_INIT (0, 0, w, h));
    gsk_render_node_unref (node);
  }
  if (texture == NULL)
    g_print ("screenshot: nothing rendered (%dx%d)\n", w, h);
  else if (!gdk_texture_save_to_png (texture, opts.screenshot))
    g_print ("screenshot: cannot write %s\n", opts.screenshot);
  g_print ("title: %s\nchapter: %s\nchapters: %u\nepisode: %s\n"
      "time: %s\nspeed: %g\nposition: %" G_GINT64_FORMAT "\npicture: %s\n",
      gtk_label_get_text (self->title_label),
      gtk_label_get_text (self->chapter_label),
      g_list_model_get_n_items (G_LIST_MODEL (self->model)),
      gtk_label_get_text (self->episode_label),
      gtk_label_get_text (self->time_label),
      self->player ? chapter_player_get_rate (self->player) : 1.0,
      self->player ? chapter_player_get_position (self->player) : -1,
      self->art);
  g_clear_object (&texture);
  g_object_unref (paintable);
  g_signal_handlers_disconnect_by_func (clock, save_screenshot, self);
  gtk_window_destroy (GTK_WINDOW (self));
}

/* The window is painted from its last layout, which a label changed since
 * (the time, every second) leaves out of date: nothing to snapshot. Right
 * after a frame is painted, the layout is whole. */
static gboolean
take_screenshot (gpointer data)
{
  GtkWidget *widget = data;

  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
      G_CALLBACK (save_screenshot), widget);
  gtk_widget_queue_draw (widget);
  return G_SOURCE_REMOVE;
}

static gboolean
quit_window (gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
on_activate (GtkApplication * app, gpointer media)
{
  ChapterWindow *window = g_object_new (CHAPTER_TYPE_WINDOW, "application",
      app, NULL);

  gtk_window_present (GTK_WINDOW (window));
  if (media)
    open_media (window, media);
  if (opts.screenshot)
    g_timeout_add ((guint) ((opts.play_for >= 0 ? opts.play_for : 3) * 1000),
        take_screenshot, window);
  else if (opts.play_for >= 0)
    g_timeout_add ((guint) (opts.play_for * 1000), quit_window, window);
}

int
main (int argc, char **argv)
{
  GOptionEntry entries[] = {
    {"chapter", 'c', 0, G_OPTION_ARG_STRING, &opts.chapter,
        "Start in this chapter (number or title, any case)", "N|TITLE"},
    {"chapters", 0, 0, G_OPTION_ARG_STRING, &opts.chapters,
        "Chapters from this file or URL (any supported format)", "SRC"},
    {"no-audio", 0, 0, G_OPTION_ARG_NONE, &opts.no_audio,
        "Play in real time into a fake sink", NULL},
    {"play-for", 0, 0, G_OPTION_ARG_DOUBLE, &opts.play_for,
        "Quit after playing this long", "SECONDS"},
    {"speed", 's', 0, G_OPTION_ARG_DOUBLE, &opts.speed,
        "Play at this speed, the pitch kept (0.5 to 3)", "RATE"},
    {"no-resume", 0, 0, G_OPTION_ARG_NONE, &opts.no_resume,
        "Start from the beginning and do not keep the position", NULL},
    {"screenshot", 0, 0, G_OPTION_ARG_FILENAME, &opts.screenshot,
        "After --play-for seconds (default 3), save the window as a PNG, "
        "print the shown title and quit", "PNG"},
    {NULL}
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("[MEDIA]");
  g_autoptr (GtkApplication) app = NULL;
  GError *error = NULL;
  gchar *media = NULL;
  gint status;

  setlocale (LC_ALL, "");
  g_option_context_set_summary (ctx, "Play MEDIA (a file or an http(s) URL) "
      "showing the current chapter.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc > 2) {
    g_printerr ("chapterplayer-gtk: %s\n", error ? error->message :
        "at most one MEDIA (see --help)");
    return 2;
  }
  if (opts.speed < CHAPTER_PLAYER_MIN_RATE
      || opts.speed > CHAPTER_PLAYER_MAX_RATE) {
    g_printerr ("chapterplayer-gtk: --speed %g: the speed goes from %g to "
        "%g\n", opts.speed, CHAPTER_PLAYER_MIN_RATE, CHAPTER_PLAYER_MAX_RATE);
    return 2;
  }
  if (!chapter_player_init_gst (&error)) {
    g_printerr ("chapterplayer-gtk: %s\n", error->message);
    return 1;
  }
  if (argc == 2)
    media = argv[1];
  app = gtk_application_new ("org.gstchapters.Player",
      G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), media);
  status = g_application_run (G_APPLICATION (app), 1, argv);
  return status;
}
