"""OpenAPI additions: the bearer-token security scheme, and the error body on every operation.

Every error the REST API returns has one shape, defined once in :mod:`rag.core.api`
(:func:`~rag.core.api.error_body`, described by :data:`~rag.core.api.ERROR_SCHEMA`)::

    {"error": {"code": "not_found", "message": "Not found.", "details": {...}}}

:func:`error_responses_add` (a drf-spectacular postprocessing hook) declares it
for 401, 403 and 429 on every operation, 404 where the path has a parameter or
the list a page number, and 400 where there is a request body, unless the view
declared that status itself.
"""
from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema

from rag.core.api import ERROR_SCHEMA

ERROR_COMPONENT = "Error"
DESCRIPTIONS = {
    "400": "Invalid input",
    "401": "Not signed in, or the API token is unknown, revoked or expired",
    "403": "Signed in, but not allowed (e.g. the token lacks the scope)",
    "404": "Does not exist, or you may not read it (or the page number is past the end)",
    "429": "Rate limit exceeded; retry after the number of seconds in Retry-After",
}
RETRY_AFTER = {"Retry-After": {"description": "seconds to wait", "schema": {"type": "integer"}}}


class APITokenScheme(OpenApiAuthenticationExtension):
    """OpenAPI security scheme ``bearerAuth`` of :class:`~rag.access.authentication.APITokenAuthentication`."""

    target_class = "rag.access.authentication.APITokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        """HTTP bearer (RFC 6750) with the token format ``pmt_<43 characters>``."""
        return {"type": "http", "scheme": "bearer", "bearerFormat": "pmt_<43 characters>",
                "description": "An API token created by an admin (Admin > API tokens)."}


def error_response_schema(status: str) -> dict:
    """The OpenAPI response object for an error ``status`` ("400"...): its description and the
    ``Error`` component as the JSON body (plus ``Retry-After`` for 429)."""
    response = {"description": DESCRIPTIONS[status],
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}}}
    if status == "429":
        response["headers"] = RETRY_AFTER
    return response


def error_responses_add(result, generator, request, public):
    """drf-spectacular postprocessing hook: add the ``Error`` component and the error responses
    described in the module docstring to every operation of ``result`` (the schema dict)."""
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            statuses = ["401", "403", "429"]
            if "{" in path or any(p.get("name") == "page" for p in operation.get("parameters", [])):
                statuses.append("404")  # no such object, or no such page of a list
            if "requestBody" in operation:
                statuses.append("400")
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter.get("schema", {}).get("type") == "integer":
                    # Django's <int:...> converter matches digits only; ids are bigint
                    parameter["schema"].update(minimum=0, maximum=2**63 - 1)
            responses = operation.setdefault("responses", {})
            for status in statuses:
                responses.setdefault(status, error_response_schema(status))
            for status, response in responses.items():  # errors a view declared by description only
                if status >= "400" and "content" not in response:
                    response["content"] = error_response_schema(status if status in DESCRIPTIONS else "400")["content"]
    return result


class PerimeterAutoSchema(AutoSchema):
    """Names a nested serializer after its view (``QueryAPI.Input`` → ``QueryAPIInput``), so the
    HackSoft-style nested ``Input``/``Output`` classes of different views get distinct components."""

    def get_serializer_name(self, serializer, direction):
        """``<View><Nested>`` for a nested serializer class (``QueryAPIInput``); else drf-spectacular's name."""
        name = super().get_serializer_name(serializer, direction)
        cls = type(serializer)
        if "." in cls.__qualname__ and name == cls.__name__:
            return cls.__qualname__.replace(".<locals>", "").replace(".", "")
        return name
