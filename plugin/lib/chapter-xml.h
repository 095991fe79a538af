/* gst-chapters: safe XML parsing shared by the XML-based readers. */
#pragma once

#include <libxml/tree.h>
#include "chapter-list.h"

G_BEGIN_DECLS

/* Parses with no network, no DTD loading, no entity substitution; refuses
 * entity declarations. The error names the line of the problem. */
xmlDoc *chapter_xml_parse (const guint8 * data, gsize size, GError ** error);

/* TRUE when @node is an element named @local, either in the namespace
 * @ns_uri, with the prefix @prefix (declared or not), or without one when
 * @prefix is NULL. */
gboolean chapter_xml_is (const xmlNode * node, const gchar * ns_uri,
    const gchar * prefix, const gchar * local);

/* Attribute or text content as cleaned, capped UTF-8, or NULL. */
gchar *chapter_xml_attr (const xmlNode * node, const gchar * name);
gchar *chapter_xml_text (const xmlNode * node);

/* The local name of the root element when @data looks like XML, or NULL. */
gchar *chapter_xml_sniff_root (const guint8 * data, gsize size);

/* Podlove Simple Chapters: reads the <chapter> children of a
 * <psc:chapters> element into @list. */
void chapter_psc_read_node (const xmlNode * chapters, ChapterList * list);

/* HTML (a page, or a fragment from a feed's description) as plain text, by
 * libxml2's HTML parser: scripts, styles and the head dropped, block
 * elements on lines of their own, headings marked "# " as in Markdown,
 * table cells apart, entities decoded. Whitespace collapses as a browser
 * shows it, except in text with no block elements at all, whose line
 * breaks are kept (a plain-text description with a link in it). */
gchar *chapter_html_to_text (const gchar * html, gsize len);

/* TRUE when @text has tags of an HTML page or fragment. */
gboolean chapter_text_looks_like_html (const gchar * text);

/* Appends @text to @out with HTML character references (the named ones of
 * HTML and XML, decimal and hexadecimal) decoded; anything that is not a
 * complete reference stays as it was. */
void chapter_append_unescaped (GString * out, const gchar * text, gssize len);

#define CHAPTER_PSC_NS "http://podlove.org/simple-chapters"

G_END_DECLS
