#pragma once
#include <zlib.h>

/// `inflateInit2` is a macro that Swift does not import; -15 window bits = raw deflate (no zlib
/// header), the form of a zip member.
static inline int czlib_inflate_init_raw(z_stream *stream) {
  return inflateInit2(stream, -15);
}
