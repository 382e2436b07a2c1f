/* bspgpu profile: run an unmodified CUDA application under the CUPTI
 * collector (build/libbspgpu-cupti.so, found beside this executable) and
 * pass its exit code through.  Options reach the collector through the
 * environment (src/cupti/profile_env.h). */
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "bspgpu/profile.h"
#include "cmds.h"
#include "../cupti/profile_env.h"

#define CMD "profile"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: bspgpu profile -o PROFILE.csv [options] -- APP [ARGS...]\n"
            "\n"
            "Run APP (no shell) under the CUPTI collector.  Every kernel launch gets its\n"
            "exact duration (Activity API); the first launch of each configuration (name,\n"
            "grid, block) also gets hardware counters (Range Profiler, kernel replay).\n"
            "Writes PROFILE.csv, PROFILE.csv.memops.csv (copies and memsets),\n"
            "PROFILE.csv.api.csv (host API calls that launch, copy, set, launch graphs\n"
            "or synchronize) and PROFILE.csv.meta.json (device, driver, clocks seen,\n"
            "wall time, exit code), each whole or not at all; old files of those names\n"
            "are removed first.\n"
            "Exit code: APP's (128+N if a signal N ended it); 2 misuse; 1 if APP could\n"
            "not be started or the collector library is missing.\n"
            "\n"
            "options:\n"
            "  -o, --output PATH     profile CSV to write (required)\n"
            "  --metrics SET         seed (default: what the seed model needs), full (every\n"
            "                        counter of counters.h), mem (L2, DRAM and cycle counters\n"
            "                        only, one replay pass) or none (durations only)\n"
            "  --kernel-regex RE     profile only kernels whose demangled or mangled name\n"
            "                        matches RE (POSIX extended); all are still timed\n"
            "  --launch-skip N       pass over the first N matching launches\n"
            "  --launch-count N      profile at most N launches in all (0: no limit)\n"
            "  --samples K           profile K launches of each configuration (default 1;\n"
            "                        0: every launch, as Nsight Compute does)\n"
            "  --config-skip N       pass over the first N launches of each configuration:\n"
            "                        counters from a later (warm) launch; configurations\n"
            "                        launched N times or fewer get none\n"
            "  --capture-range MODE  none (default: the whole process) or profiler-api:\n"
            "                        only the launches, copies, memsets and API calls made\n"
            "                        between cudaProfilerStart (cuProfilerStart) and the\n"
            "                        next stop, or the end; every range is kept.  Launches\n"
            "                        outside run unprofiled and are not written; the\n"
            "                        options above count only launches inside\n"
            "  --range-profiler MODE release (default: disabled after each profiled launch,\n"
            "                        so the launches timed in between run without it) or\n"
            "                        keep (enabled from the first profiled launch on: fewer\n"
            "                        set-ups, but it slows their DRAM traffic)\n"
            "  --board NAME          board name recorded in the metadata\n"
            "  -h, --help            this help\n"
            "\n"
            "examples:\n"
            "  bspgpu profile -o resnet.csv -- python3 infer.py --batch 32\n"
            "  bspgpu profile -o mm.csv --metrics full --samples 0 -- ./matmul 4096\n"
            "  bspgpu profile -o t.csv --metrics none --board h100-sxm -- ./app\n"
            "  bspgpu profile -o steady.csv --capture-range profiler-api -- python3 train.py\n");
}

/* Value of option argv[*i] ("--opt VALUE" or "--opt=VALUE"); NULL if the
 * option is not `name`; *missing set when it is but has no value. */
static const char *opt_value(int argc, char **argv, int *i, const char *name, const char *alias, int *missing)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strcmp(a, name) == 0 || (alias && strcmp(a, alias) == 0)) {
        if (*i + 1 >= argc || strcmp(argv[*i + 1], "--") == 0) {
            *missing = 1;
            return NULL;
        }
        return argv[++*i];
    }
    if (strncmp(a, name, n) == 0 && a[n] == '=')
        return a + n + 1;
    return NULL;
}

/* Directory of the running executable + "/" + BSP_CUPTI_LIB_NAME. */
static int find_lib(char *out, size_t n)
{
    const char *env = getenv(BSP_ENV_CUPTI_LIB);
    char exe[PATH_MAX];
    if (env && *env) {
        snprintf(out, n, "%s", env);
        return 0;
    }
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k <= 0)
        return -1;
    exe[k] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    if ((size_t)snprintf(out, n, "%s/%s", exe, BSP_CUPTI_LIB_NAME) >= n)
        return -1;
    return 0;
}

static int make_absolute(const char *path, char *out, size_t n)
{
    char cwd[PATH_MAX];
    if (path[0] == '/')
        return (size_t)snprintf(out, n, "%s", path) < n ? 0 : -1;
    if (!getcwd(cwd, sizeof cwd))
        return -1;
    return (size_t)snprintf(out, n, "%s/%s", cwd, path) < n ? 0 : -1;
}

static void remove_outputs(const char *out)
{
    static const char *const sfx[] = { "", ".memops.csv", ".api.csv", ".meta.json", ".claim" };
    char p[PATH_MAX + 32];
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        snprintf(p, sizeof p, "%s%s", out, sfx[i]);
        unlink(p);
    }
}

/* The application's command line, shell-quoted where needed. */
static void join_command(char **app, char *out, size_t n)
{
    size_t k = 0;
    out[0] = '\0';
    for (int i = 0; app[i] && k + 1 < n; i++) {
        const char *a = app[i];
        int quote = !*a || strpbrk(a, " \t\n'\"\\$`*?[]{}()<>|&;#~") != NULL;
        k += (size_t)snprintf(out + k, n - k, "%s%s", i ? " " : "", quote ? "'" : "");
        for (const char *c = a; *c && k + 5 < n; c++) {
            if (quote && *c == '\'')
                k += (size_t)snprintf(out + k, n - k, "'\\''");
            else
                out[k++] = *c, out[k] = '\0';
        }
        if (quote && k + 1 < n)
            k += (size_t)snprintf(out + k, n - k, "'");
    }
}

int bsp_cmd_profile(int argc, char **argv)
{
    const char *out = NULL, *metrics = "seed", *regex = NULL, *skip = NULL, *count = NULL, *samples = NULL, *cskip = NULL,
               *board = NULL, *capture = "none", *rprof = NULL;
    char **app = NULL;
    char lib[PATH_MAX], out_abs[PATH_MAX], cmdline[1024];
    uint64_t u;
    int missing = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "--") == 0) {
            app = argv + i + 1;
            break;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        }
        if ((v = opt_value(argc, argv, &i, "--output", "-o", &missing)))
            out = v;
        else if ((v = opt_value(argc, argv, &i, "--metrics", NULL, &missing)))
            metrics = v;
        else if ((v = opt_value(argc, argv, &i, "--kernel-regex", NULL, &missing)))
            regex = v;
        else if ((v = opt_value(argc, argv, &i, "--launch-skip", NULL, &missing)))
            skip = v;
        else if ((v = opt_value(argc, argv, &i, "--launch-count", NULL, &missing)))
            count = v;
        else if ((v = opt_value(argc, argv, &i, "--samples", NULL, &missing)))
            samples = v;
        else if ((v = opt_value(argc, argv, &i, "--config-skip", NULL, &missing)))
            cskip = v;
        else if ((v = opt_value(argc, argv, &i, "--board", NULL, &missing)))
            board = v;
        else if ((v = opt_value(argc, argv, &i, "--capture-range", NULL, &missing)))
            capture = v;
        else if ((v = opt_value(argc, argv, &i, "--range-profiler", NULL, &missing)))
            rprof = v;
        else if (missing)
            ;
        else if (a[0] == '-')
            return cli_usage_error(CMD, "unknown option '%s'", a);
        else
            return cli_usage_error(CMD, "'%s': the application must follow '--'", a);
        if (missing)
            return cli_usage_error(CMD, "option '%s' needs a value", a);
    }
    if (!out || !*out)
        return cli_usage_error(CMD, "-o PROFILE.csv is required");
    if (!app)
        return cli_usage_error(CMD, "missing '--' before the application");
    if (!app[0] || !*app[0])
        return cli_usage_error(CMD, "no application after '--'");
    if (bsp_metric_set_parse(metrics) < 0)
        return cli_usage_error(CMD, "--metrics %s: expected seed, full, mem or none", metrics);
    if (bsp_capture_mode_parse(capture) < 0)
        return cli_usage_error(CMD, "--capture-range %s: expected none or profiler-api", capture);
    if (rprof && strcmp(rprof, "release") != 0 && strcmp(rprof, "keep") != 0)
        return cli_usage_error(CMD, "--range-profiler %s: expected release or keep", rprof);
    if ((skip && bsp_parse_u64(skip, &u)) || (count && bsp_parse_u64(count, &u)) ||
        (samples && bsp_parse_u64(samples, &u)) || (cskip && bsp_parse_u64(cskip, &u)))
        return cli_usage_error(CMD, "--launch-skip, --launch-count, --samples and --config-skip take an unsigned integer");
    if (regex) {
        regex_t re;
        int rc = regcomp(&re, regex, REG_EXTENDED | REG_NOSUB);
        if (rc) {
            char msg[256];
            regerror(rc, &re, msg, sizeof msg);
            return cli_usage_error(CMD, "--kernel-regex '%s': %s", regex, msg);
        }
        regfree(&re);
    }
    if (board && strlen(board) >= sizeof(((bsp_profile_meta *)0)->board))
        return cli_usage_error(CMD, "--board: name too long");
    if (make_absolute(out, out_abs, sizeof out_abs - 32)) {
        cli_error(CMD, "%s: path too long", out);
        return 1;
    }
    if (find_lib(lib, sizeof lib) || access(lib, R_OK)) {
        cli_error(CMD, "collector library %s not found (build it with 'make %s', or set %s)",
                  lib[0] ? lib : BSP_CUPTI_LIB_NAME, "build/" BSP_CUPTI_LIB_NAME, BSP_ENV_CUPTI_LIB);
        return 1;
    }
    join_command(app, cmdline, sizeof cmdline);
    remove_outputs(out_abs);

    /* As system(3) does: the application takes the terminal's signals, we wait. */
    struct sigaction ign = { 0 }, old_int, old_quit;
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGINT, &ign, &old_int);
    sigaction(SIGQUIT, &ign, &old_quit);
    fflush(NULL);

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGQUIT, &old_quit, NULL);
        cli_error(CMD, "fork: %s", strerror(errno));
        return 1;
    }
    if (pid == 0) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGQUIT, &old_quit, NULL);
        setenv("CUDA_INJECTION64_PATH", lib, 1);
        setenv(BSP_ENV_OUT, out_abs, 1);
        setenv(BSP_ENV_METRICS, metrics, 1);
        if (regex)
            setenv(BSP_ENV_KERNEL_REGEX, regex, 1);
        else
            unsetenv(BSP_ENV_KERNEL_REGEX);
        setenv(BSP_ENV_LAUNCH_SKIP, skip ? skip : "0", 1);
        setenv(BSP_ENV_LAUNCH_COUNT, count ? count : "0", 1);
        setenv(BSP_ENV_SAMPLES, samples ? samples : "1", 1);
        setenv(BSP_ENV_CONFIG_SKIP, cskip ? cskip : "0", 1);
        setenv(BSP_ENV_CAPTURE, capture, 1);
        if (rprof)
            setenv(BSP_ENV_RELEASE, strcmp(rprof, "keep") == 0 ? "0" : "1", 1);
        execvp(app[0], app);
        fprintf(stderr, "bspgpu profile: cannot run '%s': %s\n", app[0], strerror(errno));
        _exit(errno == ENOENT ? 127 : 126);
    }
    int status = 0;
    pid_t w;
    while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
        ;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    int code;
    if (w < 0) {
        cli_error(CMD, "waitpid: %s", strerror(errno));
        code = 1;
    } else if (WIFEXITED(status)) {
        code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        code = 128 + WTERMSIG(status);
    } else {
        code = 1;
    }
    double wall_ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);

    char claim[PATH_MAX + 16];
    snprintf(claim, sizeof claim, "%s.claim", out_abs);
    unlink(claim);

    struct stat st;
    if (stat(out_abs, &st) != 0) {
        fprintf(stderr, "bspgpu profile: no profile written to %s (the application made no CUDA call, or "
                        "ended without running its exit handlers)\n", out);
        return code;
    }
    bsp_profile_meta m;
    bsp_err err = { 0 };
    if (bsp_profile_meta_load(&m, out_abs, &err))
        memset(&m, 0, sizeof m);
    m.app_wall_ns = wall_ns;
    m.app_exit_code = code;
    snprintf(m.command, sizeof m.command, "%s", cmdline);
    if (board)
        snprintf(m.board, sizeof m.board, "%s", board);
    if (!m.metric_set[0])
        snprintf(m.metric_set, sizeof m.metric_set, "%s", metrics);
    if (!m.capture_range[0])
        snprintf(m.capture_range, sizeof m.capture_range, "%s", capture);
    if (bsp_profile_meta_save(&m, out_abs, &err))
        cli_error(CMD, "%s", err.msg);
    return code;
}
