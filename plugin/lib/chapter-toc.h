/* gst-chapters: ChapterList <-> GstToc. */
#pragma once

#include <gst/gst.h>
#include "chapter-list.h"

G_BEGIN_DECLS

/* Custom tags on TOC entries, registered by chapter_toc_init(). */
#define CHAPTER_TAG_HIDDEN     "chapter-hidden"      /* gboolean */
#define CHAPTER_TAG_IMAGE_URI  "chapter-image-uri"   /* string */
/* The chapter's web link goes in GST_TAG_HOMEPAGE, its picture in
 * GST_TAG_IMAGE, its description in GST_TAG_DESCRIPTION. */

void chapter_toc_init (void);

/* A global TOC with one edition; entry uids are "chapter-N" (1-based) and
 * "chapter-N.M" for nested chapters. */
GstToc *chapter_list_to_toc (const ChapterList * list);

/* Reads the first edition of @toc (or its top-level chapters). */
ChapterList *chapter_list_from_toc (const GstToc * toc);

/* The top-level index of the chapter with entry uid @uid, or -1. */
gint chapter_toc_uid_to_index (const gchar * uid);

G_END_DECLS
