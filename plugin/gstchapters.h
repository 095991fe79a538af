/* gst-chapters: the `chapters` element. */
#pragma once

#include <gst/gst.h>
#include <gst/base/gstbasetransform.h>

G_BEGIN_DECLS

#define GST_TYPE_CHAPTERS (gst_chapters_get_type ())
G_DECLARE_FINAL_TYPE (GstChapters, gst_chapters, GST, CHAPTERS,
    GstBaseTransform);

typedef enum
{
  GST_CHAPTERS_PREFER_EXTERNAL,
  GST_CHAPTERS_PREFER_EMBEDDED,
} GstChaptersPrefer;

#define GST_TYPE_CHAPTERS_PREFER (gst_chapters_prefer_get_type ())
GType gst_chapters_prefer_get_type (void);

/* The registered GstFormat "chapter": values are 1-based chapter numbers. */
GstFormat gst_chapters_format (void);

GST_ELEMENT_REGISTER_DECLARE (chapters);

G_END_DECLS
