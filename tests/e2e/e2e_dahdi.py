#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e-dahdi: causeway-bridge with `dchannel = dahdi:16` under the DAHDI device double.

usage: e2e_dahdi.py --double LIB --bridge EXE --sim EXE --sipp SIPP [--causeway CLI]

The bridge runs with LD_PRELOAD=LIB (tests/dahdi/dahdi_double.c): its span is
`dchannel = dahdi:auto` over a DAHDI system.conf (docs/dahdi.md §6), so its D-channel is
/dev/dahdi/channel 16 through bridge/pri/source_dahdi.c, carried by the double to
causeway-pstn-sim's span socket (docs/dahdi.md §5). Checked: a SIP->ISDN call and an
ISDN->SIP call complete; a red alarm injected on span 1 (DAHDI_EVENT_ALARM, docs/dahdi.md
§1.3) takes the span down as bridge/daemon/README.md "Behaviour" says: the call in
progress gets a BYE with cause 27, OPTIONS 503, a new INVITE 503 + Retry-After + cause 38;
the alarm cleared (DAHDI_EVENT_NOALARM) brings it back: OPTIONS 200 and a call completes.
Exit 0 pass, 1 fail."""
import argparse
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as H  # noqa: E402
import run_e2e as R  # noqa: E402

CHANNEL = 16
# docs/dahdi.md §6: one E1 span, its D-channel on timeslot 16 (global channel 16)
SYSTEM_CONF = "span=1,1,0,ccs,hdb3,crc4\nbchan=1-15,17-31\ndchan=%d\n" % CHANNEL
RULES = ("70 talk 60 then clear 16\n"          # held: the alarm clears it
         "71* alert 100 then answer 100\n"     # answered SIP -> ISDN calls
         "default reject 1 location LN\n")


def double_env(a, sim, ctl):
    env = dict(os.environ)
    env["LD_PRELOAD"] = a.double
    env["CW_DAHDI_DOUBLE_CHANNELS"] = "%d:1:hdlcfcs:%s" % (CHANNEL, sim.span)
    env["CW_DAHDI_DOUBLE_CONTROL"] = ctl
    # A gcc ASan runtime wants to be first in the library list; the double is preloaded.
    env["ASAN_OPTIONS"] = ":".join(filter(None, [env.get("ASAN_OPTIONS"),
                                                 "verify_asan_link_order=0"]))
    return env


def answered_call(env, a, sim, br, called, name):
    r = H.sipp(env, a.sipp, "uac_bye.xml", {"CALLING": "0301234", "HOLD": 100, "EXTRA": ""},
               remote_port=br.sip_port, service=called, timeout=20)
    r.wait(30)
    c = sim.wait_call(called, "in", timeout=10)
    if r.rc != 0 or not c or not c[0]["answered"] or c[0]["cause_received"] != 16:
        R.fail_run(env, r, "%s: SIPp exit %s saw %s; sim report %r" % (name, r.rc, r.seen(), c))
    else:
        print("ok  %s -> answered, BYE -> sim cause 16" % name)


def isdn_to_sip(env, a, sim, uas_port):
    uas = H.sipp_uas(env, a.sipp, "uas_answer_wait.xml", {"RING": 100}, port=uas_port, timeout=20)
    cref = sim.call("9100", "4930555")
    uas.wait_sync(15)
    sim.hangup(cref, 16, "LN")
    uas.wait(20)
    name = "ISDN->SIP over dahdi:%d, sim hangup 16 LN" % CHANNEL
    if uas.rc != 0 or uas.request("INVITE") is None:
        R.fail_run(env, uas, "%s: SIPp UAS exit %s, saw %s" % (name, uas.rc, uas.seen()))
    elif R.q850_check(env, uas, uas.request("BYE"), name + ": BYE", 16, "LN"):
        print("ok  %s -> BYE Reason: %s" % (name, uas.request("BYE").hdr("reason")))


def double_cmd(env, ctl, line):
    answer = H.unix_cmd(ctl, line)
    env.check(answer.startswith("ok"), "DAHDI double: %r -> %r" % (line, answer))
    print("double: %s -> %s" % (line, answer))


def t_dahdi(env, a):
    uas_port = H.free_port()
    ctl = env.path("dahdi-ctl.sock")
    sim = H.Sim(env, a.sim, RULES).start()
    br = H.Bridge(env, a.bridge, sim.span, targets={"9": uas_port},
                  dchannel="dahdi:auto", proc_env=double_env(a, sim, ctl))
    # span 1's D- and B-channels from the DAHDI system.conf only
    br.conf_text = br.conf_text.replace(
        "[general]\n", "[general]\ndahdi_system_conf = %s\n" % env.write("system.conf", SYSTEM_CONF),
        1).replace("bchannels = 1-15,17-31\n", "", 1)
    env.write(br.tag + ".conf", br.conf_text)
    br.start()
    env.check(br.lines(r"notice: span 1: opened dahdi:%d$" % CHANNEL),
              "dchannel = dahdi:auto did not open channel %d" % CHANNEL)
    print("ok  bridge up: %s" % br.lines(r"notice: span 1: opened dahdi:\d+")[-1].group(0))

    answered_call(env, a, sim, br, "7101", "SIP->ISDN over dahdi:%d" % CHANNEL)
    isdn_to_sip(env, a, sim, uas_port)

    # A red alarm on the span while a call is up.
    held = H.sipp(env, a.sipp, "uac_wait_bye.xml", {"CALLING": "0301234"},
                  remote_port=br.sip_port, service="70", timeout=30)
    held.wait_sync(15)
    n503 = len(br.lines(r"notice: health: OPTIONS now answered 503"))
    n200 = len(br.lines(r"notice: health: OPTIONS now answered 200"))
    double_cmd(env, ctl, "alarm 1 red")
    br.wait_log(r"notice: span 1: D-channel down \(alarm\)$", 10)
    R.check_cleared_by_dchan_loss(env, held, "answered call when the span goes into red alarm")
    br.wait_log(r"notice: health: OPTIONS now answered 503", 10, count=n503 + 1)
    R.options_probe(env, a, br, 503, "span in alarm")
    name = "new INVITE while the span is in alarm"
    R.check_refused_span_down(env, a, br, "7102", name)
    env.check(not sim.calls("7102"), "%s: the call reached the ISDN side" % name)

    # The alarm cleared: the span comes back.
    double_cmd(env, ctl, "clear 1")
    br.wait_log(r"notice: span 1: D-channel up$", 20, count=2)
    br.wait_log(r"notice: health: OPTIONS now answered 200", 10, count=n200 + 1)
    R.options_probe(env, a, br, 200, "alarm cleared")
    answered_call(env, a, sim, br, "7103", "call after the alarm cleared")
    R.finish(env, sim, br)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--double", required=True, help="the DAHDI device double (LD_PRELOAD)")
    ap.add_argument("--bridge", required=True)
    ap.add_argument("--sim", required=True)
    ap.add_argument("--sipp", default="sipp")
    ap.add_argument("--causeway", default="",
                    help="the causeway CLI: audit the CDR file against the profile")
    a = ap.parse_args()
    a.bridge, a.sim, a.double = (os.path.abspath(p) for p in (a.bridge, a.sim, a.double))
    if a.causeway:
        os.environ["CW_E2E_CAUSEWAY"] = os.path.abspath(a.causeway)
    return H.run_test("e2e-dahdi", t_dahdi, a)


if __name__ == "__main__":
    sys.exit(main())
