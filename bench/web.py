"""Web benchmark (`make bench-web`): gunicorn on PostgreSQL with the scale data, wrk on loopback.

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/scale .venv/bin/python bench/web.py

1. Brings the database to the migrations' head and, if it has no scale data yet, makes it with
   `flask seed-scale --sites BENCH_SITES --years BENCH_YEARS` (default 10 x 10; a few minutes).
2. Starts gunicorn (2 workers, like deploy/Procfile) serving bench/wsgi.py: the app plus /bench/minimal.
3. For each page of the mix (the same pages as the query-budget test) and the minimal endpoint, runs
   wrk with 8 connections for BENCH_SECONDS (default 10; BENCH_PAGES=ticket,booking for a few pages)
   after a short warm-up, as the leader of
   scale-01 (a signed session cookie) or anonymously for the public pages.
4. Prints p50/p95/p99, throughput and the ratio to the minimal endpoint per page, the targets of
   issue 15 met or not, and each worker's resident memory after the run.

Needs wrk (apt-get install wrk). Bounded: about (pages + 1) x (seconds + 2) seconds of load.
"""
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/scale")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
SITES = int(os.environ.get("BENCH_SITES", "10"))
YEARS = int(os.environ.get("BENCH_YEARS", "10"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
#: Only these pages of the mix (comma-separated names, e.g. "ticket,booking"); all when unset.
ONLY_PAGES = [name.strip() for name in os.environ.get("BENCH_PAGES", "").split(",") if name.strip()]
CONNECTIONS = 8
WORKERS = 2
PORT = int(os.environ.get("BENCH_PORT", "8765"))
SECRET_KEY = "bench-secret-key-only-for-the-benchmark-0123456789"
PUBLIC_PAGES = ("ticket", "booking", "product list")
#: page -> lowest share of the minimal endpoint's throughput (issue 15).
RATIO_TARGETS = {"ticket": 0.20, "booking": 0.15, "product list": 0.15}
P99_TARGET_MS, P99_PUBLIC_TARGET_MS, RSS_TARGET_MB = 150, 50, 200


def environment() -> dict:
    env = dict(os.environ, DATABASE_URL=DATABASE_URL, REDIS_URL=REDIS_URL, SECRET_KEY=SECRET_KEY,
               PYTHONPATH=str(ROOT), LOG_LEVEL="WARNING")
    env.pop("STITCHWORK_ENV", None)
    return env


def flask(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "workshop", *args], cwd=ROOT, env=environment(),
                   check=True)


def prepare() -> tuple[dict[str, str], str, int]:
    """Migrate, seed if needed; the page mix's paths for scale-01, the leader's cookie, the site's size."""
    os.environ.update(environment())
    flask("db", "upgrade")
    from sqlalchemy import func, select

    from shop import scale
    from workshop import create_app
    from workshop.extensions import db
    from workshop.models import Role, Site, User
    from production.planner.models import Plan

    app = create_app({"SQLALCHEMY_DATABASE_URI": DATABASE_URL, "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        site = db.session.scalar(select(Site).where(Site.slug == "scale-01"))
    if site is None:
        print(f"Making the scale data: {SITES} sites x {YEARS} years (seed-scale) ...", flush=True)
        started = time.monotonic()
        flask("seed-scale", "--sites", str(SITES), "--years", str(YEARS))
        print(f"  made in {time.monotonic() - started:.0f} s", flush=True)
    with app.app_context():
        site = db.session.scalar(select(Site).where(Site.slug == "scale-01"))
        if db.session.scalar(select(func.count()).select_from(Plan).where(Plan.site_id == site.id)) == 0:
            scale.plan_next_week(site)
            db.session.commit()
        from tests.shop.test_query_budget import bench_pages

        pages = bench_pages(site)
        leader = db.session.scalar(select(User).where(User.site_id == site.id, User.role == Role.LEADER))
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = leader.get_id()
            session["_fresh"] = True
        cookie = client.get_cookie("session").value
        sites = db.session.scalar(select(func.count()).select_from(Site).where(Site.slug.like("scale-%")))
    return pages, cookie, sites


def wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not listen on port {port}")


def wrk(path: str, cookie: str | None, seconds: int) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s",
               "-s", str(ROOT / "bench" / "wrk_report.lua")]
    if cookie:
        command += ["-H", f"Cookie: session={cookie}"]
    output = subprocess.run(command + [f"http://127.0.0.1:{PORT}{path}"], capture_output=True, text=True,
                            check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def worker_rss_mb(master_pid: int) -> list[float]:
    children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master_pid)], capture_output=True,
                              text=True).stdout.split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        kilobytes = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        sizes.append(kilobytes / 1024)
    return sizes


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return f"{os.cpu_count()} cores ({cpu}), {int(memory) // 1024 // 1024 + 1} GB RAM, {platform.system()}"


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    pages, cookie, sites = prepare()
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--workers", str(WORKERS), "--bind", f"127.0.0.1:{PORT}",
         "--log-level", "warning", "bench.wsgi:app"],
        cwd=ROOT, env=environment(), stdout=subprocess.DEVNULL, start_new_session=False)
    try:
        wait_for_port(PORT)
        results = {}
        chosen = [(name, path) for name, path in pages.items() if not ONLY_PAGES or name in ONLY_PAGES]
        for name, path in [("minimal", "/bench/minimal"), *chosen]:
            page_cookie = None if name in PUBLIC_PAGES + ("minimal",) else cookie
            wrk(path, page_cookie, 2)  # warm-up: connections, caches, the workers' first imports
            results[name] = wrk(path, page_cookie, SECONDS)
            print(f"  {name:<11} {results[name]['rps']:8.1f} req/s  p99 {results[name]['p99']:7.1f} ms", flush=True)
        rss = worker_rss_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    report(results, rss, pages, sites)


def report(results: dict, rss: list[float], pages: dict, sites: int) -> None:
    minimal = results["minimal"]["rps"]
    print(f"\nWeb benchmark, {date.today().isoformat()}, {machine()}; gunicorn {WORKERS} workers, "
          f"wrk {CONNECTIONS} connections x {SECONDS} s per page, PostgreSQL, {sites} scale sites x {YEARS} years.\n")
    print("| page | path | req/s | share of minimal | p50 ms | p95 ms | p99 ms | errors/non-2xx | target | met |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|---|")
    for name, result in results.items():
        path = "/bench/minimal" if name == "minimal" else pages[name]
        if name.startswith("ticket"):
            path = "/t/<token>"
        share = result["rps"] / minimal if minimal else 0
        targets, met = [], []
        if name in RATIO_TARGETS:
            targets.append(f"≥ {RATIO_TARGETS[name]:.0%} of minimal")
            met.append(share >= RATIO_TARGETS[name])
        if name != "minimal":
            limit = P99_PUBLIC_TARGET_MS if name in PUBLIC_PAGES else P99_TARGET_MS
            targets.append(f"p99 < {limit} ms")
            met.append(result["p99"] < limit)
        print(f"| {name} | `{path}` | {result['rps']:.0f} | {share:.1%} | {result['p50']:.1f} | {result['p95']:.1f} "
              f"| {result['p99']:.1f} | {result['errors']}/{result['non2xx']} | {', '.join(targets) or '-'} "
              f"| {('met' if all(met) else 'NOT met') if met else '-'} |")
    print(f"\nWorker resident memory after the run: {', '.join(f'{size:.0f} MB' for size in rss)} "
          f"(target < {RSS_TARGET_MB} MB: {'met' if rss and max(rss) < RSS_TARGET_MB else 'NOT met'}).")


if __name__ == "__main__":
    main()
