"""The practitioner's side of the site in Spanish and Chinese: the sign-up page, the dashboard
and its listing checklist, allauth's own pages, the reminders a Spanish-speaking account
gets, and the language a bio is written in (Practitioner.bio_language)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation
from django.utils.formats import date_format

from accounts.reminders import send_due_reminders
from directory.models import Practitioner
from tests.accounts.test_dashboard import PROFILE
from tests.factories import AccountFactory, PractitionerFactory, today

pytestmark = pytest.mark.django_db


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(
    ("prefix", "heading", "step", "button"),
    [
        ("/es", "Publique su consulta en Meridian", "Qué necesita", "Crear cuenta"),
        ("/zh-hans", "在 Meridian 上列出您的诊疗业务", "您需要准备", "创建账户"),
    ],
)
def test_the_sign_up_page_in_spanish_and_chinese(client, prefix, heading, step, button):
    html = page(client, f"{prefix}/accounts/signup/")
    assert f"<h1>{heading}</h1>" in html
    assert step in html and button in html
    assert "List your practice on Meridian" not in html


@pytest.mark.parametrize(
    ("prefix", "listing", "current", "add_clinic"),
    [
        ("/es", "Su ficha", "Mantenga sus datos al día", "Añadir un consultorio"),
        ("/zh-hans", "您的名录条目", "保持您的信息最新", "添加诊所"),
    ],
)
def test_the_dashboard_and_its_checklist_in_spanish_and_chinese(
    owner_client, practitioner, prefix, listing, current, add_clinic
):
    html = page(owner_client, f"{prefix}/dashboard/profile/mei-chen/")
    assert f'<h2 id="listing-title">{listing}</h2>' in html
    assert f'<h2 id="current-title">{current}</h2>' in html
    assert add_clinic in html  # the clinics section's button
    assert "Keep your details current" not in html
    # Dates follow the language's format.
    with translation.override(prefix.strip("/")):
        confirmed = date_format(practitioner.details_confirmed_on)
    assert confirmed in html


def test_the_english_dashboard_is_unchanged(owner_client, practitioner):
    html = page(owner_client, "/dashboard/profile/mei-chen/")
    assert '<h2 id="current-title">Keep your details current</h2>' in html
    assert '<h2 id="listing-title">Your listing</h2>' in html


def test_allauth_and_django_messages_are_translated_on_the_spanish_login_page(client):
    html = page(client, "/es/accounts/login/")
    assert "Iniciar sesión" in html  # allauth's own catalogue
    response = client.post("/es/accounts/login/", {"login": "", "password": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Este campo es requerido." in html  # Django's own catalogue
    assert 'placeholder="Contraseña"' in html


@pytest.fixture
def spanish_owner_profile(db):
    """A Spanish-speaking account's profile, confirmed long enough ago that the reminder to
    confirm it again is due today."""
    return PractitionerFactory(
        owner=AccountFactory(email="lucia@example.com", language="es"),
        first_name="Lucía",
        details_confirmed_on=today() - datetime.timedelta(days=166),
        accepting_new_patients=False,
        accepting_new_patients_on=today(),
    )


def test_a_reminder_to_a_spanish_speaking_account_is_written_in_spanish(
    spanish_owner_profile, mailoutbox
):
    send_due_reminders(today=today())
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.subject == "Meridian: confirme que su perfil está al día"
    assert email.body.startswith("Hola, Lucía:")
    assert "Los pacientes confían en Meridian" in email.body
    with translation.override("es"):
        confirmed = date_format(spanish_owner_profile.details_confirmed_on)
    assert f"por última vez el {confirmed}" in email.body
    assert "El equipo de Meridian" in email.body
    assert "Patients trust" not in email.body
    assert "http://127.0.0.1:8000/es/dashboard/\n" in email.body


def test_the_bio_language_is_chosen_on_the_dashboard_and_shown_in_the_form(
    owner_client, practitioner
):
    form = page(owner_client, "/dashboard/profile/mei-chen/edit/")
    assert '<select name="bio_language"' in form
    assert '<option value="" selected>Not said</option>' in form
    response = owner_client.post(
        "/dashboard/profile/mei-chen/edit/", {**PROFILE, "bio_language": "zh-hans"}
    )
    assert response.status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.bio_language == "zh-hans"
    form = page(owner_client, "/dashboard/profile/mei-chen/edit/")
    assert '<option value="zh-hans" selected>简体中文</option>' in form
    assert "Language your bio is written in" in form


def test_a_bio_language_outside_the_site_languages_is_refused(owner_client, practitioner):
    response = owner_client.post(
        "/dashboard/profile/mei-chen/edit/", {**PROFILE, "bio_language": "xx"}
    )
    assert response.status_code == 400
    assert "bio_language" in response.context["form"].errors
    assert Practitioner.objects.get(pk=practitioner.pk).bio_language == ""


def test_the_bio_language_through_the_api(owner_client, practitioner):
    assert owner_client.get("/api/v1/me/profile/").json()["bio_language"] == ""
    response = owner_client.patch(
        "/api/v1/me/profile/", {"bio_language": "es"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["bio_language"] == "es"
    assert Practitioner.objects.get(pk=practitioner.pk).bio_language == "es"
    refused = owner_client.patch(
        "/api/v1/me/profile/", {"bio_language": "fr"}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["bio_language"]
    assert Practitioner.objects.get(pk=practitioner.pk).bio_language == "es"
