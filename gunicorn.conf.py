"""gunicorn settings for Anvis (the web service; docs/operations.md).

Every value can be set from the environment, so the demo (`make run`), the local production
profile (`make serve-prod`) and the systemd unit (deploy/systemd/anvis-web.service) share this
file. Access log lines carry no query strings, so no search term (or CPR number) is logged,
and the access and error logs pass through the CPR mask (`anvis.common.logging.RedactCprFilter`):
a CPR-shaped value in a path or a referer is written as `XXXXXX-XXXX`.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

from gunicorn.glogging import Logger

from anvis.common.logging import RedactCprFilter

# --- the access log format: the one place it is defined -------------------------------------
# %(h)s client, %(t)s time, %(m)s method, %(U)s path without the query string, %(s)s status,
# %(B)s bytes, %(M)s milliseconds.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
access_log_format = ACCESS_LOG_FORMAT
# -----------------------------------------------------------------------------------------------

wsgi_app = "anvis.config.wsgi:application"
bind = [os.environ.get("ANVIS_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("WEB_CONCURRENCY", str(min(4, multiprocessing.cpu_count() * 2))))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle workers after this many requests (0: never), to return memory held by big imports.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Behind the TLS proxy on the same host: trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proxy_allow_ips = forwarded_allow_ips
# No runtime control socket: several instances may run on one host (and the demo beside them),
# and the services are managed by systemd.
control_socket_disable = True


class CprMaskingLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger with the CPR mask on its access and error logs."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(f, RedactCprFilter) for f in log.filters):
                log.addFilter(RedactCprFilter())


logger_class = CprMaskingLogger
