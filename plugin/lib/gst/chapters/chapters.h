/* gstchapters-1.0: an episode's chapters, from wherever they live.
 *
 * #include <gst/chapters/chapters.h>, pkg-config gstchapters-1.0, or
 * GstChapters-1.0 through GObject Introspection.
 */
#pragma once

#include <gst/chapters/chapters-prelude.h>
#include <gst/chapters/chapters-chapter.h>
#include <gst/chapters/chapters-list.h>
#include <gst/chapters/chapters-tags.h>

G_BEGIN_DECLS

/**
 * GST_CHAPTERS_ERROR:
 *
 * The error domain of the chapter readers, writers and title matching.
 */
#define GST_CHAPTERS_ERROR (gst_chapters_error_quark ())

/**
 * GstChaptersError:
 * @GST_CHAPTERS_ERROR_FORMAT: not a format the library reads (or writes)
 * @GST_CHAPTERS_ERROR_PARSE: malformed; the message names the line or offset
 * @GST_CHAPTERS_ERROR_LIMIT: over a resource limit (size, count, depth)
 * @GST_CHAPTERS_ERROR_EMPTY: well formed, but with no chapters
 * @GST_CHAPTERS_ERROR_MATCH: no chapter, or more than one, matches a title
 *
 * Errors in the %GST_CHAPTERS_ERROR domain.
 */
typedef enum
{
  GST_CHAPTERS_ERROR_FORMAT,
  GST_CHAPTERS_ERROR_PARSE,
  GST_CHAPTERS_ERROR_LIMIT,
  GST_CHAPTERS_ERROR_EMPTY,
  GST_CHAPTERS_ERROR_MATCH,
} GstChaptersError;

#define GST_CHAPTERS_TYPE_ERROR (gst_chapters_error_get_type ())
GST_CHAPTERS_API
GType gst_chapters_error_get_type (void);
GST_CHAPTERS_API
GQuark gst_chapters_error_quark (void);

GST_CHAPTERS_API
void gst_chapters_init (void);

GST_CHAPTERS_API
gchar **gst_chapters_get_formats (gboolean writable);

GST_CHAPTERS_API
const gchar *gst_chapters_format_get_description (const gchar * format);

G_END_DECLS
