"""Gunicorn settings, shared by `make run` (Procfile) and docker-compose."""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Load the app (and WeasyPrint) once in the master; workers fork with it ready.
preload_app = True
timeout = 60
accesslog = "-"
# Paths carry record ids only; query strings may hold search terms, so they are left out.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
# The calendar feed's secret token is in its path: the logger writes it as "[redacted]".
logger_class = "stalking_clinic.log_redaction.GunicornLogger"
