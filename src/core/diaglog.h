/* SPDX-License-Identifier: BSD-3-Clause */
/* Diagnostics collector: the one severity model (note / fixed / error) of every reader,
 * aggregated per kind (count, first element ID and line, largest magnitude) so that tools
 * print one line per kind, never one per element. */
#ifndef OBJR_SRC_CORE_DIAGLOG_H
#define OBJR_SRC_CORE_DIAGLOG_H

#include <stddef.h>

#include "src/core/core.h"

/** Severities (the public objr_adm_severity values). */
enum {
    OBJR__SEV_FIXED = 1, /**< a deviation with one sensible reading: repaired, rendered */
    OBJR__SEV_ERROR = 2, /**< cannot be rendered meaningfully */
    OBJR__SEV_NOTE = 3,  /**< harmless (unknown vendor elements, comments) */
};

/** One kind's aggregate. */
typedef struct objr__diaglog_entry {
    const char *kind;  /**< static, stable name ("block_overlap") */
    int severity;      /**< OBJR__SEV_* */
    objr_status code;  /**< status class of the kind (OBJR_OK for notes) */
    size_t count;      /**< occurrences */
    char first_id[64]; /**< element ID of the first occurrence, "" when none */
    long first_line;   /**< its XML line, 0 when unknown */
    double max_value;  /**< largest magnitude reported (units are the kind's) */
    int has_value;
    char first_message[256]; /**< the first occurrence's own message */
    int tag;                 /**< the log's tag when the kind was first added */
} objr__diaglog_entry;

/** A growable set of entries (zero-initialise; objr__diaglog_free() releases). */
typedef struct objr__diaglog {
    objr__diaglog_entry *entries;
    size_t n, cap;
    size_t n_lost; /**< occurrences not recorded because memory ran out */
    int tag;       /**< given to new entries (a pass that re-runs drops its own tag) */
} objr__diaglog;

/**
 * Count one occurrence of @p kind (a static string). The first occurrence fixes the
 * severity, code, ID, line and message; later ones raise the count and the maximum of
 * @p value (pass a negative value when the kind has no magnitude). Never fails: when memory
 * runs out the occurrence is counted in n_lost.
 */
OBJR_HIDDEN void objr__diaglog_add(objr__diaglog *log, const char *kind, int severity,
                                   objr_status code, const char *element_id, long line,
                                   double value, const char *fmt, ...) OBJR_PRINTF(8, 9);
OBJR_HIDDEN void objr__diaglog_vadd(objr__diaglog *log, const char *kind, int severity,
                                    objr_status code, const char *element_id, long line,
                                    double value, const char *fmt, va_list ap);
/** The entry of @p kind, or NULL. */
OBJR_HIDDEN const objr__diaglog_entry *objr__diaglog_find(const objr__diaglog *log,
                                                          const char *kind);
/** Occurrences of severity @p severity (all kinds). */
OBJR_HIDDEN size_t objr__diaglog_total(const objr__diaglog *log, int severity);
/** Raise every fixed kind to an error (--strict: pipelines that want spec purity). */
OBJR_HIDDEN void objr__diaglog_make_strict(objr__diaglog *log);
/** Drop the entries added under @p tag. */
OBJR_HIDDEN void objr__diaglog_drop_tag(objr__diaglog *log, int tag);
/** Drop every entry (keeps the storage). */
OBJR_HIDDEN void objr__diaglog_reset(objr__diaglog *log);
/** Release the storage. NULL-safe. */
OBJR_HIDDEN void objr__diaglog_free(objr__diaglog *log);

#endif /* OBJR_SRC_CORE_DIAGLOG_H */
