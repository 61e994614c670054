/* SPDX-License-Identifier: BSD-3-Clause */
/* Opening any mix once (ADM BWF per ITU-R BS.2088 / EBU Tech 3285, or mix.xml + stems) into the
 * scene model and a streaming planar float track reader; the stem policy (stems stay inside the
 * mix.xml's folder tree) and the non-finite sample check live here, so every tool applies
 * them the same way. */
#include "formats/mix_source.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "formats/adm_resolve.h"
#include "formats/bwf_internal.h"
#include "formats/mix_source_internal.h"
#include "src/dsp/finite.h"

#define DEFAULT_MAX_XML_BYTES ((size_t)INT32_MAX) /* the XML reader's bound */
/* Audio shorter than the metadata by more than this is reported (exporters round times to
 * 10 us; a millisecond is far above rounding and far below a missing bar). */
#define META_DURATION_TOLERANCE_S 0.001
#define MAX_WARNINGS OBJR__MIX_MAX_WARNINGS
#define WARNING_SIZE OBJR__MIX_WARNING_SIZE

typedef objr__mix_file_state mix_file;

objr__mix_source_config objr__mix_source_config_default(void) {
    objr__mix_source_config c;
    memset(&c, 0, sizeof c);
    c.max_xml_bytes = DEFAULT_MAX_XML_BYTES;
    c.validate = 1;
    return c;
}

static void OBJR_PRINTF(2, 3) add_warning(objr__mix_source *ms, const char *fmt, ...) {
    if (ms->n_warnings == MAX_WARNINGS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ms->warnings[ms->n_warnings], WARNING_SIZE, fmt, ap);
    va_end(ap);
    objr__one_line(ms->warnings[ms->n_warnings++]);
}

/* ---- what the input is ------------------------------------------------------------------ */

typedef enum input_kind { KIND_WAVE, KIND_XML, KIND_OTHER } input_kind;

/* RIFF/RF64/BW64 magic, '<' after a byte-order mark (UTF-8 or UTF-16, either order) and white
 * space, or something else (left to the audio reader to name). */
static objr_status sniff(const char *path, input_kind *kind, objr_diag *diag) {
    struct stat sb;
    if (stat(path, &sb) != 0)
        return objr__diag_set(diag, OBJR_ERR_IO, "", 0, (size_t)-1, "%s: cannot open: %s", path,
                              strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return objr__diag_set(diag, OBJR_ERR_IO, "", 0, (size_t)-1,
                              "%s: not a regular file (a folder, FIFO or device)", path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return objr__diag_set(diag, OBJR_ERR_IO, "", 0, (size_t)-1, "%s: cannot open: %s", path,
                              strerror(errno));
    unsigned char b[64];
    size_t n = fread(b, 1, sizeof b, f);
    fclose(f);
    *kind = KIND_OTHER;
    if (n >= 12 && (!memcmp(b, "RIFF", 4) || !memcmp(b, "RF64", 4) || !memcmp(b, "BW64", 4)) &&
        !memcmp(b + 8, "WAVE", 4)) {
        *kind = KIND_WAVE;
        return OBJR_OK;
    }
    size_t i = 0, step = 1;
    if (n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        i = 3;
    else if (n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
        i = b[0] == 0xFF ? 2 : 3; /* look at the low byte of each UTF-16 unit */
        step = 2;
    }
    while (i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
        i += step;
    if (i < n && b[i] == '<')
        *kind = KIND_XML;
    return OBJR_OK;
}

static objr_status read_text_file(const char *path, size_t limit, char **out, size_t *len,
                                  objr_diag *diag) {
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return objr__diag_set(diag, OBJR_ERR_IO, "", 0, (size_t)-1, "%s: cannot open: %s", path,
                              strerror(errno));
    objr_status st = OBJR_OK;
    size_t cap = 1 << 16, n = 0;
    char *buf = objr__malloc(cap + 1);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        if (cap >= limit) {
            st = objr__diag_set(diag, OBJR_ERR_LIMIT, "", 0, (size_t)-1,
                                "%s: larger than %zu bytes", path, limit);
            break;
        }
        char *nb = objr__realloc_array(buf, 2 * cap + 1, 1);
        if (!nb)
            break;
        buf = nb;
        cap *= 2;
    }
    int read_error = ferror(f);
    fclose(f);
    if (st == OBJR_OK && buf && n < cap && read_error)
        st = objr__diag_set(diag, OBJR_ERR_IO, "", 0, (size_t)-1, "%s: read error", path);
    else if (st == OBJR_OK && (!buf || n == cap))
        st = objr__diag_set(diag, OBJR_ERR_NOMEM, "", 0, (size_t)-1, "%s: out of memory", path);
    if (st != OBJR_OK) {
        objr__freep(&buf);
        return st;
    }
    buf[n] = 0;
    *len = n;
    *out = buf;
    return OBJR_OK;
}

/* The folder of @p path ("." when it has none, "/" for a file at the root). */
static char *dir_of(const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash)
        return objr__strdup(".");
    size_t n = (size_t)(slash - path);
    char *d = objr__malloc(n + 2);
    if (!d)
        return NULL;
    memcpy(d, path, n);
    d[n] = 0;
    if (n == 0) {
        d[0] = '/';
        d[1] = 0;
    }
    return d;
}

/* ---- the scene -------------------------------------------------------------------------- */

/* Reject a model whose validation found errors (the first one is reported). */
static objr_status check_model(objr__adm_model *m, size_t n_tracks, objr_diag *diag) {
    objr__adm_validate(m, n_tracks);
    for (size_t i = 0; i < m->n_problems; i++) {
        const objr__adm_problem *p = &m->problems[i];
        if (p->severity >= 2)
            return objr__diag_set(diag, p->code != OBJR_OK ? p->code : OBJR_ERR_ADM, p->element_id,
                                  p->line, (size_t)-1, "%s", p->message);
    }
    return OBJR_OK;
}

objr_status objr__mix_source_read_scene(const char *xml, size_t len,
                                        const objr__adm_read_opts *opts, const objr__chna *chna,
                                        size_t n_tracks, int validate, objr_diag *diag,
                                        objr__adm_model **out) {
    objr_status st = objr__adm_xml_read(xml, len, opts, out, diag);
    if (st == OBJR_OK)
        objr__adm_trim_blocks(*out); /* the model lives through the render: no spare room */
    if (st != OBJR_OK)
        return st;
    if (chna && chna->n_entries && (st = objr__adm_merge_chna(*out, chna, diag)) == OBJR_OK)
        st = objr__adm_model_resolve(*out, diag);
    if (st == OBJR_OK && validate)
        st = check_model(*out, n_tracks, diag);
    if (st != OBJR_OK) {
        objr__adm_model_destroy(*out);
        *out = NULL;
    }
    return st;
}

static objr_status read_model(objr__mix_source *ms, const char *xml, size_t len,
                              const objr__filemap *map, const char *base_dir,
                              const objr__chna *chna, size_t n_tracks, objr_diag *diag) {
    objr__adm_read_opts o;
    memset(&o, 0, sizeof o);
    o.max_xml_bytes = ms->cfg.max_xml_bytes;
    o.base_dir = base_dir;
    o.file_name = ms->path;
    o.text_map = map;
    return objr__mix_source_read_scene(xml, len, &o, chna, n_tracks, ms->cfg.validate, diag,
                                       &ms->model);
}

/* A stem path stays inside the document's folder tree: relative, and no ".." component climbs
 * above the folder (BS.2076 says nothing of stems; this is objrender's mix.xml rule). */
static int stem_inside(const char *file) {
    if (file[0] == '/')
        return 0;
    long depth = 0;
    for (const char *p = file; *p;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (--depth < 0)
                return 0;
        } else if (n > 0 && !(n == 1 && p[0] == '.')) {
            depth++;
        }
        p += n + (e ? 1 : 0);
    }
    return 1;
}

static objr_status check_stem_policy(objr__mix_source *ms, objr_diag *diag) {
    if (ms->cfg.allow_external_stems)
        return OBJR_OK;
    for (size_t u = 0; u < ms->model->n_uids; u++) {
        const objr__adm_uid *x = &ms->model->uids[u];
        if (x->stem_file && !stem_inside(x->stem_file))
            return objr__diag_set(diag, OBJR_ERR_REFERENCE, x->id, x->line, (size_t)-1,
                                  "%s: line %ld: %s: stem '%s' is outside the mix.xml's folder "
                                  "(absolute or '..'); stems are read only inside it unless "
                                  "external stems are allowed (--allow-external-stems)",
                                  ms->path, x->line, x->id, x->stem_file);
    }
    return OBJR_OK;
}

static objr_status open_xml(objr__mix_source *ms, objr_diag *diag) {
    size_t len = 0;
    char *xml = NULL;
    objr__filemap map;
    int too_big = 0;
    objr__filemap_open_large(ms->path, ms->cfg.max_xml_bytes, &map, &too_big);
    objr_status st = OBJR_OK;
    if (too_big)
        st = objr__diag_set(diag, OBJR_ERR_LIMIT, "", 0, (size_t)-1, "%s: larger than %zu bytes",
                            ms->path, ms->cfg.max_xml_bytes);
    else if (map.base) {
        xml = map.data;
        len = map.len;
    } else
        st = read_text_file(ms->path, ms->cfg.max_xml_bytes, &xml, &len, diag);
    if (st != OBJR_OK)
        return st;
    /* A descriptor path (stdin spooled by a tool, a shell's <(...)) has no folder of its own:
     * its stems resolve against the working folder. */
    char *base = strncmp(ms->path, "/dev/fd/", 8) == 0 ? objr__strdup(".") : dir_of(ms->path);
    st = OBJR_ERR_NOMEM;
    if (base)
        st = read_model(ms, xml, len, map.base ? &map : NULL, base, NULL, 0, diag);
    objr__freep(&base);
    if (map.base)
        objr__filemap_close(&map);
    else
        objr__freep(&xml);
    if (st == OBJR_OK)
        st = check_stem_policy(ms, diag);
    return st;
}

/* A WAVE file whose samples objr_bwf does not decode (libsndfile reads it): ADM BWF carries
 * PCM or IEEE float only (BS.2088 §6), so its ADM chunks are not read; say which encoding. */
static objr_status refuse_encoding(objr__mix_source *ms, objr_diag *diag) {
    const char *why = objr__audio_reader_bwf_refusal(ms->main);
    return objr__diag_set(diag, OBJR_ERR_FORMAT, "fmt ", 0, (size_t)-1,
                          "%s: %s; an ADM BWF carries PCM or IEEE float samples (convert the "
                          "audio, e.g. to 24-bit PCM, keeping the chna and axml chunks)",
                          ms->path, why && *why ? why : "a WAVE encoding objr_bwf does not read");
}

static objr_status open_bwf(objr__mix_source *ms, objr_diag *diag) {
    objr_status st = objr__audio_reader_open(ms->path, diag, &ms->main);
    if (st != OBJR_OK)
        return st;
    objr__audio_info info;
    objr__audio_reader_get_info(ms->main, &info);
    const objr_bwf *bwf = objr__audio_reader_bwf(ms->main);
    if (!bwf)
        return refuse_encoding(ms, diag);
    const uint8_t *axml = NULL;
    size_t axml_len = 0;
    const objr__chna *chna = objr__bwf_chna(bwf);
    if (objr_bwf_get_axml(bwf, &axml, &axml_len) == OBJR_OK && axml) {
        st = read_model(ms, (const char *)axml, axml_len, objr__bwf_axml_map(bwf), NULL, chna,
                        info.n_channels, diag);
        /* the model holds what the text said; a long session's text is as large as its
         * blocks, so it is not kept through the render (only dbmd is read later) */
        objr__audio_reader_release_axml(ms->main);
        return st;
    }
    if (chna && chna->n_entries) {
        /* chna only (BS.2127 §6.1 "CHNA-only" mode): the tracks reference BS.2094 common
         * definitions, which the model instantiates when it resolves. */
        st = objr__adm_model_create(0, 0, &ms->model);
        if (st == OBJR_OK && (st = objr__adm_merge_chna(ms->model, chna, diag)) == OBJR_OK &&
            (st = objr__adm_model_resolve(ms->model, diag)) == OBJR_OK && ms->cfg.validate)
            st = check_model(ms->model, info.n_channels, diag);
        return st;
    }
    return objr__diag_set(diag, OBJR_ERR_FORMAT, "axml", 0, (size_t)-1,
                          "%s: no ADM metadata (neither axml nor chna chunk)", ms->path);
}

objr_status objr__mix_source_open(const char *path, const objr__mix_source_config *cfg,
                                  objr_diag *diag, objr__mix_source **out) {
    *out = NULL;
    objr__mix_source_config def = objr__mix_source_config_default();
    objr__mix_source *ms = objr__calloc(1, sizeof *ms);
    if (!ms || !(ms->path = objr__strdup(path))) {
        objr__freep(&ms);
        return objr__diag_set(diag, OBJR_ERR_NOMEM, "", 0, (size_t)-1, "out of memory");
    }
    ms->cfg = cfg ? *cfg : def;
    if (!ms->cfg.max_xml_bytes)
        ms->cfg.max_xml_bytes = DEFAULT_MAX_XML_BYTES;
    input_kind kind = KIND_OTHER;
    objr_status st = sniff(path, &kind, diag);
    if (st == OBJR_OK)
        st = kind == KIND_XML ? open_xml(ms, diag) : open_bwf(ms, diag);
    if (st != OBJR_OK) {
        objr__mix_source_destroy(ms);
        return st;
    }
    *out = ms;
    return OBJR_OK;
}

static void free_planar(float **p, size_t n) {
    if (!p)
        return;
    for (size_t i = 0; i < n; i++)
        objr__freep(&p[i]);
    objr__freep(&p);
}

static float **alloc_planar(size_t n, size_t frames) {
    float **p = objr__calloc(n ? n : 1, sizeof *p);
    if (!p)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (!(p[i] = objr__calloc(frames ? frames : 1, sizeof(float)))) {
            free_planar(p, n);
            return NULL;
        }
    return p;
}

void objr__mix_source_destroy(objr__mix_source *ms) {
    if (!ms)
        return;
    objr__mix_ahead_destroy(ms->ahead); /* first: its thread uses the readers */
    for (size_t i = 0; i < ms->n_files; i++) {
        mix_file *f = &ms->files[i];
        free_planar(f->home, f->pub.info.n_channels);
        if (f->reader != ms->main)
            objr__audio_reader_close(f->reader);
        objr__freep(&f->path_own);
        objr__freep(&f->file_own);
    }
    objr__freep(&ms->files);
    objr__freep(&ms->homes);
    objr__audio_reader_close(ms->main);
    objr__adm_model_destroy(ms->model);
    objr__freep(&ms->path);
    objr__freep(&ms);
}

const objr__adm_model *objr__mix_source_model(const objr__mix_source *ms) {
    return ms->model;
}

objr__adm_model *objr__mix_source_take_model(objr__mix_source *ms) {
    objr__adm_model *m = ms->model;
    ms->model = NULL;
    return m;
}

int objr__mix_source_is_bwf(const objr__mix_source *ms) {
    return ms->main != NULL;
}

const objr_bwf *objr__mix_source_bwf(const objr__mix_source *ms) {
    return ms->main ? objr__audio_reader_bwf(ms->main) : NULL;
}

uint32_t objr__mix_source_n_tracks(const objr__mix_source *ms) {
    if (!ms->main)
        return 0;
    objr__audio_info info;
    objr__audio_reader_get_info(ms->main, &info);
    return info.n_channels;
}

/* ---- the audio ---------------------------------------------------------------------------- */

static objr_status add_file(objr__mix_source *ms, const char *path, const char *file,
                            objr__audio_reader *reader) {
    mix_file *f = &ms->files[ms->n_files];
    memset(f, 0, sizeof *f);
    if (!(f->path_own = objr__strdup(path)) || !(f->file_own = objr__strdup(file ? file : path))) {
        objr__freep(&f->path_own);
        return OBJR_ERR_NOMEM;
    }
    f->pub.path = f->path_own;
    f->pub.file = f->file_own;
    f->reader = reader;
    objr__audio_reader_get_info(reader, &f->pub.info);
    ms->n_files++;
    return OBJR_OK;
}

static int wanted(const char *p, const char *const *paths, size_t n) {
    if (!paths)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (paths[i] && strcmp(paths[i], p) == 0)
            return 1;
    return 0;
}

static objr_status open_stem(objr__mix_source *ms, const objr__adm_uid *x, objr_diag *diag) {
    struct stat sb;
    if (stat(x->stem_path, &sb) == 0 && !S_ISREG(sb.st_mode))
        return objr__diag_set(diag, OBJR_ERR_IO, x->id, x->line, (size_t)-1,
                              "%s: stem file is not a regular file (a folder, FIFO or device)",
                              x->stem_path);
    objr__audio_reader *rd = NULL;
    objr_diag local;
    objr_diag_clear(&local);
    objr_status st = objr__audio_reader_open(x->stem_path, &local, &rd);
    if (st != OBJR_OK) /* the reader's message names the stem; the ID says which track */
        return objr__diag_set(diag, st, x->id, x->line, (size_t)-1, "%s",
                              local.message[0] ? local.message : objr_strerror(st));
    if ((st = add_file(ms, x->stem_path, x->stem_file, rd)) != OBJR_OK)
        objr__audio_reader_close(rd);
    return st;
}

static objr_status open_stems(objr__mix_source *ms, const char *const *paths, size_t n_paths,
                              objr_diag *diag) {
    const objr__adm_model *m = ms->model;
    ms->files = objr__calloc(m->n_uids ? m->n_uids : 1, sizeof *ms->files);
    if (!ms->files)
        return OBJR_ERR_NOMEM;
    for (size_t u = 0; u < m->n_uids; u++) {
        const objr__adm_uid *x = &m->uids[u];
        if (!x->stem_path || !wanted(x->stem_path, paths, n_paths))
            continue;
        mix_file *f = NULL;
        for (size_t k = 0; k < ms->n_files && !f; k++)
            if (strcmp(ms->files[k].pub.path, x->stem_path) == 0)
                f = &ms->files[k];
        objr_status st;
        if (!f) {
            if ((st = open_stem(ms, x, diag)) != OBJR_OK)
                return st;
            f = &ms->files[ms->n_files - 1];
            const uint32_t r = f->pub.info.sample_rate_hz;
            if (ms->rate && r != ms->rate && !ms->cfg.allow_mixed_rates)
                return objr__diag_set(diag, OBJR_ERR_FORMAT, "", 0, (size_t)-1,
                                      "%s: sample rate %u Hz differs from the other stems' %u Hz",
                                      f->pub.path, (unsigned)r, (unsigned)ms->rate);
            if (!ms->rate)
                ms->rate = r;
        }
        if (x->stem_channel > f->pub.n_channels_used)
            f->pub.n_channels_used = x->stem_channel;
    }
    for (size_t k = 0; k < ms->n_files; k++) {
        const objr__mix_file *f = &ms->files[k].pub;
        if (f->n_channels_used > f->info.n_channels) {
            const objr__adm_uid *x = NULL;
            for (size_t u = 0; u < m->n_uids && !x; u++)
                if (m->uids[u].stem_path && !strcmp(m->uids[u].stem_path, f->path) &&
                    m->uids[u].stem_channel > f->info.n_channels)
                    x = &m->uids[u];
            return objr__diag_set(diag, OBJR_ERR_REFERENCE, x ? x->id : "", x ? x->line : 0,
                                  (size_t)-1, "%s: channel %u requested but the stem has %u",
                                  f->path, (unsigned)f->n_channels_used,
                                  (unsigned)f->info.n_channels);
        }
    }
    if (ms->rate == 0)
        return objr__diag_set(diag, OBJR_ERR_REFERENCE, "", 0, (size_t)-1,
                              "%s: the scene points at no audio", ms->path);
    return OBJR_OK;
}

/* The scene's own idea of its length: the longest object (start + duration) or programme
 * (end - start), 0 when the metadata gives none. */
static double meta_duration_s(const objr__adm_model *m) {
    double d = 0;
    for (size_t i = 0; i < m->n_objects; i++) {
        const objr__adm_object *o = &m->objects[i];
        if (o->has_duration) {
            double e = objr__adm_time_seconds(o->duration) +
                       (o->has_start ? objr__adm_time_seconds(o->start) : 0.0);
            d = e > d ? e : d;
        }
    }
    for (size_t i = 0; i < m->n_programmes; i++) {
        const objr__adm_programme *p = &m->programmes[i];
        if (p->has_end) {
            double e = objr__adm_time_seconds(p->end) -
                       (p->has_start ? objr__adm_time_seconds(p->start) : 0.0);
            d = e > d ? e : d;
        }
    }
    return d;
}

/* Conditions that still render, one line per kind (count and first file). */
static void length_warnings(objr__mix_source *ms) {
    const double rate = ms->rate;
    size_t n_short = 0, n_wide = 0, first_short = 0, first_wide = 0;
    for (size_t k = 0; k < ms->n_files; k++) {
        const objr__mix_file *f = &ms->files[k].pub;
        if (f->info.n_frames < ms->n_frames && !n_short++)
            first_short = k;
        if (f->info.n_channels > f->n_channels_used && !n_wide++)
            first_wide = k;
    }
    if (n_short) {
        const objr__mix_file *f = &ms->files[first_short].pub;
        add_warning(ms,
                    "%s: %zu stem file%s shorter than the mix (%.3f s) and silent after %s end "
                    "(first: %s, %.3f s)",
                    ms->path, n_short, n_short == 1 ? " is" : "s are", (double)ms->n_frames / rate,
                    n_short == 1 ? "its" : "their", f->path, (double)f->info.n_frames / rate);
    }
    if (n_wide) {
        const objr__mix_file *f = &ms->files[first_wide].pub;
        add_warning(ms,
                    "%s: %s has %u channels but the mix.xml reads %u (channel %u and up are not "
                    "rendered)%s",
                    ms->path, f->path, (unsigned)f->info.n_channels, (unsigned)f->n_channels_used,
                    (unsigned)f->n_channels_used + 1,
                    n_wide > 1 ? "; other stems have unread channels too" : "");
    }
    const double meta = ms->model ? meta_duration_s(ms->model) : 0.0;
    const double audio = (double)ms->n_frames / rate;
    if (meta > audio + META_DURATION_TOLERANCE_S)
        add_warning(ms,
                    "%s: the audio lasts %.3f s but the metadata %.3f s: rendering the audio's "
                    "%.3f s",
                    ms->path, audio, meta, audio);
}

objr_status objr__mix_source_open_audio(objr__mix_source *ms, const char *const *stem_paths,
                                        size_t n_stem_paths, objr_diag *diag) {
    if (ms->files || !ms->model)
        return OBJR_ERR_INVALID_ARG;
    objr_status st;
    if (ms->main) {
        if (!(ms->files = objr__calloc(1, sizeof *ms->files)))
            return OBJR_ERR_NOMEM;
        if ((st = add_file(ms, ms->path, ms->path, ms->main)) != OBJR_OK)
            return st;
        ms->files[0].pub.n_channels_used = ms->files[0].pub.info.n_channels;
        ms->rate = ms->files[0].pub.info.sample_rate_hz;
        const objr_bwf *bwf = objr__audio_reader_bwf(ms->main);
        uint64_t missing = bwf ? objr__bwf_data_bytes_missing(bwf) : 0;
        if (missing)
            add_warning(ms,
                        "%s: the data chunk ends %llu byte%s before its declared size (the file "
                        "was cut short): rendering its %llu whole frames",
                        ms->path, (unsigned long long)missing, missing == 1 ? "" : "s",
                        (unsigned long long)ms->files[0].pub.info.n_frames);
    } else if ((st = open_stems(ms, stem_paths, n_stem_paths, diag)) != OBJR_OK) {
        return st;
    }
    for (size_t k = 0; k < ms->n_files; k++)
        if (ms->files[k].pub.info.n_frames > ms->n_frames)
            ms->n_frames = ms->files[k].pub.info.n_frames;
    length_warnings(ms);
    return OBJR_OK;
}

objr_status objr__mix_source_prepare(objr__mix_source *ms, size_t block_frames) {
    if (block_frames == 0 || ms->block_frames)
        return OBJR_ERR_INVALID_ARG;
    if (!(ms->homes = objr__calloc(ms->n_files ? ms->n_files : 1, sizeof *ms->homes)))
        return OBJR_ERR_NOMEM;
    for (size_t k = 0; k < ms->n_files; k++) {
        objr__mix_file *f = &ms->files[k].pub;
        if (!(ms->files[k].home = alloc_planar(f->info.n_channels, block_frames)))
            return OBJR_ERR_NOMEM;
        f->buf = ms->homes[k] = ms->files[k].home;
    }
    ms->block_frames = block_frames;
    return OBJR_OK;
}

uint32_t objr__mix_source_sample_rate(const objr__mix_source *ms) {
    return ms->rate;
}

uint64_t objr__mix_source_n_frames(const objr__mix_source *ms) {
    return ms->n_frames;
}

size_t objr__mix_source_file_count(const objr__mix_source *ms) {
    return ms->n_files;
}

const objr__mix_file *objr__mix_source_file(const objr__mix_source *ms, size_t i) {
    return i < ms->n_files ? &ms->files[i].pub : NULL;
}

int objr__mix_source_track_ref(const objr__mix_source *ms, uint32_t track_index,
                               const char *stem_path, uint32_t stem_channel, size_t *file,
                               uint32_t *channel) {
    if (track_index) {
        if (!ms->main || !ms->n_files || track_index > ms->files[0].pub.info.n_channels)
            return 0;
        *file = 0;
        *channel = track_index - 1;
        return 1;
    }
    if (!stem_path || stem_channel == 0)
        return 0;
    for (size_t k = 0; k < ms->n_files; k++) {
        const objr__mix_file *f = &ms->files[k].pub;
        if ((strcmp(f->path, stem_path) == 0 || strcmp(f->file, stem_path) == 0) &&
            stem_channel <= f->info.n_channels) {
            *file = k;
            *channel = stem_channel - 1;
            return 1;
        }
    }
    return 0;
}

const float *objr__mix_source_track(const objr__mix_source *ms, uint32_t track_index,
                                    const char *stem_path, uint32_t stem_channel) {
    size_t k;
    uint32_t c;
    if (!objr__mix_source_track_ref(ms, track_index, stem_path, stem_channel, &k, &c) ||
        !ms->files[k].pub.buf)
        return NULL;
    return ms->files[k].pub.buf[c];
}

objr_status objr__mix_source_seek(objr__mix_source *ms, uint64_t frame, objr_diag *diag) {
    if (ms->ahead) /* the thread owns the readers */
        return OBJR_ERR_INVALID_ARG;
    for (size_t k = 0; k < ms->n_files; k++) {
        mix_file *f = &ms->files[k];
        objr_status st;
        if (frame < f->pub.info.n_frames &&
            (st = objr__audio_reader_seek(f->reader, frame)) != OBJR_OK)
            return objr__diag_set(diag, st, "", 0, (size_t)-1, "%s: %s", f->pub.path,
                                  objr__audio_reader_last_error(f->reader));
        f->pos = frame;
    }
    return OBJR_OK;
}

static void track_name(const objr__mix_source *ms, const mix_file *f, size_t c, char *buf,
                       size_t size) {
    if (ms->main)
        snprintf(buf, size, "%s: track %zu", f->pub.path, c + 1);
    else
        snprintf(buf, size, "%s: channel %zu", f->pub.path, c + 1);
}

static objr_status check_nonfinite(const objr__mix_source *ms, const mix_file *f, float *const *buf,
                                   size_t got, objr__mix_nonfinite *nf, objr_diag *diag) {
    for (size_t c = 0; c < f->pub.info.n_channels; c++) {
        float *x = buf[c];
        size_t i = objr__find_nonfinite_f32(x, got);
        if (i == (size_t)-1)
            continue;
        char name[WARNING_SIZE / 2];
        track_name(ms, f, c, name, sizeof name);
        const uint64_t at = f->pos + i;
        const double t = (double)at / ms->rate;
        if (!ms->cfg.repair_nonfinite)
            return objr__diag_set(diag, OBJR_ERR_FORMAT, "", 0, (size_t)-1,
                                  "%s: non-finite sample (%s) at %.6f s (frame %llu); "
                                  "--repair-nonfinite replaces such samples with silence",
                                  name, isnan(x[i]) ? "NaN" : "Inf", t, (unsigned long long)at);
        if (!nf->count)
            snprintf(nf->first, sizeof nf->first, "%s at %.6f s", name, t);
        for (; i < got; i++)
            if (!isfinite(x[i])) {
                x[i] = 0.0f;
                nf->count++;
            }
    }
    return OBJR_OK;
}

void objr__mix_nonfinite_merge(objr__mix_nonfinite *into, const objr__mix_nonfinite *add) {
    if (!add->count)
        return;
    if (!into->count)
        memcpy(into->first, add->first, sizeof into->first);
    into->count += add->count;
}

objr_status objr__mix_source_read_block(objr__mix_source *ms, float *const *const *bufs,
                                        size_t n_frames, size_t pad_frames, objr__mix_nonfinite *nf,
                                        objr_diag *diag) {
    for (size_t k = 0; k < ms->n_files; k++) {
        mix_file *f = &ms->files[k];
        float *const *buf = bufs[k];
        size_t got = 0;
        objr_status st;
        if (n_frames && f->pos < f->pub.info.n_frames &&
            (st = objr__audio_reader_read_f32(f->reader, buf, n_frames, &got)) != OBJR_OK)
            return objr__diag_set(diag, st, "data", 0, (size_t)-1, "%s: %s", f->pub.path,
                                  objr__audio_reader_last_error(f->reader));
        if (f->pub.info.is_float && got &&
            (st = check_nonfinite(ms, f, buf, got, nf, diag)) != OBJR_OK)
            return st;
        for (size_t c = 0; c < f->pub.info.n_channels; c++)
            memset(buf[c] + got, 0, (pad_frames - got) * sizeof(float));
        f->pos += n_frames;
    }
    return OBJR_OK;
}

objr_status objr__mix_source_read(objr__mix_source *ms, size_t n_frames, size_t pad_frames,
                                  objr_diag *diag) {
    if (!ms->block_frames || n_frames > ms->block_frames || pad_frames > ms->block_frames)
        return OBJR_ERR_INVALID_ARG;
    if (pad_frames < n_frames)
        pad_frames = n_frames;
    if (ms->ahead)
        return objr__mix_ahead_read(ms, ms->ahead, n_frames, pad_frames, diag);
    return objr__mix_source_read_block(ms, (float *const *const *)ms->homes, n_frames, pad_frames,
                                       &ms->nonfinite, diag);
}

objr_status objr__mix_source_start_read_ahead(objr__mix_source *ms, size_t step_frames,
                                              size_t steps_per_slot, size_t n_slots,
                                              uint64_t n_frames) {
    if (ms->ahead || !ms->block_frames || step_frames == 0 || step_frames > ms->block_frames ||
        steps_per_slot == 0 || n_slots < 2 || n_slots > OBJR__MIX_AHEAD_MAX_SLOTS)
        return OBJR_ERR_INVALID_ARG;
    return objr__mix_ahead_start(ms, step_frames, steps_per_slot, n_slots, n_frames, &ms->ahead);
}

size_t objr__mix_source_warning_count(const objr__mix_source *ms) {
    return ms->n_warnings;
}

const char *objr__mix_source_warning(const objr__mix_source *ms, size_t i) {
    return i < ms->n_warnings ? ms->warnings[i] : "";
}

uint64_t objr__mix_source_nonfinite(const objr__mix_source *ms, char *buf, size_t size) {
    const objr__mix_nonfinite *nf = &ms->nonfinite;
    if (nf->count && buf && size)
        snprintf(buf, size, "%llu non-finite sample%s (NaN/Inf; first: %s)",
                 (unsigned long long)nf->count, nf->count == 1 ? "" : "s", nf->first);
    return nf->count;
}
