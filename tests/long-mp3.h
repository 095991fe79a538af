/* Test and benchmark helper: a very long MP3, made of one MP3's frames
 * over and over (its head, tags and Xing/LAME frame once, at the start). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Writes @out from the frames of @src repeated until they last at least
 * @hours, unless @out exists already (made the same way). Returns the
 * hours it lasts. */
gdouble long_mp3_make (const gchar * src, const gchar * out, gdouble hours);

G_END_DECLS
