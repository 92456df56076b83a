"""The site's URLs plus /hold/, a view that runs until the test lets it go."""

from __future__ import annotations

import threading

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

release = threading.Event()
entered = threading.Semaphore(0)


def hold(request: HttpRequest) -> HttpResponse:
    entered.release()
    release.wait(timeout=60)
    return HttpResponse("done")


urlpatterns = [path("hold/", hold), *site_urlpatterns]
