/* SPDX-License-Identifier: BSD-3-Clause */
/* A byte range of a file mapped read-only, for text too large to copy into memory (the axml
 * of a long session, a large mix.xml): the parser reads the file's pages in place, and pages
 * it has passed are given back, so what stays resident is bounded however long the text is.
 * Internal. */
#ifndef OBJR_CORE_FILEMAP_H
#define OBJR_CORE_FILEMAP_H

#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_status.h"
#include "src/core/core.h"

/** Texts at least this long are mapped rather than read (smaller ones are cheap to copy). */
#define OBJR__FILEMAP_MIN_BYTES ((size_t)4 << 20)

typedef struct objr__filemap {
    char *data;            /**< the range's bytes, followed by one NUL byte */
    size_t len;            /**< bytes in the range */
    void *base;            /**< the whole mapping (page aligned) */
    size_t base_len, head; /**< its length; data - base */
} objr__filemap;

/** Maps @p len bytes of @p fd from byte @p offset (private, never written back), followed by
 *  a NUL. OBJR_ERR_IO when the descriptor cannot be mapped (a pipe): the caller reads it. */
OBJR_HIDDEN objr_status objr__filemap_open(int fd, uint64_t offset, size_t len, objr__filemap *out);
/** A whole file mapped when it is regular, at least OBJR__FILEMAP_MIN_BYTES long and at most
 *  @p limit bytes (0: no limit); else map->base stays NULL and the caller reads it (a small
 *  file, a pipe, one that cannot be opened: the read names the error). *too_big is set when the
 *  file is over @p limit, for the caller's own message. */
OBJR_HIDDEN void objr__filemap_open_large(const char *path, size_t limit, objr__filemap *map,
                                          int *too_big);
/** Gives back the resident pages wholly inside bytes [0, @p upto) of the range: touched again,
 *  they are read back from the file. The page holding the terminating NUL is kept. */
OBJR_HIDDEN void objr__filemap_release(const objr__filemap *m, size_t upto);
/** Unmaps; NULL-safe, idempotent. */
OBJR_HIDDEN void objr__filemap_close(objr__filemap *m);

#endif /* OBJR_CORE_FILEMAP_H */
