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
  gboolean no_resume;           /* neither resume nor keep the position */
} ChapterPlayerOptions;

/* The speeds a listener can choose (the pitch is kept). */
#define CHAPTER_PLAYER_MIN_RATE 0.5
#define CHAPTER_PLAYER_MAX_RATE 3.0

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
/* Back (negative) or forward by @delta ns, within the episode. */
gboolean chapter_player_skip (ChapterPlayer * player, gint64 delta);
/* Playback speed, clamped to [MIN_RATE, MAX_RATE]; jumps keep it. */
gboolean chapter_player_set_rate (ChapterPlayer * player, gdouble rate);
gdouble chapter_player_get_rate (ChapterPlayer * player);
/* To the next speed up (@direction > 0) or down among 0.5, 0.75, 1, 1.25,
 * 1.5, 1.75, 2, 2.5 and 3. */
gboolean chapter_player_step_rate (ChapterPlayer * player, gint direction);
/* Those speeds, slowest first (@n of them). */
const gdouble *chapter_player_rate_steps (guint * n);
/* The episode's cover image (encoded, as tagged), or NULL. */
GBytes *chapter_player_get_cover (ChapterPlayer * player);

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
 *   "rate-changed" (gdouble rate)
 *   "cover-changed" ()
 *
 * Unless no_resume is set, the position is kept per media URI under the
 * XDG state directory (gst-chapters/positions.ini) and an episode opened
 * again without a start chapter goes on from there; one heard to its end
 * (or left in its first or last 10 s) starts from the beginning.
 */

G_END_DECLS
