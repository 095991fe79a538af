/* Test and benchmark helper: a loopback HTTP server for media files with
 * byte ranges, request and byte counters, and an optional rate limit. */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Serves the files of @dir under /media/. Returns the base URL
 * ("http://127.0.0.1:PORT"). Runs in a thread of its own. */
const gchar *media_server_start (const gchar * dir);

/* Stops the server and joins its thread. */
void media_server_stop (void);

void media_server_reset_counts (void);
guint media_server_requests (void);
guint64 media_server_bytes (void);

/* Calls @feed (with @data) every @interval_ms on the calling thread's
 * context while @msg is being answered, to append to its body and unpause
 * it; stops when the message is finished. Pauses @msg. */
void media_server_feed (SoupServerMessage * msg, guint interval_ms,
    GSourceFunc feed, gpointer data, GDestroyNotify destroy);

/* Answers every range request that does not start at byte 0 from @bytes
 * further on (before, when negative; a truthful Content-Range), as a
 * broken server or cache may; 0 to behave. */
void media_server_set_range_skew (gint bytes);
/* The same, the skew growing @factor times with every such answer. */
void media_server_set_growing_range_skew (gint bytes, guint factor);

/* Answers every request with the whole file (200), saying nothing of
 * ranges, as simple servers do; FALSE to behave. */
void media_server_set_ignore_range (gboolean ignore);

/* Bytes per second per response, 0 for no limit. */
void media_server_set_rate (guint64 bytes_per_second);

G_END_DECLS
