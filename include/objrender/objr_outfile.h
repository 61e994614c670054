/* SPDX-License-Identifier: BSD-3-Clause */
/* Output files written as one transaction: every output of a run goes to a temporary file
 * created with O_EXCL next to its target and is renamed into place only when all of them are
 * complete; "the run's inputs" (device + inode) that no output may replace; stdout ("-") and
 * character devices as outputs; the regular-file check for inputs. */
#ifndef OBJR_OBJR_OUTFILE_H
#define OBJR_OBJR_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

#include "objrender/objr_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The outputs (and the inputs) of one run. Opaque; one thread at a time. */
typedef struct objr_outset objr_outset;

/**
 * @brief An empty set.
 * @return OBJR_OK; OBJR_ERR_NOMEM (*out NULL).
 */
OBJR_API OBJR_NODISCARD objr_status objr_outset_create(objr_outset **out) OBJR_NONNULL(1);

/**
 * @brief Free the set. Outputs not committed are given up: their temporary files are removed
 *        and the files at their targets are left as they were; folders the set created and
 *        left empty are removed. NULL-safe.
 */
OBJR_API void objr_outset_destroy(objr_outset *set);

/**
 * @brief Record a file the run reads (compared by device and inode, so another spelling, a
 *        symlink or a hard link to it is the same file). "-" (stdin) and paths that do not
 *        exist are ignored. Borrowed path, copied.
 * @return OBJR_OK; OBJR_ERR_CONFLICT (an output already opened in this set resolves to it; the
 *         message names both); OBJR_ERR_NOMEM.
 */
OBJR_API objr_status objr_outset_add_input(objr_outset *set, const char *path, objr_diag *diag)
    OBJR_NONNULL(1, 2);

/**
 * @brief Give the set a scratch file the run makes by itself (an intermediate render, say):
 *        it is removed when the set is destroyed, and by the signal cleanup. Copied.
 * @return OBJR_OK; OBJR_ERR_NOMEM.
 */
OBJR_API objr_status objr_outset_add_scratch(objr_outset *set, const char *path) OBJR_NONNULL(1, 2);

/**
 * @brief Would @p path be accepted by objr_outset_open()? Nothing is created.
 * @return as objr_outset_open(), without OBJR_ERR_NOMEM for the temporary file.
 */
OBJR_API objr_status objr_outset_check(const objr_outset *set, const char *path, objr_diag *diag)
    OBJR_NONNULL(1, 2);

/**
 * @brief Open an output of the set for writing.
 *
 * - A regular file or a missing path: a temporary "<target>.tmp-XXXXXX" is created with
 *   O_EXCL (mode 0666 & ~umask, like any new file) in the target's folder, creating missing
 *   folders; the target is untouched until objr_outset_commit().
 * - A symlink is written through: its target is replaced (atomically), the link stays.
 * - An existing character device (/dev/null, a terminal) is written directly.
 * - "-" is stdout (the only output of its set, and never a terminal); its data cannot be
 *   read back or sought.
 * Folders, FIFOs, sockets and block devices are refused, as is a path that resolves to an
 * input of the set or to another output of it.
 * @param[out] fp the stream to write; owned by the set (closed by commit or destroy).
 * @return OBJR_OK; OBJR_ERR_CONFLICT (an input of the run, or two outputs at one file);
 *         OBJR_ERR_INVALID_ARG (not a file that can be written, or "-" with another output);
 *         OBJR_ERR_IO (the folder cannot be created or written); OBJR_ERR_NOMEM.
 *         Messages name @p path, never the temporary file.
 */
OBJR_API OBJR_NODISCARD objr_status objr_outset_open(objr_outset *set, const char *path,
                                                     objr_diag *diag, FILE **fp)
    OBJR_NONNULL(1, 2, 4);

/**
 * @brief Close every output and rename all of them into place. If any step fails, every
 *        target is left as it was before the run (files already renamed are put back) and
 *        all temporary files are removed. The set is spent either way (destroy it).
 * @return OBJR_OK; OBJR_ERR_IO (the message names the output); OBJR_ERR_STATE (already
 *         committed).
 */
OBJR_API objr_status objr_outset_commit(objr_outset *set, objr_diag *diag) OBJR_NONNULL(1);

/**
 * @brief Refuse an input that is not a regular file (a FIFO, device, socket or folder) before
 *        it is opened, so that reading it cannot hang; "-" is not accepted here.
 * @return OBJR_OK; OBJR_ERR_IO (missing or unreadable: the message names it and says why);
 *         OBJR_ERR_INVALID_ARG (not a regular file).
 */
OBJR_API objr_status objr_input_check(const char *path, objr_diag *diag) OBJR_NONNULL(1);

/**
 * @brief For an input given as "-": copy stdin to an anonymous temporary file (it has no name
 *        on disk, so nothing is left whatever happens) and give a path that opens it
 *        ("/dev/fd/N"). Readers need a file: a BWF may keep its metadata after the audio.
 * @param[out] keep the copy; fclose() it when the input is no longer needed
 * @param[out] path filled with the path, NUL-terminated
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG (stdin is a terminal); OBJR_ERR_IO (reading stdin or
 *         writing the copy failed); OBJR_ERR_LIMIT (@p path_size too small).
 */
OBJR_API OBJR_NODISCARD objr_status objr_input_spool_stdin(FILE **keep, char *path,
                                                           size_t path_size, objr_diag *diag)
    OBJR_NONNULL(1, 2);

/**
 * @brief For programs: on SIGINT, SIGTERM and SIGHUP remove the temporary files of every open
 *        set, then die of the signal as before; SIGXFSZ is ignored, so a file-size limit becomes
 *        a write error that cleans up. Libraries embedding objrender need not call it.
 */
OBJR_API void objr_outfile_install_signal_cleanup(void);

#ifdef __cplusplus
}
#endif

#endif /* OBJR_OBJR_OUTFILE_H */
