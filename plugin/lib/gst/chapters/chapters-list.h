/* gstchapters-1.0: an episode's chapter list. */
#pragma once

#include <gst/chapters/chapters-prelude.h>
#include <gst/chapters/chapters-chapter.h>
#include <gio/gio.h>

G_BEGIN_DECLS

#define GST_CHAPTERS_TYPE_LIST (gst_chapters_list_get_type ())
GST_CHAPTERS_API
G_DECLARE_FINAL_TYPE (GstChaptersList, gst_chapters_list, GST_CHAPTERS, LIST,
    GObject);

GST_CHAPTERS_API
GstChaptersList *gst_chapters_list_new (void);
GST_CHAPTERS_API
GstChaptersList *gst_chapters_list_new_from_bytes (GBytes * data,
    const gchar * media_uri, GError ** error);
GST_CHAPTERS_API
GstChaptersList *gst_chapters_list_new_from_toc (GstToc * toc);
GST_CHAPTERS_API
GstChaptersList *gst_chapters_list_load (const gchar * location,
    const gchar * media_uri, GCancellable * cancellable, GError ** error);
GST_CHAPTERS_API
void gst_chapters_list_load_async (const gchar * location,
    const gchar * media_uri, GCancellable * cancellable,
    GAsyncReadyCallback callback, gpointer user_data);
GST_CHAPTERS_API
GstChaptersList *gst_chapters_list_load_finish (GAsyncResult * result,
    GError ** error);

GST_CHAPTERS_API
guint gst_chapters_list_get_n_chapters (GstChaptersList * list);
GST_CHAPTERS_API
GstChaptersChapter *gst_chapters_list_get_chapter (GstChaptersList * list,
    guint index);
GST_CHAPTERS_API
void gst_chapters_list_append (GstChaptersList * list,
    GstChaptersChapter * chapter);
GST_CHAPTERS_API
GstClockTime gst_chapters_list_get_duration (GstChaptersList * list);
GST_CHAPTERS_API
void gst_chapters_list_set_duration (GstChaptersList * list,
    GstClockTime duration);
GST_CHAPTERS_API
const gchar *gst_chapters_list_get_format (GstChaptersList * list);
GST_CHAPTERS_API
const gchar *const *gst_chapters_list_get_warnings (GstChaptersList * list);

GST_CHAPTERS_API
void gst_chapters_list_sort (GstChaptersList * list);
GST_CHAPTERS_API
gint gst_chapters_list_find (GstChaptersList * list, GstClockTime position);
GST_CHAPTERS_API
gint gst_chapters_list_lookup (GstChaptersList * list, const gchar * spec,
    GError ** error);

GST_CHAPTERS_API
GstToc *gst_chapters_list_to_toc (GstChaptersList * list);
GST_CHAPTERS_API
gchar *gst_chapters_list_to_string (GstChaptersList * list,
    const gchar * format, GError ** error);

G_END_DECLS
