/* gstchapters-gtk: one chapter of the model, and the time format. */
#pragma once

#include <gtk/gtk.h>
#include <gst/chapters/chapters.h>

G_BEGIN_DECLS

gchar *chapters_gtk_format_time (gint64 ns);

#define CHAPTERS_GTK_TYPE_CHAPTER (chapters_gtk_chapter_get_type ())
G_DECLARE_FINAL_TYPE (ChaptersGtkChapter, chapters_gtk_chapter, CHAPTERS_GTK,
    CHAPTER, GObject);

/* A chapter as the model lists it. Properties: "chapter" (the
 * GstChaptersChapter), "index" (1-based), "title", "description", "url",
 * "image-uri", "image" (a GdkTexture of an embedded picture), "start",
 * "stop" (ns; stop -1 when unknown), "start-text" ("11:00"), "current"
 * (the chapter playing now). */
GstChaptersChapter *chapters_gtk_chapter_get_chapter (ChaptersGtkChapter *
    chapter);
guint chapters_gtk_chapter_get_index (ChaptersGtkChapter * chapter);
const gchar *chapters_gtk_chapter_get_title (ChaptersGtkChapter * chapter);
gint64 chapters_gtk_chapter_get_start (ChaptersGtkChapter * chapter);
gint64 chapters_gtk_chapter_get_stop (ChaptersGtkChapter * chapter);
gboolean chapters_gtk_chapter_get_current (ChaptersGtkChapter * chapter);

G_END_DECLS
