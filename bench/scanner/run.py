"""The scanner, run longer than the suite runs it: the access sweep and the fuzz of
tests/test_scanner.py with more examples per target and a fresh seed, printing the figures
(targets, requests, seconds per role) and, on a failure, the command that replays it.

    .venv/bin/python bench/scanner/run.py                      # 25 examples per target, a new seed
    .venv/bin/python bench/scanner/run.py --examples 100 --seed 7 --roles deputy liaison
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/congress .venv/bin/python bench/scanner/run.py

By hand only (it takes minutes to an hour depending on --examples); the suite runs the same
test with 3 examples per target and seed 30.
"""

import argparse
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROLES = ["anonymous", "deputy", "member", "liaison", "staff", "leader", "admin"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=25, help="hostile requests per form or list (25)")
    parser.add_argument("--seed", type=int, default=None, help="replay a run (default: a new seed, printed)")
    parser.add_argument("--roles", nargs="*", default=ROLES, choices=ROLES)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1, 10**6)
    env = {**os.environ, "SCANNER_SEED": str(seed), "SCANNER_EXAMPLES": str(args.examples), "SCANNER_BUDGET": "0"}
    selector = " or ".join(f"[{role}]" for role in args.roles).replace("[", "").replace("]", "")
    command = [sys.executable, "-m", "pytest", "tests/test_scanner.py", "-q", "-s", "-k", selector]
    print(f"scanner: seed={seed} examples={args.examples} roles={' '.join(args.roles)}", flush=True)
    started = time.monotonic()
    run = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    elapsed = time.monotonic() - started
    figures = re.findall(r"^(sweep|fuzz) (\w+): (.*)$", run.stdout, re.M)
    requests = 0
    print(f"{'':6} {'role':10} figures")
    for kind, role, rest in figures:
        print(f"{kind:6} {role:10} {rest.split('; scanner')[0]}")
        if kind == "fuzz" and (m := re.search(r"(\d+) requests", rest)):
            requests += int(m.group(1))
    print(f"total: {requests} fuzz requests, {elapsed:.0f} s (pytest exit {run.returncode})")
    if run.returncode:
        failed = [line for line in run.stdout.splitlines() if line.startswith(("E ", "FAILED"))]
        print("\n".join(failed[-60:]))
        print(
            f"replay: SCANNER_SEED={seed} SCANNER_EXAMPLES={args.examples} .venv/bin/python -m pytest tests/test_scanner.py"
        )
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
