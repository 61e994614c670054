/* SPDX-License-Identifier: BSD-3-Clause */
/* One ADM BWF (ITU-R BS.2088; chna + axml, EBU Tech 3285 s5/s7) -> mix.xml + one mono stem
 * per track + the other chunks as files: the inverse of objr_mix_pack(). The axml (at most
 * 256 MiB) is edited as a libxml2 DOM: each chna row's link is written
 * into its audioTrackUID, so that the mix.xml alone carries every link. */
#include "objrender/objr_pack.h"

#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "formats/adm_model.h"
#include "formats/mix_pack_internal.h"
#include "objrender/objr_adm.h"
#include "objrender/objr_outfile.h"

#define MIX_NS OBJR_MIX_XML_NS
#define MIX_PREFIX OBJR_MIX_XML_PREFIX
#define STEM_NAME "stems/track_%03u.wav"

typedef struct node_list {
    xmlNodePtr *v;
    size_t n, cap;
} node_list;

typedef struct unpack_job {
    const char *in, *outdir;
    const objr_mix_pack_config *cfg;
    objr_diag *d;
    objr_mix_failure failed;
    objr_bwf *f;
    objr_bwf_format fmt;
    xmlDocPtr doc;
    xmlNodePtr root, afe;
    node_list uids;
    objr_bwf_chna_entry *chna;
    size_t n_chna, n_stems;
    objr_bwf_writer **w;
    char (*stem_paths)[4096];
    objr_outset *outs; /* stems, chunk files and mix.xml: all in place, or none */
    float *buf;
    float **ch;
    xmlChar *xml_out;
} unpack_job;

static objr_status fail(unpack_job *j, objr_mix_failure side, objr_status st, const char *fmt, ...)
    OBJR_PRINTF(4, 5);
static objr_status fail(unpack_job *j, objr_mix_failure side, objr_status st, const char *fmt,
                        ...) {
    va_list ap;
    va_start(ap, fmt);
    st = objr__pack_vfail(j->d, &j->failed, side, st, fmt, ap);
    va_end(ap);
    return st;
}

static objr_status nomem(unpack_job *j) {
    return fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_NOMEM, "%s: out of memory", j->in);
}

static objr_status side_fail(unpack_job *j, objr_mix_failure side, objr_status st,
                             const char *path) {
    j->failed = side;
    return objr__pack_prefix(j->d, st, path);
}

/* -- DOM helpers (libxml2, never loading DTDs or anything from the network) --------------- */

static int is_el(const xmlNode *n, const char *name) {
    return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static int nl_push(node_list *l, xmlNodePtr p) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        xmlNodePtr *v = objr__realloc_array(l->v, cap, sizeof *v);
        if (!v)
            return 0;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = p;
    return 1;
}

/* Every element called @p name (any namespace) in document order. */
static int collect(xmlNodePtr n, const char *name, node_list *out) {
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is_el(n, name)) {
            if (!nl_push(out, n))
                return 0;
        } else if (!collect(n->children, name, out)) {
            return 0;
        }
    }
    return 1;
}

static xmlNodePtr first_child(xmlNodePtr n, const char *name) {
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (is_el(c, name))
            return c;
    return NULL;
}

static xmlNodePtr find_afe(xmlNodePtr n) {
    for (; n; n = n->next) {
        if (is_el(n, "audioFormatExtended"))
            return n;
        if (n->type == XML_ELEMENT_NODE) {
            xmlNodePtr r = find_afe(n->children);
            if (r)
                return r;
        }
    }
    return NULL;
}

/* The largest axml unpack edits: a DOM takes several times its text (the renderers and admtool
 * read longer ones in place, not as a DOM). */
#define MAX_DOM_AXML_BYTES ((size_t)256 << 20)

static objr_status parse_axml(unpack_job *j, const uint8_t *buf, size_t len) {
    if (len > MAX_DOM_AXML_BYTES)
        return fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_LIMIT,
                    "%s: axml of %zu bytes: unpack edits at most %zu bytes of it (it is held "
                    "whole to be edited)",
                    j->in, len, MAX_DOM_AXML_BYTES);
    xmlResetLastError();
    j->doc = xmlReadMemory((const char *)buf, (int)len, j->in, NULL,
                           XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!j->doc) {
        const xmlError *e = xmlGetLastError();
        if (e && e->code == XML_ERR_NO_MEMORY)
            return nomem(j);
        if (e && e->message) {
            size_t m = strlen(e->message);
            while (m > 0 && (e->message[m - 1] == '\n' || e->message[m - 1] == ' '))
                m--;
            return fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_XML, "%s: line %d: malformed XML: %.*s",
                        j->in, e->line, (int)m, e->message);
        }
        return fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_XML, "%s: malformed XML", j->in);
    }
    if (j->doc->intSubset || j->doc->extSubset)
        return fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_XML,
                    "%s: a DOCTYPE is not allowed in ADM XML", j->in);
    j->root = xmlDocGetRootElement(j->doc);
    if (!(j->afe = find_afe(j->root)))
        return fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_ADM,
                    "%s: axml: no audioFormatExtended element", j->in);
    return collect(j->root, "audioTrackUID", &j->uids) ? OBJR_OK : nomem(j);
}

/* 1. The BWF: its axml as a DOM (with its audioFormatExtended) and its chna rows. */
static objr_status read_bwf(unpack_job *j) {
    objr_status st = objr_bwf_open_file(j->in, NULL, j->d, &j->f);
    if (st != OBJR_OK)
        return side_fail(j, OBJR_MIX_FAILED_INPUT, st, j->in);
    if (objr_outset_create(&j->outs) != OBJR_OK)
        return nomem(j);
    if ((st = objr_outset_add_input(j->outs, j->in, j->d)) != OBJR_OK)
        return side_fail(j, OBJR_MIX_FAILED_INPUT, st, j->in);
    (void)objr_bwf_get_format(j->f, &j->fmt);
    const uint8_t *axml = NULL;
    size_t axml_len = 0;
    (void)objr_bwf_get_axml(j->f, &axml, &axml_len);
    j->n_chna = objr_bwf_chna_count(j->f);
    if (!axml)
        return fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_FORMAT,
                    "%s: no axml chunk: not an ADM BWF file", j->in);
    if (j->n_chna == 0)
        return fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_FORMAT,
                    "%s: no chna chunk (or no track in it): the tracks cannot be linked to the "
                    "ADM metadata",
                    j->in);
    if ((st = parse_axml(j, axml, axml_len)) != OBJR_OK)
        return st;
    if (!(j->chna = objr__calloc(j->n_chna, sizeof *j->chna)))
        return nomem(j);
    for (size_t k = 0; k < j->n_chna; k++) {
        (void)objr_bwf_get_chna_entry(j->f, k, &j->chna[k]);
        if (j->chna[k].track_index > j->fmt.n_channels)
            return fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_FORMAT,
                        "%s: chna entry %zu (%s): track %u but the file has %u channels", j->in,
                        k + 1, j->chna[k].uid, j->chna[k].track_index, j->fmt.n_channels);
    }
    return OBJR_OK;
}

static int uid_is(xmlNodePtr n, const char *uid) {
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)"UID");
    int same = v && !strcmp((const char *)v, uid);
    if (v)
        xmlFree(v);
    return same;
}

/* Link chna row @p k (track @p t) to its audioTrackUID element, adding the element or its
 * refs where the XML lacks them, and the stem attributes; 0 when out of memory. */
static int link_row(unpack_job *j, size_t k, uint32_t t, xmlNsPtr ns, node_list *ordered) {
    const objr_bwf_chna_entry *e = &j->chna[k];
    xmlNodePtr n = NULL;
    for (size_t u = 0; u < j->uids.n && !n; u++)
        if (uid_is(j->uids.v[u], e->uid))
            n = j->uids.v[u];
    if (!n) {
        n = xmlNewChild(j->afe, j->afe->ns, (const xmlChar *)"audioTrackUID", NULL);
        if (!n || !xmlNewProp(n, (const xmlChar *)"UID", (const xmlChar *)e->uid))
            return 0;
    }
    int has_tf =
        first_child(n, "audioTrackFormatIDRef") || first_child(n, "audioChannelFormatIDRef");
    if (!has_tf && e->track_ref[0]) {
        int is_ac = !strncmp(e->track_ref, "AC_", 3);
        char ref[16];
        snprintf(ref, sizeof ref, "%.*s", is_ac ? 11 : 14, e->track_ref);
        if (!xmlNewChild(
                n, n->ns,
                (const xmlChar *)(is_ac ? "audioChannelFormatIDRef" : "audioTrackFormatIDRef"),
                (const xmlChar *)ref))
            return 0;
    }
    if (!first_child(n, "audioPackFormatIDRef") && e->pack_ref[0] &&
        !xmlNewChild(n, n->ns, (const xmlChar *)"audioPackFormatIDRef",
                     (const xmlChar *)e->pack_ref))
        return 0;
    char file[64];
    snprintf(file, sizeof file, STEM_NAME, t);
    if (!xmlSetNsProp(n, ns, (const xmlChar *)"file", (const xmlChar *)file) ||
        !xmlSetNsProp(n, ns, (const xmlChar *)"channel", (const xmlChar *)"1"))
        return 0;
    for (size_t o = 0; o < ordered->n; o++)
        if (ordered->v[o] == n)
            return 1;
    return nl_push(ordered, n);
}

/* Move the linked elements into track order (document order) unless they are already. */
static int reorder(unpack_job *j, const node_list *ordered) {
    node_list now = {0};
    if (!collect(j->root, "audioTrackUID", &now)) {
        objr__freep(&now.v);
        return 0;
    }
    size_t o = 0;
    for (size_t u = 0; u < now.n && o < ordered->n; u++)
        if (now.v[u] == ordered->v[o])
            o++;
    objr__freep(&now.v);
    for (size_t k = 0; o != ordered->n && k < ordered->n; k++) {
        xmlNodePtr n = ordered->v[k], parent = n->parent;
        xmlUnlinkNode(n);
        xmlAddChild(parent, n);
    }
    return 1;
}

static int track_used(const unpack_job *j, uint32_t t) {
    for (size_t k = 0; k < j->n_chna; k++)
        if (j->chna[k].track_index == t)
            return 1;
    return 0;
}

/* 2. Link each chna row to its audioTrackUID element, then put the elements in track order
 * so that pack gives the tracks back in the same order. */
static objr_status link_rows(unpack_job *j) {
    xmlNsPtr ns = xmlSearchNsByHref(j->doc, j->root, (const xmlChar *)MIX_NS);
    if (!ns)
        ns = xmlNewNs(j->root, (const xmlChar *)MIX_NS, (const xmlChar *)MIX_PREFIX);
    if (!ns)
        return nomem(j);
    node_list ordered = {0};
    int ok = 1;
    for (uint32_t t = 1; ok && t <= j->fmt.n_channels; t++)
        for (size_t k = 0; ok && k < j->n_chna; k++)
            if (j->chna[k].track_index == t)
                ok = link_row(j, k, t, ns, &ordered);
    if (ok)
        ok = reorder(j, &ordered);
    objr__freep(&ordered.v);
    if (!ok)
        return nomem(j);
    for (uint32_t t = 1; t <= j->fmt.n_channels; t++)
        if (!track_used(j, t))
            objr__pack_warn(j->cfg,
                            "%s: track %u has no chna entry: it is not part of the mix and is "
                            "not unpacked",
                            j->in, t);
    return OBJR_OK;
}

static objr_bwf_sample_format stem_format(const objr_bwf_format *f) {
    switch (f->sample_format) {
    case OBJR_BWF_SAMPLE_PCM8:
    case OBJR_BWF_SAMPLE_PCM16:
        return OBJR_BWF_SAMPLE_PCM16;
    case OBJR_BWF_SAMPLE_PCM24:
        return OBJR_BWF_SAMPLE_PCM24;
    case OBJR_BWF_SAMPLE_PCM32:
        return OBJR_BWF_SAMPLE_PCM32;
    default:
        return OBJR_BWF_SAMPLE_FLOAT32;
    }
}

/* 3. One mono stem writer per used track (folders are created as needed; outputs resolving
 * to the input are refused before any is written). */
static objr_status open_stems(unpack_job *j) {
    const uint32_t nc = j->fmt.n_channels;
    const size_t B = OBJR__PACK_BLOCK_FRAMES;
    j->w = objr__calloc(nc, sizeof *j->w);
    j->stem_paths = objr__calloc(nc, sizeof *j->stem_paths);
    j->buf = objr__calloc((size_t)nc * B, sizeof(float));
    j->ch = objr__calloc(nc, sizeof(float *));
    if (!j->w || !j->stem_paths || !j->buf || !j->ch)
        return nomem(j);
    for (uint32_t c = 0; c < nc; c++)
        j->ch[c] = j->buf + (size_t)c * B;
    for (uint32_t t = 1; t <= nc; t++) {
        if (!track_used(j, t))
            continue;
        char rel[64];
        snprintf(rel, sizeof rel, STEM_NAME, t);
        if (!objr__pack_join(j->stem_paths[t - 1], sizeof j->stem_paths[0], j->outdir, rel))
            return fail(j, OBJR_MIX_FAILED_OUTPUT, OBJR_ERR_IO, "%s: path too long", j->outdir);
        objr_bwf_writer_config cfg = objr_bwf_writer_config_default();
        cfg.n_channels = 1;
        cfg.sample_rate_hz = j->fmt.sample_rate_hz;
        cfg.sample_format = stem_format(&j->fmt);
        objr_status st =
            objr_bwf_writer_create_in(j->outs, j->stem_paths[t - 1], &cfg, j->d, &j->w[t - 1]);
        if (st != OBJR_OK)
            return side_fail(j, OBJR_MIX_FAILED_OUTPUT, st, j->stem_paths[t - 1]);
        j->n_stems++;
    }
    return OBJR_OK;
}

/* 4. Copy every track into its stem, then finish the stems (put in place with the mix.xml). */
static objr_status copy_tracks(unpack_job *j) {
    const uint32_t nc = j->fmt.n_channels;
    for (;;) {
        size_t got = 0;
        objr_status st = objr_bwf_read_f32(j->f, j->ch, OBJR__PACK_BLOCK_FRAMES, &got);
        if (st != OBJR_OK)
            return fail(j, OBJR_MIX_FAILED_INPUT, st, "%s: %s", j->in, objr_bwf_last_error(j->f));
        if (got == 0)
            break;
        for (uint32_t c = 0; c < nc; c++)
            if (j->w[c] && (st = objr_bwf_writer_write_f32(j->w[c], (const float *const *)&j->ch[c],
                                                           got)) != OBJR_OK)
                return fail(j, OBJR_MIX_FAILED_OUTPUT, st, "%s: %s", j->stem_paths[c],
                            objr_bwf_writer_last_error(j->w[c]));
    }
    for (uint32_t c = 0; c < nc; c++) {
        if (!j->w[c])
            continue;
        objr_status st = objr_bwf_writer_close(j->w[c], j->d);
        j->w[c] = NULL;
        if (st != OBJR_OK)
            return side_fail(j, OBJR_MIX_FAILED_OUTPUT, st, j->stem_paths[c]);
    }
    return OBJR_OK;
}

/* Write @p len bytes as an output of the set. */
static objr_status write_output(unpack_job *j, const char *path, const void *data, size_t len) {
    FILE *fp;
    objr_status st = objr_outset_open(j->outs, path, j->d, &fp);
    if (st == OBJR_OK && fwrite(data, 1, len, fp) != len)
        st = objr__diag_set(j->d, OBJR_ERR_IO, "", 0, (size_t)-1, "%s: cannot write", path);
    return st;
}

/* The carried chunks as files, in file order; @p ids gets the id written as each number
 * (1-based), *n_written how many. */
static objr_status write_chunks(unpack_job *j, char (*ids)[4], unsigned *n_written) {
    char path[4096];
    unsigned k = 0;
    for (size_t i = 0; i < objr_bwf_chunk_count(j->f); i++) {
        objr_bwf_chunk c;
        if (objr_bwf_get_chunk(j->f, i, &c) != OBJR_OK || !objr__pack_is_carried_chunk(c.id))
            continue;
        if (!c.data) {
            objr__pack_warn(j->cfg, "%s: %s chunk (%llu bytes) too large to carry over, left out",
                            j->in, c.id, (unsigned long long)c.size);
            continue;
        }
        if (k >= OBJR__PACK_MAX_CHUNKS) {
            objr__pack_warn(j->cfg, "%s: more than %d other chunks, the rest left out", j->in,
                            OBJR__PACK_MAX_CHUNKS);
            break;
        }
        if (!objr__pack_chunk_file_name(path, sizeof path, ++k, c.id, j->outdir))
            return fail(j, OBJR_MIX_FAILED_OUTPUT, OBJR_ERR_IO, "%s: path too long", j->outdir);
        memcpy(ids[k - 1], c.id, 4);
        objr_status st = write_output(j, path, c.data, (size_t)c.size);
        if (st != OBJR_OK)
            return side_fail(j, OBJR_MIX_FAILED_OUTPUT, st, path);
    }
    *n_written = k;
    return OBJR_OK;
}

/* After the commit: remove the chunk files an earlier unpack left that this one did not
 * write, so that pack does not pick up stale chunks. */
static void remove_stale_chunks(const char *outdir, char (*ids)[4], unsigned n_written) {
    char dir[4096], old[4096];
    if (!objr__pack_join(dir, sizeof dir, outdir, OBJR__PACK_CHUNKS_DIR))
        return;
    DIR *dp = opendir(dir);
    for (struct dirent *e; dp && (e = readdir(dp));) {
        unsigned kk;
        char id[4];
        if (objr__pack_parse_chunk_file_name(e->d_name, &kk, id) &&
            (kk == 0 || kk > n_written || memcmp(id, ids[kk - 1], 4) != 0) &&
            objr__pack_join(old, sizeof old, dir, e->d_name))
            remove(old);
    }
    if (dp)
        closedir(dp);
}

/* 5. The chunk files and the mix.xml, then everything into place together (a failure before
 * leaves a previous unpack in that folder as it was). */
static objr_status write_xml(unpack_job *j) {
    char path[4096];
    int xml_len = 0;
    xmlDocDumpMemoryEnc(j->doc, &j->xml_out, &xml_len, "UTF-8");
    if (!j->xml_out)
        return nomem(j);
    char ids[OBJR__PACK_MAX_CHUNKS][4];
    unsigned n_chunks = 0;
    objr_status st = write_chunks(j, ids, &n_chunks);
    if (st != OBJR_OK)
        return st;
    if (!objr__pack_join(path, sizeof path, j->outdir, "mix.xml"))
        return fail(j, OBJR_MIX_FAILED_OUTPUT, OBJR_ERR_IO, "%s: path too long", j->outdir);
    st = write_output(j, path, j->xml_out, (size_t)xml_len);
    if (st == OBJR_OK)
        st = objr_outset_commit(j->outs, j->d);
    if (st != OBJR_OK)
        return side_fail(j, OBJR_MIX_FAILED_OUTPUT, st, path);
    remove_stale_chunks(j->outdir, ids, n_chunks);
    return OBJR_OK;
}

static void job_free(unpack_job *j) {
    for (uint32_t c = 0; j->w && c < j->fmt.n_channels; c++)
        objr_bwf_writer_abort(j->w[c]);
    objr_outset_destroy(j->outs); /* not committed: every stem and mix.xml as it was */
    objr__freep(&j->w);
    objr__freep(&j->stem_paths);
    objr__freep(&j->buf);
    objr__freep(&j->ch);
    objr__freep(&j->chna);
    objr__freep(&j->uids.v);
    if (j->xml_out)
        xmlFree(j->xml_out);
    if (j->doc)
        xmlFreeDoc(j->doc);
    objr_bwf_close(j->f);
}

objr_status objr_mix_unpack(const char *bwf, const char *dir, const objr_mix_pack_config *cfg,
                            objr_mix_pack_result *result, objr_diag *diag) {
    objr__xml_init();
    unpack_job j;
    memset(&j, 0, sizeof j);
    j.in = bwf;
    j.outdir = dir;
    j.cfg = cfg;
    objr_diag local;
    j.d = diag ? diag : &local;
    objr_diag_clear(j.d);
    if (result)
        memset(result, 0, sizeof *result);
    objr_status st;
    if ((st = read_bwf(&j)) == OBJR_OK && (st = link_rows(&j)) == OBJR_OK &&
        (st = open_stems(&j)) == OBJR_OK && (st = copy_tracks(&j)) == OBJR_OK)
        st = write_xml(&j);
    if (result) {
        result->failed = st == OBJR_OK ? OBJR_MIX_FAILED_NONE : j.failed;
        result->n_tracks = j.fmt.n_channels;
        result->n_stems = j.n_stems;
        result->n_track_uids = j.n_chna;
        result->n_frames = j.fmt.n_frames;
        result->sample_rate_hz = j.fmt.sample_rate_hz;
    }
    job_free(&j);
    return st;
}
