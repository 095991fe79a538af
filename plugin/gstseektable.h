/* gst-chapters: the `seektable` element. */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_SEEK_TABLE (gst_seek_table_get_type ())
G_DECLARE_FINAL_TYPE (GstSeekTable, gst_seek_table, GST, SEEK_TABLE,
    GstElement);

GST_ELEMENT_REGISTER_DECLARE (seektable);

G_END_DECLS
