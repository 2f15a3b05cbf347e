# SPDX-License-Identifier: MIT
"""Calls with media held up at once: N causeway-pstn-sim spans -> causeway-bridge -> SIPp.

    python3 bench/media/media.py BUILDDIR [--spans N] [--calls-per-span C] [--seconds S]
        [--repeat K] [--rate R] [--keep]

Every B-channel of every span carries a call: the simulator places it (its rule plays
1004 Hz on the channel), the bridge calls a SIPp UAS that answers PCMA and echoes every RTP
packet (-rtp_echo), so the tone crosses the bridge both ways and comes back to the
B-channel. Standard library only; process handling from tests/e2e/harness.py and the /proc
readings from bench/load/load.py. What each printed figure means: bench/media/README.md.
"""
import argparse
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "load"))
import load  # noqa: E402
from load import harness  # noqa: E402

TONE_HZ = 1004
RULES = "default answer 0 play tone %d\n" % TONE_HZ    # what the calls the simulator places carry
FRAME_MS = 20                                          # one B-channel frame, one RTP packet


def udp_datagrams():
    """/proc/net/snmp Udp: InDatagrams, OutDatagrams, InErrors, RcvbufErrors (machine-wide)."""
    return load.udp_counters(("InDatagrams", "OutDatagrams", "InErrors", "RcvbufErrors"))


def media_lines(log):
    """How many calls agreed on media (the bridge's `call ID: media PCMA ...` info line)."""
    return len(re.findall(r"call \d+: media PCM[AU] ", harness.tail(log, 1 << 30)))


def place_calls(sims, per_span, rate):
    """per_span calls from every simulator, round robin, at `rate` per second. Returns the
    (sim, cref) of each call placed and the count refused."""
    placed, refused, seq = [], 0, 0
    t0 = time.monotonic()
    for _ in range(per_span):
        for sim in sims:
            seq += 1
            wait = t0 + seq / rate - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                placed.append((sim, sim.call("%s%07d" % (load.ISDN_PREFIX, seq))))
            except (OSError, harness.TestFailure):
                refused += 1
    return placed, refused


def run_once(env, a, exes):
    sims, span_conf = [], ""
    for i in range(1, a.spans + 1):
        audio = env.path("sim%d-audio.sock" % i)
        sim = harness.Sim(env, exes["sim"], RULES, tag="sim%d" % i, extra=["--audio", audio])
        sims.append(sim.start())
        span_conf += load.SPAN_CONF.format(n=i, sock=sim.span, group="pstn")
        span_conf += "audio = socket:%s\n" % audio
    media_port = harness.free_port()
    uas, uas_port = load.start_sipp(env, exes["sipp"], "uas", [
        "-sf", os.path.join(HERE, "uas.xml"), "-rtp_echo", "-mp", str(media_port)])
    sip_port = harness.free_port()
    conf = env.write("bridge.conf", load.BRIDGE_CONF.format(
        pidfile=env.path("bridge.pid"), cdr=env.path("cdr.jsonl"), sip_port=sip_port,
        spans=span_conf, sip_prefix=load.SIP_PREFIX, isdn_prefix=load.ISDN_PREFIX,
        uas_port=uas_port))
    log = env.path("bridge.log")
    wrapper = os.environ.get("CW_E2E_BRIDGE_WRAPPER", "").split()
    bridge = env.spawn("bridge", wrapper + [exes["bridge"], "-c", conf], log=log)
    if not harness.wait_until(lambda: bridge.poll() is not None or
                              "notice: ready" in harness.tail(log, 100000), 30):
        raise harness.TestFailure("bridge not ready within 30 s")
    if bridge.poll() is not None:
        raise harness.TestFailure("bridge exited: %s" % harness.tail(log))
    # every span's D-channel up before the first SETUP
    if not harness.wait_until(lambda: all(s.cmd("status").startswith("ok dchan up")
                                          for s in sims), 30):
        raise harness.TestFailure("D-channels not up within 30 s")
    rss_idle = load.rss_kib(bridge.pid)

    placed, refused = place_calls(sims, a.calls_per_span, a.rate)
    harness.wait_until(lambda: media_lines(log) >= len(placed), 30 + len(placed) / 50.0)
    time.sleep(1.0)                       # the last calls' first packets through
    up = media_lines(log)
    # the steady window: every call up, the tone going round
    cpu0, udp0, t0 = load.cpu_seconds(bridge.pid), udp_datagrams(), time.monotonic()
    time.sleep(a.seconds)
    cpu1, udp1, t1 = load.cpu_seconds(bridge.pid), udp_datagrams(), time.monotonic()
    rss_up = load.rss_kib(bridge.pid)
    window = t1 - t0
    still_up = sum(int(re.search(r"calls (\d+)", s.cmd("status")).group(1)) for s in sims)

    hangup_errors = 0
    for sim, cref in placed:
        try:
            sim.hangup(cref, 16)
        except (OSError, harness.TestFailure):
            hangup_errors += 1
    per_sim = {}
    for sim, _ in placed:
        per_sim[sim] = per_sim.get(sim, 0) + 1
    harness.wait_until(lambda: all(len(s.calls(direction="out")) >= n
                                   for s, n in per_sim.items()), 30)
    rc = harness.stop_pid(bridge, grace=60 if wrapper else 15)
    harness.stop_pid(uas, grace=2)
    for s in sims:
        s.stop()

    reports = [c for s in sims for c in s.calls(direction="out")]
    audio = [c.get("audio") or {} for c in reports]
    # the simulator sends one frame per 20 ms from its SETUP to the call's end
    due = sum((c["t_end_ms"] - c["t_setup_ms"]) // FRAME_MS for c in reports)
    sent = sum(x.get("frames_sent", 0) for x in audio)
    received = sum(x.get("frames_received", 0) for x in audio)
    udp = {k: udp1[k] - udp0[k] for k in udp0}
    cpu_pct = (cpu1 - cpu0) / window * 100.0
    return {
        "placed": len(placed), "refused": refused, "up": up, "still_up": still_up,
        "window": window, "cpu_pct": cpu_pct,
        "cpu_pct_per_call": cpu_pct / up if up else None,
        "pps": udp["InDatagrams"] / window, "pps_expected": up * 2 * 1000.0 / FRAME_MS,
        "rss_idle": rss_idle, "rss_up": rss_up,
        "rss_per_call": (rss_up - rss_idle) * 1024.0 / up if up else None,
        "reports": len(reports), "frames_due": due, "frames_sent": sent, "frames_received": received,
        "frames_short": sum(max(0, x.get("frames_sent", 0) - x.get("frames_received", 0))
                            for x in audio),
        "gaps": sum(x.get("gaps", 0) for x in audio),
        "tone_back": sum(1 for x in audio if x.get("tone_hz") == TONE_HZ),
        "cpu_per_kpps": cpu_pct / (udp["InDatagrams"] / window / 1000.0)
        if udp["InDatagrams"] else None,
        "udp_errors": udp["InErrors"], "udp": udp,
        "hangup_errors": hangup_errors, "bridge_exit": rc,
    }


def print_run(k, r):
    print("run %d:" % k)
    print("  calls: %d placed, %d refused at the control socket, %d with media agreed, "
          "%d still up at the window's end" % (r["placed"], r["refused"], r["up"], r["still_up"]))
    print("  window: %.1f s with every call up" % r["window"])
    print("  RTP packets/s through the bridge: %.0f (UDP InDatagrams, machine-wide; "
          "%.0f expected: 2 x 50/s per call)" % (r["pps"], r["pps_expected"]))
    print("  bridge CPU: %.1f %% of one core, %s %% per call" % (
        r["cpu_pct"], "%.4f" % r["cpu_pct_per_call"] if r["cpu_pct_per_call"] else "n/a"))
    print("  bridge RSS: %d KiB idle, %d KiB with the calls up, %s bytes per call" % (
        r["rss_idle"], r["rss_up"], "%.0f" % r["rss_per_call"] if r["rss_per_call"] else "n/a"))
    print("  bridge CPU per 1000 RTP packets/s: %s %% of one core" % (
        "%.2f" % r["cpu_per_kpps"] if r["cpu_per_kpps"] else "n/a"))
    print("  B-channel frames: %d due, %d sent by the simulators (%d behind their clock), "
          "%d received back, %d short, %d gaps (%d call reports)" % (
              r["frames_due"], r["frames_sent"], max(0, r["frames_due"] - r["frames_sent"]),
              r["frames_received"], r["frames_short"], r["gaps"], r["reports"]))
    print("  tone back on the B-channel: %d of %d calls (%d Hz through RTP both ways)" % (
        r["tone_back"], r["reports"], TONE_HZ))
    print("  UDP errors (machine-wide): InErrors +%d, RcvbufErrors +%d" % (
        r["udp"]["InErrors"], r["udp"]["RcvbufErrors"]))


def print_summary(runs, a):
    def med(key):
        return load.median_of(runs, lambda r: r[key])
    print("median of %d run(s):" % len(runs))
    print("  calls up: %d" % med("up"))
    print("  RTP packets/s through the bridge: %.0f of %.0f" % (med("pps"), med("pps_expected")))
    cpu, per_call = med("cpu_pct"), med("cpu_pct_per_call")
    print("  bridge CPU: %.1f %% of one core, %s %% per call" % (
        cpu, "%.4f" % per_call if per_call is not None else "n/a"))
    kpps = med("cpu_per_kpps")
    print("  bridge CPU per 1000 RTP packets/s: %s %% of one core" % (
        "%.2f" % kpps if kpps is not None else "n/a"))
    rss = med("rss_per_call")
    print("  bridge RSS per call: %s bytes" % ("%.0f" % rss if rss is not None else "n/a"))
    # lost: frames missing inside the bridge's sequence on a B-channel, and datagrams the
    # kernel dropped; the frames short at a call's start and end are printed beside them
    lost = med("gaps") + med("udp_errors")
    print("  frames lost: %d (%d gaps on the B-channels, UDP InErrors +%d); "
          "%d frames short at the calls' ends" % (
              lost, med("gaps"), med("udp_errors"), med("frames_short")))
    goal = 960
    full = med("pps") >= 0.99 * med("pps_expected")
    if kpps is not None:
        # every call's 2 x 50 packets/s at the CPU per packet measured
        print("  at %d calls (%d RTP packets/s): %.1f %% of one core (%s)" % (
            goal, goal * 2 * 1000 // FRAME_MS, kpps * goal * 2 / FRAME_MS,
            "measured" if med("up") >= goal and full else
            "from the CPU per 1000 packets/s measured"))
    reached = med("up") >= goal and full and cpu <= 50.0 and lost == 0
    print("goal (%d calls, <= 50 %% of one core, 0 frames lost): %s" % (
        goal, "reached" if reached else "not reached with %d calls%s" % (
            med("up"), "" if full else " (the packets fell short of the calls' rate)")))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("builddir")
    ap.add_argument("--spans", type=int, default=1)
    ap.add_argument("--calls-per-span", type=int, default=load.CHANNELS_PER_SPAN)
    ap.add_argument("--seconds", type=float, default=10.0, help="the steady window")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--rate", type=float, default=100.0, help="calls placed per second")
    ap.add_argument("--keep", action="store_true", help="keep the temp dirs")
    a = ap.parse_args()
    if not 1 <= a.calls_per_span <= load.CHANNELS_PER_SPAN:
        ap.error("--calls-per-span goes from 1 to %d" % load.CHANNELS_PER_SPAN)
    exes = load.find_programs(a.builddir, "media.py")
    print("media: %d spans x %d calls, %g s window, %d run(s)" % (
        a.spans, a.calls_per_span, a.seconds, a.repeat))

    runs = []

    def one(env, k):
        r = run_once(env, a, exes)
        print_run(k, r)
        runs.append(r)
    status = load.repeat_runs("media", a.repeat, a.keep, one)
    if runs:
        print_summary(runs, a)
    crossed = runs and all(r["up"] == r["placed"] > 0 and r["tone_back"] == r["reports"] ==
                           r["placed"] and r["bridge_exit"] == 0 for r in runs)
    print("media: %s" % ("every call carried the tone both ways" if crossed
                         else "NOT every call carried the tone both ways"))
    return status or (0 if crossed else 1)


if __name__ == "__main__":
    sys.exit(main())
