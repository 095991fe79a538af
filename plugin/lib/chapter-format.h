/* gst-chapters: chapter formats, readers and writers, and the dispatcher
 * that picks a reader by sniffing content. */
#pragma once

#include "chapter-list.h"

G_BEGIN_DECLS

/* What a reader may use to pick the right part of its input, e.g. the RSS
 * item whose enclosure is the media being played. */
typedef struct
{
  const gchar *media_uri;
  const gchar *guid;
  const gchar *title;
} ChapterReadContext;

/* Every reader has this signature: bytes in, a chapter list or an error
 * naming where the input went wrong. The input is not NUL-terminated. */
typedef ChapterList *(*ChapterReadFunc) (const guint8 * data, gsize size,
    const ChapterReadContext * ctx, GError ** error);

/* Returns how sure the sniffer is that @data is this format: 0 not at all,
 * 100 certain. */
typedef guint (*ChapterSniffFunc) (const guint8 * data, gsize size);

typedef gchar *(*ChapterWriteFunc) (const ChapterList * list);

typedef struct
{
  const gchar *name;
  const gchar *description;
  ChapterSniffFunc sniff;
  ChapterReadFunc read;
  ChapterWriteFunc write;       /* NULL for read-only formats */
} ChapterFormat;

/* All formats, NULL-terminated. */
const ChapterFormat *const *chapter_formats (void);
const ChapterFormat *chapter_format_by_name (const gchar * name);
const ChapterFormat *chapter_format_sniff (const guint8 * data, gsize size);

/* Sniffs and reads. The list is finalized (sorted, ends filled). */
ChapterList *chapter_read (const guint8 * data, gsize size,
    const ChapterReadContext * ctx, const ChapterFormat ** format,
    GError ** error);
ChapterList *chapter_read_file (const gchar * path,
    const ChapterReadContext * ctx, const ChapterFormat ** format,
    GError ** error);

gchar *chapter_write (const ChapterList * list, const gchar * format_name,
    GError ** error);

/* Text helpers shared by the readers. */

/* Turns bytes of unknown encoding into UTF-8: BOMs (UTF-8/16/32), valid
 * UTF-8, GBK, then Windows-1252. Never fails for text that fits the caps. */
gchar *chapter_text_to_utf8 (const guint8 * data, gsize size, gsize * out_len,
    GError ** error);

/* Line iteration with CRLF/CR/LF endings over UTF-8 text. */
typedef struct
{
  const gchar *pos;
  const gchar *end;
  guint number;
} ChapterLineReader;

void chapter_line_reader_init (ChapterLineReader * reader, const gchar * text,
    gsize len);
/* Returns a newly allocated line without its ending, or NULL at the end. */
gchar *chapter_line_reader_next (ChapterLineReader * reader);

/* Skips a UTF-8 BOM and leading whitespace; for sniffers. */
const gchar *chapter_text_skip_space (const guint8 * data, gsize size,
    gsize * out_left);

/* Makes @text valid, capped UTF-8 (invalid sequences become U+FFFD). */
gchar *chapter_text_clean (const gchar * text, gssize len);

/* Individual formats, for the table and for tests. */
extern const ChapterFormat chapter_format_json;
extern const ChapterFormat chapter_format_psc;
extern const ChapterFormat chapter_format_rss;
extern const ChapterFormat chapter_format_vtt;
extern const ChapterFormat chapter_format_cue;
extern const ChapterFormat chapter_format_ffmetadata;
extern const ChapterFormat chapter_format_ogm;
extern const ChapterFormat chapter_format_mp4chaps;
extern const ChapterFormat chapter_format_audacity;
extern const ChapterFormat chapter_format_mkvxml;
extern const ChapterFormat chapter_format_shownotes;

G_END_DECLS

G_BEGIN_DECLS
/* JSON output: a quoted, escaped string; a time in ms without float noise. */
void chapter_json_append_string (GString * out, const gchar * s);
void chapter_json_append_ms (GString * out, gint64 ns);
/* @ns / 10^@digits, with as many decimals as it needs. */
void chapter_json_append_decimal (GString * out, gint64 ns, guint digits);

/* One line of a timestamp list, as people write them: bullets and
 * numbering, Markdown emphasis and links, the time bare or in [ ] or ( ),
 * [H:]M:SS[.fff] (seconds always two digits), a separator (- – — | : · >
 * or a space), then the title; or the title first and the time last
 * ("Intro - 0:00", "Intro (0:00)"); or a range ("0:00-4:20 Intro").
 * A time of day ("10:30 am", "14:00 Uhr", "9:00 UTC") is not a stamp. */
typedef enum
{
  CHAPTER_STAMP_NONE,
  CHAPTER_STAMP_LEADING,
  CHAPTER_STAMP_RANGE,
  CHAPTER_STAMP_TRAILING,
} ChapterStampForm;

typedef struct
{
  ChapterStampForm form;
  gint64 start;
  gint64 end;                   /* a range's end, else CHAPTER_TIME_NONE */
  gchar *title;                 /* emphasis and link markup removed */
  gchar *url;                   /* the target of a Markdown link title */
} ChapterStampLine;

/* Returns FALSE, with @out cleared, when @line is no such line; a line
 * with a leading time and nothing after it has no title. */
gboolean chapter_stamp_line_parse (const gchar * line, ChapterStampLine * out);
void chapter_stamp_line_clear (ChapterStampLine * line);

/* "Early Use Cases: Exploring how developers ... gaming." is a title and a
 * description (a sentence of four words or more, or any eight words,
 * after ": ");
 * "Part 2: The Return" is a title. */
void chapter_split_description (Chapter * chapter);

/* The chapter list in show notes or a description (Markdown, HTML or
 * text, UTF-8), as the shownotes format reads it; for the feed reader. */
ChapterList *chapter_shownotes_read_text (const gchar * notes, gsize len,
    GError ** error);
G_END_DECLS
