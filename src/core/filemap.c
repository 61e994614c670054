/* SPDX-License-Identifier: BSD-3-Clause */
/* Read-only file ranges mapped in place (src/core/filemap.h). The mapping is private: the one
 * byte written, the NUL after the range, lands either in a copy of the range's last page or in
 * an anonymous zero page reserved after it, never in the file. */
#if defined(__linux__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, madvise */
#endif
#include "src/core/filemap.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static size_t page_size(void) {
    long p = sysconf(_SC_PAGESIZE);
    return p > 0 ? (size_t)p : 4096u;
}

objr_status objr__filemap_open(int fd, uint64_t offset, size_t len, objr__filemap *out) {
    memset(out, 0, sizeof *out);
    const size_t ps = page_size();
    const uint64_t start = offset - offset % ps;
    const size_t head = (size_t)(offset - start);
    if (len > SIZE_MAX - head - 2 * ps)
        return OBJR_ERR_LIMIT;
    const size_t file_part = (head + len + ps - 1) / ps * ps; /* pages holding the range */
    const size_t total = (head + len + 1 + ps - 1) / ps * ps; /* and the NUL after it */
    /* the whole span reserved as zero pages, then the file's pages mapped over its start */
    void *base = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED)
        return OBJR_ERR_NOMEM;
    if (file_part > 0 && mmap(base, file_part, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd,
                              (off_t)start) == MAP_FAILED) {
        munmap(base, total);
        return OBJR_ERR_IO;
    }
    out->base = base;
    out->base_len = total;
    out->head = head;
    out->data = (char *)base + head;
    out->len = len;
    out->data[len] = '\0';
    return OBJR_OK;
}

void objr__filemap_open_large(const char *path, size_t limit, objr__filemap *map, int *too_big) {
    memset(map, 0, sizeof *map);
    *too_big = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    struct stat sb;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
        (uint64_t)sb.st_size >= OBJR__FILEMAP_MIN_BYTES) {
        if (limit && (uint64_t)sb.st_size > limit)
            *too_big = 1;
        else
            (void)objr__filemap_open(fd, 0, (size_t)sb.st_size, map);
    }
    close(fd);
}

void objr__filemap_release(const objr__filemap *m, size_t upto) {
    if (!m || !m->base)
        return;
    const size_t ps = page_size();
    if (upto > m->len)
        upto = m->len;
    size_t end = (m->head + upto) / ps * ps;          /* whole pages before upto */
    const size_t keep = (m->head + m->len) / ps * ps; /* the page the NUL was written to */
    if (end > keep)
        end = keep;
    if (end > 0)
        (void)madvise(m->base, end, MADV_DONTNEED);
}

void objr__filemap_close(objr__filemap *m) {
    if (m && m->base)
        munmap(m->base, m->base_len);
    if (m)
        memset(m, 0, sizeof *m);
}
