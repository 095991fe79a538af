/* ID3v2.3/2.4 CHAP and CTOC frames (ID3v2 Chapter Frame Addendum 1.0). */
#include "chapter-embedded.h"
#include "chapter-bytes.h"
#include "chapter-format.h"

#include <string.h>

typedef struct
{
  guint version;                /* 3 or 4 */
  GHashTable *in_toc;           /* element ids listed by a CTOC */
  gboolean have_ctoc;
} Id3Context;

static gboolean
valid_frame_id (const guint8 * p, gsize left)
{
  guint i;

  if (left < 4)
    return FALSE;
  for (i = 0; i < 4; i++)
    if (!(g_ascii_isupper (p[i]) || g_ascii_isdigit (p[i])))
      return FALSE;
  return TRUE;
}

/* Where a frame may be followed: another frame, padding or the end. */
static gboolean
plausible_next (const guint8 * p, gsize left)
{
  return left == 0 || p[0] == 0 || valid_frame_id (p, left);
}

/* Removes the unsynchronisation scheme: FF 00 -> FF. */
static GBytes *
unsync (const guint8 * data, gsize size)
{
  guint8 *out = g_malloc (size ? size : 1);
  gsize i, n = 0;

  for (i = 0; i < size; i++) {
    out[n++] = data[i];
    if (data[i] == 0xff && i + 1 < size && data[i + 1] == 0x00)
      i++;
  }
  return g_bytes_new_take (out, n);
}

/* A text in one of ID3's four encodings, up to its terminator. Advances
 * *pos past the terminator. */
static gchar *
read_text (guint8 encoding, const guint8 * data, gsize size, gsize * pos)
{
  gsize start = *pos, end = start, width = (encoding == 1 || encoding == 2) ?
      2 : 1;
  const gchar *charset = "ISO-8859-1";
  gchar *text;

  while (end + width <= size) {
    if (data[end] == 0 && (width == 1 || data[end + 1] == 0))
      break;
    end += width;
  }
  if (end + width > size)
    end = size - ((size - start) % width);
  *pos = MIN (size, end + width);

  switch (encoding) {
    case 1:
      if (end - start >= 2 && data[start] == 0xff && data[start + 1] == 0xfe) {
        charset = "UTF-16LE";
        start += 2;
      } else if (end - start >= 2 && data[start] == 0xfe
          && data[start + 1] == 0xff) {
        charset = "UTF-16BE";
        start += 2;
      } else {
        charset = "UTF-16LE";
      }
      break;
    case 2:
      charset = "UTF-16BE";
      break;
    case 3:
      charset = "UTF-8";
      break;
    default:
      break;
  }
  if (end <= start)
    return g_strdup ("");
  if (encoding == 3)
    return chapter_text_clean ((const gchar *) data + start, end - start);
  text = g_convert_with_fallback ((const gchar *) data + start, end - start,
      "UTF-8", charset, "\xef\xbf\xbd", NULL, NULL, NULL);
  if (text == NULL)
    return g_strdup ("");
  {
    gchar *clean = chapter_text_clean (text, -1);

    g_free (text);
    return clean;
  }
}

typedef void (*FrameFunc) (const gchar * id, const guint8 * data, gsize size,
    gpointer user_data);

/* Walks the frames in @data, calling @func with each frame's body (with
 * frame-level unsynchronisation and data length indicators undone). */
static void
walk_frames (const Id3Context * ctx, const guint8 * data, gsize size,
    FrameFunc func, gpointer user_data)
{
  gsize pos = 0;

  while (pos + 10 <= size && valid_frame_id (data + pos, size - pos)) {
    gchar id[5];
    guint32 frame_size;
    guint16 flags;
    const guint8 *body;
    gsize body_size;
    GBytes *undone = NULL;

    memcpy (id, data + pos, 4);
    id[4] = '\0';
    flags = data[pos + 8] << 8 | data[pos + 9];
    if (ctx->version == 4) {
      guint32 be = chapter_read_u32_be (data + pos + 4);

      frame_size = chapter_read_synchsafe (data + pos + 4);
      /* writers that forgot syncsafe sizes in v2.4: take the reading that
       * lands on the next frame */
      if ((data[pos + 4] | data[pos + 5] | data[pos + 6] | data[pos + 7]) & 0x80)
        frame_size = be;
      else if (be != frame_size && (pos + 10 + frame_size > size
              || !plausible_next (data + pos + 10 + frame_size,
                  size - pos - 10 - frame_size))
          && pos + 10 + (gsize) be <= size
          && plausible_next (data + pos + 10 + be, size - pos - 10 - be))
        frame_size = be;
    } else {
      frame_size = chapter_read_u32_be (data + pos + 4);
    }
    if (frame_size > size - pos - 10)
      break;
    body = data + pos + 10;
    body_size = frame_size;
    pos += 10 + frame_size;

    if (ctx->version == 4) {
      if (flags & 0x000c)       /* compressed or encrypted */
        continue;
      if (flags & 0x0040) {     /* grouping identity */
        if (body_size < 1)
          continue;
        body++;
        body_size--;
      }
      if (flags & 0x0001) {     /* data length indicator */
        if (body_size < 4)
          continue;
        body += 4;
        body_size -= 4;
      }
      if (flags & 0x0002) {
        undone = unsync (body, body_size);
        body = g_bytes_get_data (undone, &body_size);
      }
    } else {
      if (flags & 0x00c0)       /* compressed or encrypted */
        continue;
      if (flags & 0x0020) {
        if (body_size < 1)
          continue;
        body++;
        body_size--;
      }
    }
    func (id, body, body_size, user_data);
    if (undone)
      g_bytes_unref (undone);
  }
}

typedef struct
{
  const Id3Context *ctx;
  Chapter *chapter;
  gboolean have_title;
} ChapState;

static void
chap_subframe (const gchar * id, const guint8 * data, gsize size,
    gpointer user_data)
{
  ChapState *state = user_data;
  Chapter *c = state->chapter;
  gsize pos = 1;

  if (size < 1)
    return;
  if (!strcmp (id, "TIT2") && !state->have_title) {
    c->title = read_text (data[0], data, size, &pos);
    state->have_title = TRUE;
  } else if (!strcmp (id, "TIT3") && c->description == NULL) {
    c->description = read_text (data[0], data, size, &pos);
  } else if (!strcmp (id, "WXXX") && c->url == NULL) {
    g_autofree gchar *description = read_text (data[0], data, size, &pos);
    g_autofree gchar *url = read_text (0, data, size, &pos);

    if (*url)
      c->url = g_steal_pointer (&url);
  } else if (!strcmp (id, "WOAR") || !strcmp (id, "WCOM")) {
    if (c->url == NULL) {
      g_autofree gchar *url = NULL;

      pos = 0;
      url = read_text (0, data, size, &pos);
      if (*url)
        c->url = g_steal_pointer (&url);
    }
  } else if (!strcmp (id, "APIC") && c->image == NULL) {
    g_autofree gchar *mime = read_text (0, data, size, &pos);
    g_autofree gchar *description = NULL;

    if (pos >= size)
      return;
    pos++;                      /* picture type */
    description = read_text (data[0], data, size, &pos);
    if (pos >= size)
      return;
    if (g_str_equal (mime, "-->")) {
      /* a link to the picture instead of the picture */
      gsize link = pos;

      c->image_url = read_text (0, data, size, &link);
      return;
    }
    c->image = g_bytes_new (data + pos, size - pos);
    c->image_mime = *mime ? g_steal_pointer (&mime) : g_strdup ("image/");
    if (!strchr (c->image_mime, '/')) {
      /* v2.2-style "PNG"/"JPG" */
      gchar *lower = g_ascii_strdown (c->image_mime, -1);

      g_free (c->image_mime);
      c->image_mime = g_strdup_printf ("image/%s",
          g_str_equal (lower, "jpg") ? "jpeg" : lower);
      g_free (lower);
    }
  }
}

typedef struct
{
  Id3Context *ctx;
  ChapterList *list;
  guint frame;
} TagState;

static void
top_frame (const gchar * id, const guint8 * data, gsize size,
    gpointer user_data)
{
  TagState *state = user_data;
  gsize pos = 0;

  state->frame++;
  if (!strcmp (id, "CHAP")) {
    g_autofree gchar *element = read_text (0, data, size, &pos);
    ChapState chap = { state->ctx, NULL, FALSE };
    guint32 start, end;

    if (pos + 16 > size) {
      chapter_list_warn (state->list, "ID3 frame %u: CHAP \"%s\" is %"
          G_GSIZE_FORMAT " bytes, too short for its times", state->frame,
          element, size);
      return;
    }
    if (chapter_list_length (state->list) >= CHAPTER_MAX_COUNT)
      return;
    start = chapter_read_u32_be (data + pos);
    end = chapter_read_u32_be (data + pos + 4);
    chap.chapter = chapter_new ((gint64) start * GST_MSECOND, NULL);
    chap.chapter->uid = g_steal_pointer (&element);
    chap.chapter->source = "id3";
    if (end != 0xffffffff && end >= start)
      chap.chapter->end = (gint64) end * GST_MSECOND;
    walk_frames (state->ctx, data + pos + 16, size - pos - 16, chap_subframe,
        &chap);
    chapter_list_add (state->list, chap.chapter);
  } else if (!strcmp (id, "CTOC")) {
    g_autofree gchar *element = read_text (0, data, size, &pos);
    guint count, i;

    if (pos + 2 > size)
      return;
    /* flags at data[pos]; the entry count is unsigned */
    count = data[pos + 1];
    pos += 2;
    state->ctx->have_ctoc = TRUE;
    for (i = 0; i < count && pos < size; i++) {
      gchar *child = read_text (0, data, size, &pos);

      g_hash_table_add (state->ctx->in_toc, child);
    }
  }
}

static ChapterList *
read_frames (guint version, const guint8 * frames, gsize size)
{
  Id3Context ctx = { version, NULL, FALSE };
  TagState state = { &ctx, chapter_list_new (), 0 };
  guint i;

  ctx.in_toc = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  walk_frames (&ctx, frames, size, top_frame, &state);
  /* chapters that no table of contents lists are hidden */
  if (ctx.have_ctoc)
    for (i = 0; i < chapter_list_length (state.list); i++) {
      Chapter *c = chapter_list_get (state.list, i);

      c->hidden = !g_hash_table_contains (ctx.in_toc, c->uid);
    }
  g_hash_table_unref (ctx.in_toc);
  return state.list;
}

ChapterList *
chapter_id3_read (const guint8 * data, gsize size, GError ** error)
{
  guint version, flags;
  gsize tag_size, offset = 10;
  GBytes *undone = NULL;
  const guint8 *body;
  gsize body_size;
  ChapterList *list;

  if (size < 10 || memcmp (data, "ID3", 3) != 0) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_FORMAT,
        "no ID3v2 tag at byte 0");
    return NULL;
  }
  version = data[3];
  flags = data[5];
  tag_size = chapter_read_synchsafe (data + 6);
  if (version < 2 || version > 4) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_PARSE,
        "ID3v2.%u at byte 0 is not a version this reader knows", version);
    return NULL;
  }
  if (tag_size > size - 10) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_PARSE,
        "ID3v2 tag claims %" G_GSIZE_FORMAT " bytes but the file ends at "
        "byte %" G_GSIZE_FORMAT, tag_size + 10, size);
    return NULL;
  }
  /* ID3v2.2 has no chapter frames */
  if (version == 2)
    return chapter_list_new ();

  body = data + offset;
  body_size = tag_size;
  if (version == 3 && (flags & 0x80)) {
    undone = unsync (body, body_size);
    body = g_bytes_get_data (undone, &body_size);
  }
  if (flags & 0x40) {
    /* the size is read only when the tag holds its four bytes */
    gsize ext = body_size < 4 ? G_MAXSIZE : version == 4 ? chapter_read_synchsafe (body) :
        chapter_read_u32_be (body) + (gsize) 4;

    if (ext > body_size) {
      g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_PARSE,
          "ID3v2 extended header at byte 10 is larger than the tag");
      if (undone)
        g_bytes_unref (undone);
      return NULL;
    }
    body += ext;
    body_size -= ext;
  }
  list = read_frames (version, body, body_size);
  if (undone)
    g_bytes_unref (undone);
  return list;
}

/* id3demux hands over CHAP/CTOC frames it does not parse as raw frames
 * (header included) without the tag's version: try v2.4, then v2.3, and
 * keep the reading whose sub-frames fill the frames exactly. */
static gboolean
frames_consistent (guint version, const guint8 * data, gsize size)
{
  gsize pos = 0;

  while (pos + 10 <= size && valid_frame_id (data + pos, size - pos)) {
    guint32 n = version == 4 ? chapter_read_synchsafe (data + pos + 4) :
        chapter_read_u32_be (data + pos + 4);

    if (n > size - pos - 10)
      return FALSE;
    pos += 10 + n;
  }
  return pos == size;
}

ChapterList *
chapter_id3_frames_read (GPtrArray * frames)
{
  GByteArray *all = g_byte_array_new ();
  guint i, version = 4;
  ChapterList *list;

  for (i = 0; i < frames->len; i++) {
    GBytes *frame = g_ptr_array_index (frames, i);
    gsize n;
    const guint8 *p = g_bytes_get_data (frame, &n);

    g_byte_array_append (all, p, n);
  }
  if (!frames_consistent (4, all->data, all->len)
      && frames_consistent (3, all->data, all->len))
    version = 3;
  else if (frames_consistent (4, all->data, all->len)) {
    /* both top levels parse: decide on the CHAP sub-frames */
    for (i = 0; i < frames->len; i++) {
      gsize n, pos = 4 + 4 + 2;
      const guint8 *p = g_bytes_get_data (g_ptr_array_index (frames, i), &n);

      if (n < 10 || memcmp (p, "CHAP", 4))
        continue;
      while (pos < n && p[pos])
        pos++;
      pos += 1 + 16;
      if (pos <= n && !frames_consistent (4, p + pos, n - pos)
          && frames_consistent (3, p + pos, n - pos))
        version = 3;
      break;
    }
  }
  list = read_frames (version, all->data, all->len);
  g_byte_array_unref (all);
  return list;
}
