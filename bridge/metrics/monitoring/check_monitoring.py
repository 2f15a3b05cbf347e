#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_monitoring.py METRICS_C DASHBOARD_JSON ALERTS_YML METRICS_MD — fail when the
monitoring files stop matching what causeway-bridge exports:

  - the families are the "causeway_..." names of METRICS_C (bridge/daemon/metrics.c), a
    histogram's with its _bucket, _sum and _count series;
  - DASHBOARD_JSON parses, every panel has at least one target, every target an expr,
    and every causeway_ name in an expr or a variable's query is an exported series;
  - every causeway_ name in an expr of ALERTS_YML is an exported series;
  - METRICS_MD (docs/metrics.md) names every family, and no family that is not exported.

  --self-test  check that an unknown metric in a dashboard expr, a panel without an expr,
               a dashboard that does not parse, an unknown metric in an alert and a
               family missing from the list are each reported (exit 0 if they are).
"""
import json
import os
import re
import sys
import tempfile

NAME = re.compile(r'\bcauseway_[a-z0-9_]+\b')
FAMILY = re.compile(r'CWMET_(COUNTER|GAUGE|HISTOGRAM),\s*"(causeway_[a-z0-9_]+)"')


def exported(metrics_c):
    """({family: type}, {series name})"""
    with open(metrics_c, encoding="utf-8") as f:
        fams = {name: kind for kind, name in FAMILY.findall(f.read())}
    series = set()
    for name, kind in fams.items():
        if kind == "HISTOGRAM":
            series |= {name + "_bucket", name + "_sum", name + "_count"}
        else:
            series.add(name)
    return fams, series


def check_dashboard(path, series):
    try:
        with open(path, encoding="utf-8") as f:
            dash = json.load(f)
    except (OSError, ValueError) as e:
        return ["%s: does not parse: %s" % (path, e)]
    problems = []
    panels = dash.get("panels")
    if not isinstance(panels, list) or not panels:
        return ["%s: no panels" % path]
    for p in panels:
        title = p.get("title", "?")
        targets = p.get("targets") or []
        if not targets:
            problems.append("%s: panel %r has no target" % (path, title))
        for t in targets:
            expr = t.get("expr")
            if not expr:
                problems.append("%s: panel %r: a target without an expr" % (path, title))
                continue
            names = NAME.findall(expr)
            if not names:
                problems.append("%s: panel %r: expr names no causeway_ metric: %s"
                                % (path, title, expr))
            for n in names:
                if n not in series:
                    problems.append("%s: panel %r: %s is not exported" % (path, title, n))
    for var in (dash.get("templating") or {}).get("list") or []:
        query = var.get("query") if var.get("type") == "query" else None
        for n in NAME.findall(query if isinstance(query, str) else ""):
            if n not in series:
                problems.append("%s: variable %r: %s is not exported" % (path, var.get("name"), n))
    return problems


def check_alerts(path, series):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    problems = []
    # the expr: values, one line or a block scalar (indented lines after "expr: |")
    exprs = re.findall(r'^\s*expr:\s*(?:\|\s*\n((?:\s{10,}.*\n)+)|(.+)$)', text, re.M)
    if not exprs:
        problems.append("%s: no expr" % path)
    for block, line in exprs:
        for n in NAME.findall(block or line):
            if n not in series:
                problems.append("%s: %s is not exported" % (path, n))
    return problems


def check_list(path, fams):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    listed = set(re.findall(r'^\|\s*`(causeway_[a-z0-9_]+)`', text, re.M))
    problems = ["%s: %s is exported but not listed" % (path, n) for n in sorted(set(fams) - listed)]
    problems += ["%s: %s is listed but not exported" % (path, n)
                 for n in sorted(listed - set(fams))]
    return problems


def check(metrics_c, dashboard, alerts, metrics_md):
    fams, series = exported(metrics_c)
    if not fams:
        return ["%s: no causeway_ family found" % metrics_c]
    return (check_dashboard(dashboard, series) + check_alerts(alerts, series)
            + check_list(metrics_md, fams))


def self_test():
    metrics_c = ('{ CWMET_COUNTER, "causeway_a_total", "A." },\n'
                 '{ CWMET_HISTOGRAM, "causeway_b_seconds", "B." },\n')
    good_dash = {"panels": [{"title": "a", "targets": [{"expr": "rate(causeway_a_total[5m])"}]},
                            {"title": "b", "targets": [
                                {"expr": "histogram_quantile(0.9, rate(causeway_b_seconds_bucket[5m]))"}]}]}
    good_alerts = ("groups:\n  - name: g\n    rules:\n      - alert: A\n"
                   "        expr: rate(causeway_a_total[5m]) > 1\n")
    good_md = "| `causeway_a_total` | counter |\n| `causeway_b_seconds` | histogram |\n"
    cases = {
        "unknown in dashboard": (json.dumps({"panels": [{"title": "x", "targets": [
            {"expr": "rate(causeway_nope_total[5m])"}]}]}), good_alerts, good_md,
            "causeway_nope_total is not exported"),
        "panel without expr": (json.dumps({"panels": [{"title": "x", "targets": [{}]}]}),
                               good_alerts, good_md, "a target without an expr"),
        "dashboard not JSON": ('{"panels": [', good_alerts, good_md, "does not parse"),
        "unknown in alert": (json.dumps(good_dash), good_alerts.replace("a_total", "z_total"),
                             good_md, "causeway_z_total is not exported"),
        "family not listed": (json.dumps(good_dash), good_alerts, good_md.split("\n")[0] + "\n",
                              "causeway_b_seconds is exported but not listed"),
    }
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        def put(name, text):
            p = os.path.join(tmp, name)
            with open(p, "w", encoding="utf-8") as f:
                f.write(text)
            return p
        mc = put("metrics.c", metrics_c)
        args = (mc, put("d.json", json.dumps(good_dash)), put("a.yml", good_alerts),
                put("m.md", good_md))
        if check(*args):
            print("check_monitoring.py: self-test: good files reported: %r" % check(*args))
            failed = 1
        for what, (dash, alerts, md, want) in cases.items():
            problems = check(mc, put("d.json", dash), put("a.yml", alerts), put("m.md", md))
            if not any(want in p for p in problems):
                print("check_monitoring.py: self-test: %s: not reported (%r)" % (what, problems))
                failed = 1
    return failed


def main(argv):
    if len(argv) == 2 and argv[1] == "--self-test":
        return self_test()
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    problems = check(*argv[1:])
    for p in problems:
        print("check_monitoring.py: %s" % p, file=sys.stderr)
    if not problems:
        print("check_monitoring.py: the dashboard, the alerts and the list match the exports")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
