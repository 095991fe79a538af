/* gstchapters-1.0 as an application uses it: only its public header and
 * the library's exported symbols (this test does not link the core). */
#include <string.h>
#include <gst/chapters/chapters.h>

static gchar *
source_file (const gchar * name)
{
  return g_build_filename (g_getenv ("CHAPTER_SOURCE_ROOT"), "data", name,
      NULL);
}

static gchar *
episode_file (const gchar * name)
{
  return g_build_filename (g_getenv ("CHAPTER_BUILD_ROOT"), "data", name,
      NULL);
}

static void
assert_episode (GstChaptersList * list)
{
  GstChaptersChapter *c;

  g_assert_cmpuint (gst_chapters_list_get_n_chapters (list), ==, 7);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 7);
  c = gst_chapters_list_get_chapter (list, 3);
  g_assert_cmpstr (gst_chapters_chapter_get_title (c), ==,
      "Prediction Limits");
  g_assert_cmpuint (gst_chapters_chapter_get_start (c), ==, 660 * GST_SECOND);
  g_assert_cmpuint (gst_chapters_chapter_get_stop (c), ==,
      gst_chapters_chapter_get_start (gst_chapters_list_get_chapter (list,
              4)));
  g_assert_null (gst_chapters_list_get_chapter (list, 7));
}

/* every place chapters live: a sidecar, the media file itself */
static void
test_load (void)
{
  const struct
  {
    const gchar *name;
    gboolean built;
    const gchar *format;
  } cases[] = {
    {"episode.json", FALSE, "json"},
    {"episode.cue", FALSE, "cue"},
    {"episode.html", FALSE, "shownotes"},
    {"episode-vbr.mp3", TRUE, "id3"},
    {"episode.m4a", TRUE, NULL},
    {"episode.flac", TRUE, NULL},
    {"episode.mka", TRUE, NULL},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    g_autofree gchar *path = cases[i].built ? episode_file (cases[i].name)
        : source_file (cases[i].name);
    g_autoptr (GError) error = NULL;
    g_autoptr (GstChaptersList) list = NULL;

    list = gst_chapters_list_load (path, NULL, NULL, &error);
    g_assert_no_error (error);
    assert_episode (list);
    g_assert_nonnull (gst_chapters_list_get_format (list));
    if (cases[i].format)
      g_assert_cmpstr (gst_chapters_list_get_format (list), ==,
          cases[i].format);
  }
}

/* errors say what and where, in the library's domain */
static void
test_errors (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) broken = g_bytes_new_static ("{\"version\": \"1.2.0\", "
      "\"chapters\": [{\"startTime\": ", 42);
  g_autoptr (GBytes) nothing = g_bytes_new_static ("", 0);
  g_autofree gchar *name = NULL;
  GstChaptersList *list;

  list = gst_chapters_list_new_from_bytes (broken, NULL, &error);
  g_assert_null (list);
  g_assert_error (error, GST_CHAPTERS_ERROR, GST_CHAPTERS_ERROR_PARSE);
  g_clear_error (&error);

  list = gst_chapters_list_new_from_bytes (nothing, NULL, &error);
  g_assert_null (list);
  g_assert_error (error, GST_CHAPTERS_ERROR, GST_CHAPTERS_ERROR_FORMAT);
  g_clear_error (&error);

  list = gst_chapters_list_load ("/nonexistent/episode.json", NULL, NULL,
      &error);
  g_assert_null (list);
  g_assert_nonnull (strstr (error->message, "/nonexistent/episode.json"));
  g_clear_error (&error);

  name = g_enum_to_string (GST_CHAPTERS_TYPE_ERROR, GST_CHAPTERS_ERROR_MATCH);
  g_assert_cmpstr (name, ==, "GST_CHAPTERS_ERROR_MATCH");
}

/* built by hand, sorted, written, read back, through a TOC and back */
static void
test_build_write_read (void)
{
  g_autoptr (GstChaptersList) list = gst_chapters_list_new ();
  g_autoptr (GstChaptersList) again = NULL;
  g_autoptr (GstChaptersList) from_toc = NULL;
  g_autoptr (GstChaptersChapter) intro = gst_chapters_chapter_new (0, "Intro");
  g_autoptr (GstChaptersChapter) limits = NULL;
  g_autoptr (GstChaptersChapter) marker = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autofree gchar *json = NULL;
  GstToc *toc;
  guint changed = 0;
  gchar *text;

  g_signal_connect_swapped (list, "items-changed",
      G_CALLBACK (g_atomic_int_inc), &changed);
  limits = gst_chapters_chapter_new (660 * GST_SECOND, "Prediction Limits");
  gst_chapters_chapter_set_url (limits, "https://example.org/limits");
  marker = g_object_new (GST_CHAPTERS_TYPE_CHAPTER, "start",
      (guint64) 700 * GST_SECOND, "title", "Ad", "hidden", TRUE, NULL);
  /* out of order: sorting puts them right and fills the stops */
  gst_chapters_list_append (list, limits);
  gst_chapters_list_append (list, marker);
  gst_chapters_list_append (list, intro);
  gst_chapters_list_set_duration (list, 900 * GST_SECOND);
  gst_chapters_list_sort (list);
  g_assert_cmpuint (changed, ==, 4);
  g_assert_cmpstr (gst_chapters_chapter_get_title
      (gst_chapters_list_get_chapter (list, 0)), ==, "Intro");
  g_assert_cmpuint (gst_chapters_chapter_get_stop
      (gst_chapters_list_get_chapter (list, 0)), ==, 660 * GST_SECOND);
  g_assert_cmpuint (gst_chapters_chapter_get_stop
      (gst_chapters_list_get_chapter (list, 2)), ==, 900 * GST_SECOND);
  g_assert_cmpint (gst_chapters_list_find (list, 30 * GST_SECOND), ==, 0);
  g_assert_cmpint (gst_chapters_list_find (list, 661 * GST_SECOND), ==, 1);

  g_assert_cmpint (gst_chapters_list_lookup (list, "prediction", NULL), ==,
      1);
  g_assert_cmpint (gst_chapters_list_lookup (list, "2", NULL), ==, 1);
  g_assert_cmpint (gst_chapters_list_lookup (list, "9", &error), ==, -1);
  g_assert_error (error, GST_CHAPTERS_ERROR, GST_CHAPTERS_ERROR_MATCH);
  g_clear_error (&error);

  json = gst_chapters_list_to_string (list, "json", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (json, "\"toc\": false"));
  bytes = g_bytes_new (json, strlen (json));
  again = gst_chapters_list_new_from_bytes (bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gst_chapters_list_get_format (again), ==, "json");
  g_assert_cmpuint (gst_chapters_list_get_n_chapters (again), ==, 3);
  g_assert_true (gst_chapters_chapter_get_hidden
      (gst_chapters_list_get_chapter (again, 2)));
  g_assert_cmpstr (gst_chapters_chapter_get_url
      (gst_chapters_list_get_chapter (again, 1)), ==,
      "https://example.org/limits");

  text = gst_chapters_list_to_string (list, "no-such-format", &error);
  g_assert_null (text);
  g_assert_error (error, GST_CHAPTERS_ERROR, GST_CHAPTERS_ERROR_FORMAT);
  g_clear_error (&error);

  toc = gst_chapters_list_to_toc (list);
  from_toc = gst_chapters_list_new_from_toc (toc);
  gst_toc_unref (toc);
  g_assert_cmpuint (gst_chapters_list_get_n_chapters (from_toc), ==, 3);
  g_assert_true (gst_chapters_chapter_get_hidden
      (gst_chapters_list_get_chapter (from_toc, 2)));
  g_assert_cmpstr (gst_chapters_chapter_get_url
      (gst_chapters_list_get_chapter (from_toc, 1)), ==,
      "https://example.org/limits");
  g_assert_cmpuint (gst_chapters_chapter_get_start
      (gst_chapters_list_get_chapter (from_toc, 1)), ==, 660 * GST_SECOND);
}

/* nesting survives a TOC */
static void
test_children (void)
{
  g_autoptr (GstChaptersList) list = gst_chapters_list_new ();
  g_autoptr (GstChaptersList) back = NULL;
  g_autoptr (GstChaptersChapter) part = gst_chapters_chapter_new (0, "Part");
  g_autoptr (GstChaptersChapter) sub = gst_chapters_chapter_new (GST_SECOND,
      "Sub");
  GstChaptersChapter *c;
  GstToc *toc;

  gst_chapters_chapter_append_child (part, sub);
  gst_chapters_list_append (list, part);
  toc = gst_chapters_list_to_toc (list);
  back = gst_chapters_list_new_from_toc (toc);
  gst_toc_unref (toc);
  c = gst_chapters_list_get_chapter (back, 0);
  g_assert_cmpuint (gst_chapters_chapter_get_n_children (c), ==, 1);
  g_assert_cmpstr (gst_chapters_chapter_get_title
      (gst_chapters_chapter_get_child (c, 0)), ==, "Sub");
  g_assert_null (gst_chapters_chapter_get_child (c, 1));
}

static void
loaded (GObject * source, GAsyncResult * result, gpointer data)
{
  GstChaptersList **out = data;
  g_autoptr (GError) error = NULL;

  *out = gst_chapters_list_load_finish (result, &error);
  g_assert_no_error (error);
}

/* off the main thread, as a GTK player loads them */
static void
test_load_async (void)
{
  g_autofree gchar *path = source_file ("episode.vtt");
  g_autoptr (GstChaptersList) list = NULL;

  gst_chapters_list_load_async (path, NULL, NULL, loaded, &list);
  while (list == NULL)
    g_main_context_iteration (NULL, TRUE);
  assert_episode (list);
}

static void
image_loaded (GObject * source, GAsyncResult * result, gpointer data)
{
  GError **error = data;
  GBytes *bytes = gst_chapters_chapter_load_image_finish
      (GST_CHAPTERS_CHAPTER (source), result, error);

  g_assert_true ((bytes == NULL) != (*error == NULL));
  g_clear_pointer (&bytes, g_bytes_unref);
}

/* a Podcasting 2.0 img fetched once, then the chapter's own; a missing
 * one named */
static void
test_load_image (void)
{
  g_autofree gchar *path = source_file ("episode.json");
  g_autofree gchar *uri = g_filename_to_uri (path, NULL, NULL);
  g_autoptr (GstChaptersChapter) chapter = gst_chapters_chapter_new (0, "A");
  g_autoptr (GstChaptersChapter) missing = gst_chapters_chapter_new (0, "B");
  g_autoptr (GError) error = NULL;
  g_autofree gchar *contents = NULL;
  gsize length;
  guint notified = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  gst_chapters_chapter_set_image_uri (chapter, uri);
  g_signal_connect_swapped (chapter, "notify::image",
      G_CALLBACK (g_atomic_int_inc), &notified);
  gst_chapters_chapter_load_image_async (chapter, NULL, image_loaded, &error);
  while (notified == 0 && error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (gst_chapters_chapter_get_image
          (chapter)), ==, length);

  gst_chapters_chapter_set_image_uri (missing, "/nonexistent/chapter.png");
  gst_chapters_chapter_load_image_async (missing, NULL, image_loaded, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (strstr (error->message, "/nonexistent/chapter.png"));
  g_assert_null (gst_chapters_chapter_get_image (missing));
}

static void
test_formats (void)
{
  g_auto (GStrv) all = gst_chapters_get_formats (FALSE);
  g_auto (GStrv) writable = gst_chapters_get_formats (TRUE);

  g_assert_true (g_strv_contains ((const gchar * const *) all, "rss"));
  g_assert_false (g_strv_contains ((const gchar * const *) writable, "rss"));
  g_assert_true (g_strv_contains ((const gchar * const *) writable, "vtt"));
  g_assert_cmpuint (g_strv_length (writable), <, g_strv_length (all));
  g_assert_nonnull (gst_chapters_format_get_description ("cue"));
  g_assert_null (gst_chapters_format_get_description ("no-such-format"));
}

int
main (int argc, char **argv)
{
  gst_init (&argc, &argv);
  gst_chapters_init ();
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/library/load", test_load);
  g_test_add_func ("/library/errors", test_errors);
  g_test_add_func ("/library/build-write-read", test_build_write_read);
  g_test_add_func ("/library/children", test_children);
  g_test_add_func ("/library/load-async", test_load_async);
  g_test_add_func ("/library/load-image", test_load_image);
  g_test_add_func ("/library/formats", test_formats);
  return g_test_run ();
}
