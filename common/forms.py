"""A form that refuses what was sent answers 400, showing its messages: in our views, in
allauth's class-based views (sign-up, log-in, password, email, two-factor) and in the
admin's add and change pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib.admin.helpers import AdminErrorList
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

# Model fields that forms and the API show as one "jurisdiction" field.
FIELD_ALIASES = {"country": "jurisdiction", "region": "jurisdiction"}


def add_service_errors(form: BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, field by field where it can."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, texts in error.message_dict.items():
        target = FIELD_ALIASES.get(field, field)
        form.add_error(target if target in form.fields else None, texts)


T = TypeVar("T")


def submit(form: BaseForm, action: Callable[[], T]) -> T | None:
    """The one way a page view calls a service with a form's input: for a bound, valid
    form, call `action` and return what it returns. When the service refuses (a
    ValidationError) its messages go onto the form, field by field, and None comes back:
    the view shows the form again, and form_status() makes that answer a 400."""
    if not form.is_bound or not form.is_valid():
        return None
    try:
        return action()
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def form_status(*forms: BaseForm) -> int:
    """The status for a page showing these forms: 400 when one of them refused its input."""
    return 400 if any(form.errors for form in forms) else 200


class InvalidFormStatusMiddleware:
    """Sets the status of template responses to a POST (allauth's views and the admin's
    return them): they are rendered after the view returns, so a bound form's errors can be
    read here. The admin wraps its forms, but lists every message of the page's form and
    inline formsets in one AdminErrorList."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_template_response(
        self, request: HttpRequest, response: TemplateResponse
    ) -> TemplateResponse:
        if request.method == "POST" and response.status_code == 200:
            shown = (response.context_data or {}).values()
            admin_refused = any(isinstance(errors, AdminErrorList) and errors for errors in shown)
            response.status_code = (
                400
                if admin_refused
                else form_status(
                    *(form for form in shown if isinstance(form, BaseForm) and form.is_bound)
                )
            )
        return response
