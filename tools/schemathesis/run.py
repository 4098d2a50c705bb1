#!/usr/bin/env python3
"""`make test-api`: schemathesis against the OpenAPI document Kassa serves,
with a real key, every check, at least 100 examples an operation. It fails on
any failure of any check. The debug build is started as end2end/starts.json's
`api-fuzz` entry says. hooks.py holds the rules JSON Schema cannot state.

SCHEMATHESIS_SEED picks the seed (fixed by default, so a red run can be
replayed); SCHEMATHESIS_EXAMPLES the examples an operation (default 100)."""

import os
import socket
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from bench import Kassa  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    kassa = Kassa(free_port(), start="api-fuzz")
    try:
        env = dict(os.environ, SCHEMATHESIS_HOOKS="hooks", PYTHONPATH=HERE)
        command = [
            os.path.join(ROOT, ".tools/venv/bin/schemathesis"), "run", f"{kassa.url}/openapi.json",
            "--header", f"Authorization: Bearer {kassa.key}",
            "--checks", "all",
            "--max-examples", os.environ.get("SCHEMATHESIS_EXAMPLES", "100"),
            "--seed", os.environ.get("SCHEMATHESIS_SEED", "20261202"),
            "--workers", "2",
            "--generation-database", "none",
            "--no-color",
            "--report", "junit", "--report-dir", os.path.join(ROOT, "target/schemathesis"),
        ]
        # Its own files (reports, a cache) go under target/, beside the build.
        work = os.path.join(ROOT, "target/schemathesis")
        os.makedirs(work, exist_ok=True)
        return subprocess.run(command, env=env, cwd=work).returncode
    finally:
        kassa.stop()


if __name__ == "__main__":
    sys.exit(main())
