#!/usr/bin/env python3
"""check_first_run.py CHECK — what a new user meets before the first report.

  setup-no-sudo  scripts/setup-debian as an ordinary user who cannot use sudo, with no
                 terminal: stops at once with a message that names the missing packages
                 and says what to run; never sudo's own error, never a password prompt
  shadowed       the install step of `cmake --install` (cmake/install-plugin.cmake) as an
                 ordinary user while a global tlsalerts.so exists: installs the personal
                 copy and says that Wireshark loads the global one and what to do; the
                 real tshark agrees (it loads the global file and warns about the other);
                 with no global copy it says nothing

Both run the real scripts as the unprivileged user "nobody" (TLSALERTS_TEST_USER), so
they need root; otherwise they are skipped (exit 77).
Environment (set by CTest): TLSALERTS_SO, TLSALERTS_SOURCE_DIR, TLSALERTS_PLUGIN_SUBDIR.
"""
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile

import harness

Failure = harness.Failure
USER = os.environ.get("TLSALERTS_TEST_USER", "nobody")
MISSING = "tlsalerts-test-no-such-package"


def expect(cond, message):
    if not cond:
        raise Failure(message)


def as_user(cmd, home, env=None, timeout=60):
    pw = pwd.getpwnam(USER)
    full = ["setpriv", "--reuid=%d" % pw.pw_uid, "--regid=%d" % pw.pw_gid, "--clear-groups",
            "env", "-i", "PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "HOME=" + home, "LC_ALL=C.UTF-8"]
    full += ["%s=%s" % kv for kv in (env or {}).items()] + cmd
    return subprocess.run(full, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=timeout, cwd=home)


def private_home(tmp):
    home = os.path.join(tmp, "home")
    os.mkdir(home)
    os.chmod(tmp, 0o755)
    shutil.chown(home, USER)
    return home


def setup_no_sudo(tmp):
    home = private_home(tmp)
    script = os.path.join(tmp, "setup-debian")
    shutil.copy(os.path.join(harness.SOURCE_DIR, "scripts", "setup-debian"), script)
    os.chmod(script, 0o755)
    try:
        p = as_user([script, "build", MISSING], home)
    except subprocess.TimeoutExpired:
        raise Failure("setup-debian hung (waiting for a password?)")
    out = p.stdout + p.stderr
    expect(p.returncode != 0, "setup-debian exited 0 as %s with a missing package:\n%s" % (USER, out))
    expect(("These packages are missing: " + MISSING) in p.stderr, "no list of the missing packages:\n" + out)
    expect(re.search(r"^    (sudo |su -c ')apt-get install %s'?$" % re.escape(MISSING), p.stderr, re.M),
           "no command to run instead:\n" + out)
    expect("as root" in p.stderr, "does not say to run it as root:\n" + out)
    for raw in ("sudo: ", "password is required", "[sudo] password", "Permission denied", "are you root"):
        expect(raw not in out, "raw error %r in the output:\n%s" % (raw, out))
    print(p.stderr.strip())


def install_plugin(tmp, home, global_root):
    """The install step, run the way cmake_install.cmake runs it."""
    subdir = os.environ["TLSALERTS_PLUGIN_SUBDIR"]
    script = os.path.join(tmp, "install-plugin.cmake")
    shutil.copy(os.path.join(harness.SOURCE_DIR, "cmake", "install-plugin.cmake"), script)
    so = os.path.join(tmp, "tlsalerts.so")
    shutil.copy(os.environ["TLSALERTS_SO"], so)
    os.chmod(so, 0o644)
    cmd = ["cmake", "-DTLSA_PLUGIN_FILE=" + so, "-DTLSA_PLUGIN_DIR=", "-DTLSA_PLUGIN_SUBDIR=" + subdir,
           "-DTLSA_GLOBAL_DIR=/nonexistent/" + subdir, "-DTLSA_BUILD_DIR=BUILD", "-P", script]
    p = as_user(cmd, home, {"WIRESHARK_PLUGIN_DIR": global_root})
    expect(p.returncode == 0, "install step exited %d:\n%s%s" % (p.returncode, p.stdout, p.stderr))
    personal = os.path.join(home, ".local/lib/wireshark/plugins", subdir, "tlsalerts.so")
    expect(os.path.isfile(personal), "no personal copy in %s:\n%s%s" % (personal, p.stdout, p.stderr))
    return p


def shadowed(tmp):
    subdir = os.environ["TLSALERTS_PLUGIN_SUBDIR"]
    home = private_home(tmp)
    global_root = os.path.join(tmp, "global")
    os.makedirs(os.path.join(global_root, subdir))

    # No global copy: nothing to say.
    p = install_plugin(tmp, home, global_root)
    expect("Wireshark will NOT load" not in p.stderr, "warned with no global copy:\n" + p.stderr)

    glob = os.path.join(global_root, subdir, "tlsalerts.so")
    shutil.copy(os.environ["TLSALERTS_SO"], glob)
    os.chmod(glob, 0o644)
    p = install_plugin(tmp, home, global_root)
    msg = p.stderr
    expect("Wireshark will NOT load" in msg, "no warning about the global copy:\n" + p.stdout + msg)
    expect(os.path.dirname(glob) in msg, "the warning does not name the global folder:\n" + msg)
    expect("sudo rm %s" % glob in msg, "the warning does not say how to remove it:\n" + msg)
    expect("sudo cmake --install BUILD" in msg, "the warning does not say how to install globally:\n" + msg)
    expect("found in multiple directories" in msg, "the warning does not quote Wireshark's:\n" + msg)
    print(msg.strip())

    # What the warning says is what the real tshark does.
    t = as_user([harness.TSHARK, "-G", "plugins"], home, {"WIRESHARK_PLUGIN_DIR": global_root})
    loaded = [l.split()[-1] for l in t.stdout.splitlines() if re.match(r"^tlsalerts\.so\s", l)]
    expect(loaded == [glob], "tshark loaded %r, the warning says %s" % (loaded, glob))
    expect("The plugin 'tlsalerts.so' was found in multiple directories" in t.stderr,
           "tshark did not warn about the second copy:\n" + t.stderr)


CHECKS = {"setup-no-sudo": setup_no_sudo, "shadowed": shadowed}

if __name__ == "__main__":
    check = CHECKS[sys.argv[1]]
    if os.getuid() != 0:
        print("skipped: needs root to run the scripts as %s" % USER)
        sys.exit(77)
    tmp = tempfile.mkdtemp(prefix="tlsalerts-first-run.")
    try:
        harness.main(lambda: check(tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
