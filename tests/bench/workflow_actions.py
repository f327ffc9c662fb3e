#!/usr/bin/env python3
"""Workflow actions benchmark (issue 5): workflow steps per second over HTTP.

DOSSIERS auto-received dossiers of procedure 1.004236 are submitted first
(not measured). Then WORKERS threads each take their share of the dossiers:
the reception officer sends each for appraisal, and until the time is up
the specialist submits it for approval and the leader sends it back, over
and over: each POST /can-bo/ho-so/{id}/xu-ly/{action} is one workflow step
(engine decision, version-checked update, history entry, step deadline on
the office calendar, least-loaded assignment, next-handler notices).
Standard library only.

    python3 tests/bench/workflow_actions.py PORTAL_URL PORTAL_PID [WORKERS] [SECONDS] [DOSSIERS]
"""
import json
import os
import re
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from submissions import client, cpu_seconds, cpu_shares, fetch, multipart as submission_multipart, sign_in  # noqa: E402
from submissions import run_loadgen, session_of  # noqa: E402

PASSWORD = "motcua-demo"


def official(portal, username):
    opener = client()
    _, _, page = fetch(opener, f"{portal}/can-bo/dang-nhap")
    csrf = re.search(rb'name="_csrf" value="([^"]+)"', page).group(1).decode()
    body = urllib.parse.urlencode({"username": username, "password": PASSWORD, "next": "/can-bo", "_csrf": csrf}).encode()
    status, _, _ = fetch(opener, f"{portal}/can-bo/dang-nhap", data=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 303, (username, status)
    _, _, page = fetch(opener, f"{portal}/can-bo")
    csrf = re.search(rb'name="_csrf" value="([^"]+)"', page).group(1).decode()
    return opener, csrf


def sql_statements(headers):
    """The SQL statements behind a response, from Server-Timing (MOTCUA_SERVER_TIMING=on)."""
    value = headers.get("Server-Timing", "") if headers else ""
    match = re.search(r'desc="(\d+) SQL', value)
    return int(match.group(1)) if match else None


def form(fields):
    boundary = "motcua-bench-step"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields]
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def step(portal, who, dossier, action, version, extra, latencies, errors):
    opener, csrf = who
    body, content_type = form([("_csrf", csrf), ("version", str(version))] + extra)
    started = time.monotonic()
    status, headers, answer = fetch(opener, f"{portal}/can-bo/ho-so/{dossier}/xu-ly/{action}", data=body,
                                    headers={"Content-Type": content_type}, method="POST")
    if status == 303:
        latencies.append(time.monotonic() - started)
        STATEMENTS.append(sql_statements(headers))
        return True
    errors.append((status, answer[:200]))
    return False


def submit_all(portal, count):
    opener, csrf = sign_in(portal)
    body, content_type = submission_multipart([("file.1", "to-khai.pdf", b"%PDF-1.7\n% a\n%%EOF"),
                                               ("file.2", "xac-nhan.pdf", b"%PDF-1.7\n% b\n%%EOF")])
    ids = []
    for n in range(count):
        headers = {"Content-Type": content_type, "X-CSRF-Token": csrf, "Idempotency-Key": f"steps-{n}"}
        status, _, answer = fetch(opener, f"{portal}/api/v1/dossiers", data=body, headers=headers, method="POST")
        assert status == 201, (status, answer[:300])
        ids.append(json.loads(answer)["id"])
    return ids


def pay_at_counter(portal, who, dossier):
    """The fee of 1.004236 is due before reception: reception records it paid at the counter."""
    opener, csrf = who
    body = urllib.parse.urlencode({"_csrf": csrf, "receipt_no": f"BL-{dossier[:12]}"}).encode()
    status, _, answer = fetch(opener, f"{portal}/can-bo/ho-so/{dossier}/thu-phi", data=body,
                              headers={"Content-Type": "application/x-www-form-urlencoded"}, method="POST")
    assert status == 303, (status, answer[:300])


def version_of(portal, who, dossier):
    _, _, page = fetch(who[0], f"{portal}/can-bo/ho-so/{dossier}")
    return int(re.search(rb'name="version" value="(\d+)"', page).group(1))


def prepare(portal, reception, dossiers, versions, errors):
    """Pays each dossier's fee and sends it to appraisal (not timed): the Rust generator takes the steps after."""
    for d in dossiers:
        pay_at_counter(portal, reception, d)
        v = version_of(portal, reception, d)
        if step(portal, reception, d, "chuyen_tham_dinh", v, [], [], errors):
            versions.append({"id": d, "version": v + 1})


def worker(portal, officials, dossiers, deadline, latencies, errors):
    reception, specialist, leader = officials
    versions = {}
    for d in dossiers:
        pay_at_counter(portal, reception, d)
        v = version_of(portal, reception, d)
        if step(portal, reception, d, "chuyen_tham_dinh", v, [], latencies, errors):
            versions[d] = v + 1
    turn = 0
    while time.monotonic() < deadline and versions:
        for d in list(versions):
            if time.monotonic() >= deadline:
                break
            if turn % 2 == 0:
                ok = step(portal, specialist, d, "trinh_phe_duyet", versions[d], [("note", "Đủ điều kiện")], latencies, errors)
            else:
                ok = step(portal, leader, d, "tra_lai_tham_dinh", versions[d], [("reason", "Xem lại hồ sơ")], latencies, errors)
            if ok:
                versions[d] += 1
            else:
                del versions[d]
        turn += 1


def main():
    portal, pid = sys.argv[1], int(sys.argv[2])
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 30
    count = int(sys.argv[5]) if len(sys.argv) > 5 else 400
    ids = submit_all(portal, count)
    officials = [official(portal, u) for u in ("tiepnhan", "chuyenvien", "lanhdao")]
    if os.environ.get("LOADGEN"):
        versions, errors = [], []
        threads = [threading.Thread(target=prepare, args=(portal, officials[0], ids[i::workers], versions, errors))
                   for i in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors[:3]
        run_loadgen({"mode": "workflow", "portal": portal, "pid": pid, "workers": workers, "seconds": seconds,
                     "specialist": session_of(*officials[1]), "leader": session_of(*officials[2]),
                     "dossiers": sorted(versions, key=lambda d: ids.index(d["id"]))})
        return
    latencies, errors = [], []
    deadline = time.monotonic() + seconds
    started = time.monotonic()
    since = (cpu_seconds(), cpu_seconds(pid))
    threads = [threading.Thread(target=worker, args=(portal, officials, ids[i::workers], deadline, latencies, errors))
               for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")
    with open(f"/proc/{pid}/status") as f:
        rss = next((int(l.split()[1]) for l in f if l.startswith("VmHWM:")), 0)
    print(json.dumps({
        "workers": workers, "dossiers": count, "actions": len(latencies), "errors": len(errors),
        "seconds": round(elapsed, 1), "per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(pick(0.50), 1), "p99_ms": round(pick(0.99), 1), "peak_rss_mib": round(rss / 1024, 1),
        "sql_per_request": mean_statements(), **cpu_shares(pid, since, elapsed), "generator": "python",
        "first_errors": [f"{s} {b!r}" for s, b in errors[:3]],
    }))

STATEMENTS = []


def mean_statements():
    counted = [n for n in STATEMENTS if n is not None]
    return round(sum(counted) / len(counted), 1) if counted else None


if __name__ == "__main__":
    main()
