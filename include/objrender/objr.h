/* SPDX-License-Identifier: BSD-3-Clause */
/* objrender umbrella header: include this one to get the whole public API. */
#ifndef OBJR_OBJR_H
#define OBJR_OBJR_H

#include "objrender/objr_adm.h"
#include "objrender/objr_binaural.h"
#include "objrender/objr_bwf.h"
#include "objrender/objr_check.h"
#include "objrender/objr_codec.h"
#include "objrender/objr_dbmd.h"
#include "objrender/objr_json.h"
#include "objrender/objr_layout.h"
#include "objrender/objr_limiter.h"
#include "objrender/objr_loudness.h"
#include "objrender/objr_master.h"
#include "objrender/objr_mix.h"
#include "objrender/objr_outfile.h"
#include "objrender/objr_pack.h"
#include "objrender/objr_render.h"
#include "objrender/objr_status.h"

#endif /* OBJR_OBJR_H */
