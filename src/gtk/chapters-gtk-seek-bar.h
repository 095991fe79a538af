/* gstchapters-gtk: a seek bar with chapter marks. */
#pragma once

#include <gtk/gtk.h>
#include "chapters-gtk-model.h"

G_BEGIN_DECLS

#define CHAPTERS_GTK_TYPE_SEEK_BAR (chapters_gtk_seek_bar_get_type ())
G_DECLARE_FINAL_TYPE (ChaptersGtkSeekBar, chapters_gtk_seek_bar,
    CHAPTERS_GTK, SEEK_BAR, GtkWidget);

/* A seek bar with a mark (and its title) at each chapter start. Signal
 * "seek" (gint64 position) when the user moves it. */
GtkWidget *chapters_gtk_seek_bar_new (void);
void chapters_gtk_seek_bar_set_model (ChaptersGtkSeekBar * bar,
    ChaptersGtkModel * model);
void chapters_gtk_seek_bar_set_duration (ChaptersGtkSeekBar * bar,
    gint64 duration);
void chapters_gtk_seek_bar_set_position (ChaptersGtkSeekBar * bar,
    gint64 position);

G_END_DECLS
