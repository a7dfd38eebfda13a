"""Public pages and feeds cached by programme version: a repeated request costs no SQL.

The modules, from the bottom up:

* ``store``: the shared store (Flask-Caching; Redis in production), which
  degrades to "no cache" when Redis fails;
* ``stamp``: the programme stamp (edition, version, last change) every page
  depends on, this process's copy of it, and the session hooks that publish
  it after each commit that changed an edition;
* ``pages``: the ``public_cached`` decorator, its cache key, this process's
  LRU of bodies, and gzip;
* ``memory``: the collector paused during a cold build, and the opt-in glibc
  tuning (``CACHE_MEMORY_TUNING``);
* ``replay``: the WSGI layer that answers repeated anonymous requests for
  cached pages without running Flask, after the same pre-request checks.

No domain's services import this package: it learns of programme changes from
the session (``stamp``), and only the public views use ``public_cached``.
"""

from __future__ import annotations

from flask import Flask

from congress.caching import memory, pages, stamp, store


def init_app(app: Flask) -> None:
    """The shared store, this process's local layers, the memory tuning and the session hooks."""
    store.init_app(app)
    local = pages.init_app(app)
    memo = stamp.init_app(app)
    store.add_local_layer(app, local.clear)
    store.add_local_layer(app, memo.forget)
    memory.init_app(app)
