/* Podlove Simple Chapters, standalone XML. */
#include "chapter-format.h"
#include "chapter-xml.h"

#include <string.h>

static guint
psc_sniff (const guint8 * data, gsize size)
{
  g_autofree gchar *root = chapter_xml_sniff_root (data, size);

  if (root == NULL || strcmp (root, "chapters") != 0)
    return 0;
  return g_strstr_len ((const gchar *) data, MIN (size, 4096),
      CHAPTER_PSC_NS) ? 95 : 60;
}

static ChapterList *
psc_read (const guint8 * data, gsize size, const ChapterReadContext * ctx,
    GError ** error)
{
  xmlDoc *doc = chapter_xml_parse (data, size, error);
  ChapterList *list;

  if (doc == NULL)
    return NULL;
  list = chapter_list_new ();
  chapter_psc_read_node (xmlDocGetRootElement (doc), list);
  xmlFreeDoc (doc);
  return list;
}

static void
append_attr (GString * out, const gchar * name, const gchar * value)
{
  g_autofree gchar *escaped = NULL;

  if (value == NULL)
    return;
  escaped = g_markup_escape_text (value, -1);
  g_string_append_printf (out, " %s=\"%s\"", name, escaped);
}

static gchar *
psc_write (const ChapterList * list)
{
  GString *out = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<psc:chapters version=\"1.2\" xmlns:psc=\"" CHAPTER_PSC_NS "\">\n");
  guint i;

  for (i = 0; i < chapter_list_length (list); i++) {
    const Chapter *c = chapter_list_get (list, i);
    g_autofree gchar *start = chapter_format_clock (c->start, TRUE);

    g_string_append_printf (out, "  <psc:chapter start=\"%s\"", start);
    append_attr (out, "title", c->title ? c->title : "");
    append_attr (out, "href", c->url);
    append_attr (out, "image", c->image_url);
    g_string_append (out, "/>\n");
  }
  g_string_append (out, "</psc:chapters>\n");
  return g_string_free (out, FALSE);
}

const ChapterFormat chapter_format_psc = {
  "psc", "Podlove Simple Chapters (XML)", psc_sniff, psc_read, psc_write,
};
