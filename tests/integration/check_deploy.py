#!/usr/bin/env python3
"""check_deploy.py CHECK — the files in deploy/ as their own tools read them.

  systemd   `systemd-analyze verify` accepts both units (executables pointed at
            this checkout's deploy/ scripts) without a word, and refuses a
            broken copy (so the check can fail); the sensor unit runs as its
            own user with exactly CAP_NET_RAW and CAP_NET_ADMIN
  config    `promtool check config` and `check rules` accept the fleet config
            and rules without warnings
  rules     `promtool test rules`: recording rule values and alert timing
  scripts   the deploy scripts parse (sh -n)
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import harness

DEPLOY = os.path.join(harness.SOURCE_DIR, "deploy")
PROMDIR = os.path.join(DEPLOY, "prometheus")


def fail(message):
    print("FAIL " + message)
    sys.exit(1)


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)


def systemd():
    units = ["tlsalerts-setup.service", "tlsalerts-sensor.service"]
    d = tempfile.mkdtemp(prefix="tlsalerts-units-")
    try:
        for u in units:
            with open(os.path.join(DEPLOY, u)) as f:
                text = f.read()
            with open(os.path.join(d, u), "w") as f:
                f.write(text.replace("/usr/local/bin/", DEPLOY + "/"))
        # --man=no: the units' Documentation= is not checked against installed man pages
        # (the test chroots carry none).
        p = run(["systemd-analyze", "verify", "--man=no"] + [os.path.join(d, u) for u in units])
        if p.returncode != 0 or about_ours(p.stdout, d):
            fail("systemd-analyze verify exited %d:\n%s" % (p.returncode, p.stdout))
        sensor = open(os.path.join(d, "tlsalerts-sensor.service")).read()
        for line in ("User=tlsalerts", "AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN",
                     "CapabilityBoundingSet=CAP_NET_RAW CAP_NET_ADMIN", "Restart=on-failure",
                     "EnvironmentFile=/etc/default/tlsalerts"):
            if not re.search("^%s$" % re.escape(line), sensor, re.M):
                fail("tlsalerts-sensor.service lacks " + line)
        with open(os.path.join(d, "broken.service"), "w") as f:
            f.write(sensor.replace("Restart=on-failure", "Restart=on-failur").replace(DEPLOY + "/tlsalerts-sensor",
                                                                                      "/nonexistent/sensor"))
        p = run(["systemd-analyze", "verify", "--man=no", os.path.join(d, "broken.service")])
        if p.returncode == 0 and not about_ours(p.stdout, d):
            fail("systemd-analyze verify accepted a broken unit")
    finally:
        shutil.rmtree(d)


def about_ours(text, folder):
    """systemd-analyze's lines but those about another unit file of the machine:
    verify loads the units ours depend on, and warns about them too (e.g. an
    installed freeradius.service that still uses MemoryLimit=)."""
    lines = []
    for line in text.splitlines():
        m = re.match(r"^(/\S+?\.(service|socket|target|timer|path|mount))(:|\s)", line)
        if line.strip() and not (m and not m.group(1).startswith(folder + "/")):
            lines.append(line)
    return lines


def config():
    for cmd in (["promtool", "check", "config", os.path.join(PROMDIR, "prometheus.yml")],
                ["promtool", "check", "rules", os.path.join(PROMDIR, "tlsalerts.rules.yml")]):
        p = run(cmd)
        if p.returncode != 0 or "WARNING" in p.stdout:
            fail("%s exited %d:\n%s" % (" ".join(cmd), p.returncode, p.stdout))


def rules():
    p = run(["promtool", "test", "rules", "tlsalerts.rules.test.yml"], cwd=PROMDIR)
    if p.returncode != 0 or "SUCCESS" not in p.stdout:
        fail("promtool test rules exited %d:\n%s" % (p.returncode, p.stdout))


def scripts():
    for s in ("tlsalerts-sensor", "tlsalerts-setup", "tlsalerts-selfcheck"):
        path = os.path.join(DEPLOY, s)
        if not os.access(path, os.X_OK):
            fail(s + " is not executable")
        p = run(["sh", "-n", path])
        if p.returncode != 0:
            fail("%s: %s" % (s, p.stdout))


def main():
    check = sys.argv[1]
    {"systemd": systemd, "config": config, "rules": rules, "scripts": scripts}[check]()
    print("ok " + check)


if __name__ == "__main__":
    main()
