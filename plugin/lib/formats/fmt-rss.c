/* Podcast RSS feeds: the item that matches the media, with its inline
 * Podlove chapters or its <podcast:chapters> link. */
#include "chapter-format.h"
#include "chapter-xml.h"

#include <string.h>

#define PODCAST_NS "https://podcastindex.org/namespace/1.0"
#define ATOM_NS "http://www.w3.org/2005/Atom"
#define CONTENT_NS "http://purl.org/rss/1.0/modules/content/"
#define ITUNES_NS "http://www.itunes.com/dtds/podcast-1.0.dtd"

static guint
rss_sniff (const guint8 * data, gsize size)
{
  g_autofree gchar *root = chapter_xml_sniff_root (data, size);

  return root && (strcmp (root, "rss") == 0 || strcmp (root, "feed") == 0) ?
      95 : 0;
}

static const xmlNode *
child_named (const xmlNode * parent, const gchar * ns, const gchar * prefix,
    const gchar * local)
{
  const xmlNode *node;

  for (node = parent->children; node; node = node->next)
    if (chapter_xml_is (node, ns, prefix, local))
      return node;
  return NULL;
}

/* The chapter list in an item's show notes: content:encoded (the full
 * notes), else description, else itunes:summary, Atom's content and
 * summary. */
static ChapterList *
item_notes_chapters (const xmlNode * item, GError ** error)
{
  const xmlNode *notes = NULL;

  if (!(notes = child_named (item, CONTENT_NS, "content", "encoded"))
      && !(notes = child_named (item, NULL, NULL, "description"))
      && !(notes = child_named (item, ITUNES_NS, "itunes", "summary"))
      && !(notes = child_named (item, ATOM_NS, NULL, "content"))
      && !(notes = child_named (item, NULL, NULL, "content"))
      && !(notes = child_named (item, ATOM_NS, NULL, "summary")))
    notes = child_named (item, NULL, NULL, "summary");
  if (notes) {
    g_autofree gchar *text = chapter_xml_text (notes);

    if (text && *text)
      return chapter_shownotes_read_text (text, strlen (text), error);
  }
  g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_EMPTY,
      "the feed item has no chapters and no show notes");
  return NULL;
}

static gboolean
is_item (const xmlNode * node)
{
  return chapter_xml_is (node, NULL, NULL, "item")
      || chapter_xml_is (node, NULL, NULL, "entry")
      || chapter_xml_is (node, ATOM_NS, NULL, "entry");
}

static gboolean
item_has_chapters (const xmlNode * item)
{
  return child_named (item, CHAPTER_PSC_NS, "psc", "chapters")
      || child_named (item, PODCAST_NS, "podcast", "chapters");
}

/* Compares URLs loosely: the same path without query and scheme. */
static gboolean
same_media (const gchar * a, const gchar * b)
{
  g_autofree gchar *ca = NULL, *cb = NULL;
  gchar *q;

  if (a == NULL || b == NULL)
    return FALSE;
  if (strcmp (a, b) == 0)
    return TRUE;
  ca = g_strdup (strstr (a, "://") ? strstr (a, "://") + 3 : a);
  cb = g_strdup (strstr (b, "://") ? strstr (b, "://") + 3 : b);
  if ((q = strpbrk (ca, "?#")))
    *q = '\0';
  if ((q = strpbrk (cb, "?#")))
    *q = '\0';
  if (strcmp (ca, cb) == 0)
    return TRUE;
  /* a local copy of a feed's enclosure: compare file names */
  return strcmp (strrchr (ca, '/') ? strrchr (ca, '/') + 1 : ca,
      strrchr (cb, '/') ? strrchr (cb, '/') + 1 : cb) == 0;
}

static gboolean
item_matches (const xmlNode * item, const ChapterReadContext * ctx)
{
  const xmlNode *node;
  gboolean match = FALSE;

  for (node = item->children; node && !match; node = node->next) {
    g_autofree gchar *value = NULL;

    if (ctx->media_uri && chapter_xml_is (node, NULL, NULL, "enclosure")) {
      value = chapter_xml_attr (node, "url");
      match = same_media (value, ctx->media_uri);
    } else if (ctx->guid && chapter_xml_is (node, NULL, NULL, "guid")) {
      value = chapter_xml_text (node);
      match = g_strcmp0 (g_strstrip (value), ctx->guid) == 0;
    } else if (ctx->title && chapter_xml_is (node, NULL, NULL, "title")) {
      value = chapter_xml_text (node);
      match = g_strcmp0 (g_strstrip (value), ctx->title) == 0;
    }
  }
  return match;
}

static ChapterList *
rss_read (const guint8 * data, gsize size, const ChapterReadContext * ctx,
    GError ** error)
{
  xmlDoc *doc = chapter_xml_parse (data, size, error);
  const xmlNode *root, *channel, *node, *item = NULL, *first = NULL;
  const xmlNode *chapters;
  gboolean wanted = ctx->media_uri || ctx->guid || ctx->title, matched;
  ChapterList *list = NULL;

  if (doc == NULL)
    return NULL;
  root = xmlDocGetRootElement (doc);
  channel = child_named (root, NULL, NULL, "channel");
  if (channel == NULL)
    channel = root;
  for (node = channel->children; node; node = node->next) {
    if (!is_item (node))
      continue;
    if (first == NULL && item_has_chapters (node))
      first = node;
    if (wanted && item_matches (node, ctx)) {
      item = node;
      break;
    }
  }
  if (item == NULL && first == NULL) {
    /* no chapters element anywhere: the first item whose notes have a
     * chapter list */
    for (node = channel->children; node && !list; node = node->next)
      if (is_item (node) && (list = item_notes_chapters (node, NULL)))
        first = node;
  }
  matched = item != NULL;
  if (item == NULL)
    item = first;
  if (item == NULL) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_EMPTY,
        "no feed item has chapters, in a chapters element or its show notes");
    xmlFreeDoc (doc);
    return NULL;
  }
  if (list) {
    /* read in the search above */
  } else if (item_has_chapters (item)) {
    list = chapter_list_new ();
    if ((chapters = child_named (item, CHAPTER_PSC_NS, "psc", "chapters")))
      chapter_psc_read_node (chapters, list);
    if ((chapters = child_named (item, PODCAST_NS, "podcast", "chapters")))
      list->chapters_url = chapter_xml_attr (chapters, "url");
  } else {
    GError *notes_error = NULL;

    /* chapters written in the item's show notes */
    list = item_notes_chapters (item, &notes_error);
    if (list == NULL) {
      g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_EMPTY,
          "the feed item for the media has no chapters element, and in its "
          "show notes %s", notes_error->message);
      g_error_free (notes_error);
      xmlFreeDoc (doc);
      return NULL;
    }
  }
  if (wanted && !matched)
    chapter_list_warn (list, "no feed item matches the media%s%s; using "
        "the first item with chapters", ctx->media_uri ? " " : "",
        ctx->media_uri ? ctx->media_uri : "");
  for (node = item->children; node; node = node->next) {
    g_autofree gchar *duration = NULL;
    gint64 ns;

    if (!chapter_xml_is (node, ITUNES_NS, "itunes", "duration"))
      continue;
    duration = chapter_xml_text (node);
    if (chapter_parse_clock (duration, &ns) && ns > 0)
      list->duration = ns;
  }
  xmlFreeDoc (doc);
  return list;
}

const ChapterFormat chapter_format_rss = {
  "rss", "podcast RSS feed (Podlove chapters, <podcast:chapters> link, or "
      "a chapter list in the item's show notes)",
  rss_sniff, rss_read, NULL,
};
