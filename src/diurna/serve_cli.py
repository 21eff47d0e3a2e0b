"""`diurna serve`: the dashboard and JSON API over a store (needs the `web` extra)."""
from __future__ import annotations

import sys

from .errors import MissingExtra


def register(sub) -> None:
    p = sub.add_parser("serve", help="browse a store in a web dashboard, or query it over HTTP")
    p.add_argument("--db", help="DuckDB store (default: $DIURNA_DB or ./diurna.duckdb)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--enable-code", action="store_true",
                   help="allow POST /api/code to code posted text (loads the model on first use)")
    p.add_argument("--model", default=None, help="spaCy pipeline for --enable-code")
    p.set_defaults(run=run)


def run(args) -> int:
    try:
        import uvicorn
        from .api import Settings, create_app
    except ImportError:
        raise MissingExtra("diurna serve", "web") from None
    from .store import default_db_path

    settings = Settings(db=args.db or default_db_path(), enable_code=args.enable_code, model=args.model)
    app = create_app(settings)
    shown = "localhost" if args.host in ("127.0.0.1", "::1") else args.host
    print(f"diurna: serving {settings.db} at http://{shown}:{args.port}/ "
          f"(API schema at /api/openapi.json; Ctrl-C stops)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0


# -- running a server from scripts and tests ------------------------------------------
def free_port(host: str = "127.0.0.1") -> int:
    import socket
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def start_server(db: str, port: int, host: str = "127.0.0.1", extra: tuple[str, ...] = ()):
    """`diurna serve` in a child process, as a person would run it; the caller stops it."""
    import subprocess
    return subprocess.Popen([sys.executable, "-m", "diurna.cli", "serve", "--db", str(db),
                             "--host", host, "--port", str(port), *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_until_up(base_url: str, process=None, timeout: float = 15.0) -> float:
    """Seconds until GET /api/health answers 200; raises if the server dies or never answers."""
    import time
    import urllib.request
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
