#!/bin/sh
# SPDX-License-Identifier: MIT
#
# test_logrotate.sh SNIPPET — `logrotate -d -f` (a forced dry run, temp state
# file) on causeway-bridge.logrotate with its path moved into a temp dir holding
# a CDR file: no error, the file would be renamed and the SIGHUP script run. Then a
# real rotation (-f) of that copy, its postrotate replaced by a marker: the
# file is renamed, not copied or recreated (the bridge reopens it), and the
# script ran. A copy with an unknown directive must be refused, so that the
# check cannot pass by not reading the snippet.
# Exit 77 (skipped) without logrotate (Debian: logrotate).
set -eu

snippet=$1
command -v logrotate >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
command -v logrotate >/dev/null 2>&1 || { echo "logrotate not found: skipped"; exit 77; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/cw-logrotate.XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/log"
echo '{"v":1}' >"$dir/log/cdr.jsonl"

sed "s|/var/log/causeway-bridge/|$dir/log/|" "$snippet" >"$dir/good.conf"
grep -q "^$dir/log/cdr.jsonl {" "$dir/good.conf" || { echo "FAIL: no CDR path in $snippet"; exit 1; }
chmod 0644 "$dir/good.conf"

if ! logrotate -d -f -s "$dir/state" "$dir/good.conf" >"$dir/out" 2>&1 ||
	grep -qi "error" "$dir/out"; then
	sed 's/^/  /' "$dir/out"
	echo "FAIL: logrotate -d complains about $snippet"
	exit 1
fi
grep -q "rotating pattern: $dir/log/cdr.jsonl" "$dir/out" || { cat "$dir/out"; echo "FAIL: not read"; exit 1; }
grep -q "renaming $dir/log/cdr.jsonl to $dir/log/cdr.jsonl-" "$dir/out" ||
	{ cat "$dir/out"; echo "FAIL: the file would not be renamed"; exit 1; }
grep -q "kill-whom=main --signal=HUP causeway-bridge.service" "$dir/out" ||
	{ cat "$dir/out"; echo "FAIL: no SIGHUP in the postrotate script"; exit 1; }

sed 's|^\(\s*\)daily$|\1daily\n\tfrobnicate|' "$dir/good.conf" >"$dir/broken.conf"
chmod 0644 "$dir/broken.conf"
if logrotate -d -f -s "$dir/state" "$dir/broken.conf" >"$dir/out" 2>&1 && ! grep -qi "error" "$dir/out"; then
	echo "FAIL: logrotate -d accepted a snippet with an unknown directive"
	exit 1
fi

sed "s|^\(\s*\)systemctl kill .*|\1touch $dir/hup|" "$dir/good.conf" >"$dir/real.conf"
chmod 0644 "$dir/real.conf"
logrotate -f -s "$dir/state" "$dir/real.conf"
[ -e "$dir/hup" ] || { echo "FAIL: the postrotate script did not run"; exit 1; }
[ ! -e "$dir/log/cdr.jsonl" ] || { echo "FAIL: cdr.jsonl still there: the bridge makes the new one"; exit 1; }
set -- "$dir"/log/cdr.jsonl-*
[ -e "$1" ] && grep -q '"v":1' "$1" || { ls -l "$dir/log"; echo "FAIL: no rotated cdr.jsonl-DATE"; exit 1; }
echo "ok: logrotate -d accepts causeway-bridge.logrotate, refuses a broken copy; a rotation renames the file and runs the script"
