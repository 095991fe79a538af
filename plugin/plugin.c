/* gst-chapters: the plugin. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>
#include "gstchapters.h"
#include "gstseektable.h"

static gboolean
plugin_init (GstPlugin * plugin)
{
  gboolean ret = FALSE;

  ret |= GST_ELEMENT_REGISTER (chapters, plugin);
  ret |= GST_ELEMENT_REGISTER (seektable, plugin);
  ret |= GST_ELEMENT_REGISTER (seektableparse, plugin);
  ret |= GST_ELEMENT_REGISTER (seektableid3, plugin);
  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, chapters,
    "Chapters for audio streams: markers, TOC, navigation and exact seeking",
    plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
