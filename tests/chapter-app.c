/* An application of gstchapters-1.0 as its users build it, against an
 * installed or packaged library (test-install.sh, test-deb.sh): prints
 * where the chapter SPEC of SOURCE starts.
 *   chapter-app SOURCE SPEC */
#include <gst/chapters/chapters.h>
int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GstChaptersList) list = NULL;
  gint i;

  gst_init (&argc, &argv);
  list = gst_chapters_list_load (argv[1], NULL, NULL, &error);
  if (list == NULL || (i = gst_chapters_list_lookup (list, argv[2], &error)) < 0) {
    g_printerr ("%s\n", error->message);
    return 1;
  }
  g_print ("%" GST_TIME_FORMAT "\n", GST_TIME_ARGS (gst_chapters_chapter_get_start
          (gst_chapters_list_get_chapter (list, i))));
  return 0;
}
