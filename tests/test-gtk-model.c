/* The embeddable chapter model: fed from TOC and `chapter` messages. */
#include <gst/gst.h>
#include "chapters-gtk.h"
#include "chapter-toc.h"

static void
test_model (void)
{
  ChapterList *list = chapter_list_new ();
  ChaptersGtkModel *model = chapters_gtk_model_new ();
  GstObject *src = GST_OBJECT (gst_element_factory_make ("identity", NULL));
  GstToc *toc;
  GstMessage *msg;
  ChaptersGtkChapter *c;
  gchar *text = NULL;
  guint changed = 0;
  static const guchar red[4] = { 255, 0, 0, 255 };
  g_autoptr (GBytes) pixel = g_bytes_new_static (red, sizeof red);
  g_autoptr (GdkTexture) picture =
      gdk_memory_texture_new (1, 1, GDK_MEMORY_R8G8B8A8, pixel, 4);
  g_autoptr (GdkTexture) shown = NULL;

  chapter_list_add (list, chapter_new (60 * GST_SECOND, "Intro"));
  chapter_list_add (list, chapter_new (660 * GST_SECOND, "Prediction Limits"));
  /* a picture in the media (ID3 APIC in CHAP, an MP4 chapter track) */
  chapter_list_get (list, 1)->image = gdk_texture_save_to_png_bytes (picture);
  chapter_list_get (list, 1)->image_mime = g_strdup ("image/png");
  chapter_list_add (list, chapter_new (700 * GST_SECOND, "Hidden marker"));
  chapter_list_get (list, 2)->hidden = TRUE;
  chapter_list_finalize (list, 900 * GST_SECOND);
  toc = chapter_list_to_toc (list);

  g_signal_connect_swapped (model, "items-changed",
      G_CALLBACK (g_atomic_int_inc), &changed);
  msg = gst_message_new_toc (src, toc, FALSE);
  g_assert_true (chapters_gtk_model_handle_message (model, msg));
  gst_message_unref (msg);
  g_assert_cmpuint (changed, ==, 1);
  /* the hidden marker stays out of the list */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);
  c = g_list_model_get_item (G_LIST_MODEL (model), 1);
  g_assert_cmpstr (chapters_gtk_chapter_get_title (c), ==,
      "Prediction Limits");
  g_assert_cmpint (chapters_gtk_chapter_get_start (c), ==, 660 * GST_SECOND);
  g_object_get (c, "start-text", &text, NULL);
  g_assert_cmpstr (text, ==, "11:00");
  g_free (text);
  g_assert_false (chapters_gtk_chapter_get_current (c));
  g_object_get (c, "image", &shown, NULL);
  g_assert_nonnull (shown);
  g_assert_cmpint (gdk_texture_get_width (shown), ==, 1);

  msg = gst_message_new_element (src, gst_structure_new ("chapter", "index",
          G_TYPE_INT, 2, NULL));
  g_assert_true (chapters_gtk_model_handle_message (model, msg));
  gst_message_unref (msg);
  g_assert_cmpuint (chapters_gtk_model_get_current (model), ==, 2);
  g_assert_cmpstr (chapters_gtk_model_get_current_title (model), ==,
      "Prediction Limits");
  g_assert_true (chapters_gtk_chapter_get_current (c));
  g_assert_true (chapters_gtk_model_get_current_chapter (model) == c);

  chapters_gtk_model_set_position (model, 100 * GST_SECOND);
  g_assert_cmpuint (chapters_gtk_model_get_current (model), ==, 1);
  g_assert_false (chapters_gtk_chapter_get_current (c));
  chapters_gtk_model_set_position (model, 10 * GST_SECOND);
  g_assert_cmpuint (chapters_gtk_model_get_current (model), ==, 0);
  g_assert_null (chapters_gtk_model_get_current_title (model));
  g_assert_null (chapters_gtk_model_get_current_chapter (model));

  g_object_unref (c);
  g_object_unref (model);
  gst_toc_unref (toc);
  gst_object_unref (src);
  chapter_list_free (list);
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/gtk/model", test_model);
  return g_test_run ();
}
