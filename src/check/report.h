/* SPDX-License-Identifier: BSD-3-Clause */
/* Translation report writers (JSON, HTML with inline SVG, text summary); the public entry
 * points are objr_check_report_write_json/_html/_summary in objr_check.h. Internal. */
#ifndef OBJR_SRC_CHECK_REPORT_H
#define OBJR_SRC_CHECK_REPORT_H

#include "src/check/checks.h"

#endif /* OBJR_SRC_CHECK_REPORT_H */
