#!/bin/sh
# SPDX-License-Identifier: MIT
#
# test_service.sh UNIT_IN BRIDGE — `systemd-analyze verify` on
# causeway-bridge.service (its @BINDIR@ made the directory of BRIDGE, the
# binary just built, since verify checks that ExecStart= can be run). Any
# complaint naming the unit fails, not only a non-zero exit: verify warns
# and exits 0 on an unknown key. So that this check cannot pass by never
# seeing anything, a copy with an unknown key and one whose ExecStart= is
# missing must each be refused first.
# Exit 77 (skipped) without systemd-analyze (Debian: systemd).
set -eu

unit_in=$1 bridge=$2
command -v systemd-analyze >/dev/null 2>&1 || { echo "systemd-analyze not found: skipped"; exit 77; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/cw-service.XXXXXX")
trap 'rm -rf "$dir"' EXIT
bindir=$(cd "$(dirname "$bridge")" && pwd)

# make NAME SED-EXPRESSION — the unit with the build's paths, edited by SED-EXPRESSION
make_unit() {
	mkdir -p "$dir/$1"
	sed -e "s|@BINDIR@|$bindir|g" -e "s|@SYSCONFDIR@|$dir/etc|g" -e "$2" "$unit_in" \
		>"$dir/$1/causeway-bridge.service"
	echo "$dir/$1/causeway-bridge.service"
}

# verify UNIT — 0 when systemd-analyze exits 0 and says nothing about UNIT
verify() {
	rc=0
	systemd-analyze verify --man=no "$1" >"$dir/out" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ] || grep -q "causeway-bridge" "$dir/out"; then
		sed 's/^/  /' "$dir/out"
		return 1
	fi
	return 0
}

broken=$(make_unit unknown-key 's|^\[Service\]$|[Service]\nFrobnicateSec=5|')
if verify "$broken" >/dev/null; then
	echo "FAIL: a unit with an unknown key passed systemd-analyze verify"
	exit 1
fi
broken=$(make_unit no-binary "s|$bindir/causeway-bridge |$dir/nowhere/causeway-bridge |")
if verify "$broken" >/dev/null; then
	echo "FAIL: a unit whose ExecStart= does not exist passed systemd-analyze verify"
	exit 1
fi
unit=$(make_unit good '')
if ! verify "$unit"; then
	echo "FAIL: systemd-analyze verify complains about $unit_in"
	exit 1
fi
grep -q '^Type=notify$' "$unit" || { echo "FAIL: not Type=notify"; exit 1; }
echo "ok: systemd-analyze verify accepts causeway-bridge.service and refuses the broken copies"
