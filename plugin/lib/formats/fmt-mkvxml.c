/* Matroska chapter XML as written by mkvtoolnix. */
#include "chapter-format.h"
#include "chapter-xml.h"

#include <string.h>

static guint
mkvxml_sniff (const guint8 * data, gsize size)
{
  g_autofree gchar *root = chapter_xml_sniff_root (data, size);

  return root && strcmp (root, "Chapters") == 0 ? 95 : 0;
}

static const xmlNode *
child (const xmlNode * parent, const gchar * name)
{
  const xmlNode *node;

  for (node = parent->children; node; node = node->next)
    if (chapter_xml_is (node, NULL, NULL, name))
      return node;
  return NULL;
}

static gboolean
child_flag (const xmlNode * parent, const gchar * name, gboolean fallback)
{
  const xmlNode *node = child (parent, name);
  g_autofree gchar *text = node ? chapter_xml_text (node) : NULL;

  return text ? g_ascii_strtoll (g_strstrip (text), NULL, 10) != 0 : fallback;
}

static gboolean
child_time (const xmlNode * parent, const gchar * name, gint64 * ns,
    GError ** error)
{
  const xmlNode *node = child (parent, name);
  g_autofree gchar *text = NULL;

  if (node == NULL)
    return FALSE;
  text = chapter_xml_text (node);
  if (!chapter_parse_clock (text, ns) || *ns < 0) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_PARSE,
        "line %ld: %s \"%s\" is not a time", xmlGetLineNo ((xmlNode *) node),
        name, text);
    return FALSE;
  }
  return TRUE;
}

static gboolean
read_atoms (const xmlNode * parent, GPtrArray * into, guint depth,
    ChapterList * list, GError ** error)
{
  const xmlNode *atom;

  for (atom = parent->children; atom; atom = atom->next) {
    const xmlNode *display, *uid;
    gint64 start, end;
    Chapter *chapter;

    if (!chapter_xml_is (atom, NULL, NULL, "ChapterAtom"))
      continue;
    if (depth >= CHAPTER_MAX_DEPTH) {
      chapter_list_warn (list, "line %ld: chapters nested deeper than %d "
          "ignored", xmlGetLineNo ((xmlNode *) atom), CHAPTER_MAX_DEPTH);
      return TRUE;
    }
    if (into->len >= CHAPTER_MAX_COUNT) {
      chapter_list_warn (list, "more than %d chapters, rest ignored",
          CHAPTER_MAX_COUNT);
      return TRUE;
    }
    if (!child_time (atom, "ChapterTimeStart", &start, error)) {
      if (error && *error == NULL)
        g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_PARSE,
            "line %ld: ChapterAtom has no ChapterTimeStart",
            xmlGetLineNo ((xmlNode *) atom));
      return FALSE;
    }
    chapter = chapter_new (start, NULL);
    chapter->source = "mkvxml";
    if (child_time (atom, "ChapterTimeEnd", &end, error))
      chapter->end = end;
    else if (error && *error) {
      chapter_free (chapter);
      return FALSE;
    }
    if ((uid = child (atom, "ChapterUID")))
      chapter->uid = g_strstrip (chapter_xml_text (uid));
    /* every display, each in its language (ChapLanguageIETF, else
     * ChapterLanguage, else "eng") */
    for (display = atom->children; display; display = display->next) {
      const xmlNode *string = child (display, "ChapterString");
      const xmlNode *lang = child (display, "ChapLanguageIETF");
      g_autofree gchar *text = NULL, *language = NULL;

      if (!chapter_xml_is (display, NULL, NULL, "ChapterDisplay")
          || string == NULL)
        continue;
      if (lang == NULL)
        lang = child (display, "ChapterLanguage");
      text = chapter_xml_text (string);
      language = lang ? g_strstrip (chapter_xml_text (lang)) : NULL;
      chapter_add_title (chapter, language ? language : "eng", text);
    }
    chapter->hidden = child_flag (atom, "ChapterFlagHidden", FALSE)
        || !child_flag (atom, "ChapterFlagEnabled", TRUE);
    g_ptr_array_add (into, chapter);
    if (!read_atoms (atom, chapter->children, depth + 1, list, error))
      return FALSE;
  }
  return TRUE;
}

static ChapterList *
mkvxml_read (const guint8 * data, gsize size, const ChapterReadContext * ctx,
    GError ** error)
{
  xmlDoc *doc = chapter_xml_parse (data, size, error);
  const xmlNode *node, *edition = NULL;
  ChapterList *list;

  if (doc == NULL)
    return NULL;
  for (node = xmlDocGetRootElement (doc)->children; node; node = node->next) {
    if (!chapter_xml_is (node, NULL, NULL, "EditionEntry"))
      continue;
    if (edition == NULL || child_flag (node, "EditionFlagDefault", FALSE)) {
      gboolean is_default = child_flag (node, "EditionFlagDefault", FALSE);

      if (edition == NULL || (is_default
              && !child_flag (edition, "EditionFlagDefault", FALSE)))
        edition = node;
    }
  }
  if (edition == NULL) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_EMPTY,
        "Matroska chapters without an EditionEntry");
    xmlFreeDoc (doc);
    return NULL;
  }
  list = chapter_list_new ();
  if (!read_atoms (edition, list->chapters, 0, list, error))
    g_clear_pointer (&list, chapter_list_free);
  else
    chapter_list_choose_language (list, NULL);
  xmlFreeDoc (doc);
  return list;
}

const ChapterFormat chapter_format_mkvxml = {
  "mkvxml", "Matroska chapter XML (mkvtoolnix)", mkvxml_sniff, mkvxml_read,
  NULL,
};
