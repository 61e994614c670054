/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared by mix_pack.c and mix_unpack.c: the carried-chunk files beside a mix.xml
 * (DIR/chunks/NN_<id>.bin), paths, and the one-line messages both give. */
#ifndef OBJR_FORMATS_MIX_PACK_INTERNAL_H
#define OBJR_FORMATS_MIX_PACK_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>

#include "objrender/objr_pack.h"
#include "src/core/core.h"

/** Folder beside mix.xml holding the chunks that are neither audio nor ADM. */
#define OBJR__PACK_CHUNKS_DIR "chunks"
/** Most carried chunks (their file names have two digits). */
#define OBJR__PACK_MAX_CHUNKS 99
/** Largest mix.xml or chunk file read (the BWF reader's axml limit is the same). */
#define OBJR__PACK_MAX_FILE_BYTES ((size_t)256 << 20)
/** Largest number of tracks in a packed file (chna track indices are 16-bit). */
#define OBJR__PACK_MAX_TRACKS 65535
/** Frames per block when copying audio. */
#define OBJR__PACK_BLOCK_FRAMES 4096

/** 1 for a chunk that travels as a file (not fmt/data/ds64/fact/padding/chna/axml). */
OBJR_HIDDEN int objr__pack_is_carried_chunk(const char *id);
/** "DIR/chunks/NN_<id>.bin", characters of the id other than letters and digits as %XX. */
OBJR_HIDDEN int objr__pack_chunk_file_name(char *out, size_t cap, unsigned k, const char *id,
                                           const char *dir);
/** Parse "NN_<id>.bin" back; 0 when the name is not one of ours. */
OBJR_HIDDEN int objr__pack_parse_chunk_file_name(const char *name, unsigned *k, char id[4]);
/** @p rel relative to @p dir (an absolute @p rel as it is); 0 when it does not fit. */
OBJR_HIDDEN int objr__pack_join(char *out, size_t n, const char *dir, const char *rel);
/** Send one warning line to the config's callback, if any. */
OBJR_HIDDEN void objr__pack_warn(const objr_mix_pack_config *cfg, const char *fmt, ...)
    OBJR_PRINTF(2, 3);
/** Record a failure: *failed = @p side, @p d's message from @p fmt; returns @p st. */
OBJR_HIDDEN objr_status objr__pack_vfail(objr_diag *d, objr_mix_failure *failed,
                                         objr_mix_failure side, objr_status st, const char *fmt,
                                         va_list ap) OBJR_PRINTF(5, 0);
/** Make @p d's message start with @p path (prefixing "path: " unless it already does). */
OBJR_HIDDEN objr_status objr__pack_prefix(objr_diag *d, objr_status st, const char *path);

#endif /* OBJR_FORMATS_MIX_PACK_INTERNAL_H */
