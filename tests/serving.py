"""Running `diurna serve` from tests and benchmarks: a free port, a child server, readiness."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def start_server(db: str, port: int, host: str = "127.0.0.1", extra: tuple[str, ...] = ()) -> subprocess.Popen:
    """`diurna serve` in a child process, as a person would run it; the caller stops it."""
    return subprocess.Popen([sys.executable, "-m", "diurna", "serve", "--db", str(db),
                             "--host", host, "--port", str(port), *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_until_up(base_url: str, process: subprocess.Popen | None = None, timeout: float = 15.0) -> float:
    """Seconds until GET /api/health answers 200; raises if the server dies or never answers."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited: {process.stderr.read().decode(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{base_url}/api/health", timeout=1) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.02)
    raise TimeoutError(f"{base_url} did not answer /api/health within {timeout:.0f} s")
