/* gst-chapters: show, convert and index chapters from the command line.
 *
 *   gst-chapters show SOURCE [--json] [--language LANG]
 *   gst-chapters convert SOURCE --to FORMAT
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include "chapter-source.h"
#include "seek-index.h"
#include "flac-index.h"
#include "ogg-index.h"
#include "mkv-audio.h"
#include "chapter-embedded.h"
#include "mp4-track.h"

static const gchar *program = "gst-chapters";

static void
print_usage (FILE * out)
{
  const ChapterFormat *const *formats = chapter_formats ();
  guint i;

  fprintf (out, "Usage:\n"
      "  %s show SOURCE [--json]        list the chapters of SOURCE\n"
      "  %s convert SOURCE --to FORMAT  write them in another format\n"
      "  %s index MEDIA                 build the seek table of an MP3 (kept "
      "in the cache) or FLAC\n"
      "\nSOURCE is a path, a file:// or an http(s):// URL of a chapter file, "
      "feed\nor episode page, or - for standard input; its format is found "
      "from its content.\n"
      "\nFormats read:\n", program, program, program);
  for (i = 0; formats[i]; i++)
    fprintf (out, "  %-11s %s%s\n", formats[i]->name,
        formats[i]->description, formats[i]->write ? " (also written)" : "");
}

static gchar *opt_media, *opt_guid, *opt_language;

static GOptionEntry source_entries[] = {
  {"media", 'm', 0, G_OPTION_ARG_STRING, &opt_media,
      "In a feed, take the item whose enclosure is this media URI", "URI"},
  {"guid", 'g', 0, G_OPTION_ARG_STRING, &opt_guid,
      "In a feed, take the item with this guid", "GUID"},
  {"language", 'l', 0, G_OPTION_ARG_STRING, &opt_language,
        "Where titles come in several languages, take this one (ISO 639 "
        "code such as en, de, fra; default: the user's language, else "
        "English)", "LANG"},
  {NULL}
};

/* "-" is standard input, read up to one byte past the readers' limit so
 * that chapter_read() can say the input is too large. */
static ChapterList *
load_stdin (const ChapterReadContext * ctx, GError ** error)
{
  g_autoptr (GByteArray) data = g_byte_array_new ();
  guint8 chunk[16384];
  ChapterList *list;
  size_t n;

  while (data->len <= CHAPTER_MAX_INPUT
      && (n = fread (chunk, 1, sizeof chunk, stdin)) > 0)
    g_byte_array_append (data, chunk, n);
  if (ferror (stdin)) {
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_IO,
        "standard input: read error");
    return NULL;
  }
  list = chapter_read (data->data, data->len, ctx, NULL, error);
  if (list == NULL)
    g_prefix_error (error, "standard input: ");
  return list;
}

static ChapterList *
load (const gchar * source)
{
  ChapterReadContext ctx = { opt_media, opt_guid, NULL };
  GError *error = NULL;
  ChapterList *list;
  guint i;

  if (g_strcmp0 (source, "-") == 0)
    list = load_stdin (&ctx, &error);
  else
    list = chapter_source_load (source, &ctx, NULL, NULL, &error);
  if (list == NULL) {
    g_printerr ("%s: %s\n", program, error->message);
    g_error_free (error);
    return NULL;
  }
  if (opt_language)
    chapter_list_choose_language (list, opt_language);
  for (i = 0; i < list->warnings->len; i++)
    g_printerr ("%s: warning: %s\n", program,
        (gchar *) g_ptr_array_index (list->warnings, i));
  return list;
}

static void
print_json (const ChapterList * list)
{
  GString *out = g_string_new ("[");
  guint i;

  for (i = 0; i < chapter_list_length (list); i++) {
    const Chapter *c = chapter_list_get (list, i);

    g_string_append (out, i ? ",\n " : "");
    g_string_append (out, "{\"start_ms\": ");
    chapter_json_append_ms (out, c->start);
    g_string_append (out, ", \"end_ms\": ");
    if (c->end != CHAPTER_TIME_NONE)
      chapter_json_append_ms (out, c->end);
    else
      g_string_append (out, "null");
    g_string_append (out, ", \"title\": ");
    if (c->title)
      chapter_json_append_string (out, c->title);
    else
      g_string_append (out, "null");
    g_string_append (out, ", \"url\": ");
    if (c->url)
      chapter_json_append_string (out, c->url);
    else
      g_string_append (out, "null");
    g_string_append_printf (out, ", \"hidden\": %s}",
        c->hidden ? "true" : "false");
  }
  g_string_append (out, "]\n");
  fputs (out->str, stdout);
  g_string_free (out, TRUE);
}

static void
print_level (const GPtrArray * chapters, guint depth)
{
  guint i;

  for (i = 0; i < chapters->len; i++) {
    const Chapter *c = g_ptr_array_index (chapters, i);
    g_autofree gchar *start = chapter_format_clock (c->start, TRUE);
    g_autofree gchar *end = c->end != CHAPTER_TIME_NONE ?
        chapter_format_clock (c->end, TRUE) : g_strdup ("?");

    g_print ("%*s%3u  %s - %s  %s%s%s\n", depth * 4, "", i + 1, start, end,
        c->title ? c->title : "(untitled)", c->hidden ? "  [hidden]" : "",
        c->past_end ? "  [past the end]" : "");
    if (c->description)
      g_print ("%*s     %s\n", depth * 4 + 30, "", c->description);
    print_level (c->children, depth + 1);
  }
}

static int
cmd_show (int argc, char **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    {"json", 'j', 0, G_OPTION_ARG_NONE, &json,
        "Print [{\"start_ms\", \"end_ms\", \"title\", \"url\", \"hidden\"}]",
        NULL},
    {NULL}
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("SOURCE");
  g_autoptr (ChapterList) list = NULL;
  GError *error = NULL;

  g_option_context_set_summary (ctx, "List the chapters of SOURCE.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_main_entries (ctx, source_entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 2) {
    g_printerr ("%s show: %s\n", program, error ? error->message :
        "expected exactly one SOURCE (see --help)");
    g_clear_error (&error);
    return 2;
  }
  list = load (argv[1]);
  if (list == NULL)
    return 1;
  if (json)
    print_json (list);
  else if (chapter_list_length (list) == 0)
    g_print ("no chapters\n");
  else
    print_level (list->chapters, 0);
  return 0;
}

static int
cmd_convert (int argc, char **argv)
{
  gchar *to = NULL;
  GOptionEntry entries[] = {
    {"to", 't', 0, G_OPTION_ARG_STRING, &to,
        "Output format: json, psc, vtt, cue, ffmetadata or mp4chaps", "FORMAT"},
    {NULL}
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("SOURCE --to FORMAT");
  g_autoptr (ChapterList) list = NULL;
  g_autofree gchar *text = NULL;
  GError *error = NULL;

  g_option_context_set_summary (ctx, "Convert the chapters of SOURCE.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_main_entries (ctx, source_entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 2
      || to == NULL) {
    g_printerr ("%s convert: %s\n", program, error ? error->message :
        "expected SOURCE and --to FORMAT (see --help)");
    g_clear_error (&error);
    g_free (to);
    return 2;
  }
  if (chapter_format_by_name (to) == NULL
      || chapter_format_by_name (to)->write == NULL) {
    text = chapter_write (NULL, to, &error);
    g_printerr ("%s convert: %s\n", program, error->message);
    g_error_free (error);
    g_free (to);
    return 2;
  }
  list = load (argv[1]);
  if (list == NULL) {
    g_free (to);
    return 1;
  }
  text = chapter_write (list, to, &error);
  g_free (to);
  fputs (text, stdout);
  return 0;
}

/* A FLAC file's index: its frame headers name their samples. */
static int
print_flac_index (const gchar * path, const FlacIndex * index, gint64 us,
    gsize size)
{
  const FlacInfo *info = flac_index_info (index);

  g_print ("%s\n  FLAC, %u Hz, %u channel%s, %u bits\n"
      "  frames: %u-%u samples, first at byte %" G_GUINT64_FORMAT "\n"
      "  duration: %.3f s (exact)\n"
      "  index: %u points, %" G_GSIZE_FORMAT " bytes, built in %.1f ms "
      "(%.2f GB/s)\n", path, info->rate, info->channels,
      info->channels == 1 ? "" : "s", info->bits, info->min_block,
      info->max_block, info->first_offset,
      flac_index_duration (index) / 1e9, flac_index_points (index),
      flac_index_memory (index), us / 1000.0, size / (us ? us * 1000.0 : 1.0));
  return 0;
}

static int
print_ogg_index (const gchar * path, const OggIndex * index, gint64 us,
    gsize size, const gchar * container)
{
  const OggAudioInfo *info = ogg_index_info (index);

  g_print ("%s\n  %s %s, %u Hz, %u channel%s%s\n"
      "  pre-skip: %u, audio from byte %" G_GUINT64_FORMAT "\n"
      "  duration: %.3f s (exact)\n"
      "  index: %u points, %" G_GSIZE_FORMAT " bytes, built in %.1f ms "
      "(%.2f GB/s)\n", path, container, info->codec == OGG_AUDIO_OPUS ?
      "Opus" : "Vorbis", info->codec == OGG_AUDIO_OPUS ? 48000 : info->rate,
      info->channels, info->channels == 1 ? "" : "s",
      info->codec == OGG_AUDIO_OPUS ? " (granules at 48 kHz)" : "",
      info->pre_skip, info->first_page, ogg_index_duration (index) / 1e9,
      ogg_index_points (index), ogg_index_memory (index), us / 1000.0,
      size / (us ? us * 1000.0 : 1.0));
  return 0;
}

/* An M4A's AAC track: its sample tables are the index. */
static int
print_mp4_index (const gchar * path, const guint8 * data, gsize size)
{
  Mp4Box moov;
  Mp4Audio audio;
  g_autofree gchar *error = NULL;
  gint64 t0 = g_get_monotonic_time (), us;

  if (!mp4_find_box (data, size, "moov", &moov)) {
    g_printerr ("%s index: %s: no movie box\n", program, path);
    return 1;
  }
  if (!mp4_audio_read (moov.data, moov.size, &audio, &error)) {
    g_printerr ("%s index: %s: not one AAC track: %s\n", program, path,
        error);
    return 1;
  }
  us = g_get_monotonic_time () - t0;
  g_print ("%s\n  MP4 AAC, %u Hz, %u channel%s\n"
      "  frames: %u, timescale %u, priming %" G_GUINT64_FORMAT "\n"
      "  duration: %.3f s (exact, from the edit list)\n"
      "  index: the sample tables, %" G_GSIZE_FORMAT " bytes, read in %.1f ms"
      "\n", path, audio.rate, audio.channels, audio.channels == 1 ? "" : "s",
      audio.track.n, audio.track.timescale, audio.priming,
      audio.duration / 1e9, (gsize) audio.track.n * (2 * sizeof (gint64) +
          sizeof (guint64) + sizeof (guint32)), us / 1000.0);
  mp4_audio_clear (&audio);
  return 0;
}

static int
cmd_index (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new ("MEDIA");
  g_autoptr (GMappedFile) file = NULL;
  g_autoptr (SeekIndex) index = NULL;
  g_autoptr (FlacIndex) flac = NULL;
  g_autoptr (OggIndex) ogg = NULL;
  g_autofree gchar *path = NULL, *uri = NULL, *key = NULL, *cache = NULL;
  const MpegFrame *f;
  const MpegInfo *info;
  const ChapterContainer *container;
  const gchar *name;
  const guint8 *data;
  gsize size;
  GError *error = NULL;
  gint64 t0, us;

  g_option_context_set_summary (ctx, "Build the exact seek table of a local "
      "MP3, FLAC, Ogg (Opus, Vorbis), Matroska/WebM (Vorbis) or M4A file and "
      "print its summary; an MP3's is kept in the cache the seektable element "
      "reads (a FLAC, Ogg or Matroska file's is rebuilt in a few ms; an M4A's "
      "is its sample tables).");
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 2) {
    g_printerr ("%s index: %s\n", program, error ? error->message :
        "expected one local MEDIA file (see --help)");
    g_clear_error (&error);
    return 2;
  }
  path = g_str_has_prefix (argv[1], "file:") ?
      g_filename_from_uri (argv[1], NULL, NULL) : g_strdup (argv[1]);
  if (path == NULL || (strstr (argv[1], "://")
          && !g_str_has_prefix (argv[1], "file:"))) {
    g_printerr ("%s index: %s: only local files are indexed here; over "
        "HTTP the seektable element indexes what streams by\n", program,
        argv[1]);
    return 1;
  }
  file = g_mapped_file_new (path, FALSE, &error);
  if (file == NULL) {
    g_printerr ("%s index: %s\n", program, error->message);
    g_error_free (error);
    return 1;
  }
  data = (const guint8 *) g_mapped_file_get_contents (file);
  size = g_mapped_file_get_length (file);
  /* the container, as the seek table's backends are chosen */
  container = chapter_container_sniff_media (data, size);
  name = container ? container->name : "mpeg-audio";
  t0 = g_get_monotonic_time ();
  if (!strcmp (name, "flac")) {
    flac = flac_index_scan (data, size);
    if (flac == NULL) {
      g_printerr ("%s index: %s: FLAC without a stream header\n", program,
          path);
      return 1;
    }
    return print_flac_index (path, flac, g_get_monotonic_time () - t0, size);
  }
  if (!strcmp (name, "ogg")) {
    ogg = ogg_index_scan (data, size);
    if (ogg == NULL) {
      g_printerr ("%s index: %s: Ogg, but not one Opus or Vorbis stream "
          "(oggdemux serves its seeks)\n", program, path);
      return 1;
    }
    return print_ogg_index (path, ogg, g_get_monotonic_time () - t0, size,
        "Ogg");
  }
  if (!strcmp (name, "matroska")) {
    ogg = mkv_index_scan (data, size);
    if (ogg == NULL) {
      g_printerr ("%s index: %s: Matroska, but not one Vorbis audio track "
          "(matroskademux serves its seeks)\n", program, path);
      return 1;
    }
    return print_ogg_index (path, ogg, g_get_monotonic_time () - t0, size,
        "Matroska");
  }
  if (!strcmp (name, "mp4"))
    return print_mp4_index (path, data, size);
  index = seek_index_scan (data, size);
  us = g_get_monotonic_time () - t0;
  if (index == NULL) {
    g_printerr ("%s index: %s: no MPEG audio, FLAC, Ogg Opus/Vorbis or "
        "M4A found\n",
        program, path);
    return 1;
  }
  f = seek_index_format (index);
  info = seek_index_info (index);
  g_print ("%s\n  MPEG-%s Layer %u, %u Hz, %u channel%s, %s\n"
      "  frames: %" G_GUINT64_FORMAT " of %u samples, first at byte %"
      G_GUINT64_FORMAT "\n"
      "  gapless: encoder delay %u, padding %u (%s)\n"
      "  duration: %.3f s (exact)\n"
      "  index: %" G_GSIZE_FORMAT " bytes, built in %.1f ms (%.2f GB/s)\n",
      path, f->version == 10 ? "1" : f->version == 20 ? "2" : "2.5",
      f->layer, f->rate, f->channels, f->channels == 1 ? "" : "s",
      info->cbr ? "CBR (Info tag)" : info->present ? "VBR (Xing/VBRI tag)" :
      "no Xing tag", seek_index_frames (index), f->samples,
      seek_index_first_offset (index), info->delay, info->padding,
      info->delay ? "LAME tag" : "none", seek_index_duration (index) / 1e9,
      seek_index_memory (index), us / 1000.0,
      g_mapped_file_get_length (file) / (us ? us * 1000.0 : 1.0));
  /* the same key the element computes for a local file */
  uri = g_filename_to_uri (path, NULL, NULL);
  if (uri == NULL) {
    g_autofree gchar *abs = g_canonicalize_filename (path, NULL);

    uri = g_filename_to_uri (abs, NULL, NULL);
  }
  if (uri && (key = seek_index_file_key (uri, path))) {
    cache = seek_index_cache_path (key);
    if (seek_index_save (index, cache, &error))
      g_print ("  cached: %s\n", cache);
    else {
      g_printerr ("%s index: %s\n", program, error->message);
      g_clear_error (&error);
    }
  }
  return 0;
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");

  if (argc < 2 || !strcmp (argv[1], "--help") || !strcmp (argv[1], "-h")
      || !strcmp (argv[1], "help")) {
    print_usage (argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  if (!strcmp (argv[1], "--version")) {
    g_print ("%s %s\n", program, VERSION);
    return 0;
  }
  if (!strcmp (argv[1], "show"))
    return cmd_show (argc - 1, argv + 1);
  if (!strcmp (argv[1], "convert"))
    return cmd_convert (argc - 1, argv + 1);
  if (!strcmp (argv[1], "index"))
    return cmd_index (argc - 1, argv + 1);
  g_printerr ("%s: unknown command \"%s\" (see --help)\n", program, argv[1]);
  return 2;
}
