/* SPDX-License-Identifier: BSD-3-Clause */
/* The ITU-R BS.2094-1 common definitions (formats/adm_commondefs.c): which IDs the built-in
 * table knows, and instantiating one (with what it references) into a model. Internal; used
 * by the reference resolution (formats/adm_resolve.c). */
#ifndef OBJR_FORMATS_ADM_COMMONDEFS_H
#define OBJR_FORMATS_ADM_COMMONDEFS_H

#include <stddef.h>
#include <stdint.h>

#include "formats/adm_model.h"
#include "objrender/objr_status.h"
#include "src/core/core.h"

/** 1 when @p id of @p kind lies in the BS.2094 range this library knows. */
OBJR_HIDDEN int objr__adm_commondefs_has(objr__adm_kind kind, const char *id);
/** Add the common-definition element @p id (and what it references) to the model. Returns
 *  its index, or -1 (unknown ID: *st = OBJR_OK; failure: *st = error). */
OBJR_HIDDEN int32_t objr__adm_commondefs_instantiate(objr__adm_model *m, objr__adm_kind kind,
                                                     const char *id, objr_status *st);
/** Number of DirectSpeakers/HOA/Binaural packs in the built-in table, and their IDs. */
OBJR_HIDDEN size_t objr__adm_commondefs_pack_count(void);
OBJR_HIDDEN const char *objr__adm_commondefs_pack_id(size_t i);

#endif /* OBJR_FORMATS_ADM_COMMONDEFS_H */
