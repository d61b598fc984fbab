"""Live-capture helpers for the sensor tests (root only): network namespaces
joined by a veth pair, a real OpenSSL server and real clients, and the real
tshark capturing live with the freshly built plugin as the unprivileged user
"nobody" holding only CAP_NET_RAW and CAP_NET_ADMIN (ambient capabilities,
as the systemd unit gives them), through deploy/tlsalerts-sensor.

Everything is created under names unique to the test process and removed by
Lab.close(), also when a test fails.
"""
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

import harness
import prom_parse

DEPLOY = os.path.join(harness.SOURCE_DIR, "deploy")
SERVER_IP = "10.77.0.1"
CLIENT_IP = "10.77.0.2"
USER = "nobody"


class Failure(harness.Failure):
    pass


def sh(*cmd, check=True, **kw):
    p = subprocess.run(list(cmd), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    if check and p.returncode != 0:
        raise Failure("%s exited %d:\n%s%s" % (" ".join(cmd), p.returncode, p.stdout, p.stderr))
    return p


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Lab:
    """Namespaces <tag>-s (sensor and server: veth s0, 10.77.0.1) and <tag>-c
    (clients: veth c0, 10.77.0.2), a work folder, and the processes started."""

    def __init__(self, tag):
        self.tag = "%s-%d" % (tag, os.getpid())
        self.ns_s, self.ns_c = self.tag + "-s", self.tag + "-c"
        self.procs = []
        self.dir = tempfile.mkdtemp(prefix="tlsalerts-%s-" % tag)
        os.chmod(self.dir, 0o755)
        self.textdir = os.path.join(self.dir, "textfile")
        os.mkdir(self.textdir)
        os.chown(self.textdir, pwd.getpwnam(USER).pw_uid, -1)
        self.textfile = os.path.join(self.textdir, "tlsalerts.prom")
        try:
            for ns in (self.ns_s, self.ns_c):
                sh("ip", "netns", "add", ns)
                sh("ip", "-n", ns, "link", "set", "lo", "up")
            sh("ip", "-n", self.ns_s, "link", "add", "s0", "type", "veth", "peer", "name", "c0", "netns", self.ns_c)
            sh("ip", "-n", self.ns_s, "addr", "add", SERVER_IP + "/24", "dev", "s0")
            sh("ip", "-n", self.ns_c, "addr", "add", CLIENT_IP + "/24", "dev", "c0")
            sh("ip", "-n", self.ns_s, "link", "set", "s0", "up")
            sh("ip", "-n", self.ns_c, "link", "set", "c0", "up")
            self.make_cert()
        except BaseException:
            self.close()
            raise

    def make_cert(self):
        self.key = os.path.join(self.dir, "key.pem")
        self.cert = os.path.join(self.dir, "cert.pem")
        sh("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
           "-days", "1", "-subj", "/CN=server.test", "-keyout", self.key, "-out", self.cert)

    def netns(self, ns, *cmd):
        return ["ip", "netns", "exec", ns] + list(cmd)

    def start(self, cmd, **kw):
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
        self.procs.append(p)
        return p

    def start_server(self, port=443):
        """openssl s_server: TLS 1.2 with ECDHE-ECDSA-AES128-GCM-SHA256 only, and TLS 1.3."""
        p = self.start(self.netns(self.ns_s, "openssl", "s_server", "-accept", "%s:%d" % (SERVER_IP, port),
                                  "-cert", self.cert, "-key", self.key, "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256",
                                  "-www", "-quiet"), stdin=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            if " %s:%d " % (SERVER_IP, port) in sh(*self.netns(self.ns_s, "ss", "-Hltn")).stdout:
                return p
            time.sleep(0.1)
        raise Failure("s_server did not start")

    def good_client(self):
        """curl over TLS 1.3: an established handshake."""
        sh(*self.netns(self.ns_c, "curl", "-sk", "--max-time", "10", "-o", "/dev/null",
                       "https://%s/" % SERVER_IP))

    def failing_client(self, port=443):
        """A client offering only a cipher the server refuses: handshake_failure from the server."""
        p = sh(*self.netns(self.ns_c, "openssl", "s_client", "-connect", "%s:%d" % (SERVER_IP, port),
                           "-tls1_2", "-cipher", "AES128-SHA"), check=False, stdin=subprocess.DEVNULL)
        if "handshake failure" not in p.stdout + p.stderr:
            raise Failure("the failing client did not fail as intended:\n" + p.stdout + p.stderr)

    def _home(self, name, plugin):
        """A private HOME owned by nobody, with an empty global plugin folder
        (no system-wide tlsalerts.so); with plugin, the built plugin in its
        personal plugin folder. Made once per lab and name."""
        home = os.path.join(self.dir, name)
        if os.path.isdir(home):
            return home
        os.makedirs(os.path.join(home, "global-plugins"))
        if plugin:
            version = "%d.%d" % harness.tshark_version()
            plugins = os.path.join(home, ".local/lib/wireshark/plugins", version, "epan")
            os.makedirs(plugins)
            shutil.copy(os.environ["TLSALERTS_SO"], os.path.join(plugins, "tlsalerts.so"))
        uid = pwd.getpwnam(USER).pw_uid
        for root, dirs, files in os.walk(home):
            for n in dirs + files:
                os.chown(os.path.join(root, n), uid, -1)
        os.chown(home, uid, -1)
        return home

    def plugin_home(self):
        """A private HOME holding the built plugin in its personal folder, owned by nobody."""
        return self._home("home", plugin=True)

    def bare_home(self):
        """The same without the plugin."""
        return self._home("home-bare", plugin=False)

    def start_capturing(self, argv, env, home, drain_stdout=False):
        """ARGV in the sensor namespace as nobody with the sensor's two ambient
        capabilities (CAP_NET_RAW, CAP_NET_ADMIN), once tshark says it is
        capturing; it becomes self.sensor, its stderr lines self.sensor_err."""
        u = pwd.getpwnam(USER)
        cmd = self.netns(self.ns_s, "setpriv", "--reuid=%d" % u.pw_uid, "--regid=%d" % u.pw_gid, "--clear-groups",
                         "--inh-caps=+net_raw,+net_admin", "--ambient-caps=+net_raw,+net_admin", *argv)
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=home)
        self.procs.append(p)
        self.sensor = p
        self.sensor_err = []
        ready = threading.Event()

        def read_stderr():
            for line in p.stderr:
                self.sensor_err.append(line)
                if line.startswith("Capturing on"):
                    ready.set()
            ready.set()
        threading.Thread(target=read_stderr, daemon=True).start()
        if drain_stdout:
            threading.Thread(target=p.stdout.read, daemon=True).start()
        if not ready.wait(30) or p.poll() is not None:
            raise Failure("tshark did not start capturing:\n" + "".join(self.sensor_err))
        time.sleep(0.5)  # dumpcap hands packets over as soon as it says so; a margin
        return p

    def start_sensor(self, interval=1, session_reset="", interface="s0", check_interface="", capture_filter="",
                     record_filter="no"):
        """deploy/tlsalerts-sensor in the sensor namespace, as nobody with ambient capabilities."""
        home = self.plugin_home()
        env = {
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": home,
            "WIRESHARK_PLUGIN_DIR": os.path.join(home, "global-plugins"),  # no system-wide tlsalerts.so
            "TLSALERTS_INTERFACE": interface,
            "TLSALERTS_CAPTURE_FILTER": capture_filter,
            "TLSALERTS_RECORD_FILTER": record_filter,
            "TLSALERTS_CHECK_INTERFACE": check_interface,
            "TLSALERTS_TEXTFILE": self.textfile,
            "TLSALERTS_INTERVAL": str(interval),
            "TLSALERTS_SESSION_RESET": str(session_reset),
            "TSHARK": harness.TSHARK,
        }
        return self.start_capturing([os.path.join(DEPLOY, "tlsalerts-sensor")], env, home)

    def stop_sensor(self, sig=signal.SIGTERM, timeout=30):
        self.sensor.send_signal(sig)
        try:
            rc = self.sensor.wait(timeout)
        except subprocess.TimeoutExpired:
            raise Failure("tshark did not stop within %d s after %s" % (timeout, sig.name))
        time.sleep(0.2)
        return rc

    def close(self):
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        for ns in (getattr(self, "ns_s", None), getattr(self, "ns_c", None)):
            if ns:
                sh("ip", "netns", "del", ns, check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


class Watcher:
    """Reads the textfile every 0.1 s in the background: every read must parse
    strictly (so no reader ever sees a partial file) and no counter series may
    go down or vanish between reads."""

    def __init__(self, path):
        self.path = path
        self.reads = 0
        self.writes = set()
        self.last = None
        self.error = None
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.is_set():
            try:
                with open(self.path) as f:
                    text = f.read()
            except FileNotFoundError:
                text = None
            if text is not None:
                try:
                    self.check(prom_parse.parse(text))
                except (prom_parse.FormatError, Failure) as e:
                    self.error = "%s\n--- read %d:\n%s" % (e, self.reads, text)
                    return
            time.sleep(0.1)

    def check(self, doc):
        self.reads += 1
        self.writes.add(prom_parse.total(doc, "tlsalerts_last_write_timestamp_seconds"))
        if self.last:
            for name, series in self.last["samples"].items():
                if self.last["types"][name] != "counter":
                    continue
                for key, v in series.items():
                    now = doc["samples"].get(name, {}).get(key)
                    if now is None or now < v:
                        raise Failure("counter %s%s went from %r to %r" % (name, dict(key), v, now))
        self.last = doc

    def finish(self):
        self.stop.set()
        self.thread.join(5)
        if self.error:
            raise Failure(self.error)


def read_doc(path):
    with open(path) as f:
        return prom_parse.parse(f.read())


def wait_for(what, predicate, timeout=30):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        ok, last = predicate()
        if ok:
            return last
        time.sleep(0.2)
    raise Failure("timed out after %d s waiting for %s; last seen: %r" % (timeout, what, last))
