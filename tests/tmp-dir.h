/* Directories a test makes for itself (a cache, a sidecar's folder) and
 * takes away again, with all that was written into them. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new directory under the temporary one, from @tmpl ("name-XXXXXX");
 * the test stops with a message when it cannot be made. */
gchar *tmp_dir_new (const gchar * tmpl);

/* Removes @path and everything under it (symbolic links are removed, not
 * followed); a path that is gone already is fine. */
void tmp_dir_remove (const gchar * path);

G_END_DECLS
