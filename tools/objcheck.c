/* SPDX-License-Identifier: BSD-3-Clause */
/* objcheck: translation check of one mix across its renders (7.1.4 reference, 5.1, 2.0, the
 * fold-downs and binaural), writing report.json and report.html. Exit status: tool_common.h
 * (0 no check failed, warnings allowed; 5 a check failed, the report is written). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "objrender/objr.h"
#include "tool_common.h"
#include "tool_json.h"
#include "tool_options.h"
#include "tool_progress.h"

#define EXIT_CHECK_FAILED EXIT_NOT_MET
#define MAX_LIST 16

/* The option table (tool_options.h): parses, checks and generates --help. */
enum {
    O_RENDERS,
    O_HRTF,
    O_BINAURAL_MODE,
    O_HRTF_EQ,
    O_BINAURAL_OBJECTS,
    O_SPATIAL_CODING,
    O_CENTRE_TRIM,
    O_SURROUND_TRIM,
    O_HEIGHT_TRIM,
    O_BACK_TRIM,
    O_BALANCE,
    O_LFE,
    O_SET,
    O_THRESHOLDS,
    O_NO_OBJECTS,
    O_REPAIR_NONFINITE,
    O_ALLOW_EXTERNAL_STEMS,
    O_STRICT,
    O_OUT,
    N_OPTIONS
};

static const tool_option options[N_OPTIONS] = {
    [O_RENDERS] = {"renders", 0, TOOL_STRING, "LIST", "5.1,2.0,5.1-fold,loro,ltrt,binaural", 0, 0,
                   NULL, NULL,
                   "comma list compared with the 7.1.4 reference (5.1 2.0 7.1 5.1.4 5.1-fold "
                   "7.1-fold 5.1.4-fold loro ltrt binaural; scN: spatial coding to N elements)",
                   0, 0, NULL, 0, NULL},
    [O_HRTF] = TOOL_OPTION_HRTF,
    [O_BINAURAL_MODE] = TOOL_OPTION_BINAURAL_MODE,
    [O_HRTF_EQ] = TOOL_OPTION_HRTF_EQ,
    [O_BINAURAL_OBJECTS] = {"binaural-objects", 0, TOOL_INT, "N", "4", 0, 4096, NULL, NULL,
                            "most objects measured alone in binaural", 0, 0, NULL, 0, NULL},
    [O_SPATIAL_CODING] = {"spatial-coding", 0, TOOL_INT, "N", "off", 1, 64, NULL, NULL,
                          "add the 'spatial coding (N)' render (= --renders ...,scN): the scene "
                          "clustered to N elements as streaming delivery does (12, 14 or 16), "
                          "against the 7.1.4, with each object's largest position error",
                          0, 0, NULL, 0, NULL},
    [O_CENTRE_TRIM] = {"centre-trim", 0, TOOL_STRING, "DB|off", "-3.01 (1/sqrt 2)", 0, 0, NULL,
                       "dB", "centre into L/R in fold-downs", 0, 0, NULL, 0, NULL},
    [O_SURROUND_TRIM] = {"surround-trim", 0, TOOL_STRING, "DB|off", "-3.01 (1/sqrt 2)", 0, 0, NULL,
                         "dB", "surrounds into L/R", 0, 0, NULL, 0, NULL},
    [O_HEIGHT_TRIM] = {"height-trim", 0, TOOL_STRING, "DB|off", "-3", 0, 0, NULL, "dB",
                       "tops into the ear layer (off drops them)", 0, 0, NULL, 0, NULL},
    [O_BACK_TRIM] = {"back-trim", 0, TOOL_STRING, "DB|off", "0", 0, 0, NULL, "dB",
                     "rear surrounds into the 5.1 surrounds", 0, 0, NULL, 0, NULL},
    [O_BALANCE] = {"balance", 0, TOOL_NUMBER, "DB", "0", -40.0, 40.0, NULL, "dB",
                   "front/back balance: fronts +DB/2, surrounds -DB/2", 0, 0, NULL, 0, NULL},
    [O_LFE] =
        {"lfe", 0, TOOL_STRING, "drop|fold[:DB]", "drop (fold: 0 dB)", 0, 0, NULL, NULL,
         "LFE in 2.0 fold-downs (a Dolby dbmd chunk's downmix levels and trims apply unless a "
         "fold-down option is given)",
         0, 0, NULL, 0, NULL},
    [O_SET] = {"set", 0, TOOL_STRING, "NAME=VALUE", NULL, 0, 0, NULL, NULL,
               "a threshold (e.g. band_warn=2, object_drop_fail=10); repeatable", 0,
               TOOL_OPT_REPEAT, NULL, 0, NULL},
    [O_THRESHOLDS] = {"thresholds", 0, TOOL_STRING, "FILE", NULL, 0, 0, NULL, NULL,
                      "NAME = VALUE lines ('#' comments); repeatable, applied in order with --set",
                      0, TOOL_OPT_REPEAT, NULL, 0, NULL},
    [O_NO_OBJECTS] = {"no-objects", 0, TOOL_FLAG, NULL, NULL, 0, 0, NULL, NULL,
                      "skip the per-object figures", 0, 0, NULL, 0, NULL},
    [O_REPAIR_NONFINITE] = TOOL_OPTION_REPAIR_NONFINITE,
    [O_ALLOW_EXTERNAL_STEMS] = TOOL_OPTION_ALLOW_EXTERNAL_STEMS,
    [O_STRICT] = {"strict", 0, TOOL_FLAG, NULL, NULL, 0, 0, NULL, NULL,
                  "every ADM deviation objrender would fix is an error (as objrender --strict)", 0,
                  0, NULL, 0, NULL},
    [O_OUT] = {"out", 0, TOOL_ALIAS, NULL, NULL, 0, 0, NULL, NULL, NULL, TOOL_COMMON_OUTPUT,
               TOOL_OPT_DEPRECATED | TOOL_OPT_HIDDEN, NULL, 0, NULL},
};

static const tool_cli cli = {
    .prog = "objcheck",
    .synopsis = "Usage: objcheck INPUT [-o DIR] [options]",
    .description = "Translation check of one mix (ADM BWF, or mix.xml with stems) across its\n"
                   "renders: the 7.1.4 reference, 5.1, 2.0, the fold-downs and binaural. Writes\n"
                   "DIR/report.json and DIR/report.html.",
    .options = options,
    .n_options = N_OPTIONS,
    .output_arg = "DIR",
    .output_help = "where report.json and report.html go (created if missing)",
    .output_def = ".",
    .epilogue = NULL,
};

static int parse_db(const char *s, double *out, int allow_off) {
    if (allow_off && strcmp(s, "off") == 0) {
        *out = -HUGE_VAL;
        return 1;
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

static int set_threshold(objr_check_thresholds *t, const char *nv, const char *where) {
    char name[64];
    const char *eq = strchr(nv, '=');
    if (!eq || (size_t)(eq - nv) >= sizeof name) {
        fprintf(stderr, "objcheck: %s: expected NAME=VALUE, got '%s'\n", where, nv);
        return 0;
    }
    size_t n = (size_t)(eq - nv);
    memcpy(name, nv, n);
    while (n && (name[n - 1] == ' ' || name[n - 1] == '\t'))
        n--;
    name[n] = 0;
    const char *v = eq + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    double val;
    char *end;
    val = strtod(v, &end);
    while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
        end++;
    if (end == v || *end) {
        fprintf(stderr, "objcheck: %s: '%s' is not a number\n", where, v);
        return 0;
    }
    objr_status st = objr_check_thresholds_set(t, name, val);
    if (st != OBJR_OK) {
        fprintf(stderr, "objcheck: %s: unknown threshold '%s' or bad value\n", where, name);
        return 0;
    }
    return 1;
}

static int load_thresholds(objr_check_thresholds *t, const char *path) {
    objr_diag ck;
    objr_diag_clear(&ck);
    if (objr_input_check(path, &ck) != OBJR_OK) { /* a FIFO would hang */
        fprintf(stderr, "objcheck: %s\n", ck.message);
        return 0;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "objcheck: %s: cannot read: %s\n", path, strerror(errno));
        return 0;
    }
    char line[256], where[600];
    int ln = 0, ok = 1;
    while (ok && fgets(line, sizeof line, f)) {
        ln++;
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '\n' || *p == '\r' || !*p)
            continue;
        snprintf(where, sizeof where, "%s:%d", path, ln);
        ok = set_threshold(t, p, where);
    }
    fclose(f);
    return ok;
}

/* A trim value: dB, or "off" (-inf: the channels dropped). */
static int trim_value(const tool_args *a, int opt, double *out) {
    const char *v = a->v[opt].str;
    double db;
    if (!v)
        return 1;
    if (!parse_db(v, &db, 1) || (isfinite(db) && (db < -120.0 || db > 20.0))) {
        tool_usage_error(&cli, "bad --%s '%s': expected dB in -120..20 or off", options[opt].name,
                         v);
        return 0;
    }
    *out = isfinite(db) ? db : OBJR_FOLDDOWN_OFF_DB;
    return 1;
}

/* --lfe drop|fold[:DB]. */
static int lfe_value(const char *val, objr_check_config *cfg) {
    if (strcmp(val, "drop") == 0) {
        cfg->folddown.lfe_policy = OBJR_LFE_DROP;
        return EXIT_OK;
    }
    if (strncmp(val, "fold", 4) == 0 && (val[4] == 0 || val[4] == ':')) {
        cfg->folddown.lfe_policy = OBJR_LFE_FOLD;
        cfg->folddown.lfe_gain_db = 0.0;
        if (val[4] == ':' && !parse_db(val + 5, &cfg->folddown.lfe_gain_db, 0))
            return tool_usage_error(&cli, "bad --lfe: '%s' is not a dB value", val + 5);
        return EXIT_OK;
    }
    return tool_usage_error(&cli, "bad --lfe '%s': expected drop or fold[:DB]", val);
}

/* The parsed table into the check configuration. */
static int configure(const tool_args *a, objr_check_config *cfg, char *renders_buf, size_t size,
                     const char **renders) {
    if (a->v[O_RENDERS].str || tool_given(a, O_SPATIAL_CODING)) {
        const char *list = a->v[O_RENDERS].str ? a->v[O_RENDERS].str : options[O_RENDERS].def;
        if (tool_given(a, O_SPATIAL_CODING))
            snprintf(renders_buf, size, "%s,sc%d", list, (int)a->v[O_SPATIAL_CODING].num);
        else
            snprintf(renders_buf, size, "%s", list);
        size_t n = 0;
        for (char *tok = strtok(renders_buf, ","); tok && n < MAX_LIST; tok = strtok(NULL, ","))
            renders[n++] = tok;
        cfg->renders = renders;
        cfg->n_renders = n;
    }
    /* explicit fold-down options replace the file's Dolby dbmd downmix levels and trims */
    for (int o = O_CENTRE_TRIM; o <= O_LFE; o++)
        if (tool_given(a, o))
            cfg->apply_dbmd = 0;
    if (!trim_value(a, O_CENTRE_TRIM, &cfg->folddown.centre_trim_db) ||
        !trim_value(a, O_SURROUND_TRIM, &cfg->folddown.surround_trim_db) ||
        !trim_value(a, O_HEIGHT_TRIM, &cfg->folddown.height_trim_db) ||
        !trim_value(a, O_BACK_TRIM, &cfg->folddown.back_trim_db))
        return EXIT_USAGE;
    if (tool_given(a, O_BALANCE))
        cfg->folddown.front_back_balance_db = a->v[O_BALANCE].num;
    int rc;
    if (a->v[O_LFE].str && (rc = lfe_value(a->v[O_LFE].str, cfg)) != EXIT_OK)
        return rc;
    cfg->hrtf_path = a->v[O_HRTF].str;
    if (tool_given(a, O_HRTF_EQ))
        cfg->binaural_diffuse_eq = a->v[O_HRTF_EQ].choice == 0;
    if (tool_given(a, O_BINAURAL_MODE))
        cfg->binaural_mode = tool_binaural_mode(a->v[O_BINAURAL_MODE].choice);
    if (tool_given(a, O_BINAURAL_OBJECTS))
        cfg->max_binaural_objects = (size_t)a->v[O_BINAURAL_OBJECTS].num;
    if (tool_given(a, O_NO_OBJECTS))
        cfg->per_object = 0;
    cfg->repair_nonfinite = tool_given(a, O_REPAIR_NONFINITE);
    cfg->allow_external_stems = tool_given(a, O_ALLOW_EXTERNAL_STEMS);
    cfg->strict = tool_given(a, O_STRICT);
    /* thresholds: --set and --thresholds in the order given */
    for (size_t k = 0; k < a->n_occ; k++) {
        if (a->occ[k].opt == O_SET && !set_threshold(&cfg->thresholds, a->occ[k].value, "--set"))
            return EXIT_USAGE;
        if (a->occ[k].opt == O_THRESHOLDS && !load_thresholds(&cfg->thresholds, a->occ[k].value))
            return EXIT_INPUT; /* the file is an input: unreadable or a bad line */
    }
    return EXIT_OK;
}

static int check_main(const tool_args *a);

/* Warnings about the input: one line each, after clearing the progress line (user: the
 * tool_progress). */
static void warning_cb(void *user, const char *message) {
    if (user)
        tool_progress_clear(user);
    fprintf(stderr, "objcheck: warning: %s\n", message);
}

/* Before any work: no report may land on a file the run reads (compared by device and
 * inode: the input, a thresholds file, the SOFA); the report folder is created when written. */
static int check_outputs(const tool_args *a, const char *input, const char *hrtf, const char *jp,
                         const char *hp) {
    objr_outset *set = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st = objr_outset_create(&set);
    if (st == OBJR_OK)
        st = objr_outset_add_input(set, input, &d);
    if (st == OBJR_OK && hrtf)
        st = objr_outset_add_input(set, hrtf, &d);
    for (size_t k = 0; k < a->n_occ && st == OBJR_OK; k++)
        if (a->occ[k].opt == O_THRESHOLDS)
            st = objr_outset_add_input(set, a->occ[k].value, &d);
    if (st == OBJR_OK && (st = objr_outset_check(set, jp, &d)) == OBJR_OK)
        st = objr_outset_check(set, hp, &d);
    objr_outset_destroy(set);
    if (st != OBJR_OK)
        fprintf(stderr, "objcheck: %s\n", d.message[0] ? d.message : objr_strerror(st));
    return tool_exit_for_output(st);
}

int main(int argc, char **argv) {
    tool_args a;
    int rc = tool_parse(&cli, argc, argv, &a);
    if (rc < 0)
        rc = check_main(&a);
    tool_args_free(&a);
    return rc;
}

static int check_main(const tool_args *a) {
    objr_check_config cfg = objr_check_config_default();
    char renders_buf[256];
    const char *renders[MAX_LIST];
    int quiet = a->quiet;
    if (a->n_pos == 0)
        return tool_usage_error(&cli, "no INPUT given");
    if (a->n_pos > 1)
        return tool_usage_error(&cli, "one input only ('%s' and '%s')", a->pos[0], a->pos[1]);
    const char *input = a->pos[0], *out_dir = a->output ? a->output : ".";
    if (strcmp(input, "-") == 0)
        return tool_usage_error(&cli, "- (stdin) is not an input here: the check reads its input "
                                      "once per render; give a file");
    if (strcmp(out_dir, "-") == 0)
        return tool_usage_error(&cli, "-o -: the reports are two files; give a folder");
    int rc = configure(a, &cfg, renders_buf, sizeof renders_buf, renders);
    if (rc != EXIT_OK)
        return rc;
    char jp[4096], hp[4096];
    snprintf(jp, sizeof jp, "%s/report.json", out_dir);
    snprintf(hp, sizeof hp, "%s/report.html", out_dir);
    if ((rc = check_outputs(a, input, cfg.hrtf_path, jp, hp)) != EXIT_OK)
        return rc;
    objr_outfile_install_signal_cleanup();
    int with_binaural = !cfg.renders;
    for (size_t k = 0; cfg.renders && k < cfg.n_renders; k++)
        with_binaural |= strcmp(cfg.renders[k], "binaural") == 0;
    if (!with_binaural && a->v[O_HRTF].str)
        tool_warn(&cli, "--hrtf %s is not used: --renders has no binaural", a->v[O_HRTF].str);
    if (with_binaural && (rc = tool_check_hrtf("objcheck", cfg.hrtf_path)) != EXIT_OK)
        return rc;
    objr_diag diag;
    memset(&diag, 0, sizeof diag);
    objr_check_report *rep = NULL;
    tool_progress progress;
    tool_progress_init(&progress, a);
    cfg.on_progress = tool_progress_cb;
    cfg.on_progress_user = &progress;
    cfg.warning = warning_cb;
    cfg.warning_user = &progress;
    objr_status st = objr_check_run(input, &cfg, &rep, &diag);
    tool_progress_clear(&progress);
    if (st != OBJR_OK) {
        const char *msg = diag.message[0] ? diag.message : objr_strerror(st);
        if (tool_msg_names(msg, input))
            fprintf(stderr, "objcheck: %s\n", msg);
        else
            fprintf(stderr, "objcheck: %s: %s\n", input, msg);
        /* INVALID_ARG comes from the configuration (an unknown render, bad trims) */
        return st == OBJR_ERR_INVALID_ARG ? EXIT_USAGE : tool_exit_for_status(st, 0);
    }
    if ((st = objr_check_report_write_json(rep, jp, &diag)) != OBJR_OK ||
        (st = objr_check_report_write_html(rep, hp, &diag)) != OBJR_OK) {
        fprintf(stderr, "objcheck: %s\n", diag.message[0] ? diag.message : objr_strerror(st));
        objr_check_report_destroy(rep);
        return tool_exit_for_status(st, 1);
    }
    objr_check_verdict verdict = objr_check_report_verdict(rep);
    if (a->json) {
        static const char *const names[] = {"pass", "warn", "fail"};
        printf("{\"input\": ");
        objr_json_write_string(stdout, input);
        printf(", \"report_json\": ");
        objr_json_write_string(stdout, jp);
        printf(", \"report_html\": ");
        objr_json_write_string(stdout, hp);
        printf(", \"verdict\": \"%s\"}\n",
               names[verdict <= OBJR_CHECK_FAIL ? verdict : OBJR_CHECK_FAIL]);
    } else if (!quiet) {
        char *s = objr_check_report_summary(rep);
        if (s)
            fputs(s, stdout);
        free(s);
        printf("report: %s, %s\n", jp, hp);
    }
    rc = verdict == OBJR_CHECK_FAIL ? EXIT_CHECK_FAILED : EXIT_OK;
    objr_check_report_destroy(rep);
    return rc;
}
