import logging

from django.apps import AppConfig
from django.core.signals import request_finished


class OpsConfig(AppConfig):
    """Running Meridian in production: health checks, request ids and JSON logs, the page
    shown while the database is away, backups, the scheduled jobs, public answers' caching,
    load shedding and read replicas. Its one model is the directory version."""

    name = "ops"

    def ready(self) -> None:
        from ops import logs

        request_finished.connect(logs.forget_request_id, dispatch_uid="ops.forget_request_id")
        # Python warnings become log records, so they reach the log as JSON lines too.
        logging.captureWarnings(True)
