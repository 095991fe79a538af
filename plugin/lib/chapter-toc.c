/* gst-chapters: ChapterList <-> GstToc. */
#include "chapter-toc.h"

#include <string.h>

void
chapter_toc_init (void)
{
  static gsize once;

  if (g_once_init_enter (&once)) {
    gst_tag_register (GST_CHAPTERS_TAG_HIDDEN, GST_TAG_FLAG_META, G_TYPE_BOOLEAN,
        "chapter hidden", "chapter is a marker but not listed in a table of "
        "contents", gst_tag_merge_use_first);
    gst_tag_register (GST_CHAPTERS_TAG_IMAGE_URI, GST_TAG_FLAG_META, G_TYPE_STRING,
        "chapter image URI", "URI of the chapter's picture",
        gst_tag_merge_use_first);
    g_once_init_leave (&once, 1);
  }
}

static GstSample *
image_sample (const Chapter * chapter)
{
  GstBuffer *buffer = gst_buffer_new_wrapped_bytes (chapter->image);
  GstCaps *caps = gst_caps_new_empty_simple (chapter->image_mime ?
      chapter->image_mime : "image/unknown");
  GstSample *sample = gst_sample_new (buffer, caps, NULL, NULL);

  gst_buffer_unref (buffer);
  gst_caps_unref (caps);
  return sample;
}

static GstTocEntry *
entry_from_chapter (const Chapter * chapter, const gchar * uid)
{
  GstTocEntry *entry = gst_toc_entry_new (GST_TOC_ENTRY_TYPE_CHAPTER, uid);
  GstTagList *tags = gst_tag_list_new_empty ();
  guint i;

  gst_toc_entry_set_start_stop_times (entry, chapter->start,
      chapter->end != CHAPTER_TIME_NONE ? chapter->end : -1);
  if (chapter->title)
    gst_tag_list_add (tags, GST_TAG_MERGE_APPEND, GST_TAG_TITLE,
        chapter->title, NULL);
  if (chapter->description)
    gst_tag_list_add (tags, GST_TAG_MERGE_APPEND, GST_TAG_DESCRIPTION,
        chapter->description, NULL);
  if (chapter->url)
    gst_tag_list_add (tags, GST_TAG_MERGE_APPEND, GST_TAG_HOMEPAGE,
        chapter->url, NULL);
  if (chapter->image_url)
    gst_tag_list_add (tags, GST_TAG_MERGE_APPEND, GST_CHAPTERS_TAG_IMAGE_URI,
        chapter->image_url, NULL);
  if (chapter->performer)
    gst_tag_list_add (tags, GST_TAG_MERGE_APPEND, GST_TAG_PERFORMER,
        chapter->performer, NULL);
  if (chapter->image) {
    GstSample *sample = image_sample (chapter);

    gst_tag_list_add (tags, GST_TAG_MERGE_APPEND, GST_TAG_IMAGE, sample,
        NULL);
    gst_sample_unref (sample);
  }
  if (chapter->hidden)
    gst_tag_list_add (tags, GST_TAG_MERGE_APPEND, GST_CHAPTERS_TAG_HIDDEN, TRUE,
        NULL);
  gst_toc_entry_set_tags (entry, tags);

  for (i = 0; i < chapter->children->len; i++) {
    g_autofree gchar *child_uid = g_strdup_printf ("%s.%u", uid, i + 1);

    gst_toc_entry_append_sub_entry (entry,
        entry_from_chapter (g_ptr_array_index (chapter->children, i),
            child_uid));
  }
  return entry;
}

GstToc *
chapter_list_to_toc (const ChapterList * list)
{
  GstToc *toc;
  GstTocEntry *edition;
  guint i;

  chapter_toc_init ();
  toc = gst_toc_new (GST_TOC_SCOPE_GLOBAL);
  edition = gst_toc_entry_new (GST_TOC_ENTRY_TYPE_EDITION, "edition");
  if (list->duration > 0)
    gst_toc_entry_set_start_stop_times (edition, 0, list->duration);
  for (i = 0; i < chapter_list_length (list); i++) {
    g_autofree gchar *uid = g_strdup_printf ("chapter-%u", i + 1);

    gst_toc_entry_append_sub_entry (edition,
        entry_from_chapter (chapter_list_get (list, i), uid));
  }
  gst_toc_append_entry (toc, edition);
  return toc;
}

static gchar *
tag_string (const GstTagList * tags, const gchar * tag)
{
  gchar *value = NULL;

  if (tags && gst_tag_list_get_string_index (tags, tag, 0, &value))
    return value;
  return NULL;
}

static Chapter *
chapter_from_entry (const GstTocEntry * entry, guint depth)
{
  const GstTagList *tags = gst_toc_entry_get_tags (entry);
  gint64 start = 0, stop = -1;
  Chapter *chapter;
  GList *l;
  gboolean hidden = FALSE;
  GstSample *sample = NULL;

  gst_toc_entry_get_start_stop_times (entry, &start, &stop);
  chapter = chapter_new (MAX (start, 0), NULL);
  if (stop >= start && stop >= 0)
    chapter->end = stop;
  chapter->uid = g_strdup (gst_toc_entry_get_uid (entry));
  chapter->title = tag_string (tags, GST_TAG_TITLE);
  chapter->description = tag_string (tags, GST_TAG_DESCRIPTION);
  chapter->url = tag_string (tags, GST_TAG_HOMEPAGE);
  chapter->image_url = tag_string (tags, GST_CHAPTERS_TAG_IMAGE_URI);
  chapter->performer = tag_string (tags, GST_TAG_PERFORMER);
  if (tags && gst_tag_list_get_boolean (tags, GST_CHAPTERS_TAG_HIDDEN, &hidden))
    chapter->hidden = hidden;
  if (tags && gst_tag_list_get_sample (tags, GST_TAG_IMAGE, &sample)) {
    GstBuffer *buffer = gst_sample_get_buffer (sample);
    GstCaps *caps = gst_sample_get_caps (sample);
    GstMapInfo map;

    if (buffer && gst_buffer_map (buffer, &map, GST_MAP_READ)) {
      chapter->image = g_bytes_new (map.data, map.size);
      gst_buffer_unmap (buffer, &map);
    }
    if (caps && gst_caps_get_size (caps) > 0)
      chapter->image_mime =
          g_strdup (gst_structure_get_name (gst_caps_get_structure (caps, 0)));
    gst_sample_unref (sample);
  }
  chapter->source = "toc";
  if (depth < CHAPTER_MAX_DEPTH)
    for (l = gst_toc_entry_get_sub_entries (entry); l; l = l->next)
      if (gst_toc_entry_get_entry_type (l->data) == GST_TOC_ENTRY_TYPE_CHAPTER)
        g_ptr_array_add (chapter->children, chapter_from_entry (l->data,
                depth + 1));
  return chapter;
}

ChapterList *
chapter_list_from_toc (const GstToc * toc)
{
  ChapterList *list = chapter_list_new ();
  GList *entries = gst_toc_get_entries (toc), *l;

  chapter_toc_init ();
  /* the first edition, or chapters straight at the top */
  for (l = entries; l; l = l->next) {
    GstTocEntry *entry = l->data;

    if (gst_toc_entry_get_entry_type (entry) == GST_TOC_ENTRY_TYPE_EDITION) {
      entries = gst_toc_entry_get_sub_entries (entry);
      break;
    }
  }
  for (l = entries; l; l = l->next)
    if (gst_toc_entry_get_entry_type (l->data) == GST_TOC_ENTRY_TYPE_CHAPTER
        && chapter_list_length (list) < CHAPTER_MAX_COUNT)
      chapter_list_add (list, chapter_from_entry (l->data, 0));
  return list;
}

gint
chapter_toc_uid_to_index (const gchar * uid)
{
  guint64 n;
  const gchar *dot;
  g_autofree gchar *number = NULL;

  if (uid == NULL || !g_str_has_prefix (uid, "chapter-"))
    return -1;
  dot = strchr (uid, '.');
  number = dot ? g_strndup (uid + 8, dot - uid - 8) : g_strdup (uid + 8);
  if (!g_ascii_string_to_unsigned (number, 10, 1, G_MAXINT, &n, NULL))
    return -1;
  return (gint) n - 1;
}
