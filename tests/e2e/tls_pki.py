# SPDX-License-Identifier: MIT
"""Certificates for the TLS tests, made at test time with the openssl command
(stdlib only): a CA, a server certificate for 127.0.0.1 (the bridge, or a
peer acting as server), a client certificate, a certificate signed by
the same CA that names another host (RFC 5922 §7: it must be refused), and
one that names the host tls.causeway.test only.

make_pki(dir) returns a dict of paths; socat_* build the argv of a socat
relay that puts TLS in front of a TCP peer (Debian's SIPp is built without
TLS), or TCP in front of a TLS server.
"""
import os
import subprocess


def _run(*args):
    subprocess.run(["openssl"] + list(args), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _leaf(d, name, subj, san, ca_crt, ca_key, ext_usage):
    key, csr, crt = (os.path.join(d, name + s) for s in (".key", ".csr", ".crt"))
    ext = os.path.join(d, name + ".ext")
    with open(ext, "w") as f:
        f.write("basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
                "extendedKeyUsage=%s\n" % ext_usage)
        if san:
            f.write("subjectAltName=%s\n" % san)
    _run("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", subj)
    _run("x509", "-req", "-in", csr, "-CA", ca_crt, "-CAkey", ca_key, "-CAcreateserial",
         "-days", "2", "-sha256", "-extfile", ext, "-out", crt)
    return crt, key


def make_pki(d):
    ca_key, ca_crt = os.path.join(d, "ca.key"), os.path.join(d, "ca.crt")
    _run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca_crt,
         "-days", "2", "-subj", "/CN=causeway test CA")
    p = {"ca": ca_crt}
    p["server_crt"], p["server_key"] = _leaf(d, "server", "/CN=127.0.0.1",
                                             "IP:127.0.0.1,DNS:gw.causeway.test", ca_crt, ca_key,
                                             "serverAuth,clientAuth")
    p["client_crt"], p["client_key"] = _leaf(d, "client", "/CN=client.causeway.test",
                                             "DNS:client.causeway.test", ca_crt, ca_key,
                                             "clientAuth")
    # the CN says 127.0.0.1, the subjectAltName another host: refused
    p["wrong_crt"], p["wrong_key"] = _leaf(d, "wrong", "/CN=127.0.0.1",
                                           "DNS:other.causeway.test,IP:127.0.0.2", ca_crt, ca_key,
                                           "serverAuth")
    # a name only (a target given by host name, RFC 5922 §4.1): no address
    p["named_crt"], p["named_key"] = _leaf(d, "named", "/CN=tls.causeway.test",
                                           "DNS:tls.causeway.test", ca_crt, ca_key, "serverAuth")
    return p


def socat_tcp_to_tls(listen_port, tls_port, pki, cert=True):
    """TCP on 127.0.0.1:listen_port in, TLS to 127.0.0.1:tls_port out (one connection),
    checking the server against the CA, presenting the client certificate."""
    out = "OPENSSL:127.0.0.1:%d,cafile=%s,verify=1,commonname=127.0.0.1" % (tls_port, pki["ca"])
    if cert:
        out += ",cert=%s,key=%s" % (pki["client_crt"], pki["client_key"])
    return ["socat", "TCP-LISTEN:%d,bind=127.0.0.1,reuseaddr" % listen_port, out]


def socat_tls_to_tcp(tls_port, tcp_port, crt, key):
    """TLS on 127.0.0.1:tls_port in (one connection, certificate crt), TCP to tcp_port out."""
    return ["socat", "OPENSSL-LISTEN:%d,bind=127.0.0.1,reuseaddr,cert=%s,key=%s,verify=0"
            % (tls_port, crt, key), "TCP:127.0.0.1:%d" % tcp_port]
