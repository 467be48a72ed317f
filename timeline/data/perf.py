"""Small helpers that keep big data folders fast."""
from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a bulk of long-lived objects is built.

    Collections would scan the growing heap again and again: more than half the time of
    loading 100,000 events. Reference counting still frees everything that is not a cycle.
    Nested uses are fine: only the outermost one turns collection back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def long_lived() -> Iterator[None]:
    """gc_paused, for building what is to live long (a chronology, its frame): then what was made is moved
    to the collector's oldest generation without being scanned. Left young, 100,000 events' objects would
    be scanned by the next young collection (0.3 s), again by a middle one, and would bring on a full one.

    Only when collection was on and nothing is frozen: a caller that manages the collector itself (the
    app pauses it around loading, then freezes what it loaded) is left to do so.
    """
    promote = gc.isenabled() and not gc.get_freeze_count()
    with gc_paused():
        yield
        if promote:
            gc.freeze()    # every object the collector tracks, unscanned, to the permanent generation;
            gc.unfreeze()  # from there to the oldest one, which full collections still scan


class Kept:
    """The last `size` values made for their keys, shared by every thread (a server runs each session's script in a
    thread of its own); the least recently used goes first. A key must name everything the value is made from."""

    def __init__(self, size: int):
        self.size = size
        self._values: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], object]):
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = make()  # outside the lock: another session's run need not wait for this one's
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
