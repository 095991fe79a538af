/* gstchapters-1.0: what every public header of the library includes. */
#pragma once

#include <glib.h>

/* Public symbols: the library is built with hidden visibility, and only
 * what is marked GST_CHAPTERS_API is exported. */
#if defined(BUILDING_GST_CHAPTERS) && defined(__GNUC__)
#define GST_CHAPTERS_API __attribute__ ((visibility ("default"))) extern
#else
#define GST_CHAPTERS_API extern
#endif
