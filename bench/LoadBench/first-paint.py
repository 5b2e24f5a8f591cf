#!/usr/bin/env python3
"""What cold opens' renderers did before their first contentful paint, from LoadBench's --browser-trace FILE.

For each traced open (FILE-1.json, FILE-2.json, …): when the HTML arrived, when the last style sheet arrived, the first
contentful paint, and the renderer main thread's time before that paint by phase — HTML parse, style sheet parse,
script, DOMContentLoaded, style, layout, paint, compositing commit — then the median of each over the opens. The main thread's idle time
is what the renderer waited for (network, the server, other processes' CPU on a loaded machine).
    python3 bench/LoadBench/first-paint.py /tmp/open-*.json [--detail]   (--detail: the first file's long events)
"""
import json
import statistics
import sys

PHASES = [  # (column, trace event): Blink's own phase timers and the parser/script events, none nested in another
    ("HTML parse", "ParseHTML"),
    ("CSS parse", "ParseAuthorStyleSheet"),
    ("script", "PendingScript::ExecuteScriptBlock"),
    ("DCL", "Document::FinishedParsing"),   # DOMContentLoaded's handlers (Blazor's start), deferred and module scripts
    ("style", "Blink.Style.UpdateTime"),
    ("layout", "Blink.Layout.UpdateTime"),
    ("paint", "Blink.Paint.UpdateTime"),
    ("commit", "Blink.CompositingCommit.UpdateTime"),
]


def summarize(path, detail=False):
    with open(path, encoding="utf-8") as f:
        raw = json.load(f)
    events = raw["traceEvents"] if isinstance(raw, dict) else raw
    # The browser's page-load metric spans the navigation's start to the first contentful paint (begin/end events).
    span = sorted(e["ts"] for e in events if e.get("name") == "PageLoadMetrics.NavigationToFirstContentfulPaint")
    fcp = next((e for e in events if e.get("name") == "firstContentfulPaint"), None)
    if len(span) < 2 or fcp is None:
        return None
    nav, end = span[0], span[-1]
    pid, tid = fcp["pid"], fcp["tid"]
    main = [e for e in events if e.get("ph") == "X" and e["pid"] == pid and e["tid"] == tid and "dur" in e]
    row = {"FCP": (end - nav) / 1000}

    def before_fcp(e):
        return max(0.0, (min(e["ts"] + e["dur"], end) - max(e["ts"], nav)) / 1000)

    for column, name in PHASES:
        row[column] = sum(before_fcp(e) for e in main if e["name"] == name)
    row["busy"] = sum(before_fcp(e) for e in main if e["name"] == "RunTask")
    commits = sorted(e["ts"] for e in main if e["name"] == "DocumentLoader::CommitNavigation")
    row["HTML in"] = (commits[-1] - nav) / 1000 if commits else float("nan")
    css = [e["args"]["data"]["requestId"] for e in events
           if e.get("name") == "ResourceSendRequest" and e["pid"] == pid and e["args"]["data"]["url"].split("?")[0].endswith(".css")]
    finishes = [e["ts"] for e in events if e.get("name") == "ResourceFinish" and e["pid"] == pid and e["args"]["data"]["requestId"] in css]
    row["CSS in"] = (max(finishes) - nav) / 1000 if finishes else float("nan")
    if detail:
        print(f"{path}: main-thread events of 1.5 ms or more before the first paint (start ms, ms):")
        stack = []
        for e in sorted(main, key=lambda e: (e["ts"], -e["dur"])):
            while stack and stack[-1] <= e["ts"]:
                stack.pop()
            depth = len(stack)
            stack.append(e["ts"] + e["dur"])
            if e["dur"] >= 1500 and depth <= 4 and nav - 5000 <= e["ts"] <= end:
                data = (e.get("args") or {}).get("data") or {}
                what = (data.get("url") or data.get("styleSheetUrl") or "") if isinstance(data, dict) else ""
                print(f"  {(e['ts'] - nav) / 1000:7.1f} {e['dur'] / 1000:6.1f} {'  ' * depth}{e['name']} {what.rsplit('/', 1)[-1]}")
    return row


files = [a for a in sys.argv[1:] if not a.startswith("--")]
rows = []
for i, path in enumerate(files):
    row = summarize(path, detail="--detail" in sys.argv and i == 0)
    if row is not None:
        rows.append(row)
if not rows:
    sys.exit("no first contentful paint in these traces")
columns = ["HTML in", "CSS in", "FCP", "busy"] + [c for c, _ in PHASES]
print("| open | " + " | ".join(columns) + " |")
print("|---" * (len(columns) + 1) + "|")
for i, row in enumerate(rows, 1):
    print(f"| {i} | " + " | ".join(f"{row[c]:.0f}" for c in columns) + " |")
print("| **median** | " + " | ".join(f"**{statistics.median(r[c] for r in rows):.0f}**" for c in columns) + " |")
