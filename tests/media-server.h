/* Test and benchmark helper: a loopback HTTP server for media files with
 * byte ranges, request and byte counters, and an optional rate limit. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Serves the files of @dir under /media/. Returns the base URL
 * ("http://127.0.0.1:PORT"). Runs in a thread of its own. */
const gchar *media_server_start (const gchar * dir);

/* Stops the server and joins its thread. */
void media_server_stop (void);

void media_server_reset_counts (void);
guint media_server_requests (void);
guint64 media_server_bytes (void);

/* Bytes per second per response, 0 for no limit. */
void media_server_set_rate (guint64 bytes_per_second);

G_END_DECLS
