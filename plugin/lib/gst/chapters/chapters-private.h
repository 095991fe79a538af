/* gstchapters-1.0: between the public objects and the plain C model they
 * wrap (chapter-list.h). Not installed. */
#pragma once

#include "chapters.h"
#include "chapter-list.h"

G_BEGIN_DECLS

/* A chapter object that owns @core (and turns its children into objects). */
GstChaptersChapter *gst_chapters_chapter_new_take (Chapter * core);
/* Moves every Chapter of @from (left empty, its chapter_free kept) into a
 * new chapter object appended to @into. */
void gst_chapters_chapter_take_all (GPtrArray * into, GPtrArray * from);
/* A plain copy of @chapter with its children, for the readers' model. */
Chapter *gst_chapters_chapter_to_core (GstChaptersChapter * chapter);

/* A list object that owns @core; @format names where it came from. */
GstChaptersList *gst_chapters_list_new_take (ChapterList * core,
    const gchar * format);

G_END_DECLS
