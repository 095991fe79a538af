#include "long-mp3.h"

#include <math.h>
#include <stdio.h>
#include <glib/gstdio.h>

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
    g_autofree gchar *tmp = g_strconcat (out, ".part", NULL);

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
