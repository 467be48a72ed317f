"""A smaller classroom than bench/load_test.py: a few concurrent sessions, each isolated."""
import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import load_test  # noqa: E402


def test_concurrent_sessions_each_see_their_own_view():
    # In a thread of its own: the other browser tests' sync Playwright keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        results = pool.submit(asyncio.run, load_test.run(4, budget=240)).result()
    assert all(r["ok"] for r in results), load_test.report(results)
