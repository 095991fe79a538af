/* gst-chapters: the playback core shared by the terminal and GTK players.
 *
 * Plays a file or URL through `source ! decodebin ! chapters ! sink`,
 * follows the chapters the element publishes and tells the front-end, in
 * step with what is heard, which chapter is playing. */
#pragma once

#include <gst/gst.h>
#include "chapter-list.h"

G_BEGIN_DECLS

#define CHAPTER_TYPE_PLAYER (chapter_player_get_type ())
G_DECLARE_FINAL_TYPE (ChapterPlayer, chapter_player, CHAPTER, PLAYER, GObject);

typedef struct
{
  const gchar *media;           /* path or URI */
  const gchar *chapters;        /* sidecar location, or NULL */
  const gchar *start_chapter;   /* number or title, or NULL */
  gboolean no_audio;            /* a real-time fake sink */
} ChapterPlayerOptions;

/* Makes sure the `chapters` element can be found, also from the build
 * tree. Returns FALSE with @error when it cannot. */
gboolean chapter_player_init_gst (GError ** error);

ChapterPlayer *chapter_player_new (const ChapterPlayerOptions * options,
    GError ** error);

void chapter_player_play (ChapterPlayer * player);
void chapter_player_pause (ChapterPlayer * player);
void chapter_player_toggle (ChapterPlayer * player);
void chapter_player_stop (ChapterPlayer * player);
gboolean chapter_player_is_playing (ChapterPlayer * player);

gboolean chapter_player_next (ChapterPlayer * player);
gboolean chapter_player_previous (ChapterPlayer * player);
gboolean chapter_player_seek_chapter (ChapterPlayer * player, guint number);
/* Title matching as the element does it; @error names the candidates. */
gboolean chapter_player_seek_title (ChapterPlayer * player,
    const gchar * title, GError ** error);
gboolean chapter_player_seek (ChapterPlayer * player, gint64 position);

/* What is heard now, in ns, or -1. */
gint64 chapter_player_get_position (ChapterPlayer * player);
gint64 chapter_player_get_duration (ChapterPlayer * player);
/* The chapters as the element publishes them (never NULL). */
const ChapterList *chapter_player_get_chapters (ChapterPlayer * player);
/* Index of the chapter heard now, -1 outside chapters. */
gint chapter_player_get_current (ChapterPlayer * player);
GstElement *chapter_player_get_pipeline (ChapterPlayer * player);
/* The episode's title (its title tag), else the file name. */
const gchar *chapter_player_get_title (ChapterPlayer * player);

/* Signals (emitted in the thread-default main context of creation):
 *   "chapters-changed" ()
 *   "chapter-changed" (gint index)      index -1: outside any chapter
 *   "position-changed" (gint64 position)  about 10 times a second
 *   "state-changed" (gboolean playing)
 *   "warning" (const gchar *message)
 *   "error" (const gchar *message)
 *   "eos" ()
 *   "title-changed" ()                  the episode's title
 */

G_END_DECLS
