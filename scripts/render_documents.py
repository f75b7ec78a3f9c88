#!/usr/bin/env python3
"""Issues one document of every type on a fresh demo store, downloads each Word file and
converts it to PDF with LibreOffice (and the first page to PNG when poppler's pdftoppm is
installed; every page of the 行政处罚决定书 and the 责令限期整改指令书) so a person can look at
them. The 行政处罚决定书 is served first, so its 送达回证 is filled in; the 指令书's is blank.

Usage: scripts/render_documents.py [OUT_DIR]   (needs a built `target/debug/anjian` or
`target/release/anjian`, and `soffice`: apt-get install libreoffice-writer-nogui)
"""
import json, os, pathlib, shutil, subprocess, sys, tempfile, time, urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "target/documents").resolve()
# The most recently built binary (a stale release build would lack newer endpoints).
BIN = max((p for p in [ROOT / "target/release/anjian", ROOT / "target/debug/anjian"] if p.exists()),
          key=lambda p: p.stat().st_mtime, default=None)
if BIN is None or not shutil.which("soffice"):
    sys.exit("need target/*/anjian (cargo build) and soffice (libreoffice-writer-nogui)")
PORT = 18000 + os.getpid() % 1000
BASE = f"http://127.0.0.1:{PORT}/api/v1"


def call(method, path, token=None, body=None, raw=False):
    req = urllib.request.Request(BASE + path, method=method)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, data) as r:
            b = r.read()
            return b if raw else json.loads(b)
    except urllib.error.HTTPError as e:
        sys.exit(f"{method} {req.full_url}: {e.code} {e.read().decode()}")


tmp = tempfile.mkdtemp(prefix="anjian-docs-")
server = subprocess.Popen(
    [str(BIN), "serve", "--demo", "--db", f"sqlite://{tmp}/d.sqlite", "--listen", f"127.0.0.1:{PORT}"],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz")
            break
        except Exception:
            time.sleep(0.5)
    tok = call("POST", "/auth/login", body={"username": "zhifa", "password": "anjian2022"})["token"]
    h = call("GET", "/hazards?limit=1&sector=hazchem", tok)["items"][0]
    ent = h["enterprise_id"]
    today = time.strftime("%Y-%m-%d")
    insp = call("POST", "/inspections", tok, {"enterprise_id": ent, "sector": "hazchem", "kind": "routine",
                "enforcement": True, "inspected_on": today, "inspectors": ["杨帆", "钟敏"],
                "findings": ["储罐区防火堤有裂缝", "未按规定开展特殊作业审批"]})
    case = call("POST", "/cases", tok, {"officers": ["杨帆", "钟敏"], "procedure": "general", "party_kind": "organisation", "party_name": h.get("enterprise_name") or "当事人",
                "enterprise_id": ent, "fine_yuan": 30000, "facts": "未按规定对重大危险源进行监测监控", "legal_basis": "《安全生产法》第一百零一条"})
    simple = call("POST", "/cases", tok, {"officers": ["杨帆", "钟敏"], "procedure": "simple", "party_kind": "organisation", "party_name": h.get("enterprise_name") or "当事人",
                  "enterprise_id": ent, "fine_yuan": 2000, "facts": "未按规定设置安全警示标志", "legal_basis": "《安全生产法》第九十九条"})
    plan = [("inspection_record", "inspection", insp["id"]), ("rectification_order", "hazard", h["id"]),
            ("recheck_opinion", "hazard", h["id"]), ("onsite_measure", "inspection", insp["id"]),
            ("case_register", "case", case["id"]), ("penalty_notice", "case", case["id"]),
            ("hearing_notice", "case", case["id"]), ("penalty_decision", "case", case["id"]),
            ("case_close", "case", case["id"]), ("simple_decision", "case", simple["id"])]
    OUT.mkdir(parents=True, exist_ok=True)
    files = []
    for doc_type, entity, eid in plan:
        d = call("POST", "/documents", tok, {"doc_type": doc_type, "entity": entity, "entity_id": eid})
        if doc_type == "penalty_decision":
            call("POST", f"/documents/{d['id']}/service", tok,
                 {"served_on": today, "served_to": "王建国（法定代表人）", "method": "直接送达", "place": "当事人生产经营场所"})
        f = OUT / f"{doc_type}.docx"
        f.write_bytes(call("GET", f"/documents/{d['id']}/docx", tok, raw=True))
        files.append(f)
        print(d["doc_no"], f.name)
    f = OUT / "inspection_record_full.docx"
    f.write_bytes(call("GET", f"/inspections/{insp['id']}/record", tok, raw=True))
    files.append(f)
    admin = call("POST", "/auth/login", body={"username": "yingji", "password": "anjian2022"})["token"]
    f = OUT / "draw_publicity.docx"
    f.write_bytes(call("GET", "/draws/1/publicity", admin, raw=True))
    files.append(f)
finally:
    server.terminate()
    server.wait()
    shutil.rmtree(tmp, ignore_errors=True)

r = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(OUT)] + [str(f) for f in files],
                   capture_output=True, text=True)
if r.returncode != 0:
    sys.exit(r.stderr)
if shutil.which("pdftoppm"):  # poppler-utils: first page of each as PNG
    for f in files:
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                        str(f.with_suffix(".pdf")), str(f.with_suffix(""))], check=True)
        if f.stem in ("penalty_decision", "rectification_order"):
            subprocess.run(["pdftoppm", "-png", "-r", "80", str(f.with_suffix(".pdf")), str(OUT / f"{f.stem}-page")], check=True)
missing = [f.name for f in files if not f.with_suffix(".pdf").exists() or f.with_suffix(".pdf").stat().st_size == 0]
if missing:
    sys.exit(f"not converted: {missing}")
print(f"{len(files)} documents converted in {OUT}")
