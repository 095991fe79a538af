/* gst-chapters: the `seektable` element. */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_SEEK_TABLE (gst_seek_table_get_type ())
G_DECLARE_FINAL_TYPE (GstSeekTable, gst_seek_table, GST, SEEK_TABLE,
    GstElement);

/* TRUE for the instances decodebin plugs (seektableparse, seektableid3). */
gboolean gst_seek_table_autoplugged (GstSeekTable * self);

GST_ELEMENT_REGISTER_DECLARE (seektable);
GST_ELEMENT_REGISTER_DECLARE (seektableparse);
GST_ELEMENT_REGISTER_DECLARE (seektableid3);

G_END_DECLS
