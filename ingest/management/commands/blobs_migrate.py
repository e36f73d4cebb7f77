"""``manage.py blobs_migrate [--delete]``: copy a filesystem blob store into the database."""
from __future__ import annotations

from django.core.management.base import BaseCommand

from ingest.blobs import blobs_migrate


class Command(BaseCommand):
    """Copies the stored files under BLOB_ROOT that documents still use into PostgreSQL."""

    help = ("Copy the stored copy of every document's file from BLOB_ROOT (BLOB_STORE=filesystem) into the "
            "database (BLOB_STORE=database), verified by SHA-256; files of deleted documents are not copied. "
            "Safe to run again and while workers run; set BLOB_STORE=database afterwards.")

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="remove each file once it is in the database")

    def handle(self, *args, delete: bool, **options):
        report = blobs_migrate(delete_files=delete)
        self.stdout.write(f"blobs: {report.copied} copied, {report.present} already in the database, "
                          f"{report.absent} in neither store, {report.files_deleted} files deleted")
        for sha in report.corrupt:
            self.stderr.write(f"corrupt (left on disk, not copied): {sha}")
