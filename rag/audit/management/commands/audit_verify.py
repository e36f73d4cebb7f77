"""``manage.py audit_verify``: recompute the whole hash chain; exit 0 if intact, 1 at the first broken link."""
from __future__ import annotations

import sys

from django.core.management.base import BaseCommand

from rag.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = ("Verify the audit trail's hash chain: every event's SHA-256 and every prev_hash link, in id order. "
            "Exit status 0 when intact, 1 at the first broken link (printed with its id, event type and reason).")

    def add_arguments(self, parser):
        parser.add_argument("--expect-head", metavar="HASH",
                            help="fail unless the chain's head hash is this (an anchor noted earlier, e.g. from a "
                                 "previous run): shows events removed from the end, which leave a valid chain")

    def handle(self, *args, expect_head: str | None, **options):
        result = audit_chain_verify()
        speed = f"{result.duration_s:.2f} s, {result.events_per_s:,.0f} events/s"
        if not result.ok:
            self.stderr.write(f"BROKEN at event {result.first_broken_id} ({result.first_broken_event_type}): "
                              f"{result.reason}")
            good = (f"event {result.head_id}, hash {result.head_hash}" if result.head_id is not None
                    else "none")
            self.stderr.write(f"last intact link: {good}; {result.checked} events read in {speed}")
            sys.exit(1)
        if result.checked == 0:
            self.stdout.write("OK: the audit trail is empty")
        else:
            self.stdout.write(f"OK: {result.checked} events verified in {speed}")
            self.stdout.write(f"head: event {result.head_id}, hash {result.head_hash}")
        if expect_head and expect_head != result.head_hash:
            self.stderr.write(f"BROKEN: head hash {result.head_hash or '(none)'} is not the expected {expect_head}: "
                              "events were removed from the end of the chain (or the anchor is wrong)")
            sys.exit(1)
