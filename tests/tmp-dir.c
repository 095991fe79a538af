/* Directories a test makes for itself and takes away again. */
#include "tmp-dir.h"

#include <errno.h>
#include <glib/gstdio.h>

gchar *
tmp_dir_new (const gchar * tmpl)
{
  GError *error = NULL;
  gchar *path = g_dir_make_tmp (tmpl, &error);

  if (path == NULL)
    g_error ("cannot make a temporary directory %s: %s", tmpl,
        error->message);
  return path;
}

void
tmp_dir_remove (const gchar * path)
{
  GDir *dir;
  const gchar *name;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK)
      || !g_file_test (path, G_FILE_TEST_IS_DIR)) {
    if (g_unlink (path) != 0 && errno != ENOENT)
      g_warning ("cannot remove %s: %s", path, g_strerror (errno));
    return;
  }
  dir = g_dir_open (path, 0, NULL);
  while (dir && (name = g_dir_read_name (dir))) {
    g_autofree gchar *child = g_build_filename (path, name, NULL);

    tmp_dir_remove (child);
  }
  if (dir)
    g_dir_close (dir);
  if (g_rmdir (path) != 0 && errno != ENOENT)
    g_warning ("cannot remove %s: %s", path, g_strerror (errno));
}
