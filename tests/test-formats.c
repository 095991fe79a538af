/* Readers and writers on normal and malformed input. */
#include <gst/gst.h>
#include <string.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/stat.h>
#include <utime.h>

#include "chapter-format.h"
#include "chapter-embedded.h"
#include "chapter-source.h"
#include "audio-compare.h"
#include "seek-index.h"
#include "long-mp3.h"
#include "flac-index.h"
#include "ogg-index.h"
#include "mkv-audio.h"
#include "ebml-read.h"

#define S(x) ((gint64) (x) * GST_SECOND)

static const gint64 seed_starts[] = { S (60), S (260), S (470), S (660),
  S (1060), S (1260), S (1650)
};

static const gchar *const seed_titles[] = { "Defining World Models",
  "Early Use Cases", "The GPT-2 Era", "Prediction Limits",
  "Data and Input Modalities", "Developer Accessibility",
  "Scaling and Gradients"
};

static ChapterList *
read_text (const gchar * text, const gchar * want_format, GError ** error)
{
  const ChapterFormat *format = NULL;
  ChapterList *list = chapter_read ((const guint8 *) text, strlen (text),
      NULL, &format, error);

  if (want_format && format)
    g_assert_cmpstr (format->name, ==, want_format);
  return list;
}

static gboolean
has_warning (const ChapterList * list, const gchar * needle)
{
  guint i;

  for (i = 0; i < list->warnings->len; i++)
    if (strstr (g_ptr_array_index (list->warnings, i), needle))
      return TRUE;
  return FALSE;
}

static void
assert_seed (const ChapterList * list)
{
  guint i;

  g_assert_cmpuint (chapter_list_length (list), ==, 7);
  for (i = 0; i < 7; i++) {
    g_assert_cmpint (chapter_list_get (list, i)->start, ==, seed_starts[i]);
    g_assert_cmpstr (chapter_list_get (list, i)->title, ==, seed_titles[i]);
  }
}

/* data/: the seed's chapters in every format, each sniffed right. */
static void
test_data_files (void)
{
  static const struct
  {
    const gchar *file, *format;
  } files[] = {
    {"episode.json", "json"}, {"episode.psc.xml", "psc"},
    {"episode.rss", "rss"}, {"episode.vtt", "vtt"}, {"episode.cue", "cue"},
    {"episode.ffmetadata", "ffmetadata"}, {"episode.ogm.txt", "ogm"},
    {"episode.mp4chaps.txt", "mp4chaps"}, {"episode.audacity.txt",
        "audacity"}, {"episode.mkv.xml", "mkvxml"}, {"episode.md",
        "shownotes"}, {"episode.html", "shownotes"},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (files); i++) {
    g_autofree gchar *path = g_build_filename (SOURCE_ROOT, "data",
        files[i].file, NULL);
    const ChapterFormat *format = NULL;
    GError *error = NULL;
    g_autoptr (ChapterList) list = chapter_read_file (path, NULL, &format,
        &error);

    g_test_message ("%s", files[i].file);
    g_assert_no_error (error);
    g_assert_cmpstr (format->name, ==, files[i].format);
    assert_seed (list);
    g_assert_cmpuint (list->warnings->len, ==, 0);
  }
}

static void
test_seed_page (void)
{
  g_autofree gchar *path = g_build_filename (SOURCE_ROOT, "..", "shared",
      "seed", "episode-page.txt", NULL);
  g_autoptr (ChapterList) list = NULL;
  const Chapter *c;

  if (!g_file_test (path, G_FILE_TEST_EXISTS)) {
    g_test_skip ("no ../shared/seed");
    return;
  }
  list = chapter_read_file (path, NULL, NULL, NULL);
  assert_seed (list);
  c = chapter_list_get (list, 3);
  g_assert_cmpstr (c->description, ==, "Discussing the current constraints "
      "on contiguous prediction duration and temporal stability.");
  g_assert_cmpint (list->duration, ==, S (2666));
  g_assert_cmpint (chapter_list_get (list, 6)->end, ==, S (2666));
}

static void
test_run_together (void)
{
  g_autoptr (ChapterList) list = read_text ("Chapters\n"
      "0:00Intro: hello.2:05Second Part: at 1:00 we said (3:00) things."
      "1:02:03Late: done\nOther 9:99 text", "shownotes", NULL);

  g_assert_cmpuint (chapter_list_length (list), ==, 3);
  g_assert_cmpstr (chapter_list_get (list, 1)->title, ==, "Second Part");
  g_assert_cmpstr (chapter_list_get (list, 1)->description, ==,
      "at 1:00 we said (3:00) things.");
  g_assert_cmpint (chapter_list_get (list, 2)->start, ==, S (3723));

  /* a range that ends before it starts is no entry of the list */
  g_clear_pointer (&list, chapter_list_free);
  list = read_text ("Notes\n0:00 A\n4:20-1:00 backwards\n9:00 B\n",
      "shownotes", NULL);
  g_assert_cmpuint (chapter_list_length (list), ==, 2);
  g_assert_cmpstr (chapter_list_get (list, 1)->title, ==, "B");
}

/* Every writer's output reads back to the same chapters. */
static void
test_roundtrip (void)
{
  static const gchar *const writers[] = { "json", "psc", "vtt", "cue",
    "ffmetadata", "mp4chaps", NULL
  };
  static const gchar *const titles[] = { "Intro", "Q&A <live> \"quoted\"",
    "a=b;c#d\\e", "Ünïcödé 爱 😊", "  spaced  out  "
  };
  g_autoptr (ChapterList) list = chapter_list_new ();
  guint i, w;

  for (i = 0; i < G_N_ELEMENTS (titles); i++)
    chapter_list_add (list, chapter_new (S (i * 100) + 40 * GST_MSECOND * i,
            titles[i]));
  chapter_list_get (list, 1)->url = g_strdup ("https://example.com/?a=1&b=2");
  chapter_list_finalize (list, S (1000));

  for (w = 0; writers[w]; w++) {
    GError *error = NULL;
    g_autofree gchar *text = chapter_write (list, writers[w], &error);
    const ChapterFormat *format = NULL;
    g_autoptr (ChapterList) back = NULL;

    g_assert_no_error (error);
    back = chapter_read ((const guint8 *) text, strlen (text), NULL, &format,
        &error);
    g_assert_no_error (error);
    g_test_message ("%s:\n%s", writers[w], text);
    g_assert_cmpstr (format->name, ==, writers[w]);
    g_assert_cmpuint (chapter_list_length (back), ==, G_N_ELEMENTS (titles));
    for (i = 0; i < G_N_ELEMENTS (titles); i++) {
      const Chapter *a = chapter_list_get (list, i);
      const Chapter *b = chapter_list_get (back, i);
      /* CUE keeps 1/75 s; the others keep milliseconds or better */
      gint64 tolerance = g_str_equal (writers[w], "cue") ?
          GST_SECOND / 150 : 0;
      gboolean keeps_spaces = !g_str_equal (writers[w], "mp4chaps")
          && !g_str_equal (writers[w], "vtt");

      g_assert_cmpint (ABS (a->start - b->start), <=, tolerance);
      if (g_str_equal (writers[w], "cue") && strchr (a->title, '"'))
        g_assert_cmpstr (b->title, ==, "Q&A <live> 'quoted'");
      else if (keeps_spaces || a->title[0] != ' ')
        g_assert_cmpstr (b->title, ==, a->title);
    }
    if (g_str_equal (writers[w], "json") || g_str_equal (writers[w], "psc"))
      g_assert_cmpstr (chapter_list_get (back, 1)->url, ==,
          "https://example.com/?a=1&b=2");
  }
}

static void
test_unknown_writer (void)
{
  g_autoptr (ChapterList) list = chapter_list_new ();
  GError *error = NULL;
  gchar *text = chapter_write (list, "docx", &error);

  g_assert_null (text);
  g_assert_error (error, CHAPTER_ERROR, CHAPTER_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "mp4chaps"));
  g_error_free (error);
}

static void
test_json_malformed (void)
{
  GError *error = NULL;
  ChapterList *list;

  /* truncated: an error naming the line */
  list = read_text ("{\"chapters\": [\n {\"startTime\": 0, \"title\": \"a\"},\n"
      " {\"startTime\": 5, \"tit", "json", &error);
  g_assert_null (list);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "line 3"));
  g_clear_error (&error);

  /* wrong types, negative times: those chapters skipped with a warning */
  list = read_text ("{\"chapters\": [{\"startTime\": \"soon\", \"title\": 1},"
      "{\"startTime\": -4, \"title\": \"neg\"},"
      "{\"startTime\": 30, \"title\": \"b\", \"endTime\": 10},"
      "{\"startTime\": 10, \"title\": \"a\", \"toc\": false, \"img\": 5},"
      "[1,2], {\"startTime\": 10, \"title\": \"a\", \"toc\": false}]}",
      "json", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chapter_list_length (list), ==, 2);
  g_assert_cmpstr (chapter_list_get (list, 0)->title, ==, "a");
  g_assert_true (chapter_list_get (list, 0)->hidden);
  g_assert_null (chapter_list_get (list, 0)->image_url);
  g_assert_cmpint (chapter_list_get (list, 0)->end, ==, S (30));
  g_assert_true (has_warning (list, "chapters[0]: startTime"));
  g_assert_true (has_warning (list, "chapters[1]: startTime"));
  g_assert_true (has_warning (list, "chapters[2]: endTime before"));
  g_assert_true (has_warning (list, "chapters[4] is not an object"));
  chapter_list_free (list);

  list = read_text ("{\"title\": \"no chapters here\"}", "json", &error);
  g_assert_null (list);
  g_assert_error (error, CHAPTER_ERROR, CHAPTER_ERROR_PARSE);
  g_clear_error (&error);
}

static void
test_json_large (void)
{
  GString *json = g_string_new ("{\"version\":\"1.2.0\",\"chapters\":[");
  ChapterList *list;
  gint64 t0;
  guint i;

  for (i = 0; i < 100000; i++)
    g_string_append_printf (json, "%s{\"startTime\":%u.5,\"title\":"
        "\"Chapter %u\"}", i ? "," : "", i, i + 1);
  g_string_append (json, "]}");
  t0 = g_get_monotonic_time ();
  list = read_text (json->str, "json", NULL);
  g_test_message ("100000 chapters parsed in %.1f ms",
      (g_get_monotonic_time () - t0) / 1000.0);
  g_assert_cmpuint (chapter_list_length (list), ==, 100000);
  g_assert_cmpint (chapter_list_get (list, 99999)->start, ==,
      S (99999) + GST_SECOND / 2);
  chapter_list_free (list);
  g_string_free (json, TRUE);
}

static void
test_encodings (void)
{
  static const gchar cue_utf8[] = "\xef\xbb\xbfTITLE \"x\"\r\nFILE \"a\" MP3\r\n"
      "  TRACK 01 AUDIO\r\n    TITLE \"Caf\xc3\xa9\"\r\n    INDEX 01 00:00:00\r\n"
      "  TRACK 02 AUDIO\r\n    TITLE \"Zw\xc3\xb6lf\"\r\n"
      "    INDEX 01 100:00:37\r\n";
  static const gchar cue_latin1[] = "FILE \"a\" MP3\n  TRACK 01 AUDIO\n"
      "    TITLE \"Caf\xe9" " \xfc" "ber\"\n    INDEX 01 00:01:00\n";
  static const gchar cue_gbk[] = "FILE \"a\" MP3\n  TRACK 01 AUDIO\n"
      "    TITLE \"\xd6\xd0\xce\xc4\"\n    INDEX 01 00:01:00\n";
  g_autofree gchar *utf16 = NULL;
  gsize utf16_len;
  ChapterList *list;
  GError *error = NULL;

  list = read_text (cue_utf8, "cue", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chapter_list_get (list, 0)->title, ==, "Café");
  /* minutes past 99, 75 frames a second */
  g_assert_cmpint (chapter_list_get (list, 1)->start, ==,
      S (6000) + 37 * GST_SECOND / 75);
  chapter_list_free (list);

  list = read_text (cue_latin1, "cue", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chapter_list_get (list, 0)->title, ==, "Café über");
  chapter_list_free (list);

  list = read_text (cue_gbk, "cue", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chapter_list_get (list, 0)->title, ==, "中文");
  chapter_list_free (list);

  /* UTF-16 with a BOM, both byte orders */
  for (guint be = 0; be < 2; be++) {
    g_autofree gchar *body = g_convert (cue_utf8 + 3, -1,
        be ? "UTF-16BE" : "UTF-16LE", "UTF-8", NULL, &utf16_len, NULL);

    g_free (utf16);
    utf16 = g_malloc (utf16_len + 2);
    memcpy (utf16, be ? "\xfe\xff" : "\xff\xfe", 2);
    memcpy (utf16 + 2, body, utf16_len);
    list = chapter_read ((const guint8 *) utf16, utf16_len + 2, NULL, NULL,
        &error);
    g_assert_no_error (error);
    g_assert_cmpuint (chapter_list_length (list), ==, 2);
    g_assert_cmpstr (chapter_list_get (list, 1)->title, ==, "Zwölf");
    chapter_list_free (list);
  }
}

static void
test_invalid_utf8 (void)
{
  /* a JSON string with a lone continuation byte: made valid, not dropped */
  g_autoptr (ChapterList) vtt = read_text ("WEBVTT\n\n00:00.000 --> 00:01.000\n"
      "bad \xc3 byte\n", NULL, NULL);

  g_assert_nonnull (vtt);
  g_assert_true (g_utf8_validate (chapter_list_get (vtt, 0)->title, -1,
          NULL));
  g_assert_nonnull (strstr (chapter_list_get (vtt, 0)->title, "bad"));
}

static void
test_vtt (void)
{
  ChapterList *list;
  GError *error = NULL;

  list = read_text ("WEBVTT - chapters\r\n\r\nNOTE a comment\r\n00:00.000 "
      "--> 00:01.000\r\n\r\n1\r\n00:00.000 --> 00:10.000 align:start\r\n"
      "First\r\nline two\r\n\r\n2\r\nnonsense --> 00:20.000\r\nSkipped\r\n\r\n"
      "3\r\n00:00:20.000 --> 00:00:30.000\r\nThird\r\n", "vtt", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chapter_list_length (list), ==, 2);
  g_assert_cmpstr (chapter_list_get (list, 0)->title, ==, "First line two");
  g_assert_cmpint (chapter_list_get (list, 0)->end, ==, S (10));
  g_assert_cmpint (chapter_list_get (list, 1)->start, ==, S (20));
  g_assert_true (has_warning (list, "line 12"));
  chapter_list_free (list);

  /* cue text per the WebVTT spec: references decoded, tags removed */
  list = read_text ("WEBVTT\n\n00:00.000 --> 00:10.000\n<v Host><b>Late "
      "Topic</b> &amp; More</v>\n\n00:10.000 --> 00:20.000\n<c.loud>R&amp;D"
      "</c> &lt;3 &#x2013; <00:15.000>&nbsp;Q&A &bogus;\n", "vtt", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (chapter_list_get (list, 0)->title, ==, "Late Topic & More");
  g_assert_cmpstr (chapter_list_get (list, 1)->title, ==,
      "R&D <3 \xe2\x80\x93 \xc2\xa0Q&A &bogus;");
  chapter_list_free (list);
}

/* Matroska titles in several languages: the user's, else English, else
 * the first; in chapter XML and in a Matroska file (made by mkvmerge). */
static void
test_languages (void)
{
  static const gchar *xml = "<?xml version=\"1.0\"?>\n<Chapters>"
      "<EditionEntry><ChapterAtom><ChapterTimeStart>00:00:00.000"
      "</ChapterTimeStart><ChapterDisplay><ChapterString>Einleitung"
      "</ChapterString><ChapterLanguage>ger</ChapterLanguage></ChapterDisplay>"
      "<ChapterDisplay><ChapterString>Introduction</ChapterString>"
      "<ChapterLanguage>eng</ChapterLanguage></ChapterDisplay></ChapterAtom>"
      "<ChapterAtom><ChapterTimeStart>00:00:02.000</ChapterTimeStart>"
      "<ChapterDisplay><ChapterString>Ende</ChapterString><ChapterLanguage>"
      "ger</ChapterLanguage></ChapterDisplay><ChapterDisplay><ChapterString>"
      "Fin</ChapterString><ChapLanguageIETF>fr-CA</ChapLanguageIETF>"
      "</ChapterDisplay></ChapterAtom></EditionEntry></Chapters>";
  g_autofree gchar *dir = g_dir_make_tmp ("chapters-lang-XXXXXX", NULL);
  g_autofree gchar *xml_path = g_build_filename (dir, "c.xml", NULL);
  g_autofree gchar *audio = g_build_filename (dir, "a.mka", NULL);
  g_autofree gchar *mka = NULL;
  ChapterList *list;
  guint round;

  g_assert_true (g_file_set_contents (xml_path, xml, -1, NULL));
  for (round = 0; round < 2; round++) {
    const gchar *path = xml_path;

    if (round)
      path = mka = make_mka_with_chapters (dir, xml);
    g_setenv ("LANGUAGE", "de_AT:de", TRUE);
    list = chapter_source_load (path, NULL, NULL, NULL, NULL);
    g_assert_nonnull (list);
    g_assert_cmpstr (chapter_list_get (list, 0)->title, ==, "Einleitung");
    g_assert_cmpstr (chapter_list_get (list, 1)->title, ==, "Ende");
    chapter_list_free (list);

    g_setenv ("LANGUAGE", "ja", TRUE);
    list = chapter_source_load (path, NULL, NULL, NULL, NULL);
    g_assert_cmpstr (chapter_list_get (list, 0)->title, ==, "Introduction");
    /* no English: the first */
    g_assert_cmpstr (chapter_list_get (list, 1)->title, ==, "Ende");
    chapter_list_choose_language (list, "fra");
    g_assert_cmpstr (chapter_list_get (list, 0)->title, ==, "Introduction");
    g_assert_cmpstr (chapter_list_get (list, 1)->title, ==, "Fin");
    /* a copy keeps every language */
    {
      ChapterList *copy = chapter_list_copy (list);

      chapter_list_choose_language (copy, "de");
      g_assert_cmpstr (chapter_list_get (copy, 0)->title, ==, "Einleitung");
      chapter_list_free (copy);
    }
    chapter_list_free (list);
    g_unsetenv ("LANGUAGE");
  }
  g_unlink (mka);
  g_unlink (audio);
  g_unlink (xml_path);
  g_rmdir (dir);
}

/* A minimal MP4 writer for chapter tracks: boxes in a byte array. */
static gsize
box_open (GByteArray * b, const gchar * type)
{
  static const guint8 zero[4] = { 0 };
  gsize at = b->len;

  g_byte_array_append (b, zero, 4);
  g_byte_array_append (b, (const guint8 *) type, 4);
  return at;
}

static void
box_close (GByteArray * b, gsize at)
{
  guint32 size = b->len - at;
  guint i;

  /* (byte by byte: the size field may lie at any address) */
  for (i = 0; i < 4; i++)
    b->data[at + i] = (guint8) (size >> (24 - 8 * i));
}

static void
put_u32 (GByteArray * b, guint32 v)
{
  guint8 d[4];

  GST_WRITE_UINT32_BE (d, v);
  g_byte_array_append (b, d, 4);
}

static void
put_zeros (GByteArray * b, guint n)
{
  while (n--)
    g_byte_array_append (b, (const guint8 *) "", 1);
}

/* A text track @id in @language (ISO 639-2/T), one sample per title, each
 * @step ms long; its samples at @offsets. */
static void
put_text_trak (GByteArray * b, guint32 id, const gchar * language,
    const gchar * const *titles, guint n, guint32 step,
    const guint32 * offsets)
{
  gsize trak = box_open (b, "trak"), box, mdia, minf, stbl;
  guint i;

  box = box_open (b, "tkhd");
  put_u32 (b, 0);               /* version, flags */
  put_zeros (b, 8);             /* created, modified */
  put_u32 (b, id);
  put_zeros (b, 68);
  box_close (b, box);
  mdia = box_open (b, "mdia");
  box = box_open (b, "mdhd");
  put_u32 (b, 0);
  put_zeros (b, 8);
  put_u32 (b, 1000);            /* timescale */
  put_u32 (b, n * step);
  {
    guint8 code[2];

    GST_WRITE_UINT16_BE (code, ((language[0] - 0x60) << 10)
        | ((language[1] - 0x60) << 5) | (language[2] - 0x60));
    g_byte_array_append (b, code, 2);
  }
  put_zeros (b, 2);
  box_close (b, box);
  box = box_open (b, "hdlr");
  put_u32 (b, 0);
  put_u32 (b, 0);
  g_byte_array_append (b, (const guint8 *) "text", 4);
  put_zeros (b, 13);
  box_close (b, box);
  minf = box_open (b, "minf");
  stbl = box_open (b, "stbl");
  box = box_open (b, "stts");
  put_u32 (b, 0);
  put_u32 (b, 1);
  put_u32 (b, n);
  put_u32 (b, step);
  box_close (b, box);
  box = box_open (b, "stsc");
  put_u32 (b, 0);
  put_u32 (b, 1);
  put_u32 (b, 1);
  put_u32 (b, 1);
  put_u32 (b, 1);
  box_close (b, box);
  box = box_open (b, "stsz");
  put_u32 (b, 0);
  put_u32 (b, 0);
  put_u32 (b, n);
  for (i = 0; i < n; i++)
    put_u32 (b, 2 + strlen (titles[i]));
  box_close (b, box);
  box = box_open (b, "stco");
  put_u32 (b, 0);
  put_u32 (b, n);
  for (i = 0; i < n; i++)
    put_u32 (b, offsets[i]);
  box_close (b, box);
  box_close (b, stbl);
  box_close (b, minf);
  box_close (b, mdia);
  box_close (b, trak);
}

/* MP4 chapter titles in several languages, as Apple's tools write them:
 * the sound track's tref/chap names one text track per language (each
 * with its language in mdhd) and a text track of links. */
static void
test_mp4_languages (void)
{
  static const gchar *const titles[3][2] = {
    {"Introduction", "The End"},
    {"Einleitung", "Das Ende"},
    {"https://example.org/a", "https://example.org/b"},
  };
  static const gchar *const languages[] = { "eng", "deu", "eng" };
  g_autoptr (GByteArray) b = g_byte_array_new ();
  guint32 offsets[3][2];
  gsize mdat, moov, trak, box;
  guint t, i;
  ChapterList *list;
  GError *error = NULL;

  box = box_open (b, "ftyp");
  g_byte_array_append (b, (const guint8 *) "M4A \0\0\0\0M4A ", 12);
  box_close (b, box);
  mdat = box_open (b, "mdat");
  for (t = 0; t < 3; t++)
    for (i = 0; i < 2; i++) {
      guint8 len[2];

      offsets[t][i] = b->len;
      GST_WRITE_UINT16_BE (len, strlen (titles[t][i]));
      g_byte_array_append (b, len, 2);
      g_byte_array_append (b, (const guint8 *) titles[t][i],
          strlen (titles[t][i]));
    }
  box_close (b, mdat);
  moov = box_open (b, "moov");
  /* the sound track: only its chapter references matter here */
  trak = box_open (b, "trak");
  box = box_open (b, "tref");
  {
    gsize chap = box_open (b, "chap");

    put_u32 (b, 2);
    put_u32 (b, 3);
    put_u32 (b, 4);
    box_close (b, chap);
  }
  box_close (b, box);
  box_close (b, trak);
  for (t = 0; t < 3; t++)
    put_text_trak (b, 2 + t, languages[t], titles[t], 2, 5000, offsets[t]);
  box_close (b, moov);

  g_setenv ("LANGUAGE", "de_DE:de", TRUE);
  list = chapter_mp4_read (b->data, b->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chapter_list_length (list), ==, 2);
  g_assert_cmpstr (chapter_list_get (list, 0)->title, ==, "Einleitung");
  g_assert_cmpstr (chapter_list_get (list, 1)->title, ==, "Das Ende");
  /* the links track is not a language: its hrefs would be links, its text
   * no title */
  g_assert_cmpuint (chapter_list_get (list, 1)->titles->len, ==, 2);
  chapter_list_choose_language (list, "en");
  g_assert_cmpstr (chapter_list_get (list, 1)->title, ==, "The End");
  chapter_list_free (list);

  g_setenv ("LANGUAGE", "fr", TRUE);
  list = chapter_mp4_read (b->data, b->len, &error);
  g_assert_cmpstr (chapter_list_get (list, 0)->title, ==, "Introduction");
  g_assert_cmpint (chapter_list_get (list, 1)->start, ==, S (5));
  chapter_list_free (list);
  g_unsetenv ("LANGUAGE");
}

static void
test_ffmetadata (void)
{
  ChapterList *list;

  /* no TIMEBASE: nanoseconds; escapes; a chapter without START */
  list = read_text (";FFMETADATA1\ntitle=album\n[CHAPTER]\nSTART=1500000000\n"
      "END=2000000000\ntitle=one\\=two\\;three\\\\\n[CHAPTER]\nTIMEBASE=1/75\n"
      "START=150\ntitle=multi\\\nline\n[CHAPTER]\ntitle=nostart\n[STREAM]\n"
      "title=not a chapter\n", "ffmetadata", NULL);
  g_assert_cmpuint (chapter_list_length (list), ==, 2);
  g_assert_cmpint (chapter_list_get (list, 0)->start, ==, 1500 * GST_MSECOND);
  g_assert_cmpint (chapter_list_get (list, 0)->end, ==, S (2));
  g_assert_cmpstr (chapter_list_get (list, 0)->title, ==, "one=two;three\\");
  g_assert_cmpint (chapter_list_get (list, 1)->start, ==, S (2));
  g_assert_cmpstr (chapter_list_get (list, 1)->title, ==, "multi\nline");
  g_assert_true (has_warning (list, "line 12"));
  chapter_list_free (list);
}

static void
test_timestamp_lists (void)
{
  ChapterList *list;

  list = read_text ("0:00 Intro\n1:02:03 - Deep Dive\n[11:00] Prediction "
      "Limits\n- 12:00 | Bullet\n", "mp4chaps", NULL);
  g_assert_cmpuint (chapter_list_length (list), ==, 4);
  g_assert_cmpstr (chapter_list_get (list, 1)->title, ==, "Prediction Limits");
  g_assert_cmpint (chapter_list_get (list, 3)->start, ==, S (3723));
  g_assert_cmpstr (chapter_list_get (list, 3)->title, ==, "Deep Dive");
  g_assert_cmpstr (chapter_list_get (list, 2)->title, ==, "Bullet");
  chapter_list_free (list);

  list = read_text ("0.000000\t10.5\tFirst\n\\\t100\t200\n10.5\t10.5\t"
      "Marker\n", "audacity", NULL);
  g_assert_cmpuint (chapter_list_length (list), ==, 2);
  g_assert_cmpint (chapter_list_get (list, 1)->start, ==, 10500 *
      GST_MSECOND);
  chapter_list_free (list);

  list = read_text ("CHAPTER01=00:00:00.000\nCHAPTER01NAME=A\nCHAPTER02=00:01"
      ":00.500\nCHAPTER02NAME=B\nCHAPTER03NAME=orphan\ngarbage\n", "ogm",
      NULL);
  g_assert_cmpuint (chapter_list_length (list), ==, 2);
  g_assert_cmpint (chapter_list_get (list, 1)->start, ==, 60500 *
      GST_MSECOND);
  g_assert_true (has_warning (list, "line 5"));
  g_assert_true (has_warning (list, "line 6"));
  chapter_list_free (list);
}

static void
test_xml_safety (void)
{
  GError *error = NULL;
  ChapterList *list;

  /* entity expansion refused */
  list = read_text ("<?xml version=\"1.0\"?>\n<!DOCTYPE Chapters [\n"
      "<!ENTITY a \"aaaaaaaaaa\">\n<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;\">\n]>\n"
      "<Chapters><EditionEntry><ChapterAtom><ChapterTimeStart>0"
      "</ChapterTimeStart><ChapterDisplay><ChapterString>&b;</ChapterString>"
      "</ChapterDisplay></ChapterAtom></EditionEntry></Chapters>", "mkvxml",
      &error);
  g_assert_null (list);
  g_assert_error (error, CHAPTER_ERROR, CHAPTER_ERROR_LIMIT);
  g_clear_error (&error);

  /* an external DTD is never fetched, and never needed */
  list = read_text ("<?xml version=\"1.0\"?>\n<!DOCTYPE Chapters SYSTEM "
      "\"http://127.0.0.1:1/x.dtd\">\n<Chapters><EditionEntry><ChapterAtom>"
      "<ChapterTimeStart>00:00:01</ChapterTimeStart></ChapterAtom>"
      "</EditionEntry></Chapters>", "mkvxml", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (chapter_list_length (list), ==, 1);
  chapter_list_free (list);

  /* malformed: the line is named */
  list = read_text ("<psc:chapters xmlns:psc=\"http://podlove.org/simple-"
      "chapters\">\n<psc:chapter start=\"0\" title=\"a\"/>\n<psc:chapter "
      "start=\"1\" title=\"b\">\n", "psc", &error);
  g_assert_null (list);
  g_assert_nonnull (strstr (error->message, "line"));
  g_clear_error (&error);
}

static void
test_rss_item_choice (void)
{
  g_autofree gchar *path = g_build_filename (SOURCE_ROOT, "data",
      "episode.rss", NULL);
  ChapterReadContext ctx = { "http://cdn.example.com/media/other.mp3?t=1" };
  ChapterList *list;

  list = chapter_read_file (path, &ctx, NULL, NULL);
  g_assert_cmpuint (chapter_list_length (list), ==, 2);
  g_assert_cmpstr (chapter_list_get (list, 0)->title, ==, "Wrong item");
  chapter_list_free (list);

  ctx = (ChapterReadContext) {
  NULL, "world-models-are-here", NULL};
  list = chapter_read_file (path, &ctx, NULL, NULL);
  assert_seed (list);
  /* itunes:duration */
  g_assert_cmpint (list->duration, ==, S (2666));
  chapter_list_free (list);

  ctx = (ChapterReadContext) {
  "https://example.com/unknown.mp3", NULL, NULL};
  list = chapter_read_file (path, &ctx, NULL, NULL);
  assert_seed (list);
  g_assert_true (has_warning (list, "no feed item matches"));
  chapter_list_free (list);
}

static void
test_garbage (void)
{
  static const gchar *const inputs[] = { "", "   \n\n", "hello world",
    "{", "<", "<?xml", "WEBVTT", ";FFMETADATA1\n[CHAPTER]\nSTART=x",
    "TRACK 01 AUDIO\nINDEX 01 99:99:99", "CHAPTER01NAME=x", NULL
  };
  guint8 random_bytes[4096];
  GRand *rand = g_rand_new_with_seed (42);
  guint i, round;

  for (i = 0; inputs[i]; i++) {
    GError *error = NULL;
    ChapterList *list = read_text (inputs[i], NULL, &error);

    /* either chapters or an error, never both, never a crash */
    g_assert_true ((list == NULL) != (error == NULL));
    if (error) {
      g_assert_nonnull (error->message);
      g_error_free (error);
    }
    chapter_list_free (list);
  }
  for (round = 0; round < 200; round++) {
    GError *error = NULL;
    ChapterList *list;
    gsize n = g_rand_int_range (rand, 0, sizeof random_bytes);

    for (i = 0; i < n; i++)
      random_bytes[i] = g_rand_int (rand);
    list = chapter_read (random_bytes, n, NULL, NULL, &error);
    g_assert_true ((list == NULL) != (error == NULL));
    g_clear_error (&error);
    chapter_list_free (list);
  }
  g_rand_free (rand);
}

/* Empty input (a failed download, an empty sidecar, /dev/null): every
 * reader, the dispatcher, the file and source loaders and the container
 * readers answer with an error or no chapters, and never crash. A mapped
 * empty file has no data pointer at all, so NULL is tried as well as "". */
static void
test_empty_input (void)
{
  static const guint8 nothing[1] = { 0 };
  static const ChapterReadContext no_context = { NULL, };
  const guint8 *const empties[] = { NULL, nothing };
  const ChapterFormat *const *formats = chapter_formats ();
  ChapterList *(*const containers[]) (const guint8 *, gsize, GError **) = {
    chapter_embedded_read, chapter_id3_read, chapter_mp4_read,
    chapter_ogg_read, chapter_flac_read, chapter_matroska_read,
    chapter_riff_read,
  };
  g_autofree gchar *dir = g_dir_make_tmp ("empty-XXXXXX", NULL);
  g_autofree gchar *path = g_build_filename (dir, "episode.chapters.json",
      NULL);
  GError *error = NULL;
  ChapterList *list;
  guint e, i;

  for (e = 0; e < G_N_ELEMENTS (empties); e++) {
    list = chapter_read (empties[e], 0, NULL, NULL, &error);
    g_assert_null (list);
    g_assert_error (error, CHAPTER_ERROR, CHAPTER_ERROR_FORMAT);
    g_assert_nonnull (strstr (error->message, "empty"));
    g_clear_error (&error);
    for (i = 0; formats[i]; i++) {
      g_assert_cmpuint (formats[i]->sniff (empties[e], 0), ==, 0);
      list = formats[i]->read (empties[e], 0, &no_context, &error);
      /* a list with no chapters or an error, never both */
      g_assert_true ((list == NULL) != (error == NULL));
      if (list)
        g_assert_cmpuint (chapter_list_length (list), ==, 0);
      g_clear_error (&error);
      chapter_list_free (list);
    }
    for (i = 0; i < G_N_ELEMENTS (containers); i++) {
      list = containers[i] (empties[e], 0, &error);
      g_assert_true ((list == NULL) != (error == NULL));
      if (list)
        g_assert_cmpuint (chapter_list_length (list), ==, 0);
      g_clear_error (&error);
      chapter_list_free (list);
    }
  }

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  list = chapter_read_file (path, NULL, NULL, &error);
  g_assert_null (list);
  g_assert_nonnull (error);
  /* the message says what and where */
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "empty"));
  g_clear_error (&error);

  list = chapter_read_file ("/dev/null", NULL, NULL, &error);
  g_assert_null (list);
  g_assert_nonnull (error);
  g_clear_error (&error);

  list = chapter_source_load (path, NULL, NULL, NULL, &error);
  g_assert_null (list);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "empty"));
  g_clear_error (&error);

  list = chapter_embedded_read_uri (path, &error);
  g_assert_true ((list == NULL) != (error == NULL));
  g_clear_error (&error);
  chapter_list_free (list);

  g_unlink (path);
  g_rmdir (dir);
}

/* The index of @data scanned whole and streamed by in buffers of @chunk
 * bytes: the same frames, points, completeness. */
static SeekIndex *
scan_and_stream (const guint8 * data, gsize size, gsize chunk)
{
  SeekIndex *scanned = seek_index_scan (data, size);
  g_autoptr (SeekIndex) fed = seek_index_new ();
  guint64 f1, o1, f2, o2;

  g_assert_nonnull (scanned);
  for (gsize at = 0; at < size; at += MIN (chunk, size - at))
    seek_index_feed (fed, at, data + at, MIN (chunk, size - at));
  seek_index_set_complete (fed);
  g_assert_cmpuint (seek_index_frames (fed), ==, seek_index_frames (scanned));
  g_assert_cmpuint (seek_index_damages (fed), ==,
      seek_index_damages (scanned));
  g_assert_cmpint (seek_index_complete (fed), ==,
      seek_index_complete (scanned));
  g_assert_cmpint (seek_index_lost (fed), ==, seek_index_lost (scanned));
  for (guint64 f = 0; f < seek_index_frames (scanned); f += 997) {
    seek_index_lookup (scanned, f, &f1, &o1);
    seek_index_lookup (fed, f, &f2, &o2);
    g_assert_cmpuint (f1, ==, f2);
    g_assert_cmpuint (o1, ==, o2);
  }
  return scanned;
}

/* Damage inside an MP3 (20 KB of noise, as a bad download or a broken
 * splice leaves) and an ID3v2 tag in the middle (as ad stitching leaves):
 * the index passes both, counting the same frames as the clean file, at
 * their moved offsets, scanned whole or streamed in any buffer size; it
 * is complete and its duration the clean file's. Damage it finds no
 * frames after (100 KB of zeros) ends it, not complete: its frames are
 * the ones before, and it says it lost the stream. */
static void
test_seek_index_damage (void)
{
  const gchar *build = g_getenv ("CHAPTER_BUILD_ROOT");
  g_autofree gchar *path = g_build_filename (build ? build : ".", "data",
      "episode-vbr.mp3", NULL);
  g_autoptr (GMappedFile) mp3 = g_mapped_file_new (path, FALSE, NULL);
  g_autoptr (SeekIndex) clean = NULL, damaged = NULL, lost = NULL;
  g_autoptr (GByteArray) tagged = NULL, zeros = NULL;
  const guint8 *data;
  guint64 frame_a, at_a, frame_b, at_b, f, o;
  gsize size;

  if (mp3 == NULL) {
    g_test_skip ("no stand-in episode");
    return;
  }
  data = (const guint8 *) g_mapped_file_get_contents (mp3);
  size = g_mapped_file_get_length (mp3);
  clean = seek_index_scan (data, size);
  g_assert_true (seek_index_complete (clean));
  g_assert_cmpuint (seek_index_damages (clean), ==, 0);
  /* frame boundaries at 30% and 60% of the frames */
  g_assert_true (seek_index_lookup (clean, seek_index_frames (clean) * 3 /
          10, &frame_a, &at_a));
  g_assert_true (seek_index_lookup (clean, seek_index_frames (clean) * 6 /
          10, &frame_b, &at_b));

  tagged = mp3_damage (data, size, at_a, 20000, -1, at_b);
  for (guint i = 0; i < 3; i++) {
    static const gsize chunks[] = { 4096, 1000, 65536 };

    g_clear_pointer (&damaged, seek_index_free);
    damaged = scan_and_stream (tagged->data, tagged->len, chunks[i]);
  }
  g_assert_cmpuint (seek_index_damages (damaged), ==, 2);
  g_assert_true (seek_index_complete (damaged));
  g_assert_cmpuint (seek_index_frames (damaged), ==, seek_index_frames
      (clean));
  g_assert_cmpint (seek_index_duration (damaged), ==, seek_index_duration
      (clean));
  /* before the noise, between, and after the tag: moved by what came in */
  g_assert_true (seek_index_lookup (damaged, frame_a - 1, &f, &o));
  g_assert_cmpuint (o, <, at_a);
  g_assert_true (seek_index_lookup (damaged, frame_a, &f, &o));
  g_assert_cmpuint (f, ==, frame_a);
  g_assert_cmpuint (o, ==, at_a + 20000);
  g_assert_true (seek_index_lookup (damaged, frame_b, &f, &o));
  g_assert_cmpuint (f, ==, frame_b);
  g_assert_cmpuint (o, ==, at_b + 20000 + MP3_DAMAGE_TAG_BYTES);

  zeros = mp3_damage (data, size, at_a, 100000, 0, 0);
  lost = scan_and_stream (zeros->data, zeros->len, 4096);
  g_assert_true (seek_index_lost (lost));
  g_assert_false (seek_index_complete (lost));
  g_assert_cmpuint (seek_index_frames (lost), ==, frame_a);
  g_assert_cmpuint (seek_index_end_offset (lost), ==, at_a);
}

/* The seek index cache: what is saved loads back the same; anything
 * damaged is refused. */
/* A landing checked against the index that planned it: the frames from
 * an index point reach the next one at its byte (past damage, as the
 * index passes it); a byte that is no point of it, a file whose frames
 * are elsewhere there, or one that ends first are refused; too few bytes
 * ask for more. The index of the bytes that streamed by agrees with the
 * scan of the same file, not with another's. */
static void
test_seek_index_landing (void)
{
  const gchar *build = g_getenv ("CHAPTER_BUILD_ROOT");
  g_autofree gchar *path = g_build_filename (build ? build : ".", "data",
      "episode-vbr.mp3", NULL);
  g_autofree gchar *cbr_path = g_build_filename (build ? build : ".", "data",
      "episode-cbr.mp3", NULL);
  g_autoptr (GMappedFile) mp3 = g_mapped_file_new (path, FALSE, NULL);
  g_autoptr (GMappedFile) cbr = g_mapped_file_new (cbr_path, FALSE, NULL);
  g_autoptr (SeekIndex) index = NULL, damaged_index = NULL, head = NULL;
  g_autoptr (SeekIndex) cbr_index = NULL;
  g_autoptr (GByteArray) damaged = NULL;
  const guint8 *data;
  gsize size;
  guint64 f, at, next, last, end;
  guint checked = 0;

  if (mp3 == NULL || cbr == NULL) {
    g_test_skip ("no stand-in episode");
    return;
  }
  data = (const guint8 *) g_mapped_file_get_contents (mp3);
  size = g_mapped_file_get_length (mp3);
  index = seek_index_scan (data, size);
  g_assert_true (seek_index_lookup (index, 3200, &f, &at));
  g_assert_true (seek_index_lookup (index, 3200 + SEEK_INDEX_STRIDE, &f,
          &next));
  g_assert_cmpint (seek_index_check_landing (index, 3200, at, data + at,
          size - at, TRUE), ==, SEEK_LANDING_GOOD);
  /* (the headers tell: the bytes up to the next point's) */
  g_assert_cmpint (seek_index_check_landing (index, 3200, at, data + at,
          (next - at) / 2, FALSE), ==, SEEK_LANDING_MORE);
  g_assert_cmpint (seek_index_check_landing (index, 3200, at, data + at,
          next - at, FALSE), ==, SEEK_LANDING_GOOD);
  /* not a point of this index, or not at its byte */
  g_assert_cmpint (seek_index_check_landing (index, 3201, at, data + at,
          size - at, TRUE), ==, SEEK_LANDING_BAD);
  g_assert_cmpint (seek_index_check_landing (index, 3200, at + 1, data + at +
          1, size - at - 1, TRUE), ==, SEEK_LANDING_BAD);
  /* another file's bytes where this one's point is */
  {
    const guint8 *b = (const guint8 *) g_mapped_file_get_contents (cbr);

    g_assert_cmpint (seek_index_check_landing (index, 3200, at, b + at, 65536,
            FALSE), ==, SEEK_LANDING_BAD);
  }
  /* the last point: on to the end of the index; a file cut before it */
  last = (seek_index_frames (index) - 1) / SEEK_INDEX_STRIDE *
      SEEK_INDEX_STRIDE;
  g_assert_true (seek_index_lookup (index, last, &f, &at));
  end = seek_index_end_offset (index);
  g_assert_cmpint (seek_index_check_landing (index, last, at, data + at,
          end - at, TRUE), ==, SEEK_LANDING_GOOD);
  g_assert_cmpint (seek_index_check_landing (index, last, at, data + at,
          end - at - 100, TRUE), ==, SEEK_LANDING_BAD);
  /* a file cut inside its last frame (a download cut off), scanned as it
   * is: its last point lands well */
  {
    g_autoptr (SeekIndex) cut = seek_index_scan (data, end - 100);
    g_autoptr (SeekIndex) streamed = seek_index_new ();

    g_assert_true (seek_index_lookup (cut, last, &f, &at));
    g_assert_cmpint (seek_index_check_landing (cut, last, at, data + at,
            end - 100 - at, TRUE), ==, SEEK_LANDING_GOOD);
    /* streamed to that end: the same index (it counted the frame cut
     * short, which the scan leaves out, and a landing at the last point
     * did not match it: the index was dropped for good) */
    for (gsize from = 0; from < end - 100; from += 65536)
      seek_index_feed (streamed, from, data + from, MIN (65536,
              end - 100 - from));
    seek_index_cut_at (streamed, end - 100);
    seek_index_set_complete (streamed);
    g_assert_cmpuint (seek_index_frames (streamed), ==,
        seek_index_frames (cut));
    g_assert_cmpuint (seek_index_end_offset (streamed), ==,
        seek_index_end_offset (cut));
    g_assert_cmpint (seek_index_check_landing (streamed, last, at, data + at,
            end - 100 - at, TRUE), ==, SEEK_LANDING_GOOD);
  }
  /* beyond the index: nothing to check against */
  g_assert_cmpint (seek_index_check_landing (index, seek_index_frames (index)
          + 64, end, data + end, size - end, TRUE), ==, SEEK_LANDING_GOOD);

  /* noise between a point and the next: passed as the index passes it */
  {
    guint64 mid;

    g_assert_true (seek_index_lookup (index, 3200, &f, &at));
    /* a frame boundary 10 frames on, from the frame sizes */
    mid = at;
    for (guint k = 0; k < 10; k++) {
      MpegFrame frame;

      g_assert_true (mpeg_frame_parse (data + mid, &frame));
      mid += frame.size;
    }
    damaged = mp3_damage (data, size, mid, 3000, -1, 0);
    damaged_index = seek_index_scan (damaged->data, damaged->len);
    g_assert_cmpuint (seek_index_damages (damaged_index), ==, 1);
    g_assert_cmpint (seek_index_check_landing (damaged_index, 3200, at,
            damaged->data + at, damaged->len - at, TRUE), ==,
        SEEK_LANDING_GOOD);
    /* and the clean index at the damaged bytes: the next point is not
     * where it says */
    g_assert_cmpint (seek_index_check_landing (index, 3200, at,
            damaged->data + at, damaged->len - at, TRUE), ==,
        SEEK_LANDING_BAD);
  }

  /* the streamed head against the scan: agree; against another file's */
  head = seek_index_new ();
  g_assert_true (seek_index_feed (head, 0, data, 200000));
  g_assert_true (seek_index_agrees (head, index, &checked));
  g_assert_cmpuint (checked, >, 10);
  cbr_index = seek_index_scan ((const guint8 *) g_mapped_file_get_contents
      (cbr), g_mapped_file_get_length (cbr));
  checked = 0;
  g_assert_false (seek_index_agrees (head, cbr_index, &checked));
}

static void
test_seek_index_cache (void)
{
  const gchar *build = g_getenv ("CHAPTER_BUILD_ROOT");
  g_autofree gchar *path = g_build_filename (build ? build : ".", "data",
      "episode-vbr.mp3", NULL);
  g_autofree gchar *dir = g_dir_make_tmp ("seek-index-XXXXXX", NULL);
  g_autofree gchar *file = g_build_filename (dir, "index", NULL);
  g_autoptr (GMappedFile) mp3 = NULL;
  g_autoptr (SeekIndex) index = NULL, back = NULL;
  g_autofree gchar *bytes = NULL;
  gsize len;
  guint64 f1, o1, f2, o2;
  GError *error = NULL;

  mp3 = g_mapped_file_new (path, FALSE, NULL);
  if (mp3 == NULL) {
    g_test_skip ("no stand-in episode");
    return;
  }
  index = seek_index_scan ((const guint8 *) g_mapped_file_get_contents (mp3),
      g_mapped_file_get_length (mp3));
  g_assert_true (seek_index_save (index, file, &error));
  g_assert_no_error (error);
  back = seek_index_load (file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seek_index_frames (back), ==, seek_index_frames (index));
  g_assert_cmpint (seek_index_duration (back), ==,
      seek_index_duration (index));
  g_assert_cmpuint (seek_index_skip (back), ==, seek_index_skip (index));
  seek_index_lookup (index, 54321, &f1, &o1);
  seek_index_lookup (back, 54321, &f2, &o2);
  g_assert_cmpuint (f1, ==, f2);
  g_assert_cmpuint (o1, ==, o2);

  /* bound to its media: trusted once the media's bytes matched */
  g_assert_false (seek_index_trusted (back));
  seek_index_check (back, 0, (const guint8 *) g_mapped_file_get_contents
      (mp3), g_mapped_file_get_length (mp3));
  g_assert_true (seek_index_trusted (back));
  /* another MP3's bytes under the same key: a mismatch */
  {
    g_autofree gchar *other_path = g_build_filename (build ? build : ".",
        "data", "episode-cbr.mp3", NULL);
    g_autoptr (GMappedFile) other = g_mapped_file_new (other_path, FALSE,
        NULL);
    g_autoptr (SeekIndex) foreign = seek_index_load (file, NULL);

    g_assert_nonnull (other);
    seek_index_check (foreign, 0, (const guint8 *)
        g_mapped_file_get_contents (other), g_mapped_file_get_length (other));
    g_assert_false (seek_index_trusted (foreign));
    g_assert_true (seek_index_mismatch (foreign));
  }

  /* truncated; then every single flipped bit (an index point, the
   * encoder delay, the fingerprint...) is refused */
  g_assert_true (g_file_get_contents (file, &bytes, &len, NULL));
  g_assert_true (g_file_set_contents (file, bytes, len - 3, NULL));
  g_assert_null (seek_index_load (file, &error));
  g_clear_error (&error);
  for (gsize at = 8; at < len; at += 1 + at / 3) {
    bytes[at] ^= 0x10;
    g_assert_true (g_file_set_contents (file, bytes, len, NULL));
    g_assert_null (seek_index_load (file, &error));
    g_assert_nonnull (strstr (error->message, "damaged"));
    g_clear_error (&error);
    bytes[at] ^= 0x10;
  }

  /* a partial index (the first 40% streamed by): saved and loaded as
   * partial, exact where it reaches, and a stream from byte 0 that runs
   * past its end makes it whole, the same as the scan */
  {
    const guint8 *data = (const guint8 *) g_mapped_file_get_contents (mp3);
    gsize size = g_mapped_file_get_length (mp3), part = size * 2 / 5, at;
    g_autoptr (SeekIndex) partial = seek_index_new ();
    g_autoptr (SeekIndex) loaded = NULL;

    for (at = 0; at < part; at += MIN (4096, part - at))
      g_assert_true (seek_index_feed (partial, at, data + at,
              MIN (4096, part - at)));
    g_assert_false (seek_index_complete (partial));
    g_assert_cmpuint (seek_index_frames (partial), <,
        seek_index_frames (index));
    g_assert_true (seek_index_save (partial, file, &error));
    loaded = seek_index_load (file, &error);
    g_assert_no_error (error);
    g_assert_false (seek_index_complete (loaded));
    g_assert_cmpuint (seek_index_frames (loaded), ==,
        seek_index_frames (partial));
    g_assert_true (seek_index_lookup (loaded, 1000, &f1, &o1));
    g_assert_true (seek_index_lookup (index, 1000, &f2, &o2));
    g_assert_cmpuint (o1, ==, o2);
    g_assert_false (seek_index_lookup (loaded, seek_index_frames (partial),
            &f1, &o1));
    for (at = 0; at < size; at += MIN (4096, size - at))
      g_assert_true (seek_index_feed (loaded, at, data + at,
              MIN (4096, size - at)));
    g_assert_cmpuint (seek_index_frames (loaded), ==,
        seek_index_frames (index));
    g_assert_cmpuint (seek_index_end_offset (loaded), ==,
        seek_index_end_offset (index));
    seek_index_lookup (loaded, 100000, &f1, &o1);
    seek_index_lookup (index, 100000, &f2, &o2);
    g_assert_cmpuint (o1, ==, o2);
    /* (and the LAME tag, which the cache does not keep, is found again) */
    g_assert_cmpuint (seek_index_lame_tag_offset (loaded), ==,
        seek_index_lame_tag_offset (index));
  }

  /* the cache keeps the indexes used last: loading one marks it used */
  {
    g_autofree gchar *cache = g_dir_make_tmp ("seek-cache-XXXXXX", NULL);
    g_autofree gchar *first = NULL;
    GDir *d;
    guint n = 0;

    for (guint i = 0; i < 5; i++) {
      g_autofree gchar *key = g_strdup_printf ("key %u", i);
      g_autofree gchar *hash = g_compute_checksum_for_string
          (G_CHECKSUM_SHA256, key, -1);
      g_autofree gchar *p = g_build_filename (cache, hash, NULL);
      struct utimbuf old_times = { 1000 + i, 1000 + i };

      g_assert_true (seek_index_save (index, p, NULL));
      g_assert_cmpint (g_utime (p, &old_times), ==, 0);
      if (i == 0)
        first = g_strdup (p);
    }
    /* the oldest, loaded again, is the newest */
    g_clear_pointer (&back, seek_index_free);
    back = seek_index_load (first, NULL);
    g_assert_nonnull (back);
    seek_index_cache_prune (cache, 2);
    d = g_dir_open (cache, 0, NULL);
    while (g_dir_read_name (d))
      n++;
    g_dir_close (d);
    g_assert_cmpuint (n, ==, 2);
    g_assert_true (g_file_test (first, G_FILE_TEST_EXISTS));
    seek_index_cache_prune (cache, 0);
    g_rmdir (cache);
  }

  /* what else may sit at a cache path, refused at once without reading
   * it: a FIFO (no writer: open() would block), a directory, a 3 GiB file
   * (sparse here) */
  g_unlink (file);
  g_assert_cmpint (mkfifo (file, 0600), ==, 0);
  g_assert_null (seek_index_load (file, &error));
  g_assert_nonnull (strstr (error->message, "not a regular file"));
  g_clear_error (&error);
  g_unlink (file);
  g_assert_cmpint (g_mkdir (file, 0700), ==, 0);
  g_assert_null (seek_index_load (file, &error));
  g_clear_error (&error);
  g_rmdir (file);
  {
    FILE *fp = fopen (file, "wb");

    g_assert_nonnull (fp);
    g_assert_cmpint (ftruncate (fileno (fp), (off_t) 3 << 30), ==, 0);
    fclose (fp);
  }
  g_assert_null (seek_index_load (file, &error));
  g_assert_nonnull (strstr (error->message, "larger than any index"));
  g_clear_error (&error);
  g_unlink (file);
  g_rmdir (dir);
}

/* The FLAC index: every point is a frame header holding that sample; the
 * bytes streamed in chunks of any size, or from the middle after a seek,
 * give the same exact points as a scan of the whole file. */
static void
test_flac_index (void)
{
  const gchar *build = g_getenv ("CHAPTER_BUILD_ROOT");
  g_autofree gchar *path = g_build_filename (build ? build : ".", "data",
      "episode.flac", NULL);
  g_autoptr (GMappedFile) file = g_mapped_file_new (path, FALSE, NULL);
  g_autoptr (FlacIndex) scanned = NULL, streamed = NULL, middle = NULL;
  g_autoptr (FlacIndex) junk = NULL;
  const guint8 *data;
  const FlacInfo *info;
  guint8 noise[65536];
  gsize size, at;
  guint i;

  if (file == NULL) {
    g_test_skip ("no stand-in episode");
    return;
  }
  data = (const guint8 *) g_mapped_file_get_contents (file);
  size = g_mapped_file_get_length (file);
  scanned = flac_index_scan (data, size);
  g_assert_nonnull (scanned);
  info = flac_index_info (scanned);
  g_assert_cmpuint (info->rate, ==, 44100);
  g_assert_cmpint (flac_index_duration (scanned), ==, 2666 * GST_SECOND);
  /* a point about every FLAC_INDEX_SPACING_S / 2 seconds */
  g_assert_cmpuint (flac_index_points (scanned), >, 2666 * 0.9);

  streamed = flac_index_new ();
  for (at = 0; at < size;) {
    /* (MIN evaluates its arguments twice: draw once) */
    gsize piece = g_test_rand_int_range (1, 9000);
    gsize n = MIN (size - at, piece);

    g_assert_true (flac_index_feed (streamed, at, data + at, n));
    at += n;
  }
  g_assert_cmpuint (flac_index_points (streamed), ==,
      flac_index_points (scanned));

  /* the head, then 2 MB from the middle, as after a seek */
  middle = flac_index_new ();
  g_assert_true (flac_index_feed (middle, 0, data, 65536));
  g_assert_true (flac_index_feed (middle, size / 2, data + size / 2,
          2000000));
  g_assert_cmpuint (flac_index_points (middle), >, 10);

  for (i = 0; i < 200; i++) {
    guint64 target = g_test_rand_int_range (0, 2666 * 44100);
    guint64 lo_s, lo_o, hi_s, hi_o, offset;
    FlacFrame frame;

    flac_index_bracket (scanned, target, &lo_s, &lo_o, &hi_s, &hi_o);
    g_assert_cmpuint (lo_s, <=, target);
    g_assert_cmpuint (hi_s, >, target);
    g_assert_cmpuint (hi_s - lo_s, <=, 2 * 44100);
    g_assert_cmpint (flac_frame_parse (data + lo_o, 16, info, &frame), ==, 1);
    g_assert_cmpuint (frame.sample, ==, lo_s);
    g_assert_true (flac_index_locate (scanned, target, &offset));
    g_assert_cmpuint (offset, ==, lo_o);

    /* the streamed and the partial index know exact points only */
    flac_index_bracket (streamed, target, &lo_s, &lo_o, &hi_s, &hi_o);
    g_assert_cmpint (flac_frame_parse (data + lo_o, 16, info, &frame), ==, 1);
    g_assert_cmpuint (frame.sample, ==, lo_s);
    flac_index_bracket (middle, target, &lo_s, &lo_o, &hi_s, &hi_o);
    g_assert_cmpint (flac_frame_parse (data + lo_o, 16, info, &frame), ==, 1);
    g_assert_cmpuint (frame.sample, ==, lo_s);
    /* far from what the partial index knows, it estimates: before the
     * target, and never before the point it knows */
    flac_index_set_file_size (middle, size);
    if (!flac_index_locate (middle, target, &offset))
      g_assert_cmpuint (offset, >=, lo_o);
  }

  /* not FLAC: refused, however it comes */
  for (i = 0; i < sizeof noise; i++)
    noise[i] = g_test_rand_int_range (0, 256);
  junk = flac_index_new ();
  g_assert_false (flac_index_feed (junk, 0, noise, sizeof noise));
  g_assert_false (flac_index_ready (junk));
  g_assert_null (flac_index_scan (noise, sizeof noise));
  /* a head cut short waits for more; one with its bytes scrambled after
   * the head still indexes only real headers */
  g_assert_null (flac_index_scan (data, 40));
  {
    g_autofree guint8 *copy = g_memdup2 (data, 1 << 20);
    g_autoptr (FlacIndex) mixed = NULL;

    memcpy (copy + info->first_offset + 1000, noise, sizeof noise);
    mixed = flac_index_scan (copy, 1 << 20);
    g_assert_nonnull (mixed);
    for (i = 0; i < 50; i++) {
      guint64 lo_s, lo_o, hi_s, hi_o;
      FlacFrame frame;

      flac_index_bracket (mixed, g_test_rand_int_range (0, 44100 * 20),
          &lo_s, &lo_o, &hi_s, &hi_o);
      g_assert_cmpuint (lo_o + 16, <=, 1 << 20);
      g_assert_cmpint (flac_frame_parse (copy + lo_o, 16, info, &frame), ==,
          1);
      g_assert_cmpuint (frame.sample, ==, lo_s);
    }
  }
}

typedef struct
{
  GHashTable *starts;           /* end granule -> start granule + 1 */
  guint headers, audio, checked;
  gint64 last_end, clipped_end;
  gboolean contiguous;
  GHashTable *reference;        /* compare with a straight read */
  OggIndex *points;             /* Matroska: a cluster's first packet ends
                                 * where the scan says */
  guint clusters_checked;
  guint64 damaged_from, damaged_to;     /* packets of pages or clusters
                                         * that start there are noise,
                                         * times and all: not compared */
} OggRead;

static gboolean
collect_packet (const OggPacket * packet, gpointer user_data)
{
  OggRead *read = user_data;

  g_assert_cmpuint (packet->size, >, 0);
  if (packet->header) {
    read->headers++;
    return TRUE;
  }
  read->audio++;
  if (read->points && packet->cluster_start && packet->end >= 0) {
    guint64 granule, offset;

    ogg_index_known_point (read->points, packet->end, &granule, &offset);
    if (offset == packet->page_offset) {
      g_assert_cmpint (granule, ==, packet->end);
      read->clusters_checked++;
    }
  }
  if (packet->start >= 0 && read->last_end >= 0
      && packet->start != read->last_end)
    read->contiguous = FALSE;
  if (packet->end >= 0) {
    g_assert_cmpint (packet->start, <=, packet->end);
    read->last_end = packet->end;
    read->clipped_end = packet->end - (gint64) packet->clip_end;
  }
  if (read->starts && packet->end >= 0)
    g_hash_table_insert (read->starts, GINT_TO_POINTER (packet->end),
        GINT_TO_POINTER (packet->start + 1));
  if (read->reference && packet->start >= 0
      && (packet->page_offset < read->damaged_from
          || packet->page_offset >= read->damaged_to)) {
    gpointer start = g_hash_table_lookup (read->reference,
        GINT_TO_POINTER (packet->end));

    g_assert_cmpint (GPOINTER_TO_INT (start) - 1, ==, packet->start);
    read->checked++;
  }
  return TRUE;
}

static void
read_ogg (OggReader * reader, const guint8 * data, gsize from, gsize to,
    OggRead * read)
{
  gsize at;

  for (at = from; at < to;) {
    gsize piece = g_test_rand_int_range (1, 9000);
    gsize n = MIN (to - at, piece);
    gchar *error = NULL;

    g_assert_cmpint (ogg_reader_feed (reader, at, data + at, n,
            collect_packet, read, &error), ==, 1);
    g_assert_null (error);
    at += n;
  }
}

/* Ogg: every point is a page from which the audio after its granule
 * decodes; the reader's packets tile the stream without a gap, their
 * granules the same after a jump into the middle as in a straight read. */
static void
check_ogg_index (const gchar * name, OggAudioCodec codec, guint rate)
{
  const gchar *build = g_getenv ("CHAPTER_BUILD_ROOT");
  g_autofree gchar *path = g_build_filename (build ? build : ".", "data",
      name, NULL);
  g_autoptr (GMappedFile) file = g_mapped_file_new (path, FALSE, NULL);
  g_autoptr (OggIndex) scanned = NULL, streamed = NULL, junk = NULL;
  g_autoptr (OggReader) reader = NULL, jumper = NULL;
  const OggAudioInfo *info;
  OggRead straight = { 0 }, jump = { 0 };
  guint8 noise[4096];
  const guint8 *data;
  gsize size, at;
  guint i;

  if (file == NULL) {
    g_test_skip ("no stand-in episode");
    return;
  }
  data = (const guint8 *) g_mapped_file_get_contents (file);
  size = g_mapped_file_get_length (file);
  scanned = ogg_index_scan (data, size);
  g_assert_nonnull (scanned);
  info = ogg_index_info (scanned);
  g_assert_cmpint (info->codec, ==, codec);
  g_assert_cmpuint (info->rate, ==, rate);
  g_assert_cmpint (ogg_index_duration (scanned) / GST_MSECOND, ==,
      2666 * 1000);
  g_assert_cmpuint (ogg_index_points (scanned), >, 2666 * 0.9);

  streamed = ogg_index_new ();
  for (at = 0; at < size;) {
    gsize piece = g_test_rand_int_range (1, 9000);
    gsize n = MIN (size - at, piece);

    g_assert_true (ogg_index_feed (streamed, at, data + at, n));
    at += n;
  }
  g_assert_cmpuint (ogg_index_points (streamed), ==,
      ogg_index_points (scanned));
  g_assert_cmpint (ogg_index_last_granule (streamed), ==,
      ogg_index_last_granule (scanned));

  /* a straight read */
  reader = ogg_reader_new ();
  straight.starts = g_hash_table_new (NULL, NULL);
  straight.last_end = -1;
  straight.contiguous = TRUE;
  read_ogg (reader, data, 0, size, &straight);
  g_assert_true (ogg_reader_ready (reader));
  g_assert_cmpuint (ogg_reader_n_headers (reader), ==,
      codec == OGG_AUDIO_VORBIS ? 3 : 2);
  g_assert_cmpuint (ogg_reader_info (reader)->first_page, ==,
      info->first_page);
  g_assert_true (straight.contiguous);
  g_assert_cmpint (straight.clipped_end, ==,
      ogg_index_last_granule (scanned));

  /* jumps: from the page a point names, the packets carry the granules
   * of the straight read, the first starting at or after the point */
  jumper = ogg_reader_new ();
  read_ogg (jumper, data, 0, info->first_page, &jump);
  jump.reference = straight.starts;
  for (i = 0; i < 40; i++) {
    guint64 target = g_test_rand_int_range (0, 2666 * rate);
    guint64 offset;
    OggPageHeader page;

    g_assert_true (ogg_index_locate (scanned, target, &offset));
    g_assert_cmpint (ogg_page_header_parse (data + offset, size - offset,
            &page), ==, 1);
    ogg_reader_discont (jumper, offset);
    jump.last_end = -1;
    jump.checked = 0;
    read_ogg (jumper, data, offset, MIN (size, offset + 20000), &jump);
    g_assert_cmpuint (jump.checked, >, 0);
  }
  /* (a read from a page after a discont is no damage) */
  g_assert_null (ogg_reader_take_damage (jumper));

  /* 20 KB of noise at 40%: the reader says where, and the packets after
   * it have the straight read's granules again */
  {
    g_autofree guint8 *copy = g_memdup2 (data, size);
    g_autoptr (OggReader) hurt = ogg_reader_new ();
    g_autofree gchar *damage = NULL;
    g_autofree gchar *where = NULL;
    OggRead after = { 0 };
    gsize from = size * 2 / 5;

    for (i = 0; i < 20000; i++)
      copy[from + i] = g_test_rand_int_range (0, 256);
    after.reference = straight.starts;
    after.last_end = -1;
    read_ogg (hurt, copy, 0, size, &after);
    damage = ogg_reader_take_damage (hurt);
    g_test_message ("%s: %s; %u of %u packets timed as straight", name,
        damage, after.checked, straight.audio);
    g_assert_nonnull (damage);
    /* (from the page the noise starts in, up to 64 KiB before it) */
    for (guint64 byte = from - MIN (from, 65536); byte <= from && !where;
        byte++) {
      g_autofree gchar *text = g_strdup_printf (" at byte %"
          G_GUINT64_FORMAT, byte);

      if (strstr (damage, text))
        where = g_steal_pointer (&text);
    }
    g_assert_nonnull (where);
    g_assert_cmpuint (after.checked, >, straight.audio * 98 / 100);
  }
  g_hash_table_unref (straight.starts);

  /* not Ogg, or not audio we read: refused */
  for (i = 0; i < sizeof noise; i++)
    noise[i] = g_test_rand_int_range (0, 256);
  junk = ogg_index_new ();
  g_assert_false (ogg_index_feed (junk, 0, noise, sizeof noise));
  g_assert_null (ogg_index_scan (noise, sizeof noise));
  g_assert_null (ogg_index_scan (data, 40));
}

static void
read_mkv (MkvReader * reader, const guint8 * data, gsize from, gsize to,
    OggRead * read)
{
  gsize at;

  for (at = from; at < to;) {
    /* the head in small pieces: it must read the same however cut */
    gsize piece = g_test_rand_int_range (1, at < 8192 ? 200 : 9000);
    gsize n = MIN (to - at, piece);
    gchar *error = NULL;

    gint r = mkv_reader_feed (reader, at, data + at, n, collect_packet,
        read, &error);

    g_assert_cmpstr (error, ==, NULL);
    g_assert_cmpint (r, ==, 1);
    at += n;
  }
}

/* Matroska/Vorbis: the packets of a straight read tile the stream, the
 * first decoding to nothing; a cluster the index names gives the packets
 * after it the granules of the straight read; the duration is what a
 * straight decode gives. */
static void
test_mkv_index (gconstpointer name)
{
  const gchar *build = g_getenv ("CHAPTER_BUILD_ROOT");
  g_autofree gchar *path = g_build_filename (build ? build : ".", "data",
      name, NULL);
  /* mkvmerge remuxed the Ogg Vorbis: Ogg's last-page trimming is gone */
  gboolean laced = g_str_has_prefix (name, "episode-laced");
  g_autoptr (GMappedFile) file = g_mapped_file_new (path, FALSE, NULL);
  g_autoptr (OggIndex) scanned = NULL;
  g_autoptr (MkvReader) reader = NULL, jumper = NULL, junk = NULL;
  g_autofree gchar *error = NULL;
  g_autoptr (GstTagList) tags = NULL;
  const OggAudioInfo *info;
  OggRead straight = { 0 }, jump = { 0 };
  const guint8 *data;
  gchar *title = NULL;
  gsize size;
  guint i;

  if (file == NULL) {
    g_test_skip ("no stand-in episode");
    return;
  }
  data = (const guint8 *) g_mapped_file_get_contents (file);
  size = g_mapped_file_get_length (file);
  g_assert_true (ebml_sniff (data, size));
  scanned = mkv_index_scan (data, size);
  g_assert_nonnull (scanned);
  info = ogg_index_info (scanned);
  g_assert_cmpint (info->codec, ==, OGG_AUDIO_VORBIS);
  g_assert_cmpuint (info->rate, ==, 44100);
  g_assert_cmpuint (info->channels, ==, 1);
  g_assert_true (ogg_index_complete (scanned));
  /* 2666 s of source; a straight decode gives the last block whole */
  g_assert_cmpint (ogg_index_last_granule (scanned), >=, 2666 * 44100);
  g_assert_cmpint (ogg_index_last_granule (scanned), <, 2666 * 44100 + 2048);
  g_assert_cmpuint (ogg_index_points (scanned), >, 2666 / 10);

  reader = mkv_reader_new ();
  straight.starts = g_hash_table_new (NULL, NULL);
  straight.last_end = -1;
  straight.contiguous = TRUE;
  read_mkv (reader, data, 0, size, &straight);
  g_assert_true (mkv_reader_ready (reader));
  g_assert_cmpuint (mkv_reader_n_headers (reader), ==, 3);
  g_assert_cmpuint (mkv_reader_info (reader)->first_page, ==,
      info->first_page);
  g_assert_true (straight.contiguous);
  g_assert_cmpint (straight.last_end, ==, ogg_index_last_granule (scanned));
  g_assert_cmpint (mkv_reader_written_duration (reader) / GST_SECOND, ==,
      2666);
  tags = mkv_reader_tags (reader);
  if (!laced) {
    /* the segment's own tags: ffmpeg names itself */
    g_assert_nonnull (tags);
    g_assert_true (gst_tag_list_get_string (tags, GST_TAG_ENCODER, &title));
    g_assert_true (g_str_has_prefix (title, "Lavf"));
    g_free (title);
  }

  jumper = mkv_reader_new ();
  read_mkv (jumper, data, 0, info->first_page + 16, &jump);
  jump.reference = straight.starts;
  for (i = 0; i < 40; i++) {
    guint64 target = g_test_rand_int_range (0, 2666 * 44100);
    guint64 granule, offset;

    ogg_index_known_point (scanned, target, &granule, &offset);
    g_assert_cmpuint (granule, <=, target);
    g_assert_cmpuint (granule + 10 * 44100, >, target);
    mkv_reader_discont (jumper, offset, granule);
    jump.last_end = -1;
    jump.checked = 0;
    read_mkv (jumper, data, offset, MIN (size, offset + 20000), &jump);
    g_assert_cmpuint (jump.checked, >, 0);
  }

  /* landings at any byte, timed by the writer's block times as learned
   * from the straight read: the same granules, or none; the first packet
   * of each cluster where the scan has it */
  g_assert_true (mkv_reader_can_time_landing (reader));
  jump.points = scanned;
  for (i = 0; i < 40; i++) {
    guint64 offset = g_test_rand_int_range (info->first_page, size - 300000);

    mkv_reader_discont (reader, offset, MKV_UNKNOWN_CLUSTER);
    jump.last_end = -1;
    jump.checked = 0;
    read_mkv (reader, data, offset, offset + 300000, &jump);
    g_assert_cmpuint (jump.checked, >, 0);
  }
  g_assert_cmpuint (jump.clusters_checked, >, 40);

  /* 20 KB of noise at 40% (a bad download): the reader says where, and the
   * packets after the damage have the straight read's granules again,
   * timed by the writer's block times as learned before it; the scan has
   * the clusters after it as points too */
  {
    g_autofree guint8 *copy = g_memdup2 (data, size);
    g_autoptr (MkvReader) hurt = mkv_reader_new ();
    g_autoptr (OggIndex) hurt_index = NULL;
    g_autofree gchar *damage = NULL;
    OggRead after = { 0 };

    for (i = 0; i < 20000; i++)
      copy[size * 2 / 5 + i] = g_test_rand_int_range (0, 256);
    after.reference = straight.starts;
    after.last_end = -1;
    /* (the cluster the noise starts in, whose blocks may be read before
     * the reader sees that they are noise) */
    after.damaged_from = size * 2 / 5 - 256 * 1024;
    after.damaged_to = size * 2 / 5 + 20000;
    read_mkv (hurt, copy, 0, size, &after);
    damage = mkv_reader_take_damage (hurt);
    g_test_message ("%s: %s; %u of %u packets timed as straight",
        (const gchar *) name,
        damage, after.checked, straight.audio);
    g_assert_nonnull (damage);
    g_assert_cmpuint (after.checked, >, straight.audio * 97 / 100);
    hurt_index = mkv_index_scan (copy, size);
    g_assert_nonnull (hurt_index);
    g_assert_cmpuint (ogg_index_points (hurt_index), >,
        ogg_index_points (scanned) * 9 / 10);
  }
  g_hash_table_unref (straight.starts);

  /* not Matroska, or cut short: refused, with a reason */
  junk = mkv_reader_new ();
  g_assert_cmpint (mkv_reader_feed (junk, 0, (const guint8 *) "OggS\0\2xxxx",
          10, collect_packet, &jump, &error), ==, 0);
  g_assert_nonnull (error);
  g_assert_null (mkv_index_scan (data, 4000));
}

static void
test_ogg_index (void)
{
  check_ogg_index ("episode.opus", OGG_AUDIO_OPUS, 48000);
  check_ogg_index ("episode.ogg", OGG_AUDIO_VORBIS, 44100);
}

int
main (int argc, char **argv)
{
  gst_init (NULL, NULL);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/formats/data-files", test_data_files);
  g_test_add_func ("/formats/ogg-index", test_ogg_index);
  g_test_add_data_func ("/formats/mkv-index/ffmpeg", "episode.mka",
      test_mkv_index);
  g_test_add_data_func ("/formats/mkv-index/laced", "episode-laced.mka",
      test_mkv_index);
  g_test_add_func ("/formats/seed-page", test_seed_page);
  g_test_add_func ("/formats/run-together", test_run_together);
  g_test_add_func ("/formats/roundtrip", test_roundtrip);
  g_test_add_func ("/formats/unknown-writer", test_unknown_writer);
  g_test_add_func ("/formats/json-malformed", test_json_malformed);
  g_test_add_func ("/formats/json-100000", test_json_large);
  g_test_add_func ("/formats/encodings", test_encodings);
  g_test_add_func ("/formats/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/formats/vtt", test_vtt);
  g_test_add_func ("/formats/languages", test_languages);
  g_test_add_func ("/formats/languages/mp4", test_mp4_languages);
  g_test_add_func ("/formats/ffmetadata", test_ffmetadata);
  g_test_add_func ("/formats/timestamp-lists", test_timestamp_lists);
  g_test_add_func ("/formats/xml-safety", test_xml_safety);
  g_test_add_func ("/formats/rss-item-choice", test_rss_item_choice);
  g_test_add_func ("/formats/garbage", test_garbage);
  g_test_add_func ("/formats/seek-index-damage", test_seek_index_damage);
  g_test_add_func ("/formats/seek-index-landing", test_seek_index_landing);
  g_test_add_func ("/formats/empty-input", test_empty_input);
  g_test_add_func ("/formats/seek-index-cache", test_seek_index_cache);
  g_test_add_func ("/formats/flac-index", test_flac_index);
  return g_test_run ();
}
