"""gunicorn settings for production (docs/operations.md):

    gunicorn -c python:anvis.config.gunicorn anvis.config.wsgi

The access log (standard output by default) and the error log pass through the CPR mask
(`anvis.core.logging.RedactCprFilter`): a CPR-shaped value in a request line, query string or
referer is written as `XXXXXX-XXXX`. Environment: `ANVIS_BIND` (default 127.0.0.1:8000),
`WEB_CONCURRENCY` (workers, default 4), `ANVIS_ACCESS_LOG` (a file, default `-`: stdout).
"""

from __future__ import annotations

import os
from typing import Any

from gunicorn.glogging import Logger

from anvis.core.logging import RedactCprFilter

bind = os.environ.get("ANVIS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
accesslog = os.environ.get("ANVIS_ACCESS_LOG", "-")
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'


class CprMaskingLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger with the CPR mask on its access and error logs."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(f, RedactCprFilter) for f in log.filters):
                log.addFilter(RedactCprFilter())


logger_class = CprMaskingLogger
