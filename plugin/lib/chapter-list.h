/* gst-chapters: the pipeline-free chapter model.
 *
 * A ChapterList is an ordered list of chapters with times in nanoseconds.
 * Readers fill one from bytes, writers turn one into text, and the elements
 * convert it to and from a GstToc.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CHAPTER_TIME_NONE ((gint64) -1)

/* Caps that keep any input from making us allocate without bound. */
#define CHAPTER_MAX_COUNT       200000
#define CHAPTER_MAX_TEXT        (64 * 1024)
#define CHAPTER_MAX_DEPTH       8
#define CHAPTER_MAX_INPUT       (64 * 1024 * 1024)

typedef struct _Chapter Chapter;
typedef struct _ChapterList ChapterList;

struct _Chapter
{
  gint64 start;                 /* ns */
  gint64 end;                   /* ns, CHAPTER_TIME_NONE when unknown */
  gchar *uid;                   /* stable id from the source, or NULL */
  gchar *title;                 /* NULL when the source gives none */
  gchar *description;
  gchar *url;
  gchar *image_url;
  GBytes *image;                /* embedded picture */
  gchar *image_mime;
  gchar *performer;
  gboolean hidden;              /* a marker, but not shown in the list */
  gboolean past_end;            /* starts after the known duration */
  const gchar *source;          /* static name of the format it came from */
  GPtrArray *children;          /* of Chapter*, never NULL */
  GPtrArray *titles;            /* of ChapterTitle*: the title in each
                                 * language the source gives, or NULL */
};

typedef struct
{
  gchar *language;              /* ISO 639-1 when it has one ("de"), else
                                 * as the source wrote it; NULL unknown */
  gchar *title;
} ChapterTitle;

struct _ChapterList
{
  GPtrArray *chapters;          /* of Chapter*, top level */
  gint64 duration;              /* ns, CHAPTER_TIME_NONE when unknown */
  gchar *chapters_url;          /* an external chapters link (RSS) */
  GPtrArray *warnings;          /* of gchar*: what was skipped and where */
};

Chapter *chapter_new (gint64 start, const gchar * title);
Chapter *chapter_copy (const Chapter * chapter);
void chapter_free (Chapter * chapter);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Chapter, chapter_free);

/* Adds the title in @language (ISO 639-1 or -2, or a BCP 47 tag); the
 * first one added is the title until a language is chosen. */
void chapter_add_title (Chapter * chapter, const gchar * language,
    const gchar * title);

ChapterList *chapter_list_new (void);
ChapterList *chapter_list_copy (const ChapterList * list);
void chapter_list_free (ChapterList * list);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ChapterList, chapter_list_free);

guint chapter_list_length (const ChapterList * list);
Chapter *chapter_list_get (const ChapterList * list, guint index);
void chapter_list_add (ChapterList * list, Chapter * chapter);
void chapter_list_warn (ChapterList * list, const gchar * format, ...)
    G_GNUC_PRINTF (2, 3);

/* Sorts by start, drops duplicates, fills unknown ends from the next start
 * (the last from the duration) and flags chapters past the duration. */
void chapter_list_finalize (ChapterList * list, gint64 duration);

/* Where chapters have titles in several languages: the title in
 * @language, else in the user's languages (g_get_language_names()) when
 * @language is NULL, else English, else the first one. */
void chapter_list_choose_language (ChapterList * list,
    const gchar * language);

typedef enum
{
  CHAPTER_PREFER_EXTERNAL,
  CHAPTER_PREFER_EMBEDDED,
} ChapterPrefer;

/* Returns a new list: the preferred source when it has chapters, else the
 * other one; finalized. Either may be NULL. */
ChapterList *chapter_list_merge (const ChapterList * external,
    const ChapterList * embedded, ChapterPrefer prefer, gint64 duration);

/* Same chapters (times, titles, links, flags, nesting)? */
gboolean chapter_list_equal (const ChapterList * a, const ChapterList * b);

/* Index of the chapter that contains @position, or -1 before the first. */
gint chapter_list_find (const ChapterList * list, gint64 position);

/* Title matching: exact, then case- and accent-insensitive, then unique
 * prefix, then unique substring. Returns the index, or -1 with @error
 * naming the candidates when the query is ambiguous or matches nothing. */
gint chapter_list_match_title (const ChapterList * list, const gchar * query,
    GError ** error);

/* A chapter spec as used by start-chapter / skip: a bare number is a
 * 1-based chapter number, anything else a title (glob when it has * or ?). */
gint chapter_list_resolve (const ChapterList * list, const gchar * spec,
    GError ** error);
gboolean chapter_matches_spec (const ChapterList * list, guint index,
    const gchar * spec);

/* Time text helpers shared by the readers and writers. */
gboolean chapter_parse_clock (const gchar * text, gint64 * out_ns);
gchar *chapter_format_clock (gint64 ns, gboolean always_hours);

#define CHAPTER_ERROR (chapter_error_quark ())
GQuark chapter_error_quark (void);

typedef enum
{
  CHAPTER_ERROR_FORMAT,         /* not a format we know */
  CHAPTER_ERROR_PARSE,          /* malformed; message names line or offset */
  CHAPTER_ERROR_LIMIT,          /* over a resource cap */
  CHAPTER_ERROR_EMPTY,          /* well formed, no chapters */
  CHAPTER_ERROR_MATCH,          /* title matching */
} ChapterErrorCode;

G_END_DECLS
