"""Attack 7 of issue 10: the demo password travelled in argv and broke when it began with '-'."""
from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

pytestmark = pytest.mark.django_db
LOGIN = RequestFactory().post("/accounts/login/")  # django-axes checks every sign-in against its request


def test_it_accepts_a_password_that_starts_with_a_dash_from_a_file(tmp_path):
    secret = tmp_path / "demo_password"
    secret.write_text("-Zq3_dash-first\n")
    secret.chmod(0o600)
    call_command("ensure_demo_user", "--username", "demo", "--password-file", str(secret))
    assert authenticate(LOGIN, username="demo", password="-Zq3_dash-first") is not None


def test_it_reads_the_password_from_stdin(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("--looks-like-an-option\n"))
    call_command("ensure_demo_user", "--username", "demo", "--password-file", "-")
    assert authenticate(LOGIN, username="demo", password="--looks-like-an-option") is not None


def test_it_refuses_a_password_on_the_command_line():
    with pytest.raises(CommandError):
        call_command("ensure_demo_user", "--username", "demo", "--password", "in-argv")


def test_it_refuses_to_run_without_a_password(monkeypatch):
    monkeypatch.delenv("PERIMETER_DEMO_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="no password"):
        call_command("ensure_demo_user", "--username", "demo")
