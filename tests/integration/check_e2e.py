#!/usr/bin/env python3
"""check_e2e.py — the sensor end to end, with real parts only (root).

In network namespaces it creates: deploy/tlsalerts-setup makes the VXLAN
mirror-target interface and the self-check link; deploy/tlsalerts-sensor runs
the real tshark live as nobody with ambient CAP_NET_RAW/CAP_NET_ADMIN on the
veth (capture filter "udp port 4789 or tcp port 443") and the self-check
interface; tcpreplay sends the ALB-like VXLAN mirror capture onto the veth,
curl succeeds and an OpenSSL client offering only a refused cipher fails
against an OpenSSL server. Debian's prometheus-node-exporter serves the
textfile on a loopback port, Debian's prometheus scrapes it (sensor label,
the project's recording rules) and remote-writes to a second prometheus
started with --web.enable-remote-write-receiver. The test asks Prometheus's
HTTP API for the counters and checks them against the traffic sent (the VXLAN
replay's numbers from `-z tlsalerts,json` over the same capture), runs
deploy/tlsalerts-selfcheck and sees the failed-handshake counter rise, in the
scraping Prometheus and in the remote-write receiver. Bounded in time (each
wait has a deadline); everything is removed at the end.
"""
import json
import os
import struct
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import harness
import live

Failure = live.Failure
GOOD, BAD = 3, 2
SENSOR = "e2e-sensor"
VNI = "4242"


def expect(cond, message):
    if not cond:
        raise Failure(message)


def query(port, promql):
    url = "http://127.0.0.1:%d/api/v1/query?%s" % (port, urllib.parse.urlencode({"query": promql}))
    with urllib.request.urlopen(url, timeout=5) as r:
        doc = json.load(r)
    if doc.get("status") != "success":
        raise Failure("query %s: %r" % (promql, doc))
    return {tuple(sorted(s["metric"].items())): float(s["value"][1]) for s in doc["data"]["result"]}


def scalar(port, promql):
    try:
        result = query(port, promql)
    except OSError:
        return None
    return sum(result.values()) if result else None


def wait_value(port, promql, want, timeout=60):
    return live.wait_for("%s == %r on :%d" % (promql, want, port),
                         lambda: (lambda v: (v == want, v))(scalar(port, promql)), timeout)


def wait_http(port, path, timeout=30):
    def ready():
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=2) as r:
                return r.status == 200, r.status
        except OSError as e:
            return False, str(e)
    live.wait_for("http://127.0.0.1:%d%s" % (port, path), ready, timeout)


def replay_expectations(capture, workdir):
    """What the sensor must count for the replayed capture: the JSON report
    over the same capture without its embedded key log (tcpreplay sends the
    packets only, so TLS 1.3 alerts stay encrypted)."""
    stripped = os.path.join(workdir, "alb-mirror-nokeys.pcapng")
    with open(capture, "rb") as f:
        data = f.read()
    out, i, endian = bytearray(), 0, "<"
    while i + 12 <= len(data):
        if data[i:i + 4] == b"\x0a\x0d\x0d\x0a":  # section header: its byte-order magic
            endian = "<" if data[i + 8:i + 12] == b"\x4d\x3c\x2b\x1a" else ">"
        kind, length = struct.unpack(endian + "II", data[i:i + 8])
        if kind != 0x0000000A:  # drop Decryption Secrets Blocks only
            out += data[i:i + length]
        i += length
    with open(stripped, "wb") as f:
        f.write(out)
    os.chmod(stripped, 0o644)
    doc = harness.plugin_json(stripped)
    return doc["outcomes"], doc["totals"]


def main():
    if os.getuid() != 0:
        print("needs root: network namespaces")
        sys.exit(77)
    capture = os.path.join(harness.CAPTURES, "alb-mirror.pcapng")
    lab = live.Lab("e2e")
    check_ns = lab.tag + "-check"
    setup_env = dict(os.environ, TLSALERTS_VNI=VNI, TLSALERTS_VXLAN_INTERFACE="vxlan0", TLSALERTS_UNDERLAY="s0",
                     TLSALERTS_CHECK_INTERFACE="tlsa-check0", TLSALERTS_CHECK_NETNS=check_ns)
    setup = os.path.join(live.DEPLOY, "tlsalerts-setup")
    try:
        # Made here, not by tlsalerts-setup inside the sensor namespace: a
        # namespace `ip netns add` makes under `ip netns exec` is pinned only
        # in that command's private mount namespace and vanishes with it.
        outcomes, totals = replay_expectations(capture, lab.dir)
        live.sh("ip", "netns", "add", check_ns)
        live.sh(*lab.netns(lab.ns_s, setup, "up"), env=setup_env)
        link = live.sh(*lab.netns(lab.ns_s, "ip", "-d", "link", "show", "vxlan0")).stdout
        expect("vxlan id %s" % VNI in link and "dstport 4789" in link, "vxlan0 not as expected:\n" + link)

        lab.start_server()
        lab.start_sensor(interval=1, interface="s0", check_interface="tlsa-check0",
                         capture_filter="udp port 4789 or tcp port 443")

        node_port, prom_port, recv_port = live.free_port(), live.free_port(), live.free_port()
        lab.start(["prometheus-node-exporter", "--web.listen-address=127.0.0.1:%d" % node_port,
                   "--collector.disable-defaults", "--collector.textfile",
                   "--collector.textfile.directory=" + lab.textdir])
        recv_dir = os.path.join(lab.dir, "receiver")
        with open(os.path.join(lab.dir, "receiver.yml"), "w") as f:
            f.write("global: {}\n")
        lab.start(["prometheus", "--config.file=" + os.path.join(lab.dir, "receiver.yml"),
                   "--storage.tsdb.path=" + recv_dir, "--web.listen-address=127.0.0.1:%d" % recv_port,
                   "--web.enable-remote-write-receiver"])
        config = os.path.join(lab.dir, "prometheus.yml")
        with open(config, "w") as f:
            f.write("""global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - %s
scrape_configs:
  - job_name: tlsalerts
    static_configs:
      - targets: ["127.0.0.1:%d"]
        labels:
          sensor: %s
remote_write:
  - url: http://127.0.0.1:%d/api/v1/write
    queue_config:
      batch_send_deadline: 1s
    write_relabel_configs:
      - source_labels: [__name__]
        regex: "tlsalerts_.*"
        action: keep
""" % (os.path.join(live.DEPLOY, "prometheus", "tlsalerts.rules.yml"), node_port, SENSOR, recv_port))
        live.sh("promtool", "check", "config", config)
        lab.start(["prometheus", "--config.file=" + config, "--storage.tsdb.path=" + os.path.join(lab.dir, "data"),
                   "--web.listen-address=127.0.0.1:%d" % prom_port])
        for port in (node_port, recv_port, prom_port):
            wait_http(port, "/metrics")
        sel = '{sensor="%s"}' % SENSOR
        # Scraped before any traffic: no handshake yet.
        wait_value(prom_port, "sum(tlsalerts_handshakes_total%s)" % sel, 0.0, timeout=60)

        # The traffic: the VXLAN mirror capture replayed, then live clients.
        live.sh(*lab.netns(lab.ns_c, "tcpreplay", "-q", "--pps=400", "-i", "c0", capture))
        for i in range(max(GOOD, BAD)):
            if i < GOOD:
                lab.good_client()
            if i < BAD:
                lab.failing_client()

        def hs(outcome, vni):
            return 'tlsalerts_handshakes_total{sensor="%s",outcome="%s",vni="%s"}' % (SENSOR, outcome, vni)
        for outcome, n in outcomes.items():
            if outcome == "no_handshake_seen":
                continue  # no handshake: the sensor exports no series for it
            wait_value(prom_port, "sum(%s)" % hs(outcome, VNI), float(n))
        wait_value(prom_port, 'sum(tlsalerts_failed_handshakes_total{sensor="%s",vni="%s"})' % (SENSOR, VNI),
                   float(totals["failed_handshakes"]))
        wait_value(prom_port, 'sum(tlsalerts_failure_alerts_total{sensor="%s",vni="%s"})' % (SENSOR, VNI),
                   float(totals["failures"]))
        wait_value(prom_port, 'sum(tlsalerts_encrypted_alerts_total{sensor="%s",vni="%s"})' % (SENSOR, VNI),
                   float(totals["encrypted"]))
        wait_value(prom_port, "sum(%s)" % hs("established", ""), float(GOOD))
        wait_value(prom_port, "sum(%s)" % hs("alert_by_server", ""), float(BAD))
        failed_plain = 'sum(tlsalerts_failed_handshakes_total{sensor="%s",vni=""})' % SENSOR
        wait_value(prom_port, failed_plain, float(BAD))
        wait_value(prom_port, 'sum(tlsalerts_alerts_total{sensor="%s",vni="",description="handshake_failure",'
                              'sender="server"})' % SENSOR, float(BAD))

        # The self-check: one more failed handshake, across the self-check link.
        env = dict(os.environ, TLSALERTS_ENV="/nonexistent", TLSALERTS_TEXTFILE=lab.textfile,
                   TLSALERTS_INTERVAL="1", TLSALERTS_CHECK_NETNS=check_ns)
        p = live.sh(*lab.netns(lab.ns_s, os.path.join(live.DEPLOY, "tlsalerts-selfcheck")), env=env, check=False)
        expect(p.returncode == 0 and "OK: tlsalerts_failed_handshakes_total rose from %d to %d" % (
                   BAD + totals["failed_handshakes"], BAD + totals["failed_handshakes"] + 1)
               in p.stdout, "self-check exited %d:\n%s%s" % (p.returncode, p.stdout, p.stderr))
        wait_value(prom_port, failed_plain, float(BAD + 1))
        # The recording rule sees the failures too.
        live.wait_for("the recording rule", lambda: (lambda v: (v is not None and v > 0, v))(
            scalar(prom_port, 'sensor_vni:tlsalerts_failed_handshakes:rate5m{sensor="%s"}' % SENSOR)), 60)
        # remote_write: the series arrive at the receiver with their sensor label.
        wait_value(recv_port, 'sum(tlsalerts_failed_handshakes_total{sensor="%s"})' % SENSOR,
                   float(BAD + 1 + totals["failed_handshakes"]))

        rc = lab.stop_sensor()
        expect(rc == 0, "tshark exited %d:\n%s" % (rc, "".join(lab.sensor_err)))
        final = live.read_doc(lab.textfile)
        import prom_parse
        expect(prom_parse.total(final, "tlsalerts_failed_handshakes_total") == BAD + 1 + totals["failed_handshakes"],
               "final textfile: %r" % final["samples"].get("tlsalerts_failed_handshakes_total"))
        live.sh(*lab.netns(lab.ns_s, setup, "down"), env=setup_env)
        expect(check_ns not in live.sh("ip", "netns", "list").stdout, "self-check namespace left behind")
    except harness.Failure as e:
        print("FAIL e2e: %s" % e)
        if getattr(lab, "sensor_err", None):
            print("tshark stderr:\n" + "".join(lab.sensor_err))
        sys.exit(1)
    finally:
        subprocess.run(["ip", "netns", "del", check_ns], stderr=subprocess.DEVNULL)
        lab.close()
    print("ok e2e")


if __name__ == "__main__":
    main()
