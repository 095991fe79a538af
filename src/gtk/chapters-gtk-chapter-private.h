/* gstchapters-gtk: what the model does to its chapters. Not installed. */
#pragma once

#include "chapters-gtk-chapter.h"

G_BEGIN_DECLS

/* The list item for @chapter, the @index-th (1-based) of its list. */
ChaptersGtkChapter *chapters_gtk_chapter_new_for (GstChaptersChapter * chapter,
    guint index);
void chapters_gtk_chapter_set_current (ChaptersGtkChapter * chapter,
    gboolean current);

G_END_DECLS
