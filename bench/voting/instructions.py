"""Instructions per confirm POST in one gunicorn worker, counted by valgrind's callgrind.

    .venv/bin/python bench/voting/instructions.py [--voters 60]

The burst's seconds wander with this machine's speed (see bench/README.md); an instruction
count does not: the same code and the same requests give the same count within about 1 %,
whatever else the machine is doing. This runs the app as run.py does (gunicorn on loopback,
PostgreSQL, the same worker class) with one worker under callgrind, warms it up on a few
voters, then counts the instructions the worker executes while the other voters confirm three
times each, one tap after another (one accepted, two refused), and prints the count per POST.
PostgreSQL's and the client's instructions are not in it: this measures the app's own side.

gunicorn runs with its Python HTTP parser here: the C parser (gunicorn_h1c) uses SSE4.2 string
instructions that valgrind 3.19 cannot run. Needs valgrind (Debian's package). About a minute.
"""

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import run as bench


def tap(port: int, request: bytes) -> bytes:
    with socket.create_connection((bench.HOST, port), timeout=300) as sock:
        sock.sendall(request)
        chunks = []
        while data := sock.recv(65536):
            chunks.append(data)
    return b"".join(chunks)


def outcome(answer: bytes) -> str:
    head = answer.split(b"\r\n\r\n", 1)[0]
    if not head.startswith(b"HTTP/1.1 302"):
        return "error"
    return "refused" if b"again=1" in head else "accepted"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, default=60, help="voters counted (after the warm-up ones)")
    parser.add_argument("--warm", type=int, default=10, help="voters before counting starts")
    parser.add_argument("--taps", type=int, default=3)
    parser.add_argument("--worker-class", default="sync")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--db", default="congress_instructions")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    if subprocess.run(["which", "valgrind"], capture_output=True).returncode:
        raise SystemExit("valgrind not found (apt-get install valgrind)")

    pg = {"host": bench.HOST, "port": "5432", "user": "postgres"}
    env = bench.django_env(args, pg, f"{args.pg_url.rstrip('/')}/{args.db}")
    out = Path(tempfile.mkdtemp(prefix="callgrind-"))
    bench.psql(pg, f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
    bench.psql(pg, f'CREATE DATABASE "{args.db}"')
    gunicorn = None
    try:
        bench.run([bench.PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env=env)
        bench.run([bench.PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], env=env)
        voters = args.warm + args.voters
        setup = json.loads(
            bench.run(
                [bench.PYTHON, str(bench.HERE / "prepare.py"), "setup", "--voters", str(voters), "--pg-polls", "1"],
                env=env,
                capture=True,
            )
        )
        port = bench.free_port()
        cmd = [
            "valgrind", "--tool=callgrind", "--instr-atstart=no", "--trace-children=yes",
            f"--callgrind-out-file={out}/callgrind.%p",
            str(bench.BIN / "gunicorn"), "congress.wsgi:application", "--bind", f"{bench.HOST}:{port}",
            "--worker-class", args.worker_class, "--workers", "1", "--http-parser", "python",
            "--timeout", "900", "--no-control-socket", "--log-level", "warning",
            "--error-logfile", str(out / "gunicorn.log"),
        ]  # fmt: skip
        bench.log("starting gunicorn under callgrind (slow: a minute or two)")
        gunicorn = subprocess.Popen(cmd, cwd=bench.ROOT, env=env, stdin=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        bench.wait_healthy(port, gunicorn, timeout=900)
        prepared = bench.prepare_voters(port, setup["poll"], setup["codes"], concurrency=1)
        for voter in prepared[: args.warm]:
            for _ in range(args.taps):
                tap(port, voter.request)
        # valgrind runs gunicorn's master in the process it started; the worker is its child
        worker = subprocess.run(["pgrep", "-P", str(gunicorn.pid)], capture_output=True, text=True).stdout.split()
        if len(worker) != 1:
            raise SystemExit(f"expected one gunicorn worker, found {worker}")
        subprocess.run(["callgrind_control", "-i", "on", worker[0]], check=True, capture_output=True)
        counts = {"accepted": 0, "refused": 0, "error": 0}
        for voter in prepared[args.warm :]:
            for _ in range(args.taps):
                counts[outcome(tap(port, voter.request))] += 1
        subprocess.run(["callgrind_control", "-i", "off", worker[0]], check=True, capture_output=True)
    finally:
        bench.stop(gunicorn)
        bench.psql(pg, f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
    time.sleep(1)
    totals = [
        line
        for line in (out / f"callgrind.{worker[0]}").read_text().splitlines()
        if line.startswith(("totals:", "summary:"))
    ]
    posts = args.voters * args.taps
    per_post = int(totals[-1].split()[1]) / posts
    print(
        f"POSTs counted       {posts} ({counts['accepted']} accepted, {counts['refused']} refused, {counts['error']} errors)"
    )
    print(f"instructions/POST   {per_post / 1e6:.3f} million (gunicorn worker, {args.worker_class})")
    print(f"callgrind output    {out}")
    return 0 if counts["error"] == 0 and counts["accepted"] == args.voters else 1


if __name__ == "__main__":
    sys.exit(main())
