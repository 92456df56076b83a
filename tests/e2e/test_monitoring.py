"""Staff's re-verification list and monitoring page in a real browser: no WCAG 2.2 AA
violation (axe-core), reachable by keyboard, and the same page without JavaScript."""

from __future__ import annotations

import datetime

import pytest
from django.utils.formats import date_format
from playwright.sync_api import expect

from credentialing.models import CredentialStatus
from credentialing.rules import Actor, credential_transition
from credentialing.source_models import ImportedFile, SourceKind
from tests.e2e.conftest import assert_accessible, tab_until
from tests.e2e.test_security_policy import sign_in
from tests.factories import LicenseFactory, PractitionerFactory, reviewer, today

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_due_list_and_the_monitoring_page_are_accessible(page, no_script_page, live_server):
    practitioner = PractitionerFactory(first_name="Mei", last_name="Chen")
    LicenseFactory(
        practitioner=practitioner, number="AC40000", verified_on=today() - datetime.timedelta(400)
    )
    pending = LicenseFactory(status=CredentialStatus.PENDING, verified_on=None)
    staff = reviewer(email="staff@example.com")
    credential_transition(
        credential=pending,
        to_status=CredentialStatus.VERIFIED,
        by=Actor.reviewer(staff),
        source="https://search.dca.ca.gov/",
        checked_on=today(),
    )
    ImportedFile.objects.create(
        source=SourceKind.ROSTER, name="roster.csv", file_date=today(), counts={"rows": 3}
    )
    sign_in(page, live_server, staff)

    page.goto("/review/")
    due = page.locator("#due-title + p + ol")
    expect(due).to_contain_text("Mei Chen: L.Ac. AC40000 (US-CA)")
    expect(due).to_contain_text("overdue")
    assert_accessible(page)
    tab_until(page, "main >> text=Monitoring")
    page.keyboard.press("Enter")
    page.wait_for_url("**/review/monitoring/")

    chart = page.get_by_role("img", name="Chart: Credentials confirmed by a primary source")
    expect(chart).to_be_visible()
    this_month = date_format(today(), "YEAR_MONTH_FORMAT")
    table = page.get_by_role("table", name="Verification activity by month")
    month = table.get_by_role("row", name=this_month)
    expect(month.get_by_role("cell")).to_have_text(["1", "0", "0"])  # verified, again, ended
    expect(page.get_by_role("row", name="Board roster")).to_contain_text("rows 3")
    assert_accessible(page)

    sign_in(no_script_page, live_server, staff)
    no_script_page.goto(f"{live_server.url}/review/monitoring/")
    expect(no_script_page.locator("svg.activity-chart")).to_be_visible()
    expect(no_script_page.locator("h1")).to_have_text("Monitoring")
