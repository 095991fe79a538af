/* Podcasting 2.0 JSON chapters. */
#include "chapter-format.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

static guint
json_sniff (const guint8 * data, gsize size)
{
  gsize left;
  const gchar *p = chapter_text_skip_space (data, size, &left);

  if (left == 0 || (*p != '{' && *p != '['))
    return 0;
  return g_strstr_len (p, MIN (left, 65536), "\"chapters\"")
      || g_strstr_len (p, MIN (left, 65536), "\"startTime\"") ? 95 : 40;
}

/* Seconds as a JSON number (or numeric string) to nanoseconds. */
static gboolean
seconds_member (JsonObject * obj, const gchar * name, gint64 * ns)
{
  JsonNode *node = json_object_get_member (obj, name);
  gdouble seconds;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node)) {
    case G_TYPE_INT64:
      seconds = json_node_get_int (node);
      break;
    case G_TYPE_DOUBLE:
      seconds = json_node_get_double (node);
      break;
    case G_TYPE_STRING:{
      const gchar *text = json_node_get_string (node);

      if (chapter_parse_clock (text, ns))
        return *ns >= 0;
      return FALSE;
    }
    default:
      return FALSE;
  }
  if (!isfinite (seconds) || seconds < 0 || seconds > 1e9)
    return FALSE;
  /* round to the microsecond: JSON seconds carry float noise */
  *ns = (gint64) llround (seconds * 1e6) * 1000;
  return TRUE;
}

static gchar *
string_member (JsonObject * obj, const gchar * name)
{
  JsonNode *node = json_object_get_member (obj, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return chapter_text_clean (json_node_get_string (node), -1);
}

static ChapterList *
json_read (const guint8 * data, gsize size, const ChapterReadContext * ctx,
    GError ** error)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autofree gchar *text = NULL;
  gsize len;
  JsonNode *root;
  JsonArray *array = NULL;
  ChapterList *list;
  guint i, n;

  text = chapter_text_to_utf8 (data, size, &len, error);
  if (text == NULL)
    return NULL;
  if (!json_parser_load_from_data (parser, text, len, error)) {
    /* json-glib says "<data>:LINE:COL: Parse error: ..." */
    if (error && *error && g_str_has_prefix ((*error)->message, "<data>:")) {
      gchar *msg = g_strdup_printf ("JSON error at line %s",
          (*error)->message + 7);

      g_free ((*error)->message);
      (*error)->message = msg;
    }
    return NULL;
  }
  root = json_parser_get_root (parser);
  if (root && JSON_NODE_HOLDS_OBJECT (root)) {
    JsonNode *chapters =
        json_object_get_member (json_node_get_object (root), "chapters");

    if (chapters && JSON_NODE_HOLDS_ARRAY (chapters))
      array = json_node_get_array (chapters);
  } else if (root && JSON_NODE_HOLDS_ARRAY (root)) {
    array = json_node_get_array (root);
  }
  if (array == NULL) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_PARSE,
        "JSON has no \"chapters\" array at the top level");
    return NULL;
  }

  list = chapter_list_new ();
  n = json_array_get_length (array);
  if (n > CHAPTER_MAX_COUNT) {
    chapter_list_warn (list, "chapters[%d] and later ignored: more than %d "
        "chapters", CHAPTER_MAX_COUNT, CHAPTER_MAX_COUNT);
    n = CHAPTER_MAX_COUNT;
  }
  for (i = 0; i < n; i++) {
    JsonNode *element = json_array_get_element (array, i);
    JsonObject *obj;
    JsonNode *toc;
    Chapter *chapter;
    gint64 start, end;

    if (!JSON_NODE_HOLDS_OBJECT (element)) {
      chapter_list_warn (list, "chapters[%u] is not an object, skipped", i);
      continue;
    }
    obj = json_node_get_object (element);
    if (!seconds_member (obj, "startTime", &start)) {
      chapter_list_warn (list, "chapters[%u]: startTime is missing, negative "
          "or not a number, chapter skipped", i);
      continue;
    }
    chapter = chapter_new (start, NULL);
    chapter->source = "json";
    if (seconds_member (obj, "endTime", &end)) {
      if (end >= start)
        chapter->end = end;
      else
        chapter_list_warn (list, "chapters[%u]: endTime before startTime, "
            "ignored", i);
    }
    chapter->title = string_member (obj, "title");
    chapter->url = string_member (obj, "url");
    chapter->image_url = string_member (obj, "img");
    toc = json_object_get_member (obj, "toc");
    if (toc && json_node_get_value_type (toc) == G_TYPE_BOOLEAN)
      chapter->hidden = !json_node_get_boolean (toc);
    chapter_list_add (list, chapter);
  }
  return list;
}

/* Seconds with up to nine decimals and no float noise. */
static void
append_seconds (GString * out, gint64 ns)
{
  gint64 whole = ns / 1000000000, frac = ns % 1000000000;
  gint digits = 9;

  g_string_append_printf (out, "%" G_GINT64_FORMAT, whole);
  if (frac == 0)
    return;
  while (frac % 10 == 0) {
    frac /= 10;
    digits--;
  }
  g_string_append_printf (out, ".%0*" G_GINT64_FORMAT, digits, frac);
}

static void
append_member (GString * out, const gchar * name, const gchar * value)
{
  if (value == NULL)
    return;
  g_string_append_printf (out, ", \"%s\": ", name);
  chapter_json_append_string (out, value);
}

static gchar *
json_write (const ChapterList * list)
{
  GString *out = g_string_new ("{\n  \"version\": \"1.2.0\",\n"
      "  \"chapters\": [");
  guint i;

  for (i = 0; i < chapter_list_length (list); i++) {
    const Chapter *c = chapter_list_get (list, i);

    g_string_append (out, i ? ",\n    {\"startTime\": " : "\n    {"
        "\"startTime\": ");
    append_seconds (out, c->start);
    if (c->end != CHAPTER_TIME_NONE) {
      g_string_append (out, ", \"endTime\": ");
      append_seconds (out, c->end);
    }
    append_member (out, "title", c->title);
    append_member (out, "img", c->image_url);
    append_member (out, "url", c->url);
    if (c->hidden)
      g_string_append (out, ", \"toc\": false");
    g_string_append_c (out, '}');
  }
  g_string_append (out, "\n  ]\n}\n");
  return g_string_free (out, FALSE);
}

const ChapterFormat chapter_format_json = {
  "json", "Podcasting 2.0 JSON chapters", json_sniff, json_read, json_write,
};
