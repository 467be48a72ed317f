"""A smaller classroom than bench/load_test.py: a few concurrent sessions, each isolated."""
import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import load_test  # noqa: E402


def test_concurrent_sessions_each_see_their_own_view():
    results = asyncio.run(load_test.run(4, budget=240))
    assert all(r["ok"] for r in results), load_test.report(results)
