"""Gunicorn settings for production (``make serve-prod``).

Workers follow the CPU count; the app keeps no per-process state that matters
(sessions are signed cookies checked against the database, caches and rate
limits live in Redis), so any number of workers and hosts can serve together.
The access log names the path without its query string, and masks the
capability tokens that some paths carry.
"""

import multiprocessing
import os

bind = os.environ.get("CONGRESS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("CONGRESS_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = os.environ.get("CONGRESS_WORKER_CLASS", "gthread")
threads = int(os.environ.get("CONGRESS_THREADS", "4"))
# Import the app once in the master: workers share its memory pages (copy on write).
preload_app = True
timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so no leak can build up, but rarely: each recycle
# drops the keep-alive connections that worker held.
max_requests = 100_000
max_requests_jitter = 10_000
limit_request_line = 4094
limit_request_fields = 100
# Trust X-Forwarded-* only from the local reverse proxy.
forwarded_allow_ips = os.environ.get("CONGRESS_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
logger_class = "congress.gunicorn_logging.RedactingLogger"
# %(U)s is the path alone: query strings never reach the log.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'
proc_name = "congress"
