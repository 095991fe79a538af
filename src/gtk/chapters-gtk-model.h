/* gstchapters-gtk: the chapter list model. */
#pragma once

#include <gst/gst.h>
#include <gst/chapters/chapters.h>
#include "chapters-gtk-chapter.h"

G_BEGIN_DECLS

#define CHAPTERS_GTK_TYPE_MODEL (chapters_gtk_model_get_type ())
G_DECLARE_FINAL_TYPE (ChaptersGtkModel, chapters_gtk_model, CHAPTERS_GTK,
    MODEL, GObject);

/* A GListModel of ChaptersGtkChapter (listed chapters only: markers that a
 * source hides stay out). Property "current" is the 1-based number of the
 * chapter playing (0: none); "current-title" its title. */
ChaptersGtkModel *chapters_gtk_model_new (void);
void chapters_gtk_model_set_chapters (ChaptersGtkModel * model,
    GstChaptersList * chapters);
void chapters_gtk_model_set_toc (ChaptersGtkModel * model, GstToc * toc);
/* Feed it the bus messages: TOC messages and the element's `chapter`
 * messages. Returns TRUE when the message was one of those. */
gboolean chapters_gtk_model_handle_message (ChaptersGtkModel * model,
    GstMessage * message);
/* Or tell it the position heard (ns) and let it find the chapter. */
void chapters_gtk_model_set_position (ChaptersGtkModel * model,
    gint64 position);
guint chapters_gtk_model_get_current (ChaptersGtkModel * model);
ChaptersGtkChapter *chapters_gtk_model_get_current_chapter (ChaptersGtkModel *
    model);
const gchar *chapters_gtk_model_get_current_title (ChaptersGtkModel * model);

G_END_DECLS
