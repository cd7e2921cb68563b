"""make bench: the Open Wall under load on 100,000 issues, against the framework's own ceiling.

Starts gunicorn (2 workers, production settings) on a PostgreSQL database filled by seed_scale
(kept between runs), drives it with wrk from a second process on 127.0.0.1, and reports each
endpoint's throughput and latency as ratios to a trivial page served through the same
middleware in the same run. Then times the weekly digest for 10,000 readers in-process.
Bounded: every wrk run has a fixed duration, gunicorn is stopped at the end whatever happens.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PORT = int(os.environ.get("BENCH_PORT", "8765"))
ORIGIN = f"http://127.0.0.1:{PORT}"
DB = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/civicnet_bench")
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "8")

ENV = {
    **os.environ,
    "DATABASE_URL": DB,
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3"),
    "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
    "DEBUG": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SITE_URL": ORIGIN,
    "CIVICNET_BENCHMARK": "true",
    "RATE_LIMIT_VOTE": "100000000/m",
    "LOG_LEVEL": "WARNING",
}


def manage(*args, **kwargs):
    return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=ENV, check=True, **kwargs)


def prepare() -> dict:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f"CREATE DATABASE {DB.rsplit('/', 1)[1]}"],
        capture_output=True,
        check=False,
    )
    manage("migrate", "--noinput", "-v", "0")
    manage("seed_scale", "--issues", "100000", "--votes", "1000000", "--comments", "200000")
    static = Path(tempfile.gettempdir()) / "civicnet-bench-static"
    ENV["STATIC_ROOT"] = str(static)
    manage("collectstatic", "--noinput", "-v", "0")
    out = manage("bench_setup", capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def wrk(path, method="GET", cookie=None, csrf=None, miss=False) -> dict:
    env = {**os.environ, "BENCH_PATH": path, "BENCH_METHOD": method, "BENCH_ORIGIN": ORIGIN}
    if miss:
        env["BENCH_MISS"] = "1"  # a made-up parameter per request: never served from the page cache
    if cookie:
        env["BENCH_COOKIE"] = cookie
    if csrf:
        env["BENCH_CSRF"] = csrf
    base = ["wrk", "-t2", f"-c{CONNECTIONS}", "-s", str(ROOT / "bench" / "report.lua"), ORIGIN]
    subprocess.run([*base[:2], "-c2", "-d2s", *base[3:]], env=env, capture_output=True, timeout=60, check=True)
    result = subprocess.run(
        [*base[:3], f"-d{DURATION}", *base[3:]], env=env, capture_output=True, text=True, timeout=120, check=True
    )
    data = json.loads(result.stdout.strip().splitlines()[-1])
    data["rps"] = data["requests"] / data["seconds"]
    return data


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    started = time.monotonic()
    setup = prepare()
    gunicorn = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "civicnet.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{ORIGIN}/healthz", timeout=2)  # noqa: S310 (our own server)
                break
            except OSError:
                time.sleep(0.2)
        endpoints = [
            ("ceiling (trivial page)", "/bench/ceiling/", {}),
            # The same page for a signed-in visitor: what reading the session and the user costs.
            ("ceiling, signed in", "/bench/ceiling/", {"cookie": setup["cookie"]}),
            ("home", "/", {}),
            ("wall, top", "/wall/?sort=top", {}),
            ("wall, trending", "/wall/?sort=trending", {}),
            ("wall, newest", "/wall/?sort=newest", {}),
            ("wall, most discussed", "/wall/?sort=discussed", {}),
            ("wall, theme filter", "/wall/?topic=urbanism", {}),
            ("wall, page 500", "/wall/?page=500", {}),
            ("wall, page 500 by its Next link", setup["deep"], {}),
            ("search, common word", "/wall/?q=trottoir", {}),
            ("issue with 50 comments", setup["detail"], {}),
            # Without the anonymous page cache: what a signed-in visitor, or a first visitor, costs.
            ("wall, top, signed in", "/wall/?sort=top", {"cookie": setup["cookie"]}),
            ("wall, top, cache miss", "/wall/?sort=top", {"miss": True}),
            ("wall, page 500, cache miss", "/wall/?page=500", {"miss": True}),
            ("wall, page 500 by Next, cache miss", setup["deep"], {"miss": True}),
            ("search, cache miss", "/wall/?q=trottoir", {"miss": True}),
            ("issue, 50 comments, cache miss", setup["detail"], {"miss": True}),
            (
                "vote toggle (signed in, CSRF)",
                setup["vote"],
                {"method": "POST", "cookie": setup["cookie"], "csrf": setup["csrf"]},
            ),
        ]
        rows = [(label, wrk(path, **options)) for label, path, options in endpoints]
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        gunicorn.wait(timeout=30)
    ceiling = rows[0][1]
    print(f"\nOpen Wall on 100,000 issues / 1,000,000 votes / 200,000 comments; wrk -t2 -c{CONNECTIONS} -d{DURATION}")
    print(f"{'endpoint':34} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} {'rps/ceil':>9} {'p95/ceil':>9}")
    for label, r in rows:
        print(
            f"{label:34} {r['rps']:8.1f} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['errors']:7d} "
            f"{r['rps'] / ceiling['rps']:9.2f} {r['p95_ms'] / ceiling['p95_ms']:9.2f}"
        )
    digest = json.loads(manage("bench_digest", capture_output=True, text=True).stdout.strip().splitlines()[-1])
    print(
        f"\nweekly digest: {digest['emails']} emails in {digest['seconds']:.1f} s = "
        f"{digest['emails'] / digest['seconds']:.0f} emails/s, peak memory {digest['peak_mb']:.0f} MB"
    )
    print(f"(whole run {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
