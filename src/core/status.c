/* SPDX-License-Identifier: BSD-3-Clause */
/* Status texts, diagnostics and version: the error vocabulary shared by the library. */
#include "objrender/objr_status.h"

#include <string.h>

#include "src/core/core.h"

const char *objr_strerror(objr_status status) {
    switch (status) {
    case OBJR_OK:
        return "success";
    case OBJR_ERR_INVALID_ARG:
        return "invalid argument";
    case OBJR_ERR_NOMEM:
        return "out of memory";
    case OBJR_ERR_IO:
        return "input/output error";
    case OBJR_ERR_FORMAT:
        return "unrecognised or invalid file format";
    case OBJR_ERR_TRUNCATED:
        return "input is truncated";
    case OBJR_ERR_XML:
        return "XML is not well-formed";
    case OBJR_ERR_ADM:
        return "invalid ADM metadata";
    case OBJR_ERR_REFERENCE:
        return "dangling, cyclic or mistyped reference";
    case OBJR_ERR_DUPLICATE:
        return "duplicate ID";
    case OBJR_ERR_UNSUPPORTED:
        return "unsupported feature";
    case OBJR_ERR_LAYOUT:
        return "unknown or invalid loudspeaker layout";
    case OBJR_ERR_CONFLICT:
        return "conflicting metadata";
    case OBJR_ERR_RANGE:
        return "value out of range";
    case OBJR_ERR_LIMIT:
        return "size limit exceeded";
    case OBJR_ERR_STATE:
        return "call not valid in this state";
    case OBJR_ERR_HRTF:
        return "unusable HRTF data";
    case OBJR_ERR_INTERNAL:
        return "internal error";
    }
    return "unknown status code";
}

void objr_diag_clear(objr_diag *d) {
    if (!d)
        return;
    memset(d, 0, sizeof *d);
    d->byte_offset = (size_t)-1;
}

const char *objr_version_string(void) {
    return OBJR_VERSION_STRING;
}
