/* gst-chapters: loading chapters from a path or URL with libsoup. */
#include "chapter-source.h"
#include "chapter-bytes.h"
#include "chapter-embedded.h"

#include <libsoup/soup.h>
#include <stdio.h>
#include <string.h>

void
chapter_fetch_limits_init (ChapterFetchLimits * limits)
{
  limits->timeout_ms = CHAPTER_FETCH_DEFAULT_TIMEOUT_MS;
  limits->max_size = CHAPTER_FETCH_DEFAULT_MAX_SIZE;
  limits->max_redirects = CHAPTER_FETCH_DEFAULT_REDIRECTS;
}

gboolean
chapter_location_is_http (const gchar * location)
{
  return g_ascii_strncasecmp (location, "http://", 7) == 0
      || g_ascii_strncasecmp (location, "https://", 8) == 0;
}

/* @local (a read of @url that failed) into @error, saying which URL: a
 * cancel that is not the caller's is the deadline's, a time-out. */
static void
propagate_naming (GError ** error, GError ** local, const gchar * url,
    GCancellable * cancellable)
{
  if (*local == NULL)
    return;
  if (g_error_matches (*local, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && !g_cancellable_is_cancelled (cancellable))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "%s: timed out",
        url);
  else if (strstr ((*local)->message, url))
    g_propagate_error (error, g_steal_pointer (local));
  else
    g_set_error (error, (*local)->domain, (*local)->code, "%s: %s", url,
        (*local)->message);
  g_clear_error (local);
}

static GBytes *
read_stream (GInputStream * stream, const gchar * what,
    const ChapterFetchLimits * limits, gint64 deadline,
    GCancellable * cancellable, GError ** error)
{
  GByteArray *body = g_byte_array_new ();
  guint8 chunk[16384];

  for (;;) {
    gssize n = g_input_stream_read (stream, chunk, sizeof chunk, cancellable,
        error);

    if (n < 0) {
      g_byte_array_unref (body);
      return NULL;
    }
    if (n == 0)
      break;
    if (body->len + (gsize) n > limits->max_size) {
      g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_LIMIT,
          "%s: more than %" G_GSIZE_FORMAT " bytes, refused", what,
          limits->max_size);
      g_byte_array_unref (body);
      return NULL;
    }
    g_byte_array_append (body, chunk, n);
    if (deadline && g_get_monotonic_time () > deadline) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
          "%s: not complete after %u ms (%u bytes so far)", what,
          limits->timeout_ms, body->len);
      g_byte_array_unref (body);
      return NULL;
    }
  }
  return g_byte_array_free_to_bytes (body);
}

/* Reads at most limits->max_size bytes and stops there. */
static GBytes *
read_stream_upto (GInputStream * stream, const gchar * what,
    const ChapterFetchLimits * limits, gint64 deadline,
    GCancellable * cancellable, GError ** error)
{
  guint8 *data = g_malloc (limits->max_size ? limits->max_size : 1);
  gsize got = 0;

  while (got < limits->max_size) {
    gssize n = g_input_stream_read (stream, data + got,
        limits->max_size - got, cancellable, error);

    if (n < 0) {
      g_free (data);
      return NULL;
    }
    if (n == 0)
      break;
    got += n;
    if (deadline && g_get_monotonic_time () > deadline) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
          "%s: not complete after %u ms", what, limits->timeout_ms);
      g_free (data);
      return NULL;
    }
  }
  return g_bytes_new_take (data, got);
}

static void
cancel_other (GCancellable * cancelled, GCancellable * other)
{
  g_cancellable_cancel (other);
}

/* GET @uri, or with @range_size > 0 just that byte range of it; the
 * whole size of the resource goes to @total when the server says. */
static GBytes *
fetch_http (const gchar * uri, const ChapterFetchLimits * limits,
    guint64 range_start, gsize range_size, gboolean ask_range,
    guint64 * total, GCancellable * cancellable, GError ** error)
{
  g_autoptr (SoupSession) session = NULL;
  g_autoptr (GCancellable) deadline_cancel = g_cancellable_new ();
  g_autofree gchar *current = g_strdup (uri);
  gint64 deadline = g_get_monotonic_time () +
      (gint64) limits->timeout_ms * 1000;
  gulong chained = 0;
  GBytes *body = NULL;
  guint hops;

  /* one cancellable for the caller's cancel and for the deadline */
  if (cancellable)
    chained = g_cancellable_connect (cancellable,
        G_CALLBACK (cancel_other), g_object_ref (deadline_cancel),
        g_object_unref);

  session = soup_session_new_with_options ("timeout",
      MAX (1u, (limits->timeout_ms + 999) / 1000), "idle-timeout",
      MAX (1u, (limits->timeout_ms + 999) / 1000), "user-agent",
      "gst-chapters/" "0.1", NULL);

  for (hops = 0;; hops++) {
    g_autoptr (SoupMessage) msg = NULL;
    g_autoptr (GInputStream) stream = NULL;
    GError *local = NULL;
    guint status;

    msg = soup_message_new (SOUP_METHOD_GET, current);
    if (msg == NULL) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
          "%s: not a valid URL", current);
      break;
    }
    soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
    if (range_size > 0 && ask_range)
      soup_message_headers_set_range (soup_message_get_request_headers (msg),
          range_start, range_start + range_size - 1);
    stream = soup_session_send (session, msg, deadline_cancel, &local);
    if (stream == NULL) {
      if (g_cancellable_is_cancelled (cancellable))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
            "%s: cancelled", current);
      else
        g_set_error (error, local->domain, local->code, "%s: %s", current,
            local->message);
      g_clear_error (&local);
      break;
    }
    status = soup_message_get_status (msg);
    if (SOUP_STATUS_IS_REDIRECTION (status)) {
      const gchar *location =
          soup_message_headers_get_one (soup_message_get_response_headers
          (msg), "Location");
      g_autoptr (GUri) next = NULL;

      if (location == NULL) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
            "%s: redirect (HTTP %u) without a Location", current, status);
        break;
      }
      if (hops >= limits->max_redirects) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_TOO_MANY_LINKS,
            "%s: more than %u redirects (a redirect loop?)", uri,
            limits->max_redirects);
        break;
      }
      next = g_uri_parse_relative (soup_message_get_uri (msg), location,
          G_URI_FLAGS_NONE, NULL);
      if (next == NULL || (g_strcmp0 (g_uri_get_scheme (next), "http")
              && g_strcmp0 (g_uri_get_scheme (next), "https"))) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
            "%s: redirect to \"%s\" refused: only http and https may follow",
            current, location);
        break;
      }
      g_free (current);
      current = g_uri_to_string (next);
      g_input_stream_close (stream, NULL, NULL);
      continue;
    }
    if (!SOUP_STATUS_IS_SUCCESSFUL (status)) {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: HTTP %u %s",
          current, status, soup_message_get_reason_phrase (msg) ?
          soup_message_get_reason_phrase (msg) : "");
      break;
    }
    {
      SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
      goffset length = soup_message_headers_get_content_length (headers);
      goffset first, last, whole = -1;

      if (total) {
        *total = status == SOUP_STATUS_PARTIAL_CONTENT
            && soup_message_headers_get_content_range (headers, &first, &last,
            &whole) && whole > 0 ? (guint64) whole : (length > 0 ?
            (guint64) length : 0);
      }
      if (range_size > 0 && status != SOUP_STATUS_PARTIAL_CONTENT
          && range_start > 0) {
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
            "%s: the server does not serve byte ranges", current);
        break;
      }
      if (range_size > 0) {
        /* a server that ignores the range sends it all: read the start */
        ChapterFetchLimits capped = *limits;

        capped.max_size = range_size;
        body = read_stream_upto (stream, current, &capped, deadline,
            deadline_cancel, &local);
        if (body == NULL)
          propagate_naming (error, &local, current, cancellable);
        break;
      }
      if (length > 0 && (guint64) length > limits->max_size) {
        g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_LIMIT,
            "%s: Content-Length %" G_GOFFSET_FORMAT " is over the %"
            G_GSIZE_FORMAT " byte limit", current, length, limits->max_size);
        break;
      }
    }
    body = read_stream (stream, current, limits, deadline, deadline_cancel,
        &local);
    if (body == NULL)
      propagate_naming (error, &local, current, cancellable);
    break;
  }
  if (chained)
    g_cancellable_disconnect (cancellable, chained);
  return body;
}

static GBytes *
fetch_file (const gchar * path, const ChapterFetchLimits * limits,
    GCancellable * cancellable, GError ** error)
{
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInputStream) stream = NULL;
  GError *local = NULL;
  GBytes *bytes;

  stream = g_file_read (file, cancellable, &local);
  if (stream == NULL) {
    g_set_error (error, local->domain, local->code, "%s: %s", path,
        local->message);
    g_error_free (local);
    return NULL;
  }
  bytes = read_stream (G_INPUT_STREAM (stream), path, limits, 0, cancellable,
      &local);
  if (bytes == NULL) {
    if (g_str_has_prefix (local->message, path))
      g_propagate_error (error, local);
    else {
      g_set_error (error, local->domain, local->code, "%s: %s", path,
          local->message);
      g_error_free (local);
    }
  }
  return bytes;
}

GBytes *
chapter_fetch (const gchar * location, const ChapterFetchLimits * limits,
    GCancellable * cancellable, GError ** error)
{
  ChapterFetchLimits defaults;

  if (limits == NULL) {
    chapter_fetch_limits_init (&defaults);
    limits = &defaults;
  }
  if (chapter_location_is_http (location))
    return fetch_http (location, limits, 0, 0, FALSE, NULL, cancellable,
        error);
  if (g_ascii_strncasecmp (location, "file:", 5) == 0) {
    g_autofree gchar *path = g_filename_from_uri (location, NULL, error);

    return path ? fetch_file (path, limits, cancellable, error) : NULL;
  }
  if (strstr (location, "://")) {
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
        "%s: only paths, file://, http:// and https:// are supported",
        location);
    return NULL;
  }
  return fetch_file (location, limits, cancellable, error);
}

/* The local path of @location, or NULL when it is not a local file. */
static gchar *
local_path (const gchar * location)
{
  if (g_ascii_strncasecmp (location, "file:", 5) == 0)
    return g_filename_from_uri (location, NULL, NULL);
  if (strstr (location, "://"))
    return NULL;
  return g_strdup (location);
}

/* A local media file: its container's own chapters, read in place. */
static ChapterList *
load_local_media (const gchar * path, gboolean * is_media, GError ** error)
{
  guint8 head[64];
  gssize n = 0;
  FILE *file = fopen (path, "rb");

  *is_media = FALSE;
  if (file == NULL)
    return NULL;
  n = fread (head, 1, sizeof head, file);
  fclose (file);
  if (n <= 0 || chapter_container_sniff (head, n) == NULL)
    return NULL;
  *is_media = TRUE;
  return chapter_embedded_read_uri (path, error);
}

GBytes *
chapter_fetch_range (const gchar * uri, guint64 offset, gsize size,
    const ChapterFetchLimits * limits, guint64 * total,
    GCancellable * cancellable, GError ** error)
{
  ChapterFetchLimits defaults;

  if (limits == NULL) {
    chapter_fetch_limits_init (&defaults);
    limits = &defaults;
  }
  return fetch_http (uri, limits, offset, size, TRUE, total, cancellable,
      error);
}

#define READ_AHEAD (64 * 1024)

typedef struct
{
  const gchar *uri;
  const ChapterFetchLimits *limits;
  GCancellable *cancellable;
  guint requests;
  GBytes *window;               /* the last range read, for neighbours */
  guint64 window_offset;
} RangeReader;

/* Chapter samples sit next to each other: read ahead, and serve the next
 * ones from what was read. */
static GBytes *
fetch_sample (guint64 offset, guint32 size, gpointer data)
{
  RangeReader *r = data;

  if (r->window && offset >= r->window_offset
      && offset + size <= r->window_offset + g_bytes_get_size (r->window))
    return g_bytes_new_from_bytes (r->window, offset - r->window_offset,
        size);
  /* a hostile moov could ask for a request per sample */
  if (r->requests >= 64)
    return NULL;
  r->requests++;
  g_clear_pointer (&r->window, g_bytes_unref);
  r->window = chapter_fetch_range (r->uri, offset, MAX (size, READ_AHEAD),
      r->limits, NULL, r->cancellable, NULL);
  r->window_offset = offset;
  if (r->window == NULL || g_bytes_get_size (r->window) < size)
    return NULL;
  return g_bytes_new_from_bytes (r->window, 0, size);
}

#define HEAD_SIZE (64 * 1024)

/* The chapters of a media file over HTTP, with range requests for just
 * the parts that hold them: the ID3 tag, the MP4 moov box and its chapter
 * samples, the head of an Ogg/FLAC/Matroska file. */
static ChapterList *
load_http_media (const gchar * uri, GBytes * head, guint64 total,
    const ChapterFetchLimits * limits, GCancellable * cancellable,
    GError ** error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (head, &size);
  RangeReader reader = { uri, limits, cancellable, 1, NULL, 0 };
  g_autoptr (GBytes) more = NULL;
  GError *local = NULL;
  ChapterList *list = NULL;
  gsize tag = chapter_id3v2_length (data, size);

  if (tag > 0) {
    if (tag > size) {
      if (tag > limits->max_size) {
        g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_LIMIT,
            "%s: ID3 tag of %" G_GSIZE_FORMAT " bytes is over the limit", uri,
            tag);
        return NULL;
      }
      more = chapter_fetch_range (uri, 0, tag, limits, NULL, cancellable,
          error);
      if (more == NULL)
        return NULL;
      data = g_bytes_get_data (more, &size);
    }
    return chapter_embedded_read (data, size, error);
  }

  if (size >= 12 && chapter_container_sniff (data, size)
      && (!memcmp (data + 4, "ftyp", 4) || !memcmp (data + 4, "moov", 4)
          || !memcmp (data + 4, "free", 4))) {
    /* walk the top-level boxes to the moov, wherever it is */
    guint64 offset = 0;
    g_autoptr (GBytes) here = g_bytes_ref (head);
    guint64 here_offset = 0;

    while (total == 0 || offset + 8 <= total) {
      guint8 header[16];
      guint64 box;
      gsize header_size;
      gsize here_size = g_bytes_get_size (here);

      if (offset < here_offset || offset + 16 > here_offset + here_size) {
        /* the moov is often the last box: read to the end in one go */
        gsize want = total > offset ? MIN (total - offset, 1024 * 1024) : 16;

        g_bytes_unref (here);
        here = chapter_fetch_range (uri, offset, MAX (want, 16), limits, NULL,
            cancellable, error);
        reader.requests++;
        if (here == NULL || g_bytes_get_size (here) < 8)
          return NULL;
        here_offset = offset;
        here_size = g_bytes_get_size (here);
      }
      memset (header, 0, sizeof header);
      memcpy (header, (const guint8 *) g_bytes_get_data (here, NULL) +
          (offset - here_offset), MIN (16, here_offset + here_size - offset));
      if (!chapter_mp4_box_header (header, sizeof header, &box, &header_size)
          || box == 0 || reader.requests > 64) {
        g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_PARSE,
            "%s: MP4 box at byte %" G_GUINT64_FORMAT " is broken", uri,
            offset);
        return NULL;
      }
      if (!memcmp (header + 4, "moov", 4)) {
        g_autoptr (GBytes) moov = NULL;

        if (box > limits->max_size) {
          g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_LIMIT,
              "%s: moov box of %" G_GUINT64_FORMAT " bytes is over the "
              "limit", uri, box);
          return NULL;
        }
        if (offset + box <= here_offset + here_size)
          moov = g_bytes_new_from_bytes (here, offset - here_offset +
              header_size, box - header_size);
        else {
          g_autoptr (GBytes) whole = chapter_fetch_range (uri, offset, box,
              limits, NULL, cancellable, error);

          reader.requests++;
          if (whole == NULL || g_bytes_get_size (whole) < box)
            return NULL;
          moov = g_bytes_new_from_bytes (whole, header_size,
              box - header_size);
        }
        list = chapter_mp4_read_moov (g_bytes_get_data (moov, NULL),
            g_bytes_get_size (moov), fetch_sample, &reader, FALSE);
        g_clear_pointer (&reader.window, g_bytes_unref);
        chapter_list_finalize (list, list->duration);
        return list;
      }
      offset += box;
    }
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_PARSE,
        "%s: MP4 file without a moov box", uri);
    return NULL;
  }

  /* Ogg, FLAC, Matroska: chapters sit in the head; read more of it while
   * it ends too early */
  while (TRUE) {
    list = chapter_embedded_read (data, size, &local);
    if (list || size >= limits->max_size || (total && size >= total))
      break;
    g_clear_error (&local);
    g_clear_pointer (&more, g_bytes_unref);
    more = chapter_fetch_range (uri, 0, MIN (size * 4, limits->max_size),
        limits, NULL, cancellable, error);
    if (more == NULL)
      return NULL;
    if (g_bytes_get_size (more) <= size)
      break;
    data = g_bytes_get_data (more, &size);
  }
  if (list == NULL) {
    if (local)
      g_set_error (error, local->domain, local->code, "%s: %s", uri,
          local->message);
    g_clear_error (&local);
  }
  return list;
}

static ChapterList *
load_one (const gchar * location, const ChapterReadContext * ctx,
    const ChapterFetchLimits * limits, GCancellable * cancellable,
    GError ** error)
{
  g_autofree gchar *path = local_path (location);
  g_autoptr (GBytes) bytes = NULL;
  GError *local = NULL;
  ChapterList *list;
  gboolean is_media = FALSE;
  gsize size;
  const guint8 *data;

  if (path) {
    list = load_local_media (path, &is_media, error);
    if (is_media)
      return list;
  }
  if (chapter_location_is_http (location)) {
    guint64 total = 0;

    /* the head says whether it is media or chapter text */
    bytes = fetch_http (location, limits, 0, HEAD_SIZE, TRUE, &total,
        cancellable, error);
    if (bytes == NULL)
      return NULL;
    data = g_bytes_get_data (bytes, &size);
    if (chapter_container_sniff (data, size))
      return load_http_media (location, bytes, total, limits, cancellable,
          error);
    /* more to come, or a server that ignored the range: fetch it all */
    if (total > size || (total == 0 && size == HEAD_SIZE)) {
      g_clear_pointer (&bytes, g_bytes_unref);
      bytes = chapter_fetch (location, limits, cancellable, error);
    }
  } else {
    bytes = chapter_fetch (location, limits, cancellable, error);
  }
  if (bytes == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &size);
  if (chapter_container_sniff (data, size))
    list = chapter_embedded_read (data, size, &local);
  else
    list = chapter_read (data, size, ctx, NULL, &local);
  if (list == NULL) {
    g_set_error (error, local->domain, local->code, "%s: %s", location,
        local->message);
    g_error_free (local);
  }
  return list;
}

ChapterList *
chapter_source_load (const gchar * location, const ChapterReadContext * ctx,
    const ChapterFetchLimits * limits, GCancellable * cancellable,
    GError ** error)
{
  ChapterFetchLimits defaults;
  ChapterList *list;
  g_autofree gchar *link = NULL;
  ChapterList *linked;
  guint i;

  if (limits == NULL) {
    chapter_fetch_limits_init (&defaults);
    limits = &defaults;
  }
  list = load_one (location, ctx, limits, cancellable, error);
  if (list == NULL)
    return NULL;
  for (i = 0; i < list->warnings->len; i++) {
    gchar *w = g_ptr_array_index (list->warnings, i);

    list->warnings->pdata[i] = g_strdup_printf ("%s: %s", location, w);
    g_free (w);
  }
  if (chapter_list_length (list) > 0 || list->chapters_url == NULL)
    return list;

  /* a feed item that links its chapters: resolve against the feed, and
   * never let a remote feed point at a local file */
  link = g_uri_resolve_relative (chapter_location_is_http (location) ?
      location : NULL, list->chapters_url, G_URI_FLAGS_NONE, NULL);
  if (link == NULL || !chapter_location_is_http (link)) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_EMPTY,
        "%s: the feed's chapters link \"%s\" is refused", location,
        list->chapters_url);
    chapter_list_free (list);
    return NULL;
  }
  linked = load_one (link, ctx, limits, cancellable, error);
  if (linked) {
    if (linked->duration <= 0)
      linked->duration = list->duration;
    chapter_list_finalize (linked, linked->duration);
  }
  chapter_list_free (list);
  return linked;
}
