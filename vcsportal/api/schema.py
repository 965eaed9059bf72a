"""Additions to the generated OpenAPI document: the error answers every operation can give, so clients
(and the schema fuzzing in the tests) know them as documented behaviour rather than surprises."""

_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
_FIELD_ERRORS = {
    "type": "object",
    "description": "For each query parameter that was refused, what was wrong and what would be accepted.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
_ERRORS = {
    "400": ("A filter or page parameter was malformed or out of range (a page past the last).", _FIELD_ERRORS),
    "401": ("No token or session, or the token is not valid.", _DETAIL),
    "403": ("Signed in, but this role may not read this resource.", _DETAIL),
    "404": ("Not found, or not visible to this user (a guessed id is a 404).", _DETAIL),
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: document 400/401/403/404 on every operation."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, (description, schema) in _ERRORS.items():
                responses.setdefault(
                    status, {"description": description, "content": {"application/json": {"schema": schema}}}
                )
    return result
