/* prom_textfile.c — atomic replacement of a textfile.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "prom_textfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

static bool failed(char **err, const char *what, const char *path, int error)
{
    *err = g_strdup_printf("cannot %s %s: %s", what, path, g_strerror(error));
    return false;
}

static bool write_all(int fd, const char *text, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, text, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        text += n;
        len -= (size_t)n;
    }
    return true;
}

bool tlsa_textfile_replace(const char *path, const char *text, size_t len, char **err)
{
    char *dir = g_path_get_dirname(path);
    char *base = g_path_get_basename(path);
    char *tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
    bool ok = false;
    int error = 0;
    const char *what = "create a temporary file beside";

    int fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0644);
    if (fd < 0) {
        error = errno;
        goto out;
    }
    what = "write";
    if (fchmod(fd, 0644) != 0 || !write_all(fd, text, len) || fsync(fd) != 0) {
        error = errno;
        close(fd);
        g_unlink(tmp);
        goto out;
    }
    if (close(fd) != 0) {
        error = errno;
        g_unlink(tmp);
        goto out;
    }
    what = "rename a temporary file onto";
    if (g_rename(tmp, path) != 0) {
        error = errno;
        g_unlink(tmp);
        goto out;
    }
    /* The rename itself must survive a crash too. */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    ok = true;
out:
    if (!ok)
        failed(err, what, path, error);
    g_free(tmp);
    g_free(base);
    g_free(dir);
    return ok;
}
