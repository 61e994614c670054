/* SPDX-License-Identifier: BSD-3-Clause */
/* Internal side of the output transaction (include/objrender/objr_outfile.h): what the
 * library's writers need beyond the public calls, and the test hooks. Never installed. */
#ifndef OBJR_SRC_CORE_OUTFILE_H
#define OBJR_SRC_CORE_OUTFILE_H

#include <stdint.h>
#include <stdio.h>

#include "objrender/objr_outfile.h"
#include "src/core/core.h"

/** The temporary file behind @p fp (an output of @p set), for reading a written output back
 *  before commit; NULL for stdout and devices, and for a stream not from this set. */
OBJR_HIDDEN const char *objr__outset_temp_path(const objr_outset *set, const FILE *fp);

/** The path @p fp was opened for (as given to objr_outset_open), or NULL. */
OBJR_HIDDEN const char *objr__outset_path(const objr_outset *set, const FILE *fp);

/** The stream of the output opened for @p path (spelt as given), or NULL. */
OBJR_HIDDEN FILE *objr__outset_find(const objr_outset *set, const char *path);

/** Give up one output of the set now (its temporary file is removed; the others stay). */
OBJR_HIDDEN void objr__outset_drop(objr_outset *set, FILE *fp);

/** Ask the kernel to start writing @p fd's bytes from *@p started to the current offset to
 *  disk when they are at least @p min_bytes (then *@p started moves there), without waiting:
 *  the commit's fsync then waits for little. A hint only (Linux; a no-op elsewhere). */
OBJR_HIDDEN void objr__outfile_writeback(int fd, int64_t *started, int64_t min_bytes);

/** As objr__outfile_writeback() for the whole file (say, once it is closed and is being read
 *  back before the commit). */
OBJR_HIDDEN void objr__outfile_writeback_all(int fd);

/** Test hook: make the Nth rename of commits from now fail with EIO (0 = never).
 *  Thread-local, tests only. */
OBJR_HIDDEN void objr__outset_fail_rename_after(int n);

#endif /* OBJR_SRC_CORE_OUTFILE_H */
