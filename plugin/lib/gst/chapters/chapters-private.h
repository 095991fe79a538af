/* gstchapters-1.0: between the public objects and the plain C model they
 * wrap (chapter-list.h). Not installed. */
#pragma once

#include "chapters.h"
#include "chapter-list.h"

G_BEGIN_DECLS

/* A chapter object that owns @core (and turns its children into objects). */
GstChaptersChapter *gst_chapters_chapter_new_take (Chapter * core);
/* A plain copy of @chapter with its children, for the readers' model. */
Chapter *gst_chapters_chapter_to_core (GstChaptersChapter * chapter);

/* A list object that owns @core; @format names where it came from. */
GstChaptersList *gst_chapters_list_new_take (ChapterList * core,
    const gchar * format);

G_END_DECLS
