/* gst-chapters: ChapterList <-> GstToc. */
#pragma once

#include <gst/gst.h>
#include "chapter-list.h"
#include "gst/chapters/chapters-tags.h"

G_BEGIN_DECLS

/* Custom tags on TOC entries (GST_CHAPTERS_TAG_HIDDEN and _IMAGE_URI),
 * registered by chapter_toc_init(). */

void chapter_toc_init (void);

/* A global TOC with one edition; entry uids are "chapter-N" (1-based) and
 * "chapter-N.M" for nested chapters. */
GstToc *chapter_list_to_toc (const ChapterList * list);

/* Reads the first edition of @toc (or its top-level chapters). */
ChapterList *chapter_list_from_toc (const GstToc * toc);

/* The top-level index of the chapter with entry uid @uid, or -1. */
gint chapter_toc_uid_to_index (const gchar * uid);

G_END_DECLS
