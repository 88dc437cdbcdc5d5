"""Turns one hey report into a result line like the load generator's (bench/compare.sh).

usage: hey2json.py HEY_OUTPUT STACK WORKLOAD SECONDS SERVER_CPU_TICKS PEAK_RSS_KB
"""
import json
import re
import sys

path, stack, workload, seconds, ticks, rss_kb = sys.argv[1:7]
text = open(path, encoding="utf-8", errors="replace").read()


def number(pattern):
    m = re.search(pattern, text)
    return float(m.group(1)) if m else None


statuses = {m.group(1): int(m.group(2)) for m in re.finditer(r"\[(\d+)\]\s+(\d+) responses", text)}
ok = statuses.get("200", 0)
rps = number(r"Requests/sec:\s+([\d.]+)")
cpu_s = int(ticks) / 100.0
pct = {p: number(rf"\s{p}% in ([\d.]+) secs") for p in ("50", "90", "99")}
result = {
    "stack": stack,
    "workload": workload,
    "mode": "hey",
    "requests_per_s": rps,
    "requests_ok": ok,
    "non_200": sum(v for k, v in statuses.items() if k != "200"),
    "latency_ms": {
        "p50": pct["50"] * 1000 if pct["50"] is not None else None,
        "p90": pct["90"] * 1000 if pct["90"] is not None else None,
        "p99": pct["99"] * 1000 if pct["99"] is not None else None,
        "max": (number(r"Slowest:\s+([\d.]+) secs") or 0) * 1000,
    },
    "server": {"cpu_s": cpu_s, "cpu_cores": round(cpu_s / float(seconds), 3), "peak_rss_mb": round(int(rss_kb) / 1024.0, 1)},
    "valid": ok > 0 and all(k == "200" for k in statuses),
}
print(json.dumps(result))
