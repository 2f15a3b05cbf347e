#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e-notify: what causeway-bridge tells systemd (README.md "Running under systemd").

usage: e2e_notify.py CAUSEWAY_BRIDGE CAUSEWAY_PSTN_SIM

The bridge runs against one causeway-pstn-sim with $NOTIFY_SOCKET naming a datagram
socket of this test, as systemd's notify socket would (sd_notify(3)), and $WATCHDOG_USEC
set as by WatchdogSec=. It must send READY=1 once, after its "ready" log line, with
STATUS= "1 span up, 0 calls" (before it only "starting: N spans up, 0 calls"); WATCHDOG=1 about every WATCHDOG_USEC/2; STATUS= "0 spans
up" once the simulator is gone (the span is down at EOF); STOPPING=1 at SIGTERM and exit 0.
A second run without $WATCHDOG_USEC must send no WATCHDOG=1, and at SIGHUP RELOADING=1
(with MONOTONIC_USEC), then READY=1 again."""
import os
import re
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_common as E  # noqa: E402

WATCHDOG_USEC = 400000  # WatchdogSec=400ms: WATCHDOG=1 every 200 ms


class Notify:
    """The service manager's end: every datagram, as (time, [KEY=VALUE, ...])."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.sock.setblocking(False)
        self.got = []

    def drain(self):
        while True:
            try:
                data = self.sock.recv(4096)
            except BlockingIOError:
                return
            self.got.append((time.monotonic(), data.decode().split("\n")))

    def values(self, key):
        self.drain()
        return [(t, kv[len(key) + 1:]) for t, kvs in self.got for kv in kvs
                if kv.startswith(key + "=")]

    def wait(self, key, value=None, timeout=10):
        def seen():
            return [v for v in self.values(key) if value is None or re.search(value, v[1])]
        return E.wait_until(seen, timeout)


def start(env, bridge, port, tag, watchdog):
    env.write(tag + ".conf", E.bridge_conf(env, port, 1, "").replace(
        env.path("cdr.jsonl"), env.path(tag + "-cdr.jsonl")))
    notify = Notify(env.path(tag + ".notify"))
    child_env = dict(os.environ, NOTIFY_SOCKET=env.path(tag + ".notify"))
    child_env.pop("WATCHDOG_PID", None)
    child_env.pop("WATCHDOG_USEC", None)
    if watchdog:
        child_env["WATCHDOG_USEC"] = str(WATCHDOG_USEC)
    log = env.path(tag + ".log")
    env.logs.append(log)
    with open(log, "w") as f:
        p = subprocess.Popen([bridge, "-c", env.path(tag + ".conf")], stdout=f,
                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=env.dir,
                             env=child_env)
    env.procs.append(p)
    return p, notify, log


def stop(p, notify, errors, tag):
    os.kill(p.pid, signal.SIGTERM)
    try:
        rc = p.wait(timeout=15)
    except subprocess.TimeoutExpired:
        rc = None
    if rc != 0:
        errors.append("%s: exit status after SIGTERM %s (want 0)" % (tag, rc))
    if not notify.values("STOPPING"):
        errors.append("%s: no STOPPING=1 after SIGTERM" % tag)


def body(env):
    bridge, sim = (os.path.abspath(a) for a in sys.argv[1:3])
    E.need(bridge, "causeway-bridge")
    E.need(sim, "causeway-pstn-sim")
    errors = []
    sim_p = E.start_sim(env, sim, "span1", "default answer 100\n")

    p, notify, log = start(env, bridge, E.free_port(), "bridge", watchdog=True)
    ready = notify.wait("READY", "^1$")
    if not ready:
        return ["no READY=1 within 10 s"]
    if not re.search(r"notice: ready$", env.read(log), re.M):
        errors.append("READY=1 before the log line `ready`")
    # before READY=1 (if the loop woke up before the span was up) only "starting: ..."
    early = [v for t, v in notify.values("STATUS") if t < ready[0][0]]
    if any(not re.match(r"starting: \d+ spans? up, 0 calls$", v) for v in early):
        errors.append("STATUS before READY=1: %r, want 'starting: N spans up, 0 calls'" % early)
    if not notify.wait("STATUS", r"^1 span up, 0 calls$", timeout=2):
        errors.append("STATUS: %r, want '1 span up, 0 calls'" % notify.values("STATUS"))
    t0 = time.monotonic()
    time.sleep(1.5)
    dogs = [t for t, _ in notify.values("WATCHDOG") if t >= t0]
    # 1.5 s at one per 200 ms: 7; a loaded machine may lose one or two, never all
    if not 4 <= len(dogs) <= 9:
        errors.append("%d WATCHDOG=1 in 1.5 s, want about 7 (WATCHDOG_USEC %d / 2)"
                      % (len(dogs), WATCHDOG_USEC))
    elif max(b - a for a, b in zip(dogs, dogs[1:])) > WATCHDOG_USEC / 1e6:
        errors.append("WATCHDOG=1 gaps %r: one longer than WatchdogSec" %
                      [round(b - a, 3) for a, b in zip(dogs, dogs[1:])])
    os.kill(sim_p.pid, signal.SIGTERM)
    sim_p.wait(timeout=10)
    if not notify.wait("STATUS", r"^0 spans up, 0 calls$", timeout=5):
        errors.append("STATUS after the simulator stopped: %r, want '0 spans up, 0 calls'"
                      % notify.values("STATUS"))
    if len(notify.values("READY")) != 1:
        errors.append("READY= sent %d times, want once" % len(notify.values("READY")))
    stop(p, notify, errors, "bridge")
    if not notify.wait("STATUS", r"shutting down", timeout=1):
        errors.append("no STATUS= saying 'shutting down' after SIGTERM: %r"
                      % notify.values("STATUS"))

    # without WatchdogSec=: READY=1, no WATCHDOG=1
    E.start_sim(env, sim, "span1", "default answer 100\n")
    p, notify, log = start(env, bridge, E.free_port(), "bridge-nodog", watchdog=False)
    if not notify.wait("READY", "^1$"):
        errors.append("no WATCHDOG_USEC: no READY=1 within 10 s")
    time.sleep(0.5)
    if notify.values("WATCHDOG"):
        errors.append("WATCHDOG=1 sent without $WATCHDOG_USEC")
    # SIGHUP (README.md "Reload"): RELOADING=1 with MONOTONIC_USEC, then READY=1 again
    os.kill(p.pid, signal.SIGHUP)
    reloading = notify.wait("RELOADING", "^1$", timeout=5)
    if not reloading:
        errors.append("SIGHUP: no RELOADING=1")
    else:
        if not [v for t, v in notify.values("MONOTONIC_USEC") if t == reloading[0][0]]:
            errors.append("SIGHUP: RELOADING=1 without MONOTONIC_USEC")
        if not E.wait_until(lambda: [t for t, _ in notify.values("READY")
                                     if t > reloading[0][0]], 5):
            errors.append("SIGHUP: no READY=1 after RELOADING=1")
    stop(p, notify, errors, "bridge-nodog")
    return errors


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(E.run("e2e-notify", body))
