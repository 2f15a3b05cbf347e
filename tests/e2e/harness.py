# SPDX-License-Identifier: MIT
"""End-to-end harness for causeway-bridge (stdlib only).

One Env per test: a temp dir, the processes it started (stopped by pid in
close(), SIGTERM then SIGKILL after a grace), free ports. Sim runs
causeway-pstn-sim (span socket, control socket, JSON report, pcap tap),
Bridge runs causeway-bridge with a generated config (stderr to a log file)
and waits for the log lines of bridge/daemon/README.md, sipp() runs one SIPp scenario
(templated from scenarios/*.xml: @NAME@ placeholders) with a message trace
that parse_trace() turns into SipMsg objects, so the checks read the wire.

Used by run_e2e.py (the meson tests) and bridge/demo/demo.py.
"""
import fcntl
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = os.path.join(HERE, "scenarios")

SANITIZER_RE = re.compile(r"ERROR: (AddressSanitizer|LeakSanitizer|ThreadSanitizer|MemorySanitizer)"
                          r"|runtime error:|==\d+== (Invalid|Conditional jump|Syscall param|"
                          r"Mismatched|Source and destination)|definitely lost: [1-9]")


class TestFailure(Exception):
    pass


# ---------------------------------------------------------------- ports, files

def _ephemeral_low():
    """The first port of the kernel's ephemeral range (bind(0) and connect() take from it)."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


_PORT_RNG = random.SystemRandom()
_PORTS_GIVEN = set()
_PORTS_LOCK = threading.Lock()
# Ports handed out are leased machine-wide: a POSIX record lock on byte PORT of
# one shared file, held by this process until it exits (the kernel drops it
# then, even on SIGKILL). So two tests side by side never hold one port, even
# while it is unbound: e2e-status-to-cause reuses a port per worker for many
# SIPp runs one after the other.
_LEASE_FILE = os.path.join(tempfile.gettempdir(), "causeway-test-ports.lock")
_lease_fd = None


def _lease(port):
    """Take the machine-wide lease of port: False when another process holds it.
    Without the lease file (not writable) the random draw alone has to do."""
    global _lease_fd
    if _lease_fd is None:
        try:
            _lease_fd = os.open(_LEASE_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
        except OSError:
            _lease_fd = -1
    if _lease_fd < 0:
        return True
    try:
        fcntl.lockf(_lease_fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, port, os.SEEK_SET)
    except OSError:
        return False
    return True


def free_port(udp=True, tcp=True):
    """A port free for UDP and TCP on 127.0.0.1, leased to this process.

    Drawn at random below the ephemeral range: a port the kernel handed out by
    bind(0) is handed out again to the next bind(0) or connect() of any
    process, so under parallel tests it was taken between our probe and SIPp's
    bind (errno 98). Below the range only an explicit choice can collide, and
    every test draws through here: the lease (_lease) makes the choice exclusive
    among them until this process exits. 20000-22200 (the bridge's SDP ports)
    are left out."""
    hi = min(_ephemeral_low(), 65536)
    for _ in range(400):
        port = _PORT_RNG.randrange(10000, hi)
        with _PORTS_LOCK:
            if port in _PORTS_GIVEN or 20000 <= port < 22200 or not _lease(port):
                continue
            _PORTS_GIVEN.add(port)    # from here on ours until we exit
        socks = []
        try:
            if tcp:
                socks.append(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
                socks[-1].bind(("127.0.0.1", port))
            if udp:
                socks.append(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
                socks[-1].bind(("127.0.0.1", port))
        except OSError:
            continue                  # bound by something else: keep the lease, draw again
        finally:
            for s in socks:
                s.close()
        return port
    raise RuntimeError("no free port")


def port_bound(port, tcp=False):
    """True when a UDP socket is bound to port (tcp: a TCP socket listens on it),
    read from /proc/net/{udp,tcp}{,6}.

    Never by binding the port ourselves to see whether that fails: such a probe
    holds the port for a moment, and a SIPp binding it in that moment exits 254
    ("Unable to bind main socket"), the very failure it was there to catch. With
    the test's threads contending for the GIL that moment lasts milliseconds:
    4 of 900 SIPp starts failed so, 0 of 900 with this reading."""
    want = ":%04X" % port
    for table in (("/proc/net/tcp", "/proc/net/tcp6") if tcp else
                  ("/proc/net/udp", "/proc/net/udp6")):
        try:
            with open(table) as f:
                next(f, None)                           # the header line
                for line in f:
                    fields = line.split()
                    if (len(fields) > 3 and fields[1].endswith(want)
                            and (not tcp or fields[3] == "0A")):     # 0A: LISTEN
                        return True
        except OSError:
            continue
    return False


def port_holders(port):
    """What `ss` says holds port (for a failure message), or why it cannot say."""
    ss = shutil.which("ss")
    if not ss:
        return "(ss not installed: cannot say who holds port %d)" % port
    r = subprocess.run([ss, "-Hanup", "sport = :%d" % port], capture_output=True, text=True)
    r2 = subprocess.run([ss, "-Hantp", "sport = :%d or dport = :%d" % (port, port)], capture_output=True, text=True)
    return "holders of port %d:\n%s%s" % (port, r.stdout + r.stderr, r2.stdout + r2.stderr)


def unix_cmd(path, line, timeout=5):
    """One line to a unix stream socket (the simulator's control socket), its one-line answer."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(path)
        s.sendall((line + "\n").encode())
        buf = b""
        while not buf.endswith(b"\n"):
            chunk = s.recv(512)
            if not chunk:
                break
            buf += chunk
    finally:
        s.close()
    return buf.decode(errors="replace").strip()


JUNK = (b"INVITE sip:x@y SIP/2.0\r\nContent-Length: 99999999\r\n\r\n",  # truncated stream
        b"OPTIONS sip:x SIP/2.0\r\n" + b"X: y\r\n" * 5000,                 # huge header section
        bytes(range(256)) * 10)                                               # binary junk


def send_both_ways(port, data, udp):
    """data once over UDP (from the bound socket udp) and once over a new TCP connection to
    127.0.0.1:port; returns how many answers came back within 50 ms each."""
    answers = 0
    udp.settimeout(0.05)
    udp.sendto(data[:60000], ("127.0.0.1", port))
    try:
        while True:
            udp.recvfrom(65536)
            answers += 1
    except socket.timeout:
        pass
    t = socket.create_connection(("127.0.0.1", port), timeout=2)
    t.settimeout(0.05)
    try:
        t.sendall(data)
        while t.recv(65536):
            answers += 1
    except (socket.timeout, ConnectionResetError, BrokenPipeError):
        pass
    finally:
        t.close()
    return answers


def wait_until(pred, timeout, step=0.02):
    end = time.monotonic() + timeout
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() >= end:
            return v
        time.sleep(step)


def tail(path, n=4000):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return "(%s: missing)" % path
    return data[-n:].decode(errors="replace")


# ---------------------------------------------------------------- environment

class Env:
    """Temp dir + every process started for one test; close() stops them by pid."""

    def __init__(self, name, keep=None):
        self.name = name
        self.tmp = tempfile.mkdtemp(prefix="cw-e2e-%s-" % name)
        self.procs = []          # (label, Popen) in start order
        self.keep = os.environ.get("CW_E2E_KEEP") == "1" if keep is None else keep
        self.failures = []
        self.dumps = []          # callables printing diagnostics on failure
        self.serial = 0

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def write(self, name, text):
        p = self.path(name)
        with open(p, "w") as f:
            f.write(text)
        return p

    def next_id(self):
        self.serial += 1
        return self.serial

    def spawn(self, label, argv, log=None, **kw):
        out = open(log, "ab") if log else subprocess.DEVNULL
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                             cwd=self.tmp, **kw)
        if log:
            out.close()
        self.procs.append((label, p))
        return p

    def check(self, cond, what):
        if not cond:
            self.failures.append(what)
            print("FAIL: " + what, flush=True)
        return bool(cond)

    def close(self):
        """Stop every process still running, newest first (SIGTERM, grace, SIGKILL)."""
        for label, p in reversed(self.procs):
            stop_pid(p, grace=5)
        if not self.keep and not self.failures:
            shutil.rmtree(self.tmp, ignore_errors=True)
        elif self.failures:
            print("temp dir kept: %s" % self.tmp)


def stop_pid(p, sig=signal.SIGTERM, grace=10.0):
    """Signal p by pid, wait up to grace, then SIGKILL. Returns the exit status."""
    if p.poll() is None:
        try:
            os.kill(p.pid, sig)
        except ProcessLookupError:
            pass
        try:
            return p.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            try:
                os.kill(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
            return "killed (no exit within %.0f s of %s)" % (grace, signal.Signals(sig).name)
    return p.returncode


# ---------------------------------------------------------------- simulator

class Sim:
    def __init__(self, env, exe, rules, tag="sim", switchtype="euroisdn", span=None, extra=()):
        self.env, self.exe, self.tag = env, exe, tag
        self.rules = env.write(tag + ".rules", rules)
        self.span = span or env.path("span.sock" if tag == "sim" else tag + "-span.sock")
        self.ctl = env.path(tag + "-ctl.sock")
        self.report = env.path(tag + "-report.jsonl")
        self.tap = env.path(tag + ".pcap")
        self.log = env.path(tag + ".log")
        self.switchtype = switchtype
        self.extra = list(extra)
        self.proc = None
        env.dumps.append(self.dump)

    def start(self, timeout=10):
        if os.path.exists(self.ctl):
            os.unlink(self.ctl)
        argv = [self.exe, "--span", self.span, "--rules", self.rules, "--report", self.report,
                "--control", self.ctl, "--tap", self.tap, "--switchtype", self.switchtype]
        self.proc = self.env.spawn(self.tag, argv + self.extra, log=self.log)

        def up():
            if self.proc.poll() is not None:
                raise TestFailure("%s exited with %s: %s" % (self.tag, self.proc.returncode,
                                                              tail(self.log, 1000)))
            try:
                return self.cmd("status", timeout=1).startswith("ok")
            except OSError:
                return False
        if not wait_until(up, timeout):
            raise TestFailure("%s: control socket not answering within %d s" % (self.tag, timeout))
        return self

    def cmd(self, line, timeout=5):
        return unix_cmd(self.ctl, line, timeout)

    def call(self, called, calling="4930999", options=""):
        """options: the rest of the control command, e.g. "presentation restricted"."""
        r = self.cmd(("call %s %s %s" % (called, calling, options)).rstrip())
        m = re.match(r"ok cref (\d+) channel (\d+)", r)
        if not m:
            raise TestFailure("sim call %s: %r" % (called, r))
        return int(m.group(1))

    def hangup(self, cref, cause, location=None):
        r = self.cmd("hangup %d %d%s" % (cref, cause, " location " + location if location else ""))
        if r != "ok":
            raise TestFailure("sim hangup %d: %r" % (cref, r))

    def events(self):
        out = []
        try:
            with open(self.report) as f:
                for line in f:
                    if line.endswith("\n") and line.strip():
                        out.append(json.loads(line))
        except FileNotFoundError:
            pass
        return out

    def calls(self, called=None, direction=None):
        return [e for e in self.events() if e.get("event") == "call"
                and (called is None or e.get("called") == called)
                and (direction is None or e.get("direction") == direction)]

    def wait_call(self, called, direction=None, timeout=20, count=1):
        """The report lines of `count` finished calls to `called` (None after timeout)."""
        r = wait_until(lambda: len(self.calls(called, direction)) >= count and
                       self.calls(called, direction), timeout, step=0.03)
        return r or None

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        return stop_pid(self.proc, grace=10)

    def kill(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def dump(self):
        print("---- %s log (%s) ----" % (self.tag, self.log))
        print(tail(self.log, 1500))
        print("---- %s report (%s) ----" % (self.tag, self.report))
        print(tail(self.report, 6000))


# ---------------------------------------------------------------- bridge

BRIDGE_CONF = """\
; generated by tests/e2e/harness.py
[general]
log_level = {log_level}
profile = {profile}
pidfile = {pidfile}
cdr_file = {cdr}
{drain}
[sip]
bind = 127.0.0.1
port = {sip_port}
transport = {transport}
user_agent = causeway-bridge-e2e
retry_after = {retry_after}
{sip_extra}
[span 1]
switchtype = {switchtype}
signalling = pri_cpe
dchannel = {dchannel}
{bchannels}group = pstn
{span_extra}
[route to-pstn]
match = *
group = pstn
allow = {pstn_allow}
{sip_routes}
{routes}"""


class Bridge:
    def __init__(self, env, exe, span, sip_port=None, targets=None, bchannels=None,
                 switchtype="euroisdn", profile="rfc3398", retry_after=30, log_level="info",
                 span_extra="", conf_text=None, route_extra=None, sip_routes="", tag="bridge",
                 transport="udp,tcp", dchannel=None, proc_env=None, sip_extra="",
                 pstn_allow="127.0.0.1", drain_timeout=0):
        """targets: {match: port} ISDN->SIP routes to sip:127.0.0.1:PORT; route_extra:
        {match: "key = value lines"} added to those routes; sip_routes: more
        SIP->ISDN route sections (the catch-all [route to-pstn], allowing pstn_allow only, is
        always there); sip_extra: more [sip] key lines; dchannel: span 1's source (default
        socket:SPAN); bchannels: span 1's, None: none written (the switch type's trunk:
        1-15,17-31 on E1, 1-23 on T1); proc_env: the bridge's environment; drain_timeout: [general]
        drain_timeout, 0 (SIGTERM clears the calls at once) unless given, None: not written."""
        self.env, self.exe = env, exe
        self.dchannel = dchannel or "socket:" + span
        self.proc_env = proc_env
        self.transport = transport
        self.sip_port = sip_port or free_port()
        self.tag = tag  # file names: a second bridge in one test gets its own
        self.log = env.path(tag + ".log")
        self.pidfile = env.path(tag + ".pid")
        self.cdr = env.path(tag + "-cdr.jsonl" if tag != "bridge" else "cdr.jsonl")
        routes = ""
        for i, (match, port) in enumerate(sorted((targets or {}).items())):
            routes += "\n[route to-sip-%d]\nmatch = %s\ntarget = sip:127.0.0.1:%d;transport=udp\n" % (
                i, match, port)
            routes += (route_extra or {}).get(match, "")
        self.conf_text = conf_text or BRIDGE_CONF.format(
            log_level=log_level, profile=profile, pidfile=self.pidfile, cdr=self.cdr,
            sip_port=self.sip_port, transport=transport,
            drain="" if drain_timeout is None else "drain_timeout = %d\n" % drain_timeout,
            retry_after=retry_after, switchtype=switchtype, dchannel=self.dchannel,
            bchannels="" if bchannels is None else "bchannels = %s\n" % bchannels,
            span_extra=span_extra, routes=routes, sip_routes=sip_routes, sip_extra=sip_extra,
            pstn_allow=pstn_allow)
        self.conf = env.write(tag + ".conf", self.conf_text)
        self.proc = None
        env.dumps.append(self.dump)

    def start(self, timeout=20):
        wrapper = os.environ.get("CW_E2E_BRIDGE_WRAPPER", "").split()
        self.proc = self.env.spawn(self.tag, wrapper + [self.exe, "-c", self.conf], log=self.log,
                                   env=self.proc_env)
        self.wait_log(r"notice: ready$", timeout)
        attached = (r"notice: span 1: opened dahdi:\d+$"
                    if self.dchannel.startswith("dahdi:") else r"notice: span 1: connected to socket ")
        # the other log lines (bridge/daemon/README.md) that come before `ready`
        for want in (r"notice: sip: listening on 127\.0\.0\.1:%d \(%s\)$" % (
                         self.sip_port, re.escape(self.transport)),
                     attached,
                     r"notice: span 1: D-channel up$"):
            if not self.lines(want):
                raise TestFailure("bridge log: no line /%s/ before `ready`" % want)
        return self

    def text(self):
        try:
            with open(self.log, "rb") as f:
                return f.read().decode(errors="replace")
        except FileNotFoundError:
            return ""

    def lines(self, regex):
        r = re.compile(regex)
        return [m for m in (r.search(l) for l in self.text().splitlines()) if m]

    def wait_log(self, regex, timeout=20, count=1):
        """The count-th line matching regex (re.search, per line); TestFailure on timeout/exit."""
        def seen():
            if self.proc.poll() is not None:
                raise TestFailure("bridge exited (%s) while waiting for /%s/" % (
                    self.proc.returncode, regex))
            m = self.lines(regex)
            return m[count - 1] if len(m) >= count else None
        m = wait_until(seen, timeout, step=0.03)
        if not m:
            raise TestFailure("bridge: no log line /%s/ (#%d) within %s s" % (regex, count, timeout))
        return m

    def end_lines(self):
        """Parsed `call ID: end k=v...` lines."""
        out = []
        for m in self.lines(r"call (\S+): end (.*)$"):
            d = dict(kv.split("=", 1) for kv in m.group(2).split() if "=" in kv)
            d["id"] = m.group(1)
            out.append(d)
        return out

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop_and_check(self):
        """SIGTERM by pid; the exit status must be 0 and no sanitizer report in the log."""
        grace = 60 if os.environ.get("CW_E2E_BRIDGE_WRAPPER") else 15
        rc = stop_pid(self.proc, grace=grace)
        self.env.check(rc == 0, "bridge exit status after SIGTERM: %s (want 0)" % rc)
        bad = [l for l in self.text().splitlines() if SANITIZER_RE.search(l)]
        self.env.check(not bad, "sanitizer/valgrind report in the bridge log: %s" % bad[:3])
        self.env.check(not os.path.exists(self.pidfile), "pidfile %s left behind" % self.pidfile)
        self.audit_cdr()
        return rc

    def audit_cdr(self):
        """docs/cdr.md: a CDR line for every call the bridge ended (its `call ID: end` lines), and
        the file audits clean against the profile (`causeway audit`, when CW_E2E_CAUSEWAY names
        the CLI built with jansson)."""
        causeway = os.environ.get("CW_E2E_CAUSEWAY")
        if not causeway or "cdr_file = " not in self.conf_text:
            return
        for what in audit_cdr_file(causeway, self.cdr, len(self.end_lines())):
            self.env.check(False, what)

    def dump(self):
        print("---- bridge log tail (%s) ----" % self.log)
        print(tail(self.log, 5000))


def audit_cdr_file(causeway, cdr, ncalls, profile="rfc3398"):
    """The failures of a CDR file: not exactly ncalls lines, or `causeway audit --profile
    PROFILE --json` not clean (exit 0, no malformed line, no disagreeing call)."""
    try:
        with open(cdr, encoding="utf-8") as f:
            records = [l for l in f.read().splitlines() if l.strip()]
    except FileNotFoundError:
        records = []
    errors = []
    if len(records) != ncalls:
        errors.append("CDR: %d lines for %d ended calls (%s)" % (len(records), ncalls, cdr))
    if not records:
        return errors
    for line in records:
        try:
            cid = json.loads(line).get("call_id_sip")
        except ValueError:
            continue  # the audit below reports it as malformed
        # SIPp's Call-IDs are "N-PID@ADDRESS": the CDR keeps the Call-ID whole (docs/cdr.md).
        if isinstance(cid, str) and re.fullmatch(r"\d+-\d+", cid):
            errors.append("CDR: call_id_sip %r lost its @host part (%s)" % (cid, cdr))
    r = subprocess.run([causeway, "audit", "--profile", profile, "--json", cdr],
                       capture_output=True, text=True)
    try:
        report = json.loads(r.stdout)
    except ValueError:
        report = {}
    if not (r.returncode == 0 and report.get("malformed") == 0 and not report.get("disagreements")):
        errors.append("causeway audit %s: exit %d, malformed %s, disagreements %s %s" % (
            cdr, r.returncode, report.get("malformed"), report.get("disagreements"),
            r.stderr.strip()))
    return errors


# ---------------------------------------------------------------- SIP messages

class SipMsg:
    def __init__(self, direction, text, transport):
        self.dir = direction            # "sent" or "recv" (as SIPp saw it)
        self.transport = transport
        self.text = text
        head, _, self.body = text.replace("\r\n", "\n").partition("\n\n")
        lines = head.split("\n")
        self.start = lines[0].strip()
        self.headers = []
        for l in lines[1:]:
            if l[:1] in (" ", "\t") and self.headers:
                n, v = self.headers[-1]
                self.headers[-1] = (n, v + " " + l.strip())
            elif ":" in l:
                n, v = l.split(":", 1)
                self.headers.append((n.strip().lower(), v.strip()))
        m = re.match(r"SIP/2\.0\s+(\d{3})\s*(.*)", self.start)
        self.status = int(m.group(1)) if m else None
        self.phrase = m.group(2) if m else None
        self.method = None if m else self.start.split(" ", 1)[0]
        cseq = self.hdr("cseq")
        self.cseq_method = cseq.split()[-1] if cseq else None

    COMPACT = {"v": "via", "f": "from", "t": "to", "i": "call-id", "m": "contact", "l": "content-length",
               "c": "content-type"}

    def hdrs(self, name):
        name = name.lower()
        return [v for n, v in self.headers if n == name or self.COMPACT.get(n) == name]

    def hdr(self, name):
        h = self.hdrs(name)
        return h[0] if h else None

    def what(self):
        return self.start

    def __repr__(self):
        return "<%s %s>" % (self.dir, self.start)


def parse_trace(path):
    """SIPp -trace_msg file -> [SipMsg] in order."""
    try:
        with open(path, "rb") as f:
            text = f.read().decode(errors="replace")
    except FileNotFoundError:
        return []
    out = []
    for blk in re.split(r"^-{20,}.*$", text, flags=re.M):
        blk = blk.lstrip("\n")
        if not blk.strip():
            continue
        first, _, rest = blk.partition("\n")
        m = re.match(r"(UDP|TCP|TLS|SCTP) message (sent|received)", first)
        if not m:
            continue
        msg = rest.lstrip("\r\n").rstrip("\n")
        if not msg.strip():
            continue
        out.append(SipMsg("sent" if m.group(2) == "sent" else "recv", msg, m.group(1)))
    return out


def split_top(value, sep=","):
    """Split on sep outside double quotes."""
    out, cur, q = [], "", False
    for ch in value:
        if ch == '"':
            q = not q
        if ch == sep and not q:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return [x.strip() for x in out if x.strip()]


def reasons(msg):
    """Reason header values of msg as [(protocol, {param: value})] (params lowercased)."""
    out = []
    for h in msg.hdrs("reason"):
        for v in split_top(h):
            parts = split_top(v, ";")
            params = {}
            for p in parts[1:]:
                k, _, val = p.partition("=")
                params[k.strip().lower()] = val.strip()
            out.append((parts[0].strip(), params))
    return out


def q850(msg):
    """(cause:int|None, location:str|None, raw header) of the first Q.850 Reason of msg."""
    for proto, params in reasons(msg):
        if proto.upper() == "Q.850":
            try:
                cause = int(params.get("cause", ""))
            except ValueError:
                cause = None
            return cause, params.get("location"), ", ".join(msg.hdrs("reason"))
    return None, None, ", ".join(msg.hdrs("reason")) or None


# ---------------------------------------------------------------- SIPp

class SippRun:
    def __init__(self, env, label, proc, msgfile, errfile, scen, argv, sync):
        self.env, self.label, self.proc = env, label, proc
        self.msgfile, self.errfile, self.scen, self.argv, self.sync = msgfile, errfile, scen, argv, sync
        self.rc = None

    def wait(self, timeout=60):
        try:
            self.rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.rc = stop_pid(self.proc, grace=2)
        return self.rc

    def wait_sync(self, timeout=20):
        """Wait for the scenario's `touch @SYNC@` (TestFailure if SIPp ends first)."""
        def seen():
            if os.path.exists(self.sync):
                return True
            if self.proc.poll() is not None:
                raise TestFailure("%s: SIPp ended (%s) before its sync point" % (
                    self.label, self.proc.returncode))
            return False
        if not wait_until(seen, timeout):
            raise TestFailure("%s: no sync point within %s s" % (self.label, timeout))

    def msgs(self):
        return parse_trace(self.msgfile)

    def recv(self, pred=None):
        return [m for m in self.msgs() if m.dir == "recv" and (pred is None or pred(m))]

    def final(self, method="INVITE"):
        """The first final response to `method` SIPp received."""
        for m in self.msgs():
            if m.dir == "recv" and m.status and m.status >= 200 and m.cseq_method == method:
                return m
        return None

    def request(self, method):
        for m in self.msgs():
            if m.dir == "recv" and m.method == method:
                return m
        return None

    def seen(self):
        return " ".join(("<" if m.dir == "recv" else ">") + (str(m.status) if m.status else m.method)
                        for m in self.msgs())

    def dump(self):
        print("---- SIPp %s: %s" % (self.label, " ".join(self.argv)))
        print("exit status %s; messages: %s" % (self.rc, self.seen()))
        print(tail(self.errfile, 1500))
        print(tail(self.msgfile, 3000))


def render_scenario(env, name, subs, label):
    """scenarios/NAME with @KEY@ replaced; a line that is only @KEY@ with an empty value is dropped."""
    with open(os.path.join(SCENARIOS, name)) as f:
        text = f.read()
    out = []
    for line in text.split("\n"):
        m = re.match(r"^(\s*)@([A-Z_]+)@\s*$", line)
        if m and m.group(2) in subs:
            val = subs[m.group(2)]
            for vl in val.split("\n") if val else []:
                out.append(m.group(1) + vl)
            continue
        out.append(line)
    text = "\n".join(out)
    for k, v in subs.items():
        text = text.replace("@%s@" % k, str(v))
    left = re.findall(r"@[A-Z_]+@", text)
    if left:
        raise RuntimeError("%s: unfilled placeholders %s" % (name, left))
    path = env.path("%s.xml" % label)
    with open(path, "w") as f:
        f.write(text)
    return path


def sipp(env, sipp_exe, scenario, subs=None, remote_port=None, service="s", port=None,
         tcp=False, timeout=30, label=None, extra=(), local_ip="127.0.0.1"):
    """Start SIPp (-m 1) on one scenario template; returns a SippRun (call .wait()).
    local_ip: the address SIPp sends from (any of 127.0.0.0/8 is local)."""
    n = env.next_id()
    label = label or "%s-%d" % (scenario.replace(".xml", ""), n)
    sync = env.path(label + ".sync")
    subs = dict(subs or {})
    subs.setdefault("SYNC", sync)
    scen = render_scenario(env, scenario, subs, label)
    msgfile, errfile = env.path(label + ".msg"), env.path(label + ".err")
    # Should the port be taken at SIPp's bind all the same (by a process that
    # does not draw through free_port), SIPp exits 254 ("Unable to bind main
    # socket"): a drawn port is drawn again, a fixed one (a bridge route
    # target) retried after a pause, saying who held it.
    for attempt in range(4):
        use = port or free_port()
        if port and port_bound(use, tcp):      # still held: then it is not SIPp's below
            print("%s: port %d still bound before SIPp starts (attempt %d); %s" % (
                label, use, attempt + 1, port_holders(use)), flush=True)
            wait_until(lambda: not port_bound(use, tcp), 2)
        argv = [sipp_exe, "-sf", scen, "-i", local_ip, "-p", str(use), "-m", "1", "-nostdin",
                "-timeout", "%ds" % timeout, "-timeout_error", "-trace_msg", "-message_file",
                msgfile, "-trace_err", "-error_file", errfile, "-s", service,
                "-t", "t1" if tcp else "u1"]
        if remote_port:
            argv.append("127.0.0.1:%d" % remote_port)
        argv += list(extra)
        p = env.spawn("sipp-" + label, argv)
        if not _sipp_bind_failed(p, use, tcp, errfile):
            break
        print("%s: port %d taken at SIPp's bind (attempt %d); %s" % (
            label, use, attempt + 1, port_holders(use)), flush=True)
        if port:
            time.sleep(0.5)
    run = SippRun(env, label, p, msgfile, errfile, scen, argv, sync)
    run.port = use
    return run


def _sipp_bind_failed(proc, port, tcp, errfile):
    """True when SIPp exited at start because its port was taken."""
    wait_until(lambda: port_bound(port, tcp) or proc.poll() is not None, 10)
    if proc.poll() is None:
        return False
    return proc.returncode == 254 and "Unable to bind" in tail(errfile, 4000)


def sipp_uas(env, sipp_exe, scenario, subs=None, port=None, timeout=30, label=None):
    """A SIPp UAS, returned once its UDP port is bound."""
    run = sipp(env, sipp_exe, scenario, subs, port=port, timeout=timeout, label=label)
    if not wait_until(lambda: port_bound(run.port) or run.proc.poll() is not None, 10):
        raise TestFailure("SIPp UAS did not bind port %d" % run.port)
    if run.proc.poll() is not None:
        run.rc = run.proc.returncode
        run.dump()
        raise TestFailure("SIPp UAS exited at start (%s)" % run.rc)
    return run


def q931_setups(pcap):
    """{called number: [channel of each SETUP]} decoded by tshark from the sim's tap,
    or None when tshark is not installed."""
    tshark = shutil.which("tshark")
    if not tshark:
        return None
    r = subprocess.run([tshark, "-r", pcap, "-Y", "q931.message_type == 0x05", "-T", "fields",
                        "-e", "q931.called_party_number.digits", "-e", "q931.channel.number"],
                       capture_output=True, text=True, timeout=60)
    out = {}
    for line in r.stdout.splitlines():
        f = line.split("\t")
        if len(f) == 2 and f[0]:
            out.setdefault(f[0], []).append(int(f[1]) if f[1].isdigit() else None)
    return out


# ---------------------------------------------------------------- vectors

class Vector:
    def __init__(self, lineno, fields):
        self.line = lineno
        self.direction, self.profile, self.input, self.reason, self.expected = fields
        self.reason = None if self.reason == "-" else self.reason
        words = self.input.split()
        self.kind = words[0]
        self.quals = words[1:]
        exp = self.expected.split()
        self.exp_value = exp[0]
        self.exp_action = exp[1]
        self.exp_location = exp[2] if len(exp) > 2 else None

    def name(self):
        s = "%s %s" % (self.direction, self.input)
        if self.reason:
            s += " [Reason: %s]" % self.reason
        return s + " -> " + self.expected

    def qual(self, key):
        for q in self.quals:
            if q == key:
                return True
            if q.startswith(key + "="):
                return q.split("=", 1)[1]
        return None


def load_vectors(path, direction=None, profile=None):
    rows = []
    with open(path) as f:
        for i, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fields = [x.strip() for x in line.split("|")]
            if len(fields) != 5:
                continue
            v = Vector(i, fields)
            if (direction is None or v.direction == direction) and (profile is None or v.profile == profile):
                rows.append(v)
    return rows


# ---------------------------------------------------------------- test driver glue

def run_test(name, body, *args):
    """Run body(env, *args) with cleanup and diagnostics; returns the exit status (0, 1, 77)."""
    env = Env(name)
    t0 = time.monotonic()
    rc = 0
    try:
        r = body(env, *args)
        if r == 77:
            rc = 77
    except TestFailure as e:
        env.check(False, str(e))
    except Exception as e:  # a harness bug is a failure too, with a traceback
        import traceback
        traceback.print_exc()
        env.check(False, "harness exception: %r" % e)
    finally:
        for label, p in reversed(env.procs):
            if p.poll() is None and label != "bridge":
                stop_pid(p, grace=5)
        if env.failures:
            for d in env.dumps:
                try:
                    d()
                except Exception as e:  # diagnostics must not hide the failure
                    print("(dump failed: %r)" % e)
        env.close()
    dt = time.monotonic() - t0
    if env.failures:
        print("%s: FAIL (%d failures, %.1f s)" % (name, len(env.failures), dt))
        return 1
    if rc == 77:
        print("%s: SKIP (%.1f s)" % (name, dt))
        return 77
    print("%s: PASS (%.1f s)" % (name, dt))
    return 0


if __name__ == "__main__":
    sys.exit("harness.py is a module: see run_e2e.py")
