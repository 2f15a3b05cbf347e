#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e-linkfault-*: Q.921 data link loss with both ends alive (Q.921 §5.6): the simulator's
`drop both on` discards every frame of the span while the socket stays open, so only the
bridge's layer 2 timers (short t200 / n200 / t203 span keys) can find the loss.

usage: e2e_linkfault.py CASE CAUSEWAY_BRIDGE CAUSEWAY_PSTN_SIM [--causeway CLI]

  loss      drop both on: the bridge logs "span 1: D-channel down" (causeway_span_up 0),
            then a SIP INVITE to the span's group gets 503 with Reason Q.850 cause 38
            (network out of order), and no SETUP reaches the simulator.
  recovery  drop both on, span down, then drop off: the bridge logs "span 1: D-channel up"
            again (SABME, Q.921 §5.5.1; causeway_span_up 1) and a SIP call is answered.
  t309-survive
            Q.931 §5.8.9: the simulator calls a SIPp UAS, which answers, and a SIP call rings
            at the simulator; drop both on: the ringing call is cleared at once (502 with
            Reason cause 27), the bridge logs "call N: kept for T309" for the answered one;
            once the simulator's libpri has cleared its ringing call (its DL-RELEASE: T309
            runs there), drop off, well within T309 (t309 = 8000 on both ends): the span up
            again, the simulator reports the state with STATUS, the call still up on both
            ends; the simulator's DISCONNECT 16 then clears it normally (BYE with Reason
            cause 16 to the UAS), and no clearing message crossed the line before it.
  t309-expire
            t309 = 3000: a SIP call answered by the simulator, drop both on: the call is
            kept, then T309 runs out and the SIP caller gets BYE with Reason cause 27
            (destination out of order: Q.931 §5.8.9 for T309 expiry, libpri's cause); the
            simulator's own T309 clears its side, both without a message on the line; after
            drop off the span comes up with no call left.
  t309-lost
            t309 = 60000: a SIP call answered, drop both on, the call kept; then the
            simulator is stopped (the socket closed: EOF, the B-channels gone too): the
            kept call is cleared at once, BYE with Reason cause 27.

Each case waits on the bridge's log and the simulator's report (never on times), then stops
the bridge (exit 0, one CDR line per call, `causeway audit` clean). Exit 77 without sipp."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_common as E  # noqa: E402
import e2e_channels as C  # noqa: E402

# Short layer 2 timers on both ends: the loss is found in about a second.
L2_KEYS = "t200 = 200\nn200 = 2\nt203 = 500\n"
SIM_TIMERS = ["--timer", "t200=200", "--timer", "n200=2", "--timer", "t203=500"]


SPAN_UP = 'causeway_span_up{span="1"}'


def start(env, sim, bridge, t309=None, tail=C.TO_PSTN, rules=""):
    """The simulator (rules before `default answer 100`; its process in env.sim_proc) and
    the bridge (one E1 span, /metrics on; t309 ms on both ends when given); (bridge, SIP
    port, metrics port)."""
    port, mport = E.free_port(), E.free_port()
    keys, timers = L2_KEYS, SIM_TIMERS
    if t309 is not None:
        keys, timers = keys + "t309 = %d\n" % t309, timers + ["--timer", "t309=%d" % t309]
    env.sim_proc = E.start_sim(env, sim, "span1", rules + "default answer 100\n", timers)
    text = C.conf(env, port, [("euroisdn", "1-15,17-31", "pstn", keys)], tail)
    text = text.replace("[general]\n", "[general]\nmetrics = 127.0.0.1:%d\n" % mport, 1)
    return E.start_bridge(env, bridge, text), port, mport


def span_up_is(errors, mport, want, when):
    got = C.gauge(mport, SPAN_UP)
    if got != want:
        errors.append("%s = %r %s, want %d" % (SPAN_UP, got, when, want))


def log_count(env, pattern):
    return len(re.findall(pattern, env.read("bridge.log"), re.M))


def wait_log(errors, env, pattern, n, what):
    """The bridge's log has at least n lines matching pattern (15 s at most)."""
    if not E.wait_until(lambda: log_count(env, pattern) >= n, 15):
        errors.append("bridge log: %s (/%s/ x%d)" % (what, pattern, n))
        return False
    return True


UP = r"span 1: D-channel up$"
DOWN = r"span 1: D-channel down"


def lose_link(errors, env, mport):
    """Both ends up, then every frame dropped until the bridge declares layer 2 down."""
    if not wait_log(errors, env, UP, 1, "span never came up"):
        return False
    C.sim_ok(env, "drop both on")
    drops = C.events(env, "span1", "drop")
    if not drops or (drops[-1].get("rx"), drops[-1].get("tx")) != ("on", "on"):
        errors.append("simulator report: drop lines %r, want rx on tx on" % drops)
    if not wait_log(errors, env, DOWN, 1, "no D-channel down after the frames were lost"):
        return False
    span_up_is(errors, mport, 0, "with the D-channel down")
    return True


def case_loss(env, sipp, sim, bridge):
    errors = []
    bridge_p, port, mport = start(env, sim, bridge)
    if not lose_link(errors, env, mport):
        return errors, bridge_p, 0
    p, trace = C.uac(env, sipp, port, "uac-down", "uac_final.xml", {"STATUS": 503})
    if C.wait_proc(p) != 0:
        errors.append("span down: SIPp did not get 503 (exit %s)" % p.returncode)
    r = C.reason_of(trace, status=503)
    # no span of the group up: cause 38, network out of order (RFC 3398 §7.2.4.1: 503)
    if r is None or not r.startswith("Q.850;cause=38"):
        errors.append("503 Reason %r, want Q.850;cause=38" % r)
    if C.calls_in(env):
        errors.append("a SETUP reached the simulator with layer 2 down")
    return errors, bridge_p, 1


def case_recovery(env, sipp, sim, bridge):
    errors = []
    bridge_p, port, mport = start(env, sim, bridge)
    if not lose_link(errors, env, mport):
        return errors, bridge_p, 0
    span_up_is(errors, mport, 0, "with the D-channel down")
    C.sim_ok(env, "drop both off")
    if not wait_log(errors, env, UP, 2, "no D-channel up after the frames flowed again"):
        return errors, bridge_p, 0
    span_up_is(errors, mport, 1, "with the D-channel up again")
    if not C.plain_call(env, sipp, port, "uac-up"):
        errors.append("call after the recovery did not complete")
    E.wait_until(lambda: len(C.calls_in(env)) >= 1, 10)
    return errors, bridge_p, 1


KEPT = r"call \d+: kept for T309 \(span 1 layer 2 down\)$"
CLEARING = ("DISCONNECT", "RELEASE", "RELEASE COMPLETE")


def clearing_messages(call):
    """The clearing messages (DISCONNECT, RELEASE, RELEASE COMPLETE) of a simulator call."""
    return [m for m in call["messages"] if m.lstrip("<>") in CLEARING]


ALERTING = r"call \d+: ISDN_ALERTING: S_U3_PROCEEDING -> S_U4_DELIVERED"


def case_t309_survive(env, sipp, sim, bridge):
    errors = []
    uas = E.free_port()
    bridge_p, port, mport = start(env, sim, bridge, 8000, C.TO_PSTN + C.TO_SIP.format(uas=uas),
                                  "4930200 alert 10 then answer 600000\n")
    if not wait_log(errors, env, UP, 1, "span never came up"):
        return errors, bridge_p, 0
    u = C.start_uas(env, sipp, "uas_answer_wait.xml", {"RING": 0}, uas, port)
    if not u:
        return errors + ["SIPp UAS did not bind port %d" % uas], bridge_p, 0
    cref = C.sim_ok(env, "call 4930555 4930999", want="ok cref").split()[2]
    if not E.wait_until(lambda: os.path.exists(env.path("uas.sync")), 20):
        return errors + ["the call to SIP was not answered"], bridge_p, 1
    # a second call, from SIP, alerting at the simulator and never answered
    p, trace = C.uac(env, sipp, port, "uac-ringing", "uac_final.xml", {"STATUS": 502},
                     called="4930200")
    if not wait_log(errors, env, ALERTING, 1, "the call from SIP did not ring"):
        return errors, bridge_p, 2
    if not lose_link(errors, env, mport):
        return errors, bridge_p, 2
    wait_log(errors, env, KEPT, 1, "the answered call was not kept for T309")
    # Q.931 §5.8.9 a): the call not yet answered is cleared at once: 502, cause 27
    if C.wait_proc(p) != 0:
        errors.append("the ringing call: SIPp did not get 502 (exit %s)" % p.returncode)
    r = C.reason_of(trace, status=502)
    if r is None or not r.startswith("Q.850;cause=27"):
        errors.append("502 Reason %r, want Q.850;cause=27" % r)
    # The simulator's libpri clears its ringing call at DL-RELEASE, when it starts T309 for
    # the answered one (Q.931 §5.8.9 a), b)): from then on T309 runs at that end.
    if not E.wait_until(lambda: C.calls_in(env), 15):
        errors.append("the simulator did not end its ringing call on the layer 2 loss")
    C.sim_ok(env, "drop both off")
    if not wait_log(errors, env, UP, 2, "no D-channel up after the frames flowed again"):
        return errors, bridge_p, 2
    if u.poll() is not None:
        errors.append("the UAS ended (exit %s) before the call was cleared" % u.returncode)
    if not C.sim_ok(env, "status").endswith("calls 1"):
        errors.append("simulator status %r after the recovery, want its call up"
                      % C.sim_ok(env, "status"))
    C.sim_ok(env, "hangup %s 16" % cref)
    if C.wait_proc(u) != 0:
        errors.append("SIPp UAS: no BYE after the simulator's DISCONNECT (exit %s)" % u.returncode)
    r = C.reason_of(env.path("uas-msg.log"), method="BYE")
    if r is None or not r.startswith("Q.850;cause=16"):
        errors.append("BYE Reason %r, want Q.850;cause=16" % r)
    outs = lambda: [c for c in E.sim_calls(env, "span1") if c["direction"] == "out"]
    if not E.wait_until(outs, 10):
        return errors + ["the simulator did not report its call"], bridge_p, 2
    c = outs()[0]
    if not c.get("answered") or c.get("cause_sent") != 16:
        errors.append("simulator call %r, want answered and cleared with 16" % c)
    if clearing_messages(c) != [">DISCONNECT", "<RELEASE", ">RELEASE COMPLETE"]:
        errors.append("clearing messages %r, want only the simulator's DISCONNECT and its "
                      "RELEASE, RELEASE COMPLETE" % c["messages"])
    # layer 2 back with T309 running: STATUS reports the call's state (Q.931 §5.8.9)
    if ">STATUS" not in c["messages"]:
        errors.append("messages %r: no STATUS from the simulator after the link came back"
                      % c["messages"])
    return errors, bridge_p, 2


def kept_call(errors, env, sipp, sim, bridge, t309, label):
    """A SIP call answered by the simulator, then drop both on until the bridge logs it kept
    for T309; (bridge process, the UAC and its trace, or None after a failure)."""
    bridge_p, port, mport = start(env, sim, bridge, t309)
    if not wait_log(errors, env, UP, 1, "span never came up"):
        return bridge_p, None, None
    p, trace = C.uac(env, sipp, port, label)
    if not E.wait_until(lambda: os.path.exists(env.path(label + ".sync")), 20):
        errors.append("the SIP call was not answered")
        return bridge_p, None, None
    if not lose_link(errors, env, mport) or \
            not wait_log(errors, env, KEPT, 1, "the answered call was not kept for T309"):
        return bridge_p, None, None
    return bridge_p, p, trace


def bye_cause_27(errors, p, trace, when):
    """The UAC got BYE with Reason cause 27 (destination out of order: Q.931 §5.8.9)."""
    if C.wait_proc(p) != 0:
        errors.append("SIPp UAC: no BYE %s (exit %s)" % (when, p.returncode))
    r = C.reason_of(trace, method="BYE")
    if r is None or not r.startswith("Q.850;cause=27"):
        errors.append("BYE Reason %r %s, want Q.850;cause=27" % (r, when))


def case_t309_expire(env, sipp, sim, bridge):
    errors = []
    bridge_p, p, trace = kept_call(errors, env, sipp, sim, bridge, 3000, "uac-t309")
    if not p:
        return errors, bridge_p, 1 if os.path.exists(env.path("uac-t309.sync")) else 0
    bye_cause_27(errors, p, trace, "after T309")
    # the simulator's T309 ends its call too, still with the frames lost
    if not E.wait_until(lambda: C.calls_in(env), 15):
        return errors + ["the simulator's T309 did not end its call"], bridge_p, 1
    c = C.calls_in(env)[0]
    if not c.get("answered") or clearing_messages(c):
        errors.append("simulator call %r, want answered, cleared without a message" % c)
    C.sim_ok(env, "drop both off")
    if wait_log(errors, env, UP, 2, "no D-channel up after the frames flowed again"):
        if not C.sim_ok(env, "status").endswith("calls 0"):
            errors.append("simulator status %r, want no call" % C.sim_ok(env, "status"))
    return errors, bridge_p, 1


def case_t309_lost(env, sipp, sim, bridge):
    errors = []
    bridge_p, p, trace = kept_call(errors, env, sipp, sim, bridge, 60000, "uac-lost")
    if not p:
        return errors, bridge_p, 1 if os.path.exists(env.path("uac-lost.sync")) else 0
    # the simulator gone (EOF): the B-channels with it; the kept call goes at once, long
    # before its T309 of 60 s (SIPp gives up after 20 s)
    env.sim_proc.terminate()
    env.sim_proc.wait(timeout=10)
    wait_log(errors, env, r"span 1: connection lost: the calls kept for T309 are cleared$", 1,
             "the kept call was not cleared when the source was lost")
    bye_cause_27(errors, p, trace, "after the source was lost")
    return errors, bridge_p, 1


CASES = {"loss": case_loss, "recovery": case_recovery, "t309-survive": case_t309_survive,
         "t309-expire": case_t309_expire, "t309-lost": case_t309_lost}


if __name__ == "__main__":
    sys.exit(E.run_cases("e2e-linkfault-", CASES, C.CAUSEWAY, __doc__))
