/* SPDX-License-Identifier: BSD-3-Clause */
/* The `chna` chunk (EBU Tech 3285 §7 / ITU-R BS.2088): track index -> audioTrackUID ->
 * track/channel format and pack references. Shared between the BWF reader/writer and the
 * ADM model (which merges it with the XML). */
#ifndef OBJR_FORMATS_CHNA_H
#define OBJR_FORMATS_CHNA_H

#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_bwf.h"

/** One audioID entry: the public row type (objr_bwf.h), strings NUL-terminated with trailing
 *  NUL/space padding trimmed; track_index 0 entries are dropped by the parser. */
typedef objr_bwf_chna_entry objr__chna_entry;

/** A parsed chna chunk. */
typedef struct objr__chna {
    uint16_t n_tracks_declared; /**< numTracks as written (not trusted) */
    objr__chna_entry *entries;
    size_t n_entries;
} objr__chna;

#endif /* OBJR_FORMATS_CHNA_H */
