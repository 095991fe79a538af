/* A loopback HTTP media server for tests and benchmarks. */
#include "media-server.h"

#include <libsoup/soup.h>
#include <string.h>

static gchar *media_dir;
static gchar *base_url;
static GMainContext *context;
static GMainLoop *loop;
static GThread *thread;
static gint requests;
static gint bytes_sent;
static guint64 rate_limit;
static gint range_skew;
static gint skew_growth = 1;
static gint ignore_range;

typedef struct
{
  SoupServerMessage *msg;
  GMappedFile *file;
  gsize pos, end;
} Drip;

static gboolean
drip_more (gpointer data)
{
  Drip *d = data;
  /* every 10 ms, a hundredth of a second's worth */
  gsize n = MIN (d->end - d->pos, MAX (rate_limit / 100, 1));

  soup_message_body_append (soup_server_message_get_response_body (d->msg),
      SOUP_MEMORY_COPY, g_mapped_file_get_contents (d->file) + d->pos, n);
  d->pos += n;
  g_atomic_int_add (&bytes_sent, (gint) n);
  if (d->pos >= d->end)
    soup_message_body_complete (soup_server_message_get_response_body
        (d->msg));
  soup_server_message_unpause (d->msg);
  return d->pos < d->end ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
drip_free (gpointer data)
{
  Drip *d = data;

  g_mapped_file_unref (d->file);
  g_object_unref (d->msg);
  g_free (d);
}

static void
stop_feeding (SoupServerMessage * msg, GSource * source)
{
  g_source_destroy (source);
}

static void
unref_source (gpointer source, GClosure * closure)
{
  g_source_unref (source);
}

void
media_server_feed (SoupServerMessage * msg, guint interval_ms,
    GSourceFunc feed, gpointer data, GDestroyNotify destroy)
{
  GSource *source = g_timeout_source_new (interval_ms);

  g_source_set_callback (source, feed, data, destroy);
  g_source_attach (source, g_main_context_get_thread_default ());
  g_signal_connect_data (msg, "finished", G_CALLBACK (stop_feeding),
      source, unref_source, 0);
  soup_server_message_pause (msg);
}

static void
handler (SoupServer * server, SoupServerMessage * msg, const char *path,
    GHashTable * query, gpointer user_data)
{
  g_autofree gchar *file_path = NULL;
  GMappedFile *file;
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  SoupRange *ranges = NULL;
  gint n_ranges = 0;
  gsize size, start = 0, length;

  if (!g_str_has_prefix (path, "/media/") || strstr (path, "..")) {
    soup_server_message_set_status (msg, 404, NULL);
    return;
  }
  file_path = g_build_filename (media_dir, path + 7, NULL);
  file = g_mapped_file_new (file_path, FALSE, NULL);
  if (file == NULL) {
    soup_server_message_set_status (msg, 404, NULL);
    return;
  }
  size = g_mapped_file_get_length (file);
  length = size;
  g_atomic_int_inc (&requests);
  if (!g_atomic_int_get (&ignore_range))
    soup_message_headers_replace (resp, "Accept-Ranges", "bytes");
  else                          /* (else libsoup would serve it itself) */
    soup_message_headers_remove (req, "Range");
  soup_message_headers_replace (resp, "ETag", "\"episode-1\"");
  if (!g_atomic_int_get (&ignore_range)
      && soup_message_headers_get_ranges (req, size, &ranges, &n_ranges)
      && n_ranges == 1) {
    gint64 skew = ranges[0].start > 0 ? g_atomic_int_get (&range_skew) : 0;

    if (skew != 0 && g_atomic_int_get (&skew_growth) > 1)
      g_atomic_int_set (&range_skew, (gint) CLAMP (skew *
              g_atomic_int_get (&skew_growth), G_MININT, G_MAXINT));

    /* a misbehaving server may answer from another byte than asked, and
     * say so truthfully in Content-Range */
    start = (gsize) CLAMP ((gint64) ranges[0].start + skew, 0,
        (gint64) size - 1);
    length = MAX ((gsize) ranges[0].end, start) - start + 1;
    soup_server_message_set_status (msg, 206, NULL);
    soup_message_headers_set_content_range (resp, start, start + length - 1,
        size);
    soup_message_headers_free_ranges (req, ranges);
  } else {
    soup_server_message_set_status (msg, 200, NULL);
  }
  soup_message_headers_set_content_type (resp, "application/octet-stream",
      NULL);
  if (rate_limit == 0) {
    soup_message_body_append (soup_server_message_get_response_body (msg),
        SOUP_MEMORY_COPY, g_mapped_file_get_contents (file) + start, length);
    g_atomic_int_add (&bytes_sent, (gint) MIN (length, G_MAXINT / 2));
    g_mapped_file_unref (file);
  } else {
    Drip *d = g_new0 (Drip, 1);

    d->msg = g_object_ref (msg);
    d->file = file;
    d->pos = start;
    d->end = start + length;
    soup_message_headers_set_content_length (resp, length);
    media_server_feed (msg, 10, drip_more, d, drip_free);
  }
}

static gpointer
server_thread (gpointer data)
{
  SoupServer *server;
  GSList *uris;
  GError *error = NULL;
  gchar *url;

  g_main_context_push_thread_default (context);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, handler, NULL, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY,
          &error))
    g_error ("cannot listen on loopback: %s", error->message);
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  if (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  loop = g_main_loop_new (context, FALSE);
  g_atomic_pointer_set (&base_url, url);
  g_main_loop_run (loop);
  g_main_loop_unref (loop);
  g_object_unref (server);
  g_main_context_pop_thread_default (context);
  return NULL;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

void
media_server_stop (void)
{
  if (thread == NULL)
    return;
  g_main_context_invoke (context, quit_loop, NULL);
  g_thread_join (thread);
  thread = NULL;
  g_clear_pointer (&context, g_main_context_unref);
  g_clear_pointer (&base_url, g_free);
  g_clear_pointer (&media_dir, g_free);
}

const gchar *
media_server_start (const gchar * dir)
{
  media_dir = g_strdup (dir);
  context = g_main_context_new ();
  thread = g_thread_new ("media-server", server_thread, NULL);
  while (g_atomic_pointer_get (&base_url) == NULL)
    g_usleep (1000);
  return base_url;
}

void
media_server_reset_counts (void)
{
  g_atomic_int_set (&requests, 0);
  g_atomic_int_set (&bytes_sent, 0);
}

guint
media_server_requests (void)
{
  return g_atomic_int_get (&requests);
}

guint64
media_server_bytes (void)
{
  return g_atomic_int_get (&bytes_sent);
}

void
media_server_set_ignore_range (gboolean ignore)
{
  g_atomic_int_set (&ignore_range, ignore);
}

void
media_server_set_range_skew (gint bytes)
{
  g_atomic_int_set (&range_skew, (gint) bytes);
  g_atomic_int_set (&skew_growth, 1);
}

void
media_server_set_growing_range_skew (gint bytes, guint factor)
{
  g_atomic_int_set (&range_skew, (gint) bytes);
  g_atomic_int_set (&skew_growth, (gint) factor);
}

void
media_server_set_rate (guint64 bytes_per_second)
{
  rate_limit = bytes_per_second;
}
