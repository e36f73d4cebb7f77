"""The page a locked-out sign-in gets (django-axes' ``AXES_LOCKOUT_CALLABLE``)."""
from __future__ import annotations

import math

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render


def login_locked_out(request, original_response=None, credentials=None) -> HttpResponse:
    """429 with ``Retry-After``: the login page saying that this username is locked out from
    this address, for how long, and that the right password will not help until then."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    username = str((credentials or {}).get("username") or request.POST.get("username", ""))[:150]
    response = render(request, "registration/locked_out.html",
                      {"username": username, "failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
                      status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
