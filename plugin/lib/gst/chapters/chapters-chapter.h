/* gstchapters-1.0: one chapter. */
#pragma once

#include <gst/chapters/chapters-prelude.h>
#include <gst/gst.h>
#include <gio/gio.h>

G_BEGIN_DECLS

#define GST_CHAPTERS_TYPE_CHAPTER (gst_chapters_chapter_get_type ())
GST_CHAPTERS_API
G_DECLARE_FINAL_TYPE (GstChaptersChapter, gst_chapters_chapter, GST_CHAPTERS,
    CHAPTER, GObject);

GST_CHAPTERS_API
GstChaptersChapter *gst_chapters_chapter_new (GstClockTime start,
    const gchar * title);

GST_CHAPTERS_API
GstClockTime gst_chapters_chapter_get_start (GstChaptersChapter * chapter);
GST_CHAPTERS_API
void gst_chapters_chapter_set_start (GstChaptersChapter * chapter,
    GstClockTime start);
GST_CHAPTERS_API
GstClockTime gst_chapters_chapter_get_stop (GstChaptersChapter * chapter);
GST_CHAPTERS_API
void gst_chapters_chapter_set_stop (GstChaptersChapter * chapter,
    GstClockTime stop);
GST_CHAPTERS_API
const gchar *gst_chapters_chapter_get_title (GstChaptersChapter * chapter);
GST_CHAPTERS_API
void gst_chapters_chapter_set_title (GstChaptersChapter * chapter,
    const gchar * title);
GST_CHAPTERS_API
const gchar *gst_chapters_chapter_get_description (GstChaptersChapter *
    chapter);
GST_CHAPTERS_API
void gst_chapters_chapter_set_description (GstChaptersChapter * chapter,
    const gchar * description);
GST_CHAPTERS_API
const gchar *gst_chapters_chapter_get_url (GstChaptersChapter * chapter);
GST_CHAPTERS_API
void gst_chapters_chapter_set_url (GstChaptersChapter * chapter,
    const gchar * url);
GST_CHAPTERS_API
const gchar *gst_chapters_chapter_get_image_uri (GstChaptersChapter *
    chapter);
GST_CHAPTERS_API
void gst_chapters_chapter_set_image_uri (GstChaptersChapter * chapter,
    const gchar * uri);
GST_CHAPTERS_API
GBytes *gst_chapters_chapter_get_image (GstChaptersChapter * chapter);
GST_CHAPTERS_API
const gchar *gst_chapters_chapter_get_image_type (GstChaptersChapter *
    chapter);
GST_CHAPTERS_API
void gst_chapters_chapter_set_image (GstChaptersChapter * chapter,
    GBytes * image, const gchar * type);
GST_CHAPTERS_API
void gst_chapters_chapter_load_image_async (GstChaptersChapter * chapter,
    GCancellable * cancellable, GAsyncReadyCallback callback,
    gpointer user_data);
GST_CHAPTERS_API
GBytes *gst_chapters_chapter_load_image_finish (GstChaptersChapter * chapter,
    GAsyncResult * result, GError ** error);
GST_CHAPTERS_API
gboolean gst_chapters_chapter_get_hidden (GstChaptersChapter * chapter);
GST_CHAPTERS_API
void gst_chapters_chapter_set_hidden (GstChaptersChapter * chapter,
    gboolean hidden);

GST_CHAPTERS_API
guint gst_chapters_chapter_get_n_children (GstChaptersChapter * chapter);
GST_CHAPTERS_API
GstChaptersChapter *gst_chapters_chapter_get_child (GstChaptersChapter *
    chapter, guint index);
GST_CHAPTERS_API
void gst_chapters_chapter_append_child (GstChaptersChapter * chapter,
    GstChaptersChapter * child);

G_END_DECLS
