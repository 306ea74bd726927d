"""A logging filter that masks anything shaped like a CPR number before it is written.

It is attached to every handler the project configures (`LOGGING` in the settings: the
application's log and the development server's access log) and to gunicorn's access and error
logs (the project's `gunicorn.conf.py`). A URL-encoded separator (`+`, `%20`, `%2D`) counts too, so a
CPR number typed into a URL by hand is masked in the access log as well.
"""

import logging

from anvis_core.cpr import redact_cpr


def redact(text: str) -> str:
    return redact_cpr(text)


class RedactCprFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = ()
        return True
