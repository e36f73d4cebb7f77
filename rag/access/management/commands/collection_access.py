"""``manage.py collection_access``: who may do what, for scripts and the embedded mode. Every change is audited.

::

    collection_access hr --group HR --group Legal [--all-signed-in]   # readers: exactly these groups
    collection_access hr --grant contributor --group Editors          # or --user alice; reader|contributor|manager
    collection_access hr --revoke --user alice                        # take a group's or user's role away
    collection_access hr --list                                       # roles on hr
    collection_access --approver alice [--auditor bob]                # the roles outside collections
    collection_access --no-approver alice [--no-auditor bob]

The same as Admin > Collection roles and the Access page. Groups named with ``--group`` are
created if missing; the collection must exist (ingest into it first). The audit trail names
the actor ``command:<OS user>``.
"""
from __future__ import annotations

import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from ingest.models import Collection
from rag.access.models import CollectionRole
from rag.access.roles import APPROVER, AUDITOR
from rag.access.selectors import collection_roles_of
from rag.access.services import (collection_access_set, collection_role_grant, collection_role_revoke,
                                 global_role_set)


def _actor() -> str:
    try:
        return f"command:{getpass.getuser()}"
    except (KeyError, OSError):
        return "command:unknown"


class Command(BaseCommand):
    """Grants or revokes collection roles and the approver/auditor roles from the shell; every change is audited."""

    help = "Grant or revoke collection roles (reader, contributor, manager), approver and auditor; audited."

    def add_arguments(self, parser):
        parser.add_argument("collection", nargs="?", help="collection slug")
        parser.add_argument("--group", action="append", default=[], help="group name (repeatable)")
        parser.add_argument("--user", action="append", default=[], help="username (repeatable)")
        parser.add_argument("--all-signed-in", action="store_true", help="everyone signed in may read it")
        parser.add_argument("--grant", choices=CollectionRole.Role.values, help="give the groups/users this role")
        parser.add_argument("--revoke", action="store_true", help="take the groups'/users' role away")
        parser.add_argument("--list", action="store_true", help="show the collection's roles")
        for role in (APPROVER, AUDITOR):
            parser.add_argument(f"--{role.name}", action="append", default=[], metavar="USERNAME",
                                help=f"make the user an {role.name}")
            parser.add_argument(f"--no-{role.name}", action="append", default=[], metavar="USERNAME",
                                dest=f"no_{role.name}", help=f"the user is no {role.name} any more")

    def _user(self, username: str):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        return user

    def handle(self, *args, collection: str | None, group: list[str], user: list[str], all_signed_in: bool,
               grant: str | None, revoke: bool, list: bool, **options):
        actor = _actor()
        for role in (APPROVER, AUDITOR):
            for username, granted in [(u, True) for u in options[role.name]] + \
                                     [(u, False) for u in options[f"no_{role.name}"]]:
                changed = global_role_set(user=self._user(username), role=role, granted=granted, actor=actor)
                state = ("is now" if granted else "is no longer") if changed else ("already is" if granted else "is not")
                self.stdout.write(f"{username} {state} an {role.name}")
        if collection is None:
            if group or user or grant or revoke or list or all_signed_in:
                raise CommandError("name the collection")
            return
        coll = Collection.objects.filter(slug=collection).first()
        if coll is None:
            raise CommandError(f"no collection {collection!r}; ingest into it first (manage.py ingest --collection)")
        groups = [Group.objects.get_or_create(name=name)[0] for name in group]
        holders = [{"group": g} for g in groups] + [{"user": self._user(u)} for u in user]
        if grant or revoke:
            if not holders:
                raise CommandError("name at least one --group or --user")
            for holder in holders:
                if revoke:
                    collection_role_revoke(collection=coll, actor=actor, **holder)
                else:
                    collection_role_grant(collection=coll, role=grant, actor=actor, **holder)
        elif not list:
            if user:
                raise CommandError("--user needs --grant or --revoke")
            collection_access_set(collection=coll, groups=groups, all_signed_in=all_signed_in, actor=actor)
        for row in collection_roles_of(collection=coll):
            self.stdout.write(f"{coll.slug}: {row.holder} is {row.role}")
        if all_signed_in:
            self.stdout.write(f"{coll.slug}: everyone signed in may read it")
