"""Several uvicorn workers, each with its own SO_REUSEPORT socket on the same port.

With one shared listening socket (uvicorn --workers) the worker that wakes first accepts, and under keep-alive one
worker was seen holding all 32 benchmark connections (issue 11). With a socket per worker the kernel spreads new
connections across the workers by hash.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
from typing import Any


def _reuse_port_socket(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _worker(host: str, port: int, log_level: str) -> None:
    import uvicorn

    from api.app import create_served_app
    from api.server import server_config
    from api.settings import Settings

    sock = _reuse_port_socket(host, port)
    # The same guards as one process (slow and idle connections, websocket frames) and our JSON logging.
    config = server_config(create_served_app(), Settings.from_env(), log_level=log_level, lifespan="on",
                           log_config=None)
    uvicorn.Server(config).run(sockets=[sock])


def serve_reuse_port(*, host: str, port: int, workers: int, log_level: str) -> None:
    context = multiprocessing.get_context("spawn")
    processes: list[Any] = [context.Process(target=_worker, args=(host, port, log_level)) for _ in range(workers)]
    for process in processes:
        process.start()

    def stop(signum: int, frame: Any) -> None:
        for process in processes:
            if process.pid:
                os.kill(process.pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for process in processes:
        process.join()
