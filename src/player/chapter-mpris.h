/* gst-chapters: the players on the session bus as MPRIS 2 media players,
 * so that media keys, the desktop's media controls and `playerctl` see
 * them. A track is the episode; its title is the chapter heard now (the
 * album is the episode's title); Next and Previous go to the next and
 * previous chapter. */
#pragma once

#include "chapter-player.h"

G_BEGIN_DECLS

typedef struct _ChapterMpris ChapterMpris;

typedef struct
{
  const gchar *name;            /* bus name after org.mpris.MediaPlayer2. */
  const gchar *identity;        /* for people: "Chapter Player" */
  const gchar *desktop_entry;   /* without .desktop, or NULL */
  /* Raise and Quit, or NULL when the player cannot */
  void (*raise) (gpointer data);
  void (*quit) (gpointer data);
  /* OpenUri, or NULL */
  void (*open_uri) (const gchar * uri, gpointer data);
  gpointer data;
} ChapterMprisOptions;

/* Owns org.mpris.MediaPlayer2.NAME.instancePID on the session bus (none:
 * nothing happens) and answers for the player set with
 * chapter_mpris_set_player(). */
ChapterMpris *chapter_mpris_new (const ChapterMprisOptions * options);
/* The player to control and describe (NULL: none; a new episode). */
void chapter_mpris_set_player (ChapterMpris * mpris, ChapterPlayer * player);
void chapter_mpris_free (ChapterMpris * mpris);

G_END_DECLS
