# SPDX-License-Identifier: MIT
"""Shared by e2e_failover.py, e2e_hunting.py, e2e_early_release.py, e2e_channels.py,
e2e_colp.py, e2e_numbering.py and others (stdlib only): a temp dir, free ports,
causeway-pstn-sim, causeway-bridge and SIPp processes killed by pid in close(), CDR lines, and
finish(): the bridge stopped, one CDR line per call, `causeway audit` clean."""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile

SKIP = 77


# One port allocator and one poll loop for every e2e test (harness.py, beside this file).
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import free_port, wait_until  # noqa: E402,F401
from harness import audit_cdr_file, unix_cmd  # noqa: E402
from harness import port_bound, render_scenario  # noqa: E402


class Env:
    def __init__(self, name):
        self.dir = tempfile.mkdtemp(prefix="cw-%s-" % name)
        self.procs = []
        self.logs = []

    def path(self, name):
        return os.path.join(self.dir, name)

    def write(self, name, text):
        with open(self.path(name), "w") as f:
            f.write(text)
        return self.path(name)

    def spawn(self, label, argv, proc_env=None):
        log = self.path(label + ".log")
        self.logs.append(log)
        f = open(log, "w")
        p = subprocess.Popen(argv, stdout=f, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             cwd=self.dir, env=proc_env)
        f.close()
        self.procs.append(p)
        return p

    def read(self, name_or_path):
        p = name_or_path if os.path.isabs(name_or_path) else self.path(name_or_path)
        try:
            with open(p, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def close(self, failed):
        for p in reversed(self.procs):
            if p.poll() is None:
                try:
                    os.kill(p.pid, signal.SIGTERM)
                    p.wait(timeout=5)
                except (subprocess.TimeoutExpired, ProcessLookupError):
                    try:
                        os.kill(p.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    p.wait()
        if failed:
            for log in self.logs:
                print("---- %s ----" % log)
                print(self.read(log)[-4000:])
        shutil.rmtree(self.dir, ignore_errors=True)


def need(path, what):
    if not path or not os.path.exists(path):
        print("SKIP: %s not found (%s)" % (what, path))
        sys.exit(SKIP)


def sipp_or_skip():
    sipp = shutil.which("sipp")
    if not sipp:
        print("SKIP: sipp not found")
        sys.exit(SKIP)
    return sipp


def sim_cmd(env, ctl, line, timeout=5):
    return unix_cmd(env.path(ctl), line, timeout)


def start_sim(env, exe, tag, rules, extra=()):
    """A causeway-pstn-sim on TAG.sock (span), TAG-ctl.sock (control), TAG.jsonl (report);
    extra: more of its options (e.g. --audio PATH, --switchtype ni2)."""
    env.write(tag + ".rules", rules)
    p = env.spawn(tag, [exe, "--span", env.path(tag + ".sock"), "--rules", env.path(tag + ".rules"),
                        "--report", env.path(tag + ".jsonl"), "--control", env.path(tag + "-ctl.sock")]
                  + list(extra))

    def up():
        if p.poll() is not None:
            raise RuntimeError("%s exited with %s" % (tag, p.returncode))
        try:
            return sim_cmd(env, tag + "-ctl.sock", "status", timeout=1).startswith("ok")
        except OSError:
            return False
    if not wait_until(up, 10):
        raise RuntimeError("%s: control socket not answering" % tag)
    return p


def sim_calls(env, tag):
    out = []
    for line in env.read(tag + ".jsonl").splitlines():
        if line.strip():
            e = json.loads(line)
            if e.get("event") == "call":
                out.append(e)
    return out


def uas_503_scenario(retry_after=None):
    """A SIPp UAS answering each INVITE 503 (with Retry-After: N when given), then its ACK."""
    ra = "      Retry-After: %d\n" % retry_after if retry_after is not None else ""
    return """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="uas-503">
  <recv request="INVITE"/>
  <send>
    <![CDATA[

      SIP/2.0 503 Service Unavailable
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
%s      Content-Length: 0

    ]]>
  </send>
  <recv request="ACK"/>
</scenario>
""" % ra


def reason_check(cause):
    """A SIPp <action> failing the message unless its Reason is Q.850 cause (variable
    `reason`; the scenario needs <Reference variables="reason"/> after the element)."""
    return """    <action>
      <ereg regexp="Q\\.850;cause=%d([^0-9]|$)" search_in="hdr" header="Reason:"
            check_it="true" assign_to="reason"/>
    </action>
""" % cause


UAS_PROVISIONAL = """  <send>
    <![CDATA[

      SIP/2.0 %d %s
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[service]@[local_ip]:[local_port];transport=[transport]>
      Content-Length: 0

    ]]>
  </send>
"""

PHRASES = {100: "Trying", 180: "Ringing", 183: "Session Progress"}


def uas_cancel_scenario(provisional, cause, cancel_timeout_ms=None):
    """A SIPp UAS: INVITE, the provisional responses (statuses, e.g. [100, 180]), then
    nothing until the bridge's CANCEL, whose Reason must be Q.850 cause: 200 for it, 487 for
    the INVITE, its ACK. cancel_timeout_ms: fail when no CANCEL came by then."""
    timeout = ' timeout="%d"' % cancel_timeout_ms if cancel_timeout_ms else ""
    return """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="uas-cancel-%d">
  <recv request="INVITE" crlf="true"/>
%s  <recv request="CANCEL"%s>
%s  </recv>
  <Reference variables="reason"/>
  <send>
    <![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>
  <send>
    <![CDATA[

      SIP/2.0 487 Request Terminated
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      CSeq: [last_cseq_number] INVITE
      Content-Length: 0

    ]]>
  </send>
  <recv request="ACK" crlf="true"/>
  <pause milliseconds="50"/>
</scenario>
""" % (cause, "".join(UAS_PROVISIONAL % (st, PHRASES[st]) for st in provisional), timeout,
       reason_check(cause))


BRIDGE_HEAD = """[general]
log_level = info
cdr_file = {dir}/cdr.jsonl

[sip]
bind = 127.0.0.1
port = {port}
"""

SPAN = """
[span {n}]
switchtype = euroisdn
signalling = pri_cpe
dchannel = socket:{dir}/span{n}.sock
bchannels = 1-15,17-31
group = pstn
"""


PSTN_ROUTE = """
[route to-pstn]
match = *
group = pstn
allow = 127.0.0.1
"""

PCMA_SDP = """      v=0
      o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 8
      a=rtpmap:8 PCMA/8000
"""

UAC_SCENARIO = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="{name}">
  <send retrans="500">
    <![CDATA[

      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: "Alice" <sip:0301234@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:0301234@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

{sdp}
    ]]>
  </send>
{recv}
  <send>
    <![CDATA[

      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      [last_Via:]
      From: "Alice" <sip:0301234@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>
  <pause milliseconds="300"/>
</scenario>
"""


def uac_scenario(name, recv):
    """A SIPp UAC scenario: INVITE with a PCMA offer, the <recv> elements given (ending with
    the final response), then the ACK for a non-2xx final response."""
    return (UAC_SCENARIO.replace("{name}", name).replace("{sdp}", PCMA_SDP)
            .replace("{recv}", recv.rstrip("\n")))


def sipp_uac(env, sipp, port, label, scenario="uac_wait_bye.xml", subs=None, called="4930100"):
    """A SIPp UAC (a scenario of tests/e2e/scenarios, @SYNC@ = LABEL.sync, @CALLING@ 0301111
    unless subs say otherwise) toward the bridge on port; returns (proc, trace)."""
    subs = dict({"CALLING": "0301111", "SYNC": env.path(label + ".sync")}, **(subs or {}))
    scen = render_scenario(env, scenario, subs, label)
    trace = env.path(label + "-msg.log")
    p = env.spawn(label, [sipp, "-sf", scen, "-s", called, "-i", "127.0.0.1",
                          "-p", str(free_port()), "-m", "1", "-nostdin", "-timeout", "20s",
                          "-timeout_error", "-trace_msg", "-message_file", trace,
                          "127.0.0.1:%d" % port])
    return p, trace


def sipp_uas(env, sipp, scenario, subs, uas, port):
    """A SIPp UAS on port uas (-m 1), its trace in uas-msg.log (@SYNC@ = uas.sync); None when it
    did not bind."""
    scen = render_scenario(env, scenario, dict({"SYNC": env.path("uas.sync")}, **subs), "uas")
    u = env.spawn("uas", [sipp, "-sf", scen, "-p", str(uas), "-i", "127.0.0.1", "-m", "1",
                          "-nostdin", "-timeout", "20s", "-timeout_error", "-trace_msg",
                          "-message_file", env.path("uas-msg.log"), "127.0.0.1:%d" % port])
    return u if wait_until(lambda: port_bound(uas), 10) else None


def wait_proc(p, timeout=40):
    """p's exit status, None when it is still running after timeout seconds."""
    try:
        return p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        return None


def bridge_conf(env, port, nspans, tail):
    """[general] with the CDR file, [sip] on port, spans 1..nspans in group pstn, then tail."""
    return (BRIDGE_HEAD.format(dir=env.dir, port=port) +
            "".join(SPAN.format(dir=env.dir, n=n) for n in range(1, nspans + 1)) + tail)


def start_bridge(env, exe, conf, proc_env=None):
    """proc_env: the bridge's environment (None: ours), e.g. with LD_PRELOAD."""
    env.write("bridge.conf", conf)
    p = env.spawn("bridge", [exe, "-c", env.path("bridge.conf")], proc_env)
    if not wait_until(lambda: p.poll() is not None or
                      re.search(r"notice: ready$", env.read("bridge.log"), re.M), 20) or \
            p.poll() is not None:
        raise RuntimeError("bridge not ready")
    return p


def sip_invite(port, lport, call_id, user="4930100", from_tag=None, cseq=1):
    """A new INVITE (To without a tag) to user at the bridge on port, from 127.0.0.1:lport
    (branch z9hG4bK-CALL_ID, From tag f-CALL_ID unless from_tag), with an SDP offer."""
    sdp = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
           "m=audio 6000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n")
    return ("INVITE sip:{u}@127.0.0.1:{p} SIP/2.0\r\n"
            "Via: SIP/2.0/UDP 127.0.0.1:{l};branch=z9hG4bK-{c}-{q}\r\n"
            "Max-Forwards: 70\r\n"
            "From: <sip:0301111@127.0.0.1:{l}>;tag={t}\r\n"
            "To: <sip:{u}@127.0.0.1:{p}>\r\n"
            "Call-ID: {c}\r\n"
            "CSeq: {q} INVITE\r\n"
            "Contact: <sip:0301111@127.0.0.1:{l}>\r\n"
            "Content-Type: application/sdp\r\n"
            "Content-Length: {n}\r\n\r\n{sdp}").format(
                u=user, p=port, l=lport, c=call_id, q=cseq, t=from_tag or "f-" + call_id,
                n=len(sdp), sdp=sdp).encode()


def udp_queued(port):
    """The bytes queued on the UDP socket bound to 127.0.0.1:port (/proc/net/udp rx_queue),
    None when there is none."""
    want = "0100007F:%04X" % port
    with open("/proc/net/udp") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            if fields[1] == want:
                return int(fields[4].split(":")[1], 16)
    return None


def overload_burst(env, bridge, port, user="4930100"):
    """An overload episode (bridge/sip/README.md "Overload"): the bridge stopped (SIGSTOP),
    new INVITEs to user queued on its UDP socket past two fifths of its receive buffer
    (2 x min(4 MiB, rmem_max)), then SIGCONT: they get the early 503, and the bridge logs
    the episode's first line, after which it lasts a second. Returns the failures."""
    with open("/proc/sys/net/core/rmem_max") as f:
        rcvbuf = 2 * min(4 * 1024 * 1024, int(f.read()))
    flood = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    flood.bind(("127.0.0.1", 0))
    fport = flood.getsockname()[1]
    before = len(re.findall(r"sip: overload: receive queue long", env.read("bridge.log")))
    n = queued = 0
    os.kill(bridge.pid, signal.SIGSTOP)
    try:
        while (udp_queued(port) or 0) < rcvbuf * 2 // 5 and n < 20000:
            for _ in range(50):
                flood.sendto(sip_invite(port, fport, "flood-%d" % n, user), ("127.0.0.1", port))
                n += 1
        queued = udp_queued(port)
    finally:
        os.kill(bridge.pid, signal.SIGCONT)
        flood.close()
    # the queue is answered whole (the kernel gives its memory back a quarter of the buffer
    # at a time, so the queue looks long until it is read empty); the episode's first line
    # comes after the read
    if not wait_until(lambda: len(re.findall(r"sip: overload: receive queue long",
                                             env.read("bridge.log"))) > before, 20):
        return ["%d INVITEs (%s bytes queued) and no overload line" % (n, queued)]
    return []


def isdn_call(env, called, n_answered, n_cdr, opts=""):
    """A SETUP from the simulator on span 1 (opts: more of the simulator's `call` options),
    answered over SIP (the n_answered-th 2xx to an INVITE of the bridge), then cleared from
    ISDN with cause 16; the n_cdr-th CDR line."""
    r = sim_cmd(env, "span1-ctl.sock", ("call %s 4930999 %s" % (called, opts)).rstrip())
    m = re.match(r"ok cref (\d+) channel (\d+)", r)
    if not m:
        raise RuntimeError("sim call: %r" % r)
    if not wait_until(lambda: len(re.findall(r"call \d+: SIP_2XX: ",
                                             env.read("bridge.log"))) >= n_answered, 15):
        raise RuntimeError("call to %s not answered" % called)
    if sim_cmd(env, "span1-ctl.sock", "hangup %s 16" % m.group(1)) != "ok":
        raise RuntimeError("sim hangup failed")
    if not wait_until(lambda: len(cdr_lines(env)) >= n_cdr, 15):
        raise RuntimeError("no CDR line for the call to %s" % called)
    return cdr_lines(env)[n_cdr - 1]


def cdr_lines(env):
    """The CDR lines written whole so far (a line still being written is left out)."""
    text = env.read("cdr.jsonl")
    return [json.loads(l) for l in text[:text.rfind("\n") + 1].splitlines() if l.strip()]


def take_causeway():
    """`--causeway PATH` (meson passes the CLI when it was built with jansson, as
    tests/e2e/meson.build does for run_e2e.py): taken out of sys.argv; "" when absent."""
    if "--causeway" not in sys.argv[:-1]:
        return ""
    i = sys.argv.index("--causeway")
    path = os.path.abspath(sys.argv[i + 1])
    del sys.argv[i:i + 2]
    return path


def finish(env, bridge, ncalls, causeway):
    """The end of every daemon e2e test (docs/cdr.md; tests/e2e "audit_cdr"): stop the bridge by
    pid (SIGTERM: exit status 0, every call written), then its CDR file must hold exactly one
    line per call the test made, written under the rfc3398 profile, and `causeway audit`
    (profile rfc3398, its default) must exit 0 with no malformed line and no disagreeing call.
    Returns the failures."""
    errors = []
    try:
        os.kill(bridge.pid, signal.SIGTERM)
        rc = bridge.wait(timeout=15)
    except ProcessLookupError:
        rc = bridge.wait()
    except subprocess.TimeoutExpired:
        rc = None
    if rc != 0:
        errors.append("bridge exit status after SIGTERM: %s (want 0)" % rc)
    lines = cdr_lines(env)
    if len(lines) != ncalls:
        errors.append("CDR: %d lines for the %d calls the test made: %r"
                      % (len(lines), ncalls, lines))
    other = [l.get("profile") for l in lines if l.get("profile") != "rfc3398"]
    if other:
        errors.append("CDR lines under profile %r: the audit would not check them" % other)
    if not causeway:
        print("note: no --causeway (the CLI needs jansson): the CDR file is not audited")
        return errors
    if not os.path.exists(causeway):
        return errors + ["--causeway %s: no such file" % causeway]
    # the line count is checked above
    return errors + audit_cdr_file(causeway, env.path("cdr.jsonl"), len(lines))


def run_cases(prefix, cases, causeway, usage):
    """main() of a CASE CAUSEWAY_BRIDGE CAUSEWAY_PSTN_SIM script: cases[CASE](env, sipp, sim,
    bridge) -> (errors, bridge process, calls made); then finish(). Returns the exit code."""
    if len(sys.argv) != 4:
        sys.stderr.write(usage)
        return 2

    def body(env):
        case = sys.argv[1]
        bridge, sim = (os.path.abspath(a) for a in sys.argv[2:4])
        need(bridge, "causeway-bridge")
        need(sim, "causeway-pstn-sim")
        sipp = sipp_or_skip()
        if case not in cases:
            return ["unknown case %r" % case]
        errors, bridge_p, ncalls = cases[case](env, sipp, sim, bridge)
        if not errors:
            print("%s: ok" % case)
        return errors + finish(env, bridge_p, ncalls, causeway)
    return run(prefix + sys.argv[1], body)


def run(name, body):
    """Run body(env) -> list of failures; exit 0, 1 (failures) or 77 (skip inside body)."""
    env = Env(name)
    failed = True
    try:
        errors = body(env)
        for e in errors:
            print("FAIL: " + e)
        failed = bool(errors)
    except RuntimeError as e:
        print("FAIL: %s" % e)
    finally:
        env.close(failed)
    print("%s: %s" % (name, "FAIL" if failed else "ok"))
    return 1 if failed else 0


def wait_proc(p, timeout=40):
    """p's exit status, None when it did not end within timeout (it is left running)."""
    try:
        return p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
