"""Secrets that travel in an address (the calendar feed token, which a calendar program cannot
send any other way) are cut out of every log line: gunicorn's access log (``GunicornLogger``,
set in ``gunicorn.conf.py``) and Django's own logging (``RedactSecrets``, on the console handler).

Imports nothing from Django, so gunicorn's master can load it before the app.
"""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger

# spo:calendar_feed, "/spo/calendar/feed/<token>.ics".
_SECRET_IN_PATH = re.compile(r"(/calendar/feed/)[^/?#\s\"]+")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """``text`` with any secret in an address replaced by ``[redacted]``."""
    return _SECRET_IN_PATH.sub(r"\g<1>" + REDACTED, text)


def _redacted(value):
    return redact(value) if isinstance(value, str) else value


class RedactSecrets(logging.Filter):
    """A logging filter that redacts secrets from the message and its arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _redacted(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _redacted(value) for key, value in record.args.items()}
        elif record.args:
            record.args = tuple(_redacted(value) for value in record.args)
        return True


class GunicornLogger(Logger):
    """Gunicorn's logger, with every access-log field redacted."""

    def atoms(self, resp, req, environ, request_time):
        return {
            key: _redacted(value)
            for key, value in super().atoms(resp, req, environ, request_time).items()
        }
