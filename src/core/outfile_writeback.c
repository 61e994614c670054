/* SPDX-License-Identifier: BSD-3-Clause */
/* Early writeback of an output being written: the kernel is asked to start writing the
 * finished ranges to disk while later ones are still produced, so that the fsync of the
 * commit (outfile.c: fsync, then rename) waits for little. Only a hint: durability still
 * comes from that fsync. Linux sync_file_range(2); elsewhere a no-op. */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* sync_file_range */
#endif
#include "src/core/outfile.h"

#include <fcntl.h>
#include <unistd.h>

void objr__outfile_writeback(int fd, int64_t *started, int64_t min_bytes) {
#if defined(__linux__)
    const off_t cur = lseek(fd, 0, SEEK_CUR);
    if (cur < 0 || (int64_t)cur - *started < min_bytes || (int64_t)cur <= *started)
        return;
    /* SYNC_FILE_RANGE_WRITE alone: start writing the dirty pages, do not wait for them. */
    if (sync_file_range(fd, (off_t)*started, cur - (off_t)*started, SYNC_FILE_RANGE_WRITE) == 0)
        *started = (int64_t)cur;
#else
    (void)fd;
    (void)started;
    (void)min_bytes;
#endif
}

void objr__outfile_writeback_all(int fd) {
#if defined(__linux__)
    (void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE); /* 0 length: to the end */
#else
    (void)fd;
#endif
}
