#!/usr/bin/env python3
"""Instructions per request (issue 21): a figure that does not move with the
load on a shared machine, beside the wall-clock benchmarks. The portal runs
under valgrind's callgrind (tests/bench/instructions.sh); this script sets
up what each request needs, zeroes callgrind's counters, sends COUNT
requests of one kind one after another, dumps the counters and divides the
instructions the portal process executed (all its threads) by COUNT. The
database server's own work is not in the figure (PostgreSQL runs apart).
Standard library only.

    python3 tests/bench/instructions.py PORTAL_URL PORTAL_PID OUT_DIR [COUNT]
"""
import glob
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from submissions import client, fetch, multipart, pdf, sign_in  # noqa: E402
import workflow_actions  # noqa: E402
from workflow_actions import official, pay_at_counter, version_of  # noqa: E402


def instructions(pid, out_dir, work, count):
    """Instructions per call of `work` (COUNT calls), from a callgrind dump."""
    subprocess.run(["callgrind_control", "-z", str(pid)], check=True, capture_output=True)
    for n in range(count):
        work(n)
    before = set(glob.glob(f"{out_dir}/callgrind.out.*"))
    subprocess.run(["callgrind_control", "-d", str(pid)], check=True, capture_output=True)
    for _ in range(100):
        new = set(glob.glob(f"{out_dir}/callgrind.out.*")) - before
        if new:
            break
        time.sleep(0.1)
    dump = max(new, key=os.path.getmtime)
    time.sleep(0.5)
    with open(dump) as f:
        total = next(int(line.split()[1]) for line in f if line.startswith(("summary:", "totals:")))
    return total // count


def main():
    portal, pid, out_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 20
    anonymous = client()

    def get(path):
        def work(_):
            status, _, _ = fetch(anonymous, f"{portal}{path}")
            assert status == 200, (path, status)
        return work

    results = {}
    for name, path in [("static file", "/static/css/site.css"),
                       ("API search", "/api/v1/procedures?q=giay+phep"),
                       ("API procedure", "/api/v1/procedures/1.004227"),
                       ("catalogue page search", "/thu-tuc?q=giay+phep"),
                       ("procedure page", "/thu-tuc/1.004227")]:
        get(path)(0)
        results[name] = instructions(pid, out_dir, get(path), count)

    applicant, csrf = sign_in(portal)
    body, content_type = multipart([("file.1", "to-khai.pdf", pdf("a")), ("file.2", "xac-nhan.pdf", pdf("b"))])
    ids = []

    def submission(n):
        headers = {"Content-Type": content_type, "X-CSRF-Token": csrf, "Idempotency-Key": f"instructions-{n}"}
        status, _, answer = fetch(applicant, f"{portal}/api/v1/dossiers", data=body, headers=headers, method="POST")
        assert status == 201, (status, answer[:300])
        ids.append(json.loads(answer)["id"])

    submission(count)
    results["online submission, two 200 KB files"] = instructions(pid, out_dir, submission, count)

    reception, specialist, leader = (official(portal, u) for u in ("tiepnhan", "chuyenvien", "lanhdao"))
    versions = {}
    for d in ids[:count]:
        pay_at_counter(portal, reception, d)
        v = version_of(portal, reception, d)
        assert step(portal, reception, d, "chuyen_tham_dinh", v, [])
        versions[d] = v + 1

    def workflow(n):
        d = ids[n % count]
        who, action, extra = ((specialist, "trinh_phe_duyet", [("note", "Đủ điều kiện")]) if n < count
                              else (leader, "tra_lai_tham_dinh", [("reason", "Xem lại hồ sơ")]))
        assert step(portal, who, d, action, versions[d], extra), (action, d)
        versions[d] += 1

    results["workflow step"] = instructions(pid, out_dir, workflow, 2 * count)
    print(json.dumps({"count": count, "instructions_per_request": results}, ensure_ascii=False))



def step(portal, who, dossier, action, version, extra):
    """workflow_actions.step, its latencies and errors not kept."""
    return workflow_actions.step(portal, who, dossier, action, version, extra, [], [])

if __name__ == "__main__":
    main()
