"""A form that refuses what was sent answers 400, showing its messages: in our views, and
in allauth's class-based views (sign-up, log-in, password, email, two-factor)."""

from __future__ import annotations

from collections.abc import Callable

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse


def form_status(*forms: BaseForm) -> int:
    """The status for a page showing these forms: 400 when one of them refused its input."""
    return 400 if any(form.errors for form in forms) else 200


class InvalidFormStatusMiddleware:
    """Sets the status of template responses to a POST (allauth's views return them): they
    are rendered after the view returns, so a bound form's errors can be read here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_template_response(
        self, request: HttpRequest, response: TemplateResponse
    ) -> TemplateResponse:
        if request.method == "POST" and response.status_code == 200:
            shown = (response.context_data or {}).values()
            response.status_code = form_status(
                *(form for form in shown if isinstance(form, BaseForm) and form.is_bound)
            )
        return response
