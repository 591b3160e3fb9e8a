"""Gunicorn settings for one Editions app server: ``gunicorn -c deploy/gunicorn.conf.py``.

Every value may be set from the environment without editing this file (README,
"Deploying"). The app is ``webapp:create_app()``; its own settings are ``EDITIONS_*``.
"""

from __future__ import annotations

import multiprocessing
import os

wsgi_app = "webapp:create_app()"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# Sync workers: a request is short (every page is bounded, `bench/`), and a process per
# request in flight keeps one slow request from holding up the others. Gunicorn's own
# rule, two per core plus one, unless GUNICORN_WORKERS says otherwise.
workers = int(os.environ.get("GUNICORN_WORKERS") or multiprocessing.cpu_count() * 2 + 1)
# Above Editions' own limits (a web request's statement and lock timeouts answer 503
# well before): a worker stuck past this is killed and replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30  # a restart lets requests in flight finish
keepalive = 5  # above nginx's upstream keepalive reuse, below its timeout
# The app is built once, in the master, and forked: workers start (and are replaced) at
# once, share its memory, and a broken configuration stops the master before it listens.
preload_app = True
# Recycled now and then, so a slow leak in any library never grows without bound.
max_requests = 2000
max_requests_jitter = 200

# One line a request on stdout, with the client as the proxy reported it and the time.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# The proxies (nginx) whose X-Forwarded-Proto Gunicorn believes for the request's
# scheme; the app reads X-Forwarded-For and -Proto itself through EDITIONS_PROXIES.
# Set both to the same proxies: nginx's addresses here, their count there.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(_server, worker) -> None:
    """A worker opens connections of its own: none made before the fork is shared."""
    worker.app.wsgi().extensions["editions"].engine.dispose(close=False)
