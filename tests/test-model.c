/* The chapter model: finalize, merge, lookup, title matching, times. */
#include <gst/gst.h>
#include <string.h>

#include "chapter-list.h"
#include "chapter-toc.h"

#define S(x) ((gint64) (x) * GST_SECOND)

static ChapterList *
make_list (const gint64 * starts, const gchar * const *titles, guint n)
{
  ChapterList *list = chapter_list_new ();
  guint i;

  for (i = 0; i < n; i++)
    chapter_list_add (list, chapter_new (starts[i], titles[i]));
  return list;
}

static ChapterList *
seed_list (void)
{
  static const gint64 starts[] = { S (60), S (260), S (470), S (660),
    S (1060), S (1260), S (1650)
  };
  static const gchar *const titles[] = { "Defining World Models",
    "Early Use Cases", "The GPT-2 Era", "Prediction Limits",
    "Data and Input Modalities", "Developer Accessibility",
    "Scaling and Gradients"
  };
  ChapterList *list = make_list (starts, titles, 7);

  chapter_list_finalize (list, S (2666));
  return list;
}

static void
test_finalize (void)
{
  static const gint64 starts[] = { S (30), S (10), S (10), S (20), S (50) };
  static const gchar *const titles[] = { "c", "a", "a", "b", "past" };
  g_autoptr (ChapterList) list = make_list (starts, titles, 5);

  chapter_list_finalize (list, S (40));
  /* sorted, the duplicate dropped, ends from the next start */
  g_assert_cmpuint (chapter_list_length (list), ==, 4);
  g_assert_cmpstr (chapter_list_get (list, 0)->title, ==, "a");
  g_assert_cmpint (chapter_list_get (list, 0)->end, ==, S (20));
  g_assert_cmpstr (chapter_list_get (list, 2)->title, ==, "c");
  g_assert_cmpint (chapter_list_get (list, 2)->end, ==, S (50));
  /* past the duration: kept, flagged */
  g_assert_true (chapter_list_get (list, 3)->past_end);
  g_assert_false (chapter_list_get (list, 2)->past_end);
  g_assert_cmpint (chapter_list_get (list, 3)->end, ==, CHAPTER_TIME_NONE);
}

static void
test_find (void)
{
  g_autoptr (ChapterList) list = seed_list ();

  /* before the first chapter: outside any chapter */
  g_assert_cmpint (chapter_list_find (list, 0), ==, -1);
  g_assert_cmpint (chapter_list_find (list, S (60) - 1), ==, -1);
  g_assert_cmpint (chapter_list_find (list, S (60)), ==, 0);
  g_assert_cmpint (chapter_list_find (list, S (660)), ==, 3);
  g_assert_cmpint (chapter_list_find (list, S (660) - 1), ==, 2);
  g_assert_cmpint (chapter_list_find (list, S (2665)), ==, 6);
}

static void
test_find_gaps (void)
{
  static const gint64 starts[] = { S (0), S (10) };
  static const gchar *const titles[] = { "a", "b" };
  g_autoptr (ChapterList) list = make_list (starts, titles, 2);

  chapter_list_get (list, 0)->end = S (5);
  chapter_list_finalize (list, S (20));
  g_assert_cmpint (chapter_list_find (list, S (4)), ==, 0);
  g_assert_cmpint (chapter_list_find (list, S (6)), ==, -1);
  g_assert_cmpint (chapter_list_find (list, S (11)), ==, 1);
}

static void
test_match (void)
{
  g_autoptr (ChapterList) list = seed_list ();
  GError *error = NULL;

  g_assert_cmpint (chapter_list_match_title (list, "Prediction Limits",
          NULL), ==, 3);
  g_assert_cmpint (chapter_list_match_title (list, "prediction limits",
          NULL), ==, 3);
  g_assert_cmpint (chapter_list_match_title (list, "PRÉDICTION LIMITS",
          NULL), ==, 3);
  g_assert_cmpint (chapter_list_match_title (list, "predic", NULL), ==, 3);
  g_assert_cmpint (chapter_list_match_title (list, "gpt-2", NULL), ==, 2);
  /* "D" is a prefix of two titles: ambiguous, and the error names both */
  g_assert_cmpint (chapter_list_match_title (list, "d", &error), ==, -1);
  g_assert_error (error, CHAPTER_ERROR, CHAPTER_ERROR_MATCH);
  g_assert_nonnull (strstr (error->message, "Defining World Models"));
  g_assert_nonnull (strstr (error->message, "Developer Accessibility"));
  g_clear_error (&error);
  g_assert_cmpint (chapter_list_match_title (list, "nothing like it",
          &error), ==, -1);
  g_assert_error (error, CHAPTER_ERROR, CHAPTER_ERROR_MATCH);
  g_clear_error (&error);
}

static void
test_resolve (void)
{
  g_autoptr (ChapterList) list = seed_list ();
  GError *error = NULL;

  g_assert_cmpint (chapter_list_resolve (list, "4", NULL), ==, 3);
  g_assert_cmpint (chapter_list_resolve (list, " 1 ", NULL), ==, 0);
  g_assert_cmpint (chapter_list_resolve (list, "Prediction Limits", NULL),
      ==, 3);
  g_assert_cmpint (chapter_list_resolve (list, "8", &error), ==, -1);
  g_assert_error (error, CHAPTER_ERROR, CHAPTER_ERROR_MATCH);
  g_clear_error (&error);

  g_assert_true (chapter_matches_spec (list, 2, "3"));
  g_assert_false (chapter_matches_spec (list, 1, "3"));
  g_assert_true (chapter_matches_spec (list, 0, "defining*"));
  g_assert_true (chapter_matches_spec (list, 4, "*modal*"));
  g_assert_false (chapter_matches_spec (list, 3, "*modal*"));
  g_assert_true (chapter_matches_spec (list, 3, "prediction limits"));
}

static void
test_merge (void)
{
  static const gint64 a_starts[] = { S (0), S (10) };
  static const gchar *const a_titles[] = { "ext 1", "ext 2" };
  static const gint64 b_starts[] = { S (0) };
  static const gchar *const b_titles[] = { "emb 1" };
  g_autoptr (ChapterList) ext = make_list (a_starts, a_titles, 2);
  g_autoptr (ChapterList) emb = make_list (b_starts, b_titles, 1);
  g_autoptr (ChapterList) empty = chapter_list_new ();
  ChapterList *merged;

  merged = chapter_list_merge (ext, emb, CHAPTER_PREFER_EXTERNAL, S (20));
  g_assert_cmpstr (chapter_list_get (merged, 0)->title, ==, "ext 1");
  g_assert_cmpint (chapter_list_get (merged, 1)->end, ==, S (20));
  chapter_list_free (merged);
  merged = chapter_list_merge (ext, emb, CHAPTER_PREFER_EMBEDDED, S (20));
  g_assert_cmpuint (chapter_list_length (merged), ==, 1);
  g_assert_cmpstr (chapter_list_get (merged, 0)->title, ==, "emb 1");
  chapter_list_free (merged);
  /* the preferred source is empty: the other one is used */
  merged = chapter_list_merge (empty, emb, CHAPTER_PREFER_EXTERNAL, -1);
  g_assert_cmpstr (chapter_list_get (merged, 0)->title, ==, "emb 1");
  chapter_list_free (merged);
  merged = chapter_list_merge (NULL, NULL, CHAPTER_PREFER_EXTERNAL, -1);
  g_assert_cmpuint (chapter_list_length (merged), ==, 0);
  chapter_list_free (merged);
}

static void
test_clock (void)
{
  static const struct
  {
    const gchar *text;
    gint64 ns;
  } good[] = {
    {"0", 0}, {"01", S (1)}, {"01:02", S (62)}, {"01:02:03", S (3723)},
    {"01:02:03.400", S (3723) + 400 * GST_MSECOND}, {"59.12",
        S (59) + 120 * GST_MSECOND}, {"100:00:00", S (360000)},
    {"00:06:12.680000000", S (372) + 680 * GST_MSECOND}, {"1:00,5",
        S (60) + 500 * GST_MSECOND}, {"  11:00 ", S (660)},
  };
  static const gchar *const bad[] = { "", "abc", "1:60", "1:2:3:4", "1.",
    "1:00x", "asdasdasd", "99999999999999:00", NULL
  };
  guint i;
  gint64 ns;

  for (i = 0; i < G_N_ELEMENTS (good); i++) {
    g_assert_true (chapter_parse_clock (good[i].text, &ns));
    g_assert_cmpint (ns, ==, good[i].ns);
  }
  for (i = 0; bad[i]; i++)
    g_assert_false (chapter_parse_clock (bad[i], &ns));
  g_assert_true (chapter_parse_clock ("-5", &ns));
  g_assert_cmpint (ns, ==, -S (5));

  {
    g_autofree gchar *a = chapter_format_clock (S (660), TRUE);
    g_autofree gchar *b = chapter_format_clock (S (3723) + 5 * GST_MSECOND,
        FALSE);

    g_assert_cmpstr (a, ==, "00:11:00.000");
    g_assert_cmpstr (b, ==, "01:02:03.005");
  }
}

static void
test_toc_roundtrip (void)
{
  g_autoptr (ChapterList) list = seed_list ();
  g_autoptr (ChapterList) back = NULL;
  GstToc *toc;
  GList *editions, *entries;
  Chapter *c = chapter_list_get (list, 3);
  guint i;

  c->description = g_strdup ("Discussing the current constraints");
  c->url = g_strdup ("https://example.com/limits");
  c->image_url = g_strdup ("https://example.com/limits.png");
  c->image = g_bytes_new_static ("\x89PNG", 4);
  c->image_mime = g_strdup ("image/png");
  chapter_list_get (list, 5)->hidden = TRUE;
  g_ptr_array_add (chapter_list_get (list, 0)->children,
      chapter_new (S (90), "nested"));

  toc = chapter_list_to_toc (list);
  g_assert_cmpint (gst_toc_get_scope (toc), ==, GST_TOC_SCOPE_GLOBAL);
  editions = gst_toc_get_entries (toc);
  g_assert_cmpuint (g_list_length (editions), ==, 1);
  entries = gst_toc_entry_get_sub_entries (editions->data);
  g_assert_cmpuint (g_list_length (entries), ==, 7);
  g_assert_cmpstr (gst_toc_entry_get_uid (g_list_nth_data (entries, 3)), ==,
      "chapter-4");
  g_assert_cmpint (chapter_toc_uid_to_index ("chapter-4"), ==, 3);
  g_assert_cmpint (chapter_toc_uid_to_index ("chapter-1.1"), ==, 0);
  g_assert_cmpint (chapter_toc_uid_to_index ("edition"), ==, -1);

  back = chapter_list_from_toc (toc);
  gst_toc_unref (toc);
  g_assert_cmpuint (chapter_list_length (back), ==, 7);
  for (i = 0; i < 7; i++) {
    g_assert_cmpint (chapter_list_get (back, i)->start, ==,
        chapter_list_get (list, i)->start);
    g_assert_cmpint (chapter_list_get (back, i)->end, ==,
        chapter_list_get (list, i)->end);
    g_assert_cmpstr (chapter_list_get (back, i)->title, ==,
        chapter_list_get (list, i)->title);
  }
  c = chapter_list_get (back, 3);
  g_assert_cmpstr (c->description, ==, "Discussing the current constraints");
  g_assert_cmpstr (c->url, ==, "https://example.com/limits");
  g_assert_cmpstr (c->image_url, ==, "https://example.com/limits.png");
  g_assert_cmpuint (g_bytes_get_size (c->image), ==, 4);
  g_assert_cmpstr (c->image_mime, ==, "image/png");
  g_assert_true (chapter_list_get (back, 5)->hidden);
  g_assert_false (chapter_list_get (back, 4)->hidden);
  g_assert_cmpuint (chapter_list_get (back, 0)->children->len, ==, 1);
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model/finalize", test_finalize);
  g_test_add_func ("/model/find", test_find);
  g_test_add_func ("/model/find-gaps", test_find_gaps);
  g_test_add_func ("/model/match", test_match);
  g_test_add_func ("/model/resolve", test_resolve);
  g_test_add_func ("/model/merge", test_merge);
  g_test_add_func ("/model/clock", test_clock);
  g_test_add_func ("/model/toc-roundtrip", test_toc_roundtrip);
  return g_test_run ();
}
