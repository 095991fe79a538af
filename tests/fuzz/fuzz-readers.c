/* libFuzzer targets for every reader: text formats, ID3, MP4, Ogg, FLAC,
 * Matroska, RIFF, the MPEG audio, FLAC and Ogg indexes, the Ogg packet
 * reader, chapters in tags, and the seek index cache file. Built once per target with
 * -DFUZZ_TARGET=<name> by tests/fuzz/run. */
#include <gst/gst.h>
#include <string.h>
#include <unistd.h>

#include "chapter-format.h"
#include "chapter-embedded.h"
#include "seek-index.h"
#include "flac-index.h"
#include "ogg-index.h"
#include "mkv-audio.h"
#include "mp4-track.h"

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  /* GLib's criticals would be bugs too: make them crash */
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  /* no gst_init: the readers need no registry, and scanning one would
   * load every plugin into the fuzzer */
  return 0;
}

static void
consume (ChapterList * list)
{
  guint i;

  if (list == NULL)
    return;
  /* touch everything a caller would */
  for (i = 0; i < chapter_list_length (list); i++) {
    const Chapter *c = chapter_list_get (list, i);

    g_assert (c->title == NULL || g_utf8_validate (c->title, -1, NULL));
  }
  chapter_list_free (list);
}

#if FUZZ_TARGET == 11 || FUZZ_TARGET == 12
/* every packet is looked at, as the element would */
static gboolean
touch_packet (const OggPacket * packet, gpointer user_data)
{
  guint64 *sum = user_data;

  if (packet->size)
    *sum += packet->data[0] + packet->data[packet->size - 1];
  g_assert (packet->start < 0 || packet->end < 0
      || packet->start <= packet->end);
  return TRUE;
}
#endif

static GBytes *
fetch_from_input (guint64 offset, guint32 size, gpointer user_data)
{
  GBytes *input = user_data;

  if (offset > g_bytes_get_size (input)
      || size > g_bytes_get_size (input) - offset)
    return NULL;
  return g_bytes_new_from_bytes (input, offset, size);
}

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  GError *error = NULL;

#if FUZZ_TARGET == 1            /* text */
  consume (chapter_read (data, size, NULL, NULL, &error));
  {
    /* and every writer on what was read */
    ChapterList *list = chapter_read (data, size, NULL, NULL, NULL);
    const ChapterFormat *const *f;

    for (f = chapter_formats (); list && *f; f++)
      if ((*f)->write)
        g_free ((*f)->write (list));
    consume (list);
  }
#elif FUZZ_TARGET == 2          /* id3 */
  consume (chapter_id3_read (data, size, &error));
#elif FUZZ_TARGET == 3          /* mp4 */
  consume (chapter_mp4_read (data, size, &error));
  {
    GBytes *input = g_bytes_new (data, size);

    consume (chapter_mp4_read_moov (data, size, fetch_from_input, input,
            TRUE));
    g_bytes_unref (input);
  }
  {
    /* the seek table's reading of a movie box: the AAC track, its frames */
    Mp4Audio audio;
    gchar *message = NULL;

    if (mp4_audio_read (data, size, &audio, &message)) {
      guint i = mp4_audio_sample_at (&audio, audio.priming + audio.length / 2);

      g_assert (i < audio.track.n);
      mp4_audio_clear (&audio);
    }
    g_free (message);
  }
#elif FUZZ_TARGET == 4          /* ogg */
  consume (chapter_ogg_read (data, size, &error));
#elif FUZZ_TARGET == 5          /* flac */
  consume (chapter_flac_read (data, size, &error));
#elif FUZZ_TARGET == 6          /* matroska */
  consume (chapter_matroska_read (data, size, &error));
#elif FUZZ_TARGET == 7          /* riff */
  consume (chapter_riff_read (data, size, &error));
#elif FUZZ_TARGET == 8          /* mpeg-index */
  {
    SeekIndex *index = seek_index_scan (data, size);
    SeekIndex *streamed = seek_index_new ();
    gsize pos = 0;

    if (index) {
      guint64 frame, offset;

      seek_index_lookup (index, seek_index_frames (index) / 2, &frame,
          &offset);
      seek_index_duration (index);
      seek_index_frame_at (index, seek_index_duration (index));
      seek_index_free (index);
    }
    /* the same bytes streamed in odd-sized pieces */
    while (pos < size) {
      gsize n = MIN (size - pos, 1 + (data[pos] % 97));

      seek_index_feed (streamed, pos, data + pos, n);
      pos += n;
    }
    seek_index_free (streamed);
  }
#elif FUZZ_TARGET == 9          /* tags: ID3 frames and Vorbis comments */
  {
    GPtrArray *frames = g_ptr_array_new_with_free_func ((GDestroyNotify)
        g_bytes_unref);
    gsize half = size / 2;

    g_ptr_array_add (frames, g_bytes_new (data, half));
    g_ptr_array_add (frames, g_bytes_new (data + half, size - half));
    consume (chapter_id3_frames_read (frames));
    g_ptr_array_unref (frames);
    consume (chapter_vorbis_comment_block_read (data, size, FALSE, &error));
  }
#elif FUZZ_TARGET == 10         /* flac-index */
  {
    FlacIndex *index = flac_index_scan (data, size);
    FlacIndex *streamed = flac_index_new ();
    gsize pos = 0;
    guint64 offset, ls, lo, hs, ho;

    if (index) {
      flac_index_duration (index);
      flac_index_locate (index, flac_index_info (index)->total_samples / 2,
          &offset);
      flac_index_free (index);
    }
    /* streamed in odd-sized pieces, with a gap where a seek would be */
    while (pos < size) {
      gsize n = MIN (size - pos, 1 + (data[pos] % 97));

      flac_index_feed (streamed, pos, data + pos, n);
      pos += n;
      if (pos > size / 2 && pos < size / 2 + 100)
        pos += data[pos - 1] % 13;
    }
    flac_index_set_file_size (streamed, size);
    for (pos = 0; pos < 4; pos++) {
      guint64 target = (guint64) (size ? data[pos % size] : 0) << (pos * 8);

      flac_index_bracket (streamed, target, &ls, &lo, &hs, &ho);
      flac_index_locate (streamed, target, &offset);
    }
    flac_index_free (streamed);
  }
#elif FUZZ_TARGET == 11         /* ogg-index: the index and the reader */
  {
    OggIndex *index = ogg_index_scan (data, size);
    OggIndex *streamed = ogg_index_new ();
    OggReader *reader = ogg_reader_new ();
    guint64 offset, sum = 0;
    gsize pos = 0;
    gint r = 1;

    if (index) {
      ogg_index_duration (index);
      ogg_index_locate (index, (guint64) ogg_index_last_granule (index) / 2,
          &offset);
      ogg_index_free (index);
    }
    /* streamed in odd-sized pieces, with a gap where a seek would be */
    while (pos < size) {
      gsize n = MIN (size - pos, 1 + (data[pos] % 97));
      gchar *message = NULL;

      ogg_index_feed (streamed, pos, data + pos, n);
      if (r == 1)
        r = ogg_reader_feed (reader, pos, data + pos, n, touch_packet, &sum,
            &message);
      g_free (message);
      pos += n;
      if (pos > size / 2 && pos < size / 2 + 100) {
        pos += data[pos - 1] % 13;
        ogg_reader_discont (reader, pos);
      }
    }
    ogg_index_set_file_size (streamed, size);
    for (pos = 0; pos < 4; pos++)
      ogg_index_locate (streamed, (guint64) (size ? data[pos % size] : 0) <<
          (pos * 8), &offset);
    ogg_index_free (streamed);
    ogg_reader_free (reader);
  }
#elif FUZZ_TARGET == 12         /* mkv-index: the Matroska/Vorbis reader */
  {
    OggIndex *index = mkv_index_scan (data, size);
    MkvReader *reader = mkv_reader_new ();
    guint64 offset, granule, sum = 0;
    gsize pos = 0;
    gint r = 1;
    guint jumps = 0;

    if (index) {
      ogg_index_duration (index);
      ogg_index_known_point (index, (guint64) ogg_index_last_granule (index)
          / 2, &granule, &offset);
      ogg_index_free (index);
    }
    /* streamed in odd-sized pieces, with landings where seeks would be:
     * at a cluster of known granule, and anywhere */
    while (pos < size && r == 1) {
      gsize n = MIN (size - pos, 1 + (data[pos] % 97));
      gchar *message = NULL;

      r = mkv_reader_feed (reader, pos, data + pos, n, touch_packet, &sum,
          &message);
      g_free (message);
      g_free (mkv_reader_take_damage (reader));
      pos += n;
      if (jumps < 2 && pos > size / (3 - jumps) && mkv_reader_ready (reader)) {
        pos += data[pos - 1] % 13;
        mkv_reader_discont (reader, pos, jumps++ == 0 ? data[pos - 1] :
            MKV_UNKNOWN_CLUSTER);
      }
    }
    mkv_reader_free (reader);
  }
#elif FUZZ_TARGET == 13         /* seek-cache: the seek index cache file */
  {
    static gchar *path;
    SeekIndex *index;
    guint8 *copy = g_memdup2 (data, size);

    if (path == NULL)
      path = g_strdup_printf ("%s/fuzz-seek-cache-%u", g_get_tmp_dir (),
          (guint) getpid ());
    if (size > 32 && data[size - 1] % 2 == 0) {
      /* most inputs with the checksum made right, to fuzz what is behind
       * it; the rest as they are */
      guint8 digest[32];
      gsize n = sizeof digest;
      GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);

      g_checksum_update (sum, copy, size - 32);
      g_checksum_get_digest (sum, digest, &n);
      g_checksum_free (sum);
      memcpy (copy + size - 32, digest, 32);
    }
    g_file_set_contents (path, (const gchar *) copy, size, NULL);
    g_free (copy);
    index = seek_index_load (path, &error);
    unlink (path);              /* (left behind by no input) */
    if (index) {
      guint64 frame, offset;

      seek_index_lookup (index, seek_index_frames (index) / 2, &frame,
          &offset);
      seek_index_duration (index);
      seek_index_frame_at (index, seek_index_duration (index) / 3);
      /* checked against bytes, and fed on, as a stream would */
      seek_index_check (index, 0, data, size);
      seek_index_feed (index, 0, data, size);
      seek_index_feed (index, seek_index_end_offset (index), data, size);
      seek_index_free (index);
    }
  }
#else
#error "FUZZ_TARGET must name a reader"
#endif
  g_clear_error (&error);
  return 0;
}
