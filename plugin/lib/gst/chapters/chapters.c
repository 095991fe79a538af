/* gstchapters-1.0: set-up, errors and the list of formats. */
#include "chapters-private.h"
#include "chapter-format.h"
#include "chapter-toc.h"

G_STATIC_ASSERT ((gint) GST_CHAPTERS_ERROR_FORMAT == CHAPTER_ERROR_FORMAT);
G_STATIC_ASSERT ((gint) GST_CHAPTERS_ERROR_MATCH == CHAPTER_ERROR_MATCH);

G_DEFINE_ENUM_TYPE (GstChaptersError, gst_chapters_error,
    G_DEFINE_ENUM_VALUE (GST_CHAPTERS_ERROR_FORMAT, "format"),
    G_DEFINE_ENUM_VALUE (GST_CHAPTERS_ERROR_PARSE, "parse"),
    G_DEFINE_ENUM_VALUE (GST_CHAPTERS_ERROR_LIMIT, "limit"),
    G_DEFINE_ENUM_VALUE (GST_CHAPTERS_ERROR_EMPTY, "empty"),
    G_DEFINE_ENUM_VALUE (GST_CHAPTERS_ERROR_MATCH, "match"));

/**
 * gst_chapters_error_quark:
 *
 * The quark of the %GST_CHAPTERS_ERROR domain.
 *
 * Returns: the %GST_CHAPTERS_ERROR domain
 */
GQuark
gst_chapters_error_quark (void)
{
  return chapter_error_quark ();
}

/**
 * gst_chapters_init:
 *
 * Registers the tags the chapters carry in a #GstToc
 * (%GST_CHAPTERS_TAG_HIDDEN, %GST_CHAPTERS_TAG_IMAGE_URI). Call it once
 * after gst_init(); the functions that make or read a TOC call it too.
 */
void
gst_chapters_init (void)
{
  chapter_toc_init ();
}

/**
 * gst_chapters_get_formats:
 * @writable: only the formats gst_chapters_list_to_string() writes
 *
 * The chapter formats by name ("json", "psc", "rss", "vtt", "cue",
 * "ffmetadata"...). Any of them is read by gst_chapters_list_load(), told
 * by content.
 *
 * Returns: (transfer full) (array zero-terminated=1): their names
 */
gchar **
gst_chapters_get_formats (gboolean writable)
{
  const ChapterFormat *const *formats = chapter_formats ();
  GStrvBuilder *names = g_strv_builder_new ();
  gchar **result;
  guint i;

  for (i = 0; formats[i]; i++)
    if (!writable || formats[i]->write)
      g_strv_builder_add (names, formats[i]->name);
  result = g_strv_builder_end (names);
  g_strv_builder_unref (names);
  return result;
}

/**
 * gst_chapters_format_get_description:
 * @format: a format's name
 *
 * Describes a chapter format.
 *
 * Returns: (nullable): what the format is, in a few words, or %NULL for
 *   one the library does not know
 */
const gchar *
gst_chapters_format_get_description (const gchar * format)
{
  const ChapterFormat *f;

  g_return_val_if_fail (format != NULL, NULL);
  f = chapter_format_by_name (format);
  return f ? f->description : NULL;
}
