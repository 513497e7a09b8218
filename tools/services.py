"""Development PostgreSQL and Redis from the operating system's packages, kept inside var/services/.

    python tools/services.py start    # initdb (once), pg_ctl start, redis-server, on free loopback ports
    python tools/services.py stop
    python tools/services.py env      # prints TONGXIN_TEST_PG=... and TONGXIN_REDIS_URL=... of the running pair
    eval "$(python tools/services.py ensure-test)"  # for `make test`: exports TONGXIN_TEST_PG/REDIS

`ensure-test` keeps a PostgreSQL (127.0.0.1:5432) and Redis (6379) that already answer, or the servers named by
TONGXIN_TEST_PG / TONGXIN_TEST_REDIS; otherwise it starts the pair above when the binaries exist, and otherwise
leaves the defaults (the suite then skips those tests with the reason, or fails in CI). Standard library only: it runs before the virtualenv matters.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOME = Path(os.environ.get("TONGXIN_SERVICES_DIR", ROOT / "var" / "services"))
STATE = HOME / "ports.json"
DEFAULT_TEST_PG = "postgres://postgres@127.0.0.1:5432/test"
DEFAULT_TEST_REDIS = "redis://127.0.0.1:6379/0"


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    # Debian/Ubuntu keep the PostgreSQL programs outside PATH, one folder per major version.
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _as_postgres_user() -> list[str]:
    """initdb and postgres refuse to run as root: run them as the `postgres` account then."""
    if os.geteuid() != 0:
        return []
    for tool in ("runuser", "setpriv"):
        if shutil.which(tool):
            return ["runuser", "-u", "postgres", "--"] if tool == "runuser" else [
                "setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"]
    raise SystemExit("running as root without runuser/setpriv: cannot start PostgreSQL")


def _state() -> dict[str, int]:
    return json.loads(STATE.read_text()) if STATE.exists() else {}


def _urls(state: dict[str, int]) -> dict[str, str]:
    return {"TONGXIN_TEST_PG": f"postgres://postgres@127.0.0.1:{state['pg']}/test",
            "TONGXIN_DATABASE_URL_PG": f"postgres://postgres@127.0.0.1:{state['pg']}/tongxin",
            "TONGXIN_REDIS_URL": f"redis://127.0.0.1:{state['redis']}/0",
            "TONGXIN_TEST_REDIS": f"redis://127.0.0.1:{state['redis']}/0"}


def start() -> dict[str, int]:
    state = _state()
    if state and _answers(state["pg"]) and _answers(state["redis"]):
        return state
    initdb, pg_ctl, createdb = _binary("initdb"), _binary("pg_ctl"), _binary("createdb")
    redis = _binary("redis-server")
    if not (initdb and pg_ctl and createdb and redis):
        raise SystemExit("needs initdb, pg_ctl, createdb (postgresql) and redis-server (redis-server) installed")
    HOME.mkdir(parents=True, exist_ok=True)
    data, sockets = HOME / "pgdata", HOME / "run"
    sockets.mkdir(exist_ok=True)
    run_as = _as_postgres_user()
    if run_as:
        subprocess.run(["chown", "-R", "postgres:postgres", str(HOME)], check=True)
    if not (data / "PG_VERSION").exists():
        subprocess.run([*run_as, initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                        "--locale=C.UTF-8"], check=True, stdout=subprocess.DEVNULL)
    pg_port, redis_port = _free_port(), _free_port()
    options = f"-p {pg_port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    subprocess.run([*run_as, pg_ctl, "-D", str(data), "-l", str(HOME / "postgres.log"), "-o", options, "-w",
                    "start"], check=True, stdout=subprocess.DEVNULL)
    for name in ("test", "tongxin"):
        subprocess.run([*run_as, createdb, "-h", "127.0.0.1", "-p", str(pg_port), "-U", "postgres", name],
                       stderr=subprocess.DEVNULL)
    subprocess.run([redis, "--port", str(redis_port), "--bind", "127.0.0.1", "--daemonize", "yes",
                    "--save", "", "--appendonly", "no", "--dir", str(HOME),
                    "--pidfile", str(HOME / "redis.pid"), "--logfile", str(HOME / "redis.log")], check=True)
    for _ in range(50):
        if _answers(redis_port):
            break
        time.sleep(0.1)
    state = {"pg": pg_port, "redis": redis_port}
    STATE.write_text(json.dumps(state))
    return state


def stop() -> None:
    pg_ctl = _binary("pg_ctl")
    data = HOME / "pgdata"
    if pg_ctl and (data / "postmaster.pid").exists():
        subprocess.run([*_as_postgres_user(), pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"],
                       stdout=subprocess.DEVNULL)
    pidfile = HOME / "redis.pid"
    if pidfile.exists():
        try:
            pid = int(pidfile.read_text().strip())
            os.kill(pid, 15)
            for _ in range(100):  # redis saves nothing here, but takes a moment to close its port
                time.sleep(0.05)
                os.kill(pid, 0)
        except (ProcessLookupError, ValueError):
            pass
        pidfile.unlink(missing_ok=True)
    STATE.unlink(missing_ok=True)


def ensure_test() -> dict[str, str]:
    """PostgreSQL and Redis for the test suite: servers already answering, else our own pair, else nothing
    (the suite then skips those tests with the reason, or fails in CI)."""
    from urllib.parse import urlsplit

    wanted = {"TONGXIN_TEST_PG": os.environ.get("TONGXIN_TEST_PG", DEFAULT_TEST_PG),
              "TONGXIN_TEST_REDIS": os.environ.get("TONGXIN_TEST_REDIS", DEFAULT_TEST_REDIS)}
    missing = [key for key, url in wanted.items()
               if key not in os.environ and not _answers(urlsplit(url).port or 0)]
    if not missing:
        return wanted
    try:
        ours = _urls(start())
    except (SystemExit, subprocess.CalledProcessError) as exc:
        print(f"tools/services.py: cannot start PostgreSQL/Redis for the tests ({exc})", file=sys.stderr)
        return wanted
    for key in missing:
        wanted[key] = ours[key]
    return wanted


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "start"
    if command == "start":
        for key, value in _urls(start()).items():
            print(f"{key}={value}")
    elif command == "stop":
        stop()
    elif command == "env":
        state = _state()
        for key, value in (_urls(state) if state else {}).items():
            print(f"{key}={value}")
    elif command == "ensure-test":
        for key, value in ensure_test().items():
            print(f"export {key}={value}")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
