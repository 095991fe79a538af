/* gst-chapters: safe XML parsing shared by the XML-based readers. */
#include "chapter-xml.h"
#include "chapter-format.h"

#include <string.h>
#include <libxml/parser.h>
#include <libxml/entities.h>
#include <libxml/HTMLparser.h>

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

void
chapter_append_unescaped (GString * out, const gchar * text, gssize len)
{
  const gchar *p = text, *end;

  if (len < 0)
    len = strlen (text);
  end = text + len;
  while (p < end) {
    const gchar *amp = memchr (p, '&', end - p), *semi;
    gunichar c = 0;

    if (amp == NULL) {
      g_string_append_len (out, p, end - p);
      break;
    }
    g_string_append_len (out, p, amp - p);
    p = amp + 1;
    /* a reference is short: &#x1F600; and the longest named ones */
    semi = memchr (p, ';', MIN (end - p, 34));
    if (semi && semi > p && p[0] == '#') {
      gboolean hex = p[1] == 'x' || p[1] == 'X';
      const gchar *digits = p + (hex ? 2 : 1), *q;
      guint64 value = 0;

      for (q = digits; q < semi && value < 0x110000; q++) {
        if (hex ? !g_ascii_isxdigit (*q) : !g_ascii_isdigit (*q))
          break;
        value = value * (hex ? 16 : 10) + (hex ? g_ascii_xdigit_value (*q) :
            g_ascii_digit_value (*q));
      }
      if (q == semi && q > digits && value > 0 && value < 0x110000
          && g_unichar_validate ((gunichar) value))
        c = (gunichar) value;
    } else if (semi && semi > p) {
      g_autofree gchar *name = g_strndup (p, semi - p);
      const htmlEntityDesc *entity;

      if (g_str_equal (name, "apos"))   /* XML's, not in HTML 4's table */
        c = '\'';
      else if ((entity = htmlEntityLookup ((const xmlChar *) name)))
        c = entity->value;
    }
    if (c) {
      g_string_append_unichar (out, c);
      p = semi + 1;
    } else {
      g_string_append_c (out, '&');
    }
  }
}

static gboolean
html_is (const xmlNode * node, const gchar * const *names)
{
  for (; *names; names++)
    if (!g_ascii_strcasecmp ((const gchar *) node->name, *names))
      return TRUE;
  return FALSE;
}

static const gchar *const html_blocks[] = { "p", "br", "div", "li", "tr",
  "ul", "ol", "dl", "dt", "dd", "table", "blockquote", "section", "article",
  "header", "footer", "pre", "hr", "figure", "figcaption", "nav", "main",
  "aside", "details", "summary", "h1", "h2", "h3", "h4", "h5", "h6", NULL
};

static gboolean
html_has_blocks (const xmlNode * node)
{
  for (; node; node = node->next)
    if (node->type == XML_ELEMENT_NODE && (html_is (node, html_blocks)
            || html_has_blocks (node->children)))
      return TRUE;
  return FALSE;
}

static void
html_append_text (GString * out, const xmlNode * node, gboolean collapse,
    guint depth)
{
  static const gchar *const skipped[] = { "script", "style", "head",
    "template", "noscript", NULL
  };
  static const gchar *const headings[] = { "h1", "h2", "h3", "h4", "h5",
    "h6", NULL
  };
  static const gchar *const cells[] = { "td", "th", NULL };

  /* (libxml2 caps its own tree depth; this is a second guard) */
  if (depth > 256)
    return;
  for (; node && out->len < 16 * 1024 * 1024; node = node->next) {
    if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
      const gchar *t = (const gchar *) node->content;

      for (; t && *t; t++) {
        gboolean space = *t == ' ' || *t == '\t' || *t == '\r' || *t == '\n';

        if (space && collapse) {
          if (out->len && out->str[out->len - 1] != ' '
              && out->str[out->len - 1] != '\n')
            g_string_append_c (out, ' ');
        } else {
          g_string_append_c (out, *t);
        }
      }
      continue;
    }
    if (node->type != XML_ELEMENT_NODE || html_is (node, skipped))
      continue;
    if (html_is (node, html_blocks))
      g_string_append_c (out, '\n');
    if (html_is (node, headings))
      g_string_append (out, "# ");
    if (html_is (node, cells))
      g_string_append_c (out, ' ');
    html_append_text (out, node->children, collapse, depth + 1);
    if (html_is (node, html_blocks))
      g_string_append_c (out, '\n');
  }
}

gchar *
chapter_html_to_text (const gchar * html, gsize len)
{
  htmlDocPtr doc;
  GString *out;
  const xmlNode *root;

  if (len > G_MAXINT)
    len = G_MAXINT;
  doc = htmlReadMemory (html, (int) len, NULL, "UTF-8", HTML_PARSE_RECOVER
      | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
  out = g_string_new (NULL);
  if (doc && (root = xmlDocGetRootElement (doc)))
    html_append_text (out, root, html_has_blocks (root), 0);
  if (doc)
    xmlFreeDoc (doc);
  return g_string_free (out, FALSE);
}

gboolean
chapter_text_looks_like_html (const gchar * text)
{
  static const gchar *const tags[] = { "html", "body", "p", "li", "br",
    "div", "ul", "ol", "h1", "h2", "h3", "h4", "span", "strong", "b", "em",
    "a", "table", "section", "article", "time", NULL
  };
  const gchar *p;

  /* a known tag name, then the end of the tag or an attribute */
  for (p = strchr (text, '<'); p; p = strchr (p + 1, '<')) {
    guint i;

    for (i = 0; tags[i]; i++) {
      gsize n = strlen (tags[i]);

      if (!g_ascii_strncasecmp (p + 1, tags[i], n)
          && (p[1 + n] == '>' || p[1 + n] == ' ' || p[1 + n] == '/'))
        return TRUE;
    }
  }
  return FALSE;
}
