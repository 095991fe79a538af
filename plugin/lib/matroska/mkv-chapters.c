/* Matroska / WebM chapters (EBML): the default edition, nested atoms,
 * hidden and disabled flags. ChapterTimeStart is always in ns. */
#include "chapter-embedded.h"
#include "chapter-format.h"
#include "ebml-read.h"

#include <string.h>

#define ID_EBML          EBML_ID_HEADER
#define ID_SEGMENT       EBML_ID_SEGMENT
#define ID_CHAPTERS      0x1043A770
#define ID_EDITION       0x45B9
#define ID_EDITION_DEFAULT 0x45DB
#define ID_ATOM          0xB6
#define ID_UID           0x73C4
#define ID_TIME_START    0x91
#define ID_TIME_END      0x92
#define ID_FLAG_HIDDEN   0x98
#define ID_FLAG_ENABLED  0x4598
#define ID_DISPLAY       0x80
#define ID_STRING        0x85
#define ID_LANGUAGE      0x437C
#define ID_LANGUAGE_BCP47 0x437D
#define ID_CLUSTER       EBML_ID_CLUSTER

typedef struct
{
  guint32 id;
  const guint8 *data;
  guint64 size;
  gsize header;
} Element;

/* Reads one element at *pos of @data and moves past it. An element of
 * unknown size runs to the end of what there is; one cut short is read
 * as far as it goes only for a Segment or Cluster (the rest is not). */
static gboolean
read_element (const guint8 * data, gsize size, gsize * pos, Element * e)
{
  EbmlElement h;
  gsize p;

  if (*pos >= size || ebml_read_header (data + *pos, size - *pos, &h) != 1)
    return FALSE;
  p = *pos + h.header;
  e->id = h.id;
  e->header = h.header;
  e->data = data + p;
  e->size = h.size == EBML_SIZE_UNKNOWN ? size - p : h.size;
  if (e->size > size - p) {
    e->size = size - p;
    *pos = size;
    return e->id == ID_SEGMENT || e->id == ID_CLUSTER;
  }
  *pos = p + e->size;
  return TRUE;
}

static guint64
read_uint (const Element * e)
{
  return ebml_read_uint (e->data, e->size);
}

/* One ChapterDisplay: the string and its language (BCP 47 first, else
 * the first ChapLanguage, else "eng" as the specification defaults). */
static void
read_display (const Element * display, Chapter * c)
{
  g_autofree gchar *string = NULL, *language = NULL, *bcp47 = NULL;
  gsize d = 0;
  Element g;

  while (read_element (display->data, display->size, &d, &g)) {
    if (g.id == ID_STRING && string == NULL)
      string = chapter_text_clean ((const gchar *) g.data, g.size);
    else if (g.id == ID_LANGUAGE && language == NULL && g.size < 64)
      language = chapter_text_clean ((const gchar *) g.data, g.size);
    else if (g.id == ID_LANGUAGE_BCP47 && bcp47 == NULL && g.size < 64)
      bcp47 = chapter_text_clean ((const gchar *) g.data, g.size);
  }
  if (string)
    chapter_add_title (c, bcp47 ? bcp47 : language ? language : "eng",
        string);
}

static gboolean
read_atoms (const guint8 * data, gsize size, GPtrArray * into, guint depth,
    ChapterList * list)
{
  gsize pos = 0;
  Element e;

  while (read_element (data, size, &pos, &e)) {
    gsize sub = 0;
    Element f;
    Chapter *c;
    gboolean has_start = FALSE, enabled = TRUE;

    if (e.id != ID_ATOM)
      continue;
    if (depth >= CHAPTER_MAX_DEPTH || into->len >= CHAPTER_MAX_COUNT) {
      chapter_list_warn (list, "Matroska chapters too deep or too many, "
          "rest ignored");
      return FALSE;
    }
    c = chapter_new (0, NULL);
    c->source = "matroska";
    while (read_element (e.data, e.size, &sub, &f)) {
      switch (f.id) {
        case ID_UID:
          g_free (c->uid);
          c->uid = g_strdup_printf ("%" G_GUINT64_FORMAT, read_uint (&f));
          break;
        case ID_TIME_START:
          c->start = MIN (read_uint (&f), (guint64) G_MAXINT64);
          has_start = TRUE;
          break;
        case ID_TIME_END:
          c->end = MIN (read_uint (&f), (guint64) G_MAXINT64);
          break;
        case ID_FLAG_HIDDEN:
          c->hidden = c->hidden || read_uint (&f) != 0;
          break;
        case ID_FLAG_ENABLED:
          enabled = read_uint (&f) != 0;
          break;
        case ID_DISPLAY:
          read_display (&f, c);
          break;
        default:
          break;
      }
    }
    c->hidden = c->hidden || !enabled;
    if (c->end != CHAPTER_TIME_NONE && c->end < c->start)
      c->end = CHAPTER_TIME_NONE;
    if (!has_start) {
      chapter_list_warn (list, "Matroska ChapterAtom without "
          "ChapterTimeStart, skipped");
      chapter_free (c);
      continue;
    }
    g_ptr_array_add (into, c);
    read_atoms (e.data, e.size, c->children, depth + 1, list);
  }
  return TRUE;
}

static ChapterList *
read_chapters (const Element * chapters)
{
  ChapterList *list = chapter_list_new ();
  gsize pos = 0;
  Element e, edition = { 0, };
  gboolean have = FALSE, have_default = FALSE;

  while (read_element (chapters->data, chapters->size, &pos, &e)) {
    gsize sub = 0;
    Element f;
    gboolean is_default = FALSE;

    if (e.id != ID_EDITION)
      continue;
    while (read_element (e.data, e.size, &sub, &f))
      if (f.id == ID_EDITION_DEFAULT)
        is_default = read_uint (&f) != 0;
    if (!have || (is_default && !have_default)) {
      edition = e;
      have = TRUE;
      have_default = is_default;
    }
  }
  if (have)
    read_atoms (edition.data, edition.size, list->chapters, 0, list);
  chapter_list_choose_language (list, NULL);
  return list;
}

ChapterList *
chapter_matroska_read (const guint8 * data, gsize size, GError ** error)
{
  gsize pos = 0;
  Element e;

  if (!read_element (data, size, &pos, &e) || e.id != ID_EBML) {
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_FORMAT,
        "no EBML header at byte 0");
    return NULL;
  }
  while (read_element (data, size, &pos, &e)) {
    gsize sub = 0;
    Element f;

    if (e.id != ID_SEGMENT)
      continue;
    while (read_element (e.data, e.size, &sub, &f))
      if (f.id == ID_CHAPTERS)
        return read_chapters (&f);
    return chapter_list_new ();
  }
  g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_PARSE,
      "Matroska file has no Segment (%" G_GSIZE_FORMAT " bytes read)", size);
  return NULL;
}
