"""``manage.py audit_verify``: recompute the keyed hash chain and hold it against the signed
checkpoints; exit 0 if intact, 1 at the first contradiction."""
from __future__ import annotations

import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from rag.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    """Re-verifies the whole chain and the signed checkpoints; exits 1 naming the first break."""

    help = ("Verify the audit trail: every event's HMAC-SHA256 under AUDIT_KEY, every prev_hash link in id order, "
            "and every signed checkpoint in AUDIT_CHECKPOINT_PATH (catches deleted newest events and truncation). "
            "Exit status 0 when intact, 1 at the first break (printed with what and where).")

    def add_arguments(self, parser):
        parser.add_argument("--expect-head", metavar="HASH",
                            help="fail unless the chain's head hash is this (an anchor noted earlier, e.g. from a "
                                 "previous run): shows events removed from the end since, even before a checkpoint")

    def handle(self, *args, expect_head: str | None, **options):
        result = audit_chain_verify()
        speed = f"{result.duration_s:.2f} s, {result.events_per_s:,.0f} events/s"
        marks = f"{result.checkpoints_matched} of {result.checkpoints} checkpoints matched"
        if not result.ok:
            where = (f"at event {result.first_broken_id} ({result.first_broken_event_type})"
                     if result.first_broken_id is not None else "after the last event")
            self.stderr.write(f"BROKEN {where}: {result.reason}")
            good = (f"event {result.head_id}, hash {result.head_hash}" if result.head_id is not None
                    else "none")
            self.stderr.write(f"last intact link: {good}; {result.checked} events read in {speed}; {marks} "
                              f"({settings.AUDIT_CHECKPOINT_PATH})")
            sys.exit(1)
        if result.checked == 0:
            self.stdout.write(f"OK: the audit trail is empty and no checkpoint covers any event "
                              f"({settings.AUDIT_CHECKPOINT_PATH})")
        else:
            self.stdout.write(f"OK: {result.checked} events verified in {speed}; {marks}")
            self.stdout.write(f"head: event {result.head_id}, hash {result.head_hash}")
            if result.checkpoints == 0:
                self.stderr.write(f"warning: no checkpoints in {settings.AUDIT_CHECKPOINT_PATH}: events removed "
                                  "from the end cannot be detected; run manage.py audit_checkpoint (or Celery beat)")
        if expect_head and expect_head != result.head_hash:
            self.stderr.write(f"BROKEN: head hash {result.head_hash or '(none)'} is not the expected {expect_head}: "
                              "events were removed from the end of the chain (or the anchor is wrong)")
            sys.exit(1)
