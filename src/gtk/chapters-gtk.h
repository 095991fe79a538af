/* gstchapters-gtk: chapters for GTK 4 media players.
 *
 * A GListModel of chapters kept up to date from a pipeline's TOC and
 * `chapter` messages, and a seek bar with a mark per chapter. Works with any
 * playbin/GstPlay-based player that sets `audio-filter` to the `chapters`
 * element:
 *
 *   GstElement *filter = gst_element_factory_make ("chapters", NULL);
 *   g_object_set (playbin, "audio-filter", filter, NULL);
 *   ChaptersGtkModel *model = chapters_gtk_model_new ();
 *   // in the bus watch:
 *   chapters_gtk_model_handle_message (model, message);
 *   // a list view of chapters, and a seek bar that shows them:
 *   gtk_list_view_set_model (view, GTK_SELECTION_MODEL (
 *       gtk_single_selection_new (G_LIST_MODEL (g_object_ref (model)))));
 *   chapters_gtk_seek_bar_set_model (bar, model);
 */
#pragma once

#include "chapters-gtk-chapter.h"
#include "chapters-gtk-model.h"
#include "chapters-gtk-seek-bar.h"
