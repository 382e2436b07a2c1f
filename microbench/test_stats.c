/* GPU-free unit test of mb_stats (median of odd and even counts, min/max,
 * rejection of empty and non-finite input). */
#include <math.h>
#include <stdio.h>

#include "mb_stats.h"

static int failures;

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
                    #cond);                                                  \
            failures++;                                                      \
        }                                                                    \
    } while (0)

int main(void)
{
    bsp_meas m;
    const double one[] = { 7.5 };
    const double odd[] = { 5, 1, 4, 2, 3 };
    const double even[] = { 10, 1, 4, 3 };        /* sorted 1 3 4 10: 3.5 */
    const double twin[] = { 2, 2 };
    const double neg[] = { -1, -3, -2, -4 };      /* sorted -4 -3 -2 -1 */
    const double bad[] = { 1, NAN, 3 };
    const double inf[] = { 1, INFINITY };

    CHECK(mb_median(one, 1) == 7.5);
    CHECK(mb_median(odd, 5) == 3.0);
    CHECK(mb_median(even, 4) == 3.5);
    CHECK(mb_median(twin, 2) == 2.0);
    CHECK(mb_median(neg, 4) == -2.5);
    CHECK(isnan(mb_median(odd, 0)));
    CHECK(isnan(mb_median(NULL, 3)));
    CHECK(isnan(mb_median(bad, 3)));
    CHECK(isnan(mb_median(inf, 2)));
    /* the input is left in its order */
    CHECK(even[0] == 10 && even[1] == 1 && even[2] == 4 && even[3] == 3);

    CHECK(mb_meas(even, 4, &m) == 0);
    CHECK(m.median == 3.5 && m.min == 1 && m.max == 10 && m.n == 4);
    CHECK(fabs(mb_spread(&m) - 9.0 / 3.5) < 1e-12);
    CHECK(mb_meas(odd, 5, &m) == 0);
    CHECK(m.median == 3 && m.min == 1 && m.max == 5 && m.n == 5);
    CHECK(mb_meas(bad, 3, &m) == BSP_EINVAL && m.n == 0);
    CHECK(mb_meas(odd, 0, &m) == BSP_EINVAL && m.n == 0);
    m.median = 0;
    CHECK(mb_spread(&m) == 0.0);

    if (failures) {
        fprintf(stderr, "test_stats: %d failure(s)\n", failures);
        return 1;
    }
    printf("test_stats: ok\n");
    return 0;
}
