"""The OpenAPI document says what the API does: every error status a route can answer, with its body.

FastAPI documents a route's own responses and a 422 for routes with parameters. Setu adds, to every
operation under ``/api``, the statuses the shared machinery answers: 400 (a body that cannot be read),
413 (a body over the size limit, :mod:`setu.api.limits`) and 422 (a parameter or value refused); 401 and 403
where the route checks a bearer token (or issues one); 404 where a parameter or the body names a record or
a thing (a country, a material, a rule) that does not exist or is not visible; 412 and 428
where an edit needs ``If-Match``, which is declared required (a request without it is answered 428, not
served). Every error body but the 422's is ``{"detail": "..."}`` (the ``Error`` schema); the 422's is
FastAPI's ``HTTPValidationError`` (see :mod:`setu.api.errors`).
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI

ERROR = {"title": "Error", "type": "object", "properties": {"detail": {"title": "Detail", "type": "string"}},
         "required": ["detail"]}
VALIDATION_ERROR = {
    "title": "ValidationError", "type": "object", "required": ["loc", "msg", "type"],
    "properties": {"loc": {"title": "Location", "type": "array",
                           "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                   "msg": {"title": "Message", "type": "string"}, "type": {"title": "Error Type", "type": "string"}},
}
HTTP_VALIDATION_ERROR = {"title": "HTTPValidationError", "type": "object",
                         "properties": {"detail": {"title": "Detail", "type": "array",
                                                   "items": {"$ref": "#/components/schemas/ValidationError"}}}}
DESCRIPTIONS = {
    400: "the request body could not be read",
    401: "missing, unknown or expired token, or wrong credentials",
    403: "the caller's role may not do this",
    404: "no such record or name, or not visible to the caller",
    412: "the record changed since the If-Match version",
    413: "the request body is larger than the limit",
    422: "invalid input",
    428: "If-Match missing",
}


def install(app: FastAPI, prefix: str) -> None:
    """Wrap ``app.openapi`` so that the document is amended once, when first asked for."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            amend(generate(), prefix)
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]


def amend(document: dict[str, Any], prefix: str) -> None:
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    schemas.setdefault("HTTPValidationError", HTTP_VALIDATION_ERROR)
    for path, operations in document.get("paths", {}).items():
        if not path.startswith(f"{prefix}/"):
            continue
        for operation in operations.values():
            _amend_operation(path, operation)


def _amend_operation(path: str, operation: dict[str, Any]) -> None:
    statuses = {400, 413, 422}
    parameters = operation.get("parameters", [])
    if operation.get("security") or "/auth/" in path:
        statuses |= {401, 403}
    if "requestBody" in operation or any(p.get("in") in ("path", "query") for p in parameters):
        statuses.add(404)  # a record id, or a name (country, material, rule) that names nothing
    for parameter in parameters:
        if parameter.get("in") == "header" and parameter.get("name", "").lower() == "if-match":
            parameter["required"] = True
            statuses |= {412, 428}
    responses = operation.setdefault("responses", {})
    for status in sorted(statuses):
        responses.setdefault(str(status), {"description": DESCRIPTIONS[status]})
    for status, response in responses.items():
        if status.isdigit() and int(status) >= 400 and not response.get("content"):
            schema = "HTTPValidationError" if status == "422" else "Error"
            response["content"] = {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}


def operations_at(app: FastAPI, path: str) -> dict[str, dict[str, Any]]:
    """The documented operations (method -> operation) at ``path``: for each method, that of the first
    template in the document's order that matches (``/api/jcm/grants`` before ``/api/jcm/{kind}`` where
    both are declared, as the router tries them); empty when none matches. Templates are compiled once."""
    templates = getattr(app.state, "openapi_templates", None)
    if templates is None:
        templates = [(re.compile("^" + re.sub(r"\\{[^/}]+\\}", "[^/]+", re.escape(template)) + "$"), operations)
                     for template, operations in app.openapi().get("paths", {}).items()]
        app.state.openapi_templates = templates
    found: dict[str, dict[str, Any]] = {}
    for pattern, operations in templates:
        if pattern.match(path):
            for method, operation in operations.items():
                found.setdefault(method, operation)
    return found
