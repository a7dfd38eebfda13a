"""Gunicorn settings for production (``make serve-prod``).

Workers follow the CPU count; the app keeps no per-process state that matters
(sessions are signed cookies checked against the database, caches and rate
limits live in Redis), so any number of workers and hosts can serve together.
The access log names the path without its query string, and masks the
capability tokens that some paths carry.

Two pools of the same app run side by side (``CONGRESS_POOL``), and
``deploy/nginx.conf`` routes between them: ``public`` (port 8000) answers the
programme, the feeds and the static pages; ``private`` (port 8001) answers the
forms, the attendees' private links and the dashboard. Why: a gthread worker
hands requests to its threads in arrival order, so in one shared pool a page
that costs a millisecond waited behind registrations that cost a hundred, and
during a registration rush the p99 of the public pages rose from under 100 ms
to 0.5-2 s (``bench/load_bench.py``, part b). Apart, neither pool queues behind
the other's work. Either pool can answer every route: one pool alone (no
nginx, or a small host) is still a complete site.
"""

import multiprocessing
import os
from typing import Any

# Each worker runs several threads, so a pool needs about one process per core, not
# gunicorn's usual two. On 2 cores that makes 3 + 2 processes, as many as the single
# pool of 2 x 2 + 1 had: no more memory, and during the rush the public pages' p99
# was lower than with 5 + 3 workers (most runs 50-85 ms against 55-120 ms in
# bench/load_bench.py).
POOLS = {
    # name: (default address, default number of workers)
    "public": ("127.0.0.1:8000", multiprocessing.cpu_count() + 1),
    "private": ("127.0.0.1:8001", max(2, multiprocessing.cpu_count())),
}
pool = os.environ.get("CONGRESS_POOL", "public")
if pool not in POOLS:
    raise SystemExit(f"CONGRESS_POOL must be one of {', '.join(POOLS)}, not {pool!r}")
default_bind, default_workers = POOLS[pool]

bind = os.environ.get("CONGRESS_BIND", default_bind)
workers = int(os.environ.get("CONGRESS_WORKERS", default_workers))
worker_class = os.environ.get("CONGRESS_WORKER_CLASS", "gthread")
threads = int(os.environ.get("CONGRESS_THREADS", "4"))
# Import the app once in the master: workers share its memory pages (copy on write).
preload_app = True
timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so no leak can build up, but rarely: each recycle
# drops the keep-alive connections that worker held (a client that had just sent
# a request on one gets a reset). A public worker answers up to 1,200 cached pages
# a second under a flood, so 100,000 requests came round every minute or two; a
# million is a quarter of an hour of flood, and days of ordinary traffic.
max_requests = 1_000_000
max_requests_jitter = 100_000
limit_request_line = 4094
limit_request_fields = 100
# Trust X-Forwarded-* only from the local reverse proxy.
forwarded_allow_ips = os.environ.get("CONGRESS_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
logger_class = "congress.gunicorn_logging.RedactingLogger"
# %(U)s is the path alone: query strings never reach the log.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'
proc_name = f"congress-{pool}"


def when_ready(server: Any) -> None:
    """In the master, once the app is loaded and before any worker forks.

    Every worker then starts with the compiled templates and the catalogs
    (``congress.prefork``) instead of building them on its first requests.
    """
    from congress.prefork import warm_up

    count = warm_up(server.app.wsgi())
    server.log.info("templates compiled and catalogs loaded before forking (%d templates)", count)
