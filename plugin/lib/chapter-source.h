/* gst-chapters: loading chapters from a location (path, file:// or
 * http(s)://), with limits. Blocking: call it from a worker thread. */
#pragma once

#include <gio/gio.h>
#include "chapter-format.h"

G_BEGIN_DECLS

typedef struct
{
  guint timeout_ms;             /* whole fetch, and each wait for data */
  gsize max_size;               /* bytes of (decoded) body */
  guint max_redirects;
} ChapterFetchLimits;

#define CHAPTER_FETCH_DEFAULT_TIMEOUT_MS 10000
#define CHAPTER_FETCH_DEFAULT_MAX_SIZE   (16 * 1024 * 1024)
#define CHAPTER_FETCH_DEFAULT_REDIRECTS  5

void chapter_fetch_limits_init (ChapterFetchLimits * limits);

gboolean chapter_location_is_http (const gchar * location);

/* The bytes at @location. Errors name the location and the reason. */
GBytes *chapter_fetch (const gchar * location, const ChapterFetchLimits * limits,
    GCancellable * cancellable, GError ** error);

/* @size bytes of @uri (http/https) from @offset, with one range request;
 * @total gets the whole size when the server says. */
GBytes *chapter_fetch_range (const gchar * uri, guint64 offset, gsize size,
    const ChapterFetchLimits * limits, guint64 * total,
    GCancellable * cancellable, GError ** error);

/* Fetches and reads @location, following a feed's <podcast:chapters> link
 * once. The list is finalized; its warnings name the location. */
ChapterList *chapter_source_load (const gchar * location,
    const ChapterReadContext * ctx, const ChapterFetchLimits * limits,
    GCancellable * cancellable, GError ** error);

G_END_DECLS
