#!/bin/sh
# SPDX-License-Identifier: MIT
# The committed call-table.md is what cw-call-table prints from the table that runs.
#   test_call_table.sh CW-CALL-TABLE COMMITTED-MD OUTPUT-MD
set -eu
gen=$1 committed=$2 fresh=$3
"$gen" -o "$fresh"
if ! diff -u "$committed" "$fresh"; then
	echo "call-table.md is stale: regenerate it with 'meson compile -C BUILD update-call-table'" >&2
	exit 1
fi
