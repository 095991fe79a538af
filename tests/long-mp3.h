/* Test and benchmark helper: a very long MP3, made of one MP3's frames
 * over and over (its head, tags and Xing/LAME frame once, at the start). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Writes @out from the frames of @src repeated until they last at least
 * @hours, unless @out exists already (made the same way). Returns the
 * hours it lasts. */
gdouble long_mp3_make (const gchar * src, const gchar * out, gdouble hours);

/* A copy of the MP3 @data with damage in it, as bad downloads and ad
 * stitching leave: @noise_len bytes of @fill (-1: random noise, the same
 * every time) put in at file offset @noise_at, and a whole 2 KiB ID3v2.4
 * tag at @tag_at (offsets in @data, at frame boundaries; @tag_at 0: no
 * tag). */
GByteArray *mp3_damage (const guint8 * data, gsize size, gsize noise_at,
    gsize noise_len, gint fill, gsize tag_at);

/* A copy of the MPEG-1 Layer III @data of the same size with one more
 * frame for each of the @n frames from file offset @at (a frame boundary)
 * that it replaces with two silent ones of half the bitrate: what a
 * re-encoded file of the same size can hold. */
GByteArray *mp3_split_frames (const guint8 * data, gsize size, gsize at,
    guint n);

/* @a up to byte @at, then @b from byte @from on, as long as @a: another
 * recording after the same first bytes (offsets at frame boundaries). */
GByteArray *mp3_splice (const guint8 * a, gsize a_size, gsize at,
    const guint8 * b, gsize b_size, gsize from);

/* The length of the tag mp3_damage() puts in. */
#define MP3_DAMAGE_TAG_BYTES 2048

G_END_DECLS
