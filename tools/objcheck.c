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

#define EXIT_CHECK_FAILED EXIT_NOT_MET
#define MAX_LIST 16

static void usage(FILE *f) {
    fputs("usage: objcheck INPUT [options]\n"
          "  INPUT                 ADM BWF (.wav) or mix.xml with stems\n"
          "  -o, --out DIR         where report.json and report.html go (default .)\n"
          "  --renders LIST        comma list compared with the 7.1.4 reference\n"
          "                        (5.1 2.0 7.1 5.1.4 5.1-fold 7.1-fold 5.1.4-fold loro ltrt\n"
          "                        binaural; default 5.1,2.0,5.1-fold,loro,ltrt,binaural)\n"
          "  --hrtf FILE.sofa      binaural: SOFA HRTF set (default libmysofa's, MIT KEMAR)\n"
          "  --binaural-mode MODE  binaural: room for objects without headphoneVirtualise,\n"
          "                        dry|off|near|mid|far (default mid), as objrender's\n"
          "  --binaural-objects N  most objects measured alone in binaural (default 16)\n"
          "  --hrtf-eq EQ          binaural: diffuse (diffuse-field equalised HRTFs, default)\n"
          "                        or none (the set's own responses), as objrender's\n"
          "  --centre-trim DB      centre into L/R in fold-downs (default -3.01 = 1/sqrt 2)\n"
          "  --surround-trim DB    surrounds into L/R (default -3.01 = 1/sqrt 2)\n"
          "  --height-trim DB|off  tops into the ear layer (default -3; off drops them)\n"
          "  --back-trim DB        rear surrounds into the 5.1 surrounds (default 0)\n"
          "  --balance DB          front/back balance: fronts +DB/2, surrounds -DB/2 (default 0)\n"
          "  --lfe drop|fold[:DB]  LFE in 2.0 fold-downs (default drop; fold default 0 dB)\n"
          "  --set NAME=VALUE      a threshold (e.g. band_warn=2, object_drop_fail=10)\n"
          "  --thresholds FILE     NAME = VALUE lines ('#' comments)\n"
          "  --no-objects          skip the per-object renders\n"
          "  -q, --quiet           no text summary on stdout\n"
          "  -h, --help\n"
          "\n" TOOL_EXIT_HELP,
          f);
}

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

/* Before any work: no report may land on a file the run reads (compared by device and
 * inode); the report folder is created when written. */
static int check_outputs(const char *input, const char *thresholds, const char *hrtf,
                         const char *jp, const char *hp) {
    objr_outset *set = NULL;
    objr_diag d;
    objr_diag_clear(&d);
    objr_status st = objr_outset_create(&set);
    const char *ins[3] = {input, thresholds, hrtf};
    for (size_t i = 0; i < 3 && st == OBJR_OK; i++)
        if (ins[i])
            st = objr_outset_add_input(set, ins[i], &d);
    if (st == OBJR_OK && (st = objr_outset_check(set, jp, &d)) == OBJR_OK)
        st = objr_outset_check(set, hp, &d);
    objr_outset_destroy(set);
    if (st != OBJR_OK)
        fprintf(stderr, "objcheck: %s\n", d.message[0] ? d.message : objr_strerror(st));
    return tool_exit_for_output(st);
}

int main(int argc, char **argv) {
    const char *input = NULL, *out_dir = ".", *thresholds_path = NULL;
    objr_check_config cfg = objr_check_config_default();
    char renders_buf[256];
    const char *renders[MAX_LIST];
    size_t n_renders = 0;
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
#define NEED()                                                                                     \
    do {                                                                                           \
        if (!val) {                                                                                \
            fprintf(stderr, "objcheck: %s needs a value\n", a);                                    \
            return EXIT_USAGE;                                                                     \
        }                                                                                          \
        i++;                                                                                       \
    } while (0)
        double db;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "-o") == 0 || strcmp(a, "--out") == 0) {
            NEED();
            out_dir = val;
        } else if (strcmp(a, "--renders") == 0) {
            NEED();
            snprintf(renders_buf, sizeof renders_buf, "%s", val);
            n_renders = 0;
            for (char *tok = strtok(renders_buf, ","); tok && n_renders < MAX_LIST;
                 tok = strtok(NULL, ","))
                renders[n_renders++] = tok;
            cfg.renders = renders;
            cfg.n_renders = n_renders;
        } else if (strcmp(a, "--centre-trim") == 0 || strcmp(a, "--surround-trim") == 0 ||
                   strcmp(a, "--height-trim") == 0 || strcmp(a, "--back-trim") == 0 ||
                   strcmp(a, "--balance") == 0) {
            NEED();
            int off_ok = strcmp(a, "--balance") != 0;
            if (!parse_db(val, &db, off_ok)) {
                fprintf(stderr, "objcheck: %s: '%s' is not a dB value\n", a, val);
                return EXIT_USAGE;
            }
            if (!isfinite(db))
                db = OBJR_FOLDOWN_OFF_DB;
            if (a[2] == 'c')
                cfg.foldown.centre_trim_db = db;
            else if (a[2] == 's')
                cfg.foldown.surround_trim_db = db;
            else if (a[2] == 'h')
                cfg.foldown.height_trim_db = db;
            else if (a[2] == 'b' && a[3] == 'a' && a[4] == 'c')
                cfg.foldown.back_trim_db = db;
            else
                cfg.foldown.front_back_balance_db = db;
        } else if (strcmp(a, "--lfe") == 0) {
            NEED();
            if (strcmp(val, "drop") == 0)
                cfg.foldown.lfe_policy = OBJR_LFE_DROP;
            else if (strncmp(val, "fold", 4) == 0) {
                cfg.foldown.lfe_policy = OBJR_LFE_FOLD;
                cfg.foldown.lfe_gain_db = 0.0;
                if (val[4] == ':' && !parse_db(val + 5, &cfg.foldown.lfe_gain_db, 0)) {
                    fprintf(stderr, "objcheck: --lfe: '%s' is not a dB value\n", val + 5);
                    return EXIT_USAGE;
                } else if (val[4] && val[4] != ':') {
                    fprintf(stderr, "objcheck: --lfe: expected drop or fold[:DB]\n");
                    return EXIT_USAGE;
                }
            } else {
                fprintf(stderr, "objcheck: --lfe: expected drop or fold[:DB], got '%s'\n", val);
                return EXIT_USAGE;
            }
        } else if (strcmp(a, "--set") == 0) {
            NEED();
            if (!set_threshold(&cfg.thresholds, val, "--set"))
                return EXIT_USAGE;
        } else if (strcmp(a, "--thresholds") == 0) {
            NEED();
            thresholds_path = val;
            if (!load_thresholds(&cfg.thresholds, val))
                return EXIT_INPUT; /* the file is an input: unreadable or a bad line */
        } else if (strcmp(a, "--hrtf") == 0) {
            NEED();
            cfg.hrtf_path = val;
        } else if (strcmp(a, "--hrtf-eq") == 0) {
            NEED();
            if (strcmp(val, "diffuse") == 0 || strcmp(val, "none") == 0) {
                cfg.binaural_diffuse_eq = strcmp(val, "diffuse") == 0;
            } else {
                fprintf(stderr, "objcheck: --hrtf-eq: '%s' (diffuse or none)\n", val);
                return EXIT_USAGE;
            }
        } else if (strcmp(a, "--binaural-mode") == 0) {
            NEED();
            static const char *const modes[] = {"default", "off", "near", "mid", "far", "dry"};
            cfg.binaural_mode = 0;
            for (int k = OBJR_BINAURAL_MODE_OFF; k <= OBJR_BINAURAL_MODE_DRY; k++)
                if (strcmp(val, modes[k]) == 0)
                    cfg.binaural_mode = k;
            if (!cfg.binaural_mode) {
                fprintf(stderr, "objcheck: --binaural-mode: '%s' (dry, off, near, mid or far)\n",
                        val);
                return EXIT_USAGE;
            }
        } else if (strcmp(a, "--binaural-objects") == 0) {
            NEED();
            char *end;
            errno = 0;
            unsigned long n = strtoul(val, &end, 10);
            if (errno || end == val || *end || val[0] == '-' || n > 4096) {
                fprintf(stderr, "objcheck: --binaural-objects: '%s' (0..4096)\n", val);
                return EXIT_USAGE;
            }
            cfg.max_binaural_objects = (size_t)n;
        } else if (strcmp(a, "--no-objects") == 0) {
            cfg.per_object = 0;
        } else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
            quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "objcheck: unknown option %s (see --help)\n", a);
            return EXIT_USAGE;
        } else if (!input) {
            input = a;
        } else {
            fprintf(stderr, "objcheck: one input only ('%s' and '%s')\n", input, a);
            return EXIT_USAGE;
        }
#undef NEED
    }
    if (!input) {
        usage(stderr);
        return EXIT_USAGE;
    }
    int with_binaural = !cfg.renders;
    for (size_t k = 0; cfg.renders && k < cfg.n_renders; k++)
        with_binaural |= strcmp(cfg.renders[k], "binaural") == 0;
    if (strcmp(input, "-") == 0) {
        fprintf(stderr, "objcheck: - (stdin) is not an input here: the check reads its input "
                        "once per render; give a file\n");
        return EXIT_USAGE;
    }
    if (strcmp(out_dir, "-") == 0) {
        fprintf(stderr, "objcheck: -o -: the reports are two files; give a folder\n");
        return EXIT_USAGE;
    }
    int rc;
    char jp[4096], hp[4096];
    snprintf(jp, sizeof jp, "%s/report.json", out_dir);
    snprintf(hp, sizeof hp, "%s/report.html", out_dir);
    if ((rc = check_outputs(input, thresholds_path, cfg.hrtf_path, jp, hp)) != EXIT_OK)
        return rc;
    objr_outfile_install_signal_cleanup();
    if (with_binaural && (rc = tool_check_hrtf("objcheck", cfg.hrtf_path)) != EXIT_OK)
        return rc;
    objr_diag diag;
    memset(&diag, 0, sizeof diag);
    objr_check_report *rep = NULL;
    objr_status st = objr_check_run(input, &cfg, &rep, &diag);
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
    if (!quiet) {
        char *s = objr_check_report_summary(rep);
        if (s)
            fputs(s, stdout);
        free(s);
        printf("report: %s, %s\n", jp, hp);
    }
    rc = objr_check_report_verdict(rep) == OBJR_CHECK_FAIL ? EXIT_CHECK_FAILED : EXIT_OK;
    objr_check_report_destroy(rep);
    return rc;
}
