/* gst-chapters: show, convert and index chapters from the command line.
 *
 *   gst-chapters show SOURCE [--json]
 *   gst-chapters convert SOURCE --to FORMAT
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "chapter-source.h"

static const gchar *program = "gst-chapters";

static void
print_usage (FILE * out)
{
  const ChapterFormat *const *formats = chapter_formats ();
  guint i;

  fprintf (out, "Usage:\n"
      "  %s show SOURCE [--json]        list the chapters of SOURCE\n"
      "  %s convert SOURCE --to FORMAT  write them in another format\n"
      "\nSOURCE is a path, a file:// or an http(s):// URL of a chapter file, "
      "feed\nor episode page; its format is found from its content.\n"
      "\nFormats read:\n", program, program);
  for (i = 0; formats[i]; i++)
    fprintf (out, "  %-11s %s%s\n", formats[i]->name,
        formats[i]->description, formats[i]->write ? " (also written)" : "");
}

static gchar *opt_media, *opt_guid;

static GOptionEntry source_entries[] = {
  {"media", 'm', 0, G_OPTION_ARG_STRING, &opt_media,
      "In a feed, take the item whose enclosure is this media URI", "URI"},
  {"guid", 'g', 0, G_OPTION_ARG_STRING, &opt_guid,
      "In a feed, take the item with this guid", "GUID"},
  {NULL}
};

static ChapterList *
load (const gchar * source)
{
  ChapterReadContext ctx = { opt_media, opt_guid, NULL };
  GError *error = NULL;
  ChapterList *list;
  guint i;

  list = chapter_source_load (source, &ctx, NULL, NULL, &error);
  if (list == NULL) {
    g_printerr ("%s: %s\n", program, error->message);
    g_error_free (error);
    return NULL;
  }
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
  g_printerr ("%s: unknown command \"%s\" (see --help)\n", program, argv[1]);
  return 2;
}
