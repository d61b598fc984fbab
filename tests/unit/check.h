/* check.h — minimal assertions for the pure-C unit tests: count every check,
 * report each failure with its location, exit non-zero if any failed. */
#ifndef TLSALERTS_TEST_CHECK_H
#define TLSALERTS_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static unsigned check_passed, check_failed;

#define CHECK(cond, ...)                                                    \
    do {                                                                    \
        if (cond) {                                                         \
            check_passed++;                                                 \
        } else {                                                            \
            check_failed++;                                                 \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
            fprintf(stderr, __VA_ARGS__);                                   \
            fputc('\n', stderr);                                            \
        }                                                                   \
    } while (0)

#define CHECK_STR(actual, expected)                                         \
    do {                                                                    \
        const char *a_ = (actual), *e_ = (expected);                        \
        CHECK(a_ && e_ && strcmp(a_, e_) == 0, "got \"%s\", expected \"%s\"", \
              a_ ? a_ : "(null)", e_ ? e_ : "(null)");                      \
    } while (0)

static inline int check_report(const char *name)
{
    printf("%s: %u passed, %u failed\n", name, check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
