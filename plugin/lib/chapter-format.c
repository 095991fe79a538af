/* gst-chapters: the format table, the content sniffer and text helpers. */
#include "chapter-format.h"

#include <string.h>

static const ChapterFormat *const formats[] = {
  &chapter_format_json,
  &chapter_format_ffmetadata,
  &chapter_format_vtt,
  &chapter_format_rss,
  &chapter_format_psc,
  &chapter_format_mkvxml,
  &chapter_format_cue,
  &chapter_format_ogm,
  &chapter_format_audacity,
  &chapter_format_mp4chaps,
  &chapter_format_shownotes,
  NULL,
};

const ChapterFormat *const *
chapter_formats (void)
{
  return formats;
}

const ChapterFormat *
chapter_format_by_name (const gchar * name)
{
  guint i;

  for (i = 0; formats[i]; i++)
    if (g_ascii_strcasecmp (formats[i]->name, name) == 0)
      return formats[i];
  return NULL;
}

const ChapterFormat *
chapter_format_sniff (const guint8 * data, gsize size)
{
  const ChapterFormat *best = NULL;
  guint best_score = 0, i;

  for (i = 0; formats[i]; i++) {
    guint score = formats[i]->sniff (data, size);

    if (score > best_score) {
      best_score = score;
      best = formats[i];
    }
  }
  return best;
}

ChapterList *
chapter_read (const guint8 * data, gsize size, const ChapterReadContext * ctx,
    const ChapterFormat ** out_format, GError ** error)
{
  static const ChapterReadContext no_context = { NULL, };
  const ChapterFormat *format;
  ChapterList *list;

  if (size > CHAPTER_MAX_INPUT) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_LIMIT,
        "input is %" G_GSIZE_FORMAT " bytes, more than the %d byte limit",
        size, CHAPTER_MAX_INPUT);
    return NULL;
  }
  if (size == 0 || data == NULL) {
    /* a failed download or an empty sidecar: nothing to sniff */
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_FORMAT,
        "input is empty (0 bytes)");
    return NULL;
  }
  format = chapter_format_sniff (data, size);
  if (format == NULL) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_FORMAT,
        "not a chapter format this reader knows (checked from byte 0)");
    return NULL;
  }
  if (out_format)
    *out_format = format;
  list = format->read (data, size, ctx ? ctx : &no_context, error);
  if (list)
    chapter_list_finalize (list, list->duration);
  return list;
}

ChapterList *
chapter_read_file (const gchar * path, const ChapterReadContext * ctx,
    const ChapterFormat ** format, GError ** error)
{
  g_autoptr (GMappedFile) file = NULL;
  GError *local = NULL;
  ChapterList *list;

  file = g_mapped_file_new (path, FALSE, error);
  if (file == NULL)
    return NULL;
  list = chapter_read ((const guint8 *) g_mapped_file_get_contents (file),
      g_mapped_file_get_length (file), ctx, format, &local);
  if (list == NULL) {
    g_set_error (error, local->domain, local->code, "%s: %s", path,
        local->message);
    g_error_free (local);
  }
  return list;
}

gchar *
chapter_write (const ChapterList * list, const gchar * format_name,
    GError ** error)
{
  const ChapterFormat *format = chapter_format_by_name (format_name);

  if (format == NULL || format->write == NULL) {
    GString *names = g_string_new (NULL);
    guint i;

    for (i = 0; formats[i]; i++)
      if (formats[i]->write)
        g_string_append_printf (names, "%s%s", names->len ? ", " : "",
            formats[i]->name);
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_FORMAT,
        "cannot write \"%s\"; writable formats: %s", format_name, names->str);
    g_string_free (names, TRUE);
    return NULL;
  }
  return format->write (list);
}

/* GBK text comes in lead/trail byte pairs and CJK words run several
 * characters long; Latin-1 text has its high bytes alone between ASCII
 * letters. */
static gboolean
looks_like_gbk (const guint8 * data, gsize size)
{
  gsize i = 0, high = 0, clustered = 0;

  while (i < size) {
    if (data[i] < 0x80) {
      i++;
      continue;
    }
    if (i + 1 >= size || data[i] < 0x81 || data[i] == 0xff
        || data[i + 1] < 0x40 || data[i + 1] == 0x7f || data[i + 1] == 0xff)
      return FALSE;
    i += 2;
  }
  for (i = 0; i < size; i++) {
    if (data[i] < 0x80)
      continue;
    high++;
    if ((i > 0 && data[i - 1] >= 0x80) || (i + 1 < size && data[i + 1] >= 0x80))
      clustered++;
  }
  return high > 0 && clustered * 2 >= high;
}

static gchar *
convert_or_null (const guint8 * data, gsize size, const gchar * charset,
    gsize * out_len)
{
  return g_convert ((const gchar *) data, size, "UTF-8", charset, NULL,
      out_len, NULL);
}

gchar *
chapter_text_to_utf8 (const guint8 * data, gsize size, gsize * out_len,
    GError ** error)
{
  gchar *text = NULL;
  gsize len = 0;

  if (size == 0) {
    /* an empty mapped file has no data pointer at all */
    if (out_len)
      *out_len = 0;
    return g_strdup ("");
  }
  if (size >= 4 && !memcmp (data, "\xff\xfe\0\0", 4))
    text = convert_or_null (data + 4, size - 4, "UTF-32LE", &len);
  else if (size >= 4 && !memcmp (data, "\0\0\xfe\xff", 4))
    text = convert_or_null (data + 4, size - 4, "UTF-32BE", &len);
  else if (size >= 2 && !memcmp (data, "\xff\xfe", 2))
    text = convert_or_null (data + 2, (size - 2) & ~1, "UTF-16LE", &len);
  else if (size >= 2 && !memcmp (data, "\xfe\xff", 2))
    text = convert_or_null (data + 2, (size - 2) & ~1, "UTF-16BE", &len);
  else if (size >= 4 && data[0] && !data[1] && data[2] && !data[3])
    text = convert_or_null (data, size & ~1, "UTF-16LE", &len);
  else if (size >= 4 && !data[0] && data[1] && !data[2] && data[3])
    text = convert_or_null (data, size & ~1, "UTF-16BE", &len);
  else {
    const gchar *end;

    if (size >= 3 && !memcmp (data, "\xef\xbb\xbf", 3)) {
      data += 3;
      size -= 3;
    }
    if (memchr (data, 0, size)) {
      g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_FORMAT,
          "binary data (a NUL byte at offset %" G_GSIZE_FORMAT ") in text",
          (gsize) ((const guint8 *) memchr (data, 0, size) - data));
      return NULL;
    }
    if (g_utf8_validate ((const gchar *) data, size, &end))
      text = g_strndup ((const gchar *) data, size), len = size;
    else if (looks_like_gbk (data, size))
      text = convert_or_null (data, size, "GB18030", &len);
    if (text == NULL)
      text = convert_or_null (data, size, "WINDOWS-1252", &len);
    if (text == NULL)
      text = convert_or_null (data, size, "ISO-8859-1", &len);
  }
  if (text == NULL) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_PARSE,
        "text with a byte order mark does not decode in that encoding");
    return NULL;
  }
  if (memchr (text, 0, len)) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_FORMAT,
        "binary data (a NUL character) in text");
    g_free (text);
    return NULL;
  }
  if (out_len)
    *out_len = len;
  return text;
}

void
chapter_line_reader_init (ChapterLineReader * reader, const gchar * text,
    gsize len)
{
  reader->pos = text;
  reader->end = text + len;
  reader->number = 0;
}

gchar *
chapter_line_reader_next (ChapterLineReader * reader)
{
  const gchar *start = reader->pos, *p;
  gchar *line;

  if (start >= reader->end)
    return NULL;
  for (p = start; p < reader->end && *p != '\n' && *p != '\r'; p++);
  line = g_strndup (start, p - start);
  if (p < reader->end && *p == '\r')
    p++;
  if (p < reader->end && *p == '\n' && (p == start || p[-1] != '\n'))
    p++;
  reader->pos = p;
  reader->number++;
  return line;
}

const gchar *
chapter_text_skip_space (const guint8 * data, gsize size, gsize * out_left)
{
  const gchar *p = (const gchar *) data, *end = p + size;

  if (data == NULL) {
    /* an empty mapped file: a sniffer still gets a string to look at */
    *out_left = 0;
    return "";
  }
  if (size >= 3 && !memcmp (data, "\xef\xbb\xbf", 3))
    p += 3;
  while (p < end && g_ascii_isspace (*p))
    p++;
  *out_left = end - p;
  return p;
}

gchar *
chapter_text_clean (const gchar * text, gssize len)
{
  gchar *valid;

  if (text == NULL)
    return NULL;
  if (len < 0)
    len = strlen (text);
  if (len > CHAPTER_MAX_TEXT)
    len = CHAPTER_MAX_TEXT;
  valid = g_utf8_make_valid (text, len);
  /* the cap may have cut a character in half: make_valid marks it, drop it */
  if (len == CHAPTER_MAX_TEXT && g_str_has_suffix (valid, "\xef\xbf\xbd"))
    valid[strlen (valid) - 3] = '\0';
  return valid;
}

void
chapter_json_append_string (GString * out, const gchar * s)
{
  g_string_append_c (out, '"');
  for (; *s; s++) {
    guchar c = *s;

    if (c == '"' || c == '\\')
      g_string_append_printf (out, "\\%c", c);
    else if (c == '\n')
      g_string_append (out, "\\n");
    else if (c == '\t')
      g_string_append (out, "\\t");
    else if (c < 0x20)
      g_string_append_printf (out, "\\u%04x", c);
    else
      g_string_append_c (out, c);
  }
  g_string_append_c (out, '"');
}

void
chapter_json_append_decimal (GString * out, gint64 ns, guint digits)
{
  gint64 unit = 1, whole, frac;
  guint i;

  for (i = 0; i < digits; i++)
    unit *= 10;
  whole = ns / unit;
  frac = ns % unit;
  g_string_append_printf (out, "%" G_GINT64_FORMAT, whole);
  if (frac == 0)
    return;
  while (frac % 10 == 0) {
    frac /= 10;
    digits--;
  }
  g_string_append_printf (out, ".%0*" G_GINT64_FORMAT, (gint) digits, frac);
}

void
chapter_json_append_ms (GString * out, gint64 ns)
{
  chapter_json_append_decimal (out, ns, 6);
}
