"""Keep secrets out of logs: bearer tokens, passwords and database passwords are masked.

Attached to the loggers Setu and uvicorn write to, so a stray ``logger.info(request.headers)`` or a
database URL in an error message cannot leak a credential.
"""

from __future__ import annotations

import logging
import re

_PATTERNS = (
    (re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"), r"\1[redacted]"),
    (re.compile(r"(?i)(\"?(?:password|access_token|token)\"?\s*[:=]\s*\"?)[^\"\s,&}]+"), r"\1[redacted]"),
    (re.compile(r"(://[^:/@\s]+:)[^@\s]+@"), r"\1[redacted]@"),
)
LOGGERS = ("setu", "setu.api", "setu.register", "uvicorn", "uvicorn.error", "uvicorn.access", "sqlalchemy.engine")


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install() -> None:
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
