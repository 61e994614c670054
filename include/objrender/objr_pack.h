/* SPDX-License-Identifier: BSD-3-Clause */
/* Packing and unpacking mixes: a mix.xml (ADM XML, ITU-R BS.2076, whose audioTrackUIDs point
 * at stem files through the urn:objrender:mix:1 attributes) with its stems <-> one ADM BWF
 * (BW64/RF64 with chna + axml, EBU Tech 3285 s5/s7, ITU-R BS.2088). Both write through one
 * output set (objr_outfile.h): every output is in place, or none is and every file that
 * existed is as it was. */
#ifndef OBJR_OBJR_PACK_H
#define OBJR_OBJR_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_bwf.h"
#include "objrender/objr_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief Receives one warning (one line, naming the file; no newline). */
typedef void (*objr_warn_fn)(void *user, const char *message);

/** @brief Where a pack or unpack failed: the side a caller's exit status depends on. */
typedef enum objr_mix_failure {
    OBJR_MIX_FAILED_NONE = 0,
    OBJR_MIX_FAILED_INPUT = 1,      /**< an input cannot be read or is malformed */
    OBJR_MIX_FAILED_VALIDATION = 2, /**< the mix.xml reads but does not validate */
    OBJR_MIX_FAILED_OUTPUT = 3,     /**< an output cannot be written (or is an input) */
} objr_mix_failure;

/** @brief How a mix is packed. Always start from objr_mix_pack_config_default(). */
typedef struct objr_mix_pack_config {
    /** 1: the stems' own format (float32 if any stem is float, else the widest PCM);
     *  0: @c sample_format. @default 1 */
    int use_stem_format;
    /** Output sample format when use_stem_format is 0. @default OBJR_BWF_SAMPLE_PCM24 */
    objr_bwf_sample_format sample_format;
    /** As objr_mix_config: absolute stem paths and ".." escapes are refused unless 1.
     *  @default 0 */
    int allow_external_stems;
    /** Optional warning callback (stems shorter than the mix, chunks left out). @default NULL */
    objr_warn_fn warn;
    void *warn_user; /**< passed to @c warn. @default NULL */
} objr_mix_pack_config;

/** @brief The defaults listed in objr_mix_pack_config. */
OBJR_API objr_mix_pack_config objr_mix_pack_config_default(void);

/** @brief What objr_mix_pack() or objr_mix_unpack() did (a value the caller owns). */
typedef struct objr_mix_pack_result {
    size_t n_tracks;     /**< tracks of the BWF */
    size_t n_stems;      /**< stem files read (pack) or written (unpack) */
    size_t n_track_uids; /**< audioTrackUIDs, i.e. chna rows */
    uint64_t n_frames;   /**< frames per track */
    uint32_t sample_rate_hz;
    objr_mix_failure failed; /**< on error: which side failed */
} objr_mix_pack_result;

/**
 * @brief mix.xml + stems -> one ADM BWF at @p out ("-": stdout).
 *
 * The mix.xml is validated as objr_adm_load_file() + objr_adm_validate() read it (errors
 * refuse it; its stems pass the objr_mix stem policy), then streamed once: the axml is the
 * document without the mix extension (every attribute and namespace declaration of
 * urn:objrender:mix:1), serialised as libxml2 serialises a parsed document; each
 * audioTrackUID (document order) becomes a chna row whose track is its (file, channel), tracks
 * numbered in order of first appearance. Carried chunks (FOLDER/chunks/NN_<id>.bin, as
 * objr_mix_unpack() writes them) go back before `data`. Stems past their end read silence.
 * Memory: the axml text once (about the mix.xml's size) plus libxml2's reader window; no DOM
 * of the document is built.
 * @param[in] mix_xml the mix.xml path
 * @param[in] out     the output path; never one of the inputs (compared by device + inode)
 * @param[in] cfg     options, or NULL for the defaults
 * @param[out] result optional: counts, or on failure the failing side
 * @param[out] diag   optional: one line naming the file (and stem, UID, line)
 * @return OBJR_OK; OBJR_ERR_IO / OBJR_ERR_FORMAT / OBJR_ERR_XML / OBJR_ERR_ADM /
 *         OBJR_ERR_REFERENCE / OBJR_ERR_LIMIT (inputs); the validator's first error;
 *         OBJR_ERR_CONFLICT (the output is an input); OBJR_ERR_IO (output); OBJR_ERR_NOMEM.
 *         On error no output file is created or changed.
 */
OBJR_API OBJR_NODISCARD objr_status objr_mix_pack(const char *mix_xml, const char *out,
                                                  const objr_mix_pack_config *cfg,
                                                  objr_mix_pack_result *result, objr_diag *diag)
    OBJR_NONNULL(1, 2);

/**
 * @brief One ADM BWF -> DIR/mix.xml + DIR/stems/track_NNN.wav (one mono stem per track that a
 *        chna row uses, in the source's sample format; PCM8 becomes PCM16, float64 float32)
 *        + DIR/chunks/NN_<id>.bin (every chunk other than fmt/data/ds64/fact/padding/chna/axml,
 *        byte for byte, in file order).
 *
 * Each chna row is linked in the mix.xml: its audioTrackUID (added when the axml lacks it)
 * gets the missing track/pack references and objr:file/objr:channel; linked elements are put
 * in track order, so that objr_mix_pack() gives the same tracks back. Everything is renamed
 * into place together; chunk files an earlier unpack left in DIR/chunks are then removed.
 * Memory: the axml chunk (bounded by the BWF reader's chunk limit) and its DOM.
 * @param[in] cfg only @c warn and @c warn_user are used; NULL for none
 * @return as objr_mix_pack() (OBJR_ERR_FORMAT: no axml, no chna, a chna track beyond the
 *         file's channels).
 */
OBJR_API OBJR_NODISCARD objr_status objr_mix_unpack(const char *bwf, const char *dir,
                                                    const objr_mix_pack_config *cfg,
                                                    objr_mix_pack_result *result, objr_diag *diag)
    OBJR_NONNULL(1, 2);

#ifdef __cplusplus
}
#endif
#endif /* OBJR_OBJR_PACK_H */
