"""``manage.py audit_checkpoint``: append a signed checkpoint of the chain's head outside the database."""
from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from rag.audit.checkpoints import audit_checkpoint_write


class Command(BaseCommand):
    """Signs the chain's current head and appends it to ``AUDIT_CHECKPOINT_PATH`` (and syslog, if set)."""

    help = ("Append a signed checkpoint (newest event id and hash, event count, time; HMAC-SHA256 with AUDIT_KEY) "
            "to AUDIT_CHECKPOINT_PATH (and syslog with AUDIT_CHECKPOINT_SYSLOG). audit_verify then fails if the "
            "trail is cut short before it. Nothing is written for an empty trail or an unchanged head.")

    def handle(self, *args, **options):
        checkpoint = audit_checkpoint_write()
        if checkpoint is None:
            self.stdout.write(f"nothing new to checkpoint ({settings.AUDIT_CHECKPOINT_PATH})")
            return
        self.stdout.write(f"checkpoint: event {checkpoint['event_id']}, {checkpoint['count']} events, hash "
                          f"{checkpoint['hash']} -> {settings.AUDIT_CHECKPOINT_PATH}")
