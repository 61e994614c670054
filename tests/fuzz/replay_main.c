/* SPDX-License-Identifier: BSD-3-Clause */
/* Replays every file in the directories given on the command line (and every file given by
 * name) through a libFuzzer harness's LLVMFuzzerTestOneInput, so crash inputs stay regression
 * tests without clang. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(n > 0 ? (size_t)n : 1);
    if (!buf || (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        fclose(f);
        free(buf);
        return 1;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(buf, (size_t)n);
    free(buf);
    return 0;
}

int main(int argc, char **argv) {
    int n_files = 0, failures = 0;
    for (int i = 1; i < argc; i++) {
        struct stat as;
        if (stat(argv[i], &as) == 0 && S_ISREG(as.st_mode)) { /* one input given by name */
            failures += replay_file(argv[i]);
            n_files++;
            continue;
        }
        DIR *d = opendir(argv[i]);
        if (!d)
            continue; /* a missing corpus folder is not an error */
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char path[4096];
            int n = snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
            if (n < 0 || (size_t)n >= sizeof path)
                continue;
            struct stat st;
            if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
                continue;
            failures += replay_file(path);
            n_files++;
        }
        closedir(d);
    }
    /* Always exercise the empty input too. */
    LLVMFuzzerTestOneInput((const uint8_t *)"", 0);
    printf("replayed %d inputs: %d passed, %d failed\n", n_files + 1, n_files + 1 - failures,
           failures);
    return failures != 0;
}
