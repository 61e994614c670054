/* SPDX-License-Identifier: BSD-3-Clause */
/* Output files as one transaction (objr_outfile.h): temporary files created with O_EXCL next
 * to each target, renamed into place together at commit with the previous files kept as hard
 * links until every rename has succeeded (so a failure puts them back), the run's inputs by
 * device and inode, and the signal-time cleanup of temporary files. POSIX. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* realpath(), XSI */
#endif
#include "src/core/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TEMP_NAME_ATTEMPTS 100
#define TEMP_SUFFIX_BYTES 16 /* ".tmp-" + 6 hex digits + NUL, rounded up */
/* Temporary files the signal handler can see at once; more are still removed by the normal
 * paths, only not on a signal. */
#define SIGNAL_SLOTS 256

typedef enum { OUT_RENAME, OUT_DIRECT, OUT_STDOUT } out_kind;

typedef struct out_entry {
    char *path;   /* as given: every message names it */
    char *target; /* where the data lands: path, or a symlink's resolved target */
    char *tmp;    /* temporary file (OUT_RENAME) until renamed; NULL after */
    char *backup; /* hard link to the previous target during commit */
    FILE *fp;
    out_kind kind;
    int renamed;
    int previous; /* a file sat at the target when the commit began */
} out_entry;

typedef struct in_entry {
    dev_t dev;
    ino_t ino;
    char *path;
} in_entry;

struct objr_outset {
    out_entry *out;
    size_t n_out;
    in_entry *in;
    size_t n_in;
    char **scratch; /* the run's own intermediate files, removed at destroy */
    size_t n_scratch;
    char **made_dirs; /* folders created for outputs, outermost first */
    size_t n_dirs;
    int spent;     /* committed (successfully or not) */
    int committed; /* renamed into place */
};

/* ---- signal-time cleanup ---- */

/* The one process-wide table in the library (STYLE.md §5 allows no mutable globals; a signal
 * handler has no other way to find what to remove). Lock-free atomic pointers, so both the
 * handler and other threads may read them; each points at a temporary path owned by a set,
 * cleared before that string is freed. */
static _Atomic(const char *) signal_slots[SIGNAL_SLOTS];

static void slot_add(const char *p) {
    for (size_t i = 0; i < SIGNAL_SLOTS; i++) {
        const char *expected = NULL;
        if (atomic_compare_exchange_strong(&signal_slots[i], &expected, p))
            return;
    }
}

static void slot_remove(const char *p) {
    for (size_t i = 0; i < SIGNAL_SLOTS; i++) {
        const char *expected = p;
        if (atomic_compare_exchange_strong(&signal_slots[i], &expected, NULL))
            return;
    }
}

static void on_signal(int sig) {
    for (size_t i = 0; i < SIGNAL_SLOTS; i++) {
        const char *p = atomic_load(&signal_slots[i]);
        if (p)
            unlink(p); /* async-signal-safe */
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

void objr_outfile_install_signal_cleanup(void) {
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction old, sa;
        if (sigaction(sigs[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
            continue; /* ignored on purpose (nohup, a background job): keep it so */
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
    signal(SIGXFSZ, SIG_IGN); /* over a file-size limit write() fails with EFBIG instead */
}

/* ---- test hook ---- */

static _Thread_local int rename_fail_countdown; /* 0 = disabled */

void objr__outset_fail_rename_after(int n) {
    rename_fail_countdown = n;
}

static int do_rename(const char *from, const char *to) {
    if (rename_fail_countdown > 0 && --rename_fail_countdown == 0) {
        errno = EIO;
        return -1;
    }
    return rename(from, to);
}

/* ---- helpers ---- */

objr_status objr_outset_create(objr_outset **out) {
    *out = objr__calloc(1, sizeof **out);
    return *out ? OBJR_OK : OBJR_ERR_NOMEM;
}

static void entry_free(out_entry *e) {
    if (e->fp && e->kind != OUT_STDOUT)
        fclose(e->fp);
    e->fp = NULL;
    if (e->tmp) {
        slot_remove(e->tmp);
        unlink(e->tmp);
        objr__freep(&e->tmp);
    }
    if (e->backup) {
        slot_remove(e->backup);
        unlink(e->backup);
        objr__freep(&e->backup);
    }
    objr__freep(&e->path);
    objr__freep(&e->target);
}

void objr_outset_destroy(objr_outset *set) {
    if (!set)
        return;
    for (size_t i = 0; i < set->n_out; i++)
        entry_free(&set->out[i]);
    objr__freep(&set->out);
    for (size_t i = 0; i < set->n_scratch; i++) {
        slot_remove(set->scratch[i]);
        unlink(set->scratch[i]);
        objr__freep(&set->scratch[i]);
    }
    objr__freep(&set->scratch);
    for (size_t i = 0; i < set->n_in; i++)
        objr__freep(&set->in[i].path);
    objr__freep(&set->in);
    for (size_t i = set->n_dirs; i-- > 0;) {
        if (!set->committed)
            rmdir(set->made_dirs[i]); /* only succeeds when left empty */
        objr__freep(&set->made_dirs[i]);
    }
    objr__freep(&set->made_dirs);
    free(set);
}

objr_status objr_outset_add_scratch(objr_outset *set, const char *path) {
    char **v = objr__realloc_array(set->scratch, set->n_scratch + 1, sizeof *v);
    if (!v)
        return OBJR_ERR_NOMEM;
    set->scratch = v;
    if (!(v[set->n_scratch] = objr__strdup(path)))
        return OBJR_ERR_NOMEM;
    slot_add(v[set->n_scratch++]);
    return OBJR_OK;
}

static const char *kind_of(mode_t m) {
    return S_ISDIR(m)    ? "a folder"
           : S_ISFIFO(m) ? "a FIFO (named pipe)"
           : S_ISSOCK(m) ? "a socket"
           : S_ISBLK(m)  ? "a block device"
           : S_ISCHR(m)  ? "a character device"
                         : "not a regular file";
}

objr_status objr_input_check(const char *path, objr_diag *diag) {
    struct stat st;
    if (stat(path, &st) != 0)
        return objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1, "%s: cannot read: %s", path,
                              strerror(errno));
    if (!S_ISREG(st.st_mode))
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "%s: is %s, not a regular file: refused as an input", path,
                              kind_of(st.st_mode));
    return OBJR_OK;
}

static objr_status conflict(objr_diag *diag, const char *out, const char *in) {
    if (strcmp(out, in) == 0)
        return objr__diag_set(diag, OBJR_ERR_CONFLICT, NULL, 0, (size_t)-1,
                              "%s: this run reads that file: refused as an output", out);
    return objr__diag_set(diag, OBJR_ERR_CONFLICT, NULL, 0, (size_t)-1,
                          "%s: is the file %s, which this run reads: refused as an output", out,
                          in);
}

objr_status objr_input_spool_stdin(FILE **keep, char *path, size_t path_size, objr_diag *diag) {
    *keep = NULL;
    if (isatty(STDIN_FILENO))
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "-: stdin is a terminal: pipe a file into it");
    FILE *t = tmpfile();
    if (!t)
        return objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1,
                              "-: cannot make a temporary copy of stdin: %s", strerror(errno));
    char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
        if (fwrite(buf, 1, n, t) != n)
            break;
    int bad = ferror(stdin) || ferror(t) || fflush(t) != 0;
    if (bad || fseek(t, 0, SEEK_SET) != 0) {
        int err = errno;
        fclose(t);
        return objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1, "-: cannot read stdin: %s",
                              strerror(err));
    }
    int w = snprintf(path, path_size, "/dev/fd/%d", fileno(t));
    if (w < 0 || (size_t)w >= path_size) {
        fclose(t);
        return OBJR_ERR_LIMIT;
    }
    *keep = t;
    return OBJR_OK;
}

objr_status objr_outset_add_input(objr_outset *set, const char *path, objr_diag *diag) {
    struct stat st;
    if (strcmp(path, "-") == 0 || stat(path, &st) != 0)
        return OBJR_OK; /* nothing on disk to protect; the reader reports it */
    for (size_t i = 0; i < set->n_in; i++)
        if (set->in[i].dev == st.st_dev && set->in[i].ino == st.st_ino)
            return OBJR_OK;
    for (size_t i = 0; i < set->n_out; i++) {
        struct stat so;
        const out_entry *e = &set->out[i];
        if (e->kind == OUT_RENAME && stat(e->target, &so) == 0 && so.st_dev == st.st_dev &&
            so.st_ino == st.st_ino)
            return conflict(diag, e->path, path);
    }
    in_entry *v = objr__realloc_array(set->in, set->n_in + 1, sizeof *v);
    if (!v)
        return objr__diag_set(diag, OBJR_ERR_NOMEM, NULL, 0, (size_t)-1, "out of memory");
    set->in = v;
    v[set->n_in].dev = st.st_dev;
    v[set->n_in].ino = st.st_ino;
    if (!(v[set->n_in].path = objr__strdup(path)))
        return objr__diag_set(diag, OBJR_ERR_NOMEM, NULL, 0, (size_t)-1, "out of memory");
    set->n_in++;
    return OBJR_OK;
}

/* Where writing @p path lands: a symlink is followed to its target. *target NULL for "-".
 * @p st / @p exists describe the target. */
static objr_status resolve(const char *path, char **target, struct stat *st, int *exists,
                           objr_diag *diag) {
    *target = NULL;
    *exists = 0;
    struct stat ls;
    if (lstat(path, &ls) != 0) {
        if (errno != ENOENT && errno != ENOTDIR)
            return objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1, "%s: cannot write: %s",
                                  path, strerror(errno));
        *target = objr__strdup(path);
        return *target ? OBJR_OK : OBJR_ERR_NOMEM;
    }
    if (S_ISLNK(ls.st_mode)) {
        char *real = realpath(path, NULL);
        if (!real)
            return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                                  "%s: a symlink to a missing file: refused as an output", path);
        *target = objr__strdup(real);
        free(real);
        if (!*target)
            return OBJR_ERR_NOMEM;
        if (stat(*target, st) != 0)
            return objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1, "%s: cannot write: %s",
                                  path, strerror(errno));
    } else {
        *st = ls;
        if (!(*target = objr__strdup(path)))
            return OBJR_ERR_NOMEM;
    }
    *exists = 1;
    return OBJR_OK;
}

/* Would an output at @p path (resolved to @p target, @p st when it exists) break the rules?
 * Fills @p kind. */
static objr_status check_rules(const objr_outset *set, const char *path, const char *target,
                               const struct stat *st, int exists, out_kind *kind, objr_diag *diag) {
    *kind = OUT_RENAME;
    if (exists && S_ISCHR(st->st_mode)) {
        *kind = OUT_DIRECT;
        return OBJR_OK; /* /dev/null and the like: nothing to protect or replace */
    }
    if (exists && !S_ISREG(st->st_mode))
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "%s: is %s: refused as an output", path, kind_of(st->st_mode));
    for (size_t i = 0; exists && i < set->n_in; i++)
        if (set->in[i].dev == st->st_dev && set->in[i].ino == st->st_ino)
            return conflict(diag, path, set->in[i].path);
    for (size_t i = 0; i < set->n_out; i++) {
        const out_entry *e = &set->out[i];
        struct stat so;
        int same = e->target && strcmp(e->target, target) == 0;
        if (!same && exists && e->kind == OUT_RENAME && stat(e->target, &so) == 0)
            same = so.st_dev == st->st_dev && so.st_ino == st->st_ino;
        if (same)
            return objr__diag_set(diag, OBJR_ERR_CONFLICT, NULL, 0, (size_t)-1,
                                  "%s: written twice in one run (also as %s): refused", path,
                                  e->path);
    }
    return OBJR_OK;
}

static objr_status check_stdout(const objr_outset *set, objr_diag *diag) {
    if (set->n_out > 0)
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "-: stdout can carry only one output, and this run writes %zu",
                              set->n_out + 1);
    if (isatty(STDOUT_FILENO))
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                              "-: stdout is a terminal: pipe it into a program or a file");
    return OBJR_OK;
}

objr_status objr_outset_check(const objr_outset *set, const char *path, objr_diag *diag) {
    if (set->spent)
        return OBJR_ERR_STATE;
    for (size_t i = 0; i < set->n_out; i++)
        if (set->out[i].kind == OUT_STDOUT)
            return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, NULL, 0, (size_t)-1,
                                  "%s: stdout (-) already carries this run's only output", path);
    if (strcmp(path, "-") == 0)
        return check_stdout(set, diag);
    char *target;
    struct stat st;
    int exists;
    out_kind kind;
    objr_status s = resolve(path, &target, &st, &exists, diag);
    if (s == OBJR_OK)
        s = check_rules(set, path, target, &st, exists, &kind, diag);
    objr__freep(&target);
    return s;
}

/* mkdir -p for the folder holding @p target; records what it created. */
static objr_status make_parents(objr_outset *set, const char *path, const char *target,
                                objr_diag *diag) {
    char *d = objr__strdup(target);
    if (!d)
        return OBJR_ERR_NOMEM;
    char *slash = strrchr(d, '/');
    objr_status s = OBJR_OK;
    if (!slash || slash == d)
        goto done;
    *slash = 0;
    for (char *p = d + 1;; p++) {
        if (*p != '/' && *p != 0)
            continue;
        char c = *p;
        *p = 0;
        if (mkdir(d, 0777) == 0) {
            char **v = objr__realloc_array(set->made_dirs, set->n_dirs + 1, sizeof *v);
            if (!v || !(v[set->n_dirs] = objr__strdup(d))) {
                if (v)
                    set->made_dirs = v;
                s = OBJR_ERR_NOMEM;
                goto done;
            }
            set->made_dirs = v;
            set->n_dirs++;
        } else {
            struct stat st;
            int err = errno;
            if (err == EEXIST && stat(d, &st) == 0 && !S_ISDIR(st.st_mode))
                err = ENOTDIR;
            if (err != EEXIST) {
                s = objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1,
                                   "%s: cannot create the folder %s: %s", path, d, strerror(err));
                goto done;
            }
        }
        *p = c;
        if (c == 0)
            break;
    }
done:
    objr__freep(&d);
    return s;
}

/* A new file "<target>.tmp-XXXXXX" created with O_EXCL (never through a planted link);
 * returns its fd, or -1 with errno set. */
static int create_temp(const char *target, char **tmp_out) {
    size_t n = strlen(target) + TEMP_SUFFIX_BYTES;
    char *tmp = objr__malloc(n);
    if (!tmp) {
        errno = ENOMEM;
        return -1;
    }
    static _Atomic uint64_t counter;
    uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 24) ^ (uint64_t)(uintptr_t)tmp ^
                    (atomic_fetch_add(&counter, 1) << 40);
    for (int attempt = 0; attempt < TEMP_NAME_ATTEMPTS; attempt++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        snprintf(tmp, n, "%s.tmp-%06x", target, (unsigned)(seed >> 40) & 0xFFFFFFu);
        /* 0666: the umask gives the file its usual mode (mkstemp would give 0600). */
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
        if (fd >= 0) {
            *tmp_out = tmp;
            return fd;
        }
        if (errno != EEXIST)
            break;
    }
    int e = errno;
    objr__freep(&tmp);
    errno = e;
    return -1;
}

static objr_status open_entry(objr_outset *set, out_entry *e, objr_diag *diag) {
    if (e->kind == OUT_STDOUT) {
        e->fp = stdout;
        return OBJR_OK;
    }
    int fd;
    if (e->kind == OUT_DIRECT)
        fd = open(e->target, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    else {
        objr_status s = make_parents(set, e->path, e->target, diag);
        if (s != OBJR_OK)
            return s;
        fd = create_temp(e->target, &e->tmp);
        if (fd >= 0)
            slot_add(e->tmp);
    }
    if (fd < 0)
        return errno == ENOMEM ? OBJR_ERR_NOMEM
                               : objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1,
                                                "%s: cannot write: %s", e->path, strerror(errno));
    if (!(e->fp = fdopen(fd, "wb"))) {
        close(fd);
        return OBJR_ERR_NOMEM;
    }
    return OBJR_OK;
}

objr_status objr_outset_open(objr_outset *set, const char *path, objr_diag *diag, FILE **fp) {
    *fp = NULL;
    objr_status s = objr_outset_check(set, path, diag);
    if (s != OBJR_OK)
        return s;
    out_entry e;
    memset(&e, 0, sizeof e);
    e.kind = OUT_STDOUT;
    if (strcmp(path, "-") != 0) {
        struct stat st;
        int exists;
        if ((s = resolve(path, &e.target, &st, &exists, diag)) != OBJR_OK ||
            (s = check_rules(set, path, e.target, &st, exists, &e.kind, diag)) != OBJR_OK) {
            objr__freep(&e.target);
            return s;
        }
    }
    out_entry *v = objr__realloc_array(set->out, set->n_out + 1, sizeof *v);
    if (!v || !(e.path = objr__strdup(path))) {
        if (v)
            set->out = v;
        objr__freep(&e.target);
        return objr__diag_set(diag, OBJR_ERR_NOMEM, NULL, 0, (size_t)-1, "%s: out of memory", path);
    }
    set->out = v;
    v[set->n_out] = e;
    out_entry *ep = &v[set->n_out++]; /* from here on, destroy cleans it up */
    if ((s = open_entry(set, ep, diag)) != OBJR_OK) {
        if (s == OBJR_ERR_NOMEM)
            objr__diag_set(diag, s, NULL, 0, (size_t)-1, "%s: out of memory", path);
        entry_free(ep);
        set->n_out--;
        return s;
    }
    *fp = ep->fp;
    return OBJR_OK;
}

static out_entry *find(const objr_outset *set, const FILE *fp) {
    for (size_t i = 0; set && fp && i < set->n_out; i++)
        if (set->out[i].fp == fp)
            return &set->out[i];
    return NULL;
}

FILE *objr__outset_find(const objr_outset *set, const char *path) {
    for (size_t i = 0; set && i < set->n_out; i++)
        if (set->out[i].path && strcmp(set->out[i].path, path) == 0)
            return set->out[i].fp;
    return NULL;
}

const char *objr__outset_temp_path(const objr_outset *set, const FILE *fp) {
    const out_entry *e = find(set, fp);
    return e ? e->tmp : NULL;
}

const char *objr__outset_path(const objr_outset *set, const FILE *fp) {
    const out_entry *e = find(set, fp);
    return e ? e->path : NULL;
}

void objr__outset_drop(objr_outset *set, FILE *fp) {
    out_entry *e = find(set, fp);
    if (!e)
        return;
    entry_free(e);
    memmove(e, e + 1, (size_t)(set->out + set->n_out - (e + 1)) * sizeof *e);
    set->n_out--;
}

/* ---- commit ---- */

/* Flush and close every stream; the data is on disk before any rename. */
static objr_status close_all(objr_outset *set, objr_diag *diag) {
    for (size_t i = 0; i < set->n_out; i++) {
        out_entry *e = &set->out[i];
        errno = 0;
        int bad = fflush(e->fp) != 0;
        if (!bad && e->kind == OUT_RENAME && fsync(fileno(e->fp)) != 0)
            bad = 1;
        if (e->kind != OUT_STDOUT)
            bad |= fclose(e->fp) != 0;
        e->fp = NULL;
        if (bad)
            return objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1, "%s: cannot write: %s",
                                  e->path, errno ? strerror(errno) : "write error");
    }
    return OBJR_OK;
}

/* Keep the file now at @p e's target reachable as another "<target>.tmp-XXXXXX" name (a hard
 * link, so the target itself never goes missing) until the commit is over. */
static objr_status keep_previous(out_entry *e, objr_diag *diag) {
    struct stat st;
    if (lstat(e->target, &st) != 0)
        return OBJR_OK; /* nothing there: a rollback removes the new file */
    if (S_ISDIR(st.st_mode))
        return objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1,
                              "%s: a folder now sits at the output's name", e->path);
    e->previous = 1;
    size_t n = strlen(e->target) + TEMP_SUFFIX_BYTES;
    if (!(e->backup = objr__malloc(n)))
        return OBJR_ERR_NOMEM;
    for (int attempt = 0; attempt < TEMP_NAME_ATTEMPTS; attempt++) {
        snprintf(e->backup, n, "%s.tmp-%06x", e->target,
                 (unsigned)(((uintptr_t)e->backup >> 4) + (unsigned)attempt * 40503u) & 0xFFFFFFu);
        if (link(e->target, e->backup) == 0) {
            slot_add(e->backup);
            return OBJR_OK;
        }
        if (errno != EEXIST)
            break;
    }
    int err = errno;
    objr__freep(&e->backup);
    if (err == EPERM || err == EOPNOTSUPP || err == EMLINK || err == EXDEV)
        return OBJR_OK; /* no hard links here (FAT, some network shares): no rollback for it */
    return objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1,
                          "%s: cannot keep the previous file while replacing it: %s", e->path,
                          strerror(err));
}

/* Put every renamed target back as it was before the commit. */
static void roll_back(objr_outset *set) {
    for (size_t i = 0; i < set->n_out; i++) {
        out_entry *e = &set->out[i];
        if (!e->renamed)
            continue;
        if (e->backup) {
            if (rename(e->backup, e->target) == 0) {
                slot_remove(e->backup);
                objr__freep(&e->backup);
            }
        } else if (!e->previous)
            unlink(e->target); /* there was no file before */
        e->renamed = 0;
    }
}

objr_status objr_outset_commit(objr_outset *set, objr_diag *diag) {
    if (set->spent)
        return OBJR_ERR_STATE;
    set->spent = 1;
    objr_status s = close_all(set, diag);
    for (size_t i = 0; s == OBJR_OK && i < set->n_out; i++)
        if (set->out[i].kind == OUT_RENAME)
            s = keep_previous(&set->out[i], diag);
    for (size_t i = 0; s == OBJR_OK && i < set->n_out; i++) {
        out_entry *e = &set->out[i];
        if (e->kind != OUT_RENAME)
            continue;
        if (do_rename(e->tmp, e->target) != 0) {
            s = objr__diag_set(diag, OBJR_ERR_IO, NULL, 0, (size_t)-1,
                               "%s: cannot put the output in place: %s", e->path, strerror(errno));
            break;
        }
        e->renamed = 1;
        slot_remove(e->tmp);
        objr__freep(&e->tmp);
    }
    if (s != OBJR_OK)
        roll_back(set);
    else
        set->committed = 1;
    for (size_t i = 0; i < set->n_out; i++) {
        out_entry *e = &set->out[i];
        if (e->backup) { /* success: the previous files go now */
            slot_remove(e->backup);
            unlink(e->backup);
            objr__freep(&e->backup);
        }
        if (e->tmp) {
            slot_remove(e->tmp);
            unlink(e->tmp);
            objr__freep(&e->tmp);
        }
    }
    return s;
}
