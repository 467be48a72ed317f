"""Which addresses the server listens on: loopback only as `make run` starts it, every interface as `make serve` does."""
from __future__ import annotations

import ipaddress
import subprocess
import tempfile
from pathlib import Path

from browser.appserver import free_port, start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent


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


def serve(address: str | None) -> tuple[subprocess.Popen, int]:
    """The app served as the Makefile's targets serve it (on a free port: 8501 may be in use)."""
    port = free_port()
    proc, _ = start_server(port=port, address=address, log=Path(tempfile.mkstemp(suffix=".log")[1]))
    return proc, port


def test_make_run_listens_on_loopback_only():
    proc, port = serve(None)  # make run: the address of .streamlit/config.toml
    try:
        addresses = listening(port)
    finally:
        stop_server(proc)
    assert addresses and all(ipaddress.ip_address(a).is_loopback for a in addresses), addresses


def test_make_serve_listens_beyond_loopback():
    proc, port = serve("0.0.0.0")  # make serve
    try:
        addresses = listening(port)
    finally:
        stop_server(proc)
    assert "0.0.0.0" in addresses, addresses


def test_the_makefile_targets_are_the_commands_tested():
    text = (ROOT / "Makefile").read_text()
    assert ".venv/bin/python -m streamlit run app.py\n" in text
    assert ".venv/bin/python -m streamlit run app.py --server.address 0.0.0.0\n" in text
