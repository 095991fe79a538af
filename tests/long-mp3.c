#include "long-mp3.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "seek-index.h"

gdouble
long_mp3_make (const gchar * src, const gchar * out, gdouble hours)
{
  g_autoptr (GMappedFile) file = g_mapped_file_new (src, FALSE, NULL);
  const guint8 *data;
  g_autoptr (SeekIndex) index = NULL;
  guint64 first, end;
  guint copies, i;
  FILE *fp;

  g_assert (file);
  data = (const guint8 *) g_mapped_file_get_contents (file);
  index = seek_index_scan (data, g_mapped_file_get_length (file));
  first = seek_index_first_offset (index);
  end = seek_index_end_offset (index);
  copies = (guint) ceil (hours * 3600.0 / (seek_index_duration (index) /
          1e9));
  if (!g_file_test (out, G_FILE_TEST_EXISTS)) {
    /* (one per process: two tests may make it at once) */
    g_autofree gchar *tmp = g_strdup_printf ("%s.%d.part", out,
        (gint) getpid ());

    fp = fopen (tmp, "wb");
    g_assert (fp);
    fwrite (data, 1, first, fp);
    for (i = 0; i < copies; i++)
      fwrite (data + first, 1, end - first, fp);
    g_assert (fclose (fp) == 0);
    /* whole or not there: a run stopped halfway leaves no short file */
    g_assert (g_rename (tmp, out) == 0);
  }
  return copies * seek_index_duration (index) / 1e9 / 3600;
}

GByteArray *
mp3_damage (const guint8 * data, gsize size, gsize noise_at,
    gsize noise_len, gint fill, gsize tag_at)
{
  GByteArray *out = g_byte_array_sized_new (size + noise_len +
      MP3_DAMAGE_TAG_BYTES);
  GRand *rand = g_rand_new_with_seed (7);
  /* ID3v2.4, its body (all padding) as a synchsafe size */
  guint8 tag[MP3_DAMAGE_TAG_BYTES] = { 'I', 'D', '3', 4, 0, 0, 0, 0,
    (MP3_DAMAGE_TAG_BYTES - 10) >> 7, (MP3_DAMAGE_TAG_BYTES - 10) & 0x7f
  };
  /* the two insertions in file order: the noise first at equal offsets */
  gboolean tag_first = tag_at > 0 && tag_at < noise_at;
  gsize cut[2] = { tag_first ? tag_at : noise_at, tag_first ? noise_at :
    (tag_at > 0 ? tag_at : size)
  };
  gsize at = 0;

  g_assert (noise_at <= size && tag_at <= size);
  for (guint k = 0; k < 2; k++) {
    gboolean noise = (k == 0) != tag_first;

    g_byte_array_append (out, data + at, cut[k] - at);
    at = cut[k];
    if (!noise) {
      if (tag_at > 0)
        g_byte_array_append (out, tag, sizeof tag);
      continue;
    }
    for (gsize i = 0; i < noise_len; i++) {
      guint8 b = fill < 0 ? (guint8) g_rand_int_range (rand, 0, 256) :
          (guint8) fill;

      g_byte_array_append (out, &b, 1);
    }
  }
  g_byte_array_append (out, data + at, size - at);
  g_rand_free (rand);
  return out;
}

/* The size of the MPEG-1 Layer III frame at @p (44.1, 48 or 32 kHz). */
static gsize
layer3_size (const guint8 * p, guint * bitrate_index, guint * rate)
{
  static const guint kbps[16] = { 0, 32, 40, 48, 56, 64, 80, 96, 112, 128,
    160, 192, 224, 256, 320, 0
  };
  static const guint rates[4] = { 44100, 48000, 32000, 0 };

  g_assert_true (p[0] == 0xff && (p[1] & 0xfe) == 0xfa);       /* MPEG-1 L3 */
  *bitrate_index = p[2] >> 4;
  *rate = rates[(p[2] >> 2) & 3];
  g_assert_true (kbps[*bitrate_index] > 0 && *rate > 0);
  return 144000 * kbps[*bitrate_index] / *rate + ((p[2] >> 1) & 1);
}

GByteArray *
mp3_split_frames (const guint8 * data, gsize size, gsize at, guint n)
{
  GByteArray *out = g_byte_array_sized_new (size);
  gsize pos = at;

  g_byte_array_append (out, data, at);
  while (n > 0 && pos + 4 <= size) {
    guint index, rate;
    gsize frame = layer3_size (data + pos, &index, &rate), half, pad;
    guint8 header[4];

    if (index < 5) {            /* (no half of 32-56 kbps) */
      g_byte_array_append (out, data + pos, frame);
      pos += frame;
      continue;
    }
    /* 64-320 kbps: index - 4 is half the bitrate; the padding bits make
     * the two halves as long as the frame */
    half = 144000 * (index == 5 ? 32 : index == 6 ? 40 : index == 7 ? 48 :
        index == 8 ? 56 : index == 9 ? 64 : index == 10 ? 80 : index == 11 ?
        96 : index == 12 ? 112 : index == 13 ? 128 : 160) / rate;
    pad = frame - 2 * half;
    g_assert_cmpuint (pad, <=, 2);
    memcpy (header, data + pos, 4);
    header[2] = (guint8) (((index - 4) << 4) | (header[2] & 0x0d));
    for (guint k = 0; k < 2; k++) {
      gsize len = half + (pad > k ? 1 : 0);

      header[2] = (guint8) ((header[2] & ~0x02) | (pad > k ? 0x02 : 0));
      g_byte_array_append (out, header, 4);
      /* all zero after the header: side information that takes nothing
       * from the bit reservoir, and no audio data (silence) */
      g_byte_array_set_size (out, out->len + len - 4);
      memset (out->data + out->len - (len - 4), 0, len - 4);
    }
    pos += frame;
    n--;
  }
  g_byte_array_append (out, data + pos, size - pos);
  g_assert_cmpuint (out->len, ==, size);
  return out;
}

GByteArray *
mp3_splice (const guint8 * a, gsize a_size, gsize at, const guint8 * b,
    gsize b_size, gsize from)
{
  GByteArray *out = g_byte_array_sized_new (a_size);

  g_assert_cmpuint (b_size - from, >=, a_size - at);
  g_byte_array_append (out, a, at);
  g_byte_array_append (out, b + from, a_size - at);
  return out;
}
