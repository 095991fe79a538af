/* Conformance: every vector in ../shared/vectors with an expected answer,
 * read through the library the way `gst-chapters show` reads it.
 * Skips cleanly when the vectors folder is absent. And the corpus in
 * tests/corpus: show notes and descriptions as people write them, each
 * with the chapters a listener expects (none for the negatives), with the
 * recall and the false chapters printed per group. */
#include <gst/gst.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "chapter-source.h"
#include "audio-compare.h"

static gchar *vectors_dir;
static JsonObject *expected;
static JsonObject *notes;

static gdouble
ns_to_ms (gint64 ns)
{
  return ns / 1e6;
}

static void
check_chapter (const gchar * file, const gchar * where, JsonObject * want,
    const Chapter * got, gdouble tolerance)
{
  gdouble start = json_object_get_double_member (want, "start_ms");

  if (fabs (ns_to_ms (got->start) - start) > tolerance)
    g_error ("%s %s: start %.3f ms, expected %.3f ms", file, where,
        ns_to_ms (got->start), start);

  if (json_object_has_member (want, "title")) {
    JsonNode *t = json_object_get_member (want, "title");

    if (JSON_NODE_HOLDS_NULL (t)) {
      if (got->title && *got->title)
        g_error ("%s %s: title \"%s\", expected none", file, where,
            got->title);
    } else if (g_strcmp0 (got->title, json_node_get_string (t)) != 0) {
      g_error ("%s %s: title \"%s\", expected \"%s\"", file, where,
          got->title ? got->title : "(null)", json_node_get_string (t));
    }
  }
  if (json_object_has_member (want, "end_ms")) {
    gdouble end = json_object_get_double_member (want, "end_ms");

    if (got->end == CHAPTER_TIME_NONE || fabs (ns_to_ms (got->end) - end) >
        tolerance)
      g_error ("%s %s: end %.3f ms, expected %.3f ms", file, where,
          got->end == CHAPTER_TIME_NONE ? -1.0 : ns_to_ms (got->end), end);
  }
  if (json_object_has_member (want, "url")
      && g_strcmp0 (got->url, json_object_get_string_member (want, "url")))
    g_error ("%s %s: url \"%s\", expected \"%s\"", file, where,
        got->url ? got->url : "(null)",
        json_object_get_string_member (want, "url"));
  if (json_object_has_member (want, "image")) {
    JsonNode *image = json_object_get_member (want, "image");

    if (json_node_get_value_type (image) == G_TYPE_STRING) {
      if (g_strcmp0 (got->image_url, json_node_get_string (image)))
        g_error ("%s %s: image \"%s\", expected \"%s\"", file, where,
            got->image_url ? got->image_url : "(null)",
            json_node_get_string (image));
    } else if (json_node_get_boolean (image) != (got->image != NULL
            || got->image_url != NULL)) {
      g_error ("%s %s: image %s, expected %s", file, where,
          got->image ? "present" : "absent",
          json_node_get_boolean (image) ? "present" : "absent");
    }
  }
  if (json_object_has_member (want, "in_toc")
      && json_object_get_boolean_member (want, "in_toc") == got->hidden)
    g_error ("%s %s: hidden=%d, expected in_toc=%d", file, where,
        got->hidden, json_object_get_boolean_member (want, "in_toc"));
  if (json_object_has_member (want, "hidden")
      && json_object_get_boolean_member (want, "hidden") != got->hidden)
    g_error ("%s %s: hidden=%d, expected %d", file, where, got->hidden,
        json_object_get_boolean_member (want, "hidden"));
  if (json_object_has_member (want, "performer")
      && g_strcmp0 (got->performer,
          json_object_get_string_member (want, "performer")))
    g_error ("%s %s: performer \"%s\", expected \"%s\"", file, where,
        got->performer ? got->performer : "(null)",
        json_object_get_string_member (want, "performer"));
  if (json_object_has_member (want, "children")) {
    JsonArray *children = json_object_get_array_member (want, "children");
    guint i;

    if (json_array_get_length (children) != got->children->len)
      g_error ("%s %s: %u sub-chapters, expected %u", file, where,
          got->children->len, json_array_get_length (children));
    for (i = 0; i < got->children->len; i++) {
      g_autofree gchar *sub = g_strdup_printf ("%s.%u", where, i + 1);

      check_chapter (file, sub, json_array_get_object_element (children, i),
          g_ptr_array_index (got->children, i), tolerance);
    }
  }
}

static void
test_vector (gconstpointer data)
{
  const gchar *file = data;
  g_autofree gchar *path = g_build_filename (vectors_dir, file, NULL);
  JsonArray *want = json_object_get_array_member (expected, file);
  g_autoptr (ChapterList) list = NULL;
  GError *error = NULL;
  gdouble tolerance = 1.0;
  guint i;

  list = chapter_source_load (path, NULL, NULL, NULL, &error);
  if (json_array_get_length (want) == 0) {
    /* a negative vector: no chapters, and no failure to read it */
    g_assert_true (list == NULL || chapter_list_length (list) == 0);
    g_clear_error (&error);
    return;
  }
  if (list == NULL)
    g_error ("%s: %s", file, error->message);
  if (chapter_list_length (list) != json_array_get_length (want))
    g_error ("%s: %u chapters, expected %u", file, chapter_list_length (list),
        json_array_get_length (want));
  for (i = 0; i < chapter_list_length (list); i++) {
    g_autofree gchar *where = g_strdup_printf ("chapter %u", i + 1);

    check_chapter (file, where, json_array_get_object_element (want, i),
        chapter_list_get (list, i), tolerance);
  }
}

/* The same through `gst-chapters show --json`, as scripts use it. */
static void
test_tool (gconstpointer data)
{
  const gchar *file = data;
  g_autofree gchar *path = g_build_filename (vectors_dir, file, NULL);
  const gchar *argv[] = { GST_CHAPTERS_TOOL, "show", path, "--json", NULL };
  g_autofree gchar *out = NULL, *err = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *want = json_object_get_array_member (expected, file), *got;
  gint status;
  guint i;

  g_assert_true (g_spawn_sync (NULL, (gchar **) argv, NULL, 0, NULL, NULL,
          &out, &err, &status, NULL));
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s: gst-chapters failed: %s", file, err);
  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  got = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (got), ==,
      json_array_get_length (want));
  for (i = 0; i < json_array_get_length (got); i++) {
    JsonObject *g = json_array_get_object_element (got, i);
    JsonObject *w = json_array_get_object_element (want, i);

    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (g,
            "start_ms"), json_object_get_double_member (w, "start_ms"), 1.0);
    if (json_object_has_member (w, "title")
        && !json_object_get_null_member (w, "title"))
      g_assert_cmpstr (json_object_get_string_member (g, "title"), ==,
          json_object_get_string_member (w, "title"));
    if (json_object_has_member (w, "url"))
      g_assert_cmpstr (json_object_get_string_member (g, "url"), ==,
          json_object_get_string_member (w, "url"));
    if (json_object_has_member (w, "in_toc"))
      g_assert_true (json_object_get_boolean_member (g, "hidden") !=
          json_object_get_boolean_member (w, "in_toc"));
  }
}

/* A pipeline has stalled when its position has not moved for this long;
 * it is given at most STALL_LIMIT in all. (A fixed minute was too short
 * for a 44-minute AAC decode under ASan, whose malloc unwinds slowly:
 * the thread dump of that "stall" showed avdec_aac allocating, at 35:36
 * and 40:19 in two runs.) */
#define STALL_SECONDS 20
#define STALL_LIMIT (300 * GST_SECOND)

/* EOS or an error, or NULL when the pipeline stalled or ran out of time. */
static GstMessage *
wait_while_progressing (GstElement * pipeline, GstBus * bus)
{
  gint64 last = -1, position;
  GstClockTime waited = 0, still = 0;
  const GstClockTime step = GST_SECOND;

  while (waited < STALL_LIMIT) {
    GstMessage *msg = gst_bus_timed_pop_filtered (bus, step,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);

    if (msg)
      return msg;
    waited += step;
    if (!gst_element_query_position (pipeline, GST_FORMAT_TIME, &position))
      position = -1;
    still = position > last ? 0 : still + step;
    last = MAX (last, position);
    if (still >= STALL_SECONDS * GST_SECOND)
      break;
  }
  return NULL;
}

/* Through a pipeline: `filesrc ! decodebin ! chapters ! fakesink`. */
static void
test_pipeline (gconstpointer data)
{
  const gchar *file = data;
  g_autofree gchar *path = g_build_filename (vectors_dir, file, NULL);
  g_autofree gchar *desc = g_strdup_printf ("filesrc location=\"%s\" ! "
      "decodebin ! chapters name=c ! fakesink sync=false", path);
  GstElement *pipeline = gst_parse_launch (desc, NULL);
  GstElement *chapters = gst_bin_get_by_name (GST_BIN (pipeline), "c");
  JsonArray *want = json_object_get_array_member (expected, file);
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;
  GstToc *toc = NULL;
  GList *entries = NULL;
  guint i;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = wait_while_progressing (pipeline, bus);
  if (msg == NULL) {
    GstPad *sink = gst_element_get_static_pad (chapters, "sink");
    gboolean linked = gst_pad_is_linked (sink);

    gst_object_unref (sink);
    if (linked) {
      g_autofree gchar *why = g_strdup_printf ("%s: no EOS, no error and "
          "no progress for %d s", file, STALL_SECONDS);

      print_stalled_pipeline (pipeline, why);
    }
    /* qtdemux sometimes stalls on the corrupt mutagen file instead of
     * erroring; then nothing ever reached our element */
    g_assert_false (linked);
    g_test_skip_printf ("%s stalls in stock decodebin before reaching the "
        "element", file);
    gst_element_set_state (pipeline, GST_STATE_NULL);
    gst_object_unref (bus);
    gst_object_unref (chapters);
    gst_object_unref (pipeline);
    return;
  }
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *error;

    /* stock GStreamer cannot play some vectors at all (xHE-AAC, a bad Ogg
     * CRC): nothing reaches the element, there is nothing to check */
    gst_message_parse_error (msg, &error, NULL);
    g_test_skip_printf ("%s does not play in GStreamer 1.22: %s", file,
        error->message);
    g_error_free (error);
  } else {
    guint n = 0, tries;

    /* chapters read from the container arrive off the streaming thread,
     * and a tiny file can reach EOS first */
    for (tries = 0; tries < 300 && n < json_array_get_length (want);
        tries++) {
      g_object_get (chapters, "n-chapters", &n, NULL);
      if (n < json_array_get_length (want))
        g_usleep (10000);
    }
    g_object_get (chapters, "toc", &toc, NULL);
    if (toc && gst_toc_get_entries (toc))
      entries = gst_toc_entry_get_sub_entries (gst_toc_get_entries (toc)->data);
    g_assert_cmpuint (g_list_length (entries), ==,
        json_array_get_length (want));
    for (i = 0; i < g_list_length (entries); i++) {
      gint64 start;

      gst_toc_entry_get_start_stop_times (g_list_nth_data (entries, i),
          &start, NULL);
      g_assert_cmpfloat_with_epsilon (start / 1e6,
          json_object_get_double_member (json_array_get_object_element (want,
                  i), "start_ms"), 1.0);
    }
    if (toc)
      gst_toc_unref (toc);
  }
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (chapters);
  gst_object_unref (pipeline);
}

/* Vectors documented as invalid: an error that says where. */
static void
test_invalid (gconstpointer data)
{
  const gchar *file = data;
  g_autofree gchar *path = g_build_filename (vectors_dir, file, NULL);
  g_autoptr (ChapterList) list = NULL;
  GError *error = NULL;

  list = chapter_source_load (path, NULL, NULL, NULL, &error);
  g_assert_null (list);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, file));
  g_assert_nonnull (strstr (error->message, "line"));
  g_error_free (error);
}

/* A feed whose item only links its chapters: the link is reported. */
/* One group of tests/corpus: every NAME.EXT beside its NAME.json. A chapter
 * is found exactly when its start (to the millisecond), title, and the
 * description and URL the JSON names, match; any other chapter is false. */
static void
test_corpus (gconstpointer data)
{
  const gchar *group = data;
  g_autofree gchar *dir_path = g_build_filename (CORPUS_DIR, group, NULL);
  GDir *dir = g_dir_open (dir_path, 0, NULL);
  const gchar *name;
  guint lists = 0, negatives = 0, wanted = 0, exact = 0, found = 0;
  g_autoptr (GString) failures = g_string_new (NULL);

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir))) {
    g_autofree gchar *stem = NULL, *json_path = NULL, *path = NULL;
    g_autoptr (JsonParser) parser = json_parser_new ();
    g_autoptr (ChapterList) list = NULL;
    GError *error = NULL;
    JsonArray *want;
    guint i, n_want, n_got;

    if (g_str_has_suffix (name, ".json"))
      continue;
    stem = g_strndup (name, strrchr (name, '.') - name);
    json_path = g_strdup_printf ("%s/%s.json", dir_path, stem);
    path = g_build_filename (dir_path, name, NULL);
    if (!json_parser_load_from_file (parser, json_path, &error))
      g_error ("%s: %s", json_path, error->message);
    want = json_node_get_array (json_parser_get_root (parser));
    n_want = json_array_get_length (want);
    list = chapter_source_load (path, NULL, NULL, NULL, &error);
    n_got = list ? chapter_list_length (list) : 0;
    if (n_want)
      lists++;
    else
      negatives++;
    wanted += n_want;
    found += n_got;
    /* no chapters must come with a message that says why */
    if (list == NULL)
      g_assert_true (error && strstr (error->message, name));
    g_clear_error (&error);
    for (i = 0; i < n_got; i++) {
      const Chapter *c = chapter_list_get (list, i);
      JsonObject *w = i < n_want ? json_array_get_object_element (want, i) :
          NULL;
      gboolean ok = w != NULL
          && c->start == json_object_get_int_member (w, "start_ms") * 1000000
          && !g_strcmp0 (c->title, json_object_get_string_member (w, "title"))
          && (!json_object_has_member (w, "description")
          || !g_strcmp0 (c->description,
              json_object_get_string_member (w, "description")))
          && (!json_object_has_member (w, "url")
          || !g_strcmp0 (c->url, json_object_get_string_member (w, "url")));

      if (ok) {
        exact++;
        continue;
      }
      g_string_append_printf (failures, "\n  %s chapter %u: %" G_GINT64_FORMAT
          " ms \"%s\"%s%s%s, expected %s", name, i + 1, c->start / 1000000,
          c->title ? c->title : "", c->description ? " (description \"" : "",
          c->description ? c->description : "", c->description ? "\")" : "",
          w ? json_object_get_string_member (w, "title") : "no chapter");
    }
    if (n_got < n_want)
      g_string_append_printf (failures, "\n  %s: %u chapters, expected %u",
          name, n_got, n_want);
  }
  g_dir_close (dir);
  g_test_message ("corpus %s: %u lists, %u/%u chapters exact (%.1f%%), "
      "%u texts without a list, %u false chapters", group, lists, exact,
      wanted, wanted ? 100.0 * exact / wanted : 100.0, negatives,
      found - exact);
  if (failures->len)
    g_printerr ("corpus %s:%s\n", group, failures->str);
  g_assert_cmpuint (exact, ==, wanted);
  g_assert_cmpuint (found - exact, ==, 0);
}

static void
test_linked_feed (void)
{
  g_autofree gchar *path = g_build_filename (vectors_dir,
      "podcastparser/episode_podcast_chapters.rss", NULL);
  g_autofree gchar *contents = NULL;
  gsize len;
  g_autoptr (ChapterList) list = NULL;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  list = chapter_read ((const guint8 *) contents, len, NULL, NULL, NULL);
  g_assert_nonnull (list);
  g_assert_cmpuint (chapter_list_length (list), ==, 0);
  g_assert_cmpstr (list->chapters_url, ==,
      "https://example.com/1/chapters.json");
}

static gboolean
is_text_vector (const gchar * file)
{
  static const gchar *const ext[] = { ".cue", ".vtt", ".txt", ".xml", ".json",
    ".rss", NULL
  };
  guint i;

  for (i = 0; ext[i]; i++)
    if (g_str_has_suffix (file, ext[i]))
      return TRUE;
  return FALSE;
}

int
main (int argc, char **argv)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonParser) notes_parser = json_parser_new ();
  g_autofree gchar *expected_path = NULL, *notes_path = NULL;
  GList *members, *l;
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  /* the corpus is in the repository: always there */
  {
    GDir *corpus = g_dir_open (CORPUS_DIR, 0, NULL);
    const gchar *group;

    g_assert_nonnull (corpus);
    while ((group = g_dir_read_name (corpus))) {
      g_autofree gchar *name = g_strdup_printf ("/conformance/corpus/%s",
          group);
      g_autofree gchar *path = g_build_filename (CORPUS_DIR, group, NULL);

      /* (a folder per group; README.md says what each holds) */
      if (!g_file_test (path, G_FILE_TEST_IS_DIR))
        continue;
      g_test_add_data_func_full (name, g_strdup (group), test_corpus, g_free);
    }
    g_dir_close (corpus);
  }

  vectors_dir = g_strdup (g_getenv ("CHAPTER_VECTORS"));
  if (vectors_dir == NULL)
    vectors_dir = g_strdup (VECTORS_DIR);
  expected_path = g_build_filename (vectors_dir, "expected.json", NULL);
  notes_path = g_build_filename (vectors_dir, "expected_notes.json", NULL);
  if (!g_file_test (expected_path, G_FILE_TEST_EXISTS)) {
    g_test_add_func ("/conformance/vectors-absent", (GTestFunc) g_test_skip);
    g_test_message ("no vectors at %s: skipped", vectors_dir);
    return g_test_run ();
  }
  if (!json_parser_load_from_file (parser, expected_path, NULL)
      || !json_parser_load_from_file (notes_parser, notes_path, NULL))
    g_error ("cannot read %s", expected_path);
  expected = json_node_get_object (json_parser_get_root (parser));
  notes = json_node_get_object (json_parser_get_root (notes_parser));

  members = json_object_get_members (expected);
  for (l = members; l; l = l->next) {
    g_autofree gchar *name = NULL;

    name = g_strdup_printf ("/conformance/library/%s", (gchar *) l->data);
    g_test_add_data_func (name, l->data, test_vector);
    g_free (name);
    name = g_strdup_printf ("/conformance/tool/%s", (gchar *) l->data);
    g_test_add_data_func (name, l->data, test_tool);
    if (!is_text_vector (l->data)) {
      g_free (name);
      name = g_strdup_printf ("/conformance/pipeline/%s", (gchar *) l->data);
      g_test_add_data_func (name, l->data, test_pipeline);
    }
  }
  g_list_free (members);

  members = json_object_get_members (notes);
  for (l = members; l; l = l->next) {
    JsonObject *note = json_object_get_object_member (notes, l->data);
    const gchar *expect = json_object_has_member (note, "expect") ?
        json_object_get_string_member (note, "expect") : NULL;

    if (expect && g_str_has_prefix (expect, "parse error")) {
      g_autofree gchar *name = g_strdup_printf ("/conformance/invalid/%s",
          (gchar *) l->data);

      g_test_add_data_func (name, l->data, test_invalid);
    }
  }
  g_list_free (members);
  g_test_add_func ("/conformance/linked-feed", test_linked_feed);

  return g_test_run ();
}
