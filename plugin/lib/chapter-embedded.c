/* gst-chapters: which container a media file is, and chapters in tags. */
#include "chapter-embedded.h"
#include "chapter-bytes.h"
#include "mkv-audio.h"
#include "ebml-read.h"
#include "chapter-format.h"

#include <gst/tag/tag.h>
#include <string.h>

/* what id3demux calls the frames it passes on unparsed */
#ifndef GST_TAG_ID3V2_FRAME
#define GST_TAG_ID3V2_FRAME "private-id3v2-frame"
#endif

static gboolean
sniff_id3 (const guint8 * d, gsize n)
{
  return n >= 10 && !memcmp (d, "ID3", 3) && d[3] >= 2 && d[3] <= 4;
}

static gboolean
sniff_mp4 (const guint8 * d, gsize n)
{
  static const gchar *const types[] = { "ftyp", "moov", "mdat", "free",
    "wide", "skip", "pnot", NULL
  };
  guint i;

  if (n < 12)
    return FALSE;
  for (i = 0; types[i]; i++)
    if (!memcmp (d + 4, types[i], 4))
      return TRUE;
  return FALSE;
}

static gboolean
sniff_ogg (const guint8 * d, gsize n)
{
  return n >= 27 && !memcmp (d, "OggS", 4);
}

static gboolean
sniff_flac (const guint8 * d, gsize n)
{
  return n >= 8 && !memcmp (d, "fLaC", 4);
}

static gboolean
sniff_riff (const guint8 * d, gsize n)
{
  return n >= 12 && !memcmp (d, "RIFF", 4) && !memcmp (d + 8, "WAVE", 4);
}

/* MPEG audio without a tag: no chapters, but media all the same. */
static gboolean
sniff_mpeg_audio (const guint8 * d, gsize n)
{
  return n >= 4 && d[0] == 0xff && (d[1] & 0xe0) == 0xe0
      && (d[1] & 0x06) != 0 && (d[2] & 0xf0) != 0xf0;
}

static ChapterList *
read_nothing (const guint8 * d, gsize n, GError ** error)
{
  return chapter_list_new ();
}

static const ChapterContainer containers[] = {
  {"id3", sniff_id3, chapter_id3_read},
  {"mp4", sniff_mp4, chapter_mp4_read},
  {"ogg", sniff_ogg, chapter_ogg_read},
  {"flac", sniff_flac, chapter_flac_read},
  {"matroska", ebml_sniff, chapter_matroska_read},
  {"riff", sniff_riff, chapter_riff_read},
  {"mpeg-audio", sniff_mpeg_audio, read_nothing},
};

const ChapterContainer *
chapter_container_sniff (const guint8 * data, gsize size)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (containers); i++)
    if (containers[i].sniff (data, size))
      return &containers[i];
  return NULL;
}

const ChapterContainer *
chapter_container_sniff_media (const guint8 * data, gsize size)
{
  const ChapterContainer *container = chapter_container_sniff (data, size);
  gsize skip;

  if (container && sniff_id3 (data, size)
      && (skip = chapter_id3v2_length (data, size)) > 0 && skip < size) {
    const ChapterContainer *inner = chapter_container_sniff (data + skip,
        size - skip);

    if (inner)
      return inner;
  }
  return container;
}

ChapterList *
chapter_embedded_read (const guint8 * data, gsize size, GError ** error)
{
  const ChapterContainer *container = chapter_container_sniff (data, size);
  ChapterList *list;

  if (container == NULL) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_FORMAT,
        "not a media container this reader knows");
    return NULL;
  }
  list = container->read (data, size, error);
  /* FLAC files may start with an ID3v2 tag that has no chapters */
  if (list && chapter_list_length (list) == 0 && sniff_id3 (data, size)) {
    gsize skip = chapter_id3v2_length (data, size);

    if (skip < size && sniff_flac (data + skip, size - skip)) {
      chapter_list_free (list);
      list = chapter_flac_read (data + skip, size - skip, error);
    }
  }
  if (list)
    chapter_list_finalize (list, list->duration);
  return list;
}

ChapterList *
chapter_embedded_read_uri (const gchar * uri, GError ** error)
{
  g_autofree gchar *path = NULL;
  g_autoptr (GMappedFile) file = NULL;
  GError *local = NULL;
  ChapterList *list;

  if (g_ascii_strncasecmp (uri, "file:", 5) == 0)
    path = g_filename_from_uri (uri, NULL, error);
  else if (!strstr (uri, "://"))
    path = g_strdup (uri);
  else {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
        "%s: not a local file", uri);
    return NULL;
  }
  if (path == NULL)
    return NULL;
  file = g_mapped_file_new (path, FALSE, error);
  if (file == NULL)
    return NULL;
  list = chapter_embedded_read ((const guint8 *)
      g_mapped_file_get_contents (file), g_mapped_file_get_length (file),
      &local);
  if (list == NULL) {
    g_set_error (error, local->domain, local->code, "%s: %s", path,
        local->message);
    g_error_free (local);
  }
  return list;
}

ChapterList *
chapter_embedded_from_tags (const GstTagList * tags)
{
  GPtrArray *frames = g_ptr_array_new_with_free_func ((GDestroyNotify)
      g_bytes_unref);
  GPtrArray *comments = g_ptr_array_new ();
  ChapterList *list = NULL;
  guint i, n;

  n = gst_tag_list_get_tag_size (tags, GST_TAG_ID3V2_FRAME);
  for (i = 0; i < n; i++) {
    GstSample *sample = NULL;
    GstBuffer *buffer;
    GstMapInfo map;

    if (!gst_tag_list_get_sample_index (tags, GST_TAG_ID3V2_FRAME, i,
            &sample))
      continue;
    buffer = gst_sample_get_buffer (sample);
    if (buffer && gst_buffer_map (buffer, &map, GST_MAP_READ)) {
      if (map.size >= 10 && (!memcmp (map.data, "CHAP", 4)
              || !memcmp (map.data, "CTOC", 4)))
        g_ptr_array_add (frames, g_bytes_new (map.data, map.size));
      gst_buffer_unmap (buffer, &map);
    }
    gst_sample_unref (sample);
  }
  n = gst_tag_list_get_tag_size (tags, GST_TAG_EXTENDED_COMMENT);
  for (i = 0; i < n; i++) {
    const gchar *comment = NULL;

    if (gst_tag_list_peek_string_index (tags, GST_TAG_EXTENDED_COMMENT, i,
            &comment) && comment
        && g_ascii_strncasecmp (comment, "CHAPTER", 7) == 0)
      g_ptr_array_add (comments, (gpointer) comment);
  }
  if (frames->len > 0)
    list = chapter_id3_frames_read (frames);
  else if (comments->len > 0)
    list = chapter_vorbis_comments_read ((const gchar * const *)
        comments->pdata, comments->len);
  g_ptr_array_unref (frames);
  g_ptr_array_unref (comments);
  if (list && chapter_list_length (list) == 0)
    g_clear_pointer (&list, chapter_list_free);
  if (list)
    chapter_list_finalize (list, -1);
  return list;
}
