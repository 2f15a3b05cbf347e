#!/bin/sh
# SPDX-License-Identifier: MIT
# test_rules.sh PROMTOOL DIR: `promtool check rules` and `promtool test rules` on DIR's
# causeway-alerts.yml and alerts-test.yml; then a copy whose span-down alert can no longer
# fire must fail the unit tests (so they test something).
set -eu
promtool=$1
dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$promtool" check rules "$dir/causeway-alerts.yml"
"$promtool" test rules "$dir/alerts-test.yml"
cp "$dir/alerts-test.yml" "$tmp/"
sed 's/expr: causeway_span_up == 0/expr: causeway_span_up == 2/' "$dir/causeway-alerts.yml" \
    > "$tmp/causeway-alerts.yml"
if cmp -s "$dir/causeway-alerts.yml" "$tmp/causeway-alerts.yml"; then
    echo "test_rules.sh: the span-down expr was not found to break" >&2
    exit 1
fi
if "$promtool" test rules "$tmp/alerts-test.yml" >"$tmp/out" 2>&1; then
    echo "test_rules.sh: a span-down alert that cannot fire passed the unit tests" >&2
    exit 1
fi
echo "test_rules.sh: rules valid, unit tests pass, a broken rule fails them"
