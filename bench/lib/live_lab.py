"""Shared set-up of the live benchmarks (bench/live-rss, bench/live-throughput).

Root only. The network namespaces, the veth pair and the sensor as deploy/ runs
it come from tests/integration/live.py (Lab); this module adds what the
benchmarks need around it: the benchmark captures, tcpreplay runs and their
figures, a plain tshark capturing live without the plugin (same user, same
capabilities, same environment as the sensor), and what /proc says about a
live tshark (memory, the temporary file it captures into, how far it has read
that file).
"""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "tests" / "integration"))
os.environ.setdefault("TLSALERTS_SOURCE_DIR", str(ROOT))

import harness  # noqa: E402
import live  # noqa: E402


def ensure_capture(directory, name="big"):
    """DIR/NAME.pcapng of bench/make-big-capture (built when missing) and its frame count."""
    path = os.path.join(directory, name + ".pcapng")
    if not os.path.exists(path):
        subprocess.run([sys.executable, str(BENCH / "make-big-capture"), "-o", directory], check=True)
    with open(os.path.join(directory, name + ".json")) as f:
        return path, json.load(f)["frames"]


class BenchLab(live.Lab):
    """live.Lab that can also run a plain tshark, without the plugin, exactly
    as the sensor runs (same user, capabilities and environment)."""

    def start_plain_tshark(self, args, interface="s0"):
        """tshark -i INTERFACE -q -n ARGS in the sensor namespace without the
        plugin: an empty global plugin folder (as the sensor gets) and a HOME
        whose personal plugin folder is empty."""
        home = self.bare_home()
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": home,
               "WIRESHARK_PLUGIN_DIR": os.path.join(home, "global-plugins")}
        return self.start_capturing([harness.TSHARK, "-q", "-n", "-i", interface, *args], env, home,
                                    drain_stdout=True)


def sensor_record_filter():
    """The capture filter deploy/tlsalerts-sensor passes with TLSALERTS_RECORD_FILTER=yes."""
    import check_capture_filter
    return check_capture_filter.record_filter()


def kept_prefix_counts(expression, capture):
    """counts[n] = how many of the first n packets of CAPTURE the filter keeps."""
    import bpf_filter
    counts = [0]
    for keep in bpf_filter.packet_verdicts(expression, capture):
        counts.append(counts[-1] + keep)
    return counts


def tcpreplay_argv(lab, capture, pps=None, mbps=None, limit=None, loops=None, interface="c0", timer=None):
    """tcpreplay in the client namespace onto c0. timer="nano" sleeps between
    packets instead of spinning on the clock (tcpreplay's default "gtod"),
    which leaves more of a small machine's CPU to the capture."""
    argv = ["tcpreplay", "-i", interface]
    if timer:
        argv.append("--timer=" + timer)
    if pps:
        argv.append("--pps=%d" % pps)
    if mbps:
        argv.append("--mbps=%s" % mbps)
    if limit:
        argv.append("--limit=%d" % limit)
    if loops:
        argv.append("--loop=%d" % loops)
    return lab.netns(lab.ns_c, *argv, capture)


def tcpreplay_figures(text):
    """Sent and failed packets, seconds, achieved pps and Mbit/s from tcpreplay's summary."""
    out = {"lines": [l.strip() for l in text.splitlines() if l.strip()]}
    m = re.search(r"Actual: (\d+) packets \((\d+) bytes\) sent in ([\d.]+) seconds", text)
    if m:
        out.update(sent=int(m.group(1)), bytes=int(m.group(2)), seconds=float(m.group(3)))
    m = re.search(r"Rated: [\d.]+ Bps, ([\d.]+) Mbps, ([\d.]+) pps", text)
    if m:
        out.update(mbps=float(m.group(1)), pps=float(m.group(2)))
    m = re.search(r"Failed packets:\s+(\d+)", text)
    out["failed"] = int(m.group(1)) if m else None
    return out


def capture_counts(stderr_lines):
    """tshark's own capture statistics at exit: packets captured, and packets
    dropped (the sum of its "N packets dropped from IFACE" lines; none printed
    means none dropped)."""
    text = "".join(stderr_lines)
    m = re.findall(r"^(\d+) packets? captured", text, re.M)
    drops = re.findall(r"^(\d+) packets? dropped", text, re.M)
    return (int(m[-1]) if m else None), sum(int(d) for d in drops)


def rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def temp_capture_fd(pid):
    """The descriptor of the temporary file a live tshark reads dumpcap's
    packets from (/tmp/wireshark_*), or None."""
    try:
        for fd in os.listdir("/proc/%d/fd" % pid):
            target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            if os.path.basename(target).startswith("wireshark_"):
                return fd
    except OSError:
        pass
    return None


def temp_capture_bytes(pid):
    """Size of the capture file tshark reads (its open /tmp/wireshark_* file)."""
    fd = temp_capture_fd(pid)
    try:
        return os.stat("/proc/%d/fd/%s" % (pid, fd)).st_size if fd else 0
    except OSError:
        return 0


def temp_capture_backlog(pid, fd):
    """Bytes dumpcap has written to the temporary file that tshark has not read yet."""
    try:
        size = os.stat("/proc/%d/fd/%s" % (pid, fd)).st_size
        with open("/proc/%d/fdinfo/%s" % (pid, fd)) as f:
            pos = int(f.readline().split()[1])
        return max(0, size - pos)
    except (OSError, ValueError, IndexError):
        return None
