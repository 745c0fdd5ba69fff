"""bench/public: how fast the public site serves a published results page, against a minimal
Django view and a static file of the same size, in one run (by hand, never by the tests).

    .venv/bin/python bench/public/run.py [--seconds 5 --rounds 3 --concurrency 8 ...]

1. A scratch database (SQLite in bench/results/public/ unless DATABASE_URL names one; it is
   migrated first, and emptied when it is SQLite), the static files collected, and, through
   Django in a subprocess (bench/public/prepare.py), a decided work evaluation of 27 units
   scored by 40 deputies whose results are published. The page is rendered once; its bytes
   become the minimal view's answer and a static file.
2. gunicorn serves bench/public/benchsettings.py (the project's settings and URLs plus
   /bench/minimal/) on 127.0.0.1 with DEBUG off; the cache is Redis when REDIS_URL is set,
   else the file cache, as in production and in the embedded default.
3. An asyncio HTTP/1.1 client (keep-alive, --concurrency connections, each opened again every
   20 requests so that they spread over the workers) fetches each of the
   three addresses for --seconds, in --rounds rounds taken in turn (so a passing disturbance
   hits all three alike), checking every answer is a 200 of the expected size. Prints the
   requests per second of each (the median of the rounds) and the ratio results page /
   minimal view (target: at least 0.8).
"""

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RESULTS = ROOT / "bench" / "results" / "public"
PYTHON = sys.executable
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
TARGET_RATIO = 0.8


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def django_env(args) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="congress.settings",
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        SECRET_KEY="bench-public-not-a-secret-" + "x" * 40,
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        ALLOWED_HOSTS=HOST,
        SITE_URL="https://renda.example.cn",
        VAR_DIR=str(RESULTS / "var"),
        LOG_LEVEL="WARNING",
        PYTHONPATH=f"{ROOT}{os.pathsep}{HERE}",
    )
    return env


def run(cmd, env, capture=False) -> str:
    result = subprocess.run(cmd, cwd=ROOT, env=env, check=True, text=True, capture_output=capture, timeout=900)
    return result.stdout if capture else ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


# --- the client ------------------------------------------------------------------------


class Conn:
    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def get(self, path: str) -> tuple[int, int]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        self.writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept-Language: zh-CN,zh;q=0.9\r\n"
            "User-Agent: bench-public\r\n\r\n".encode()
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        length = int(headers.get("content-length", "0"))
        await self.reader.readexactly(length)
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, length

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def hammer(
    port: int, path: str, size: int, seconds: float, concurrency: int, per_connection: int = 20
) -> tuple[int, int, float]:
    """(answers, wrong answers, elapsed) of ``concurrency`` connections fetching ``path``. Each
    connection is opened again every ``per_connection`` requests: a keep-alive connection stays
    with the gunicorn worker that accepted it, and 8 lasting connections landing unevenly on the
    workers would halve a round's figure by chance."""
    done = [0, 0]
    deadline = time.perf_counter() + seconds

    async def worker():
        conn = Conn(port)
        try:
            while time.perf_counter() < deadline:
                status, length = await conn.get(path)
                done[0] += 1
                if done[0] % per_connection == 0:
                    conn.close()
                if status != 200 or length != size:
                    done[1] += 1
        finally:
            conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done[0], done[1], time.perf_counter() - start


def wait_healthy(port: int, proc: subprocess.Popen, timeout=60.0) -> None:
    import http.client

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}; see {RESULTS / 'gunicorn.log'}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("/healthz did not answer 200")


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL") or f"sqlite:///{RESULTS / 'bench.sqlite3'}"
    )
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", ""), help="empty: the file cache")
    parser.add_argument("--units", type=int, default=27)
    parser.add_argument("--voters", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.database_url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(args.database_url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    shutil.rmtree(RESULTS / "var" / "cache", ignore_errors=True)
    env = django_env(args)
    log(f"database {args.database_url.split('@')[-1]}, cache {'Redis' if args.redis_url else 'file'}: migrating")
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    if not args.database_url.startswith("sqlite:///"):
        run([PYTHON, "manage.py", "flush", "--noinput", "-v", "0"], env)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], env)
    log(f"publishing the results of {args.units} units scored by {args.voters} deputies")
    setup = json.loads(
        run([PYTHON, str(HERE / "prepare.py"), str(RESULTS), str(args.units), str(args.voters)], env, capture=True)
        .strip()
        .splitlines()[-1]
    )
    targets = [
        ("results page", setup["path"]),
        ("minimal view", "/bench/minimal/"),
        ("static file", setup["static"]),
    ]
    port = free_port()
    cmd = [
        str(BIN / "gunicorn"), "congress.wsgi:application", "--pythonpath", f"{ROOT},{HERE}",
        "--bind", f"{HOST}:{port}", "--worker-class", "gthread", "--workers", str(args.workers),
        "--threads", str(args.threads), "--keep-alive", "30", "--no-control-socket",
        "--log-level", "warning", "--error-logfile", str(RESULTS / "gunicorn.log"),
    ]  # fmt: skip
    gunicorn = None
    try:
        log(f"starting gunicorn on {HOST}:{port} (gthread {args.workers} x {args.threads})")
        gunicorn = subprocess.Popen(
            cmd, cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "benchsettings"}, stdin=subprocess.DEVNULL
        )
        wait_healthy(port, gunicorn)
        for _name, path in targets:  # warm every worker up
            asyncio.run(hammer(port, path, setup["size"], 1.0, args.concurrency))
        rates: dict[str, list[float]] = {name: [] for name, _ in targets}
        wrong = 0
        for n in range(args.rounds):
            for name, path in targets:
                answers, bad, elapsed = asyncio.run(hammer(port, path, setup["size"], args.seconds, args.concurrency))
                wrong += bad
                rates[name].append(answers / elapsed)
                log(f"round {n + 1}: {name:13} {answers / elapsed:8.0f} req/s")
    finally:
        stop(gunicorn)
    figures = {name: statistics.median(values) for name, values in rates.items()}
    ratio = figures["results page"] / figures["minimal view"]
    load1, _load5, _load15 = os.getloadavg()
    print(f"bench/public  {time.strftime('%Y-%m-%d %H:%M')}  {os.cpu_count()} cores, load {load1:.2f}")
    print(
        f"database {'SQLite' if args.database_url.startswith('sqlite') else 'PostgreSQL'}, cache "
        f"{'Redis' if args.redis_url else 'file'}; gunicorn gthread {args.workers} x {args.threads}; "
        f"{args.concurrency} keep-alive connections, {args.rounds} rounds of {args.seconds:.0f} s, median"
    )
    for name, path in targets:
        print(f"  {name:13} {figures[name]:8.0f} req/s   {setup['size']:,} bytes   {path}")
    print(f"  wrong answers (not 200 or not {setup['size']:,} bytes): {wrong}")
    met = ratio >= TARGET_RATIO and wrong == 0
    print(f"results page / minimal view = {ratio:.2f} (target >= {TARGET_RATIO}): {'met' if met else 'NOT met'}")
    print(f"results page / static file  = {figures['results page'] / figures['static file']:.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"rates": figures, "ratio": ratio, "size": setup["size"]}, indent=2))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
