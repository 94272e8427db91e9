"""The OpenAPI schema's error responses: every operation answers problems
(``application/problem+json``, RFC 9457) in one documented shape."""

from __future__ import annotations

from typing import Any

PROBLEM = {
    "type": "object",
    "description": "An error (RFC 9457 problem details); messages in Czech unless "
    "Accept-Language asks for English.",
    "required": ["type", "title", "status", "detail", "instance", "errors"],
    "properties": {
        "type": {"type": "string", "description": "urn:smartplan:problem:<kind>"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string", "description": "The path of the request."},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "pointer", "message"],
                "properties": {
                    "field": {"type": "string", "nullable": True},
                    "pointer": {
                        "type": "string",
                        "description": "JSON pointer into the sent body, such as /0/value.",
                    },
                    "message": {"type": "string"},
                },
            },
        },
        "current": {
            "type": "object",
            "nullable": True,
            "additionalProperties": True,
            "description": "412 only: the row as it is now.",
        },
        "changed": {
            "type": "array",
            "description": "412 only: the fields that differ, with their current values.",
            "items": {
                "type": "object",
                "required": ["field", "current"],
                "properties": {"field": {"type": "string"}, "current": {}},
            },
        },
    },
}
COMMON = {"400", "401", "403", "404", "405", "406", "415", "429"}
CHANGES = {"409", "412", "428"}


def problem_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: add the problem responses to every operation."""
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Problem"] = PROBLEM
    components.setdefault("responses", {})["Problem"] = {
        "description": "A problem (RFC 9457).",
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            codes = COMMON | (CHANGES if method in ("put", "patch", "delete", "post") else set())
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(code, {"$ref": "#/components/responses/Problem"})
    return result
