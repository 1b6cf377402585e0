#pragma once
#include <png.h>

/// `PNG_LIBPNG_VER_STRING` is a string macro that Swift does not import.
static inline const char *cpng_version_string(void) { return PNG_LIBPNG_VER_STRING; }
