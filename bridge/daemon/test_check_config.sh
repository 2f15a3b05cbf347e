#!/bin/sh
# SPDX-License-Identifier: MIT
# causeway-bridge --check-config: exit 0 and the dump on the example file;
# exit 2 and "FILE:LINE: error: ..." on a broken one; nothing is bound.
# usage: test_check_config.sh CAUSEWAY_BRIDGE EXAMPLE_CONF
set -u
exe=$1
example=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

out=$("$exe" --check-config -c "$example" 2>"$tmp/err")
rc=$?
if [ "$rc" -ne 0 ]; then
	echo "FAIL: example: exit $rc, want 0"; cat "$tmp/err"; fail=1
fi
case $out in
*"[span 1]"*"invite_timeout = "*) ;;
*"invite_timeout = "*"[span 1]"*) ;;
*) echo "FAIL: example: no dump on stdout"; fail=1 ;;
esac

printf '[span 1]\nswitchtype = euroisdn\nsignalling = pri_cpe\ndchannel = socket:/x\nbchannels = 1-2\nt301 = 0\n' >"$tmp/bad.conf"
"$exe" --check-config -c "$tmp/bad.conf" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 2 ]; then echo "FAIL: broken: exit $rc, want 2"; fail=1; fi
if ! grep -q "^$tmp/bad.conf:6: error: t301: 0 is out of range" "$tmp/err"; then
	echo "FAIL: broken: no FILE:LINE error:"; cat "$tmp/err"; fail=1
fi
if [ -s "$tmp/out" ]; then echo "FAIL: broken: something on stdout"; fail=1; fi

# the FILE form of --check-config, and a missing file
"$exe" --check-config "$tmp/bad.conf" >/dev/null 2>&1
rc=$?
if [ "$rc" -ne 2 ]; then echo "FAIL: --check-config FILE: exit $rc, want 2"; fail=1; fi
"$exe" -c "$tmp/missing.conf" >/dev/null 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 2 ]; then echo "FAIL: missing config: exit $rc, want 2"; fail=1; fi
grep -q "missing.conf" "$tmp/err" || { echo "FAIL: missing config: file not named"; fail=1; }

# TLS: the files are loaded at --check-config time, a bad one named by FILE:LINE
tlsconf() {
	printf '[sip]\ntransport = udp,tls\ntls_certificate = %s\ntls_private_key = %s\n[span 1]\nswitchtype = euroisdn\nsignalling = pri_cpe\ndchannel = socket:/x\nbchannels = 1-2\n' "$1" "$2" >"$tmp/tls.conf"
}
tlsconf "$tmp/none.crt" "$tmp/none.key"
"$exe" --check-config -c "$tmp/tls.conf" >/dev/null 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 2 ] || ! grep -q "^$tmp/tls.conf:3: error: tls_certificate: cannot read '$tmp/none.crt'" "$tmp/err"; then
	echo "FAIL: TLS certificate missing: exit $rc, want 2 and FILE:3:"; cat "$tmp/err"; fail=1
fi
if command -v openssl >/dev/null 2>&1 &&
   openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/ok.key" -out "$tmp/ok.crt" -days 1 \
	-subj /CN=gw.causeway.test >/dev/null 2>&1; then
	printf 'not a key\n' >"$tmp/bad.key"
	tlsconf "$tmp/ok.crt" "$tmp/bad.key"
	"$exe" --check-config -c "$tmp/tls.conf" >/dev/null 2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne 2 ] || ! grep -q "^$tmp/tls.conf:4: error: tls_private_key: " "$tmp/err"; then
		echo "FAIL: TLS key not loadable: exit $rc, want 2 and FILE:4:"; cat "$tmp/err"; fail=1
	fi
	tlsconf "$tmp/ok.crt" "$tmp/ok.key"
	out=$("$exe" --check-config -c "$tmp/tls.conf" 2>"$tmp/err")
	rc=$?
	case $out in
	*"transport = udp,tls"*"tls_port = 5061"*) ;;
	*) echo "FAIL: TLS config: exit $rc, no TLS keys in the dump"; cat "$tmp/err"; fail=1 ;;
	esac
fi

# usage errors exit 2
"$exe" --no-such-option >/dev/null 2>&1
rc=$?
if [ "$rc" -ne 2 ]; then echo "FAIL: bad option: exit $rc, want 2"; fail=1; fi
"$exe" --log-level loud -c "$example" >/dev/null 2>&1
rc=$?
if [ "$rc" -ne 2 ]; then echo "FAIL: bad --log-level: exit $rc, want 2"; fail=1; fi
"$exe" --version >/dev/null 2>&1 || { echo "FAIL: --version"; fail=1; }

[ "$fail" -eq 0 ] && echo "ok"
exit "$fail"
