#!/usr/bin/env python3
"""Dossier submission benchmark (issue 4): submissions per second through
POST /api/v1/dossiers, each a multipart request with two 200 KB PDFs, from
WORKERS signed-in applicants at once; latency percentiles; the portal's
peak memory (VmHWM). Standard library only.

    python3 tests/bench/submissions.py PORTAL_URL PORTAL_PID [WORKERS] [SECONDS]
"""
import http.cookiejar
import json
import os
import re
import sys
import threading
import time
import urllib.parse
import urllib.request

PROCEDURE = "1.004236"  # two required documents, received automatically
FORM = {
    "ho_ten": "Nguyễn Văn An", "so_dinh_danh": "001090012345", "ngay_sinh": "05/09/1990",
    "dia_chi": "Số 1 phố Tràng Tiền, Hà Nội", "dien_thoai": "0912345678", "email": "an.nguyen@example.vn",
}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def client():
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    opener.jar = jar
    return opener


def session_of(opener, csrf):
    """A signed-in session as the Rust load generator takes it."""
    return {"cookie": "; ".join(f"{c.name}={c.value}" for c in opener.jar), "csrf": csrf}


def run_loadgen(plan):
    """Hands the timed load to the Rust generator (LOADGEN, examples/loadgen.rs); its figures on stdout."""
    import subprocess
    import tempfile
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(plan, f)
    try:
        out = subprocess.run([os.environ["LOADGEN"], f.name], check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(f.name)
    print(out.strip())


def fetch(opener, url, data=None, headers=None, method=None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with opener.open(request, timeout=120) as res:
            return res.status, res.headers, res.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def sql_statements(headers):
    """The SQL statements behind a response, from Server-Timing (MOTCUA_SERVER_TIMING=on)."""
    value = headers.get("Server-Timing", "") if headers else ""
    match = re.search(r'desc="(\d+) SQL', value)
    return int(match.group(1)) if match else None


def sign_in(portal):
    opener = client()
    status, headers, _ = fetch(opener, f"{portal}/dang-nhap/dvcqg?next=/tai-khoan")
    assert status == 303, status
    status, _, page = fetch(opener, headers["Location"])
    assert status == 200, status
    request_id = re.search(rb'name="request_id" value="([^"]+)"', page).group(1).decode()
    login = headers["Location"].split("/oauth2/")[0] + "/authenticationendpoint/login"
    body = urllib.parse.urlencode({"request_id": request_id, "identity": "nguyen-van-an"}).encode()
    status, headers, _ = fetch(opener, login, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status in (302, 303), status
    status, _, _ = fetch(opener, headers["Location"])
    assert status == 303, status
    _, _, page = fetch(opener, f"{portal}/can-bo/dang-nhap")
    csrf = re.search(rb'name="_csrf" value="([^"]+)"', page).group(1).decode()
    return opener, csrf


def pdf(tag):
    head = f"%PDF-1.7\n% {tag}\n".encode()
    return head + b"x" * (200 * 1024 - len(head) - 6) + b"\n%%EOF"


def multipart(files):
    boundary = "motcua-bench-boundary"
    parts = []
    for name, value in (("procedure", PROCEDURE), ("form", json.dumps(FORM, ensure_ascii=False))):
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for field, filename, content in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def worker(portal, index, deadline, latencies, errors):
    opener, csrf = sign_in(portal)
    body, content_type = multipart([("file.1", "to-khai.pdf", pdf(f"a{index}")), ("file.2", "xac-nhan.pdf", pdf(f"b{index}"))])
    n = 0
    while time.monotonic() < deadline:
        n += 1
        headers = {"Content-Type": content_type, "X-CSRF-Token": csrf, "Idempotency-Key": f"bench-{index}-{n}"}
        started = time.monotonic()
        status, answered, answer = fetch(opener, f"{portal}/api/v1/dossiers", data=body, headers=headers, method="POST")
        elapsed = time.monotonic() - started
        if status == 201:
            latencies.append(elapsed)
            STATEMENTS.append(sql_statements(answered))
        else:
            errors.append((status, answer[:200]))


def cpu_seconds(pid=None):
    """CPU time (user + system) of this process (all its threads), or of process `pid`."""
    if pid is None:
        t = os.times()
        return t.user + t.system
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_shares(pid, since, elapsed):
    """Each side's CPU over the run, in % of one core: the load generator shares the machine's cores."""
    mine, portal = cpu_seconds(), cpu_seconds(pid)
    return {"generator_cpu_pct": round(100 * (mine - since[0]) / elapsed), "portal_cpu_pct": round(100 * (portal - since[1]) / elapsed)}


def peak_memory_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def main():
    portal, pid = sys.argv[1], int(sys.argv[2])
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 30
    if os.environ.get("LOADGEN"):
        import tempfile
        sessions = [session_of(*sign_in(portal)) for _ in range(workers)]
        body, content_type = multipart([("file.1", "to-khai.pdf", pdf("a0")), ("file.2", "xac-nhan.pdf", pdf("b0"))])
        with tempfile.NamedTemporaryFile(suffix=".multipart", delete=False) as f:
            f.write(body)
        try:
            run_loadgen({"mode": "submissions", "portal": portal, "pid": pid, "workers": workers, "seconds": seconds,
                         "sessions": sessions, "body_file": f.name, "content_type": content_type})
        finally:
            os.unlink(f.name)
        return
    latencies, errors = [], []
    deadline = time.monotonic() + seconds
    started = time.monotonic()
    since = (cpu_seconds(), cpu_seconds(pid))
    threads = [threading.Thread(target=worker, args=(portal, i, deadline, latencies, errors)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000 if latencies else float("nan")
    print(json.dumps({
        "workers": workers, "submitted": len(latencies), "errors": len(errors), "seconds": round(elapsed, 1),
        "per_second": round(len(latencies) / elapsed, 1), "p50_ms": round(pick(0.50), 1), "p99_ms": round(pick(0.99), 1),
        "peak_rss_mib": round(peak_memory_kib(pid) / 1024, 1),
        "sql_per_request": mean_statements(), **cpu_shares(pid, since, elapsed), "generator": "python",
        "first_errors": [f"{s} {b!r}" for s, b in errors[:3]],
    }))

STATEMENTS = []


def mean_statements():
    counted = [n for n in STATEMENTS if n is not None]
    return round(sum(counted) / len(counted), 1) if counted else None


if __name__ == "__main__":
    main()
