"""`make services` / `make services-stop` (tools/services.py): a PostgreSQL and a Redis from the OS packages in a
folder of their own, on free ports, that answer, and are gone after stop."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))
import services  # noqa: E402


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _run(home: Path, command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "tools" / "services.py"), command], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "TONGXIN_SERVICES_DIR": str(home)})


@pytest.mark.skipif(not (services._binary("initdb") and services._binary("redis-server")),
                    reason="PostgreSQL (initdb) or redis-server not installed")
def test_services_start_answer_and_stop():
    home = Path(tempfile.mkdtemp(prefix="tongxin-services-"))
    home.chmod(0o755)  # PostgreSQL may run as another account (when we are root)
    try:
        started = _run(home, "start")
        assert started.returncode == 0, started.stderr
        urls = dict(line.split("=", 1) for line in started.stdout.split())
        pg_port = int(urls["TONGXIN_TEST_PG"].rsplit(":", 1)[1].split("/")[0])
        redis_port = int(urls["TONGXIN_REDIS_URL"].rsplit(":", 1)[1].split("/")[0])
        assert _answers(pg_port) and _answers(redis_port)
        ready = subprocess.run([services._binary("pg_isready") or "pg_isready", "-h", "127.0.0.1", "-p",
                                str(pg_port)], capture_output=True, text=True)
        assert ready.returncode == 0, ready.stdout
        assert _run(home, "env").stdout == started.stdout  # the running pair, from its state file
    finally:
        stopped = _run(home, "stop")
        shutil.rmtree(home, ignore_errors=True)
    assert stopped.returncode == 0, stopped.stderr
    assert not _answers(pg_port) and not _answers(redis_port)
