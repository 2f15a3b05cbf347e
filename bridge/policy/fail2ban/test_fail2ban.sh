#!/bin/sh
# SPDX-License-Identifier: MIT
#
# test_fail2ban.sh FILTER LOG EXPECTED — runs fail2ban-regex with FILTER
# (installed in a scratch filter.d next to the system's common.conf) over
# LOG and requires exactly the addresses of EXPECTED, in order, one match
# per line: a line matched that should not be, or one missed, fails.
# Exit 77 (skipped) without fail2ban (Debian: fail2ban).
set -eu

filter=$1 log=$2 expected=$3
command -v fail2ban-regex >/dev/null 2>&1 || { echo "fail2ban-regex not found: skipped"; exit 77; }
common=/etc/fail2ban/filter.d/common.conf
[ -r "$common" ] || { echo "$common not found: skipped"; exit 77; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/cw-fail2ban.XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/filter.d"
cp "$common" "$dir/filter.d/common.conf"
cp "$filter" "$dir/filter.d/causeway-bridge.conf"

fail2ban-regex -c "$dir" -o ip "$log" causeway-bridge >"$dir/ips"
if ! diff -u "$expected" "$dir/ips"; then
	echo "FAIL: the addresses matched differ from $expected"
	exit 1
fi

want=$(wc -l <"$expected" | tr -d ' ')
total=$(wc -l <"$log" | tr -d ' ')
fail2ban-regex -c "$dir" "$log" causeway-bridge >"$dir/report"
summary=$(grep '^Lines: ' "$dir/report")
if [ "$summary" != "Lines: $total lines, 0 ignored, $want matched, $((total - want)) missed" ]; then
	echo "FAIL: $summary (want $want of $total matched)"
	exit 1
fi
echo "ok: $summary"
