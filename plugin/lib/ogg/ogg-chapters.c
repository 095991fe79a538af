/* Ogg Vorbis, Opus, FLAC-in-Ogg: the comment header of the first logical
 * stream, reassembled from its pages. CRCs are not checked: a hand-edited
 * comment page still carries good chapters. */
#include "chapter-embedded.h"
#include "chapter-bytes.h"

#include <string.h>

#define MAX_COMMENT_PACKET (16 * 1024 * 1024)

ChapterList *
chapter_ogg_read (const guint8 * data, gsize size, GError ** error)
{
  GByteArray *packet = g_byte_array_new ();
  guint32 serial = 0;
  gboolean have_serial = FALSE;
  guint packet_index = 0;
  gsize pos = 0;
  ChapterList *list = NULL;

  while (pos + 27 <= size && list == NULL) {
    guint nsegs, i;
    gsize body;

    if (memcmp (data + pos, "OggS", 4) != 0) {
      g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_PARSE,
          "Ogg page expected at byte %" G_GSIZE_FORMAT, pos);
      break;
    }
    nsegs = data[pos + 26];
    if (pos + 27 + nsegs > size)
      break;
    body = pos + 27 + nsegs;
    if (!have_serial) {
      serial = chapter_read_u32_le (data + pos + 14);
      have_serial = TRUE;
    }
    if (chapter_read_u32_le (data + pos + 14) != serial) {
      for (i = 0; i < nsegs; i++)
        body += data[pos + 27 + i];
      pos = body;
      continue;
    }
    for (i = 0; i < nsegs && list == NULL; i++) {
      guint lace = data[pos + 27 + i];

      if (body + lace > size)
        break;
      if (packet_index == 1) {
        if (packet->len + lace > MAX_COMMENT_PACKET) {
          g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_LIMIT,
              "Ogg comment header over %d bytes", MAX_COMMENT_PACKET);
          break;
        }
        g_byte_array_append (packet, data + body, lace);
      }
      body += lace;
      if (lace < 255) {
        /* a packet ends */
        if (packet_index == 1) {
          const guint8 *p = packet->data;
          gsize n = packet->len;

          if (n >= 7 && memcmp (p, "\x03vorbis", 7) == 0)
            list = chapter_vorbis_comment_block_read (p + 7, n - 7, TRUE,
                error);
          else if (n >= 8 && memcmp (p, "OpusTags", 8) == 0)
            list = chapter_vorbis_comment_block_read (p + 8, n - 8, FALSE,
                error);
          else if (n >= 4 && (p[0] & 0x7f) == 4)        /* FLAC in Ogg */
            list = chapter_vorbis_comment_block_read (p + 4, n - 4, FALSE,
                error);
          else
            list = chapter_list_new ();
          if (list == NULL)
            break;
        }
        packet_index++;
      }
    }
    if (error && *error)
      break;
    pos = body;
  }
  g_byte_array_unref (packet);
  if (list == NULL && (error == NULL || *error == NULL))
    g_set_error (error, CHAPTER_ERROR, CHAPTER_ERROR_PARSE,
        "Ogg stream ends (byte %" G_GSIZE_FORMAT ") before its comment "
        "header", MIN (pos, size));
  return list;
}
