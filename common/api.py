"""What every API endpoint shares: one error shape and its OpenAPI description."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.utils.translation import gettext
from django.views.defaults import page_not_found
from django_filters import NumberFilter
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.parsers import DataAndFiles, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from common.forms import FIELD_ALIASES


def error_body(detail: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The one error shape of every API answer that is not a success (400, 404, 429, 503):
    {"detail": "...", "errors": {field: [messages]}}, `errors` empty unless specific fields
    or parameters were at fault."""
    return {"detail": detail, "errors": errors or {}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, answering in the one error shape. A service's Django ValidationError
    is a 400 with its messages under the fields the API shows (a license's country and
    region are its `jurisdiction`), and changes nothing: services are transactions."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(django_field_errors(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body(gettext("Invalid input."), _as_field_errors(exc.detail))
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        response.data = error_body(str(detail))
    return response


def django_field_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    """A Django ValidationError's messages by the API's field names."""
    detail = error.message_dict if hasattr(error, "error_dict") else {}
    if not detail:
        detail = {NON_FIELD_ERRORS: error.messages}
    renamed: dict[str, list[str]] = {}
    for field, messages in detail.items():
        name = "non_field_errors" if field == NON_FIELD_ERRORS else FIELD_ALIASES.get(field, field)
        renamed.setdefault(name, []).extend(messages)
    return renamed


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


def form_errors(form: BaseForm) -> dict[str, list[str]]:
    """A Django form's errors as the API's `errors` mapping."""
    return {
        "non_field_errors" if field == "__all__" else field: [item["message"] for item in items]
        for field, items in form.errors.get_json_data().items()
    }


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The site's 404 handler: an address under /api/ that matches no endpoint (or whose
    id is not even well-formed) answers in the API's error shape, not with an HTML page."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(gettext("Not found.")), status=404)
    return page_not_found(request, exception)


TEXT_FIELDS = (
    serializers.CharField,
    serializers.ChoiceField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.UUIDField,
    serializers.SlugRelatedField,
)
NUMBER_FIELDS = (serializers.FloatField, serializers.DecimalField)
LIST_FIELDS = (serializers.ListField, serializers.ManyRelatedField)
NOT_TEXT_FIELDS = (
    serializers.BooleanField,
    serializers.IntegerField,
    *NUMBER_FIELDS,
    serializers.DateField,
    serializers.DateTimeField,
)


if TYPE_CHECKING:
    _SerializerBase = serializers.Serializer[Any]
else:
    _SerializerBase = object


class StrictTypesMixin(_SerializerBase):
    """Input in the fields and types the schema promises. DRF on its own ignores unknown
    fields and reads JSON 0 as false and 5 as "5"; here an unknown field is refused and JSON
    values must already have the documented type. Form data carries only
    text, so there an empty value for a number, date or yes/no field is refused instead of
    being read as null or false (leave the field out, or send JSON null)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            form = isinstance(data, QueryDict)
            errors = {
                name: [message]
                for name, field in self.fields.items()
                if not field.read_only
                and name in data
                and (message := _type_error(field, data[name], form=form))
            }
            # A misspelt field would otherwise be ignored without a word.
            unknown = set(data) - set(self.fields) - {"csrfmiddlewaretoken"}
            errors.update({name: [gettext("Unknown field.")] for name in sorted(unknown)})
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


def _type_error(
    field: serializers.Field[Any, Any, Any, Any], value: Any, *, form: bool
) -> str | None:
    if form:
        if value == "" and isinstance(field, NOT_TEXT_FIELDS):
            return gettext("Give a value, or leave the field out.")
        return None
    if value is None:
        return None  # allow_null decides
    if isinstance(field, serializers.BooleanField):
        return None if isinstance(value, bool) else gettext("Must be true or false.")
    if isinstance(field, serializers.IntegerField):
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else gettext("Must be a whole number.")
    if isinstance(field, NUMBER_FIELDS):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok else gettext("Must be a number.")
    if isinstance(field, LIST_FIELDS):
        return None if isinstance(value, list) else gettext("Must be a list.")
    if isinstance(field, TEXT_FIELDS):
        return None if isinstance(value, str) else gettext("Must be a string.")
    return None


class StrictFilterBackend(DjangoFilterBackend):  # type: ignore[misc]  # django-filter: untyped
    """django-filter's backend, refusing a number parameter sent empty (`year_from=`): the
    schema types it as a number, and an empty value would pass unnoticed as "any". (A
    page's form sends its blank fields that way, so the pages share the filters but not
    this check.)"""

    def get_filterset(self, request: Any, queryset: Any, view: Any) -> Any:
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            empty = {
                name: [gettext("Give a value, or leave the parameter out.")]
                for name, query_filter in filterset.filters.items()
                if isinstance(query_filter, NumberFilter)
                and request.query_params.get(name, None) == ""
            }
            if empty:
                raise exceptions.ValidationError(empty)
        return filterset


class StrictMultiPartParser(MultiPartParser):
    """Django's multipart parser skips parts it cannot name; a body with content but not one
    named part is malformed, and answers 400 rather than passing as an empty change."""

    def parse(
        self, stream: Any, media_type: str | None = None, parser_context: Any = None
    ) -> DataAndFiles[Any, Any]:
        parsed: DataAndFiles[Any, Any] = super().parse(stream, media_type, parser_context)
        request = (parser_context or {}).get("request")
        meta = request.META if request is not None else {}
        length = int(meta.get("CONTENT_LENGTH") or 0)
        boundary = (media_type or "").partition("boundary=")[2].strip('"')
        closing = len(f"--{boundary}--\r\n")
        if not parsed.data and not parsed.files and length > closing:
            raise exceptions.ParseError(gettext("Multipart body without any named part."))
        return parsed
