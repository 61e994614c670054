/* SPDX-License-Identifier: BSD-3-Clause */
/* objrender ADM documents (ITU-R BS.2076-2, S-ADM BS.2125, common definitions BS.2094-1):
 * parse, inspect, validate, merge a chna track map, and write back as ADM XML. */
#ifndef OBJR_OBJR_ADM_H
#define OBJR_OBJR_ADM_H

#include <stddef.h>
#include <stdint.h>

#include "objrender/objr_bwf.h"
#include "objrender/objr_status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @brief The XML namespace of objrender's mix.xml stem attributes: each audioTrackUID of a
 *  mix.xml names its stem with `objr:file` (a path relative to the mix.xml) and
 *  `objr:channel` (1-based channel of that file). */
#define OBJR_MIX_XML_NS "urn:objrender:mix:1"
/** @brief The prefix objrender writes for OBJR_MIX_XML_NS (readers go by the namespace). */
#define OBJR_MIX_XML_PREFIX "objr"

/** @brief A parsed, resolved ADM document. Immutable after parse except for
 *  objr_adm_apply_chna() and objr_adm_validate(); may be shared read-only between threads. */
typedef struct objr_adm objr_adm;

/** @brief Parser limits and options. Always start from objr_adm_config_default(). */
typedef struct objr_adm_config {
    size_t max_xml_bytes; /**< refuse larger documents @default 256 MiB; 0 = no limit */
    size_t max_elements;  /**< programmes+contents+objects+packs+channels+streams+tracks+UIDs
                               @default 1,000,000; 0 = no limit */
    size_t max_blocks;    /**< audioBlockFormats @default 10,000,000; 0 = no limit */
    /** Directory that relative mix.xml stem paths (objr:file) resolve against; NULL = keep
     *  them relative (objr_adm_load_file() uses the file's directory when this is NULL).
     *  Copied. @default NULL */
    const char *base_dir;
    /** 1 = every deviation that would be fixed is an error instead (pipelines that want spec
     *  purity; the tools' --strict). @default 0 */
    int strict;
} objr_adm_config;

/** @brief The defaults listed in objr_adm_config. */
OBJR_API objr_adm_config objr_adm_config_default(void);

/**
 * @brief Parse an ADM XML document from memory: roots ebuCoreMain (any or no namespace) →
 *        coreMetadata → format → audioFormatExtended, ituADM, bare audioFormatExtended, and
 *        the S-ADM frame (its transportTrackFormat gives track indices).
 *
 * References to BS.2094 common definitions that the document does not define resolve to the
 * built-in table. Never loads a DTD, entity or anything from the network; a DOCTYPE is
 * refused.
 * @param[in] xml the bytes (need not be NUL-terminated); borrowed for the call
 * @param[in] len byte count
 * @param[in] cfg limits, or NULL for the defaults
 * @param[out] out the document, or NULL on failure
 * @param[out] diag optional: on failure the first error with line and element ID
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG; OBJR_ERR_NOMEM; OBJR_ERR_XML (malformed, DOCTYPE);
 *         OBJR_ERR_ADM (missing/invalid value); OBJR_ERR_RANGE (NaN/inf, bad time);
 *         OBJR_ERR_REFERENCE (dangling reference, nesting cycle); OBJR_ERR_DUPLICATE;
 *         OBJR_ERR_LIMIT (a config limit).
 */
OBJR_API OBJR_NODISCARD objr_status objr_adm_parse_mem(const char *xml, size_t len,
                                                       const objr_adm_config *cfg, objr_adm **out,
                                                       objr_diag *diag);

/**
 * @brief objr_adm_parse_mem() on a file; diag messages name the file. Relative stem paths
 *        resolve against the file's directory unless cfg->base_dir is set. An ADM BWF (RIFF,
 *        RF64 or BW64) gives the scene of its axml chunk; link its tracks with
 *        objr_adm_apply_chna(). A large file (or axml) is read in place, not copied, and a long
 *        session's blocks are kept in a temporary file, so memory stays bounded.
 * @return as objr_adm_parse_mem(), plus OBJR_ERR_IO when the file cannot be read.
 */
OBJR_API OBJR_NODISCARD objr_status objr_adm_load_file(const char *path, const objr_adm_config *cfg,
                                                       objr_adm **out, objr_diag *diag);

/** @brief Free the document and everything it owns. NULL-safe. */
OBJR_API void objr_adm_destroy(objr_adm *adm);

/**
 * @brief Write the document as ADM XML (ebuCoreMain, ebuCore_2016 namespace). Common
 *        definitions that were only referenced are not written; mix.xml stems are.
 * @param[out] out NUL-terminated text, malloc'd: release with free()
 * @param[out] len optional: its length without the NUL
 * @return OBJR_OK, OBJR_ERR_INVALID_ARG, OBJR_ERR_NOMEM (then *out is NULL).
 */
OBJR_API OBJR_NODISCARD objr_status objr_adm_write_mem(const objr_adm *adm, char **out,
                                                       size_t *len);

/**
 * @brief The repaired document as a patch of its source text: @p xml, the text @p adm was
 *        parsed from (after objr_adm_validate(), which runs the fixes), with only the places
 *        a fix changed rewritten (block rtime/duration/interpolationLength, block values
 *        clamped to their BS.2076 ranges or wrapped, typeDefinitions, content after the root
 *        element removed); every other byte kept.
 * @param[out] out NUL-terminated text, malloc'd: release with free()
 * @param[out] len optional: its length without the NUL
 * @return OBJR_OK, OBJR_ERR_INVALID_ARG, OBJR_ERR_NOMEM, OBJR_ERR_UNSUPPORTED (a fixed kind
 *         this version repairs only through objr_adm_write_mem(), or the text does not match
 *         the document); *out is NULL on error.
 */
OBJR_API OBJR_NODISCARD objr_status objr_adm_patch_mem(const objr_adm *adm, const char *xml,
                                                       size_t xml_len, char **out, size_t *len);

/** @brief ADM type definitions (BS.2076 typeLabel values). */
typedef enum objr_adm_type {
    OBJR_ADM_TYPE_UNKNOWN = 0,
    OBJR_ADM_TYPE_DIRECT_SPEAKERS = 1,
    OBJR_ADM_TYPE_MATRIX = 2,
    OBJR_ADM_TYPE_OBJECTS = 3,
    OBJR_ADM_TYPE_HOA = 4,
    OBJR_ADM_TYPE_BINAURAL = 5,
} objr_adm_type;

/** @brief Element kinds for objr_adm_count(). */
typedef enum objr_adm_kind {
    OBJR_ADM_PROGRAMME = 0,
    OBJR_ADM_CONTENT,
    OBJR_ADM_OBJECT,
    OBJR_ADM_PACK,
    OBJR_ADM_CHANNEL,
    OBJR_ADM_STREAM,
    OBJR_ADM_TRACK,
    OBJR_ADM_TRACK_UID,
} objr_adm_kind;

/** @brief Number of elements of @p kind (including common definitions the document
 *  referenced); 0 for a NULL document. */
OBJR_API size_t objr_adm_count(const objr_adm *adm, objr_adm_kind kind);

/** Strings in the info structs are owned by the document (valid until destroy or the next
 *  objr_adm_apply_chna()); absent values are NULL; absent times are negative. */
typedef struct objr_adm_programme_info {
    const char *id, *name, *language;
    double start_s, end_s;
    size_t n_contents;
} objr_adm_programme_info;

typedef struct objr_adm_content_info {
    const char *id, *name, *language;
    size_t n_objects;
    int dialogue; /**< 0 non-dialogue, 1 dialogue, 2 mixed, -1 absent */
} objr_adm_content_info;

typedef struct objr_adm_object_info {
    const char *id, *name;
    objr_adm_type type;         /**< type of its first pack */
    double start_s, duration_s; /**< -1 when absent */
    size_t n_packs, n_track_uids, n_children;
    size_t n_blocks; /**< block formats over all channels of its (flattened) packs */
    double gain;     /**< linear */
    int mute;
} objr_adm_object_info;

typedef struct objr_adm_pack_info {
    const char *id, *name;
    objr_adm_type type;
    size_t n_channels;  /**< after flattening nested packs */
    const char *layout; /**< recognised from speaker labels ("0+5+0", "4+7+0", "7.1.2"), or NULL */
    int is_common_definition;
} objr_adm_pack_info;

typedef struct objr_adm_track_uid_info {
    const char *id;
    unsigned track_index;   /**< 1-based, 0 unknown */
    const char *channel_id; /**< resolved channel format, or NULL */
    const char *pack_id;    /**< or NULL */
    const char *stem_path;  /**< mix.xml stem (resolved path), or NULL */
    unsigned stem_channel;  /**< 1-based, 0 when no stem */
} objr_adm_track_uid_info;

/** @brief Element @p i (0-based, < objr_adm_count()). @return OBJR_OK or
 *  OBJR_ERR_INVALID_ARG (then *out is untouched). */
OBJR_API objr_status objr_adm_get_programme(const objr_adm *adm, size_t i,
                                            objr_adm_programme_info *out);
OBJR_API objr_status objr_adm_get_content(const objr_adm *adm, size_t i,
                                          objr_adm_content_info *out);
OBJR_API objr_status objr_adm_get_object(const objr_adm *adm, size_t i, objr_adm_object_info *out);
OBJR_API objr_status objr_adm_get_pack(const objr_adm *adm, size_t i, objr_adm_pack_info *out);
OBJR_API objr_status objr_adm_get_track_uid(const objr_adm *adm, size_t i,
                                            objr_adm_track_uid_info *out);

/** @brief objr_adm_ref.index of a reference that resolves to no element. */
#define OBJR_ADM_NO_INDEX ((size_t)-1)

/** @brief One reference from an element to another (a programme's content, a content's
 *  object, an object's pack, child object or track UID), in document order. Filled by the
 *  objr_adm_get_*_<child>() getters; the string is owned by the document (valid as the info
 *  structs' strings). */
typedef struct objr_adm_ref {
    const char *id; /**< the referenced ID as written in the document (never NULL) */
    /** index of the element it names, for objr_adm_get_<kind>(), or OBJR_ADM_NO_INDEX when
     *  it resolves to no element (callers skip it; the ID still names it) */
    size_t index;
} objr_adm_ref;

/**
 * @brief Reference @p k (0-based, < objr_adm_programme_info.n_contents) of programme
 *        @p programme_index: its audioContent.
 * @return OBJR_OK, or OBJR_ERR_INVALID_ARG (NULL argument or an index out of range; then
 *         *out is untouched). The same holds for the four getters below.
 */
OBJR_API objr_status objr_adm_get_programme_content(const objr_adm *adm, size_t programme_index,
                                                    size_t k, objr_adm_ref *out);
/** @brief Reference @p k (< objr_adm_content_info.n_objects) of content @p content_index:
 *  its audioObject. */
OBJR_API objr_status objr_adm_get_content_object(const objr_adm *adm, size_t content_index,
                                                 size_t k, objr_adm_ref *out);
/** @brief Reference @p k (< objr_adm_object_info.n_packs) of object @p object_index: its
 *  audioPackFormat. */
OBJR_API objr_status objr_adm_get_object_pack(const objr_adm *adm, size_t object_index, size_t k,
                                              objr_adm_ref *out);
/** @brief Reference @p k (< objr_adm_object_info.n_children) of object @p object_index: a
 *  nested audioObject. */
OBJR_API objr_status objr_adm_get_object_child(const objr_adm *adm, size_t object_index, size_t k,
                                               objr_adm_ref *out);
/** @brief Reference @p k (< objr_adm_object_info.n_track_uids) of object @p object_index:
 *  its audioTrackUID. */
OBJR_API objr_status objr_adm_get_object_track_uid(const objr_adm *adm, size_t object_index,
                                                   size_t k, objr_adm_ref *out);

/** @brief Whole-document facts. Filled by objr_adm_get_document(). */
typedef struct objr_adm_document_info {
    /** the audioFormatExtended version attribute as written ("ITU-R_BS.2076-2"), or NULL */
    const char *version;
    /** audioBlockFormats over every channel format, common definitions included */
    size_t n_blocks;
} objr_adm_document_info;

/** @brief The document's version and block count. @return OBJR_OK or OBJR_ERR_INVALID_ARG. */
OBJR_API objr_status objr_adm_get_document(const objr_adm *adm, objr_adm_document_info *out);

/** @brief Longest text objr_adm_programme_times holds in start_text / end_text, with NUL. */
#define OBJR_ADM_TIME_TEXT_SIZE 48

/** @brief A programme's start and end as written. Filled by objr_adm_get_programme_times();
 *  the texts are copies (the struct owns them). */
typedef struct objr_adm_programme_times {
    int has_start;  /**< 1 when the programme has a start attribute */
    int has_end;    /**< 1 when the programme has an end attribute */
    double start_s; /**< start in seconds; 0 when absent */
    double end_s;   /**< end in seconds; 0 when absent */
    /** the start in the form the document wrote it: a timecode "hh:mm:ss.fffff" with the
     *  written fractional digits, or a BS.2076-2 fractional time "hh:mm:ss.NNNSdddd"
     *  (exporters write the session timecode, e.g. "01:00:00.00000"); "" when absent */
    char start_text[OBJR_ADM_TIME_TEXT_SIZE];
    char end_text[OBJR_ADM_TIME_TEXT_SIZE]; /**< the end, likewise; "" when absent */
} objr_adm_programme_times;

/** @brief Start and end of programme @p i (0-based). @return OBJR_OK or
 *  OBJR_ERR_INVALID_ARG (then *out is untouched). */
OBJR_API objr_status objr_adm_get_programme_times(const objr_adm *adm, size_t i,
                                                  objr_adm_programme_times *out);

/** @brief Bits of objr_adm_loudness.present: which values the element carried. */
enum {
    OBJR_ADM_LOUDNESS_INTEGRATED = 1u << 0, /**< integratedLoudness */
    OBJR_ADM_LOUDNESS_RANGE = 1u << 1,      /**< loudnessRange */
    OBJR_ADM_LOUDNESS_TRUE_PEAK = 1u << 2,  /**< maxTruePeak */
    OBJR_ADM_LOUDNESS_MOMENTARY = 1u << 3,  /**< maxMomentary */
    OBJR_ADM_LOUDNESS_SHORT_TERM = 1u << 4, /**< maxShortTerm */
    OBJR_ADM_LOUDNESS_DIALOGUE = 1u << 5,   /**< dialogueLoudness */
};

/** @brief One loudnessMetadata element (BS.2076-2 §5.8) of a programme or content. Filled by
 *  objr_adm_get_programme_loudness() / objr_adm_get_content_loudness(); strings owned by the
 *  document, NULL when the attribute is absent; a value is meaningful only when its bit is
 *  set in @c present (else 0). */
typedef struct objr_adm_loudness {
    const char *method;          /**< loudnessMethod ("ITU-R BS.1770"), or NULL */
    const char *rec_type;        /**< loudnessRecType ("EBU R128"), or NULL */
    const char *correction_type; /**< loudnessCorrectionType ("file"), or NULL */
    double integrated_lufs;      /**< integratedLoudness, LUFS */
    double range_lu;             /**< loudnessRange, LU */
    double max_true_peak_dbtp;   /**< maxTruePeak, dBTP */
    double max_momentary_lufs;   /**< maxMomentary, LUFS */
    double max_short_term_lufs;  /**< maxShortTerm, LUFS */
    double dialogue_lufs;        /**< dialogueLoudness, LUFS */
    unsigned present;            /**< OBJR_ADM_LOUDNESS_* bits of the values written */
} objr_adm_loudness;

/** @brief Number of loudnessMetadata elements of programme @p programme_index; 0 when the
 *  document is NULL or the index is out of range. */
OBJR_API size_t objr_adm_programme_loudness_count(const objr_adm *adm, size_t programme_index);
/** @brief loudnessMetadata @p k (document order) of programme @p programme_index.
 *  @return OBJR_OK or OBJR_ERR_INVALID_ARG (then *out is untouched). */
OBJR_API objr_status objr_adm_get_programme_loudness(const objr_adm *adm, size_t programme_index,
                                                     size_t k, objr_adm_loudness *out);
/** @brief Number of loudnessMetadata elements of content @p content_index; 0 when the
 *  document is NULL or the index is out of range. */
OBJR_API size_t objr_adm_content_loudness_count(const objr_adm *adm, size_t content_index);
/** @brief loudnessMetadata @p k (document order) of content @p content_index.
 *  @return OBJR_OK or OBJR_ERR_INVALID_ARG (then *out is untouched). */
OBJR_API objr_status objr_adm_get_content_loudness(const objr_adm *adm, size_t content_index,
                                                   size_t k, objr_adm_loudness *out);

/** @brief Where an audioTrackUID of a mix.xml takes its audio (objr:file / objr:channel,
 *  OBJR_MIX_XML_NS). Filled by objr_adm_get_track_uid_stem(); strings owned by the
 *  document. */
typedef struct objr_adm_track_uid_stem {
    /** objr:file as written (relative to the mix.xml, or absolute), NULL when the UID has no
     *  stem */
    const char *file;
    /** that path resolved against the document's directory (objr_adm_config.base_dir or the
     *  loaded file's directory); equal to @c file when none is known or @c file is absolute;
     *  NULL when the UID has no stem */
    const char *path;
    unsigned channel; /**< objr:channel, 1-based (1 when only objr:file is written); 0 when no
                           stem */
} objr_adm_track_uid_stem;

/** @brief The stem of audioTrackUID @p i (0-based, < objr_adm_count(OBJR_ADM_TRACK_UID)).
 *  @return OBJR_OK (all fields NULL/0 when the UID has no stem) or OBJR_ERR_INVALID_ARG
 *  (then *out is untouched). */
OBJR_API objr_status objr_adm_get_track_uid_stem(const objr_adm *adm, size_t i,
                                                 objr_adm_track_uid_stem *out);

/** @brief XML line (1-based) where element @p i of @p kind starts in the parsed text; 0 when
 *  unknown (common definitions, elements built by a fix) or when @p adm is NULL or @p i is
 *  out of range. */
OBJR_API long objr_adm_element_line(const objr_adm *adm, objr_adm_kind kind, size_t i);

/** @brief Problem severities: the one severity model of every reader and tool. */
typedef enum objr_adm_severity {
    /** fixed: a deviation with one sensible reading (exporter rounding, a missing
     *  typeDefinition...): repaired and rendered, reported once per kind */
    OBJR_ADM_FIXED = 1,
    OBJR_ADM_WARNING = OBJR_ADM_FIXED, /**< the former name of OBJR_ADM_FIXED */
    /** error: the document cannot be rendered meaningfully (malformed XML, dangling
     *  references, cycles, a track beyond the data) */
    OBJR_ADM_ERROR = 2,
    /** note: harmless (unknown elements of a later BS.2076 version or a vendor) */
    OBJR_ADM_NOTE = 3,
} objr_adm_severity;

/** @brief One kind of problem, aggregated over the document (what tools print: one line per
 *  kind, never one per element). Strings are owned by the document and valid until the
 *  next objr_adm_validate(), objr_adm_apply_chna() or objr_adm_destroy(). */
typedef struct objr_adm_finding {
    objr_adm_severity severity;
    objr_status code;     /**< the error class (OBJR_OK for fixes and notes) */
    const char *kind;     /**< stable name: "block_overlap", "range:X", "uid_no_audio", ... */
    size_t count;         /**< occurrences */
    const char *first_id; /**< element ID of the first occurrence ("" when none) */
    long first_line;      /**< its XML line, 0 when unknown */
    double max_value;     /**< largest magnitude (seconds for timing kinds), -1 when none */
    const char *text;     /**< one line, e.g. "112 blocks overlap their successor by at most
                               10 us (exporter rounding); each block ends where the next
                               starts (first: AB_00031001_00000002, line 175)" */
} objr_adm_finding;

/** @brief Number of aggregated findings (reader, fixes and the last objr_adm_validate()). */
OBJR_API size_t objr_adm_finding_count(const objr_adm *adm);

/** @brief Finding @p i (0-based). @return OBJR_OK or OBJR_ERR_INVALID_ARG (*out untouched). */
OBJR_API objr_status objr_adm_get_finding(const objr_adm *adm, size_t i, objr_adm_finding *out);

/** @brief One problem found by the reader or by objr_adm_validate(). */
typedef struct objr_adm_problem {
    objr_adm_severity severity;
    objr_status code;       /**< the error class (OBJR_OK for plain warnings) */
    const char *element_id; /**< "" when not tied to an element */
    long line;              /**< XML line, 0 when unknown */
    const char *message;
} objr_adm_problem;

/**
 * @brief Repair what has one sensible reading (objr_adm_finding severity FIXED; errors
 *        instead with objr_adm_config.strict), then check the document and list every
 *        problem (parse findings included) with the renderer's own checks, so that a document
 *        with no error renders and one the renderer refuses has an error: dangling or
 *        wrong-kind references, pack/channel type mismatches, negative, overlapping or
 *        unordered block times, out-of-range coordinates and parameters, chna conflicts,
 *        track indices beyond the file, UIDs without track, unknown elements.
 * @param[in] n_file_channels channels of the audio file, 0 = unknown (check skipped)
 * @param[out] problems array owned by @p adm, valid until the next objr_adm_validate(),
 *             objr_adm_apply_chna() or objr_adm_destroy()
 * @param[out] n_problems its length
 * @return OBJR_OK when no problem has severity error, else the code of the first error.
 */
OBJR_API objr_status objr_adm_validate(objr_adm *adm, size_t n_file_channels,
                                       const objr_adm_problem **problems, size_t *n_problems);

/** @deprecated The chna row has one type, objr_bwf_chna_entry (objr_bwf.h): this name stays
 *  as an alias of it for this release. */
typedef objr_bwf_chna_entry objr_adm_chna_entry;

/**
 * @brief Merge a chna track map: track indices go to the audioTrackUIDs (created when the XML
 *        lacks them), references fill what the XML lacks, disagreements become problems
 *        (OBJR_ERR_CONFLICT) that objr_adm_validate() lists.
 * @return OBJR_OK; OBJR_ERR_INVALID_ARG; OBJR_ERR_NOMEM; OBJR_ERR_REFERENCE when a chna
 *         reference resolves nowhere (diag names the UID). On error the document stays
 *         usable but may be partly merged.
 */
OBJR_API OBJR_NODISCARD objr_status objr_adm_apply_chna(objr_adm *adm,
                                                        const objr_bwf_chna_entry *entries,
                                                        size_t n_entries, objr_diag *diag);

#ifdef __cplusplus
}
#endif
#endif /* OBJR_OBJR_ADM_H */
