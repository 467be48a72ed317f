"""Start and stop `streamlit run app.py` for the browser tests and the load script."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data: Path | None = None, port: int | None = None, *, root: Path = ROOT,
                 log: Path | None = None, address: str | None = "127.0.0.1", env: dict[str, str] | None = None):
    """`streamlit run app.py` of `root` on a free port; returns (process, base URL). `address=None` leaves the
    listening address to .streamlit/config.toml, as `make run` does; `env` is added to the server's environment."""
    port = port or free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(root / "app.py"), "--server.headless", "true",
           "--server.port", str(port), "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    if address:
        cmd += ["--server.address", address]
    if data:
        cmd += ["--", "--data", str(data)]
    if log is None:
        ARTIFACTS.mkdir(exist_ok=True)
        log = ARTIFACTS / f"server-{port}.log"
    proc = subprocess.Popen(cmd, cwd=root, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
                            env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok":
                return proc, url
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError(f"streamlit did not start; see {log}")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
