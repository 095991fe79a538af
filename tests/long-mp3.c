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
