"""gunicorn settings shared by the Docker image and `make prod` (read from the working directory).

Sized for a small server (2 cores): a few processes with threads, because most of a request's
time is spent waiting for PostgreSQL. Override with WEB_CONCURRENCY / WEB_THREADS.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("WEB_THREADS", "4"))
# Recycle workers now and then (memory growth), staggered so they do not restart together.
max_requests = 1000
max_requests_jitter = 100
# A request taking longer is stuck: the worker is replaced (PDF export runs in the task worker).
timeout = 60
graceful_timeout = 30
accesslog = "-"
# The client address, method, path (without the query string: searches may hold names),
# status, size and duration in microseconds.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(D)s'
# gunicorn's control socket lives in a fixed path in $HOME: two instances on one machine would
# share it. Nothing here uses it.
control_socket_disable = True
