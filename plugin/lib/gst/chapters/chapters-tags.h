/* gstchapters-1.0: the tags a chapter carries in a GstToc entry besides
 * GStreamer's own. */
#pragma once

/**
 * GST_CHAPTERS_TAG_HIDDEN:
 *
 * Tag on a TOC entry (#G_TYPE_BOOLEAN): the chapter is a marker that a list
 * of chapters does not show (Podcasting 2.0 `"toc": false`, an ID3 CHAP in
 * no CTOC).
 */
#define GST_CHAPTERS_TAG_HIDDEN "chapter-hidden"

/**
 * GST_CHAPTERS_TAG_IMAGE_URI:
 *
 * Tag on a TOC entry (#G_TYPE_STRING): the URI of the chapter's picture.
 * An embedded picture goes in %GST_TAG_IMAGE, the chapter's web link in
 * %GST_TAG_HOMEPAGE and its description in %GST_TAG_DESCRIPTION.
 */
#define GST_CHAPTERS_TAG_IMAGE_URI "chapter-image-uri"
