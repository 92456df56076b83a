"""The staff monitoring page, /review/monitoring/: re-verification counts, what waits for
staff, the last file of each automatic source, and verification activity by month drawn
as SVG with the same figures in a table. Reviewers only."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from credentialing import monitoring
from credentialing.models import CredentialStatus, VerificationEvent
from credentialing.rules import Actor, credential_transition
from credentialing.source_models import (
    Discrepancy,
    ExclusionMatch,
    ImportedFile,
    SourceKind,
)
from tests.factories import (
    AccountFactory,
    CertificationFactory,
    LicenseFactory,
    PractitionerFactory,
    owned_practitioner,
    reviewer,
    today,
)

pytestmark = pytest.mark.django_db

PAGE = "/review/monitoring/"


def days_ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


def months_ago(months: int) -> datetime.datetime:
    """Noon on the 10th of the month `months` before this one."""
    year, month = divmod(today().year * 12 + today().month - 1 - months, 12)
    return datetime.datetime(year, month + 1, 10, 12, tzinfo=datetime.UTC)


def test_anonymous_visitors_go_to_log_in_and_other_accounts_are_refused(client):
    assert client.get(PAGE).status_code == 302
    assert client.get(PAGE)["Location"].startswith("/accounts/login/")
    patient = AccountFactory(email="patient@example.com")
    practitioner = owned_practitioner().owner
    staff_without_two_factor = AccountFactory(is_staff=True)
    for account in (patient, practitioner):
        client.force_login(account)
        assert client.get(PAGE).status_code == 403
    client.force_login(staff_without_two_factor)
    assert client.get(PAGE).status_code != 200  # sent to set up two-factor first


def test_the_counts_say_what_is_verified_due_overdue_and_waiting(client):
    LicenseFactory(verified_on=days_ago(10))
    LicenseFactory(verified_on=days_ago(340))  # due
    CertificationFactory(verified_on=days_ago(350))  # due
    LicenseFactory(verified_on=days_ago(400))  # overdue
    LicenseFactory(status=CredentialStatus.PENDING, verified_on=None)
    practitioner = PractitionerFactory()
    Discrepancy.objects.create(practitioner=practitioner, kind="nppes", field="last name")
    Discrepancy.objects.create(
        practitioner=practitioner, kind="nppes", field="city", resolved_at=timezone.now()
    )
    ExclusionMatch.objects.create(
        practitioner=practitioner, status="possible", entry_name="X", excluded_on=days_ago(9)
    )
    client.force_login(reviewer())

    response = client.get(PAGE)

    assert response.status_code == 200
    assert response.context["counts"] == monitoring.Counts(
        verified=4, due=2, overdue=1, discrepancies=1, possible_exclusions=1
    )
    text = re.sub(r"\s+", " ", response.content.decode())
    assert "<dt>Due for re-verification</dt><dd>2</dd>" in text
    assert "<dt>Overdue</dt><dd>1 (" in text
    assert "REVERIFY_ENFORCE is off" in text


def test_the_last_file_of_each_source_with_its_date_and_counts(client):
    ImportedFile.objects.create(
        source=SourceKind.ROSTER,
        name="old.csv",
        file_date=days_ago(40),
        imported_at=timezone.now() - datetime.timedelta(days=39),
    )
    ImportedFile.objects.create(
        source=SourceKind.ROSTER,
        name="roster-new.csv",
        file_date=days_ago(3),
        counts={"rows": 12, "matched": 4},
    )
    ImportedFile.objects.create(
        source=SourceKind.EXCLUSIONS,
        name="UPDATED.csv",
        file_date=days_ago(1),
        failure="UPDATED.csv: no EXCLDATE column.",
    )
    client.force_login(reviewer())

    response = client.get(PAGE)

    files = dict(response.context["files"])
    assert files["NPPES"] is None
    assert files["Board roster"].name == "roster-new.csv"
    text = re.sub(r"\s+", " ", response.content.decode())
    assert '<th scope="row">NPPES</th> <td colspan="4">No file read yet.</td>' in text
    assert f"{date_format(days_ago(3))}</time></td>" in text
    assert "rows 12, matched 4" in text
    assert "old.csv" not in text
    assert 'UPDATED.csv <span class="badge badge-bad">failed</span>' in text
    assert "no EXCLDATE column." in text


def test_activity_counts_each_month_from_the_log():
    license = LicenseFactory(status=CredentialStatus.PENDING, verified_on=None)
    staff = reviewer()
    credential_transition(
        credential=license, to_status="verified", by=Actor.reviewer(staff), checked_on=today()
    )
    credential_transition(
        credential=license, to_status="verified", by=Actor.process("roster"), checked_on=today()
    )
    other = LicenseFactory()
    for months, to_status in [(2, "verified"), (2, "verified"), (2, "revoked"), (12, "verified")]:
        VerificationEvent.objects.create(
            license=other,
            from_status="pending" if to_status == "verified" else "verified",
            to_status=to_status,
            created_at=months_ago(months),
        )

    chart = monitoring.activity()

    assert len(chart.months) == monitoring.MONTHS
    assert chart.months[-1].start == today().replace(day=1)
    figures = {m.start: (m.verified, m.reverified, m.ended) for m in chart.months}
    assert figures.pop(today().replace(day=1)) == (1, 1, 0)
    assert figures.pop(months_ago(2).date().replace(day=1)) == (2, 0, 1)
    assert set(figures.values()) == {(0, 0, 0)}
    assert chart.months[0].start == months_ago(11).date().replace(day=1)  # 12 months back: out
    tallest = max(chart.bars, key=lambda bar: bar.height)
    assert tallest.month.confirmed == 2
    assert tallest.y + tallest.height == chart.axis_y
    assert [tick.label for tick in chart.ticks] == ["0", "1", "2", "3", "4"]


def test_the_chart_is_svg_with_a_title_a_description_and_a_table(client):
    LicenseFactory(status=CredentialStatus.PENDING, verified_on=None)
    client.force_login(reviewer())

    page = client.get(PAGE).content.decode()

    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img" aria-labelledby="activity-title" aria-describedby="activity-desc"' in svg
    assert '<title id="activity-title">Chart: Credentials confirmed by a primary source' in svg
    this_month = date_format(today(), "YEAR_MONTH_FORMAT")
    assert f"{this_month}: 0." in svg  # the description gives every figure
    assert svg.count('class="activity-bar"') == monitoring.MONTHS
    assert "<script" not in page
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # the chart's title and description name only themselves
    table = page[page.index('<caption id="activity-table-caption"') :]
    assert f'<tr><th scope="row">{this_month}</th><td>0</td><td>0</td><td>0</td></tr>' in table
