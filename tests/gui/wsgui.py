"""wsgui — drive the real Wireshark (Qt) under Xvfb with the freshly built
tlsalerts plugin, for the GUI test (gui-check) and the documentation
screenshots (screenshots).

Nothing here is mocked: a real X server (Xvfb), the real `wireshark` binary,
real key presses and clicks (xdotool), the real clipboard (xclip) and real
screen grabs (ImageMagick's `import`).

Wireshark ignores the personal plugin folder when it runs as root, so as root
it runs as an unprivileged user ("nobody", or TLSALERTS_TEST_USER) with a
private, throw-away HOME that holds the plugin, a copy of the capture and a
small profile. The X server is private too (its own display number, local
connections only).
"""
import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("TLSALERTS_SOURCE_DIR", os.path.dirname(os.path.dirname(HERE)))
WRAPPER = os.path.join(SOURCE_DIR, "tests", "integration", "tshark-with-plugin")

# CTest treats this exit code as "skipped" (SKIP_RETURN_CODE).
SKIP = 77
TOOLS = {"wireshark": "wireshark-qt", "Xvfb": "xvfb", "xdotool": "xdotool", "xclip": "xclip"}

# Lines Wireshark prints on stderr that say nothing about the plugin.
BENIGN_STDERR = [
    r"^nl80211 not found\.?$",
    r"^QStandardPaths: ",
]
# Anything that looks like trouble: a plugin that failed to load, a GLib
# critical or warning, an assertion, a crash.
BAD_STDERR = re.compile(r"plugin|tlsalerts|couldn't load|critical|error|warning|assert|"
                        r"segmentation|aborted|core dumped|undefined symbol", re.I)


class Failure(Exception):
    pass


def log(msg):
    print("[%6.1fs] %s" % (time.monotonic() - _T0, msg), flush=True)


_T0 = time.monotonic()


def missing_tools(extra=()):
    return [(t, TOOLS.get(t, t)) for t in list(TOOLS) + list(extra) if shutil.which(t) is None]


def wireshark_version(binary="wireshark"):
    for prog in (binary, os.environ.get("TSHARK", "tshark")):
        try:
            out = subprocess.run([prog, "--version"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 text=True, timeout=30, env=dict(os.environ, DISPLAY="")).stdout
        except (OSError, subprocess.TimeoutExpired):
            continue
        m = re.search(r"(?:Wire|T)shark\)? (\d+)\.(\d+)\.", out) or re.search(r"(\d+)\.(\d+)\.\d+", out)
        if m:
            return "%s.%s" % (m.group(1), m.group(2))
    raise Failure("cannot tell the Wireshark version")


def xdo(*args, check=True, timeout=10):
    try:
        p = subprocess.run(["xdotool"] + [str(a) for a in args], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Failure("xdotool %s: no answer within %ds" % (" ".join(map(str, args)), timeout))
    if check and p.returncode != 0:
        raise Failure("xdotool %s: exit %d %s" % (" ".join(map(str, args)), p.returncode, p.stderr.strip()))
    return p.stdout


class Gui:
    """One private X server with one real Wireshark on one capture.

    Use as a context manager; everything it started is stopped on exit.
    """

    def __init__(self, plugin_so, capture, screen=(1600, 1000), main_size=(1400, 900),
                 extra_args=(), recent=(), keep_dir=None, profile_files=None):
        self.plugin_so = os.path.abspath(plugin_so)
        self.capture = os.path.abspath(capture)
        self.screen = screen
        self.main_size = main_size
        self.extra_args = list(extra_args)
        self.recent = list(recent)      # "name: value" lines for the profile's recent file
        self.profile_files = dict(profile_files or {})  # further profile files: name -> text
        self.keep_dir = keep_dir
        self.procs = []          # (name, Popen), stopped in reverse order
        self.clip_owner = None
        self.keep_logs = False   # save_screen() asks stop() to keep the logs too
        self.work = None
        self.display = None
        self.main = None
        self.wireshark = None

    # -- life cycle ---------------------------------------------------------
    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.save_screen("gui-start-failure.png")
            self.stop()
            raise
        return self

    def save_screen(self, name):
        """A screenshot into keep_dir, if there is one and an X server."""
        self.keep_logs = True
        if self.keep_dir and self.display:
            os.makedirs(self.keep_dir, exist_ok=True)
            try:
                self.screenshot(os.path.join(self.keep_dir, name))
            except (subprocess.SubprocessError, OSError):
                pass

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        if not os.access(self.plugin_so, os.R_OK):
            raise Failure("cannot read the plugin %s" % self.plugin_so)
        self.work = tempfile.mkdtemp(prefix="tlsalerts-gui.")
        self.home = os.path.join(self.work, "home")
        version = wireshark_version()
        plugin_dir = os.path.join(self.home, ".local", "lib", "wireshark", "plugins", version, "epan")
        os.makedirs(plugin_dir)
        shutil.copy(self.plugin_so, os.path.join(plugin_dir, "tlsalerts.so"))
        profile = os.path.join(self.home, ".config", "wireshark")
        os.makedirs(profile)
        # No "save changes?" questions, no update checks, no recent-file noise.
        with open(os.path.join(profile, "preferences"), "w") as f:
            f.write("gui.ask_unsaved: FALSE\n"
                    "gui.update.enabled: FALSE\n")
        with open(os.path.join(profile, "recent_common"), "w") as f:
            f.write("privs.warn_if_elevated: FALSE\n"
                    "privs.warn_if_no_npf: FALSE\n"
                    "gui.geometry_main_x: 0\ngui.geometry_main_y: 0\n"
                    "gui.geometry_main_width: %d\ngui.geometry_main_height: %d\n"
                    "gui.geometry_main_maximized: FALSE\n" % self.main_size)
        if self.recent:
            with open(os.path.join(profile, "recent"), "w") as f:
                f.write("".join(line + "\n" for line in self.recent))
        for name, text in self.profile_files.items():
            with open(os.path.join(profile, name), "w") as f:
                f.write(text)
        self.runtime = os.path.join(self.home, "runtime")
        os.makedirs(self.runtime, mode=0o700)
        self.capture_copy = os.path.join(self.home, os.path.basename(self.capture))
        shutil.copy(self.capture, self.capture_copy)
        self.user = None
        if os.geteuid() == 0:
            self.user = os.environ.get("TLSALERTS_TEST_USER", "nobody")
            subprocess.run(["chown", "-R", self.user, self.work], check=True)
            os.chmod(self.work, 0o755)
        self._start_xvfb()
        self._start_wireshark()

    def stop(self):
        self._drop_clipboard()
        for name, p in reversed(self.procs):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
                try:
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    try:
                        os.killpg(p.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    p.wait(timeout=5)
        self.procs = []
        if self.work and os.path.isdir(self.work):
            if self.keep_dir and self.keep_logs:
                os.makedirs(self.keep_dir, exist_ok=True)
                for f in ("wireshark.stderr", "wireshark.stdout", "xvfb.log"):
                    src = os.path.join(self.work, f)
                    if os.path.exists(src):
                        shutil.copy(src, os.path.join(self.keep_dir, f))
            shutil.rmtree(self.work, ignore_errors=True)
            self.work = None

    def _popen(self, name, cmd, **kw):
        p = subprocess.Popen(cmd, start_new_session=True, **kw)
        self.procs.append((name, p))
        return p

    def _start_xvfb(self):
        r, w = os.pipe()
        xlog = open(os.path.join(self.work, "xvfb.log"), "w")
        # -ac: the unprivileged Wireshark may connect (local socket only: -nolisten tcp).
        # setpriv --pdeathsig: the server dies with us even if we are killed hard.
        cmd = ["setpriv", "--pdeathsig=KILL", "Xvfb", "-displayfd", str(w), "-screen", "0", "%dx%dx24" % self.screen,
               "-ac", "-nolisten", "tcp", "-noreset"]
        self._popen("Xvfb", cmd, pass_fds=(w,), stdout=xlog, stderr=subprocess.STDOUT)
        os.close(w)
        deadline = time.monotonic() + 15
        data = b""
        while time.monotonic() < deadline and not data.endswith(b"\n"):
            ready, _, _ = select.select([r], [], [], 0.5)
            if ready:
                chunk = os.read(r, 64)
                if not chunk:
                    break
                data += chunk
        os.close(r)
        if not data.strip().isdigit():
            raise Failure("Xvfb did not start:\n" + open(os.path.join(self.work, "xvfb.log")).read())
        self.display = ":" + data.strip().decode()
        os.environ["DISPLAY"] = self.display   # for xdotool, xclip and import
        log("Xvfb on display %s" % self.display)

    def _start_wireshark(self):
        # An empty global plugin folder, so a system-wide tlsalerts.so never loads
        # beside the one under test.
        global_plugins = os.path.join(self.home, "global-plugins")
        os.makedirs(global_plugins, exist_ok=True)
        env = {"HOME": self.home, "DISPLAY": self.display, "XDG_RUNTIME_DIR": self.runtime,
               "WIRESHARK_PLUGIN_DIR": global_plugins,
               "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
               "QT_QPA_PLATFORM": "xcb", "NO_AT_BRIDGE": "1"}
        cmd = ["wireshark", "-r", self.capture_copy] + self.extra_args
        if self.user:
            gid = subprocess.run(["id", "-g", self.user], stdout=subprocess.PIPE, text=True,
                                 check=True).stdout.strip()
            cmd = ["setpriv", "--reuid=" + self.user, "--regid=" + gid, "--clear-groups",
                   "--pdeathsig=KILL", "env", "-i"] + ["%s=%s" % kv for kv in env.items()] + cmd
            env = None
        self.err_path = os.path.join(self.work, "wireshark.stderr")
        self.wireshark = self._popen("wireshark", cmd, cwd=self.home, env=env,
                                     stdout=open(os.path.join(self.work, "wireshark.stdout"), "w"),
                                     stderr=open(self.err_path, "w"))
        title = "^%s$" % re.escape(os.path.basename(self.capture_copy))
        deadline = time.monotonic() + 40
        while True:
            self.main = self.wait_window(title, timeout=1)
            if self.main:
                break
            # A message box (titled just "Wireshark") before the file is shown
            # is an error: a plugin that did not load, an unreadable file.
            boxes = {w: n for w, n in self.visible_windows().items() if n == "Wireshark"}
            if boxes or time.monotonic() > deadline:
                time.sleep(0.5)
                raise Failure("no main window showing the capture; visible windows: %s" %
                              self.describe_windows())
        # No window manager: size and place the main window ourselves, then
        # give Wireshark a moment to finish reading the file.
        xdo("windowmove", self.main, 0, 0)
        xdo("windowsize", "--sync", self.main, *self.main_size, check=False)
        time.sleep(1.0)
        log("Wireshark is up (window %s)" % self.main)

    # -- state --------------------------------------------------------------
    def alive(self):
        return self.wireshark is not None and self.wireshark.poll() is None

    def check_alive(self, what):
        if not self.alive():
            status = self.wireshark.returncode if self.wireshark else "never started"
            raise Failure("Wireshark exited (status %s) %s\n%s" % (status, what, self.stderr_text()))

    def stderr_text(self):
        try:
            with open(self.err_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def stderr_other(self):
        """stderr lines that are neither known noise nor problems."""
        return [line.strip() for line in self.stderr_text().splitlines()
                if line.strip() and not any(re.search(b, line.strip()) for b in BENIGN_STDERR)
                and not BAD_STDERR.search(line)]

    def stderr_problems(self):
        bad = []
        for line in self.stderr_text().splitlines():
            line = line.strip()
            if not line or any(re.search(b, line) for b in BENIGN_STDERR):
                continue
            if BAD_STDERR.search(line):
                bad.append(line)
        return bad

    # -- windows ------------------------------------------------------------
    def windows(self, title_regex):
        out = xdo("search", "--onlyvisible", "--name", title_regex, check=False)
        return [w for w in out.split() if w.isdigit()]

    def visible_windows(self):
        out = xdo("search", "--onlyvisible", "--name", "", check=False)
        res = {}
        for w in out.split():
            name = xdo("getwindowname", w, check=False).strip()
            if name:            # the root window and Qt's helper windows have none
                res[w] = name
        return res

    def wait_window(self, title_regex, timeout=10, what=None, exclude=()):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.wireshark and self.wireshark.poll() is not None:
                self.check_alive("while waiting for %s" % (what or title_regex))
            ws = [w for w in self.windows(title_regex) if w not in exclude]
            if ws:
                return ws[-1]
            time.sleep(0.2)
        if what:
            raise Failure("no %s within %ds; visible windows: %s" % (what, timeout, self.describe_windows()))
        return None

    def window_text(self, win):
        """The text of a message box, or ''. Its label is selectable: a
        triple click selects the text into X's PRIMARY selection."""
        x, y, w, h = self.geometry(win)
        for fx, fy in ((0.5, 0.25), (0.6, 0.35), (0.5, 0.15)):
            xdo("mousemove", x + int(w * fx), y + int(h * fy), check=False)
            time.sleep(0.1)
            xdo("click", "--repeat", "3", "--delay", "80", "1", check=False)
            time.sleep(0.4)
            try:
                p = subprocess.run(["xclip", "-o", "-selection", "primary"], stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL, timeout=5)
            except subprocess.TimeoutExpired:
                continue
            text = p.stdout.decode("utf-8", "replace").strip()
            if text:
                return text
        return ""

    def describe_windows(self, windows=None):
        """Visible windows with their titles and, for message boxes, their text."""
        windows = self.visible_windows() if windows is None else windows
        parts = []
        for w, name in windows.items():
            # Wireshark's message boxes are titled just "Wireshark".
            text = self.window_text(w) if name == "Wireshark" and w != self.main else ""
            parts.append("%r%s" % (name, (" saying:\n    " + text.replace("\n", "\n    ")) if text else ""))
        return "; ".join(parts) or "none"

    def geometry(self, win):
        out = xdo("getwindowgeometry", "--shell", win)
        g = dict(line.split("=", 1) for line in out.split() if "=" in line)
        return int(g["X"]), int(g["Y"]), int(g["WIDTH"]), int(g["HEIGHT"])

    def focus(self, win):
        xdo("windowfocus", "--sync", win, check=False)
        time.sleep(0.2)

    def key(self, *keys, delay=0.15):
        for k in keys:
            xdo("key", k)
            time.sleep(delay)

    def type(self, text):
        xdo("type", "--delay", "30", text)

    def click(self, win, fx, fy):
        """Click at a fraction (fx, fy) of the window's size."""
        x, y, w, h = self.geometry(win)
        # (no --sync: it waits forever when the pointer is already there)
        xdo("mousemove", x + int(w * fx), y + int(h * fy))
        time.sleep(0.1)
        xdo("click", "1")
        time.sleep(0.2)

    def dismiss_popups(self, keep):
        """Close popups (a filter edit's completion list, a tooltip) that sit
        over the windows in `keep`; Escape goes to the popup, which holds the
        keyboard, so it is pressed only while one is there."""
        for _ in range(4):
            extra = [w for w in self.visible_windows() if w not in keep and w != self.main]
            if not extra:
                return
            self.key("Escape", delay=0.3)
        raise Failure("a popup does not go away: %r" % {w: self.visible_windows().get(w) for w in extra})

    def close_window(self, win):
        self.focus(win)
        self.key("Escape")

    # -- menus --------------------------------------------------------------
    def open_statistics_entry(self, title_regex, submenu_positions=(0, 1, 2), menu_up=1, timeout=6):
        """Statistics (alt+s) → the last item (plugin groups are at the bottom)
        → its submenu's entry at one of submenu_positions; returns the dialog
        whose title matches title_regex. Dialogs opened by mistake are closed.
        """
        for pos in submenu_positions:
            for attempt in range(2):
                self.check_alive("before opening the Statistics menu")
                before = set(self.visible_windows())
                self.focus(self.main)
                self.key("alt+s", delay=0.5)
                self.key(*(["Up"] * menu_up), "Right", delay=0.3)
                self.key(*(["Down"] * pos), delay=0.2)
                self.key("Return", delay=0.3)
                win = self.wait_window(title_regex, timeout=timeout, exclude=before)
                if win:
                    log("opened %r (submenu position %d)" % (xdo("getwindowname", win).strip(), pos))
                    return win
                others = [w for w in self.visible_windows() if w not in before and w != self.main]
                for w in others:
                    self.close_window(w)
                if others:
                    break          # a different entry: try the next position
                self.key("Escape", "Escape")   # the menu may still be open (file still loading)
        raise Failure("could not open a dialog matching %r from the Statistics menu" % title_regex)

    def open_statistics_item(self, title_regex, hint=11, span=24, settle=3.0, timeout=20):
        """Statistics (alt+s) → the item `k` Down presses from the top, for
        k = hint, hint±1, …; returns the window whose title matches title_regex.

        For entries in the middle of the menu (Wireshark's packet statistics
        group), whose place depends on the Wireshark version and on what other
        plugins register: the menu has no keyboard search and these entries no
        mnemonics, so each candidate is opened and what opened instead is
        closed again (a submenu, or a dialog such as Protocol Hierarchy)."""
        for k in sorted(range(span), key=lambda i: (abs(i - hint), i)):
            self.check_alive("before opening the Statistics menu")
            before = set(self.visible_windows())
            self.focus(self.main)
            self.key("alt+s", delay=0.5)
            if k:
                xdo("key", "--delay", "60", *(["Down"] * k))
            time.sleep(0.3)
            self.key("Return", delay=0.3)
            deadline = time.monotonic() + settle
            new = []
            while time.monotonic() < deadline and not new:
                new = [w for w in self.visible_windows() if w not in before and w != self.main]
                time.sleep(0.2)
            # A dialog's title is set when it is shown; give it a moment more.
            win = self.wait_window(title_regex, timeout=1.0, exclude=before) if new else None
            if win:
                log("opened %r (Statistics menu item %d)" % (xdo("getwindowname", win).strip(), k))
                return self.wait_window(title_regex, timeout=timeout, exclude=before)
            for w in new:
                self.close_window(w)
            if not new:
                self.key("Escape", "Escape")   # a submenu, or the menu itself, is still open
        raise Failure("no Statistics menu item within %d Down presses opened a window matching %r" %
                      (span, title_regex))

    # -- clipboard ----------------------------------------------------------
    def _drop_clipboard(self):
        if self.clip_owner and self.clip_owner.poll() is None:
            self.clip_owner.kill()
            self.clip_owner.wait()
        self.clip_owner = None

    def set_clipboard(self, text):
        """Own the clipboard with a sentinel (xclip in the foreground, ended by us)."""
        self._drop_clipboard()
        self.clip_owner = subprocess.Popen(["xclip", "-quiet", "-selection", "clipboard", "-i"],
                                           stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL, text=True)
        self.clip_owner.stdin.write(text)
        self.clip_owner.stdin.close()
        time.sleep(0.2)

    def get_clipboard(self):
        try:
            p = subprocess.run(["xclip", "-selection", "clipboard", "-o"], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, timeout=5)
        except subprocess.TimeoutExpired:
            return ""
        return p.stdout.decode("utf-8", "replace")

    # -- screenshots ----------------------------------------------------------
    def screenshot(self, path, win=None, crop=None):
        """PNG of a window (or the whole screen); crop = (x, y, w, h) in screen pixels."""
        cmd = ["import", "-window", win or "root"]
        if crop:
            cmd += ["-crop", "%dx%d+%d+%d" % (crop[2], crop[3], crop[0], crop[1]), "+repage"]
        subprocess.run(cmd + [path], check=True, timeout=30)


# -- the stats tree dialog ------------------------------------------------------
class StatsTreeDialog:
    """A Statistics → stats tree dialog of Wireshark 4.x: a tree, a "Display
    filter:" edit with Apply, and Copy / Save as… / Close buttons. The focus
    chain is tree → filter edit → Apply → Copy → Save as… → Close."""

    SENTINEL = "tlsalerts-gui-check: clipboard not yet written\n"

    def __init__(self, gui, win):
        self.gui = gui
        self.win = win

    def focus_tree(self):
        self.gui.dismiss_popups([self.win])
        self.gui.focus(self.win)
        # The tree fills the upper part of the dialog; click in a number column
        # (not on an expander) so the keyboard focus is on the tree.
        self.gui.click(self.win, 0.75, 0.4)

    def copy(self, timeout=8):
        """Press Copy and return the clipboard text."""
        for attempt in range(3):
            self.gui.check_alive("before pressing Copy")
            self.gui.set_clipboard(self.SENTINEL)
            self.focus_tree()
            self.gui.key("Tab", "Tab", "Tab", "space")
            deadline = time.monotonic() + timeout / 3
            while time.monotonic() < deadline:
                text = self.gui.get_clipboard()
                if text and text != self.SENTINEL:
                    return text
                time.sleep(0.2)
        raise Failure("the dialog's Copy button did not fill the clipboard")

    def apply_filter(self, display_filter):
        self.gui.check_alive("before applying a filter")
        self.focus_tree()
        self.gui.key("Tab", "ctrl+a", "BackSpace")
        if display_filter:
            self.gui.type(display_filter)
        time.sleep(0.3)
        # The edit offers completions as one types; a Return while the list is
        # open only closes the list.
        self.gui.dismiss_popups([self.win])
        self.gui.key("Return", delay=0.5)
        self.gui.dismiss_popups([self.win])


def parse_stats_tree_text(text):
    """Plain stats tree text (the dialog's Copy, or tshark -z NAME,tree) →
    ({path tuple: count}, [paths in order]). The path is the node names from
    the root; the count is the first numeric column ("Count")."""
    lines = text.splitlines()
    header = None
    for i, line in enumerate(lines):
        if line.lstrip().startswith("Topic / Item") and "Count" in line:
            header = i
            break
    if header is None:
        raise Failure("no stats tree header in:\n" + text)
    col = lines[header].index("Count")
    counts, order, stack = {}, [], []
    for line in lines[header + 2:]:
        if not line.strip() or set(line.strip()) <= set("-="):
            continue
        name_part, rest = line[:col], line[col:].split()
        if not rest or not rest[0].isdigit():
            raise Failure("unreadable stats tree line %r" % line)
        name = name_part.strip()
        depth = len(name_part) - len(name_part.lstrip(" "))
        del stack[depth:]
        stack.append(name)
        path = tuple(stack)
        if len(path) != depth + 1:
            raise Failure("bad indentation in stats tree line %r" % line)
        counts[path] = int(rest[0])
        order.append(path)
    return counts, order
