#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""causeway demo: the bridge on a simulated E1 span, the simulator as its PSTN.

usage: demo.py [BUILD_DIR] [--port N] [--batch] [--sip-target HOST:PORT]
       demo.py --bridge EXE --sim EXE [--sipp SIPP] ...
       demo.py --pstn CONTROL_SOCKET "call 4930123 0301234"   (talk to the running PSTN)

Starts causeway-pstn-sim (rules: demo.rules) and causeway-bridge (config below)
in a temp dir, SIP on 127.0.0.1 (port 5060 if free), places a few calls with
SIPp and prints what happened on each side and which mapping rule decided.
Interactive (stdin is a TTY, no --batch): keeps running until Ctrl-C so you can
call it from any SIP phone or SIPp. Otherwise stops everything; exit status 0
when every demo call went as expected, 1 if not.
"""
import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
import harness as H  # noqa: E402
import g711_tone as G  # noqa: E402

CONFIG = """\
; causeway-bridge demo configuration (written by bridge/demo/demo.py)
[general]
log_level = notice
profile = rfc3398                 ; RFC 3398 cause <-> status tables
cdr_file = {cdr}                  ; one JSON line per call (docs/cdr.md)
drain_timeout = 0                 ; Ctrl-C clears the calls up at once (no drain)

[sip]
bind = 127.0.0.1
port = {port}
transport = udp,tcp
retry_after = 30
rtp_ports = 20000-29999           ; one RTP/RTCP port pair per call; c= is the bind address

[span 1]                          ; an E1 to the (simulated) PSTN; we are the user side
switchtype = euroisdn
signalling = pri_cpe
dchannel = socket:{span}
bchannels = 1-15,17-31
group = pstn
audio = socket:{audio}            ; the B-channels' audio (A-law), the simulator the TDM clock

[route to-pstn]                   ; SIP -> ISDN: every Request-URI user goes out on span 1
match = *
group = pstn
allow = 127.0.0.0/8               ; only this host may call out (never 0.0.0.0/0)

[route to-sip]                    ; ISDN -> SIP: every called number goes to this SIP target
match = *
target = sip:{target};transport=udp
"""

NUMBERS = [
    ("100", "rings 1 s, then answers (hang up from your phone: BYE -> DISCONNECT 16)"),
    ("200", "answers at once; the PSTN hangs up after 3 s (BYE with Reason: Q.850;cause=16)"),
    ("486", "PSTN says user busy, cause 17 -> 486 Busy Here + Reason"),
    ("404", "unallocated number, cause 1 -> 404 Not Found + Reason"),
    ("503", "no circuit, cause 34 -> 503 Service Unavailable + Retry-After + Reason"),
    ("603", "call rejected by the user, cause 21 at location U -> 603 Decline"),
    ("1004", "voice: answers and echoes what it hears (talk and hear yourself, PCMA or PCMU)"),
    ("440", "voice: answers and plays a 440 Hz tone"),
    ("(any other)", "unallocated number -> 404"),
]


class Demo:
    def __init__(self, a):
        self.a = a
        self.env = H.Env("demo", keep=False)
        self.bad = []
        self.n = 0

    # ------------------------------------------------------------ output
    def sip_line(self, run):
        out = []
        for m in run.msgs():
            word = ("%d %s" % (m.status, m.phrase)) if m.status else m.method
            extra = []
            c, loc, raw = H.q850(m)
            if raw:
                extra.append("Reason: " + raw)
            if m.hdr("retry-after"):
                extra.append("Retry-After: " + m.hdr("retry-after"))
            if extra:
                word += " [" + "; ".join(extra) + "]"
            out.append(("-> " if m.dir == "sent" else "<- ") + word)
        return out

    def isdn_line(self, c):
        out = []
        if not c:
            return ["(no call reached the PSTN)"]
        cause_done = False
        for m in c["messages"]:
            arrow, name = ("-> ", m[1:]) if m[0] == "<" else ("<- ", m[1:])
            if not cause_done and name in ("DISCONNECT", "RELEASE", "RELEASE COMPLETE") and \
                    c.get("cause_received" if m[0] == "<" else "cause_sent"):
                key = "received" if m[0] == "<" else "sent"
                name += " [cause %s, location %s]" % (c["cause_" + key], c["location_" + key])
                cause_done = True
            out.append(arrow + name)
        return out

    def show(self, title, rule, run, call, endline, mapping, problems):
        self.n += 1
        print()
        print("[%d] %s" % (self.n, title))
        if rule:
            print("    PSTN rule           : %s" % rule)
        print("    SIP  (phone<->bridge): %s" % "  ".join(self.sip_line(run)))
        print("    ISDN (bridge<->PSTN) : %s" % "  ".join(self.isdn_line(call)))
        if mapping:
            print("    mapping             : %s" % mapping)
        if endline:
            print("    bridge log          : %s" % endline)
        if problems:
            for p in problems:
                print("    UNEXPECTED          : %s" % p)
            self.bad.append(title)
            run.dump()
        else:
            print("    result              : as expected")

    def end_line(self, called):
        for m in reversed(self.br.lines(r"notice: (call \S+: end .*called=%s .*)$" % called)):
            return m.group(1)
        return None

    def rules_of(self, called):
        e = [d for d in self.br.end_lines() if d.get("called") == called]
        return e[-1].get("rules", "?") if e else "?"

    # ------------------------------------------------------------ the calls
    def sip_to_pstn_reject(self, called, status, cause, loc, retry_after=False):
        run = H.sipp(self.env, self.a.sipp, "uac_final.xml", {"STATUS": status, "CALLING": "0301234"},
                     remote_port=self.port, service=called, timeout=15)
        run.wait(30)
        c = self.sim.wait_call(called, "in", timeout=10)
        fin = run.final()
        p = []
        if not fin or fin.status != status:
            p.append("final response %s, want %d" % (fin and fin.status, status))
        else:
            got = H.q850(fin)
            if got[:2] != (cause, loc):
                p.append("Reason %r, want Q.850;cause=%d;location=%s" % (got[2], cause, loc))
            if retry_after and not fin.hdr("retry-after"):
                p.append("no Retry-After")
        self.show("SIP phone dials %s: the PSTN refuses with cause %d" % (called, cause),
                  self.rule_text(called), run, c and c[0], self.end_line(called),
                  "Q.850 cause %d (location %s) -> SIP %d, RFC 3398 §7.2.4.1; bridge rules=%s" % (
                      cause, loc, status, self.rules_of(called)), p)

    def rule_text(self, called):
        for line in open(self.sim.rules):
            w = line.split("#")[0].split()
            if w and w[0] == called:
                return " ".join(w)
        return None

    def sip_to_pstn_answer(self):
        hold = 300 if self.batch else 1500
        run = H.sipp(self.env, self.a.sipp, "uac_bye.xml", {"CALLING": "0301234", "HOLD": hold, "EXTRA": ""},
                     remote_port=self.port, service="100", timeout=20)
        run.wait(40)
        c = self.sim.wait_call("100", "in", timeout=10)
        p = []
        if run.rc != 0:
            p.append("SIPp exit status %s" % run.rc)
        if not c or not c[0]["answered"] or c[0]["cause_received"] != 16:
            p.append("PSTN report %r, want answered and DISCONNECT cause 16" % (c and c[0]))
        self.show("SIP phone dials 100: ringing, answered, the phone hangs up", self.rule_text("100"),
                  run, c and c[0], self.end_line("100"),
                  "BYE without Reason -> DISCONNECT cause 16 (normal clearing) at BI, RFC 3398 §8.2.6.1"
                  " / §7.2.3; ALERTING -> 180, CONNECT -> 200", p)

    def pstn_hangs_up(self):
        run = H.sipp(self.env, self.a.sipp, "uac_wait_bye.xml", {"CALLING": "0301234"},
                     remote_port=self.port, service="200", timeout=20)
        run.wait(40)
        c = self.sim.wait_call("200", "in", timeout=10)
        bye = run.request("BYE")
        p = []
        if not bye or H.q850(bye)[:2] != (16, "LN"):
            p.append("BYE %s, want one with Reason: Q.850;cause=16;location=LN" % (bye and H.q850(bye)[2]))
        self.show("SIP phone dials 200: answered, then the PSTN hangs up (cause 16)", self.rule_text("200"),
                  run, c and c[0], self.end_line("200"),
                  "DISCONNECT cause 16 at LN -> BYE with Reason: Q.850;cause=16;location=LN (RFC 3326)", p)

    def voice(self, called, stream):
        """A call with audio: SIPp streams the 1004 Hz test tone toward the PSTN (stream),
        or echoes the PSTN's 440 Hz back; the PSTN measures what reached its B-channel."""
        if stream:
            wav = self.env.path("tone-1004-alaw.wav")
            G.write_wav(wav, G.tone_codes(1004, 1.0, "alaw"), "alaw")
            subs = {"STREAM": '<nop><action><exec rtp_stream="%s,-1,8"/></action></nop>' % wav}
            extra, want = (), 1004
        else:
            subs = {"STREAM": ""}
            extra, want = ("-rtp_echo", "-mp", str(H.free_port())), 440
        subs.update({"CALLING": "0301234", "HOLD": 2000})
        run = H.sipp(self.env, self.a.sipp, "uac_rtp.xml", subs, remote_port=self.port,
                     service=called, timeout=20, extra=extra)
        run.wait(40)
        c = self.sim.wait_call(called, "in", timeout=10)
        audio = (c and c[0].get("audio")) or {}
        p = []
        if run.rc != 0:
            p.append("SIPp exit status %s" % run.rc)
        if audio.get("tone_hz") != want:
            p.append("the PSTN heard %r Hz, want %d" % (audio.get("tone_hz"), want))
        heard = "the PSTN heard %s Hz at %s dBm0 in %s frames" % (
            audio.get("tone_hz"), audio.get("level_dbm0"), audio.get("frames_received"))
        if stream:
            self.show("SIP phone dials %s and sends the 1004 Hz test tone (RTP, PCMA)" % called,
                      self.rule_text(called), run, c and c[0], self.end_line(called),
                      "RTP -> playout buffer -> B-channel at the span's 8000 samples/s; " + heard, p)
        else:
            self.show("SIP phone dials %s and echoes what it gets: the PSTN's 440 Hz goes to SIP "
                      "and back" % called, self.rule_text(called), run, c and c[0],
                      self.end_line(called),
                      "B-channel -> RTP (one packet per 20 ms frame) -> SIPp -rtp_echo -> RTP -> "
                      "B-channel; " + heard, p)

    def pstn_to_sip(self, called, mode):
        if mode == "answer":
            run = H.sipp_uas(self.env, self.a.sipp, "uas_answer_bye.xml",
                             {"RING": 500, "HOLD": 500, "EXTRA": ""}, port=self.uas_port, timeout=20)
        else:
            run = H.sipp_uas(self.env, self.a.sipp, "uas_final.xml",
                             {"STATUS": 486, "PHRASE": "Busy Here", "EXTRA": "",
                              "CONTACT": "Contact: <sip:[service]@[local_ip]:[local_port]>"},
                             port=self.uas_port, timeout=20)
        self.sim.call(called, "0301234")
        run.wait(40)
        c = self.sim.wait_call(called, "out", timeout=10)
        p = []
        if run.rc != 0:
            p.append("SIPp UAS exit status %s" % run.rc)
        if mode == "answer":
            if not c or not c[0]["answered"] or c[0]["cause_received"] != 16:
                p.append("PSTN report %r, want answered, DISCONNECT 16" % (c and c[0]))
            self.show("the PSTN calls %s from 0301234: a SIP phone (SIPp UAS) answers, then hangs up" % called,
                      None, run, c and c[0], self.end_line(called),
                      "SETUP -> INVITE sip:%s@ (SDP offer: PCMA first on a euroisdn span, PCMU, telephone-event); 180 -> ALERTING, "
                      "200 -> CONNECT; BYE -> DISCONNECT cause 16 at BI" % called, p)
        else:
            if not c or (c[0]["cause_received"], c[0]["location_received"]) != (17, "BI"):
                p.append("PSTN report %r, want DISCONNECT cause 17 at BI" % (c and c[0]))
            self.show("the PSTN calls %s: the SIP phone answers 486 Busy Here" % called, None, run,
                      c and c[0], self.end_line(called),
                      "SIP 486 -> DISCONNECT cause 17 (user busy) at location BI, RFC 3398 §8.2.6.1; "
                      "bridge rules=%s" % self.rules_of(called), p)

    # ------------------------------------------------------------ main
    def run(self):
        a = self.a
        self.batch = a.batch or not sys.stdin.isatty()
        if a.port is None:
            self.port = 5060 if not port_busy(5060) else H.free_port()
        else:
            self.port = a.port or H.free_port()
        self.uas_port = H.free_port()
        target = a.sip_target or "127.0.0.1:%d" % self.uas_port
        with open(os.path.join(HERE, "demo.rules")) as f:
            rules = f.read()
        audio = self.env.path("audio.sock")
        self.sim = H.Sim(self.env, a.sim, rules, extra=("--audio", audio)).start()
        conf = CONFIG.format(port=self.port, span=self.sim.span, target=target,
                             cdr=self.env.path("cdr.jsonl"), audio=audio)
        self.br = H.Bridge(self.env, a.bridge, self.sim.span, sip_port=self.port, conf_text=conf)
        self.br.start()
        print("causeway demo: causeway-bridge (pid %d) on sip:127.0.0.1:%d (UDP and TCP), span 1 "
              "(E1, euroisdn, we are the user side) connected to causeway-pstn-sim (pid %d)" % (
                  self.br.proc.pid, self.port, self.sim.proc.pid))
        print("files: %s (bridge.conf, bridge.log, cdr.jsonl, sim-report.jsonl, sim.pcap)%s" % (
            self.env.tmp, ", removed at exit" if self.batch else ""))
        self.sip_to_pstn_answer()
        self.pstn_hangs_up()
        self.sip_to_pstn_reject("486", 486, 17, "LN")
        self.sip_to_pstn_reject("404", 404, 1, "LN")
        self.sip_to_pstn_reject("503", 503, 34, "LN", retry_after=True)
        self.voice("1004", True)
        self.voice("440", False)
        if not a.sip_target:
            self.pstn_to_sip("4930123", "answer")
            self.pstn_to_sip("4930486", "busy")
        self.audit()
        print()
        if self.bad:
            print("%d demo call(s) did not go as expected: %s" % (len(self.bad), "; ".join(self.bad)))
        else:
            print("all %d demo calls went as expected." % self.n)
        self.howto(target)
        if not self.batch:
            self.interactive()
        return 1 if self.bad else 0

    def audit(self):
        """What an operator's KPI job sees of the demo calls: `causeway audit` over the CDR
        file (docs/cdr.md). Every call must agree with the profile."""
        if not self.a.causeway:
            return
        cdr = self.br.cdr
        print()
        print("CDR audit: causeway audit --profile rfc3398 %s" % cdr)
        r = subprocess.run([self.a.causeway, "audit", "--profile", "rfc3398", cdr],
                           capture_output=True, text=True)
        for line in (r.stdout + r.stderr).splitlines():
            print("    " + line)
        if "built without jansson" in r.stderr:
            return
        problems = H.audit_cdr_file(self.a.causeway, cdr, len(self.br.end_lines()))
        for p in problems:
            print("    UNEXPECTED          : %s" % p)
        if problems:
            self.bad.append("CDR audit")

    def howto(self, target):
        me = os.path.relpath(os.path.abspath(__file__))
        print("""
Point any SIP phone (or SIPp) at sip:NUMBER@127.0.0.1:{port} (UDP or TCP, no registration,
no authentication). What each number does (the PSTN's rules, {rules}):""".format(
            port=self.port, rules=os.path.relpath(os.path.join(HERE, "demo.rules"))))
        for num, what in NUMBERS:
            print("  %-12s %s" % (num, what))
        print("""
SIPp:   sipp -sn uac -s 100 -m 1 -i 127.0.0.1 127.0.0.1:{port}    (INVITE, 180, 200, ACK, BYE)
        sipp -sn uac -s 486 -m 1 -i 127.0.0.1 127.0.0.1:{port}    (the 486 counts as an unexpected message)
Calls from the PSTN go to sip:NUMBER@{target}; start a phone or `sipp -sn uas -p {tport}` there, then:
        python3 {me} --pstn {ctl} "call 4930123 0301234"
        python3 {me} --pstn {ctl} "hangup CREF 16"       (CREF from the `ok cref N` reply)
Log: {log}   D-channel capture: tshark -r {tap} -Y q931{batch}""".format(
            port=self.port, target=target, tport=target.rsplit(":", 1)[-1], me=me, ctl=self.sim.ctl,
            log=self.br.log, tap=self.sim.tap,
            batch="\n(Not a terminal, or --batch: the demo stops now. Run it from a terminal to keep it "
                  "running until Ctrl-C.)" if self.batch else ""))

    def interactive(self):
        print("\nRunning; every finished call is shown below. Ctrl-C stops the bridge and the PSTN.")
        seen = len(self.br.end_lines())
        stop = []
        signal.signal(signal.SIGINT, lambda *_: stop.append(1))
        signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
        while not stop and self.br.alive() and self.sim.alive():
            ends = self.br.lines(r"notice: (call \S+: end .*)$")
            for m in ends[seen:]:
                print("  " + m.group(1))
            seen = len(ends)
            time.sleep(0.2)
        print()

    def stop(self):
        if getattr(self, "br", None) and self.br.proc:
            self.br.stop_and_check()
        if getattr(self, "sim", None) and self.sim.alive():
            rc = self.sim.stop()
            self.env.check(rc == 0, "simulator exit status %s" % rc)


def port_busy(port):
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        s = socket.socket(socket.AF_INET, kind)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return True
        finally:
            s.close()
    return False


def pstn_cmd(ctl, line):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(ctl)
    s.sendall((line.strip() + "\n").encode())
    print(s.recv(4096).decode().strip())
    s.close()
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("build", nargs="?", default=os.path.join(ROOT, "build"),
                    help="meson build dir (default: build)")
    ap.add_argument("--bridge", help="causeway-bridge (default BUILD/bridge/daemon/causeway-bridge)")
    ap.add_argument("--sim", help="causeway-pstn-sim (default BUILD/sim/causeway-pstn-sim)")
    ap.add_argument("--sipp", default=shutil.which("sipp"))
    ap.add_argument("--causeway", help="the causeway CLI, to audit the demo's CDR file "
                    "(default BUILD/bin/causeway; left out if not built)")
    ap.add_argument("--port", type=int, help="SIP port (default 5060 if free; 0 = any free port)")
    ap.add_argument("--batch", action="store_true", help="do not wait for Ctrl-C even on a TTY")
    ap.add_argument("--sip-target", help="HOST:PORT for calls from the PSTN (default: a SIPp UAS "
                    "the demo runs; with this option the PSTN->SIP demo calls are left out)")
    ap.add_argument("--pstn", nargs=2, metavar=("CONTROL_SOCKET", "COMMAND"),
                    help="send one command to a running demo's PSTN simulator and exit")
    a = ap.parse_args()
    if a.pstn:
        return pstn_cmd(*a.pstn)
    a.bridge = os.path.abspath(a.bridge or os.path.join(a.build, "bridge", "daemon", "causeway-bridge"))
    a.sim = os.path.abspath(a.sim or os.path.join(a.build, "sim", "causeway-pstn-sim"))
    a.causeway = os.path.abspath(a.causeway or os.path.join(a.build, "bin", "causeway"))
    if not os.access(a.causeway, os.X_OK):
        a.causeway = None
    for what, path in (("causeway-bridge", a.bridge), ("causeway-pstn-sim", a.sim)):
        if not os.access(path, os.X_OK):
            print("demo: %s not found at %s (meson setup build && ninja -C build; "
                  "needs libpri-dev libosip2-dev libinih-dev)" % (what, path))
            return 1
    if not a.sipp:
        print("demo: sipp not found (Debian: apt-get install sip-tester)")
        return 1
    d = Demo(a)
    rc = 1
    try:
        rc = d.run()
    except H.TestFailure as e:
        print("demo: " + str(e))
        for dump in d.env.dumps:
            dump()
        rc = 1
    finally:
        d.stop()
        if d.env.failures:
            rc = 1
            d.env.keep = True
        d.env.close()
    return rc


if __name__ == "__main__":
    sys.exit(main())
