/* gst-chapters: safe XML parsing shared by the XML-based readers. */
#include "chapter-xml.h"
#include "chapter-format.h"

#include <string.h>
#include <libxml/parser.h>
#include <libxml/entities.h>

xmlDoc *
chapter_xml_parse (const guint8 * data, gsize size, GError ** error)
{
  xmlParserCtxt *ctxt;
  xmlDoc *doc;

  if (size > G_MAXINT) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_LIMIT, "XML too large");
    return NULL;
  }
  ctxt = xmlNewParserCtxt ();
  if (ctxt == NULL) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_LIMIT, "out of memory");
    return NULL;
  }
  doc = xmlCtxtReadMemory (ctxt, (const char *) data, (int) size, NULL, NULL,
      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
      XML_PARSE_NOCDATA);
  if (doc == NULL || !ctxt->wellFormed) {
    const xmlError *err = xmlCtxtGetLastError (ctxt);
    g_autofree gchar *msg = g_strdup (err && err->message ? err->message :
        "not well-formed");

    g_strchomp (msg);
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_PARSE,
        "XML error at line %d: %s", err ? err->line : 0, msg);
    g_clear_pointer (&doc, xmlFreeDoc);
  } else if (doc->intSubset && doc->intSubset->entities
      && xmlHashSize (doc->intSubset->entities) > 0) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_LIMIT,
        "XML entity declarations are refused (line %ld)",
        xmlGetLineNo ((xmlNode *) doc->intSubset));
    g_clear_pointer (&doc, xmlFreeDoc);
  } else if (xmlDocGetRootElement (doc) == NULL) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_PARSE,
        "XML has no root element");
    g_clear_pointer (&doc, xmlFreeDoc);
  }
  xmlFreeParserCtxt (ctxt);
  return doc;
}

gboolean
chapter_xml_is (const xmlNode * node, const gchar * ns_uri,
    const gchar * prefix, const gchar * local)
{
  const gchar *name = (const gchar *) node->name;

  if (node->type != XML_ELEMENT_NODE)
    return FALSE;
  if (node->ns) {
    if (strcmp (name, local) != 0)
      return FALSE;
    if (ns_uri && node->ns->href
        && g_ascii_strcasecmp ((const gchar *) node->ns->href, ns_uri) == 0)
      return TRUE;
    return prefix && node->ns->prefix
        && strcmp ((const gchar *) node->ns->prefix, prefix) == 0;
  }
  /* an undeclared prefix stays part of the name */
  if (prefix) {
    gsize plen = strlen (prefix);

    if (strncmp (name, prefix, plen) == 0 && name[plen] == ':'
        && strcmp (name + plen + 1, local) == 0)
      return TRUE;
  }
  return strcmp (name, local) == 0;
}

gchar *
chapter_xml_attr (const xmlNode * node, const gchar * name)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *) name);
  gchar *clean;

  if (value == NULL)
    return NULL;
  clean = chapter_text_clean ((const gchar *) value, -1);
  xmlFree (value);
  return clean;
}

gchar *
chapter_xml_text (const xmlNode * node)
{
  GString *text = g_string_new (NULL);
  const xmlNode *child;
  gchar *clean;

  /* direct text children only: never expands entity references */
  for (child = node->children; child; child = child->next)
    if ((child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE)
        && child->content && text->len < CHAPTER_MAX_TEXT)
      g_string_append (text, (const gchar *) child->content);
  clean = chapter_text_clean (text->str, text->len);
  g_string_free (text, TRUE);
  return clean;
}

gchar *
chapter_xml_sniff_root (const guint8 * data, gsize size)
{
  gsize left;
  const gchar *p = chapter_text_skip_space (data, MIN (size, 65536), &left);
  const gchar *end = p + left;

  if (left == 0 || *p != '<')
    return NULL;
  /* skip the declaration, comments, doctype and processing instructions */
  while (p < end && *p == '<') {
    const gchar *q;

    if (p + 1 < end && (p[1] == '?' || p[1] == '!')) {
      if (p + 3 < end && p[2] == '-' && p[3] == '-') {
        q = g_strstr_len (p, end - p, "-->");
        p = q ? q + 3 : end;
      } else {
        q = memchr (p, '>', end - p);
        /* a DOCTYPE's internal subset holds '>' of its own */
        if (q && memchr (p, '[', q - p)) {
          q = g_strstr_len (p, end - p, "]");
          q = q ? memchr (q, '>', end - q) : NULL;
        }
        p = q ? q + 1 : end;
      }
      while (p < end && g_ascii_isspace (*p))
        p++;
      continue;
    }
    p++;
    q = p;
    while (q < end && !g_ascii_isspace (*q) && *q != '>' && *q != '/')
      q++;
    if (q == p)
      return NULL;
    /* drop a namespace prefix */
    {
      const gchar *colon = memchr (p, ':', q - p);

      if (colon)
        p = colon + 1;
    }
    return g_strndup (p, q - p);
  }
  return NULL;
}

void
chapter_psc_read_node (const xmlNode * chapters, ChapterList * list)
{
  const xmlNode *node;

  for (node = chapters->children; node; node = node->next) {
    g_autofree gchar *start = NULL;
    gint64 ns;
    Chapter *chapter;

    if (!chapter_xml_is (node, CHAPTER_PSC_NS, "psc", "chapter"))
      continue;
    if (chapter_list_length (list) >= CHAPTER_MAX_COUNT) {
      chapter_list_warn (list, "line %ld: more than %d chapters, rest ignored",
          xmlGetLineNo ((xmlNode *) node), CHAPTER_MAX_COUNT);
      break;
    }
    start = chapter_xml_attr (node, "start");
    if (start == NULL || !chapter_parse_clock (start, &ns) || ns < 0) {
      chapter_list_warn (list, "line %ld: chapter start \"%s\" is not a "
          "normal play time, chapter skipped", xmlGetLineNo ((xmlNode *) node),
          start ? start : "(missing)");
      continue;
    }
    chapter = chapter_new (ns, NULL);
    chapter->title = chapter_xml_attr (node, "title");
    chapter->url = chapter_xml_attr (node, "href");
    chapter->image_url = chapter_xml_attr (node, "image");
    chapter->source = "psc";
    chapter_list_add (list, chapter);
  }
}
