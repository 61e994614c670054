/* SPDX-License-Identifier: BSD-3-Clause */
/* JSON text as the library's reports write it: string literals with RFC 8259 §7 escaping and
 * numbers that are null when not finite. For programs that print the library's figures as
 * JSON next to its own reports (the tools' --json). */
#ifndef OBJR_OBJR_JSON_H
#define OBJR_OBJR_JSON_H

#include <stdio.h>

#include "objrender/objr_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Write @p s as a JSON string literal (quotes, backslashes and control characters
 *         escaped; other bytes, UTF-8 included, as they are), or null when @p s is NULL. */
OBJR_API void objr_json_write_string(FILE *f, const char *s) OBJR_NONNULL(1);

/** @brief Write @p v with @p decimals decimals (0..17), or null when @p v is not finite. */
OBJR_API void objr_json_write_number(FILE *f, double v, int decimals) OBJR_NONNULL(1);

#ifdef __cplusplus
}
#endif

#endif /* OBJR_OBJR_JSON_H */
