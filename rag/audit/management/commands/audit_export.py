"""``manage.py audit_export --format jsonl|csv --out FILE``: write events with all chain fields."""
from __future__ import annotations

from datetime import datetime, time, timezone
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date, parse_datetime

from rag.audit.models import AuditEvent
from rag.audit.services import ACTOR_SYSTEM, audit_export_start


def _when(text: str) -> datetime:
    """An ISO 8601 date or date-time; naive values are UTC."""
    value = parse_datetime(text)
    if value is None and (day := parse_date(text)) is not None:
        value = datetime.combine(day, time.min)
    if value is None:
        raise CommandError(f"not an ISO 8601 date or date-time: {text!r}")
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


class Command(BaseCommand):
    """Writes the audit events (optionally filtered) with every chain field, for ``verify_export.py``; the export is audited."""

    help = ("Export audit events (id order, every chain field) as JSON Lines or CSV, for re-verification with "
            "rag/audit/verify_export.py. The export itself is recorded as an audit.exported event; it covers every "
            "matching event before that one.")

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
        parser.add_argument("--out", required=True, type=Path, help="file to write ('-' for standard output)")
        parser.add_argument("--since", type=_when, help="created_at >= this (ISO 8601, UTC if no offset)")
        parser.add_argument("--until", type=_when, help="created_at < this (ISO 8601, UTC if no offset)")
        parser.add_argument("--event-type", choices=AuditEvent.EventType.values, metavar="TYPE",
                            help="only this event type (e.g. fallback.approved)")
        parser.add_argument("--actor", default=ACTOR_SYSTEM, help="who is exporting (recorded; default: system)")

    def handle(self, *args, format: str, out: Path, since, until, event_type, actor: str, **options):
        export = audit_export_start(
            actor=actor, export_format=format, destination="stdout" if str(out) == "-" else out.name,
            filters={"since": since, "until": until, "event_type": event_type},
        )
        written = 0
        if str(out) == "-":
            for chunk in export.chunks:
                self.stdout.write(chunk, ending="")
            return
        with open(out, "w", encoding="utf-8", newline="") as f:
            for chunk in export.chunks:
                f.write(chunk)
                written += chunk.count("\n")
        rows = written - 1 if format == "csv" else written
        # Time ranges are contiguous stretches of the chain (created_at is taken under the
        # chain lock); only an event-type filter leaves gaps between the exported events.
        filtered = bool(event_type)
        self.stderr.write(f"wrote {rows} events to {out} (recorded as event {export.event.id}); verify with: "
                          f"python3 rag/audit/verify_export.py {out}{' --allow-gaps' if filtered else ''}")
