"""What every API endpoint shares: one error shape and its OpenAPI description."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every error answers {"detail": "...", "errors": {field: [messages]}}; `errors` is
    empty unless specific fields or parameters were at fault."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": "Invalid input.", "errors": _as_field_errors(exc.detail)}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        response.data = {"detail": str(detail), "errors": {}}
    return response


def _as_field_errors(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {
            str(field): [str(message) for message in _flatten(messages)]
            for field, messages in detail.items()
        }
    return {"non_field_errors": [str(message) for message in _flatten(detail)]}


def _flatten(messages: Any) -> list[Any]:
    if isinstance(messages, list):
        return [item for message in messages for item in _flatten(message)]
    if isinstance(messages, dict):
        return [f"{key}: {item}" for key, value in messages.items() for item in _flatten(value)]
    return [messages]


ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "detail": serializers.CharField(),
        "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
    },
)


def error_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorSerializer, description=description)


def form_errors(form) -> dict[str, list[str]]:
    """A Django form's errors as the API's `errors` mapping."""
    return {
        "non_field_errors" if field == "__all__" else field: [item["message"] for item in items]
        for field, items in form.errors.get_json_data().items()
    }
