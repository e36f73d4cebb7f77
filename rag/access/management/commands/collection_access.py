"""``manage.py collection_access hr --group HR --group Legal [--all-signed-in]``: who may read a collection.

The same as Admin > Collection access, for scripts and the embedded mode. Groups
are created if missing; the collection must exist (ingest into it first)."""
from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from ingest.models import Collection
from rag.access.services import collection_access_set


class Command(BaseCommand):
    help = "Replace who may read a collection: members of the given groups, or everyone signed in."

    def add_arguments(self, parser):
        parser.add_argument("collection", help="collection slug")
        parser.add_argument("--group", action="append", default=[], help="group name (repeatable)")
        parser.add_argument("--all-signed-in", action="store_true", help="everyone signed in may read it")

    def handle(self, *args, collection: str, group: list[str], all_signed_in: bool, **options):
        coll = Collection.objects.filter(slug=collection).first()
        if coll is None:
            raise CommandError(f"no collection {collection!r}; ingest into it first (manage.py ingest --collection)")
        groups = [Group.objects.get_or_create(name=name)[0] for name in group]
        collection_access_set(collection=coll, groups=groups, all_signed_in=all_signed_in)
        readers = ", ".join(g.name for g in groups) or "no group"
        self.stdout.write(f"{coll.slug}: readable by {readers}" + ("; and everyone signed in" if all_signed_in else "")
                          + "; staff read everything")
