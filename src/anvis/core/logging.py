"""A logging filter that masks anything shaped like a CPR number before it is written."""

import logging
import re

CPR_PATTERN = re.compile(r"(?<!\d)(\d{6})[- ]?(\d{4})(?!\d)")


def redact(text: str) -> str:
    return CPR_PATTERN.sub("XXXXXX-XXXX", text)


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
