"""Which addresses the server listens on: loopback only as `make run` starts it, every interface as `make serve` does."""
from __future__ import annotations

import ipaddress
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port: int) -> set[str]:
    """The local addresses with a socket in LISTEN state on `port`, from /proc/net/tcp and tcp6."""
    found = set()
    for name, width in (("tcp", 4), ("tcp6", 16)):
        path = Path(f"/proc/net/{name}")
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            local, state = fields[1], fields[3]
            addr_hex, port_hex = local.split(":")
            if state != "0A" or int(port_hex, 16) != port:
                continue
            raw = bytes.fromhex(addr_hex)
            # /proc writes each 32-bit word in host (little-endian) order
            raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
            found.add(str(ipaddress.ip_address(raw)))
    return found


def serve(*extra: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    # the command of the Makefile's targets, on a free port (8501 may be in use)
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), *extra]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                return proc, port
        except OSError:
            time.sleep(0.3)
    stop(proc)
    pytest.fail("streamlit did not start")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def test_make_run_listens_on_loopback_only():
    proc, port = serve()
    try:
        addresses = listening(port)
    finally:
        stop(proc)
    assert addresses and all(ipaddress.ip_address(a).is_loopback for a in addresses), addresses


def test_make_serve_listens_beyond_loopback():
    proc, port = serve("--server.address", "0.0.0.0")
    try:
        addresses = listening(port)
    finally:
        stop(proc)
    assert "0.0.0.0" in addresses, addresses


def test_the_makefile_targets_are_the_commands_tested():
    text = (ROOT / "Makefile").read_text()
    assert ".venv/bin/python -m streamlit run app.py\n" in text
    assert ".venv/bin/python -m streamlit run app.py --server.address 0.0.0.0\n" in text
