"""Writes the markdown table of a bench/compare.sh run from its result lines (one JSON object a line).

usage: report.py compare-<stamp>.jsonl > compare-<stamp>.md
Ratios compare the reference's stack with each of ours; above 1 means ours is better.
"""
import json
import sys

lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
meta = next((l for l in lines if l.get("meta")), {})
end = next((l for l in lines if l.get("meta_end")), {})
res = {(l["stack"], l["workload"]): l for l in lines if "stack" in l}
stacks = [s for s in ("reference", "sqlite", "postgres") if any(k[0] == s for k in res)]
names = {"reference": "reference (Django + Daphne, PG + Redis)", "sqlite": "ours, embedded (SQLite)", "postgres": "ours, PG + Redis"}
ours = [s for s in stacks if s != "reference"]


def get(stack, workload, *path):
    v = res.get((stack, workload))
    for p in path:
        if v is None:
            return None
        v = v.get(p) if isinstance(v, dict) else None
    return v


def fmt(v, unit="", digits=1):
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if abs(v) >= 1000:
        return f"{v:,.0f}{unit}"
    return f"{v:.{digits}f}{unit}"


def ratio(ref, our, higher_is_better):
    if ref is None or our is None or ref == 0 or our == 0:
        return "-"
    r = our / ref if higher_is_better else ref / our
    return f"{r:.1f}x" if r >= 10 else f"{r:.2f}x"


def row(label, fn, unit, higher_is_better, digits=1, workload=None):
    vals = {s: fn(s) for s in stacks}
    cells = [fmt(vals[s], unit, digits) for s in stacks]
    if "reference" in stacks:
        cells += [ratio(vals["reference"], vals[s], higher_is_better) for s in ours]
    return "| " + label + " | " + " | ".join(cells) + " |"


def header(first):
    cols = [names[s] for s in stacks]
    if "reference" in stacks:
        cols += [f"ratio, {names[s]}" for s in ours]
    return "| " + first + " | " + " | ".join(cols) + " |\n|" + "---|" * (len(cols) + 1)


def cpu_per_delivery_us(s, w, with_aux=False):
    d = get(s, w, "received_deliveries")
    cpu = get(s, w, "server", "cpu_s_incl_drain") or get(s, w, "server", "cpu_s")
    if with_aux and cpu is not None:
        cpu += get(s, w, "aux", "cpu_s") or 0
    return cpu / d * 1e6 if d and cpu is not None else None


def cpu_per_request_ms(s, w):
    n = get(s, w, "requests_ok")
    cpu = get(s, w, "server", "cpu_s")
    return cpu / n * 1e3 if n and cpu is not None else None


out = []
quick = meta.get("quick") == 1
out.append(f"# Side by side: the reference's stack and Switchboard ({'QUICK run: a few seconds per workload, NOISY' if quick else 'full run'})\n")
out.append(f"Started {meta.get('started_utc')}, ended {end.get('ended_utc')}; {meta.get('cores')} cores shared by the load generator, "
           f"the servers, PostgreSQL and Redis; load average before {meta.get('load_before')}, after {end.get('load_after')}; "
           f"{meta.get('duration_s')} s measured per workload after {meta.get('warmup_s')} s of warm-up; commit {meta.get('commit')}.\n")
out.append("Ratios: how many times better ours is than the reference (reference / ours for latency, CPU and memory; "
           "ours / reference for rates). Both stacks use the same PostgreSQL 15 cluster (PostgreSQL's default durability: "
           "fsync and synchronous commits on) and the same Redis.\n")

fan = sorted({w for (_, w) in res if w.startswith("fanout-")}, key=lambda w: int(w.split("-")[1]))
if fan:
    out.append("## Fan-out: 10 rooms x 10 members, open loop (latency from the intended send time, every socket)\n")
    out.append(header("workload / figure"))
    for w in fan:
        n = int(w.split("-")[1])
        out.append(f"| **{n:,} deliveries/s offered** | " + " | ".join([""] * (len(stacks) + (len(ours) if "reference" in stacks else 0))) + " |")
        out.append(row("delivered (share of expected)", lambda s: get(s, w, "delivered_ratio"), "", True, 4))
        out.append(row("deliveries/s achieved", lambda s: get(s, w, "deliveries_per_s"), "", True))
        out.append(row("p50 latency", lambda s: get(s, w, "latency_ms", "p50"), " ms", False, 2))
        out.append(row("p99 latency", lambda s: get(s, w, "latency_ms", "p99"), " ms", False, 2))
        out.append(row("max latency", lambda s: get(s, w, "latency_ms", "max"), " ms", False, 1))
        out.append(row("keeping up (not saturated, valid)", lambda s: (get(s, w, "valid") and not get(s, w, "saturated")) if get(s, w, "valid") is not None else None, "", True))
        out.append(row("server CPU (cores)", lambda s: get(s, w, "server", "cpu_cores"), "", False, 2))
        out.append(row("server CPU per delivery", lambda s: cpu_per_delivery_us(s, w), " µs", False))
        out.append(row("server + PG + Redis CPU per delivery", lambda s: cpu_per_delivery_us(s, w, True), " µs", False))
        out.append(row("server peak RSS", lambda s: get(s, w, "server", "peak_rss_mb"), " MB", False))
    out.append("")

http = [w for w in ("history-corpus", "search-corpus", "history", "search") if any(k[1] == w for k in res)]
if http:
    out.append(f"## History and search, {meta.get('concurrency', 8)} clients, closed loop, {meta.get('messages'):,} messages in one room\n")
    out.append("`history-corpus` / `search-corpus`: `hey` on the newest page of the corpus room and on a search over the user's rooms "
               "(1 corpus message in 20 holds the word). `history` / `search`: the load generator's own modes (a new room "
               "with 100 messages sent over REST; search spans the corpus too). The reference's search is a substring scan "
               "(`icontains`, a sequential scan of every message in the user's rooms); ours is full-text (FTS5 on SQLite, "
               "a GIN-indexed tsvector on PostgreSQL): both find the same messages here because the word is a whole word.\n")
    out.append(header("workload / figure"))
    for w in http:
        out.append(f"| **{w}** | " + " | ".join([""] * (len(stacks) + (len(ours) if "reference" in stacks else 0))) + " |")
        out.append(row("requests/s", lambda s: get(s, w, "requests_per_s"), "", True))
        out.append(row("p50 latency", lambda s: get(s, w, "latency_ms", "p50"), " ms", False, 2))
        out.append(row("p99 latency", lambda s: get(s, w, "latency_ms", "p99"), " ms", False, 2))
        out.append(row("all answers 200", lambda s: get(s, w, "valid"), "", True))
        out.append(row("server CPU per request", lambda s: cpu_per_request_ms(s, w), " ms", False, 2))
        out.append(row("server peak RSS", lambda s: get(s, w, "server", "peak_rss_mb"), " MB", False))
    out.append("")

def per_core(s, w):
    d = get(s, w, "deliveries_per_s")
    cores = get(s, w, "server", "cpu_cores")
    return d / cores if d and cores else None


floor_shapes = [w for w in ("floor-1x500", "floor-1x1000", "floor-100x10") if any(k[1] == w for k in res)]
if floor_shapes or ("postgres", "history-sql") in res:
    out.append("## How close to the machine: our stacks against the floors\n")
    out.append("Fan-out floor: a bare ASP.NET Core WebSocket broadcast (`bench/floor`: the same wire protocol, in memory, no "
               "database, no authentication), driven by the same load generator at the same offered rate. Deliveries per "
               "server core = deliveries/s achieved / server CPU cores used; the ratio is ours / floor (the goal is at least "
               "0.70). History floor: the SQL statements our history endpoint runs for the corpus room's newest page, "
               "replayed with `pgbench` at the same concurrency; the ratio is our requests/s / pgbench transactions/s "
               "(the goal is at least 0.50).\n")
    floor_stacks = [s for s in ("floor", "sqlite", "postgres") if any(k[0] == s and k[1] in floor_shapes for k in res)]
    out.append("| shape / figure | " + " | ".join(floor_stacks) + " | ratio, " + " | ratio, ".join(x for x in floor_stacks if x != "floor") + " |")
    out.append("|" + "---|" * (2 * len(floor_stacks)))
    for w in floor_shapes:
        for label, fn, digits in (("delivered (share)", lambda s: get(s, w, "delivered_ratio"), 4),
                                  ("deliveries/s", lambda s: get(s, w, "deliveries_per_s"), 0),
                                  ("p99 latency, ms", lambda s: get(s, w, "latency_ms", "p99"), 2),
                                  ("server CPU, cores", lambda s: get(s, w, "server", "cpu_cores"), 2),
                                  ("deliveries per server core", lambda s: per_core(s, w), 0)):
            vals = {s: fn(s) for s in floor_stacks}
            cells = [fmt(vals[s], "", digits) for s in floor_stacks]
            if label == "deliveries per server core":
                cells += [f"{vals[s] / vals['floor']:.2f}" if vals.get(s) and vals.get("floor") else "-" for s in floor_stacks if s != "floor"]
            else:
                cells += [""] * (len(floor_stacks) - 1)
            out.append(f"| {w}: {label} | " + " | ".join(cells) + " |")
    sql = get("postgres", "history-sql", "requests_per_s")
    ours_history = get("postgres", "history-corpus", "requests_per_s")
    if sql:
        out.append("")
        out.append(f"History on PostgreSQL, {meta.get('concurrency', 8)} clients: our endpoint {fmt(ours_history)} requests/s, "
                   f"the same SQL through pgbench {fmt(sql)} transactions/s: ratio "
                   f"{(ours_history / sql if ours_history else 0):.2f}.")
    out.append("")

out.append("## Memory and start\n")
out.append(header("figure"))
out.append(row("server RSS after start, idle", lambda s: get(s, "idle_0", "server", "rss_mb"), " MB", False))
for w in sorted({w for (_, w) in res if w.startswith("idle-")}, key=lambda w: int(w.split("-")[1])):
    n = int(w.split("-")[1])
    out.append(row(f"server peak RSS, {n:,} open sockets (1 message/s)", lambda s: get(s, w, "server", "peak_rss_mb"), " MB", False))
    out.append(row(f"connect time for {n:,} sockets", lambda s: get(s, w, "connect", "total_s"), " s", False, 2))
out.append(row("server RSS at the end of the run", lambda s: get(s, "after", "server", "rss_mb"), " MB", False))
out.append(row("cold start to the first 200 (a login), wall time", lambda s: get(s, "cold_start", "first_200_ms"), " ms", False, 0))
out.append(row("cold start: server CPU used by then (Daphne only for the reference)", lambda s: get(s, "cold_start", "cpu_ms"), " ms", False, 0))
out.append("")
invalid = [f"{s}/{w}" for (s, w), l in res.items() if l.get("valid") is False]
if invalid:
    out.append("Runs that were not valid (something missing, an error, or no result): " + ", ".join(sorted(invalid)) + ".\n")
print("\n".join(out))
