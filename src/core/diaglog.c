/* SPDX-License-Identifier: BSD-3-Clause */
/* Diagnostics collector: occurrences aggregated per kind (see diaglog.h). */
#include "src/core/diaglog.h"

#include <stdio.h>
#include <string.h>

void objr__diaglog_vadd(objr__diaglog *log, const char *kind, int severity, objr_status code,
                        const char *element_id, long line, double value, const char *fmt,
                        va_list ap) {
    if (!log || !kind)
        return;
    for (size_t i = 0; i < log->n; i++) {
        objr__diaglog_entry *e = &log->entries[i];
        if (strcmp(e->kind, kind) != 0)
            continue;
        e->count++;
        if (value >= 0 && (!e->has_value || value > e->max_value)) {
            e->max_value = value;
            e->has_value = 1;
        }
        return;
    }
    if (log->n == log->cap) {
        size_t nc = log->cap ? 2 * log->cap : 8;
        objr__diaglog_entry *ne = objr__realloc_array(log->entries, nc, sizeof *ne);
        if (!ne) {
            log->n_lost++;
            return;
        }
        log->entries = ne;
        log->cap = nc;
    }
    objr__diaglog_entry *e = &log->entries[log->n++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->severity = severity;
    e->code = code;
    e->count = 1;
    e->tag = log->tag;
    snprintf(e->first_id, sizeof e->first_id, "%s", element_id ? element_id : "");
    e->first_line = line;
    if (value >= 0) {
        e->max_value = value;
        e->has_value = 1;
    }
    if (fmt)
        vsnprintf(e->first_message, sizeof e->first_message, fmt, ap);
    objr__one_line(e->first_message);
    objr__one_line(e->first_id);
}

void objr__diaglog_add(objr__diaglog *log, const char *kind, int severity, objr_status code,
                       const char *element_id, long line, double value, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    objr__diaglog_vadd(log, kind, severity, code, element_id, line, value, fmt, ap);
    va_end(ap);
}

const objr__diaglog_entry *objr__diaglog_find(const objr__diaglog *log, const char *kind) {
    for (size_t i = 0; log && i < log->n; i++)
        if (strcmp(log->entries[i].kind, kind) == 0)
            return &log->entries[i];
    return NULL;
}

size_t objr__diaglog_total(const objr__diaglog *log, int severity) {
    size_t n = 0;
    for (size_t i = 0; log && i < log->n; i++)
        if (log->entries[i].severity == severity)
            n += log->entries[i].count;
    return n;
}

void objr__diaglog_make_strict(objr__diaglog *log) {
    for (size_t i = 0; log && i < log->n; i++)
        if (log->entries[i].severity == OBJR__SEV_FIXED) {
            log->entries[i].severity = OBJR__SEV_ERROR;
            if (log->entries[i].code == OBJR_OK)
                log->entries[i].code = OBJR_ERR_ADM;
        }
}

void objr__diaglog_drop_tag(objr__diaglog *log, int tag) {
    size_t w = 0;
    for (size_t i = 0; log && i < log->n; i++)
        if (log->entries[i].tag != tag)
            log->entries[w++] = log->entries[i];
    if (log)
        log->n = w;
}

void objr__diaglog_reset(objr__diaglog *log) {
    if (log)
        log->n = 0;
}

void objr__diaglog_free(objr__diaglog *log) {
    if (!log)
        return;
    objr__freep(&log->entries);
    log->n = log->cap = 0;
}
