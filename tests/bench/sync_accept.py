#!/usr/bin/env python3
"""The mock national portal's own accept rate (issue 17 benchmark ceiling):
EVENTS records of the shape `motcua seed --sync-backlog` queues, 10 per
dossier, posted straight to POST /api/v1/sync in calls of BATCH records, one
call at a time as the delivery worker makes them. Standard library only.

    python3 tests/bench/sync_accept.py MOCK_URL SYNC_SECRET EVENTS BATCH
"""
import base64
import json
import random
import sys
import time
import urllib.parse
import urllib.request

mock, secret, events, batch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
basic = base64.b64encode(f"motcua-sync-demo:{secret}".encode()).decode()
req = urllib.request.Request(f"{mock}/oauth2/token", data=b"grant_type=client_credentials",
                             headers={"Authorization": f"Basic {basic}",
                                      "Content-Type": "application/x-www-form-urlencoded"})
token = json.load(urllib.request.urlopen(req))["access_token"]
stamp = time.strftime("%Y%m%d%H%M%S")
tag = random.randrange(1_000_000)


def dossier(code, seq):
    return {"MaHoSo": code, "MaTTHC": "1.004227", "TenTTHC": "Cấp thẻ nhà báo", "MaLinhVuc": "BAOCHI",
            "KenhThucHien": 2, "ChuHoSo": "Nguyễn Văn An", "LoaiDoiTuong": 1, "SoGiayToChuHoSo": "001090012345",
            "TrangThaiHoSo": 1 if seq == 1 else 4, "NgayNopHoSo": stamp, "NgayTiepNhan": stamp if seq > 1 else "",
            "NgayHenTra": "", "TaiLieuNop": [], "DanhSachLePhi": [], "DanhSachHoSoBoSung": [],
            "DanhSachGiayToKetQua": [], "SoThuTuCapNhat": seq}


def step(code, seq):
    return {"MaHoSo": code, "NguoiXuLy": "Cán bộ thử tải", "ThoiDiemXuLy": stamp, "TrangThai": 4,
            "NoiDungXuLy": "Thẩm định hồ sơ", "SoThuTuCapNhat": seq}


def call(service, data):
    body = json.dumps({"service": service, "isUpdating": True, "data": data}).encode()
    r = urllib.request.Request(f"{mock}/api/v1/sync", data=body,
                               headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    answer = json.load(urllib.request.urlopen(r))
    assert all(x["error_code"] == 0 for x in answer["ket_qua"]), answer["message"]


dossiers = events // 10
sent = 0
started = time.time()
# As the worker rounds go: each dossier's next event, a call per service, BATCH records a call.
for k in range(10):
    service, make = ("DongBoHoSoMC", dossier) if k % 2 == 0 else ("CapNhatTienDoHoSoMC", step)
    seq = k // 2 + 1
    for first in range(0, dossiers, batch):
        data = [make(f"ACCEPT-{tag:06}-{d:07}", seq) for d in range(first, min(first + batch, dossiers))]
        call(service, data)
        sent += len(data)
elapsed = time.time() - started
print(f"{sent} records in {elapsed * 1000:.0f} ms — {sent / elapsed:.0f} records/s")
