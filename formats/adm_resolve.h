/* SPDX-License-Identifier: BSD-3-Clause */
/* ADM reference resolution (ITU-R BS.2076-2 §5) with the BS.2094 common definitions, and the
 * chna merge (EBU Tech 3285 / BS.2088 §8). Internal; sits above formats/adm_model.h and
 * formats/adm_commondefs.h. */
#ifndef OBJR_FORMATS_ADM_RESOLVE_H
#define OBJR_FORMATS_ADM_RESOLVE_H

#include "formats/adm_model.h"
#include "formats/chna.h"
#include "objrender/objr_status.h"
#include "src/core/core.h"

/**
 * Index every element, instantiate the BS.2094 common definitions that are referenced but
 * not defined, resolve every reference, flatten packs, order objects, and check for
 * duplicate IDs, dangling references and cycles. Fills @p diag with the first error.
 * Idempotent: references already resolved are kept.
 */
OBJR_HIDDEN objr_status objr__adm_model_resolve(objr__adm_model *m, objr_diag *diag);

/**
 * Merge a chna chunk, then resolve: each entry's track index goes to its audioTrackUID
 * (created when the XML lacks it), track-format and pack references fill what the XML lacks,
 * and disagreements are recorded as problems (severity error, OBJR_ERR_CONFLICT).
 * Returns OBJR_OK, or an error when the model cannot be updated (NOMEM, a bad reference) or
 * does not resolve (objr__adm_model_resolve).
 */
OBJR_HIDDEN objr_status objr__adm_merge_chna(objr__adm_model *m, const objr__chna *chna,
                                             objr_diag *diag);

#endif /* OBJR_FORMATS_ADM_RESOLVE_H */
