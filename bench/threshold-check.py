#!/usr/bin/env python3
"""Threshold check cost, before/after in one run (docs/performance.md §10).

Times `rulesbilling simulate` of one customer's month with N outcomes and a threshold schedule, for two builds of the
CLI (a baseline and this branch), alternated round by round so machine load drifts hit both alike, and checks that
both print the same JSON (the same invoices). Usage:
  bench/threshold-check.py BASE.dll NEW.dll [--sizes 500,1000,2000] [--rounds 3]
"""
import json, os, subprocess, sys, tempfile, time

RULES = """event task.done {
  task_id: string
  units: integer
}

outcome task from task.done {
  key task_id
  quantity units
}

pricing metered {
  base 50 USD
  charge task {
    graduated {
      up to 1000 at 0.02 USD
      rest at 0.01 USD
    }
  }
}

contract plan version 1 effective 2026-01-01 {
  customers "acme"
  pricing metered
  thresholds 5 USD, 15 USD then every 25 USD
}
"""

def events(n):
    lines = []
    for i in range(n):
        second = i * (27 * 86400) // n  # spread over March 1..28
        day, rest = divmod(second, 86400)
        t = f"2026-03-{1 + day:02d}T{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}Z"
        lines.append(json.dumps({"specversion": "1.0", "id": f"e{i}", "source": "agent", "type": "task.done",
                                 "subject": "acme", "time": t, "data": {"task_id": f"e{i}", "units": 1}}))
    return "\n".join(lines) + "\n"

def run(dll, rules, path):
    start = time.perf_counter()
    out = subprocess.run(["dotnet", dll, "simulate", "--rules", rules, "--events", path, "--format", "json"],
                         capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - start, out

def main():
    base, new = sys.argv[1], sys.argv[2]
    args = sys.argv[3:]
    sizes = [int(s) for s in (args[args.index("--sizes") + 1] if "--sizes" in args else "500,1000,2000").split(",")]
    rounds = int(args[args.index("--rounds") + 1]) if "--rounds" in args else 3
    with tempfile.TemporaryDirectory() as folder:
        rules = os.path.join(folder, "thresholds.rules")
        open(rules, "w").write(RULES)
        print(f"load average: {open('/proc/loadavg').read().strip()}")
        print("| outcomes | baseline (s, median) | this branch (s, median) | ratio | same JSON | threshold invoices |")
        print("|---|---|---|---|---|---|")
        for n in sizes:
            path = os.path.join(folder, f"events-{n}.jsonl")
            open(path, "w").write(events(n))
            times = {base: [], new: []}
            outputs = {}
            for r in range(rounds):
                for dll in ((base, new) if r % 2 == 0 else (new, base)):
                    seconds, out = run(dll, rules, path)
                    times[dll].append(seconds)
                    outputs[dll] = out
            med = lambda xs: sorted(xs)[len(xs) // 2]
            documents = sum(1 for i in json.loads(outputs[new])["invoices"] if "threshold" in i)
            print(f"| {n} | {med(times[base]):.2f} | {med(times[new]):.2f} | {med(times[base]) / med(times[new]):.1f}× "
                  f"| {'yes' if outputs[base] == outputs[new] else 'NO'} | {documents} |")
        print(f"load average: {open('/proc/loadavg').read().strip()}")

main()
