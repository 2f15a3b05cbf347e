# SPDX-License-Identifier: MIT
"""A DNS server of the test's own: dnsmasq in the foreground on a free port, holding
only the records given (no upstream; `--local=/test/` answers every other name under
.test NXDOMAIN). Used by e2e_dns.py and e2e_tls.py (Debian dnsmasq-base)."""
import os
import shutil
import sys

import e2e_common as E


def dnsmasq_or_skip():
    exe = shutil.which("dnsmasq") or ("/usr/sbin/dnsmasq" if os.path.exists("/usr/sbin/dnsmasq")
                                      else None)
    if not exe:
        print("SKIP: dnsmasq not found (Debian dnsmasq-base)")
        sys.exit(E.SKIP)
    return exe


def start_dnsmasq(env, exe, port, records):
    """dnsmasq in the foreground on 127.0.0.1:port, only the records given (no upstream)."""
    p = env.spawn("dnsmasq", [exe, "-k", "-p", str(port), "--listen-address=127.0.0.1",
                              "--bind-interfaces", "--no-resolv", "--no-hosts",
                              "--conf-file=/dev/null", "--pid-file=", "--local=/test/",
                              "--log-facility=-", "--log-queries"] + records)
    if not E.wait_until(lambda: p.poll() is not None or "started" in env.read("dnsmasq.log"), 10) \
            or p.poll() is not None:
        raise RuntimeError("dnsmasq did not start")
    return p
