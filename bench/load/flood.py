# SPDX-License-Identifier: MIT
"""A flood from one source, and the bridge's memory after it.

    python3 bench/load/flood.py BUILDDIR [--rate R] [--seconds S] [--after S]
        [--limits lifted|default] [--until-down] [--keep]

SIPp sends INVITEs (bench/load/flood.xml) at R per second for S seconds from one address to
causeway-bridge with one simulated E1 span (30 B-channels): what gets a B-channel is answered
and cleared at once, the rest is refused with 503. Then nothing, for --after seconds: the
transactions of the flood wait out their timers (RFC 3261 §17.2.1 timers H and I, §17.2.2
timer J: 32 s over UDP) and are freed. Printed: VmRSS of the bridge before (baseline), its
peak, and every 10 s after the flood, and how often the bridge trimmed its heap (its
"memory: heap trimmed" lines). A benchmark: it asserts no figure; bench/load/README.md.
"""
import argparse
import os
import signal
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import load  # noqa: E402  (its /proc readings, its SIPp start and its configuration)
harness = load.harness

LIFTED = ("source_rate = 100000", "source_burst = 100000", "block_factor = 0")


def bridge_conf(env, sip_port, span_conf, limits):
    text = load.BRIDGE_CONF.format(
        pidfile=env.path("bridge.pid"), cdr=env.path("cdr.jsonl"), sip_port=sip_port,
        spans=span_conf, sip_prefix=load.SIP_PREFIX, isdn_prefix=load.ISDN_PREFIX,
        uas_port=harness.free_port())
    if limits == "default":
        text = "\n".join(l for l in text.split("\n") if l.strip() not in LIFTED)
    return text


def run(env, a, exes):
    sim = harness.Sim(env, exes["sim"], "default answer 0\n", tag="sim1").start()
    span_conf = load.SPAN_CONF.format(n=1, sock=sim.span, group="pstn")
    sip_port = harness.free_port()
    conf = env.write("bridge.conf", bridge_conf(env, sip_port, span_conf, a.limits))
    log = env.path("bridge.log")
    wrapper = os.environ.get("CW_E2E_BRIDGE_WRAPPER", "").split()
    bridge = env.spawn("bridge", wrapper + [exes["bridge"], "-c", conf, "--log-timestamps", "yes"],
                       log=log)
    if not harness.wait_until(lambda: bridge.poll() is not None or
                              "notice: ready" in harness.tail(log, 100000), 30):
        raise harness.TestFailure("bridge not ready within 30 s")
    if bridge.poll() is not None:
        raise harness.TestFailure("bridge exited: %s" % harness.tail(log))
    baseline = load.rss_kib(bridge.pid)
    sampler = load.RssSampler(bridge.pid)
    sampler.start()
    calls = int(a.rate * a.seconds)
    tail = ["-sf", os.path.join(HERE, "flood.xml"), "-s", load.SIP_PREFIX,
            "-r", str(a.rate), "-m", str(calls), "-recv_timeout", "5000",
            "-trace_stat", "-stf", env.path("flood-stat.csv"), "-fd", "1",
            "-timeout", "%ds" % (a.seconds + 40), "-timeout_error",
            "127.0.0.1:%d" % sip_port]
    uac, _ = load.start_sipp(env, exes["sipp"], "flood", tail)
    t0 = time.monotonic()
    try:
        uac.wait(timeout=a.seconds + 60)
    except Exception:
        harness.stop_pid(uac, grace=2)
    flood_s = time.monotonic() - t0
    sampler.stop()
    peak = max(sampler.peak, load.rss_kib(bridge.pid))
    after, down_at = [], None
    down = baseline + (peak - baseline) / 2
    t_end = time.monotonic()
    while time.monotonic() - t_end < a.after:
        time.sleep(1.0)
        s = time.monotonic() - t_end
        rss = load.rss_kib(bridge.pid)
        if int(s) % 10 == 0 or s >= a.after:
            after.append((s, rss))
        if rss <= down and down_at is None:
            down_at = (s, rss)
            if a.until_down:
                break
    last = load.rss_kib(bridge.pid)
    rc = harness.stop_pid(bridge, grace=60 if wrapper else 15)
    sim.stop()
    cdr = load.read_jsonl(env.path("cdr.jsonl"))
    statuses = {}
    for r in cdr:
        statuses[r.get("sip_status")] = statuses.get(r.get("sip_status"), 0) + 1
    text = harness.tail(log, 10 ** 8)
    return {"sipp": load.sipp_totals(env.path("flood-stat.csv")), "calls": calls,
            "flood_s": flood_s, "statuses": statuses, "baseline": baseline, "peak": peak,
            "after": after, "last": last, "last_s": time.monotonic() - t_end, "down": down,
            "down_at": down_at, "trims": text.count("memory: heap trimmed"), "bridge_exit": rc}


def report(a, r):
    print("flood: %d INVITEs at %g/s for %g s from one source (%.1f s), limits %s" % (
        r["calls"], a.rate, a.seconds, r["flood_s"], a.limits))
    if r["sipp"]:
        print("  SIPp: %d ended (answered or 503), %d failed" % r["sipp"])
    print("  CDR: %d lines; %s" % (sum(r["statuses"].values()), ", ".join(
        "%s: %d" % (k, v) for k, v in sorted(r["statuses"].items(), key=lambda kv: str(kv[0])))))
    print("  bridge RSS: baseline %d KiB, peak %d KiB" % (r["baseline"], r["peak"]))
    for s, rss in r["after"]:
        print("  bridge RSS %3.0f s after the flood: %d KiB" % (s, rss))
    print("  bridge RSS at the end (%.0f s after): %d KiB; heap trimmed %d times" % (
        r["last_s"], r["last"], r["trims"]))
    if r["down_at"]:
        print("flood: RSS came down below half its growth (%d KiB) %.0f s after the flood" % (
            r["down"], r["down_at"][0]))
    else:
        print("flood: RSS stayed above half its growth (%d KiB)" % r["down"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("builddir")
    ap.add_argument("--rate", type=float, default=1000.0, help="INVITEs per second")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--after", type=float, default=60.0,
                    help="seconds to watch RSS after the flood")
    ap.add_argument("--limits", choices=("lifted", "default"), default="lifted",
                    help="[sip] source_rate/source_burst/block_factor as load.py sets them, "
                         "or the defaults (the flood is then mostly refused before a transaction)")
    ap.add_argument("--until-down", action="store_true",
                    help="stop watching once RSS is below half its growth")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir")
    a = ap.parse_args()
    exes = load.find_programs(a.builddir, "flood.py")

    def on_signal(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    env = harness.Env("flood", keep=a.keep)
    status = 0
    try:
        r = run(env, a, exes)
        report(a, r)
        if r["bridge_exit"] != 0:
            print("flood: the bridge exited %s" % r["bridge_exit"])
            status = 1
    except harness.TestFailure as e:
        print("flood: failed: %s (files in %s)" % (e, env.tmp))
        env.keep = True
        status = 1
    except KeyboardInterrupt:
        print("flood: interrupted")
        status = 130
    finally:
        env.close()
        if a.keep or env.keep:
            print("temp dir kept: %s" % env.tmp)
    return status


if __name__ == "__main__":
    sys.exit(main())
