/* SPDX-License-Identifier: BSD-3-Clause */
/* Mastering pipeline internals shared with tools/benchmarks (file helpers). */
#ifndef OBJR_SRC_MASTER_MASTER_H
#define OBJR_SRC_MASTER_MASTER_H

#include <stdint.h>

#include "objrender/objr_master.h"
#include "src/core/core.h"

/** Channel mask equivalent of a libsndfile channel map (0 when a channel has no mask bit). */
OBJR_HIDDEN uint32_t objr__master_mask_from_sf_map(const int *map, unsigned n_channels);

/** One mastering run into @p set (the caller commits): master_one's signature. */
typedef objr_status (*objr__master_run_fn)(objr_outset *set, const objr_master_config *cfg,
                                           const char *in_path, const char *out_path,
                                           const double *fixed_gain_db, objr_master_report *report,
                                           objr_diag *diag);

/** The codec check of cfg->codec_mask on the master @p run wrote into @p set, and with
 *  cfg->codec_safe the re-masters at lower limiter ceilings (codec_check.c). report->codec is
 *  filled; OBJR_ERR_RANGE when codec_safe could not bring every decode under the ceiling
 *  (unless keep_unreachable). */
OBJR_HIDDEN objr_status objr__master_codec_safe(objr_outset *set, const objr_master_config *cfg,
                                                const char *in_path, const char *out_path,
                                                const double *fixed_gain_db,
                                                objr_master_report *report, objr__master_run_fn run,
                                                objr_diag *diag);

/** Whether cfg asks for tags to embed (embed_tags and any of title/artist/album/isrc). */
OBJR_HIDDEN int objr__master_tags_wanted(const objr_master_config *cfg);
/** Embed cfg's title/artist/album/isrc into the finished master at @p path, in place (the
 *  format from cfg->format; tags.c). @return OBJR_OK, OBJR_ERR_IO, OBJR_ERR_FORMAT. */
OBJR_HIDDEN objr_status objr__master_tags_write(const char *path, const objr_master_config *cfg,
                                                objr_diag *diag);

#endif /* OBJR_SRC_MASTER_MASTER_H */
