"""``manage.py ensure_demo_user --username demo --password-file PATH``: the embedded mode's demo account.

The password never travels in argv (visible to every local user in ``ps``, and
a value starting with ``-`` would be read as an option): it comes from a file
(the embedded mode's ``.state/demo_password``, mode 0600), from the
``PERIMETER_DEMO_PASSWORD`` environment variable, or from stdin with ``--password-file -``.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    """Creates or updates the embedded mode's demo account, reading its password from a file, stdin or the environment."""

    help = ("Create or update the embedded mode's demo account (a staff superuser, for the admin pages). "
            "The password comes from --password-file (or '-' for stdin) or PERIMETER_DEMO_PASSWORD, never argv.")

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--password-file", help="file holding the password ('-': read stdin)")
        parser.add_argument("--plain", action="store_true",
                            help="an ordinary account (no staff, no superuser), e.g. the demo's second approver")

    def handle(self, *args, username: str, password_file: str | None, plain: bool = False, **options):
        if password_file == "-":
            password = sys.stdin.readline().strip()
        elif password_file:
            try:
                password = Path(password_file).read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise CommandError(f"cannot read the password file: {exc}") from exc
        else:
            password = os.environ.get("PERIMETER_DEMO_PASSWORD", "").strip()
        if not password:
            raise CommandError("no password: give --password-file PATH (or -) or set PERIMETER_DEMO_PASSWORD")
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = not plain
        user.set_password(password)
        user.save()
