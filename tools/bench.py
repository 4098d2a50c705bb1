#!/usr/bin/env python3
"""Kassa's benchmark (`make bench`): starts the release build on loopback and
measures it with wrk, then prints a table and writes the same figures to
target/bench.json. It measures; it does not pass or fail. Each figure is
shown beside its budget (issue 7) so a reader sees what is met.

Needs: target/release/kassa and bench-dashboard (make bench builds them), wrk,
and for the PostgreSQL row KASSA_TEST_POSTGRES (make bench runs this under
.ci/with-postgres.sh)."""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DASHBOARD = os.path.join(ROOT, "target/release/bench-dashboard")
SITE = os.path.join(ROOT, "target/site")
CONNECTIONS, THREADS, SECONDS = 32, 2, int(os.environ.get("BENCH_SECONDS", "10"))


class Kassa:
    """A Kassa on a loopback port with fresh demo data, started as
    end2end/starts.json's `bench` entry (or `start`) says (the list of every
    way Kassa is started, each checked alike by end2end/launches/)."""

    def __init__(self, port, database_url=None, start="bench"):
        self.data = tempfile.mkdtemp(prefix=f"kassa-{start}-")
        with open(os.path.join(ROOT, "end2end/starts.json")) as starts:
            entry = next(s for s in json.load(starts)["starts"] if s["name"] == start)
        fill = lambda text: text.replace("{root}", ROOT).replace("{data}", self.data).replace("{addr}", f"127.0.0.1:{port}")
        env = dict(os.environ, **{name: fill(value) for name, value in entry["env"].items()})
        if database_url:
            env["DATABASE_URL"] = database_url
        command = [fill(part) for part in entry["command"]]
        self.proc = subprocess.Popen(command, cwd=os.path.join(ROOT, entry["cwd"]), env=env,
                                     stdout=subprocess.PIPE, text=True)
        out = ""
        try:
            for line in self.proc.stdout:
                out += line
                if "Kassa listening on" in line:
                    break
            self.url = f"http://127.0.0.1:{port}"
            self.key = re.search(r"API key:\s+(sk_test_\w+)", out).group(1)
            self.site = re.search(r"Site id:\s+(site_\w+)", out).group(1)
            self.session = re.search(r"/pay/(cs_\w+)", out).group(1)
        except Exception:
            self.stop()
            raise RuntimeError(f"Kassa did not start as expected; it printed:\n{out}")
        threading.Thread(target=lambda: [None for _ in self.proc.stdout], daemon=True).start()

    def rss_mb(self):
        with open(f"/proc/{self.proc.pid}/status") as status:
            kb = int(re.search(r"VmRSS:\s+(\d+) kB", status.read()).group(1))
        return kb / 1024

    def stop(self):
        self.proc.terminate()
        self.proc.wait()
        # Its database grows by tens of MB a run; leave nothing behind.
        shutil.rmtree(self.data, ignore_errors=True)


def ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url, headers=(), script=None, watch=None):
    """requests/s, p50 and p99 in ms, and non-2xx answers, from one wrk run;
    `watch` (a Kassa) has its resident memory sampled meanwhile."""
    args = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency"]
    for header in headers:
        args += ["-H", header]
    if script:
        args += ["-s", script]
    peak = [0.0]
    done = threading.Event()

    def sample():
        while not done.wait(0.2):
            peak[0] = max(peak[0], watch.rss_mb())

    if watch:
        threading.Thread(target=sample, daemon=True).start()
    out = subprocess.run(args + [url], capture_output=True, text=True, check=True).stdout
    done.set()
    latency = dict(re.findall(r"^\s+(\d+)%\s+([\d.]+(?:us|ms|s))$", out, re.M))
    split = lambda v: re.match(r"([\d.]+)(us|ms|s)", v).groups()
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": ms(*split(latency["50"])),
        "p99_ms": ms(*split(latency["99"])),
        "non_2xx": int(bad.group(1)) if bad else 0,
        "peak_rss_mb": round(peak[0], 1),
    }


def create_script(key, directory):
    path = os.path.join(directory, "create.lua")
    with open(path, "w") as lua:
        lua.write('wrk.method = "POST"\n'
                  'wrk.body = \'{"amount": 2500, "currency": "EUR", "line_items": [{"name": "Espresso beans", '
                  '"quantity": 1, "unit_amount": 2500}]}\'\n'
                  'wrk.headers["Content-Type"] = "application/json"\n'
                  f'wrk.headers["Authorization"] = "Bearer {key}"\n')
    return path


def fetch(url, encoding="br, gzip"):
    """The bytes as served to a browser that accepts brotli, and the headers."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request) as response:
        return response.read(), response.headers


def first_visit(kassa):
    """What a first visit to the hosted page transfers: the page, then the
    files it names, each as served (compressed), with its caching."""
    html, _ = fetch(f"{kassa.url}/pay/{kassa.session}")
    parts = {"html": len(html)}
    text = fetch(f"{kassa.url}/pay/{kassa.session}", "identity")[0].decode()
    for name in ("css", "js", "wasm"):
        path = re.search(rf"/pkg/[\w.]+\.{name}", text).group(0)
        body, headers = fetch(kassa.url + path)
        parts[name] = len(body)
        parts[name + "_url"] = path
        parts[name + "_encoding"] = headers.get("Content-Encoding", "identity")
        parts[name + "_cache"] = headers.get("Cache-Control", "")
    parts["total"] = parts["html"] + parts["css"] + parts["js"] + parts["wasm"]
    parts["wasm_raw"] = os.path.getsize(os.path.join(SITE, "pkg/kassa.wasm"))
    parts["wasm_brotli"] = os.path.getsize(os.path.join(SITE, "pkg/kassa.wasm.br"))
    return parts


def dashboard():
    out = subprocess.run([DASHBOARD], capture_output=True, text=True, check=True).stdout
    rows = {}
    for label, p50, p99 in re.findall(r"^(\S.*?)\s+([\d.]+) ms\s+([\d.]+) ms", out, re.M):
        rows[label] = {"p50_ms": float(p50), "p99_ms": float(p99)}
    counts = re.search(r"tab counts \(all sessions\)\s+([\d.]+) ms", out)
    if counts:
        rows["tab counts (all sessions)"] = {"p50_ms": float(counts.group(1))}
    return rows


def postgres_create(directory):
    admin = os.environ.get("KASSA_TEST_POSTGRES")
    if not admin:
        return None
    subprocess.run(["psql", admin, "-qc", "CREATE DATABASE kassa_bench"], check=True)
    kassa = Kassa(3392, admin.rsplit("/", 1)[0] + "/kassa_bench")
    try:
        return wrk(f"{kassa.url}/v1/checkout/sessions", script=create_script(kassa.key, directory), watch=kassa)
    finally:
        kassa.stop()


def main():
    figures = {"connections": CONNECTIONS, "seconds": SECONDS, "cores": os.cpu_count()}
    with tempfile.TemporaryDirectory() as scratch:
        kassa = Kassa(3391)
        try:
            time.sleep(1)
            figures["rss_idle_mb"] = round(kassa.rss_mb(), 1)
            auth = f"Authorization: Bearer {kassa.key}"
            figures["bare"] = wrk(f"{kassa.url}/healthz", watch=kassa)
            status = f"{kassa.url}/checkout/{kassa.site}/session/{kassa.session}/status"
            figures["status"] = wrk(status, headers=[auth], watch=kassa)
            figures["page"] = wrk(f"{kassa.url}/pay/{kassa.session}", watch=kassa)
            figures["create_sqlite"] = wrk(f"{kassa.url}/v1/checkout/sessions",
                                           script=create_script(kassa.key, scratch), watch=kassa)
            figures["first_visit"] = first_visit(kassa)
            figures["rss_after_mb"] = round(kassa.rss_mb(), 1)
        finally:
            kassa.stop()
        figures["create_postgres"] = postgres_create(scratch)
    figures["dashboard"] = dashboard()
    with open(os.path.join(ROOT, "target/bench.json"), "w") as out:
        json.dump(figures, out, indent=2)
    report(figures)


def report(f):
    rows = []
    ratio = f["status"]["requests_per_s"] / f["bare"]["requests_per_s"]
    rows.append(("bare axum endpoint (/healthz)", f"{f['bare']['requests_per_s']:,.0f} req/s, p50 {f['bare']['p50_ms']:.2f} ms, p99 {f['bare']['p99_ms']:.2f} ms", "", ""))
    rows.append(("status API", f"{f['status']['requests_per_s']:,.0f} req/s, p50 {f['status']['p50_ms']:.2f} ms, p99 {f['status']['p99_ms']:.2f} ms = {ratio:.0%} of bare", ">= 50 % of bare", ratio >= 0.5))
    c = f["create_sqlite"]
    rows.append(("session create (SQLite)", f"{c['requests_per_s']:,.0f} req/s, p99 {c['p99_ms']:.2f} ms", ">= 2,000/s, p99 <= 20 ms", c["requests_per_s"] >= 2000 and c["p99_ms"] <= 20))
    if f["create_postgres"]:
        c = f["create_postgres"]
        rows.append(("session create (PostgreSQL)", f"{c['requests_per_s']:,.0f} req/s, p99 {c['p99_ms']:.2f} ms", "(reported)", ""))
    p = f["page"]
    rows.append(("hosted page (server-rendered)", f"{p['requests_per_s']:,.0f} pages/s, p99 {p['p99_ms']:.2f} ms", ">= 3,000 pages/s", p["requests_per_s"] >= 3000))
    for label, d in f["dashboard"].items():
        rows.append((f"dashboard, 1M sessions: {label}", f"p50 {d['p50_ms']:.3f} ms", "<= 10 ms p50", d["p50_ms"] <= 10))
    v = f["first_visit"]
    rows.append(("hosted page first visit (as served)", f"{v['total']:,} B: HTML {v['html']:,} + CSS {v['css']:,} + JS {v['js']:,} + WASM {v['wasm']:,} ({v['wasm_encoding']})", "<= 150 KB", v["total"] <= 150_000))
    cached = all("immutable" in v[n + "_cache"] and re.search(r"\.[0-9a-f]{16}\.", v[n + "_url"]) and v[n + "_encoding"] == "br" for n in ("css", "js", "wasm"))
    rows.append(("static assets", f"hashed names, brotli, Cache-Control: {v['wasm_cache']}", "precompressed, hashed, long-cached", bool(cached)))
    rows.append(("WASM", f"{v['wasm_raw']:,} B raw, {v['wasm_brotli']:,} B brotli", "<= 100 KB compressed", v["wasm_brotli"] <= 100_000))
    peak = max(f[k]["peak_rss_mb"] for k in ("bare", "status", "page", "create_sqlite"))
    rows.append(("resident memory", f"idle {f['rss_idle_mb']} MB, peak under load {peak} MB", "<= 100 MB under load", peak <= 100))
    width = max(len(r[0]) for r in rows)
    print(f"\nKassa benchmark: wrk, {CONNECTIONS} connections, {SECONDS} s a run, {f['cores']} cores, loopback\n")
    for name, value, budget, met in rows:
        mark = "" if met == "" else ("met" if met else "NOT MET")
        print(f"{name:<{width}}  {value:<75} {budget:<26} {mark}")
    print("\nThe same figures: target/bench.json")


if __name__ == "__main__":
    sys.exit(main())
