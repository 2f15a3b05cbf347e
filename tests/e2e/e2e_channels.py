#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e-channels-*: the B-channels of a span as the network changes them (bridge/daemon/README.md
"Failover and hunting"): RESTART, SERVICE, glare, and each span's hunting order.

usage: e2e_channels.py CASE CAUSEWAY_BRIDGE CAUSEWAY_PSTN_SIM [--causeway CLI]

  restart  Q.931 §5.5: a SIP call answered on channel 1, the simulator's `restart 1`: RESTART
           ACKNOWLEDGE comes back (libpri's), the SIP caller gets BYE with Reason cause 41,
           the simulator's own call ends "restart", and the next SIP call gets channel 1
           again. Then the simulator calls a SIPp UAS that rings; `restart` of its channel:
           CANCEL with Reason cause 41 to the UAS.
  service  ANSI T1.607 SERVICE on an ni2 span with B-channels 1-3: channel 1 out of service
           (SERVICE ACKNOWLEDGE back): a SIP call lands on channel 2; 2 and 3 out too: 503
           with Reason cause 34 and no SETUP; channel 1 back in service: a call on 1. The
           gauge causeway_bchannels_out_of_service follows (1, 3, 2).
  glare    Q.931 §5.2.3.1: the simulator holds a SETUP on channel 1 (`collide yes`) until
           the bridge's SETUP for a SIP call, which hunting put on channel 1, arrives; both
           ends took channel 1 at once. The network wins: the bridge gives channel 1 to the
           simulator's call (answered by a SIPp UAS), the simulator refuses the bridge's
           SETUP with cause 44, and the bridge sends it again on channel 2, answered.
  order    [span N] hunting: span 1 `descending` (B-channels 1-15,17-31): channel 31;
           span 2 `round-robin`: channel 1, then 2 although 1 is free again.
  overload an ni2 span whose one B-channel is out of service: an INVITE is a call refused
           503 + Reason cause 34 (100 Trying first, a CDR line). Then, the bridge stopped
           (SIGSTOP), new INVITEs fill a good part of its UDP receive buffer, and it goes on
           (SIGCONT): they get the early 503 (bridge/sip/README.md "Overload"); the next
           INVITE, in the same episode, is refused at admission with the same 503, Reason
           and Retry-After as the call before, statelessly (no 100, no CDR line); the
           episode's end line counts it, and so does
           causeway_policy_refusals_total{reason="no-channel"}. Once the episode is over an
           INVITE is a call refused again, with its CDR line.
  shed-rate the same span, [sip] no_channel_shed_rate = 3: three INVITEs in a second are
           calls refused with cause 34 (CDR lines); the next two are refused at admission
           (one 503 each, the call's Reason and Retry-After, no 100, no CDR line), counted
           by the episode's lines and the metric; two seconds later a call again.

Each case checks the simulator's report, SIPp's trace and the bridge's log, then stops the
bridge (exit 0, one CDR line per call, `causeway audit` clean). Exit 77 without sipp."""
import json
import os
import re
import socket
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_common as E  # noqa: E402
from harness import parse_trace  # noqa: E402

SPAN = """
[span {n}]
switchtype = {switchtype}
signalling = pri_cpe
dchannel = socket:{dir}/span{n}.sock
bchannels = {bchannels}
group = {group}
{extra}"""

TO_PSTN = """
[route to-pstn]
match = *
group = pstn
allow = 127.0.0.1
"""

TO_SIP = """
[route to-sip]
match = 4930555
target = sip:127.0.0.1:{uas};transport=udp
"""


def conf(env, port, spans, tail):
    """[general], [sip] on port, then one [span N] per (switchtype, bchannels, group, extra)."""
    text = E.BRIDGE_HEAD.format(dir=env.dir, port=port)
    for n, (switchtype, bchannels, group, extra) in enumerate(spans, 1):
        text += SPAN.format(n=n, dir=env.dir, switchtype=switchtype, bchannels=bchannels,
                            group=group, extra=extra)
    return text + tail


def events(env, tag, kind):
    """The simulator's report lines of this event."""
    out = []
    for line in env.read(tag + ".jsonl").splitlines():
        if line.strip():
            e = json.loads(line)
            if e.get("event") == kind:
                out.append(e)
    return out


def calls_in(env, tag="span1"):
    """The simulator's calls from the bridge (SETUPs it received), in the order they ended."""
    return [c for c in E.sim_calls(env, tag) if c["direction"] == "in"]


def sim_ok(env, line, tag="span1", want="ok"):
    r = E.sim_cmd(env, tag + "-ctl.sock", line)
    if not r.startswith(want):
        raise RuntimeError("sim %r: %r (want %r)" % (line, r, want))
    return r


# the SIPp helpers every daemon e2e test shares
uac, start_uas, wait_proc = E.sipp_uac, E.sipp_uas, E.wait_proc


def plain_call(env, sipp, port, label, called="4930100"):
    """SIPp's built-in UAC: INVITE, 200, ACK, BYE; True when it completed."""
    p = env.spawn(label, [sipp, "-sn", "uac", "-s", called, "-i", "127.0.0.1",
                          "-p", str(E.free_port()), "-m", "1", "-nostdin", "-timeout", "20s",
                          "-timeout_error", "127.0.0.1:%d" % port])
    return p.wait(timeout=40) == 0


def reason_of(trace, method=None, status=None):
    """The Reason of the first message SIPp received that is method (a request) or status."""
    for m in parse_trace(trace):
        if m.dir == "recv" and ((method and m.method == method) or (status and m.status == status)):
            return m.hdr("reason") or ""
    return None


def need_log(errors, env, pattern, what):
    """The bridge logs a line (within 5 s: libpri acknowledges a RESTART or SERVICE before it
    reports it, so the simulator may have the acknowledgement first)."""
    if not E.wait_until(lambda: re.search(pattern, env.read("bridge.log"), re.M), 5):
        errors.append("bridge log: no line %s (/%s/)" % (what, pattern))


def one_e1(env, sim, bridge):
    """A simulator answering every call and the bridge with one E1 span and both routes;
    returns (bridge process, SIP port, the UAS port of [route to-sip])."""
    uas, port = E.free_port(), E.free_port()
    E.start_sim(env, sim, "span1", "default answer 100\n")
    bridge_p = E.start_bridge(env, bridge, conf(env, port, [("euroisdn", "1-15,17-31", "pstn", "")],
                                                TO_PSTN + TO_SIP.format(uas=uas)))
    return bridge_p, port, uas


def case_restart(env, sipp, sim, bridge):
    bridge_p, port, uas = one_e1(env, sim, bridge)
    errors = []
    p, trace = uac(env, sipp, port, "uac-restart")
    if not E.wait_until(lambda: os.path.exists(env.path("uac-restart.sync")), 20):
        return errors + ["the SIP call was not answered"], bridge_p, 0
    sim_ok(env, "restart 1")
    if wait_proc(p) != 0:
        errors.append("SIPp UAC: no BYE after the RESTART (exit status %s)" % p.returncode)
    r = reason_of(trace, method="BYE")
    if r is None or not r.startswith("Q.850;cause=41"):
        errors.append("BYE Reason %r, want Q.850;cause=41" % r)
    if not E.wait_until(lambda: events(env, "span1", "restart_ack"), 10):
        errors.append("no RESTART ACKNOWLEDGE in the simulator's report")
    elif events(env, "span1", "restart_ack")[0].get("channel") != 1:
        errors.append("RESTART ACKNOWLEDGE %r, want channel 1" % events(env, "span1", "restart_ack"))
    E.wait_until(lambda: calls_in(env), 5)
    got = [(c.get("channel"), c.get("end")) for c in calls_in(env)]
    if got != [(1, "restart")]:
        errors.append("simulator calls %r, want channel 1 ended by the restart" % got)
    need_log(errors, env, r"span 1: RESTART of channel 1 \(1 call cleared\)$", "RESTART 1 call")
    # the channel is free again: the next call takes it
    if not plain_call(env, sipp, port, "uac-after"):
        errors.append("the call after the RESTART did not complete")
    E.wait_until(lambda: len(calls_in(env)) >= 2, 10)
    got = [(c.get("channel"), c.get("answered")) for c in calls_in(env)[1:]]
    if got != [(1, True)]:
        errors.append("the call after the RESTART: %r, want channel 1 answered" % got)
    # ISDN -> SIP, ringing: the RESTART CANCELs the INVITE
    u = start_uas(env, sipp, "uas_cancel.xml", {}, uas, port)
    if not u:
        return errors + ["SIPp UAS did not bind port %d" % uas], bridge_p, 2
    r = sim_ok(env, "call 4930555 4930999", want="ok cref")
    ch = int(r.split()[-1])
    if not E.wait_until(lambda: os.path.exists(env.path("uas.sync")), 20):
        errors.append("the call to SIP did not ring")
    else:
        sim_ok(env, "restart %d" % ch)
        if wait_proc(u) != 0:
            errors.append("SIPp UAS: no CANCEL after the RESTART (exit %s)" % u.returncode)
        r = reason_of(env.path("uas-msg.log"), method="CANCEL")
        if r is None or not r.startswith("Q.850;cause=41"):
            errors.append("CANCEL Reason %r, want Q.850;cause=41" % r)
        outs = [c for c in E.sim_calls(env, "span1") if c["direction"] == "out"]
        if [(c.get("channel"), c.get("end")) for c in outs] != [(ch, "restart")]:
            errors.append("the simulator's call to SIP: %r, want channel %d ended by the "
                          "restart" % (outs, ch))
    return errors, bridge_p, 3


def gauge(metrics_port, name):
    """The value of one sample of the bridge's /metrics, None when it is not there."""
    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % metrics_port, timeout=5) as r:
        text = r.read().decode()
    m = re.search(r"^%s (\S+)$" % re.escape(name), text, re.M)
    return float(m.group(1)) if m else None


def case_service(env, sipp, sim, bridge):
    E.start_sim(env, sim, "span1", "default answer 100\n", ["--switchtype", "ni2"])
    port, mport = E.free_port(), E.free_port()
    text = conf(env, port, [("ni2", "1-3", "pstn", "")], TO_PSTN)
    text = text.replace("[general]\n", "[general]\nmetrics = 127.0.0.1:%d\n" % mport, 1)
    bridge_p = E.start_bridge(env, bridge, text)
    errors = []
    oos = 'causeway_bchannels_out_of_service{span="1"}'

    def service(ch, state):
        n = len(events(env, "span1", "service_ack"))
        sim_ok(env, "service %d %s" % (ch, state))
        if not E.wait_until(lambda: len(events(env, "span1", "service_ack")) > n, 10):
            raise RuntimeError("no SERVICE ACKNOWLEDGE for channel %d %s" % (ch, state))
        ack = events(env, "span1", "service_ack")[n]
        if (ack.get("channel"), ack.get("status")) != (ch, state):
            errors.append("SERVICE ACKNOWLEDGE %r, want channel %d %s" % (ack, ch, state))
        need_log(errors, env, r"span 1: channel %d %s \(SERVICE\)$" %
                 (ch, "in service" if state == "in" else "out of service"), "for the SERVICE")

    def out_of_service(want, when):
        got = gauge(mport, oos)
        if got != want:
            errors.append("%s = %r %s, want %d" % (oos, got, when, want))

    service(1, "out")
    out_of_service(1, "with channel 1 out of service")
    if not plain_call(env, sipp, port, "uac-1"):
        errors.append("call with channel 1 out of service did not complete")
    E.wait_until(lambda: len(calls_in(env)) >= 1, 10)
    service(2, "out")
    service(3, "out")
    p, trace = uac(env, sipp, port, "uac-none", "uac_final.xml", {"STATUS": 503})
    if wait_proc(p) != 0:
        errors.append("every channel out of service: SIPp did not get 503 (exit %s)" % p.returncode)
    r = reason_of(trace, status=503)
    if r is None or not r.startswith("Q.850;cause=34"):
        errors.append("503 Reason %r, want Q.850;cause=34" % r)
    out_of_service(3, "with every channel out of service")
    service(1, "in")
    out_of_service(2, "with channel 1 back")
    if not plain_call(env, sipp, port, "uac-3"):
        errors.append("call with channel 1 back in service did not complete")
    E.wait_until(lambda: len(calls_in(env)) >= 2, 10)
    got = [c.get("channel") for c in calls_in(env)]
    if got != [2, 1]:
        errors.append("SETUPs on channels %r, want [2, 1] (none while all were out)" % got)
    return errors, bridge_p, 3


def case_glare(env, sipp, sim, bridge):
    bridge_p, port, uas = one_e1(env, sim, bridge)
    errors = []
    u = start_uas(env, sipp, "uas_answer_bye.xml", {"RING": 0, "HOLD": 500, "EXTRA": ""}, uas,
                  port)
    if not u:
        return errors + ["SIPp UAS did not bind port %d" % uas], bridge_p, 0
    sim_ok(env, "call 4930555 4930999 channel 1 collide yes", want="ok collide channel 1")
    if not plain_call(env, sipp, port, "uac"):
        errors.append("the SIP call did not complete after the glare")
    if wait_proc(u) != 0:
        errors.append("SIPp UAS: the simulator's call was not answered (exit %s)" % u.returncode)
    E.wait_until(lambda: len(E.sim_calls(env, "span1")) >= 3, 10)
    ins = sorted((c.get("channel"), c.get("answered"), c.get("cause_sent") == 44)
                 for c in calls_in(env))
    # the refused one was given no channel (0); the log says which each SETUP asked for
    if ins != [(0, False, True), (2, True, False)]:
        errors.append("the bridge's SETUPs at the simulator (channel, answered, refused with "
                      "44) %r, want one refused with 44, then channel 2 answered" % ins)
    setups = re.findall(r"call \d+: SETUP on span 1 channel (\d+) called=4930100",
                        env.read("bridge.log"))
    if setups != ["1", "2"]:
        errors.append("the bridge's SETUPs on channels %r, want 1 then 2" % setups)
    outs = [(c.get("channel"), c.get("answered")) for c in E.sim_calls(env, "span1")
            if c["direction"] == "out"]
    if outs != [(1, True)]:
        errors.append("the simulator's own call %r, want channel 1 answered" % outs)
    need_log(errors, env, r"glare on span 1 channel 1: the network's SETUP takes it", "glare")
    E.wait_until(lambda: len(E.cdr_lines(env)) >= 2, 10)
    for line in E.cdr_lines(env):
        if line.get("direction") == "sip-to-isdn":
            tried = [a.get("cause") for a in line.get("routes_tried", [])]
            if len(tried) != 2 or tried[0] != 44:
                errors.append("CDR routes_tried %r, want cause 44 then the answer"
                              % line.get("routes_tried"))
    return errors, bridge_p, 2


def case_order(env, sipp, sim, bridge):
    E.start_sim(env, sim, "span1", "default answer 100\n")
    E.start_sim(env, sim, "span2", "default answer 100\n")
    port = E.free_port()
    routes = """
[route down]
match = 1
group = down
allow = 127.0.0.1

[route rr]
match = 2
group = rr
allow = 127.0.0.1
"""
    bridge_p = E.start_bridge(env, bridge, conf(env, port, [
        ("euroisdn", "1-15,17-31", "down", "hunting = descending\n"),
        ("euroisdn", "1-15,17-31", "rr", "hunting = round-robin\n")], routes))
    errors = []
    for i, called in enumerate(("1000", "2000", "2000")):
        if not plain_call(env, sipp, port, "uac-%d" % i, called):
            errors.append("call %d to %s did not complete" % (i + 1, called))
    E.wait_until(lambda: len(calls_in(env, "span1")) + len(calls_in(env, "span2")) >= 3, 10)
    got = ([c.get("channel") for c in calls_in(env, "span1")],
           [c.get("channel") for c in calls_in(env, "span2")])
    if got != ([31], [1, 2]):
        errors.append("channels %r, want span 1 [31] (descending), span 2 [1, 2] "
                      "(round-robin)" % (got,))
    need_log(errors, env, r"SETUP on span 1 channel 31 called=1000", "SETUP channel 31")
    return errors, bridge_p, 3


def responses_to(sock, call_id, timeout=10):
    """The responses to call_id received on sock until a final one: [(status, headers)],
    headers lower-cased names to their first value."""
    out, end = [], time.monotonic() + timeout
    while time.monotonic() < end:
        sock.settimeout(max(0.05, end - time.monotonic()))
        try:
            data = sock.recv(65536).decode(errors="replace")
        except socket.timeout:
            break
        head = data.split("\r\n\r\n", 1)[0].split("\r\n")
        if not head[0].startswith("SIP/2.0 "):
            continue
        hdrs = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            hdrs.setdefault(name.strip().lower(), value.strip())
        if hdrs.get("call-id") != call_id:
            continue
        out.append((int(head[0].split()[1]), hdrs))
        if out[-1][0] >= 200:
            break
    return out


def ack_text(port, lport, call_id, to):
    """The ACK of a non-2xx final response (RFC 3261 §17.1.1.3: the INVITE's branch)."""
    return ("ACK sip:4930100@127.0.0.1:{p} SIP/2.0\r\n"
            "Via: SIP/2.0/UDP 127.0.0.1:{l};branch=z9hG4bK-{c}-1\r\n"
            "Max-Forwards: 70\r\n"
            "From: <sip:0301111@127.0.0.1:{l}>;tag=f-{c}\r\n"
            "To: {to}\r\n"
            "Call-ID: {c}\r\n"
            "CSeq: 1 ACK\r\n"
            "Content-Length: 0\r\n\r\n").format(p=port, l=lport, c=call_id, to=to).encode()


def one_channel_out(env, sim, bridge, sip_extra=""):
    """An ni2 span whose one B-channel the network took out of service (SERVICE), the
    bridge with metrics and [sip] retry_after 7 (+ sip_extra); returns (bridge process,
    SIP port, metrics port, errors)."""
    E.start_sim(env, sim, "span1", "default answer 100\n", ["--switchtype", "ni2"])
    port, mport = E.free_port(), E.free_port()
    text = conf(env, port, [("ni2", "1", "pstn", "")], TO_PSTN)
    text = text.replace("[general]\n", "[general]\nmetrics = 127.0.0.1:%d\n" % mport, 1)
    text = text.replace("[sip]\n", "[sip]\nretry_after = 7\n" + sip_extra, 1)
    bridge_p = E.start_bridge(env, bridge, text)
    errors = []
    sim_ok(env, "service 1 out")
    if not E.wait_until(lambda: events(env, "span1", "service_ack"), 10):
        return bridge_p, port, mport, ["no SERVICE ACKNOWLEDGE for channel 1 out"]
    need_log(errors, env, r"span 1: channel 1 out of service \(SERVICE\)$", "for the SERVICE")
    return bridge_p, port, mport, errors


class Caller:
    """New INVITEs to 4930100 from a socket of ours, their responses, the ACKs of the
    finals; errors: where what came back is not what was wanted."""

    def __init__(self, port, errors):
        self.port, self.errors = port, errors
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.lport = self.sock.getsockname()[1]

    def close(self):
        self.sock.close()

    def invite(self, call_id):
        """Send it; the statuses received and the final's headers ({} without one)."""
        self.sock.sendto(E.sip_invite(self.port, self.lport, call_id), ("127.0.0.1", self.port))
        got = responses_to(self.sock, call_id)
        if got and got[-1][0] >= 200:
            self.sock.sendto(ack_text(self.port, self.lport, call_id, got[-1][1].get("to", "")),
                             ("127.0.0.1", self.port))
        return [g[0] for g in got], got[-1][1] if got and got[-1][0] >= 200 else {}

    def as_call(self, call_id):
        """Refused as a call: 100 first, then the 503; its headers."""
        statuses, final = self.invite(call_id)
        if statuses != [100, 503]:
            self.errors.append("%s: responses %r, want 100 then 503 (a call)" % (call_id, statuses))
        return final

    def at_admission(self, call_id, like):
        """Refused at admission: one 503 and no 100, with like's Reason and Retry-After."""
        statuses, final = self.invite(call_id)
        if statuses != [503]:
            self.errors.append("%s: responses %r, want one 503 and no 100 (refused at "
                               "admission)" % (call_id, statuses))
        elif (final.get("reason"), final.get("retry-after")) != \
                (like.get("reason"), like.get("retry-after")):
            self.errors.append("%s: Reason %r, Retry-After %r; want the call's, %r and %r" %
                               (call_id, final.get("reason"), final.get("retry-after"),
                                like.get("reason"), like.get("retry-after")))


def need_refusals(errors, env, mport, want):
    """The episode's end line and causeway_policy_refusals_total{reason="no-channel"}
    count want refusals at admission."""
    line = r"sip: overload over: (\d+) new INVITEs refused at admission for want of a B-channel$"
    m = None
    if E.wait_until(lambda: re.search(line, env.read("bridge.log"), re.M), 10):
        m = re.search(line, env.read("bridge.log"), re.M)
    if not m or int(m.group(1)) != want:
        errors.append("the refusals' overload-over line %r, want %d refused"
                      % (m.group(0) if m else None, want))
    need_log(errors, env, r"sip: overload: new INVITEs refused at admission for want of a "
             r"B-channel \(no call, no CDR line\)$", "for the refusals at admission")
    got = gauge(mport, 'causeway_policy_refusals_total{reason="no-channel"}')
    if got != want:
        errors.append('causeway_policy_refusals_total{reason="no-channel"} = %r, want %d'
                      % (got, want))


def need_cdr_of(errors, env, want):
    E.wait_until(lambda: len(E.cdr_lines(env)) >= len(want), 10)
    ids = [l.get("call_id_sip") for l in E.cdr_lines(env)]
    if ids != want:
        errors.append("CDR lines for %r, want the calls %r only" % (ids, want))


def case_overload(env, sipp, sim, bridge):
    bridge_p, port, mport, errors = one_channel_out(env, sim, bridge)
    if errors:
        return errors, bridge_p, 0
    me = Caller(port, errors)
    first = me.as_call("full-1")
    if not first.get("reason", "").startswith("Q.850;cause=34"):
        errors.append("the call's 503 Reason %r, want Q.850;cause=34" % first.get("reason"))
    errors += E.overload_burst(env, bridge_p, port)
    me.at_admission("in-overload", first)
    m = None
    line = r"sip: overload over: (\d+) new INVITEs answered 503$"
    if E.wait_until(lambda: re.search(line, env.read("bridge.log"), re.M), 10):
        m = re.search(line, env.read("bridge.log"), re.M)
    if not m or int(m.group(1)) < 1:
        errors.append("no overload-over line counting early 503s: %r" % (m.group(0) if m else None))
    need_refusals(errors, env, mport, 1)
    # the episode over: a call again
    last = me.as_call("full-2")
    if (last.get("reason"), last.get("retry-after")) != (first.get("reason"), first.get("retry-after")):
        errors.append("after the overload: Reason %r, Retry-After %r; want the first call's"
                      % (last.get("reason"), last.get("retry-after")))
    me.close()
    need_cdr_of(errors, env, ["full-1", "full-2"])
    return errors, bridge_p, 2


def case_shed_rate(env, sipp, sim, bridge):
    bridge_p, port, mport, errors = one_channel_out(env, sim, bridge, "no_channel_shed_rate = 3\n")
    if errors:
        return errors, bridge_p, 0
    me = Caller(port, errors)
    first = me.as_call("call-1")
    me.as_call("call-2")
    me.as_call("call-3")
    # three refused for want of a channel within the second: the next ones at admission
    me.at_admission("shed-1", first)
    me.at_admission("shed-2", first)
    need_refusals(errors, env, mport, 2)
    # two quiet seconds later: a call again
    time.sleep(2.2)
    me.as_call("call-4")
    me.close()
    need_cdr_of(errors, env, ["call-1", "call-2", "call-3", "call-4"])
    return errors, bridge_p, 4


CASES = {"restart": case_restart, "service": case_service, "glare": case_glare,
         "order": case_order, "overload": case_overload, "shed-rate": case_shed_rate}


CAUSEWAY = E.take_causeway()

if __name__ == "__main__":
    sys.exit(E.run_cases("e2e-channels-", CASES, CAUSEWAY, __doc__))
