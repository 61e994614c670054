/* SPDX-License-Identifier: BSD-3-Clause */
/* Public ADM document API (include/objrender/objr_adm.h) over the internal scene model. */
#include "formats/adm_model.h"
#include "objrender/objr_outfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/adm_resolve.h"
#include "formats/bwf_internal.h"
#include "src/core/filemap.h"

#define DEFAULT_MAX_XML_BYTES ((size_t)256 * 1024 * 1024)
#define DEFAULT_MAX_ELEMENTS ((size_t)1000000)
#define DEFAULT_MAX_BLOCKS ((size_t)10000000)

/** Text buffer of one finding. */
#define FINDING_TEXT_SIZE 400

struct objr_adm {
    objr__adm_model *m;
    objr_adm_problem *problems;
    size_t n_problems;
    char (*finding_text)[FINDING_TEXT_SIZE]; /* one per log entry, filled on demand */
    size_t n_finding_text;
    int borrowed; /* m belongs to someone else (objr__adm_view) */
};

objr_adm_config objr_adm_config_default(void) {
    objr_adm_config c;
    memset(&c, 0, sizeof c);
    c.max_xml_bytes = DEFAULT_MAX_XML_BYTES;
    c.max_elements = DEFAULT_MAX_ELEMENTS;
    c.max_blocks = DEFAULT_MAX_BLOCKS;
    return c;
}

const objr__adm_model *objr__adm_get_model(const objr_adm *adm) {
    return adm ? adm->m : NULL;
}

objr__adm_model *objr__adm_get_model_mut(objr_adm *adm) {
    return adm ? adm->m : NULL;
}

objr_status objr__adm_view(objr__adm_model *m, objr_adm **out) {
    *out = NULL;
    objr_adm *a = objr__calloc(1, sizeof *a);
    if (!a)
        return OBJR_ERR_NOMEM;
    a->m = m;
    a->borrowed = 1;
    *out = a;
    return OBJR_OK;
}

objr_status objr__adm_from_model(objr__adm_model *m, objr_adm **out) {
    *out = NULL;
    objr_adm *a = objr__calloc(1, sizeof *a);
    if (!a) {
        objr__adm_model_destroy(m);
        return OBJR_ERR_NOMEM;
    }
    a->m = m;
    *out = a;
    return OBJR_OK;
}

static objr_status parse_impl(const char *xml, size_t len, const objr__filemap *map,
                              const objr_adm_config *cfg, const char *file, const char *base_dir,
                              objr_adm **out, objr_diag *diag) {
    objr_adm_config def = objr_adm_config_default();
    if (!cfg)
        cfg = &def;
    objr__adm_read_opts o = {cfg->max_xml_bytes,
                             cfg->max_elements,
                             cfg->max_blocks,
                             cfg->base_dir ? cfg->base_dir : base_dir,
                             file,
                             map};
    objr_adm *a = objr__calloc(1, sizeof *a);
    if (!a)
        return objr__diag_set(diag, OBJR_ERR_NOMEM, "", 0, (size_t)-1, "out of memory");
    objr_status st = objr__adm_xml_read(xml, len, &o, &a->m, diag);
    if (st != OBJR_OK) {
        free(a);
        return st;
    }
    a->m->strict = cfg->strict != 0;
    *out = a;
    return OBJR_OK;
}

objr_status objr_adm_parse_mem(const char *xml, size_t len, const objr_adm_config *cfg,
                               objr_adm **out, objr_diag *diag) {
    if (!out)
        return OBJR_ERR_INVALID_ARG;
    *out = NULL;
    if (diag)
        objr_diag_clear(diag);
    if (!xml)
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, "", 0, (size_t)-1, "no XML given");
    return parse_impl(xml, len, NULL, cfg, NULL, NULL, out, diag);
}

/* The folder of @p path for stems ("." when it has none). */
static void folder_of(const char *path, char *dir, size_t n) {
    snprintf(dir, n, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(dir, n, ".");
}

/* An ADM BWF's axml, parsed through the reader's mapping of it (a long session's axml is not
 * copied); the chna is left to objr_adm_apply_chna(). */
static objr_status load_bwf_axml(const char *path, const objr_adm_config *cfg, objr_adm **out,
                                 objr_diag *diag) {
    objr_bwf *f = NULL;
    objr_status st = objr_bwf_open_file(path, NULL, diag, &f);
    if (st != OBJR_OK)
        return st;
    const uint8_t *axml = NULL;
    size_t n = 0;
    (void)objr_bwf_get_axml(f, &axml, &n);
    if (!axml)
        st = objr__diag_set(diag, OBJR_ERR_FORMAT, "axml", 0, (size_t)-1,
                            "%s: no axml chunk: a WAV file, but not an ADM BWF", path);
    else {
        char dir[4096];
        folder_of(path, dir, sizeof dir);
        st = parse_impl((const char *)axml, n, objr__bwf_axml_map(f), cfg, path, dir, out, diag);
    }
    objr_bwf_close(f);
    return st;
}

/* A large XML file mapped and parsed in place (*done 0 when it is small or cannot be mapped). */
static objr_status load_mapped(const char *path, const objr_adm_config *cfg, objr_adm **out,
                               objr_diag *diag, int *done) {
    objr__filemap map;
    int too_big = 0;
    objr__filemap_open_large(path, cfg->max_xml_bytes, &map, &too_big);
    *done = too_big || map.base;
    if (too_big)
        return objr__diag_set(diag, OBJR_ERR_LIMIT, "", 0, (size_t)-1,
                              "%s: larger than the limit of %zu bytes", path, cfg->max_xml_bytes);
    if (!map.base)
        return OBJR_OK;
    char dir[4096];
    folder_of(path, dir, sizeof dir);
    objr_status st = parse_impl(map.data, map.len, &map, cfg, path, dir, out, diag);
    objr__filemap_close(&map);
    return st;
}

/* RIFF, RF64 or BW64 with the WAVE form type. */
static int is_wave(const char *path) {
    unsigned char h[12];
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t n = fread(h, 1, sizeof h, f);
    fclose(f);
    return n == sizeof h &&
           (!memcmp(h, "RIFF", 4) || !memcmp(h, "RF64", 4) || !memcmp(h, "BW64", 4)) &&
           !memcmp(h + 8, "WAVE", 4);
}

objr_status objr_adm_load_file(const char *path, const objr_adm_config *cfg, objr_adm **out,
                               objr_diag *diag) {
    if (!out)
        return OBJR_ERR_INVALID_ARG;
    *out = NULL;
    if (diag)
        objr_diag_clear(diag);
    if (!path)
        return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, "", 0, (size_t)-1, "no path given");
    objr_adm_config def = objr_adm_config_default();
    if (!cfg)
        cfg = &def;
    objr_status in_ck = objr_input_check(path, diag);
    if (in_ck != OBJR_OK)
        return in_ck;
    if (is_wave(path))
        return load_bwf_axml(path, cfg, out, diag);
    int mapped = 0;
    objr_status mst = load_mapped(path, cfg, out, diag, &mapped);
    if (mapped)
        return mst;
    FILE *f = fopen(path, "rb");
    if (!f)
        return objr__diag_set(diag, OBJR_ERR_IO, "", 0, (size_t)-1, "%s: cannot open", path);
    char *buf = NULL;
    size_t n = 0, cap = 0;
    objr_status st = OBJR_OK;
    for (;;) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 65536;
            if (cfg->max_xml_bytes && cap > cfg->max_xml_bytes) {
                st = objr__diag_set(diag, OBJR_ERR_LIMIT, "", 0, (size_t)-1,
                                    "%s: larger than the limit of %zu bytes", path,
                                    cfg->max_xml_bytes);
                break;
            }
            char *nb = objr__realloc_array(buf, nc, 1);
            if (!nb) {
                st = objr__diag_set(diag, OBJR_ERR_NOMEM, "", 0, (size_t)-1, "out of memory");
                break;
            }
            buf = nb;
            cap = nc;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0) {
            if (ferror(f))
                st = objr__diag_set(diag, OBJR_ERR_IO, "", 0, (size_t)-1, "%s: read error", path);
            break;
        }
    }
    fclose(f);
    if (st == OBJR_OK) {
        char dir[4096];
        folder_of(path, dir, sizeof dir);
        st = parse_impl(buf, n, NULL, cfg, path, dir, out, diag);
    }
    free(buf);
    return st;
}

void objr_adm_destroy(objr_adm *adm) {
    if (!adm)
        return;
    if (!adm->borrowed)
        objr__adm_model_destroy(adm->m);
    free(adm->problems);
    free(adm->finding_text);
    free(adm);
}

objr_status objr_adm_write_mem(const objr_adm *adm, char **out, size_t *len) {
    if (!adm || !out)
        return OBJR_ERR_INVALID_ARG;
    return objr__adm_xml_write(adm->m, out, len);
}

objr_status objr_adm_patch_mem(const objr_adm *adm, const char *xml, size_t xml_len, char **out,
                               size_t *len) {
    if (out)
        *out = NULL;
    if (!adm || !adm->m || !xml || !out)
        return OBJR_ERR_INVALID_ARG;
    return objr__adm_xml_patch(adm->m, xml, xml_len, out, len);
}

size_t objr_adm_count(const objr_adm *adm, objr_adm_kind kind) {
    if (!adm)
        return 0;
    const objr__adm_model *m = adm->m;
    switch (kind) {
    case OBJR_ADM_PROGRAMME:
        return m->n_programmes;
    case OBJR_ADM_CONTENT:
        return m->n_contents;
    case OBJR_ADM_OBJECT:
        return m->n_objects;
    case OBJR_ADM_PACK:
        return m->n_packs;
    case OBJR_ADM_CHANNEL:
        return m->n_channels;
    case OBJR_ADM_STREAM:
        return m->n_streams;
    case OBJR_ADM_TRACK:
        return m->n_tracks;
    case OBJR_ADM_TRACK_UID:
        return m->n_uids;
    default:
        return 0;
    }
}

objr_status objr_adm_get_programme(const objr_adm *adm, size_t i, objr_adm_programme_info *out) {
    if (!adm || !out || i >= adm->m->n_programmes)
        return OBJR_ERR_INVALID_ARG;
    const objr__adm_programme *p = &adm->m->programmes[i];
    out->id = p->id;
    out->name = p->name;
    out->language = p->language;
    out->start_s = p->has_start ? objr__adm_time_seconds(p->start) : -1.0;
    out->end_s = p->has_end ? objr__adm_time_seconds(p->end) : -1.0;
    out->n_contents = p->contents.n;
    return OBJR_OK;
}

objr_status objr_adm_get_content(const objr_adm *adm, size_t i, objr_adm_content_info *out) {
    if (!adm || !out || i >= adm->m->n_contents)
        return OBJR_ERR_INVALID_ARG;
    const objr__adm_content *c = &adm->m->contents[i];
    out->id = c->id;
    out->name = c->name;
    out->language = c->language;
    out->n_objects = c->objects.n;
    out->dialogue = c->dialogue;
    return OBJR_OK;
}

objr_status objr_adm_get_object(const objr_adm *adm, size_t i, objr_adm_object_info *out) {
    if (!adm || !out || i >= adm->m->n_objects)
        return OBJR_ERR_INVALID_ARG;
    const objr__adm_model *m = adm->m;
    const objr__adm_object *o = &m->objects[i];
    out->id = o->id;
    out->name = o->name;
    out->type = (objr_adm_type)objr__adm_object_type(m, (int32_t)i);
    out->start_s = o->has_start ? objr__adm_time_seconds(o->start) : -1.0;
    out->duration_s = o->has_duration ? objr__adm_time_seconds(o->duration) : -1.0;
    out->n_packs = o->packs.n;
    out->n_track_uids = o->track_uids.n;
    out->n_children = o->objects.n;
    out->gain = o->gain;
    out->mute = o->mute;
    size_t nb = 0;
    for (size_t p = 0; p < o->packs.n; p++) {
        int32_t pk = o->packs.items[p].idx;
        if (pk < 0)
            continue;
        for (size_t c = 0; c < m->packs[pk].n_flat_channels; c++)
            nb += m->channels[m->packs[pk].flat_channels[c]].n_blocks;
    }
    out->n_blocks = nb;
    return OBJR_OK;
}

objr_status objr_adm_get_pack(const objr_adm *adm, size_t i, objr_adm_pack_info *out) {
    if (!adm || !out || i >= adm->m->n_packs)
        return OBJR_ERR_INVALID_ARG;
    const objr__adm_pack *p = &adm->m->packs[i];
    out->id = p->id;
    out->name = p->name;
    out->type = (objr_adm_type)p->type;
    out->n_channels = p->n_flat_channels;
    out->layout = objr__adm_pack_layout_name(adm->m, (int32_t)i);
    out->is_common_definition = p->is_common;
    return OBJR_OK;
}

objr_status objr_adm_get_track_uid(const objr_adm *adm, size_t i, objr_adm_track_uid_info *out) {
    if (!adm || !out || i >= adm->m->n_uids)
        return OBJR_ERR_INVALID_ARG;
    const objr__adm_model *m = adm->m;
    const objr__adm_uid *u = &m->uids[i];
    out->id = u->id;
    out->track_index = u->track_index;
    int32_t c = objr__adm_uid_channel(m, (int32_t)i), p = objr__adm_uid_pack(m, (int32_t)i);
    out->channel_id = c >= 0 ? m->channels[c].id : NULL;
    out->pack_id = p >= 0 ? m->packs[p].id : NULL;
    out->stem_path = u->stem_path;
    out->stem_channel = u->stem_file ? u->stem_channel : 0;
    return OBJR_OK;
}

objr_status objr_adm_validate(objr_adm *adm, size_t n_file_channels,
                              const objr_adm_problem **problems, size_t *n_problems) {
    if (!adm || !problems || !n_problems)
        return OBJR_ERR_INVALID_ARG;
    objr__adm_model *m = adm->m;
    objr__adm_validate(m, n_file_channels);
    free(adm->problems);
    adm->problems = NULL;
    adm->n_problems = 0;
    size_t n = 0;
    for (size_t i = 0; i < m->n_problems; i++)
        n += 1;
    if (n) {
        adm->problems = objr__calloc(n, sizeof *adm->problems);
        if (!adm->problems)
            return OBJR_ERR_NOMEM;
    }
    objr_status first = OBJR_OK;
    for (size_t i = 0; i < m->n_problems; i++) {
        const objr__adm_problem *p = &m->problems[i];
        objr_adm_problem *q = &adm->problems[adm->n_problems++];
        q->severity = (objr_adm_severity)p->severity;
        q->code = p->code;
        q->element_id = p->element_id;
        q->line = p->line;
        q->message = p->message;
        if (p->severity == OBJR_ADM_ERROR && first == OBJR_OK)
            first = p->code != OBJR_OK ? p->code : OBJR_ERR_ADM;
    }
    *problems = adm->problems;
    *n_problems = adm->n_problems;
    return first;
}

size_t objr_adm_finding_count(const objr_adm *adm) {
    return adm && adm->m ? adm->m->log.n : 0;
}

objr_status objr_adm_get_finding(const objr_adm *adm, size_t i, objr_adm_finding *out) {
    if (!adm || !adm->m || !out || i >= adm->m->log.n)
        return OBJR_ERR_INVALID_ARG;
    objr_adm *a = (objr_adm *)adm; /* the text cache is not part of the observable state */
    if (a->n_finding_text < a->m->log.n) {
        char(*nt)[FINDING_TEXT_SIZE] =
            objr__realloc_array(a->finding_text, a->m->log.n, sizeof *nt);
        if (!nt)
            return OBJR_ERR_NOMEM;
        a->finding_text = nt;
        a->n_finding_text = a->m->log.n;
    }
    const objr__diaglog_entry *e = &a->m->log.entries[i];
    objr__adm_finding_text(e, a->finding_text[i], FINDING_TEXT_SIZE);
    out->severity = (objr_adm_severity)e->severity;
    out->code = e->code;
    out->kind = e->kind;
    out->count = e->count;
    out->first_id = e->first_id;
    out->first_line = e->first_line;
    out->max_value = e->has_value ? e->max_value : -1.0;
    out->text = a->finding_text[i];
    return OBJR_OK;
}

objr_status objr_adm_apply_chna(objr_adm *adm, const objr_bwf_chna_entry *entries, size_t n_entries,
                                objr_diag *diag) {
    if (!adm || (!entries && n_entries))
        return OBJR_ERR_INVALID_ARG;
    if (diag)
        objr_diag_clear(diag);
    objr__chna c = {0};
    c.entries = objr__calloc(n_entries ? n_entries : 1, sizeof *c.entries);
    if (!c.entries)
        return OBJR_ERR_NOMEM;
    for (size_t i = 0; i < n_entries; i++) {
        const objr_bwf_chna_entry *e = &entries[i];
        if (!e->uid[0] || e->track_index == 0) {
            free(c.entries);
            return objr__diag_set(diag, OBJR_ERR_INVALID_ARG, e->uid, 0, (size_t)-1,
                                  "chna entry %zu: bad UID or track index", i);
        }
        objr__chna_entry *d = &c.entries[c.n_entries++];
        *d = *e;
        /* the fixed-size fields of a caller's row need not be terminated */
        d->uid[sizeof d->uid - 1] = d->track_ref[sizeof d->track_ref - 1] =
            d->pack_ref[sizeof d->pack_ref - 1] = 0;
    }
    objr_status st = objr__adm_merge_chna(adm->m, &c, diag);
    free(c.entries);
    return st;
}

/* ---------------------------------------------------------------------------------------- */
/* References, document facts, programme times, loudness, stems, lines                      */

/* Reference @p k of @p refs in public form. */
static objr_status get_ref(const objr__adm_refs *refs, size_t k, objr_adm_ref *out) {
    if (k >= refs->n)
        return OBJR_ERR_INVALID_ARG;
    const objr__adm_ref *r = &refs->items[k];
    out->id = r->id ? r->id : "";
    out->index = r->idx >= 0 ? (size_t)r->idx : OBJR_ADM_NO_INDEX;
    return OBJR_OK;
}

objr_status objr_adm_get_programme_content(const objr_adm *adm, size_t programme_index, size_t k,
                                           objr_adm_ref *out) {
    if (!adm || !out || programme_index >= adm->m->n_programmes)
        return OBJR_ERR_INVALID_ARG;
    return get_ref(&adm->m->programmes[programme_index].contents, k, out);
}

objr_status objr_adm_get_content_object(const objr_adm *adm, size_t content_index, size_t k,
                                        objr_adm_ref *out) {
    if (!adm || !out || content_index >= adm->m->n_contents)
        return OBJR_ERR_INVALID_ARG;
    return get_ref(&adm->m->contents[content_index].objects, k, out);
}

objr_status objr_adm_get_object_pack(const objr_adm *adm, size_t object_index, size_t k,
                                     objr_adm_ref *out) {
    if (!adm || !out || object_index >= adm->m->n_objects)
        return OBJR_ERR_INVALID_ARG;
    return get_ref(&adm->m->objects[object_index].packs, k, out);
}

objr_status objr_adm_get_object_child(const objr_adm *adm, size_t object_index, size_t k,
                                      objr_adm_ref *out) {
    if (!adm || !out || object_index >= adm->m->n_objects)
        return OBJR_ERR_INVALID_ARG;
    return get_ref(&adm->m->objects[object_index].objects, k, out);
}

objr_status objr_adm_get_object_track_uid(const objr_adm *adm, size_t object_index, size_t k,
                                          objr_adm_ref *out) {
    if (!adm || !out || object_index >= adm->m->n_objects)
        return OBJR_ERR_INVALID_ARG;
    return get_ref(&adm->m->objects[object_index].track_uids, k, out);
}

objr_status objr_adm_get_document(const objr_adm *adm, objr_adm_document_info *out) {
    if (!adm || !out)
        return OBJR_ERR_INVALID_ARG;
    out->version = adm->m->version;
    out->n_blocks = adm->m->n_blocks;
    return OBJR_OK;
}

objr_status objr_adm_get_programme_times(const objr_adm *adm, size_t i,
                                         objr_adm_programme_times *out) {
    if (!adm || !out || i >= adm->m->n_programmes)
        return OBJR_ERR_INVALID_ARG;
    _Static_assert(OBJR_ADM_TIME_TEXT_SIZE >= OBJR__ADM_TIME_TEXT_SIZE,
                   "public time text holds the longest formatted time");
    const objr__adm_programme *p = &adm->m->programmes[i];
    memset(out, 0, sizeof *out);
    out->has_start = p->has_start != 0;
    out->has_end = p->has_end != 0;
    if (p->has_start) {
        out->start_s = objr__adm_time_seconds(p->start);
        objr__adm_time_format(p->start, out->start_text, sizeof out->start_text);
    }
    if (p->has_end) {
        out->end_s = objr__adm_time_seconds(p->end);
        objr__adm_time_format(p->end, out->end_text, sizeof out->end_text);
    }
    return OBJR_OK;
}

/* Loudness element @p k of @p l in public form. */
static objr_status get_loudness(const objr__adm_loudness_list *l, size_t k,
                                objr_adm_loudness *out) {
    if (k >= l->n)
        return OBJR_ERR_INVALID_ARG;
    _Static_assert((unsigned)OBJR_ADM_LOUDNESS_INTEGRATED == (unsigned)OBJR__LOUD_INTEGRATED &&
                       (unsigned)OBJR_ADM_LOUDNESS_RANGE == (unsigned)OBJR__LOUD_RANGE &&
                       (unsigned)OBJR_ADM_LOUDNESS_TRUE_PEAK == (unsigned)OBJR__LOUD_TRUE_PEAK &&
                       (unsigned)OBJR_ADM_LOUDNESS_MOMENTARY == (unsigned)OBJR__LOUD_MOMENTARY &&
                       (unsigned)OBJR_ADM_LOUDNESS_SHORT_TERM == (unsigned)OBJR__LOUD_SHORT_TERM &&
                       (unsigned)OBJR_ADM_LOUDNESS_DIALOGUE == (unsigned)OBJR__LOUD_DIALOGUE,
                   "public loudness bits are the model's");
    const objr__adm_loudness *x = &l->items[k];
    memset(out, 0, sizeof *out);
    out->method = x->method;
    out->rec_type = x->rec_type;
    out->correction_type = x->correction_type;
    unsigned pr = x->present;
    out->present = pr;
    out->integrated_lufs = pr & OBJR__LOUD_INTEGRATED ? x->integrated_lufs : 0.0;
    out->range_lu = pr & OBJR__LOUD_RANGE ? x->range_lu : 0.0;
    out->max_true_peak_dbtp = pr & OBJR__LOUD_TRUE_PEAK ? x->max_true_peak_dbtp : 0.0;
    out->max_momentary_lufs = pr & OBJR__LOUD_MOMENTARY ? x->max_momentary_lufs : 0.0;
    out->max_short_term_lufs = pr & OBJR__LOUD_SHORT_TERM ? x->max_short_term_lufs : 0.0;
    out->dialogue_lufs = pr & OBJR__LOUD_DIALOGUE ? x->dialogue_lufs : 0.0;
    return OBJR_OK;
}

size_t objr_adm_programme_loudness_count(const objr_adm *adm, size_t programme_index) {
    if (!adm || programme_index >= adm->m->n_programmes)
        return 0;
    return adm->m->programmes[programme_index].loudness.n;
}

objr_status objr_adm_get_programme_loudness(const objr_adm *adm, size_t programme_index, size_t k,
                                            objr_adm_loudness *out) {
    if (!adm || !out || programme_index >= adm->m->n_programmes)
        return OBJR_ERR_INVALID_ARG;
    return get_loudness(&adm->m->programmes[programme_index].loudness, k, out);
}

size_t objr_adm_content_loudness_count(const objr_adm *adm, size_t content_index) {
    if (!adm || content_index >= adm->m->n_contents)
        return 0;
    return adm->m->contents[content_index].loudness.n;
}

objr_status objr_adm_get_content_loudness(const objr_adm *adm, size_t content_index, size_t k,
                                          objr_adm_loudness *out) {
    if (!adm || !out || content_index >= adm->m->n_contents)
        return OBJR_ERR_INVALID_ARG;
    return get_loudness(&adm->m->contents[content_index].loudness, k, out);
}

objr_status objr_adm_get_track_uid_stem(const objr_adm *adm, size_t i,
                                        objr_adm_track_uid_stem *out) {
    if (!adm || !out || i >= adm->m->n_uids)
        return OBJR_ERR_INVALID_ARG;
    const objr__adm_uid *u = &adm->m->uids[i];
    out->file = u->stem_file;
    out->path = u->stem_file ? u->stem_path : NULL;
    out->channel = u->stem_file ? u->stem_channel : 0;
    return OBJR_OK;
}

long objr_adm_element_line(const objr_adm *adm, objr_adm_kind kind, size_t i) {
    if (!adm || (unsigned)kind > (unsigned)OBJR_ADM_TRACK_UID || i >= objr_adm_count(adm, kind))
        return 0;
    _Static_assert((int)OBJR_ADM_TRACK_UID == (int)OBJR__KIND_UID &&
                       (int)OBJR_ADM_PROGRAMME == (int)OBJR__KIND_PROGRAMME,
                   "public element kinds are the model's");
    return objr__adm_element_line(adm->m, (objr__adm_kind)kind, (int32_t)i);
}
