"""OpenAPI: the problem+json answers each route declares (every status it can return)."""

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict

_DESCRIPTIONS = {
    400: "Bad request",
    401: "Not signed in: no token, an unknown or expired one, or a revoked device (code device_revoked: wipe)",
    403: "Signed in, but not allowed (role, owner or scope)",
    404: "Not found, or not visible to the caller",
    405: "Method not allowed (the Allow header lists the methods)",
    409: "Conflict with the server's state",
    410: "Full resync needed",
    413: "Request too large (body, JSON depth or headers)",
    422: "Invalid data",
    426: "Update the app: protocol or schema version not supported",
    429: "Too many attempts: wait Retry-After seconds",
    431: "Request headers too large",
    500: "The server failed (a bug), logged with a reference",
    503: "Busy or not configured: retry later",
}


class Problem(BaseModel):
    """RFC 9457 problem details, as every refusal is answered (shared/errors.py)."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    code: str
    key: str | None = None
    params: dict[str, Any] | None = None


ALWAYS = (413, 422, 431, 500)
"""Any route may answer these: a body or headers over the bounds (request_limits), a control
character in the URL (input_guard), a server fault."""

_REF = "#/components/schemas/{model}"


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route answering these problem statuses (and those of ALWAYS)."""
    return {
        status: {
            "description": _DESCRIPTIONS[status],
            "content": {"application/problem+json": {"schema": {"$ref": _REF.format(model="Problem")}}},
        }
        for status in sorted({*statuses, *ALWAYS})
    }


def request_body(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra=` declaring a JSON body read by hand (the route takes the raw request)."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": _REF.format(model=model.__name__)}}},
        },
        "x-terreno-model": model.__name__,
    }


def install_openapi(app: FastAPI, *models: type[BaseModel]) -> None:
    """The app's OpenAPI with `Problem` and the models of hand-read bodies in its components."""
    default = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = default()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        every: tuple[type[BaseModel], ...] = (Problem, *models)
        named = {m.__name__: m for m in every}
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                name = operation.pop("x-terreno-model", None)
                for each in ([name] if name else []) + operation.pop("x-terreno-models", []):
                    named[each] = _MODELS[each]
                _declare_no_control_characters(operation)
        for name, model in named.items():
            found = model.model_json_schema(ref_template=_REF)
            components.update(found.pop("$defs", {}))
            components[name] = found
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


_MODELS: dict[str, type[BaseModel]] = {}

NO_CONTROL_CHARACTERS = "^[^\\x00-\\x1f\\x7f]*$"
"""What input_guard lets through in a path or a query: no C0 control character, no DEL."""


def _declare_no_control_characters(operation: dict[str, Any]) -> None:
    """A free-text path or query parameter says what input_guard refuses, so the schema
    describes the requests the server takes (schemathesis holds it to that)."""
    for parameter in operation.get("parameters", []):
        if parameter.get("in") not in ("path", "query"):
            continue
        for schema in (parameter.get("schema", {}), *parameter.get("schema", {}).get("anyOf", [])):
            if schema.get("type") == "string" and not {"pattern", "enum", "format", "const"} & set(schema):
                schema["pattern"] = NO_CONTROL_CHARACTERS


def body_model(model: type[BaseModel]) -> dict[str, Any]:
    """`request_body(model)`, remembering the model for `install_openapi`."""
    _MODELS[model.__name__] = model
    return request_body(model)


def body_any_of(*models: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra=` for a JSON body that is one of `models` (which one, the path says)."""
    for model in models:
        _MODELS[model.__name__] = model
    one_of = [{"$ref": _REF.format(model=model.__name__)} for model in models]
    return {
        "requestBody": {"content": {"application/json": {"schema": {"anyOf": one_of}}}},
        "x-terreno-models": [model.__name__ for model in models],
    }


__all__ = ["ALWAYS", "Problem", "body_any_of", "body_model", "install_openapi", "problems", "request_body"]
