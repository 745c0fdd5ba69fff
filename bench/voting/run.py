"""A burst of phone votes against gunicorn and PostgreSQL, run by hand (never by the tests).

    .venv/bin/python bench/voting/run.py [--workers 3 --threads 8 ...]

1,000 voters each hold a voting code and have the ballot sheet open (session and CSRF cookies
fetched beforehand); then every one of them taps "confirm" three times at once: 3,000 POSTs,
all released together. Exactly 1,000 must be accepted. The same run measures what PostgreSQL
alone does with the SQL of a vote (pgbench, with the app's own cast statements: prepare.py
pgbench), and prints the ratio. Then a county's plenary: a hall of 300 voters tapping once or
twice, which must be done within 1.5 s. Before the rounds, each middleware's CPU per tap
(layers.py).

This process stays a plain HTTP client: everything Django is done in subprocesses
(bench/voting/prepare.py). See bench/README.md.
"""

import argparse
import errno
import html
import http.client
import json
import os
import random
import re
import resource
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"

TARGET_RATIO = 0.12
TARGET_HALL = 1.5
LEVELS = ["satisfied", "fairly", "basic", "unsatisfied"]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- processes -------------------------------------------------------------------------


def run(cmd, env=None, capture=False, timeout=600) -> str:
    result = subprocess.run(cmd, cwd=ROOT, env=env, check=True, text=True, capture_output=capture, timeout=timeout)
    return result.stdout if capture else ""


def psql(pg: dict, sql: str) -> None:
    run(
        ["psql", "-h", pg["host"], "-p", pg["port"], "-U", pg["user"], "-d", "postgres", "-qAt", "-c", sql],
        capture=True,
    )


def analyze(pg: dict, db: str) -> None:
    """What autovacuum does on a production server between two votes, done by hand (it is off
    on this machine's PostgreSQL): the dead rows of filled ballot slots and of the poll's locks
    vacuumed, and fresh statistics, which also make every connection plan the prepared cast
    statement again. Without the statistics a connection keeps the plan it made when the
    participation table was nearly empty (a scan of the table in place of its index), and a
    round after pgbench has filled it runs three times slower for PostgreSQL alone; without the
    vacuum, each round's pgbench ran slower than the one before (976, 600, 478 tps)."""
    run(["psql", "-h", pg["host"], "-p", pg["port"], "-U", pg["user"], "-d", db, "-qAt", "-c",
         "VACUUM (ANALYZE) congress_participation, congress_ballot, congress_votercode, congress_poll"], capture=True)  # fmt: skip


def django_env(args, pg: dict, db_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="congress.settings",
        DATABASE_URL=db_url,
        REDIS_URL=args.redis_url,
        SECRET_KEY="bench-voting-not-a-secret-" + "x" * 40,
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        ALLOWED_HOSTS=HOST,
        VAR_DIR=str(RESULTS / "var"),  # static files collected for the bench, out of the way
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
        SESSION_COOKIE_AGE="3600",  # the voters' sessions (in Redis too) go away on their own
    )
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_healthy(port: int, proc: subprocess.Popen, timeout=60.0) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}; see {RESULTS / 'gunicorn.log'}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            body = response.read()
            conn.close()
            if response.status == 200:
                return
            last = body[:200]
        except OSError as exc:
            last = exc
        time.sleep(0.2)
    raise SystemExit(f"/healthz did not answer 200 in {timeout:.0f} s: {last!r}")


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# --- CPU accounting (from /proc: client, gunicorn, PostgreSQL, the whole machine) -------

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields from 3 (state) on


def process_cpu(gunicorn_pid: int, db: str) -> dict[int, tuple[str, float]]:
    """CPU seconds so far of each process of interest: gunicorn (master and workers), and
    PostgreSQL's (backends of the bench database, and the server's own: WAL writer,
    checkpointer...). Backends of other databases are left out (someone else's tests)."""
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        fields = _stat(pid)
        if fields is None:
            continue
        seconds = (int(fields[11]) + int(fields[12])) / TICK  # utime, stime
        if pid == gunicorn_pid or int(fields[1]) == gunicorn_pid:
            found[pid] = ("gunicorn", seconds)
            continue
        try:
            title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres:"):  # a backend's title names its user and database
            parts = title.split()
            if len(parts) >= 3 and "/" not in parts[1] and parts[2] != db:
                continue
            found[pid] = ("postgres", seconds)
    return found


def cpu_delta(before: dict, after: dict) -> dict[str, float]:
    """CPU used between two snapshots, per group (a process born in between counts whole)."""
    totals = {"gunicorn": 0.0, "postgres": 0.0}
    for pid, (group, seconds) in after.items():
        previous = before.get(pid)
        totals[group] += seconds - (previous[1] if previous and previous[0] == group else 0.0)
    return totals


def machine_cpu() -> tuple[float, float]:
    """(busy, idle) CPU seconds of the whole machine so far."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / TICK, idle / TICK


def wait_quiet(limit: float, busy_max: float = 0.15) -> float:
    """Wait (up to ``limit`` seconds) for a second in which the machine is at most ``busy_max``
    busy: other processes (a test run next door) take the cores the burst is measured on.
    Returns the busy share of the last second."""
    deadline = time.monotonic() + limit
    while True:
        b0, i0 = machine_cpu()
        time.sleep(1.0)
        b1, i1 = machine_cpu()
        share = (b1 - b0) / max(1e-9, (b1 - b0) + (i1 - i0))
        if share <= busy_max or time.monotonic() >= deadline:
            return share
        log(f"the machine is {share:.0%} busy with other work; waiting for it to calm down")


def client_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- preparing the voters ----------------------------------------------------------------


@dataclass
class Voter:
    code: str
    request: bytes = b""


def _cookies(response) -> dict[str, str]:
    jar = {}
    for header in response.msg.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def prepare_voters(port: int, poll: int, codes: list[str], concurrency: int) -> list[Voter]:
    """Each voter scans its code (/m/v/<code>/: the code's cookie), opens the sheet (the CSRF
    cookie and form token) and sends it filled in for review; its confirm POST, the review
    page's form as a phone sends it, is then built once, as raw bytes."""
    origin = f"http://{HOST}:{port}"
    sheet = f"/m/polls/{poll}/"
    token_re = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
    item_re = re.compile(rb'name="item-(\d+)"')
    hidden_re = re.compile(rb'<input type="hidden" name="([^"]+)" value="([^"]*)"')

    def one(code: str) -> Voter:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            conn.request("GET", f"/m/v/{code}/")
            response = conn.getresponse()
            response.read()
            jar = _cookies(response)
            if response.status != 302 or not jar:
                raise RuntimeError(f"code {code}: /m/v/ answered {response.status} without a cookie")
            conn.request("GET", sheet, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
            response = conn.getresponse()
            body = response.read()
            jar.update(_cookies(response))
            csrf = jar.get("csrftoken")
            token = token_re.search(body)
            items = sorted({int(m) for m in item_re.findall(body)})
            if response.status != 200 or not csrf or not token or not items:
                raise RuntimeError(f"code {code}: the sheet answered {response.status} without a form")
            # The sheet filled in and sent for review; the confirm is the review page's form.
            filled = [("csrfmiddlewaretoken", token.group(1).decode())]
            filled += [(f"item-{pk}", random.choice(LEVELS)) for pk in items]
            form = urllib.parse.urlencode(filled).encode()
            cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
            conn.request("POST", sheet, body=form, headers={
                "Cookie": cookie, "Origin": origin, "Referer": f"{origin}{sheet}",
                "Content-Type": "application/x-www-form-urlencoded",
            })  # fmt: skip
            response = conn.getresponse()
            review = response.read()
            fields = [(name.decode(), html.unescape(value.decode())) for name, value in hidden_re.findall(review)]
            if response.status != 200 or {name for name, _ in fields} != {"csrfmiddlewaretoken", "ballot"}:
                raise RuntimeError(f"code {code}: the review answered {response.status} without its form")
        finally:
            conn.close()
        fields.append(("confirm", "1"))
        body = urllib.parse.urlencode(fields).encode()
        head = (
            f"POST {sheet} HTTP/1.1\r\n"
            f"Host: {HOST}:{port}\r\n"
            "User-Agent: Mozilla/5.0 (Linux; Android 14) bench-voting\r\n"
            f"Origin: {origin}\r\n"
            f"Referer: {origin}{sheet}\r\n"
            f"Cookie: {'; '.join(f'{k}={v}' for k, v in jar.items())}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n"
        )
        return Voter(code=code, request=head.encode() + body)

    with ThreadPoolExecutor(concurrency) as pool:
        return list(pool.map(one, codes))


# --- the burst ---------------------------------------------------------------------------


@dataclass
class Tap:
    voter: int
    start: float = 0.0
    end: float = 0.0
    status: int = 0
    outcome: str = "error"  # accepted | refused | error
    error: str = ""
    chunks: list = field(default_factory=list)


def classify(tap: Tap, poll: int) -> None:
    raw = b"".join(tap.chunks)
    tap.chunks = []
    head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    lines = head.split("\r\n")
    try:
        tap.status = int(lines[0].split()[1])
    except (IndexError, ValueError):
        tap.outcome, tap.error = "error", tap.error or f"no HTTP response ({len(raw)} bytes)"
        return
    headers = [line.partition(":") for line in lines[1:]]
    location = next((v.strip() for k, _, v in headers if k.lower() == "location"), "")
    path, _, query = location.partition("?")
    if tap.status != 302 or not path.endswith(f"/m/polls/{poll}/received/"):
        tap.outcome, tap.error = "error", f"HTTP {tap.status} {location}".strip()
    else:  # a refusal says so: "?again=1" on the redirect
        tap.outcome = "refused" if "again" in query else "accepted"


def burst(port: int, voters: list[Voter], taps, order: str) -> tuple[list[Tap], float]:
    """Every tap on its own connection (Connection: close): connect, write the POST, read to
    EOF; all of them at once from one thread on epoll. The client shares the machine's two
    cores with what it measures, so it is kept as lean as a load generator can be in Python
    (about half the CPU an asyncio loop of protocols spent on the same work)."""
    counts = taps if isinstance(taps, list) else [taps] * len(voters)  # POSTs of each voter
    groups = [[(i, voter.request)] * counts[i] for i, voter in enumerate(voters)]
    random.shuffle(groups)  # voters in random order
    plan = [p for g in groups for p in g]  # "together": each voter's taps side by side
    if order == "shuffled":
        random.shuffle(plan)
    results = [Tap(voter=i) for i, _ in plan]
    poller = select.epoll(len(plan) + 1)
    live = {}  # fd -> [socket, tap, bytes still to send (None once sent)]

    def finish(fd: int, error: str = "") -> None:
        sock, tap, _ = live.pop(fd)
        tap.end = time.perf_counter()
        tap.error = tap.error or error
        poller.unregister(fd)
        sock.close()

    def serve(timeout: float) -> None:
        for fd, _events in poller.poll(timeout):
            entry = live[fd]
            sock, tap, pending = entry
            if pending is not None:  # connected (or failed to)
                failed = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if failed:
                    finish(fd, f"connect: {os.strerror(failed)}")
                    continue
                try:
                    sent = sock.send(pending)
                except OSError as exc:
                    finish(fd, repr(exc))
                    continue
                if sent < len(pending):
                    entry[2] = pending[sent:]
                    continue
                entry[2] = None
                poller.modify(fd, select.EPOLLIN)
                continue
            try:
                data = sock.recv(65536)
            except OSError as exc:
                finish(fd, repr(exc))
                continue
            if data:
                tap.chunks.append(data)
            else:
                finish(fd)

    started = time.perf_counter()
    for n, (tap, (_, request)) in enumerate(zip(results, plan, strict=True)):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        tap.start = time.perf_counter()
        failed = sock.connect_ex((HOST, port))
        if failed not in (0, errno.EINPROGRESS):
            tap.end, tap.error = time.perf_counter(), f"connect: {os.strerror(failed)}"
            sock.close()
            continue
        live[sock.fileno()] = [sock, tap, request]
        poller.register(sock.fileno(), select.EPOLLOUT)
        if n % 64 == 63:  # answer what is ready while the rest are still connecting
            serve(0)
    while live:
        serve(60)
    poller.close()
    return results, started


# --- pgbench -------------------------------------------------------------------------------


def pgbench(pg: dict, db: str, setup: dict, clients: int, seconds: int, script: Path, block: tuple[int, int]) -> dict:
    """pgbench on polls ``block`` = (first, how many) of those prepared for it: each round has
    polls of its own, so no vote of one round meets a code already recorded by another."""
    first_poll, polls = block
    per = setup["slots"] // clients
    choices = json.dumps({str(pk): random.choice(LEVELS) for pk in setup["items"]})
    cmd = [
        "pgbench", "-h", pg["host"], "-p", pg["port"], "-U", pg["user"], "-n", "-M", "prepared",
        "-f", str(script),
        "-c", str(clients), "-j", str(min(clients, os.cpu_count() or 1)), "-T", str(seconds),
        "-D", f"poll0={first_poll}", "-D", f"meeting={setup['pg_meeting']}", "-D", f"opened={setup['pg_opened']}",
        "-D", f"per={per}", "-D", "n=-1", "-D", f"choices={choices}",
        db,
    ]  # fmt: skip
    # pgbench's backends end with it: sample their CPU while it runs, keep each one's last.
    before, m0 = process_cpu(-1, db), machine_cpu()
    seen = dict(before)
    proc = subprocess.Popen(cmd, cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    while proc.poll() is None:
        seen.update(process_cpu(-1, db))
        time.sleep(0.25)
    output = proc.communicate(timeout=seconds + 120)[0]
    if proc.returncode:
        raise SystemExit(f"pgbench failed:\n{output}")
    pg_cpu, m1 = cpu_delta(before, seen)["postgres"], machine_cpu()
    tps = re.search(r"tps = ([\d.]+)", output)
    done = re.search(r"number of transactions actually processed: (\d+)", output)
    failed = re.search(r"number of failed transactions: (\d+)", output)
    latency = re.search(r"latency average = ([\d.]+) ms", output)
    if not tps or not done:
        raise SystemExit(f"could not read pgbench's output:\n{output}")
    needed = int(done.group(1)) / (per * clients) * 1.25 + 1  # clients do not keep exactly in step
    if needed > polls:
        raise SystemExit(f"pgbench may have run out of its polls ({needed:.0f} > {polls}): raise --pg-polls")
    return {
        "tps": float(tps.group(1)),
        "transactions": int(done.group(1)),
        "failed": int(failed.group(1)) if failed else 0,
        "latency_ms": float(latency.group(1)) if latency else None,
        "clients": clients,
        "postgres_cpu_ms": pg_cpu / int(done.group(1)) * 1000,
        "machine_busy": (m1[0] - m0[0]) / max(1e-9, (m1[0] - m0[0]) + (m1[1] - m0[1])),
    }


# --- report --------------------------------------------------------------------------------


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, max(0, round(q * len(sorted_values)) - 1))]


def figures(args, taps, wall, cpu, db_check, pgb) -> dict:
    """One round's figures, from its taps, the database's check and its pgbench run."""
    counts = {}
    for tap in taps:
        counts[tap.outcome] = counts.get(tap.outcome, 0) + 1
    latencies = sorted(tap.end - tap.start for tap in taps)
    accepted_lat = sorted(tap.end - tap.start for tap in taps if tap.outcome == "accepted")
    accepted = counts.get("accepted", 0)
    voters = len({tap.voter for tap in taps})
    exact = accepted == voters and db_check["participations"] == voters and db_check["filled"] == voters
    exact = exact and counts.get("error", 0) == 0 and db_check["distinct_codes"] == voters
    votes_per_s = accepted / wall if wall else 0.0
    return {
        "posts": len(taps), "voters": voters, "accepted": accepted, "refused": counts.get("refused", 0),
        "errors": counts.get("error", 0), "exact": exact, "database": db_check, "wall_s": wall,
        "p50_ms": percentile(latencies, 0.5) * 1000, "p99_ms": percentile(latencies, 0.99) * 1000,
        "max_ms": latencies[-1] * 1000 if latencies else float("nan"),
        "accepted_p50_ms": percentile(accepted_lat, 0.5) * 1000, "accepted_p99_ms": percentile(accepted_lat, 0.99) * 1000,
        "cpu": cpu, "votes_per_s": votes_per_s, "pgbench": pgb,
        "ratio": votes_per_s / pgb["tps"] if pgb else float("nan"),
        "first_errors": [tap.error for tap in taps if tap.outcome == "error"][:5],
    }  # fmt: skip


def print_round(n: int, fig: dict) -> None:
    cpu, db, pgb = fig["cpu"], fig["database"], fig["pgbench"]
    print(f"-- round {n}")
    print(f"accepted            {fig['accepted']}")
    print(f"refused             {fig['refused']}")
    print(f"errors              {fig['errors']}")
    print(f"database            {db['participations']} participations, {db['filled']} filled ballots "
          f"({db['complete_sheets']} complete sheets), {db['empty']} empty slots")  # fmt: skip
    print(f"wall time           {fig['wall_s']:.3f} s")
    print(f"latency, all        p50 {fig['p50_ms']:.0f} ms   p99 {fig['p99_ms']:.0f} ms   max {fig['max_ms']:.0f} ms")
    print(f"latency, accepted   p50 {fig['accepted_p50_ms']:.0f} ms   p99 {fig['accepted_p99_ms']:.0f} ms")
    print(
        f"CPU in the burst    client {cpu['client']:.2f} s, gunicorn {cpu['gunicorn']:.2f} s, "
        f"PostgreSQL {cpu['postgres']:.2f} s, whole machine {cpu['busy']:.2f} s busy / {cpu['idle']:.2f} s idle "
        f"(of {fig['wall_s'] * (os.cpu_count() or 1):.2f} s)"
    )
    others = max(0.0, cpu["busy"] - cpu["client"] - cpu["gunicorn"] - cpu["postgres"])
    print(f"other processes     {others:.2f} s CPU (kernel and anything else on the machine)")
    print(f"gunicorn CPU/POST   {cpu['gunicorn'] / fig['posts'] * 1000:.2f} ms;  "
          f"PostgreSQL CPU/POST {cpu['postgres'] / fig['posts'] * 1000:.2f} ms")  # fmt: skip
    print(f"HTTP votes/s        {fig['votes_per_s']:.0f}")
    if pgb:
        print(f"pgbench tps         {pgb['tps']:.0f}  (-c {pgb['clients']}, {pgb['transactions']} transactions, "
              f"{pgb['failed']} failed, latency {pgb['latency_ms']} ms)")  # fmt: skip
        print(f"pgbench CPU         PostgreSQL {pgb['postgres_cpu_ms']:.2f} ms per transaction; "
              f"machine {pgb['machine_busy']:.0%} busy during pgbench")  # fmt: skip
        print(f"ratio               {fig['ratio']:.3f}")
    if fig["first_errors"]:
        print(f"first errors: {fig['first_errors']}")
    print()


def report(args, rounds: list[dict], hall: list[dict]) -> bool:
    """Each round, then the targets: the exact count in every round; the wall time and the
    ratio as the median round has them (with how many rounds met each)."""
    first = rounds[0]
    print()
    print(f"bench/voting — {first['voters']} voters × {args.taps} taps = {first['posts']} POSTs at once, "
          f"{len(rounds)} round(s)")  # fmt: skip
    print(
        f"gunicorn: --worker-class {args.worker_class} --workers {args.workers} --threads {args.threads}"
        f" --worker-connections {args.worker_connections}"
    )
    print(f"machine: {os.cpu_count()} cores; order of the taps: {args.order}")
    print()
    for n, fig in enumerate(rounds, start=1):
        print_round(n, fig)
    walls = sorted(fig["wall_s"] for fig in rounds)
    wall = walls[len(walls) // 2]  # the median; of an even count, the slower middle
    mark = {True: "met", False: "NOT MET"}
    exact = all(fig["exact"] for fig in rounds)
    print(f"rounds              wall {', '.join(f'{fig["wall_s"]:.2f}' for fig in rounds)} s (median {wall:.2f} s)")
    ok = exact
    print(f"target: exactly {first['voters']} accepted           {mark[exact]}  (in every round)")
    if first["pgbench"]:
        ratios = sorted(fig["ratio"] for fig in rounds)
        ratio = ratios[(len(ratios) - 1) // 2]  # of an even count, the lower middle
        print(f"rounds              ratio {', '.join(f'{fig['ratio']:.3f}' for fig in rounds)}; "
              f"pgbench tps {', '.join(f'{fig['pgbench']['tps']:.0f}' for fig in rounds)}")  # fmt: skip
        print(f"target: ratio at least {TARGET_RATIO}          {mark[ratio >= TARGET_RATIO]}  "
              f"(median {ratio:.3f}; {sum(r >= TARGET_RATIO for r in ratios)} of {len(ratios)} rounds)")  # fmt: skip
        ok = ok and ratio >= TARGET_RATIO
    if hall:
        print()
        for n, fig in enumerate(hall, start=1):
            print(f"-- hall {n}: {fig['voters']} voters, {fig['posts']} taps (once or twice each): "
                  f"{fig['accepted']} accepted, {fig['refused']} refused, {fig['errors']} errors, "
                  f"wall {fig['wall_s']:.3f} s, p50 {fig['p50_ms']:.0f} ms, p99 {fig['p99_ms']:.0f} ms")  # fmt: skip
        hall_walls = sorted(fig["wall_s"] for fig in hall)
        hall_wall = hall_walls[len(hall_walls) // 2]
        hall_exact = all(fig["exact"] for fig in hall)
        print(f"target: the hall of {hall[0]['voters']} exact        {mark[hall_exact]}  (in every round)")
        print(f"target: the hall within {TARGET_HALL} s       {mark[hall_wall <= TARGET_HALL]}  "
              f"(median {hall_wall:.2f} s; {sum(w <= TARGET_HALL for w in hall_walls)} of {len(hall_walls)} rounds)")  # fmt: skip
        ok = ok and hall_exact and hall_wall <= TARGET_HALL
    if args.json:
        RESULTS.mkdir(parents=True, exist_ok=True)
        meta = {"worker_class": args.worker_class, "workers": args.workers, "threads": args.threads}
        Path(args.json).write_text(json.dumps({"gunicorn": meta, "rounds": rounds, "hall": hall}, indent=2))
    return ok


def print_profile() -> None:
    import pstats

    files = sorted(str(p) for p in RESULTS.glob("profile-*.prof"))
    if not files:
        print("no profile was written")
        return
    stats = pstats.Stats(*files, stream=sys.stdout)
    print(f"\ncProfile of the POSTs in {len(files)} workers (profiling inflates Python time):")
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


# --- main --------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voters", type=int, default=1000)
    parser.add_argument("--taps", type=int, default=3, help="POSTs per voter, all at once")
    parser.add_argument("--items", type=int, default=27)
    parser.add_argument("--worker-class", default="sync", help="gunicorn's stock worker class (sync, gthread)")
    parser.add_argument("--hall", type=int, default=300, help="voters of the plenary hall (0: no hall rounds)")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--worker-connections", type=int, default=1000, help="gunicorn's; caps what one worker accepts")
    parser.add_argument("--order", choices=["together", "shuffled"], default="together",
                        help="together: a voter's taps side by side (a triple tap); shuffled: all taps in random order")  # fmt: skip
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--db", default="congress_bench")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"))
    parser.add_argument(
        "--rounds", type=int, default=3, help="bursts, each on a poll of its own, each with its pgbench"
    )
    parser.add_argument("--pgbench-seconds", type=int, default=6, help="each round's pgbench run")
    parser.add_argument(
        "--pgbench-clients", type=int, default=0, help="default: the app's DB connections (workers × threads)"
    )
    parser.add_argument(
        "--pg-polls", type=int, default=120, help="polls prepared for pgbench (each holds --voters votes)"
    )
    parser.add_argument("--no-pgbench", action="store_true")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of one vote first")
    parser.add_argument("--wait-quiet", type=float, default=300, help="seconds to wait for other load to go away")
    parser.add_argument("--phases", action="store_true", help="first time the parts of a vote in-process (phases.py)")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the POSTs in sync workers (slower; see README)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and leave gunicorn's log")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    for tool in ("psql", "pgbench"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} not found (apt-get install postgresql-client)")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = args.voters * args.taps + 1024
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(wanted, hard), hard))  # gunicorn inherits it

    url = urllib.parse.urlsplit(args.pg_url)
    pg = {"host": url.hostname or HOST, "port": str(url.port or 5432), "user": url.username or "postgres"}
    db_url = f"{args.pg_url.rstrip('/')}/{args.db}"
    env = django_env(args, pg, db_url)
    RESULTS.mkdir(parents=True, exist_ok=True)
    gunicorn = None
    created = False
    try:
        log(f"creating database {args.db}")
        psql(pg, f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        psql(pg, f'CREATE DATABASE "{args.db}"')
        created = True
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env=env)
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], env=env)
        log(
            f"preparing a poll of {args.items} items for {args.voters} voting codes, and {args.pg_polls} polls for pgbench"
        )
        setup = json.loads(
            run(
                [
                    PYTHON,
                    str(HERE / "prepare.py"),
                    "setup",
                    "--voters",
                    str(args.voters),
                    "--items",
                    str(args.items),
                    "--pg-polls",
                    str(args.pg_polls),
                    "--rounds",
                    str(args.rounds),
                    "--hall-rounds",
                    str(args.rounds if args.hall else 0),
                ],
                env=env,
                capture=True,
            )  # fmt: skip
        )
        if args.show_queries:
            probe = json.loads(run([PYTHON, str(HERE / "prepare.py"), "queries"], env=env, capture=True))
            for name, seen in probe.items():
                print(f"-- {name} vote: HTTP {seen['status']}, {len(seen['queries'])} statements")
                for sql in seen["queries"]:
                    print(f"   {sql[:160]}")

        wait_quiet(args.wait_quiet)
        log("each middleware's CPU per tap, in-process (layers.py)")
        print(run([PYTHON, str(HERE / "layers.py")], env=env, capture=True), flush=True)
        if args.phases:
            wait_quiet(args.wait_quiet)
            log("timing the parts of a vote in-process (phases.py)")
            print(run([PYTHON, str(HERE / "phases.py")], env=env, capture=True), flush=True)
        if args.profile:
            args.worker_class, args.threads = "sync", 1
            for old in RESULTS.glob("profile-*.prof"):
                old.unlink()
        port = free_port()
        cmd = [
            str(BIN / "gunicorn"), "congress.wsgi:application",
            "--pythonpath", f"{ROOT},{HERE}", "--bind", f"{HOST}:{port}",
            "--worker-class", args.worker_class, "--workers", str(args.workers), "--threads", str(args.threads),
            "--worker-connections", str(args.worker_connections), "--backlog", "4096", "--timeout", "120",
            "--no-control-socket", "--log-level", "warning", "--error-logfile", str(RESULTS / "gunicorn.log"),
        ]  # fmt: skip
        if args.profile:
            cmd += ["--config", str(HERE / "gunicorn_profile.py")]
        log(f"starting gunicorn on {HOST}:{port}: {' '.join(cmd[2:])}")
        gunicorn = subprocess.Popen(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL)
        wait_healthy(port, gunicorn)

        clients = args.pgbench_clients or min(args.workers * args.threads, 90)
        script = RESULTS / "cast.pgbench"
        if not args.no_pgbench:
            made = json.loads(run([PYTHON, str(HERE / "prepare.py"), "pgbench"], env=env, capture=True))
            script.write_text(made["script"])
        block = setup["pg_polls"] // args.rounds
        rounds = []
        for r, poll in enumerate(setup["polls"]):
            log(f"round {r + 1}: {args.voters} voters scan their codes and open the sheet")
            t0 = time.perf_counter()
            voters = prepare_voters(port, poll, setup["codes"], concurrency=args.workers * args.threads)
            log(f"voters ready in {time.perf_counter() - t0:.1f} s; settling")
            time.sleep(1)  # let the sheet-fetching load die down before measuring
            analyze(pg, args.db)
            quiet = wait_quiet(args.wait_quiet)
            if quiet > 0.15:
                log(f"WARNING: the machine is still {quiet:.0%} busy with other work: the figures will suffer")

            log(f"burst: {len(voters) * args.taps} POSTs at once")
            cpu0, g0, m0 = client_cpu(), process_cpu(gunicorn.pid, args.db), machine_cpu()
            taps, started = burst(port, voters, args.taps, args.order)
            cpu1, g1, m1 = client_cpu(), process_cpu(gunicorn.pid, args.db), machine_cpu()
            g = cpu_delta(g0, g1)
            wall = max(tap.end for tap in taps) - started
            for tap in taps:
                classify(tap, poll)
            cpu = {
                "client": cpu1 - cpu0,
                "gunicorn": g["gunicorn"],
                "postgres": g["postgres"],
                "busy": m1[0] - m0[0],
                "idle": m1[1] - m0[1],
            }
            log(f"burst over in {wall:.2f} s; checking the database")
            db_check = json.loads(
                run([PYTHON, str(HERE / "prepare.py"), "verify", "--poll", str(poll)], env=env, capture=True)
            )
            pgb = None
            if not args.no_pgbench:  # gunicorn stays up, idle, between rounds
                analyze(pg, args.db)
                wait_quiet(args.wait_quiet)
                log(f"pgbench: the SQL of a vote ({script}), -c {clients} -T {args.pgbench_seconds}")
                polls = (setup["pg_poll0"] + r * block, block)
                pgb = pgbench(pg, args.db, setup, clients, args.pgbench_seconds, script, polls)
            rounds.append(figures(args, taps, wall, cpu, db_check, pgb))
        hall = []
        for r, poll in enumerate(setup["hall_polls"]):
            log(f"hall {r + 1}: {args.hall} voters scan their codes and open the sheet")
            voters = prepare_voters(port, poll, setup["codes"][: args.hall], concurrency=args.workers * args.threads)
            time.sleep(1)
            analyze(pg, args.db)
            wait_quiet(args.wait_quiet)
            counts = [random.choice((1, 2)) for _ in voters]  # a tap, or a tap and a nervous second
            log(f"hall: {sum(counts)} POSTs at once")
            taps, started = burst(port, voters, counts, args.order)
            wall = max(tap.end for tap in taps) - started
            for tap in taps:
                classify(tap, poll)
            db_check = json.loads(
                run([PYTHON, str(HERE / "prepare.py"), "verify", "--poll", str(poll)], env=env, capture=True)
            )
            cpu = {"client": 0.0, "gunicorn": 0.0, "postgres": 0.0, "busy": 0.0, "idle": 0.0}
            hall.append(figures(args, taps, wall, cpu, db_check, None))
        stop(gunicorn)
        ok = report(args, rounds, hall)
        if args.profile:
            print_profile()
        return 0 if ok else 1
    finally:
        stop(gunicorn)
        if created and not args.keep:
            try:
                psql(pg, f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
            except subprocess.CalledProcessError as exc:
                log(f"could not drop {args.db}: {exc}")


if __name__ == "__main__":
    sys.exit(main())
