/* SPDX-License-Identifier: BSD-3-Clause */
/* The exit-status scheme shared by every objrender command-line tool (objrender, admtool,
 * objmaster, objcheck, objdemo): the codes, the mapping from library statuses and the --help
 * paragraph that documents them. Header-only (tools/<name>.c each build one executable). */
#ifndef OBJR_TOOLS_TOOL_COMMON_H
#define OBJR_TOOLS_TOOL_COMMON_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "objrender/objr_binaural.h"
#include "objrender/objr_outfile.h"
#include "objrender/objr_status.h"

/* Scripts chain these tools, so a code means the same thing in each of them. 0-4 are failures
 * of the run itself; 5 and up are outcomes of a run that completed. */
enum {
    EXIT_OK = 0,       /* success */
    EXIT_USAGE = 1,    /* bad command line: option, value, layout/preset/render name */
    EXIT_INPUT = 2,    /* an input cannot be read or is invalid */
    EXIT_OUTPUT = 3,   /* an output cannot be written */
    EXIT_INTERNAL = 4, /* out of memory or an internal error */
    EXIT_NOT_MET = 5,  /* done, but the result misses its target (see TOOL_EXIT_HELP) */
};

/* The paragraph every tool's --help ends with (identical in all of them). */
#define TOOL_EXIT_HELP                                                                             \
    "Exit status (the same for objrender, admtool, objmaster, objcheck and objdemo):\n"            \
    "  0  success (objcheck: no check failed; warnings alone still give 0)\n"                      \
    "  1  usage error: unknown option, bad value, unknown layout, preset or render\n"              \
    "  2  input error: an input (scene, audio, stem, layout, SOFA, thresholds file) cannot\n"      \
    "     be read or is invalid; admtool validate found errors\n"                                  \
    "  3  output error: an output cannot be written (no partial file is left behind)\n"            \
    "  4  internal error or out of memory\n"                                                       \
    "  5  the run completed but its result misses the target: objmaster and objrender\n"           \
    "     --master/--adm-master: the loudness or true-peak target is unreachable (with\n"          \
    "     objmaster --keep-unreachable the file is written and the status is still 5);\n"          \
    "     objcheck: at least one check failed (the report is written)\n"                           \
    "Errors are one line on stderr naming the file and, where known, the element or offset.\n"

/* 1 when @p msg names @p path (a library message about that file). */
static inline int tool_msg_names(const char *msg, const char *path) {
    return msg && path && path[0] && strstr(msg, path) != NULL;
}

/* Exit status for a failed library call. @p output_side: the failure is about an output (the
 * message names an output and not the input, or the step only writes). Out of memory and
 * internal errors are 4 whatever the side; everything else about the inputs is 2. */
static inline int tool_exit_for_status(objr_status st, int output_side) {
    if (st == OBJR_OK)
        return EXIT_OK;
    if (st == OBJR_ERR_NOMEM || st == OBJR_ERR_INTERNAL)
        return EXIT_INTERNAL;
    if (output_side)
        return EXIT_OUTPUT;
    return EXIT_INPUT;
}

/* Exit status for a failed output-set call: an output that is also an input of the run (or
 * written twice) is a usage error (1), out of memory 4, anything else about outputs 3. */
static inline int tool_exit_for_output(objr_status st) {
    if (st == OBJR_OK)
        return EXIT_OK;
    if (st == OBJR_ERR_CONFLICT)
        return EXIT_USAGE;
    return tool_exit_for_status(st, 1);
}

/* Write @p len bytes as an output of @p set (renamed into place at commit). */
static inline objr_status tool_outset_write(objr_outset *set, const char *path, const void *data,
                                            size_t len, objr_diag *d) {
    FILE *fp;
    objr_status st = objr_outset_open(set, path, d, &fp);
    if (st == OBJR_OK && fwrite(data, 1, len, fp) != len) {
        snprintf(d->message, sizeof d->message, "%.300s: cannot write: %.100s", path,
                 strerror(errno));
        st = OBJR_ERR_IO;
    }
    return st;
}

/* --hrtf FILE (NULL: libmysofa's default set): readable, else one line naming it and 2. SOFA
 * files are untrusted and libmysofa 1.3.1 (Debian 12) can crash on some malformed ones in its
 * HDF5 parser, beyond what the library's own checks can catch: the set is loaded once in a
 * child process first, so a crash there becomes a clear error (2) instead of killing the tool.
 * Other load errors are left to the library, which reports them with detail. */
static inline int tool_check_hrtf(const char *prog, const char *path) {
    if (path && access(path, R_OK) != 0) {
        fprintf(stderr, "%s: %s: cannot read the HRTF (SOFA) file: %s\n", prog, path,
                strerror(errno));
        return EXIT_INPUT;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return EXIT_OK; /* cannot probe: the render loads (and checks) it anyway */
    if (pid == 0) {
        objr_binaural_config c = objr_binaural_config_default();
        c.hrtf_path = path;
        c.max_sources = 1;
        c.sample_rate_hz = 48000.0;
        objr_binaural *b = NULL;
        objr_status st = objr_binaural_create(&c, NULL, &b);
        objr_binaural_destroy(b);
        _exit(st == OBJR_OK ? 0 : 3); /* anything else means the child died */
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return EXIT_OK;
    if (WIFSIGNALED(status) ||
        (WIFEXITED(status) && WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 3)) {
        fprintf(stderr,
                "%s: %s: malformed SOFA file (it crashes libmysofa's HDF5 parser): refused\n", prog,
                path ? path : "/usr/share/libmysofa/default.sofa");
        return EXIT_INPUT;
    }
    return EXIT_OK;
}

#endif /* OBJR_TOOLS_TOOL_COMMON_H */
