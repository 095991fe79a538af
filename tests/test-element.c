/* The `chapters` element through GstHarness: TOC, messages, queries,
 * navigation events and signals, start/stop/skip, bad input. */
#include <gst/gst.h>
#include <gst/check/gstharness.h>
#include <glib/gstdio.h>
#include <string.h>

#include "audio-compare.h"

#define S(x) ((GstClockTime) (x) * GST_SECOND)

static const gchar *seed_chapters = "0:01:00 Defining World Models\n"
    "0:04:20 Early Use Cases\n0:07:50 The GPT-2 Era\n"
    "0:11:00 Prediction Limits\n0:17:40 Data and Input Modalities\n"
    "0:21:00 Developer Accessibility\n0:27:30 Scaling and Gradients\n";

typedef struct
{
  GstHarness *h;
  GstElement *element;
  GstBus *bus;
} Fixture;

/* @props: "name=value" pairs separated by '|'; set before the harness
 * starts the element. */
static void
fixture_setup_full (Fixture * f, const gchar * props, const gchar * chapters)
{
  GstElement *element = gst_element_factory_make ("chapters", NULL);
  gchar **pairs = g_strsplit (props ? props : "", "|", -1);
  guint i;

  g_assert_nonnull (element);
  for (i = 0; pairs[i]; i++) {
    gchar *eq = strchr (pairs[i], '=');

    if (eq == NULL)
      continue;
    *eq = '\0';
    gst_util_set_object_arg (G_OBJECT (element), pairs[i], eq + 1);
  }
  g_strfreev (pairs);
  if (chapters)
    g_object_set (element, "chapters", chapters, NULL);
  f->bus = gst_bus_new ();
  gst_element_set_bus (element, f->bus);
  f->h = gst_harness_new_with_element (element, "sink", "src");
  f->element = element;
  gst_harness_set_src_caps_str (f->h,
      "audio/x-raw,format=S16LE,rate=1000,channels=1,layout=interleaved");
}

static void
fixture_setup (Fixture * f, const gchar * props)
{
  fixture_setup_full (f, props, NULL);
}

static void
fixture_teardown (Fixture * f)
{
  gst_harness_teardown (f->h);
  gst_element_set_bus (f->element, NULL);
  gst_object_unref (f->bus);
}

/* A buffer of @seconds of audio at stream time @at. */
static GstFlowReturn
push_at (Fixture * f, GstClockTime at, GstClockTime duration)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL,
      2 * (duration / GST_MSECOND), NULL);

  gst_buffer_memset (buf, 0, 0, gst_buffer_get_size (buf));
  GST_BUFFER_PTS (buf) = at;
  GST_BUFFER_DURATION (buf) = duration;
  return gst_harness_push (f->h, buf);
}

static void
push_segment_at (Fixture * f, GstClockTime start)
{
  GstSegment segment;

  gst_segment_init (&segment, GST_FORMAT_TIME);
  segment.start = start;
  segment.time = start;
  segment.position = start;
  gst_harness_push_event (f->h, gst_event_new_segment (&segment));
}

/* A seek landing: a flush, a segment at @at and a second of audio there. */
static void
land_at (Fixture * f, GstClockTime at)
{
  gst_harness_push_event (f->h, gst_event_new_flush_start ());
  gst_harness_push_event (f->h, gst_event_new_flush_stop (TRUE));
  push_segment_at (f, at);
  push_at (f, at, S (1));
}

static GstMessage *
pop_message (Fixture * f, const gchar * structure_name)
{
  GstMessage *msg;

  while ((msg = gst_bus_pop (f->bus))) {
    const GstStructure *s = gst_message_get_structure (msg);

    if (structure_name == NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_TOC)
      return msg;
    if (structure_name && s && gst_structure_has_name (s, structure_name))
      return msg;
    gst_message_unref (msg);
  }
  return NULL;
}

static GstMessage *
pop_warning (Fixture * f)
{
  GstMessage *msg;

  while ((msg = gst_bus_pop (f->bus))) {
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING)
      return msg;
    gst_message_unref (msg);
  }
  return NULL;
}

static guint
count_toc_events (GstHarness * h, GstToc ** last)
{
  GstEvent *ev;
  guint n = 0;

  while ((ev = gst_harness_try_pull_event (h))) {
    if (GST_EVENT_TYPE (ev) == GST_EVENT_TOC) {
      GstToc *toc;

      n++;
      gst_event_parse_toc (ev, &toc, NULL);
      if (last) {
        if (*last)
          gst_toc_unref (*last);
        *last = toc;
      } else {
        gst_toc_unref (toc);
      }
    }
    gst_event_unref (ev);
  }
  return n;
}

static void
test_toc (void)
{
  Fixture f;
  GstToc *toc = NULL;
  GList *entries;
  GstTocEntry *entry;
  const GstTagList *tags;
  gchar *title = NULL;
  gint64 start, stop;
  GstMessage *msg;
  guint n, i;

  fixture_setup_full (&f, NULL, seed_chapters);
  gst_harness_play (f.h);

  /* a TOC message as soon as the chapters are read */
  msg = pop_message (&f, NULL);
  g_assert_nonnull (msg);
  gst_message_unref (msg);

  for (i = 0; i < 50; i++)
    g_assert_cmpint (push_at (&f, S (i), S (1)), ==, GST_FLOW_OK);
  g_assert_cmpuint (gst_harness_buffers_received (f.h), ==, 50);

  /* sticky, sent once, not once per buffer */
  n = count_toc_events (f.h, &toc);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (gst_toc_get_scope (toc), ==, GST_TOC_SCOPE_GLOBAL);
  entries = gst_toc_entry_get_sub_entries (gst_toc_get_entries (toc)->data);
  g_assert_cmpuint (g_list_length (entries), ==, 7);
  entry = g_list_nth_data (entries, 3);
  g_assert_true (gst_toc_entry_get_start_stop_times (entry, &start, &stop));
  g_assert_cmpint (start, ==, S (660));
  g_assert_cmpint (stop, ==, S (1060));
  tags = gst_toc_entry_get_tags (entry);
  g_assert_true (gst_tag_list_get_string (tags, GST_TAG_TITLE, &title));
  g_assert_cmpstr (title, ==, "Prediction Limits");
  g_free (title);
  g_assert_cmpstr (gst_toc_entry_get_uid (entry), ==, "chapter-4");
  gst_toc_unref (toc);

  {
    guint n_chapters;
    GstToc *prop_toc;

    g_object_get (f.element, "n-chapters", &n_chapters, "toc", &prop_toc,
        NULL);
    g_assert_cmpuint (n_chapters, ==, 7);
    g_assert_nonnull (prop_toc);
    gst_toc_unref (prop_toc);
  }
  fixture_teardown (&f);
}

/* Titles in several languages: the `language` property picks one. */
static void
test_language (void)
{
  const gchar *xml = LANGUAGES_XML;
  static const struct
  {
    const gchar *props, *title;
  } cases[] = {
    {"language=fr", "Pr\xc3\xa9sentation"}, {"language=deu", "Einleitung"},
    {"language=ja", "Introduction"}, {NULL, "Introduction"},
  };
  guint i;

  /* (the default is the user's language, else English: make it English) */
  g_unsetenv ("LANGUAGE");
  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    Fixture f;
    gchar *title = NULL;

    fixture_setup_full (&f, cases[i].props, xml);
    gst_harness_play (f.h);
    g_assert_cmpint (push_at (&f, 0, S (1)), ==, GST_FLOW_OK);
    g_object_get (f.element, "current-title", &title, NULL);
    g_assert_cmpstr (title, ==, cases[i].title);
    g_free (title);
    fixture_teardown (&f);
  }
}

static void
test_chapter_messages (void)
{
  Fixture f;
  GstMessage *msg;
  const GstStructure *s;
  guint64 start, running, stream;
  gint index, current;
  gchar *title;
  GstClockTime t;

  fixture_setup_full (&f, NULL, seed_chapters);
  gst_harness_play (f.h);

  /* before the first chapter: nothing to announce */
  for (t = 0; t < S (59); t += S (1))
    push_at (&f, t, S (1));
  g_assert_null (pop_message (&f, "chapter"));
  g_object_get (f.element, "current-chapter", &current, NULL);
  g_assert_cmpint (current, ==, 0);

  /* a buffer that crosses 60 s: announced at 60 s exactly */
  push_at (&f, S (59) + 500 * GST_MSECOND, S (1));
  msg = pop_message (&f, "chapter");
  g_assert_nonnull (msg);
  s = gst_message_get_structure (msg);
  g_assert_true (gst_structure_get_int (s, "index", &index));
  g_assert_cmpint (index, ==, 1);
  g_assert_cmpstr (gst_structure_get_string (s, "title"), ==,
      "Defining World Models");
  g_assert_cmpstr (gst_structure_get_string (s, "uid"), ==, "chapter-1");
  g_assert_true (gst_structure_get_uint64 (s, "start", &start));
  g_assert_cmpuint (start, ==, S (60));
  g_assert_true (gst_structure_get_uint64 (s, "running-time", &running));
  g_assert_cmpuint (running, ==, S (60));
  g_assert_true (gst_structure_get_uint64 (s, "stream-time", &stream));
  g_assert_cmpuint (stream, ==, S (60));
  g_assert_true (gst_structure_has_field (s, "stop"));
  gst_message_unref (msg);
  g_object_get (f.element, "current-chapter", &current, "current-title",
      &title, NULL);
  g_assert_cmpint (current, ==, 1);
  g_assert_cmpstr (title, ==, "Defining World Models");
  g_free (title);

  /* within the chapter: no more messages */
  push_at (&f, S (100), S (1));
  g_assert_null (pop_message (&f, "chapter"));

  /* a new segment (as after a seek) into chapter 4 */
  land_at (&f, S (700));
  msg = pop_message (&f, "chapter");
  g_assert_nonnull (msg);
  s = gst_message_get_structure (msg);
  gst_structure_get_int (s, "index", &index);
  g_assert_cmpint (index, ==, 4);
  gst_structure_get_uint64 (s, "running-time", &running);
  g_assert_cmpuint (running, ==, 0);
  gst_structure_get_uint64 (s, "stream-time", &stream);
  g_assert_cmpuint (stream, ==, S (700));
  gst_message_unref (msg);

  /* a jump within the same chapter: nothing new to announce, but the
   * element still knows where it is */
  land_at (&f, S (800));
  g_assert_null (pop_message (&f, "chapter"));
  g_object_get (f.element, "current-chapter", &current, NULL);
  g_assert_cmpint (current, ==, 4);

  /* back before the first chapter: index 0 says "no chapter" */
  land_at (&f, S (10));
  msg = pop_message (&f, "chapter");
  g_assert_nonnull (msg);
  gst_structure_get_int (gst_message_get_structure (msg), "index", &index);
  g_assert_cmpint (index, ==, 0);
  gst_message_unref (msg);
  fixture_teardown (&f);
}

static void
test_queries (void)
{
  Fixture f;
  GstFormat chapter_format = gst_format_get_by_nick ("chapter");
  GstQuery *query;
  gint64 value;

  g_assert_cmpint (chapter_format, !=, GST_FORMAT_UNDEFINED);
  fixture_setup_full (&f, NULL, seed_chapters);
  gst_harness_play (f.h);
  push_at (&f, S (665), S (1));

  query = gst_query_new_position (chapter_format);
  g_assert_true (gst_pad_peer_query (f.h->sinkpad, query));
  gst_query_parse_position (query, NULL, &value);
  g_assert_cmpint (value, ==, 4);
  gst_query_unref (query);

  query = gst_query_new_duration (chapter_format);
  g_assert_true (gst_pad_peer_query (f.h->sinkpad, query));
  gst_query_parse_duration (query, NULL, &value);
  g_assert_cmpint (value, ==, 7);
  gst_query_unref (query);
  fixture_teardown (&f);
}

/* The seek the element sends upstream; fails the test after 5 s. */
static GstClockTime
pull_seek (Fixture * f, GstSeekFlags * flags)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline) {
    GstEvent *ev = gst_harness_try_pull_upstream_event (f->h);

    if (ev && GST_EVENT_TYPE (ev) == GST_EVENT_SEEK) {
      GstFormat format;
      gint64 start;
      GstSeekFlags fl;

      gst_event_parse_seek (ev, NULL, &format, &fl, NULL, &start, NULL, NULL);
      g_assert_cmpint (format, ==, GST_FORMAT_TIME);
      if (flags)
        *flags = fl;
      gst_event_unref (ev);
      return start;
    }
    if (ev)
      gst_event_unref (ev);
    else
      g_usleep (1000);
  }
  g_assert_not_reached ();
  return GST_CLOCK_TIME_NONE;
}

static gboolean
no_seek_within (Fixture * f, guint ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < deadline) {
    GstEvent *ev = gst_harness_try_pull_upstream_event (f->h);

    if (ev && GST_EVENT_TYPE (ev) == GST_EVENT_SEEK) {
      gst_event_unref (ev);
      return FALSE;
    }
    if (ev)
      gst_event_unref (ev);
    g_usleep (1000);
  }
  return TRUE;
}

static void
test_navigation (void)
{
  Fixture f;
  GstSeekFlags flags;
  gboolean ok;

  fixture_setup_full (&f, NULL, seed_chapters);
  gst_harness_play (f.h);
  push_at (&f, S (300), S (1));

  /* TOC_SELECT from downstream */
  g_assert_true (gst_harness_push_upstream_event (f.h,
          gst_event_new_toc_select ("chapter-4")));
  g_assert_cmpuint (pull_seek (&f, &flags), ==, S (660));
  g_assert_true (flags & GST_SEEK_FLAG_FLUSH);
  g_assert_true (flags & GST_SEEK_FLAG_ACCURATE);

  /* a seek in the chapter format becomes a TIME seek */
  g_assert_true (gst_harness_push_upstream_event (f.h,
          gst_event_new_seek (1.0, gst_format_get_by_nick ("chapter"),
              GST_SEEK_FLAG_FLUSH, GST_SEEK_TYPE_SET, 6, GST_SEEK_TYPE_NONE,
              -1)));
  g_assert_cmpuint (pull_seek (&f, &flags), ==, S (1260));
  g_assert_true (flags & GST_SEEK_FLAG_ACCURATE);

  /* a chapter that does not exist is refused */
  g_assert_false (gst_harness_push_upstream_event (f.h,
          gst_event_new_seek (1.0, gst_format_get_by_nick ("chapter"),
              GST_SEEK_FLAG_FLUSH, GST_SEEK_TYPE_SET, 8, GST_SEEK_TYPE_NONE,
              -1)));

  /* action signals */
  g_signal_emit_by_name (f.element, "seek-chapter", 2, &ok);
  g_assert_true (ok);
  g_assert_cmpuint (pull_seek (&f, NULL), ==, S (260));
  g_signal_emit_by_name (f.element, "seek-title", "PREDICTION LIMITS", &ok);
  g_assert_true (ok);
  g_assert_cmpuint (pull_seek (&f, NULL), ==, S (660));
  g_signal_emit_by_name (f.element, "seek-title", "gpt", &ok);
  g_assert_true (ok);
  g_assert_cmpuint (pull_seek (&f, NULL), ==, S (470));
  /* ambiguous: "D" starts two titles */
  g_signal_emit_by_name (f.element, "seek-title", "d", &ok);
  g_assert_false (ok);
  g_assert_true (no_seek_within (&f, 100));
  g_signal_emit_by_name (f.element, "seek-chapter", 9, &ok);
  g_assert_false (ok);

  /* the jumps land (a flush, then audio) back at 300 s: chapter 2, 40 s
   * in */
  land_at (&f, S (300));
  g_signal_emit_by_name (f.element, "next-chapter", &ok);
  g_assert_true (ok);
  g_assert_cmpuint (pull_seek (&f, NULL), ==, S (470));
  /* pressed again before the first jump lands: on from there, not from
   * what is still heard */
  g_signal_emit_by_name (f.element, "next-chapter", &ok);
  g_assert_true (ok);
  g_assert_cmpuint (pull_seek (&f, NULL), ==, S (660));
  /* and back: 0 s into chapter 4 (not landed), so chapter 3 */
  g_signal_emit_by_name (f.element, "previous-chapter", &ok);
  g_assert_true (ok);
  g_assert_cmpuint (pull_seek (&f, NULL), ==, S (470));

  /* landed 40 s into chapter 2: more than previous-threshold, restart it */
  land_at (&f, S (300));
  g_signal_emit_by_name (f.element, "previous-chapter", &ok);
  g_assert_true (ok);
  g_assert_cmpuint (pull_seek (&f, NULL), ==, S (260));

  /* 2 s into chapter 2: go to chapter 1 */
  land_at (&f, S (261));
  g_signal_emit_by_name (f.element, "previous-chapter", &ok);
  g_assert_true (ok);
  g_assert_cmpuint (pull_seek (&f, NULL), ==, S (60));

  /* from the last chapter there is no next */
  land_at (&f, S (2000));
  g_signal_emit_by_name (f.element, "next-chapter", &ok);
  g_assert_false (ok);
  fixture_teardown (&f);
}

static void
test_start_chapter (void)
{
  Fixture f;
  guint i;

  fixture_setup_full (&f, "start-chapter=prediction limits", seed_chapters);
  gst_harness_play (f.h);

  /* audio from before the chapter never reaches downstream */
  for (i = 0; i < 5; i++)
    push_at (&f, S (i), S (1));
  g_assert_cmpuint (gst_harness_buffers_received (f.h), ==, 0);
  g_assert_cmpuint (pull_seek (&f, NULL), ==, S (660));
  /* still before the seek's segment */
  push_at (&f, S (5), S (1));
  g_assert_cmpuint (gst_harness_buffers_received (f.h), ==, 0);

  land_at (&f, S (660));
  g_assert_cmpuint (gst_harness_buffers_received (f.h), ==, 1);
  fixture_teardown (&f);
}

static void
test_start_chapter_missing (void)
{
  Fixture f;
  GstMessage *msg;

  fixture_setup_full (&f, "start-chapter=no such chapter", seed_chapters);
  gst_harness_play (f.h);
  push_at (&f, S (0), S (1));
  /* plays from where it is, and says why */
  g_assert_cmpuint (gst_harness_buffers_received (f.h), ==, 1);
  msg = pop_warning (&f);
  g_assert_nonnull (msg);
  gst_message_unref (msg);
  fixture_teardown (&f);
}

static void
test_stop_chapter (void)
{
  Fixture f;
  GstEvent *ev;
  gboolean eos = FALSE;

  fixture_setup_full (&f, "stop-chapter=2", seed_chapters);
  gst_harness_play (f.h);
  g_assert_cmpint (push_at (&f, S (469), S (1)), ==, GST_FLOW_OK);
  /* changed while playing: the new stop takes over */
  g_object_set (f.element, "stop-chapter", "3", NULL);
  g_assert_cmpint (push_at (&f, S (470), S (1)), ==, GST_FLOW_OK);
  g_object_set (f.element, "stop-chapter", "2", NULL);
  g_assert_cmpint (push_at (&f, S (471), S (1)), ==, GST_FLOW_EOS);
  g_assert_cmpuint (gst_harness_buffers_received (f.h), ==, 2);
  while ((ev = gst_harness_try_pull_event (f.h))) {
    eos |= GST_EVENT_TYPE (ev) == GST_EVENT_EOS;
    gst_event_unref (ev);
  }
  g_assert_true (eos);
  fixture_teardown (&f);
}

static void
test_skip (void)
{
  Fixture f;

  fixture_setup_full (&f, "skip=early*;3", seed_chapters);
  gst_harness_play (f.h);
  g_assert_cmpint (push_at (&f, S (259), S (1)), ==, GST_FLOW_OK);
  g_assert_cmpuint (gst_harness_buffers_received (f.h), ==, 1);
  /* entering chapter 2 (skipped, and 3 after it): on to chapter 4 */
  push_at (&f, S (260), S (1));
  g_assert_cmpuint (gst_harness_buffers_received (f.h), ==, 1);
  g_assert_cmpuint (pull_seek (&f, NULL), ==, S (660));
  fixture_teardown (&f);
}

static void
test_skip_first (void)
{
  Fixture f;

  /* a skipped chapter that starts the episode */
  fixture_setup_full (&f, "skip=1", "0:00 Ad\n1:00 Show\n");
  gst_harness_play (f.h);
  push_at (&f, S (0), S (1));
  g_assert_cmpuint (gst_harness_buffers_received (f.h), ==, 0);
  g_assert_cmpuint (pull_seek (&f, NULL), ==, S (60));
  fixture_teardown (&f);
}

static void
test_upstream_toc (void)
{
  Fixture f;
  GstToc *toc, *out = NULL;
  GstTocEntry *edition, *entry;
  GstTagList *tags;
  GList *entries;
  gchar *title = NULL;

  toc = gst_toc_new (GST_TOC_SCOPE_GLOBAL);
  edition = gst_toc_entry_new (GST_TOC_ENTRY_TYPE_EDITION, "e");
  entry = gst_toc_entry_new (GST_TOC_ENTRY_TYPE_CHAPTER, "x");
  gst_toc_entry_set_start_stop_times (entry, 0, S (5));
  tags = gst_tag_list_new (GST_TAG_TITLE, "From the container", NULL);
  gst_toc_entry_set_tags (entry, tags);
  gst_toc_entry_append_sub_entry (edition, entry);
  gst_toc_append_entry (toc, edition);

  /* embedded only */
  fixture_setup (&f, NULL);
  gst_harness_play (f.h);
  gst_harness_push_event (f.h, gst_event_new_toc (toc, FALSE));
  push_at (&f, 0, S (1));
  g_assert_cmpuint (count_toc_events (f.h, &out), >=, 1);
  entries = gst_toc_entry_get_sub_entries (gst_toc_get_entries (out)->data);
  g_assert_cmpuint (g_list_length (entries), ==, 1);
  gst_tag_list_get_string (gst_toc_entry_get_tags (entries->data),
      GST_TAG_TITLE, &title);
  g_assert_cmpstr (title, ==, "From the container");
  g_clear_pointer (&title, g_free);
  gst_toc_unref (out);
  out = NULL;
  fixture_teardown (&f);

  /* external wins by default */
  fixture_setup_full (&f, NULL, seed_chapters);
  gst_harness_play (f.h);
  gst_harness_push_event (f.h, gst_event_new_toc (toc, FALSE));
  push_at (&f, 0, S (1));
  count_toc_events (f.h, &out);
  entries = gst_toc_entry_get_sub_entries (gst_toc_get_entries (out)->data);
  g_assert_cmpuint (g_list_length (entries), ==, 7);
  gst_toc_unref (out);
  out = NULL;
  fixture_teardown (&f);

  /* prefer=embedded */
  fixture_setup_full (&f, "prefer=embedded", seed_chapters);
  gst_harness_play (f.h);
  gst_harness_push_event (f.h, gst_event_new_toc (toc, FALSE));
  push_at (&f, 0, S (1));
  count_toc_events (f.h, &out);
  entries = gst_toc_entry_get_sub_entries (gst_toc_get_entries (out)->data);
  g_assert_cmpuint (g_list_length (entries), ==, 1);
  gst_toc_unref (out);
  out = NULL;
  fixture_teardown (&f);

  /* embedded=false ignores the stream's chapters: no chapters, so no TOC
   * at all (an empty one is the one a player would keep) */
  fixture_setup (&f, "embedded=false");
  gst_harness_play (f.h);
  gst_harness_push_event (f.h, gst_event_new_toc (toc, FALSE));
  push_at (&f, 0, S (1));
  g_assert_cmpuint (count_toc_events (f.h, &out), ==, 0);
  g_assert_null (out);
  g_assert_null (pop_message (&f, NULL));
  fixture_teardown (&f);
  gst_toc_unref (toc);
}

/* An ID3v2.3 CHAP frame as id3demux passes it on (header included). */
static GstSample *
chap_frame (const gchar * id, guint32 start_ms, guint32 end_ms,
    const gchar * title)
{
  GByteArray *a = g_byte_array_new ();
  guint8 hdr[10] = { 'C', 'H', 'A', 'P' };
  guint8 times[16];
  guint8 sub[10] = { 'T', 'I', 'T', '2' };
  guint32 sub_size = 1 + strlen (title), size;
  GstBuffer *buf;
  GstSample *sample;

  GST_WRITE_UINT32_BE (times, start_ms);
  GST_WRITE_UINT32_BE (times + 4, end_ms);
  GST_WRITE_UINT32_BE (times + 8, 0xffffffff);
  GST_WRITE_UINT32_BE (times + 12, 0xffffffff);
  GST_WRITE_UINT32_BE (sub + 4, sub_size);
  size = strlen (id) + 1 + 16 + 10 + sub_size;
  GST_WRITE_UINT32_BE (hdr + 4, size);
  g_byte_array_append (a, hdr, 10);
  g_byte_array_append (a, (const guint8 *) id, strlen (id) + 1);
  g_byte_array_append (a, times, 16);
  g_byte_array_append (a, sub, 10);
  g_byte_array_append (a, (const guint8 *) "\0", 1);
  g_byte_array_append (a, (const guint8 *) title, strlen (title));
  buf = gst_buffer_new_wrapped (a->data, a->len);
  g_byte_array_free (a, FALSE);
  sample = gst_sample_new (buf, NULL, NULL, NULL);
  gst_buffer_unref (buf);
  return sample;
}

static void
test_tags (void)
{
  Fixture f;
  GstTagList *tags;
  GstSample *a = chap_frame ("ch0", 0, 5000, "Intro");
  GstSample *b = chap_frame ("ch1", 5000, 9000, "Main");
  GstMessage *msg;
  guint n;

  tags = gst_tag_list_new_empty ();
  /* id3demux registers it; it may not be loaded */
  if (!gst_tag_exists ("private-id3v2-frame"))
    gst_tag_register ("private-id3v2-frame", GST_TAG_FLAG_META,
        GST_TYPE_SAMPLE, "ID3v2 frame", "unparsed ID3v2 frame",
        gst_tag_merge_use_first);
  gst_tag_list_add (tags, GST_TAG_MERGE_APPEND, "private-id3v2-frame", a,
      "private-id3v2-frame", b, NULL);
  gst_sample_unref (a);
  gst_sample_unref (b);

  fixture_setup (&f, NULL);
  gst_harness_play (f.h);
  gst_harness_push_event (f.h, gst_event_new_tag (gst_tag_list_copy (tags)));
  /* the same tags again (decoders repeat them): no second TOC */
  gst_harness_push_event (f.h, gst_event_new_tag (tags));
  push_at (&f, S (6), S (1));
  g_object_get (f.element, "n-chapters", &n, NULL);
  g_assert_cmpuint (n, ==, 2);
  msg = pop_message (&f, "chapter");
  g_assert_nonnull (msg);
  g_assert_cmpstr (gst_structure_get_string (gst_message_get_structure (msg),
          "title"), ==, "Main");
  gst_message_unref (msg);
  g_assert_cmpuint (count_toc_events (f.h, NULL), ==, 1);

  /* Vorbis comments as decoders pass them */
  fixture_teardown (&f);
  fixture_setup (&f, NULL);
  gst_harness_play (f.h);
  tags = gst_tag_list_new (GST_TAG_EXTENDED_COMMENT, "CHAPTER001=00:00:00.000",
      NULL);
  gst_tag_list_add (tags, GST_TAG_MERGE_APPEND, GST_TAG_EXTENDED_COMMENT,
      "CHAPTER001NAME=First", GST_TAG_EXTENDED_COMMENT,
      "chapter002=00:00:03.500", GST_TAG_EXTENDED_COMMENT,
      "chapter002name=Second", NULL);
  gst_harness_push_event (f.h, gst_event_new_tag (tags));
  push_at (&f, S (4), S (1));
  g_object_get (f.element, "n-chapters", &n, NULL);
  g_assert_cmpuint (n, ==, 2);
  msg = pop_message (&f, "chapter");
  g_assert_cmpstr (gst_structure_get_string (gst_message_get_structure (msg),
          "title"), ==, "Second");
  gst_message_unref (msg);
  fixture_teardown (&f);
}

static void
test_bad_chapters (void)
{
  Fixture f;
  GstMessage *msg;
  GError *err = NULL;
  gchar *debug = NULL;
  guint i;

  fixture_setup_full (&f, NULL,
      "{\"chapters\": [{\"startTime\": 1}, {\"startTime\": \"x");
  gst_harness_play (f.h);
  for (i = 0; i < 10; i++)
    g_assert_cmpint (push_at (&f, S (i), S (1)), ==, GST_FLOW_OK);
  /* audio untouched */
  g_assert_cmpuint (gst_harness_buffers_received (f.h), ==, 10);
  msg = pop_warning (&f);
  g_assert_nonnull (msg);
  gst_message_parse_warning (msg, &err, &debug);
  g_test_message ("%s / %s", err->message, debug);
  g_assert_nonnull (strstr (debug, "chapters:"));
  g_assert_nonnull (strstr (debug, "line 1"));
  g_error_free (err);
  g_free (debug);
  gst_message_unref (msg);
  fixture_teardown (&f);
}

/* A location that gives no chapters: a warning whose text names it and
 * says why, and the audio passes untouched. */
static void
expect_location_warning (const gchar * location, const gchar * why)
{
  Fixture f;
  GstMessage *msg = NULL;
  GError *err = NULL;
  gchar *debug = NULL;
  gchar *props = g_strdup_printf ("location=%s", location);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  guint i;

  fixture_setup (&f, props);
  gst_harness_play (f.h);
  for (i = 0; i < 10; i++)
    g_assert_cmpint (push_at (&f, S (i), S (1)), ==, GST_FLOW_OK);
  g_assert_cmpuint (gst_harness_buffers_received (f.h), ==, 10);
  while (msg == NULL && g_get_monotonic_time () < deadline) {
    msg = pop_warning (&f);
    if (msg == NULL)
      g_usleep (10000);
  }
  g_assert_nonnull (msg);
  gst_message_parse_warning (msg, &err, &debug);
  g_test_message ("%s / %s", err->message, debug);
  g_assert_nonnull (strstr (debug, location));
  g_assert_nonnull (strstr (debug, why));
  /* no TOC from nothing */
  g_assert_null (pop_message (&f, NULL));
  g_error_free (err);
  g_free (debug);
  g_free (props);
  gst_message_unref (msg);
  fixture_teardown (&f);
}

static void
test_missing_file (void)
{
  expect_location_warning ("/nonexistent/chapters.json", "No such file");
}

/* A 0-byte sidecar (a failed download) and /dev/null: a warning, no
 * crash. */
static void
test_empty_file (void)
{
  g_autofree gchar *dir = g_dir_make_tmp ("empty-XXXXXX", NULL);
  g_autofree gchar *path = g_build_filename (dir, "chapters.json", NULL);

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  expect_location_warning (path, "empty");
  expect_location_warning ("/dev/null", "empty");
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_refuses_running_changes (void)
{
  Fixture f;
  gchar *location = NULL;

  fixture_setup (&f, "location=/a.json");
  gst_harness_play (f.h);
  g_test_expect_message (NULL, G_LOG_LEVEL_WARNING,
      "*can only be set in the NULL or READY state*");
  g_object_set (f.element, "location", "/b.json", NULL);
  g_test_assert_expected_messages ();
  g_object_get (f.element, "location", &location, NULL);
  g_assert_cmpstr (location, ==, "/a.json");
  g_free (location);
  fixture_teardown (&f);
}

/* Our own jump that lands early (as oggdemux over HTTP does) plays from the
 * chapter's first sample: the buffer that holds it is clipped there. A
 * seek that is not ours (another sequence number) is left as it lands. */
static void
test_clip_early_landing (void)
{
  Fixture f;
  GstEvent *ev, *seek = NULL;
  GstBuffer *out;
  guint32 seqnum;
  gboolean ok;
  gint64 deadline;
  guint round;

  fixture_setup_full (&f, NULL, seed_chapters);
  push_segment_at (&f, 0);
  g_assert_cmpint (push_at (&f, 0, S (1)), ==, GST_FLOW_OK);
  while ((out = gst_harness_try_pull (f.h)))
    gst_buffer_unref (out);

  g_signal_emit_by_name (f.element, "seek-chapter", 4, &ok);
  g_assert_true (ok);
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (seek == NULL && g_get_monotonic_time () < deadline) {
    ev = gst_harness_try_pull_upstream_event (f.h);
    if (ev && GST_EVENT_TYPE (ev) == GST_EVENT_SEEK)
      seek = ev;
    else if (ev)
      gst_event_unref (ev);
    else
      g_usleep (1000);
  }
  g_assert_nonnull (seek);
  seqnum = gst_event_get_seqnum (seek);
  gst_event_unref (seek);

  for (round = 0; round < 2; round++) {
    GstSegment segment;

    /* round 0: our jump's flush; round 1: someone else's */
    ev = gst_event_new_flush_start ();
    gst_event_set_seqnum (ev, round == 0 ? seqnum : gst_util_seqnum_next ());
    gst_harness_push_event (f.h, ev);
    ev = gst_event_new_flush_stop (TRUE);
    gst_event_set_seqnum (ev, round == 0 ? seqnum : gst_util_seqnum_next ());
    gst_harness_push_event (f.h, ev);
    gst_segment_init (&segment, GST_FORMAT_TIME);
    segment.start = segment.time = segment.position = S (660) - 400 *
        GST_MSECOND;
    gst_harness_push_event (f.h, gst_event_new_segment (&segment));
    /* 0.3 s before the target, then 0.5 s across it */
    g_assert_cmpint (push_at (&f, S (660) - 400 * GST_MSECOND,
            300 * GST_MSECOND), ==, GST_FLOW_OK);
    g_assert_cmpint (push_at (&f, S (660) - 100 * GST_MSECOND,
            500 * GST_MSECOND), ==, GST_FLOW_OK);
    out = gst_harness_pull (f.h);
    if (round == 0) {
      /* the first sample out is the chapter's: 400 of the 500 left */
      g_assert_cmpuint (GST_BUFFER_PTS (out), ==, S (660));
      g_assert_cmpuint (gst_buffer_get_size (out), ==, 2 * 400);
    } else {
      g_assert_cmpuint (GST_BUFFER_PTS (out), ==, S (660) - 400 *
          GST_MSECOND);
      gst_buffer_unref (out);
      out = gst_harness_pull (f.h);
      g_assert_cmpuint (gst_buffer_get_size (out), ==, 2 * 500);
    }
    gst_buffer_unref (out);
    while ((out = gst_harness_try_pull (f.h)))
      gst_buffer_unref (out);
  }
  fixture_teardown (&f);
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/element/toc", test_toc);
  g_test_add_func ("/element/chapter-messages", test_chapter_messages);
  g_test_add_func ("/element/language", test_language);
  g_test_add_func ("/element/queries", test_queries);
  g_test_add_func ("/element/navigation", test_navigation);
  g_test_add_func ("/element/start-chapter", test_start_chapter);
  g_test_add_func ("/element/start-chapter-missing",
      test_start_chapter_missing);
  g_test_add_func ("/element/stop-chapter", test_stop_chapter);
  g_test_add_func ("/element/skip", test_skip);
  g_test_add_func ("/element/skip-first", test_skip_first);
  g_test_add_func ("/element/upstream-toc", test_upstream_toc);
  g_test_add_func ("/element/tags", test_tags);
  g_test_add_func ("/element/bad-chapters", test_bad_chapters);
  g_test_add_func ("/element/missing-file", test_missing_file);
  g_test_add_func ("/element/empty-file", test_empty_file);
  g_test_add_func ("/element/refuses-running-changes",
      test_refuses_running_changes);
  g_test_add_func ("/element/clip-early-landing", test_clip_early_landing);
  return g_test_run ();
}
