"""Memory during and after a cold build: the collector paused, glibc's allocator tuned.

The collector pause applies to every cold build. The glibc tuning (a fixed
``mmap`` threshold, ``malloc_trim`` after a large build) changes how the
whole process allocates, so it is opt-in: ``CACHE_MEMORY_TUNING``
(``CONGRESS_CACHE_MEMORY_TUNING``) is on by default in production, where
``bench/programme_bench.py`` measured what it saves, and in the test suite,
which checks it; off in development, and wherever it is turned off. Nothing
happens where the C library is not glibc (macOS, musl).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache

from flask import Flask, current_app

#: A cold build whose body is at least this large hands its freed memory back to the system.
TRIM_AFTER_BYTES = 1024 * 1024
#: glibc's ``mallopt`` parameter number of ``M_MMAP_THRESHOLD``.
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 256 * 1024


def init_app(app: Flask) -> None:
    """Apply the process-wide part of the tuning when ``CACHE_MEMORY_TUNING`` asks for it."""
    app.config.setdefault("CACHE_MEMORY_TUNING", False)
    if app.config["CACHE_MEMORY_TUNING"]:
        _keep_large_blocks_mapped()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run a cold build without the cyclic garbage collector, then turn it back on.

    Why: a build of 1,000 talks creates a few hundred thousand objects that
    live until the page is done (ORM rows, plan entries, strings). Their
    number keeps triggering full collections, each walking every object of the
    process (the whole application, 130,000 objects and more) to find almost
    nothing: a third of a cold build's time, and its main source of jitter.
    Reference counting still frees everything acyclic at once; the few cycles
    (ORM back-references) are collected as usual once the build is over. Only
    the caller that paused it turns the collector back on, so nested or
    concurrent builds (threaded workers) never leave it off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def after_cold_build(body_size: int) -> None:
    """Once a cold build is cached: hand a large build's freed memory back, if tuning is on."""
    if body_size >= TRIM_AFTER_BYTES and current_app.config["CACHE_MEMORY_TUNING"]:
        _return_freed_memory()


@lru_cache(maxsize=1)
def _glibc() -> ctypes.CDLL | None:
    """The C library when it is glibc (it has ``malloc_trim``), else ``None`` (macOS, musl)."""
    try:
        library = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        library.malloc_trim  # noqa: B018 - raises AttributeError outside glibc
    except (OSError, AttributeError):
        return None
    return library


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or ``None`` where the C library has none."""
    library = _glibc()
    return library.malloc_trim if library is not None else None


def _keep_large_blocks_mapped() -> None:
    """Ask glibc to serve every block of 256 KiB and more with its own mapping.

    Why: glibc raises that threshold by itself each time such a block is
    freed, up to 32 MiB, after which multi-MiB bodies (a 10,000-talk feed read
    from the shared cache, its compressed copy) come from the main heap, whose
    freed pages it keeps. A fixed threshold gives them back on ``free``.
    Process-wide and idempotent; nothing happens where there is no glibc.
    """
    library = _glibc()
    if library is not None:
        library.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)


def _return_freed_memory() -> None:
    """Give the pages a large cold build freed back to the system.

    Why: building a page of 10,000 talks allocates tens of MiB (rows, records,
    strings, the body twice over) that are all freed once it is cached, but the
    C allocator keeps the freed pages mapped, so each worker that ever built
    one stayed that much larger for the rest of its life (``bench/
    programme_bench.py`` reads worker memory after its run). ``malloc_trim``
    costs a few milliseconds, only after the rare cold build of a large page.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
