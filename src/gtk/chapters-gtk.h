/* gstchapters-gtk: chapters for GTK 4 media players.
 *
 * A GListModel of chapters kept up to date from a pipeline's TOC and
 * `chapter` messages, and a seek bar with a mark per chapter. Works with any
 * playbin/GstPlay-based player that sets `audio-filter` to the `chapters`
 * element:
 *
 *   GstElement *filter = gst_element_factory_make ("chapters", NULL);
 *   g_object_set (playbin, "audio-filter", filter, NULL);
 *   ChaptersGtkModel *model = chapters_gtk_model_new ();
 *   // in the bus watch:
 *   chapters_gtk_model_handle_message (model, message);
 *   // a list view of chapters, and a seek bar that shows them:
 *   gtk_list_view_set_model (view, GTK_SELECTION_MODEL (
 *       gtk_single_selection_new (G_LIST_MODEL (g_object_ref (model)))));
 *   chapters_gtk_seek_bar_set_model (bar, model);
 */
#pragma once

#include <gtk/gtk.h>
#include <gst/gst.h>

G_BEGIN_DECLS

/**
 * chapters_gtk_format_time:
 * @ns: a time in nanoseconds (below 0: none)
 *
 * A time as players show it, as a chapter's "start-text" has it: "4:20",
 * "1:02:03".
 *
 * Returns: (transfer full): the text
 */
gchar *chapters_gtk_format_time (gint64 ns);

#define CHAPTERS_GTK_TYPE_CHAPTER (chapters_gtk_chapter_get_type ())
G_DECLARE_FINAL_TYPE (ChaptersGtkChapter, chapters_gtk_chapter, CHAPTERS_GTK,
    CHAPTER, GObject);

/* Properties: "index" (1-based), "title", "description", "url",
 * "image-uri", "image" (a GdkTexture of an embedded picture), "start",
 * "stop" (ns; stop -1 when unknown), "start-text" ("11:00"), "current"
 * (the chapter playing now). */
guint chapters_gtk_chapter_get_index (ChaptersGtkChapter * chapter);
/**
 * chapters_gtk_chapter_get_title:
 * @chapter: a chapter
 *
 * Returns: (nullable): its title
 */
const gchar *chapters_gtk_chapter_get_title (ChaptersGtkChapter * chapter);
gint64 chapters_gtk_chapter_get_start (ChaptersGtkChapter * chapter);
gint64 chapters_gtk_chapter_get_stop (ChaptersGtkChapter * chapter);
gboolean chapters_gtk_chapter_get_current (ChaptersGtkChapter * chapter);

#define CHAPTERS_GTK_TYPE_MODEL (chapters_gtk_model_get_type ())
G_DECLARE_FINAL_TYPE (ChaptersGtkModel, chapters_gtk_model, CHAPTERS_GTK,
    MODEL, GObject);

/* A GListModel of ChaptersGtkChapter (listed chapters only: markers that a
 * source hides stay out). Property "current" is the 1-based number of the
 * chapter playing (0: none); "current-title" its title. */
/**
 * chapters_gtk_model_new:
 *
 * Returns: (transfer full): a model with no chapters
 */
ChaptersGtkModel *chapters_gtk_model_new (void);
void chapters_gtk_model_set_toc (ChaptersGtkModel * model, GstToc * toc);
/* Feed it the bus messages: TOC messages and the element's `chapter`
 * messages. Returns TRUE when the message was one of those. */
gboolean chapters_gtk_model_handle_message (ChaptersGtkModel * model,
    GstMessage * message);
/* Or tell it the position heard (ns) and let it find the chapter. */
void chapters_gtk_model_set_position (ChaptersGtkModel * model,
    gint64 position);
guint chapters_gtk_model_get_current (ChaptersGtkModel * model);
/**
 * chapters_gtk_model_get_current_title:
 * @model: a model
 *
 * Returns: (nullable): the title of the chapter playing, or %NULL
 */
const gchar *chapters_gtk_model_get_current_title (ChaptersGtkModel * model);

#define CHAPTERS_GTK_TYPE_SEEK_BAR (chapters_gtk_seek_bar_get_type ())
G_DECLARE_FINAL_TYPE (ChaptersGtkSeekBar, chapters_gtk_seek_bar,
    CHAPTERS_GTK, SEEK_BAR, GtkWidget);

/* A seek bar with a mark (and its title) at each chapter start. Signal
 * "seek" (gint64 position) when the user moves it. */
/**
 * chapters_gtk_seek_bar_new:
 *
 * Returns: (transfer floating) (type ChaptersGtkSeekBar): a seek bar
 */
GtkWidget *chapters_gtk_seek_bar_new (void);
/**
 * chapters_gtk_seek_bar_set_model:
 * @bar: a seek bar
 * @model: (nullable): the chapters to mark, or %NULL
 */
void chapters_gtk_seek_bar_set_model (ChaptersGtkSeekBar * bar,
    ChaptersGtkModel * model);
void chapters_gtk_seek_bar_set_duration (ChaptersGtkSeekBar * bar,
    gint64 duration);
void chapters_gtk_seek_bar_set_position (ChaptersGtkSeekBar * bar,
    gint64 position);

G_END_DECLS
