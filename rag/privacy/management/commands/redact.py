"""``manage.py redact IN.jsonl --out OUT.jsonl``: the fallback path's checked redaction, offline.

Uses :func:`rag.privacy.redaction.payload_redact_checked`, the same call the
external-fallback path makes, one record per request. Needs no database: no
system checks, no queries.
"""
from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from rag.privacy.jsonl import JsonlInputError, jsonl_redact


class Command(BaseCommand):
    """Pseudonymises a JSONL file of texts offline with the fallback path's checked redaction; needs no database."""

    help = (
        'Pseudonymise {"id","text"} JSONL records into {"id","redacted"} with the checked pipeline. '
        'Blocked records get "blocked": true, a "reason" and their best redaction (never the original).'
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("input", help='JSONL file with {"id", "text"} per line')
        parser.add_argument(
            "--out", required=True, help='JSONL file to write {"id", "redacted"[, "blocked", "reason"]}'
        )

    def handle(self, *args, **options):
        try:
            stats = jsonl_redact(options["input"], options["out"])
        except (JsonlInputError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{stats.records} records, {stats.blocked} blocked -> {options['out']}\n"
            f"{stats.texts_per_s:.1f} texts/s ({stats.run_s:.2f} s redacting, {stats.load_s:.2f} s loading models)"
        )
