/* gst-chapters: loading chapters from a path or URL with libsoup. */
#include "chapter-source.h"
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

static void
cancel_other (GCancellable * cancelled, GCancellable * other)
{
  g_cancellable_cancel (other);
}

static GBytes *
fetch_http (const gchar * uri, const ChapterFetchLimits * limits,
    GCancellable * cancellable, GError ** error)
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
      goffset length =
          soup_message_headers_get_content_length
          (soup_message_get_response_headers (msg));

      if (length > 0 && (guint64) length > limits->max_size) {
        g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_LIMIT,
            "%s: Content-Length %" G_GOFFSET_FORMAT " is over the %"
            G_GSIZE_FORMAT " byte limit", current, length, limits->max_size);
        break;
      }
    }
    body = read_stream (stream, current, limits, deadline, deadline_cancel,
        &local);
    if (body == NULL) {
      if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          && !g_cancellable_is_cancelled (cancellable))
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
            "%s: timed out", current);
      else if (local && g_str_has_prefix (local->message, current))
        g_propagate_error (error, g_steal_pointer (&local));
      else if (local)
        g_set_error (error, local->domain, local->code, "%s: %s", current,
            local->message);
      g_clear_error (&local);
    }
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
    return fetch_http (location, limits, cancellable, error);
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
  bytes = chapter_fetch (location, limits, cancellable, error);
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
  ChapterList *list = load_one (location, ctx, limits, cancellable, error);
  g_autofree gchar *link = NULL;
  ChapterList *linked;
  guint i;

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
