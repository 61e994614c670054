/* SPDX-License-Identifier: BSD-3-Clause */
/* mix.xml + stems -> one ADM BWF (EBU Tech 3285 s5 axml + s7 chna, ITU-R BS.2088 BW64): the
 * mix.xml is streamed once through libxml2's xmlTextReader and written back without the
 * objrender mix extension (urn:objrender:mix:1), in the serialisation libxml2 gives a parsed
 * document (xmlDocDumpMemoryEnc, UTF-8), while its audioTrackUIDs become chna rows. No DOM of
 * the document is built: memory is the output text plus the reader's window. */
#include "objrender/objr_pack.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/xmlreader.h>

#include "formats/adm_model.h"
#include "formats/bwf_internal.h"
#include "formats/mix_pack_internal.h"
#include "objrender/objr_adm.h"
#include "objrender/objr_mix.h"
#include "objrender/objr_outfile.h"
#include "src/core/sbuf.h"

#define MIX_NS OBJR_MIX_XML_NS
#define MIX_PREFIX OBJR_MIX_XML_PREFIX

/* ---------------------------------------------------------------------------------------- */
/* Shared helpers (mix_pack_internal.h)                                                      */

int objr__pack_is_carried_chunk(const char *id) {
    static const char *const skip[] = {"fmt ", "data", "ds64", "fact", "JUNK",
                                       "junk", "FLLR", "PAD ", "chna", "axml"};
    for (size_t i = 0; i < sizeof skip / sizeof *skip; i++)
        if (!memcmp(id, skip[i], 4))
            return 0;
    return 1;
}

int objr__pack_chunk_file_name(char *out, size_t cap, unsigned k, const char *id, const char *dir) {
    char enc[16];
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        unsigned char c = (unsigned char)id[i];
        if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
            enc[n++] = (char)c;
        else
            n += (size_t)snprintf(enc + n, sizeof enc - n, "%%%02X", c);
    }
    enc[n] = 0;
    int r = snprintf(out, cap, "%s/%s/%02u_%s.bin", dir, OBJR__PACK_CHUNKS_DIR, k, enc);
    return r > 0 && (size_t)r < cap;
}

int objr__pack_parse_chunk_file_name(const char *name, unsigned *k, char id[4]) {
    if (name[0] < '0' || name[0] > '9' || name[1] < '0' || name[1] > '9' || name[2] != '_')
        return 0;
    *k = (unsigned)((name[0] - '0') * 10 + (name[1] - '0'));
    const char *p = name + 3;
    for (int i = 0; i < 4; i++) {
        if (*p == '%') {
            unsigned v;
            if (sscanf(p + 1, "%2X", &v) != 1)
                return 0;
            id[i] = (char)v;
            p += 3;
        } else if (*p) {
            id[i] = *p++;
        } else {
            return 0;
        }
    }
    return strcmp(p, ".bin") == 0;
}

int objr__pack_join(char *out, size_t n, const char *dir, const char *rel) {
    int w = rel[0] == '/' ? snprintf(out, n, "%s", rel) : snprintf(out, n, "%s/%s", dir, rel);
    return w > 0 && (size_t)w < n;
}

void objr__pack_warn(const objr_mix_pack_config *cfg, const char *fmt, ...) {
    if (!cfg || !cfg->warn)
        return;
    char line[OBJR_DIAG_MESSAGE_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    objr__one_line(line);
    cfg->warn(cfg->warn_user, line);
}

objr_status objr__pack_vfail(objr_diag *d, objr_mix_failure *failed, objr_mix_failure side,
                             objr_status st, const char *fmt, va_list ap) {
    *failed = side;
    if (d) {
        objr_diag_clear(d);
        vsnprintf(d->message, sizeof d->message, fmt, ap);
        objr__one_line(d->message);
    }
    return st;
}

objr_status objr__pack_prefix(objr_diag *d, objr_status st, const char *path) {
    if (!d)
        return st;
    if (!d->message[0])
        snprintf(d->message, sizeof d->message, "%s", objr_strerror(st));
    size_t lp = strlen(path);
    if (strncmp(d->message, path, lp) != 0) {
        char m[OBJR_DIAG_MESSAGE_SIZE];
        snprintf(m, sizeof m, "%s", d->message);
        snprintf(d->message, sizeof d->message, "%.200s: %.300s", path, m);
        objr__one_line(d->message);
    }
    return st;
}

/* ---------------------------------------------------------------------------------------- */
/* Files                                                                                     */

static void dir_of(const char *path, char *out, size_t n) {
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(out, n, ".");
    else if (slash == path)
        snprintf(out, n, "/");
    else
        snprintf(out, n, "%.*s", (int)(slash - path), path);
}

/* The whole of a small file (a carried chunk), refusing anything but a regular file. */
static objr_status read_whole(const char *path, size_t limit, uint8_t **data, size_t *size,
                              objr_diag *d) {
    *data = NULL;
    objr_status st = objr_input_check(path, d);
    if (st != OBJR_OK)
        return st;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return objr__diag_set(d, OBJR_ERR_IO, "", 0, (size_t)-1, "%s: cannot open: %s", path,
                              strerror(errno));
    struct stat sb;
    if (fstat(fileno(fp), &sb) != 0 || (uint64_t)sb.st_size >= limit) {
        fclose(fp);
        return objr__diag_set(d, OBJR_ERR_LIMIT, "", 0, (size_t)-1, "%s: larger than %zu bytes",
                              path, limit);
    }
    size_t n = (size_t)sb.st_size;
    uint8_t *buf = objr__malloc(n ? n : 1);
    if (!buf) {
        fclose(fp);
        return objr__diag_set(d, OBJR_ERR_NOMEM, "", 0, (size_t)-1, "%s: out of memory", path);
    }
    if (fread(buf, 1, n, fp) != n) {
        fclose(fp);
        objr__freep(&buf);
        return objr__diag_set(d, OBJR_ERR_IO, "", 0, (size_t)-1, "%s: read error", path);
    }
    fclose(fp);
    *data = buf;
    *size = n;
    return OBJR_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* The axml text: libxml2's document serialisation, event by event                          */

typedef objr__sbuf obuf;

static void ob_put(obuf *b, const char *s, size_t n) {
    objr__sb_put(b, s, n);
}

static void ob_str(obuf *b, const char *s) {
    if (s)
        ob_put(b, s, strlen(s));
}

/* Escape @p s as libxml2's xmlEscapeContent (text) or xmlBufAttrSerializeTxtContent
 * (attribute values of a UTF-8 document) does. */
static void ob_escaped(obuf *b, const char *s, int attr) {
    if (!s)
        return;
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '&':
            rep = "&amp;";
            break;
        case '\r':
            rep = "&#13;";
            break;
        case '"':
            rep = attr ? "&quot;" : NULL;
            break;
        case '\n':
            rep = attr ? "&#10;" : NULL;
            break;
        case '\t':
            rep = attr ? "&#9;" : NULL;
            break;
        default:
            break;
        }
        if (rep) {
            ob_put(b, run, (size_t)(s - run));
            ob_str(b, rep);
            run = s + 1;
        }
    }
    ob_put(b, run, (size_t)(s - run));
}

/* A namespace URI as xmlBufWriteQuotedString writes it. */
static void ob_quoted(obuf *b, const char *s) {
    if (!strchr(s, '"')) {
        ob_str(b, "\"");
        ob_str(b, s);
        ob_str(b, "\"");
    } else if (!strchr(s, '\'')) {
        ob_str(b, "'");
        ob_str(b, s);
        ob_str(b, "'");
    } else {
        ob_str(b, "\"");
        for (; *s; s++)
            ob_str(b, *s == '"' ? "&quot;" : (char[2]){*s, 0});
        ob_str(b, "\"");
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The job                                                                                   */

/** One audioTrackUID as the stream met it. */
typedef struct uid_row {
    char uid[64], file[1024], channel[32];
    char refs[3][64]; /* audioTrackFormatIDRef, audioChannelFormatIDRef, audioPackFormatIDRef */
    long line;
} uid_row;

static const char *const ref_names[3] = {"audioTrackFormatIDRef", "audioChannelFormatIDRef",
                                         "audioPackFormatIDRef"};

typedef struct stem_src {
    char rel[1024]; /* as written in objr:file */
    char path[4096];
    dev_t dev; /* the file's identity: "stem.wav", "./stem.wav" and "x/../stem.wav" are one */
    ino_t ino;
    objr_bwf *f;
    objr_bwf_format fmt;
    float *buf; /* planar, fmt.n_channels x OBJR__PACK_BLOCK_FRAMES */
    float **ch;
    size_t got;
} stem_src;

typedef struct track_map {
    size_t src;       /* index in stems */
    uint32_t channel; /* 1-based */
} track_map;

typedef struct pack_job {
    const char *in, *out;
    objr_mix_pack_config cfg;
    objr_diag *d;
    objr_mix_failure failed;
    char dir[4096];
    objr_outset *outs;
    /* the stream */
    obuf axml;
    uid_row *rows;
    size_t n_rows, cap_rows, n_uids; /* n_uids counts past the rows kept */
    int uid_depth, ref_depth, ref_which, refs_seen;
    char ref_text[256];
    size_t ref_len;
    /* the audio */
    stem_src *stems;
    size_t n_stems;
    track_map *tracks;
    size_t n_tracks;
    objr_bwf_chna_entry *chna;
    objr_bwf_writer *w;
    float *obuf;
    float **och;
    uint64_t max_frames;
    objr_bwf_sample_format sfmt;
} pack_job;

static objr_status job_fail(pack_job *j, objr_mix_failure side, objr_status st, const char *fmt,
                            ...) OBJR_PRINTF(4, 5);
static objr_status job_fail(pack_job *j, objr_mix_failure side, objr_status st, const char *fmt,
                            ...) {
    va_list ap;
    va_start(ap, fmt);
    st = objr__pack_vfail(j->d, &j->failed, side, st, fmt, ap);
    va_end(ap);
    return st;
}

static objr_status nomem(pack_job *j) {
    return job_fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_NOMEM, "%s: out of memory", j->in);
}

/* Note @p path as read by the run, and refuse the output when it resolves to it. */
static objr_status note_input(pack_job *j, const char *path) {
    objr_status st = objr_outset_add_input(j->outs, path, j->d);
    if (st == OBJR_OK)
        st = objr_outset_check(j->outs, j->out, j->d);
    if (st != OBJR_OK) {
        j->failed = OBJR_MIX_FAILED_OUTPUT;
        return objr__pack_prefix(j->d, st, j->out);
    }
    return OBJR_OK;
}

/* Messages often start with their element's ID; drop it when the location names it. */
static const char *skip_id(const char *msg, const char *id) {
    size_t li = strlen(id);
    if (li && !strncmp(msg, id, li) && msg[li] == ':')
        return msg + li + 1 + (msg[li + 1] == ' ');
    return msg;
}

/* An ADM reader's diagnostic as one line "PATH: line N: ID: message". */
static objr_status adm_fail(pack_job *j, objr_status st, objr_diag *src) {
    objr_diag s = *src;
    const char *msg = s.message[0] ? s.message : objr_strerror(st);
    size_t lp = strlen(j->in);
    if (!strncmp(msg, j->in, lp) && msg[lp] == ':')
        return job_fail(j, OBJR_MIX_FAILED_INPUT, st, "%s", msg);
    char where[160] = "";
    if (s.line > 0 && s.element_id[0])
        snprintf(where, sizeof where, "line %ld: %s: ", s.line, s.element_id);
    else if (s.line > 0)
        snprintf(where, sizeof where, "line %ld: ", s.line);
    else if (s.element_id[0])
        snprintf(where, sizeof where, "%s: ", s.element_id);
    return job_fail(j, OBJR_MIX_FAILED_INPUT, st, "%s: %s%s", j->in, where,
                    skip_id(msg, s.element_id));
}

/* 1. The mix.xml must carry valid ADM whose stems pass the stem policy, as objrender reads
 * it (objr_mix); validation errors refuse it, warnings do not. */
static objr_status check_adm(pack_job *j) {
    objr_diag d;
    objr_diag_clear(&d);
    objr_mix *mix = NULL;
    objr_mix_config mc = objr_mix_config_default();
    mc.validate = 0;
    mc.allow_external_stems = j->cfg.allow_external_stems;
    objr_status st = objr_mix_open(j->in, &mc, &mix, &d);
    if (st != OBJR_OK)
        return adm_fail(j, st, &d);
    const objr_adm_problem *pr = NULL;
    size_t n = 0;
    (void)objr_adm_validate(objr_mix_adm(mix), 0, &pr, &n);
    for (size_t k = 0; k < n && st == OBJR_OK; k++) {
        if (pr[k].severity != OBJR_ADM_ERROR)
            continue;
        const char *id = pr[k].element_id ? pr[k].element_id : "";
        st =
            job_fail(j, OBJR_MIX_FAILED_VALIDATION, OBJR_ERR_ADM, "%s: %s%s%s", j->in, id,
                     id[0] ? ": " : "", skip_id(pr[k].message ? pr[k].message : "invalid ADM", id));
        snprintf(j->d->element_id, sizeof j->d->element_id, "%s", id);
    }
    objr_mix_destroy(mix);
    return st;
}

/* -- the stream: serialise, and collect each audioTrackUID's row -------------------------- */

typedef struct stream_err {
    char msg[256];
    int line, set, nomem;
} stream_err;

static void on_reader_error(void *user, xmlErrorPtr e) {
    stream_err *s = user;
    if (!e || s->set)
        return;
    s->set = 1;
    s->nomem = e->code == XML_ERR_NO_MEMORY;
    s->line = e->line;
    size_t m = e->message ? strlen(e->message) : 0;
    while (m > 0 && (e->message[m - 1] == '\n' || e->message[m - 1] == ' '))
        m--;
    snprintf(s->msg, sizeof s->msg, "%.*s", (int)m, e->message ? e->message : "");
}

static int io_read(void *ctx, char *buf, int len) {
    size_t n = fread(buf, 1, (size_t)len, (FILE *)ctx);
    return n == 0 && ferror((FILE *)ctx) ? -1 : (int)n;
}

static int io_close(void *ctx) {
    (void)ctx; /* closed by the caller */
    return 0;
}

static int is_mix_ns(const xmlChar *uri) {
    return uri && !strcmp((const char *)uri, MIX_NS);
}

/* Text of the element being collected (first of each reference child of an audioTrackUID),
 * kept trimmed at the start; trimmed at the end when the element closes. */
static void ref_append(pack_job *j, const char *s) {
    if (j->ref_depth < 0 || !s)
        return;
    for (; *s; s++) {
        if (j->ref_len == 0 && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
            continue;
        if (j->ref_len + 1 < sizeof j->ref_text)
            j->ref_text[j->ref_len++] = *s;
    }
}

static void ref_end(pack_job *j) {
    size_t m = j->ref_len;
    while (m > 0 && (j->ref_text[m - 1] == ' ' || j->ref_text[m - 1] == '\t' ||
                     j->ref_text[m - 1] == '\n' || j->ref_text[m - 1] == '\r'))
        m--;
    if (j->n_rows && j->uid_depth >= 0 && j->n_uids == j->n_rows) {
        uid_row *r = &j->rows[j->n_rows - 1];
        snprintf(r->refs[j->ref_which], sizeof r->refs[0], "%.*s", (int)m, j->ref_text);
    }
    j->ref_depth = -1;
    j->ref_len = 0;
}

/* After an element's end (or an empty element): the collection it ended, and the newline
 * libxml2 writes after the root. */
static void element_closed(pack_job *j, int depth) {
    if (depth == j->ref_depth)
        ref_end(j);
    if (depth == j->uid_depth)
        j->uid_depth = -1;
    if (depth == 0)
        ob_str(&j->axml, "\n");
}

/* An audioTrackUID start tag: a new row (rows beyond the chna's limit are only counted). */
static int row_start(pack_job *j, xmlTextReaderPtr r) {
    j->n_uids++;
    if (j->n_rows >= OBJR__PACK_MAX_TRACKS)
        return 1;
    if (j->n_rows == j->cap_rows) {
        size_t cap = j->cap_rows ? 2 * j->cap_rows : 16;
        uid_row *v = objr__realloc_array(j->rows, cap, sizeof *v);
        if (!v)
            return 0;
        j->rows = v;
        j->cap_rows = cap;
    }
    uid_row *row = &j->rows[j->n_rows++];
    memset(row, 0, sizeof *row);
    row->line = xmlTextReaderGetParserLineNumber(r);
    j->refs_seen = 0;
    return 1;
}

/* Attributes of the current start tag: kept ones written, the mix extension dropped (and
 * read for the current row). */
static void write_attributes(pack_job *j, xmlTextReaderPtr r, uid_row *row) {
    for (int more = xmlTextReaderMoveToFirstAttribute(r); more == 1;
         more = xmlTextReaderMoveToNextAttribute(r)) {
        const char *name = (const char *)xmlTextReaderConstName(r);
        const char *value = (const char *)xmlTextReaderConstValue(r);
        if (!name)
            continue;
        if (!value)
            value = "";
        if (xmlTextReaderIsNamespaceDecl(r) == 1) {
            if (strcmp(value, MIX_NS) != 0) {
                ob_str(&j->axml, " ");
                ob_str(&j->axml, name);
                ob_str(&j->axml, "=");
                ob_quoted(&j->axml, value);
            }
            continue;
        }
        const xmlChar *uri = xmlTextReaderConstNamespaceUri(r);
        const char *local = (const char *)xmlTextReaderConstLocalName(r);
        if (is_mix_ns(uri)) {
            if (row && local && !strcmp(local, "file"))
                snprintf(row->file, sizeof row->file, "%s", value);
            else if (row && local && !strcmp(local, "channel"))
                snprintf(row->channel, sizeof row->channel, "%s", value);
            continue;
        }
        if (row && !uri && local && !strcmp(local, "UID"))
            snprintf(row->uid, sizeof row->uid, "%s", value);
        ob_str(&j->axml, " ");
        ob_str(&j->axml, name);
        ob_str(&j->axml, "=\"");
        ob_escaped(&j->axml, value, 1);
        ob_str(&j->axml, "\"");
    }
    (void)xmlTextReaderMoveToElement(r);
}

/* A start tag; 0 when out of memory. */
static int on_element(pack_job *j, xmlTextReaderPtr r, int depth, int *open_tag) {
    const char *local = (const char *)xmlTextReaderConstLocalName(r);
    uid_row *row = NULL;
    if (j->uid_depth < 0 && local && !strcmp(local, "audioTrackUID")) {
        if (!row_start(j, r))
            return 0;
        if (j->n_uids == j->n_rows)
            row = &j->rows[j->n_rows - 1];
        j->uid_depth = depth;
    } else if (j->uid_depth >= 0 && depth == j->uid_depth + 1 && j->ref_depth < 0 && local) {
        for (int k = 0; k < 3; k++)
            if (!strcmp(local, ref_names[k]) && !(j->refs_seen & (1 << k))) {
                j->refs_seen |= 1 << k;
                j->ref_which = k;
                j->ref_depth = depth;
            }
    }
    ob_str(&j->axml, "<");
    ob_str(&j->axml, (const char *)xmlTextReaderConstName(r));
    write_attributes(j, r, row);
    if (xmlTextReaderIsEmptyElement(r) == 1) {
        ob_str(&j->axml, "/>");
        element_closed(j, depth);
    } else {
        *open_tag = 1;
    }
    return 1;
}

static void on_end(pack_job *j, xmlTextReaderPtr r, int depth, int *open_tag) {
    if (*open_tag) {
        ob_str(&j->axml, "/>");
        *open_tag = 0;
    } else {
        ob_str(&j->axml, "</");
        ob_str(&j->axml, (const char *)xmlTextReaderConstName(r));
        ob_str(&j->axml, ">");
    }
    element_closed(j, depth);
}

/* Any other node: text, CDATA, comment, processing instruction. */
static void on_other(pack_job *j, xmlTextReaderPtr r, int type, int depth) {
    const char *v = (const char *)xmlTextReaderConstValue(r);
    switch (type) {
    case XML_READER_TYPE_TEXT:
    case XML_READER_TYPE_WHITESPACE:
    case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
        ob_escaped(&j->axml, v, 0);
        ref_append(j, v);
        break;
    case XML_READER_TYPE_CDATA:
        ob_str(&j->axml, "<![CDATA[");
        ob_str(&j->axml, v);
        ob_str(&j->axml, "]]>");
        ref_append(j, v);
        break;
    case XML_READER_TYPE_COMMENT:
        ob_str(&j->axml, "<!--");
        ob_str(&j->axml, v);
        ob_str(&j->axml, "-->");
        break;
    case XML_READER_TYPE_PROCESSING_INSTRUCTION:
        ob_str(&j->axml, "<?");
        ob_str(&j->axml, (const char *)xmlTextReaderConstName(r));
        if (v) {
            ob_str(&j->axml, " ");
            ob_str(&j->axml, v);
        }
        ob_str(&j->axml, "?>");
        break;
    default:
        return;
    }
    if (depth == 0 && type != XML_READER_TYPE_TEXT)
        ob_str(&j->axml, "\n");
}

static objr_status stream_events(pack_job *j, xmlTextReaderPtr r, int *ret) {
    int open_tag = 0, decl = 0;
    while ((*ret = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r), depth = xmlTextReaderDepth(r);
        if (!decl) { /* the declaration, as xmlDocDumpMemoryEnc(doc, ..., "UTF-8") writes it */
            const char *ver = (const char *)xmlTextReaderConstXmlVersion(r);
            int sa = xmlTextReaderStandalone(r);
            ob_str(&j->axml, "<?xml version=");
            ob_quoted(&j->axml, ver ? ver : "1.0");
            ob_str(&j->axml, " encoding=\"UTF-8\"");
            ob_str(&j->axml, sa == 1 ? " standalone=\"yes\"" : sa == 0 ? " standalone=\"no\"" : "");
            ob_str(&j->axml, "?>\n");
            decl = 1;
        }
        if (type == XML_READER_TYPE_DOCUMENT_TYPE)
            return job_fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_XML,
                            "%s: a DOCTYPE is not allowed in ADM XML", j->in);
        if (type != XML_READER_TYPE_END_ELEMENT && open_tag) {
            ob_str(&j->axml, ">");
            open_tag = 0;
        }
        if (type == XML_READER_TYPE_ELEMENT) {
            if (is_mix_ns(xmlTextReaderConstNamespaceUri(r)))
                return job_fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_ADM,
                                "%s: line %d: element <%s> in the namespace " MIX_NS
                                ": the mix extension has attributes only",
                                j->in, xmlTextReaderGetParserLineNumber(r),
                                (const char *)xmlTextReaderConstName(r));
            if (!on_element(j, r, depth, &open_tag))
                return nomem(j);
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
            on_end(j, r, depth, &open_tag);
        } else {
            on_other(j, r, type, depth);
        }
        if (j->axml.bad)
            return nomem(j);
        if (j->axml.n > OBJR__PACK_MAX_FILE_BYTES)
            return job_fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_LIMIT, "%s: larger than %zu bytes",
                            j->in, OBJR__PACK_MAX_FILE_BYTES);
    }
    return OBJR_OK;
}

/* 2. One pass over the mix.xml: the axml without the mix extension, and the rows. */
static objr_status stream_mix(pack_job *j) {
    FILE *fp = fopen(j->in, "rb");
    if (!fp)
        return job_fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_IO, "%s: cannot open: %s", j->in,
                        strerror(errno));
    /* NONET; never NOENT, DTDLOAD or HUGE (libxml2's own size bounds stay on). */
    xmlTextReaderPtr r = xmlReaderForIO(io_read, io_close, fp, j->in, NULL,
                                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                            XML_PARSE_BIG_LINES);
    if (!r) {
        fclose(fp);
        return nomem(j);
    }
    stream_err se;
    memset(&se, 0, sizeof se);
    xmlTextReaderSetStructuredErrorHandler(r, on_reader_error, &se);
    j->uid_depth = j->ref_depth = -1;
    int ret = 0;
    objr_status st = stream_events(j, r, &ret);
    xmlFreeTextReader(r);
    fclose(fp);
    if (st != OBJR_OK)
        return st;
    if (se.nomem)
        return nomem(j);
    if (ret < 0 || se.set)
        return job_fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_XML, "%s: line %d: malformed XML: %s",
                        j->in, se.line, se.set ? se.msg : "not well-formed");
    if (j->n_uids == 0)
        return job_fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_ADM,
                        "%s: no audioTrackUID elements: nothing to pack", j->in);
    if (j->n_uids > OBJR__PACK_MAX_TRACKS)
        return job_fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_LIMIT,
                        "%s: %zu audioTrackUIDs: more than a chna can hold", j->in, j->n_uids);
    j->stems = objr__calloc(j->n_rows, sizeof *j->stems);
    j->tracks = objr__calloc(j->n_rows, sizeof *j->tracks);
    j->chna = objr__calloc(j->n_rows, sizeof *j->chna);
    return j->stems && j->tracks && j->chna ? OBJR_OK : nomem(j);
}

/* -- stems and tracks --------------------------------------------------------------------- */

/* Open stem file @p file (as written) as stem j->n_stems; all stems share one rate. */
static objr_status open_stem(pack_job *j, const char *uid, const char *file) {
    stem_src *s = &j->stems[j->n_stems];
    snprintf(s->rel, sizeof s->rel, "%s", file);
    if (!objr__pack_join(s->path, sizeof s->path, j->dir, file))
        return job_fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_LIMIT, "%s: %s: stem path too long",
                        j->in, uid);
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st = objr_bwf_open_file(s->path, NULL, &d, &s->f);
    if (st != OBJR_OK)
        return job_fail(j, OBJR_MIX_FAILED_INPUT, st, "%s: %s: stem %s: %s", j->in, uid, file,
                        d.message[0] ? d.message : objr_strerror(st));
    j->n_stems++;
    struct stat sb;
    if (stat(s->path, &sb) == 0) {
        s->dev = sb.st_dev;
        s->ino = sb.st_ino;
    }
    if ((st = note_input(j, s->path)) != OBJR_OK)
        return st;
    (void)objr_bwf_get_format(s->f, &s->fmt);
    if (s->fmt.sample_rate_hz != j->stems[0].fmt.sample_rate_hz)
        return job_fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_FORMAT,
                        "%s: %s: stem %s is %u Hz but %s is %u Hz", j->in, uid, file,
                        s->fmt.sample_rate_hz, j->stems[0].rel, j->stems[0].fmt.sample_rate_hz);
    return OBJR_OK;
}

/* The stem already open for @p file (as written, or another spelling of the same file), or
 * j->n_stems. */
static size_t find_stem(const pack_job *j, const char *file) {
    for (size_t s = 0; s < j->n_stems; s++)
        if (!strcmp(j->stems[s].rel, file))
            return s;
    char path[4096];
    struct stat sb;
    if (!objr__pack_join(path, sizeof path, j->dir, file) || stat(path, &sb) != 0)
        return j->n_stems;
    for (size_t s = 0; s < j->n_stems; s++)
        if (j->stems[s].dev == sb.st_dev && j->stems[s].ino == sb.st_ino)
            return s;
    return j->n_stems;
}

/* The ref written in chna for a UID: its audioTrackFormatIDRef, or (BS.2076-2 direct
 * channel reference) its audioChannelFormatIDRef as "AC_yyyyxxxx_00". */
static void row_refs(const uid_row *row, objr_bwf_chna_entry *e) {
    char buf[64];
    snprintf(buf, sizeof buf, "%s", row->refs[0]);
    if (!buf[0]) {
        snprintf(buf, sizeof buf, "%s", row->refs[1]);
        if (buf[0] && strlen(buf) == 11)
            strcat(buf, "_00");
    }
    snprintf(e->track_ref, sizeof e->track_ref, "%.14s", buf);
    snprintf(e->pack_ref, sizeof e->pack_ref, "%.11s", row->refs[2]);
}

/* 3. Row @p u: its stem and channel, the track it becomes (tracks in order of first
 * appearance of each (file, channel)) and its chna row. */
static objr_status map_row(pack_job *j, size_t u) {
    const uid_row *row = &j->rows[u];
    if (!row->uid[0])
        return job_fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_ADM,
                        "%s: line %ld: audioTrackUID without a UID attribute", j->in, row->line);
    if (!row->file[0])
        return job_fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_ADM,
                        "%s: %s (line %ld): no " MIX_PREFIX ":file attribute (namespace " MIX_NS
                        "): every audioTrackUID needs a stem",
                        j->in, row->uid, row->line);
    char *end;
    errno = 0;
    long ch = row->channel[0] ? strtol(row->channel, &end, 10) : 1;
    if (row->channel[0] && (errno || *end || ch < 1 || ch > 65535))
        return job_fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_ADM,
                        "%s: %s (line %ld): " MIX_PREFIX
                        ":channel=\"%s\" is not a channel number (1-based)",
                        j->in, row->uid, row->line, row->channel);
    size_t s = find_stem(j, row->file);
    objr_status st;
    if (s == j->n_stems && (st = open_stem(j, row->uid, row->file)) != OBJR_OK)
        return st;
    const objr_bwf_format *f = &j->stems[s].fmt;
    if ((uint32_t)ch > f->n_channels)
        return job_fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_REFERENCE,
                        "%s: %s: " MIX_PREFIX ":channel=%ld but %s has %u channel%s", j->in,
                        row->uid, ch, row->file, f->n_channels, f->n_channels == 1 ? "" : "s");
    size_t t;
    for (t = 0; t < j->n_tracks; t++)
        if (j->tracks[t].src == s && j->tracks[t].channel == (uint32_t)ch)
            break;
    if (t == j->n_tracks) {
        j->tracks[t].src = s;
        j->tracks[t].channel = (uint32_t)ch;
        j->n_tracks++;
    }
    j->chna[u].track_index = (uint16_t)(t + 1);
    snprintf(j->chna[u].uid, sizeof j->chna[u].uid, "%.12s", row->uid);
    row_refs(row, &j->chna[u]);
    return OBJR_OK;
}

/* 4. Output format: as asked, else the stems' own (float if any stem is float). */
static void choose_format(pack_job *j) {
    int any_float = 0;
    unsigned max_bits = 16;
    for (size_t s = 0; s < j->n_stems; s++) {
        const objr_bwf_format *f = &j->stems[s].fmt;
        if (f->n_frames > j->max_frames)
            j->max_frames = f->n_frames;
        if (f->sample_format == OBJR_BWF_SAMPLE_FLOAT32 ||
            f->sample_format == OBJR_BWF_SAMPLE_FLOAT64)
            any_float = 1;
        else if (f->bits_per_sample > max_bits)
            max_bits = f->bits_per_sample;
    }
    j->sfmt = !j->cfg.use_stem_format ? j->cfg.sample_format
              : any_float             ? OBJR_BWF_SAMPLE_FLOAT32
              : max_bits >= 32        ? OBJR_BWF_SAMPLE_PCM32
              : max_bits >= 24        ? OBJR_BWF_SAMPLE_PCM24
                                      : OBJR_BWF_SAMPLE_PCM16;
    for (size_t s = 0; s < j->n_stems; s++)
        if (j->stems[s].fmt.n_frames != j->max_frames)
            objr__pack_warn(&j->cfg,
                            "%s: %llu frames, shorter than the longest stem (%llu): padded with "
                            "silence",
                            j->stems[s].path, (unsigned long long)j->stems[s].fmt.n_frames,
                            (unsigned long long)j->max_frames);
}

/* The chunks an unpack kept beside the mix.xml, back in their order (before `data`). */
static objr_status add_carried_chunks(pack_job *j) {
    char path[4096];
    if (!objr__pack_join(path, sizeof path, j->dir, OBJR__PACK_CHUNKS_DIR))
        return OBJR_OK;
    DIR *dp = opendir(path);
    if (!dp)
        return OBJR_OK; /* nothing to carry */
    char names[OBJR__PACK_MAX_CHUNKS + 1][64];
    unsigned n = 0;
    for (struct dirent *e; (e = readdir(dp)) && n <= OBJR__PACK_MAX_CHUNKS;) {
        unsigned kk;
        char id[4];
        size_t len = strlen(e->d_name);
        if (len < sizeof names[0] && objr__pack_parse_chunk_file_name(e->d_name, &kk, id))
            memcpy(names[n++], e->d_name, len + 1); /* fits: checked above */
    }
    closedir(dp);
    qsort(names, n, sizeof names[0], (int (*)(const void *, const void *))strcmp);
    for (unsigned i = 0; i < n; i++) {
        unsigned kk;
        char id[4], file[4096];
        (void)objr__pack_parse_chunk_file_name(names[i], &kk, id);
        if (!objr__pack_join(file, sizeof file, path, names[i]))
            return job_fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_LIMIT, "%s: path too long", path);
        uint8_t *data = NULL;
        size_t len = 0;
        objr_diag d;
        objr_diag_clear(&d);
        objr_status st = read_whole(file, OBJR__PACK_MAX_FILE_BYTES, &data, &len, &d);
        if (st != OBJR_OK)
            return job_fail(j, OBJR_MIX_FAILED_INPUT, st, "%s", d.message);
        st = objr_bwf_writer_add_chunk(j->w, id, data, len);
        objr__freep(&data);
        if (st != OBJR_OK)
            return job_fail(j, OBJR_MIX_FAILED_INPUT, st, "%s: %s: %s", j->out, file,
                            objr_bwf_writer_last_error(j->w));
    }
    return OBJR_OK;
}

/* 5. The writer, with the chna rows, the axml (handed over, not copied) and carried chunks. */
static objr_status open_writer(pack_job *j) {
    objr_bwf_writer_config cfg = objr_bwf_writer_config_default();
    cfg.n_channels = (uint32_t)j->n_tracks;
    cfg.sample_rate_hz = j->stems[0].fmt.sample_rate_hz;
    cfg.sample_format = j->sfmt;
    objr_status st = objr_bwf_writer_create_in(j->outs, j->out, &cfg, j->d, &j->w);
    if (st != OBJR_OK) {
        j->failed = OBJR_MIX_FAILED_OUTPUT;
        return objr__pack_prefix(j->d, st, j->out);
    }
    if ((st = objr_bwf_writer_set_chna(j->w, j->chna, j->n_rows)) == OBJR_OK) {
        uint8_t *axml = (uint8_t *)j->axml.p; /* the writer frees it, also on error */
        j->axml.p = NULL;
        st = objr__bwf_writer_take_axml(j->w, axml, j->axml.n);
    }
    if (st != OBJR_OK)
        return job_fail(j, OBJR_MIX_FAILED_OUTPUT, st, "%s: %s", j->out,
                        objr_bwf_writer_last_error(j->w));
    return add_carried_chunks(j);
}

static objr_status alloc_blocks(pack_job *j) {
    const size_t B = OBJR__PACK_BLOCK_FRAMES;
    for (size_t s = 0; s < j->n_stems; s++) {
        uint32_t nc = j->stems[s].fmt.n_channels;
        j->stems[s].buf = objr__calloc((size_t)nc * B, sizeof(float));
        j->stems[s].ch = objr__calloc(nc, sizeof(float *));
        if (!j->stems[s].buf || !j->stems[s].ch)
            return nomem(j);
        for (uint32_t c = 0; c < nc; c++)
            j->stems[s].ch[c] = j->stems[s].buf + (size_t)c * B;
    }
    j->obuf = objr__calloc(j->n_tracks * B, sizeof(float));
    j->och = objr__calloc(j->n_tracks, sizeof(float *));
    if (!j->obuf || !j->och)
        return nomem(j);
    for (size_t t = 0; t < j->n_tracks; t++)
        j->och[t] = j->obuf + t * B;
    return OBJR_OK;
}

/* 6. Copy the tracks block by block (stems past their end give silence), then commit. */
static objr_status copy_audio(pack_job *j) {
    objr_status st = alloc_blocks(j);
    for (uint64_t done = 0; st == OBJR_OK && done < j->max_frames;) {
        uint64_t left = j->max_frames - done;
        size_t want = (size_t)(left < OBJR__PACK_BLOCK_FRAMES ? left : OBJR__PACK_BLOCK_FRAMES);
        for (size_t s = 0; s < j->n_stems; s++) {
            stem_src *S = &j->stems[s];
            S->got = 0;
            if ((st = objr_bwf_read_f32(S->f, S->ch, want, &S->got)) != OBJR_OK)
                return job_fail(j, OBJR_MIX_FAILED_INPUT, st, "%s: read error: %s", S->path,
                                objr_bwf_last_error(S->f));
        }
        for (size_t t = 0; t < j->n_tracks; t++) {
            const stem_src *s = &j->stems[j->tracks[t].src];
            memcpy(j->och[t], s->ch[j->tracks[t].channel - 1], s->got * sizeof(float));
            memset(j->och[t] + s->got, 0, (want - s->got) * sizeof(float));
        }
        if ((st = objr_bwf_writer_write_f32(j->w, (const float *const *)j->och, want)) != OBJR_OK)
            return job_fail(j, OBJR_MIX_FAILED_OUTPUT, st, "%s: %s", j->out,
                            objr_bwf_writer_last_error(j->w));
        done += want;
    }
    if (st != OBJR_OK)
        return st;
    st = objr_bwf_writer_close(j->w, j->d);
    j->w = NULL;
    if (st == OBJR_OK)
        st = objr_outset_commit(j->outs, j->d);
    if (st != OBJR_OK) {
        j->failed = OBJR_MIX_FAILED_OUTPUT;
        return objr__pack_prefix(j->d, st, j->out);
    }
    return OBJR_OK;
}

static void job_free(pack_job *j) {
    objr_bwf_writer_abort(j->w);
    objr_outset_destroy(j->outs); /* not committed: the temporary goes, the old file stays */
    for (size_t s = 0; j->stems && s < j->n_rows; s++) {
        objr_bwf_close(j->stems[s].f);
        objr__freep(&j->stems[s].buf);
        objr__freep(&j->stems[s].ch);
    }
    objr__freep(&j->stems);
    objr__freep(&j->tracks);
    objr__freep(&j->chna);
    objr__freep(&j->obuf);
    objr__freep(&j->och);
    objr__freep(&j->rows);
    free(j->axml.p);
}

objr_mix_pack_config objr_mix_pack_config_default(void) {
    objr_mix_pack_config c;
    memset(&c, 0, sizeof c);
    c.use_stem_format = 1;
    c.sample_format = OBJR_BWF_SAMPLE_PCM24;
    return c;
}

/* The input side: the mix.xml as an input of the set, validated, then streamed. */
static objr_status pack_read(pack_job *j) {
    objr_status st = objr_input_check(j->in, j->d); /* never open a FIFO: it would hang */
    if (st != OBJR_OK) {
        j->failed = OBJR_MIX_FAILED_INPUT;
        return st;
    }
    struct stat sb;
    if (stat(j->in, &sb) == 0 && (uint64_t)sb.st_size >= OBJR__PACK_MAX_FILE_BYTES)
        return job_fail(j, OBJR_MIX_FAILED_INPUT, OBJR_ERR_LIMIT, "%s: larger than %zu bytes",
                        j->in, OBJR__PACK_MAX_FILE_BYTES);
    if (objr_outset_create(&j->outs) != OBJR_OK)
        return nomem(j);
    if ((st = note_input(j, j->in)) != OBJR_OK || (st = check_adm(j)) != OBJR_OK)
        return st;
    dir_of(j->in, j->dir, sizeof j->dir);
    return stream_mix(j);
}

objr_status objr_mix_pack(const char *mix_xml, const char *out, const objr_mix_pack_config *cfg,
                          objr_mix_pack_result *result, objr_diag *diag) {
    objr__xml_init();
    pack_job j;
    memset(&j, 0, sizeof j);
    j.in = mix_xml;
    j.out = out;
    j.cfg = cfg ? *cfg : objr_mix_pack_config_default();
    objr_diag local;
    j.d = diag ? diag : &local;
    objr_diag_clear(j.d);
    if (result)
        memset(result, 0, sizeof *result);
    objr_status st = pack_read(&j);
    for (size_t u = 0; st == OBJR_OK && u < j.n_rows; u++)
        st = map_row(&j, u);
    if (st == OBJR_OK) {
        choose_format(&j);
        if ((st = open_writer(&j)) == OBJR_OK)
            st = copy_audio(&j);
    }
    if (result) {
        result->failed = st == OBJR_OK ? OBJR_MIX_FAILED_NONE : j.failed;
        result->n_tracks = j.n_tracks;
        result->n_stems = j.n_stems;
        result->n_track_uids = j.n_rows;
        result->n_frames = j.max_frames;
        result->sample_rate_hz = j.n_stems ? j.stems[0].fmt.sample_rate_hz : 0;
    }
    job_free(&j);
    return st;
}
