/* GPU-free test of src/cli/cmd_calibrate.c: --help prints the usage and
 * returns 0; any other call from a program with no bspgpu-calibrate beside
 * it fails with exit status 1 and a message naming the missing program. */
#include <stdio.h>
#include <string.h>

int bsp_cmd_calibrate(int argc, char **argv);

int main(void)
{
    char a0[] = "calibrate", help[] = "--help", h[] = "-h", o[] = "-o", f[] = "x.json";
    char *argv_help[] = { a0, help, NULL };
    char *argv_h[] = { a0, o, f, h, NULL };
    char *argv_run[] = { a0, o, f, NULL };
    int failures = 0, rc;

    if ((rc = bsp_cmd_calibrate(2, argv_help)) != 0) {
        fprintf(stderr, "test_cmd_calibrate: --help returned %d, want 0\n", rc);
        failures++;
    }
    if ((rc = bsp_cmd_calibrate(4, argv_h)) != 0) {
        fprintf(stderr, "test_cmd_calibrate: -h returned %d, want 0\n", rc);
        failures++;
    }
    /* This test program lives in build/microbench/, where no
     * bspgpu-calibrate is built: the command must fail cleanly. */
    if ((rc = bsp_cmd_calibrate(3, argv_run)) != 1) {
        fprintf(stderr, "test_cmd_calibrate: without the program returned %d, want 1\n", rc);
        failures++;
    }
    if (failures)
        return 1;
    printf("test_cmd_calibrate: ok\n");
    return 0;
}
