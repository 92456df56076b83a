"""Staff decide on credentials and claims in the review queue; every decision is a
VerificationEvent written with it, and the practitioner hears about it by email."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from credentialing.models import (
    CredentialStatus,
    License,
    ProfileClaim,
    ProfileClaimStatus,
    VerificationEvent,
)
from credentialing.sources import sources_for_certification, sources_for_license
from tests.factories import (
    AccountFactory,
    CertificationFactory,
    LicenseFactory,
    PractitionerFactory,
    png_bytes,
    reviewer,
    today,
    upload,
)

pytestmark = pytest.mark.django_db

YESTERDAY = (today() - datetime.timedelta(days=1)).isoformat()  # a checked_on staff may give


@pytest.fixture
def staff(db):
    return reviewer(email="staff@example.com")


@pytest.fixture
def reviewer_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def owner(db):
    return AccountFactory(email="mei@example.com")


def pending(credential_factory=LicenseFactory, *, days_ago: int = 0, **fields):
    """A credential that entered the queue `days_ago` days ago."""
    credential = credential_factory(status=CredentialStatus.PENDING, verified_on=None, **fields)
    VerificationEvent.objects.create(
        license=credential if isinstance(credential, License) else None,
        certification=None if isinstance(credential, License) else credential,
        to_status=CredentialStatus.PENDING,
        created_at=timezone.now() - datetime.timedelta(days=days_ago),
    )
    return credential


def test_the_queue_lists_what_waits_longest_first(reviewer_client):
    newer = pending(number="NEWER", days_ago=1)
    older = pending(number="OLDER", days_ago=9)
    back_again = LicenseFactory(number="BACK")  # verified long ago, changed yesterday
    VerificationEvent.objects.create(
        license=back_again,
        to_status="verified",
        created_at=timezone.now() - datetime.timedelta(days=300),
    )
    VerificationEvent.objects.create(
        license=back_again,
        from_status="verified",
        to_status="pending",
        created_at=timezone.now() - datetime.timedelta(days=5),
    )
    License.objects.filter(pk=back_again.pk).update(status="pending")
    LicenseFactory(number="DONE")  # verified: not in the queue
    certification = pending(CertificationFactory, number="777777", days_ago=3)
    unclaimed = PractitionerFactory(first_name="Lan", last_name="Nguyen")
    claim = ProfileClaim.objects.create(
        practitioner=unclaimed,
        claimant=AccountFactory(email="lan@example.com"),
        license=LicenseFactory(practitioner=unclaimed),
    )

    response = reviewer_client.get("/review/")

    context = response.context
    assert [lic.number for lic in context["licenses"]] == ["OLDER", "BACK", "NEWER"]
    assert list(context["certifications"]) == [certification]
    assert list(context["claims"]) == [claim]
    html = response.content.decode()
    assert f'href="/review/licenses/{older.public_id}/"' in html
    assert f'href="/review/licenses/{newer.public_id}/"' in html
    assert f'href="/review/claims/{claim.public_id}/"' in html
    assert "lan@example.com claims Lan Nguyen" in html


def test_a_long_queue_is_shown_fifty_at_a_time_longest_waiting_first(reviewer_client):
    practitioner = PractitionerFactory()
    for n in range(120):
        pending(practitioner=practitioner, number=f"Q{n:03d}", days_ago=200 - n)

    first = reviewer_client.get("/review/")
    third = reviewer_client.get("/review/", {"licenses": "3"})

    assert [lic.number for lic in first.context["licenses"]] == [f"Q{n:03d}" for n in range(50)]
    html = first.content.decode()
    assert 'Licenses <span class="count">(120)</span>' in html
    assert "1–50 of 120" in html and 'href="?licenses=2" rel="next"' in html
    assert [lic.number for lic in third.context["licenses"]] == [
        f"Q{n:03d}" for n in range(100, 120)
    ]
    assert 'href="?licenses=2" rel="prev"' in third.content.decode()
    assert 'rel="next"' not in third.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "two", "1e3"])
def test_a_page_that_cannot_be_is_a_400_naming_it(reviewer_client, page):
    pending(number="ONLY")

    response = reviewer_client.get("/review/", {"licenses": page})

    assert response.status_code == 400
    assert "Page: " in response.content.decode()
    assert [lic.number for lic in response.context["licenses"]] == ["ONLY"]


def test_the_review_page_shows_the_document_and_the_primary_source(reviewer_client):
    license = pending(region="CA", number="AC12345")
    license.document.save("scan.png", upload("scan.png", png_bytes()))
    html = reviewer_client.get(f"/review/licenses/{license.public_id}/").content.decode()
    document = (
        f"/dashboard/profile/{license.practitioner.slug}/licenses/{license.public_id}/document/"
    )
    assert f'<img class="document" src="{document}?inline=1"' in html
    assert 'href="https://search.dca.ca.gov/"' in html
    assert 'name="source" value="https://search.dca.ca.gov/"' in html  # suggested


def test_every_us_state_and_national_register_has_a_source():
    from common import jurisdictions

    for region in jurisdictions.REGIONS["US"]:
        assert sources_for_license("US", region), region
    for country in ["GB", "AU"]:
        assert sources_for_license(country, ""), country
    assert [s.name for s in sources_for_license("GB", "")] == [
        "British Acupuncture Council register",
        "CNHC register",
    ]
    assert sources_for_certification("nccaom")[0].url.startswith("https://www.nccaom.org/")


def decide(client, credential, **data):
    kind = "licenses" if isinstance(credential, License) else "certifications"
    return client.post(f"/review/{kind}/{credential.public_id}/", data)


def test_approving_records_the_source_and_date_and_emails_the_owner(
    reviewer_client, staff, owner, mailoutbox, django_capture_on_commit_callbacks
):
    license = pending(practitioner=PractitionerFactory(owner=owner), number="AC12345")
    checked = today() - datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(
            reviewer_client,
            license,
            decision="approve",
            source="https://search.dca.ca.gov/",
            checked_on=checked.isoformat(),
        )
    assert response["Location"] == "/review/"
    license.refresh_from_db()
    assert (license.status, license.verified_on, license.source) == (
        "verified",
        checked,
        "https://search.dca.ca.gov/",
    )
    event = VerificationEvent.objects.filter(license=license).last()
    assert (event.actor, event.from_status, event.to_status, event.source, event.checked_on) == (
        staff,
        "pending",
        "verified",
        "https://search.dca.ca.gov/",
        checked,
    )
    assert [m.to for m in mailoutbox] == [["mei@example.com"]]
    assert mailoutbox[0].subject == "Meridian: L.Ac. license AC12345 (US-CA): verified"
    assert (
        f"Verified with https://search.dca.ca.gov/ on {date_format(checked)}" in mailoutbox[0].body
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"source": "", "checked_on": YESTERDAY},
            {"source": ["This field is required."]},
        ),
        ({"source": "board", "checked_on": ""}, {"checked_on": ["This field is required."]}),
        (
            {"source": "board", "checked_on": "2999-01-01"},
            {"checked_on": ["The date checked cannot be in the future."]},
        ),
    ],
)
def test_approval_needs_a_source_and_a_real_date(reviewer_client, mailoutbox, data, expected):
    license = pending()
    response = decide(reviewer_client, license, decision="approve", **data)
    assert response.status_code == 400
    assert response.context["forms"]["approve"].errors == expected
    license.refresh_from_db()
    assert license.status == "pending"
    assert VerificationEvent.objects.filter(license=license).count() == 1
    assert mailoutbox == []


def test_rejecting_needs_a_reason_the_practitioner_then_reads(
    reviewer_client, owner, mailoutbox, django_capture_on_commit_callbacks
):
    license = pending(practitioner=PractitionerFactory(owner=owner))
    empty = decide(reviewer_client, license, decision="reject", reason="  ")
    assert empty.status_code == 400
    assert empty.context["forms"]["reason"].errors == {"reason": ["This field is required."]}
    license.refresh_from_db()
    assert license.status == "pending"
    assert VerificationEvent.objects.filter(license=license).count() == 1
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        decide(reviewer_client, license, decision="reject", reason="Not on the register.")
    license.refresh_from_db()
    assert license.status == "rejected"
    assert VerificationEvent.objects.filter(license=license).last().reason == (
        "Not on the register."
    )
    assert "The reviewer's reason:\nNot on the register." in mailoutbox[0].body


def test_revoke_and_reopen_later(
    reviewer_client, owner, mailoutbox, django_capture_on_commit_callbacks
):
    license = LicenseFactory(practitioner=PractitionerFactory(owner=owner))
    with django_capture_on_commit_callbacks(execute=True):
        decide(reviewer_client, license, decision="revoke", reason="Suspended by the board.")
        decide(reviewer_client, license, decision="reopen", reason="The suspension was lifted.")
    license.refresh_from_db()
    assert license.status == "pending"
    assert list(
        VerificationEvent.objects.filter(license=license).values_list(
            "from_status", "to_status", "reason"
        )
    ) == [
        ("verified", "revoked", "Suspended by the board."),
        ("revoked", "pending", "The suspension was lifted."),
    ]
    assert [m.subject for m in mailoutbox] == [
        f"Meridian: L.Ac. license {license.number} (US-CA): revoked",
        f"Meridian: L.Ac. license {license.number} (US-CA): pending review",
    ]


@pytest.mark.parametrize(
    ("status", "decision", "message"),
    [
        ("rejected", "approve", "This credential is rejected; it cannot be approved now."),
        ("verified", "reject", "This credential is verified; it cannot be rejected now."),
        ("pending", "revoke", "This credential is pending review; it cannot be revoked now."),
        ("verified", "reopen", "This credential is verified; it cannot be re-opened now."),
    ],
)
def test_a_decision_that_does_not_follow_from_the_status_is_refused(
    reviewer_client, status, decision, message
):
    license = LicenseFactory(status=status)
    data = {"decision": decision, "reason": "x", "source": "board", "checked_on": YESTERDAY}
    response = decide(reviewer_client, license, **data)
    assert response.status_code == 400
    form = response.context["forms"]["approve" if decision == "approve" else "reason"]
    assert form.non_field_errors() == [message]
    license.refresh_from_db()
    assert license.status == status
    assert not VerificationEvent.objects.exists()


def test_certifications_are_decided_the_same_way(reviewer_client):
    certification = pending(CertificationFactory, number="424242")
    decide(
        reviewer_client,
        certification,
        decision="approve",
        source="NCCAOM directory",
        checked_on=today().isoformat(),
    )
    certification.refresh_from_db()
    assert (certification.status, certification.source) == ("verified", "NCCAOM directory")


def test_approving_a_claim_hands_over_the_profile(
    reviewer_client, mailoutbox, django_capture_on_commit_callbacks
):
    unclaimed = PractitionerFactory(first_name="Lan", last_name="Nguyen")
    license = LicenseFactory(practitioner=unclaimed, region="NY")
    claimant, rival = AccountFactory(email="lan@example.com"), AccountFactory(email="x@example.com")
    claim = ProfileClaim.objects.create(practitioner=unclaimed, claimant=claimant, license=license)
    other = ProfileClaim.objects.create(practitioner=unclaimed, claimant=rival, license=license)

    page = reviewer_client.get(f"/review/claims/{claim.public_id}/").content.decode()
    assert "lan@example.com" in page and "https://www.op.nysed.gov/" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(
            f"/review/claims/{claim.public_id}/", {"decision": "approve"}
        )
    assert response["Location"] == "/review/"
    unclaimed.refresh_from_db()
    claim.refresh_from_db()
    other.refresh_from_db()
    assert unclaimed.owner == claimant
    assert (claim.status, other.status, other.reason) == (
        ProfileClaimStatus.APPROVED,
        ProfileClaimStatus.REJECTED,
        "Another account's claim was approved.",
    )
    assert sorted((m.to[0], m.subject) for m in mailoutbox) == [
        ("lan@example.com", "Meridian: claim on Lan Nguyen's profile approved"),
        ("x@example.com", "Meridian: claim on Lan Nguyen's profile rejected"),
    ]


def test_rejecting_a_claim_needs_a_reason(reviewer_client):
    unclaimed = PractitionerFactory()
    claim = ProfileClaim.objects.create(
        practitioner=unclaimed,
        claimant=AccountFactory(),
        license=LicenseFactory(practitioner=unclaimed),
    )
    url = f"/review/claims/{claim.public_id}/"
    empty = reviewer_client.post(url, {"decision": "reject", "reason": ""})
    assert empty.status_code == 400
    assert empty.context["form"].errors == {"reason": ["This field is required."]}
    claim.refresh_from_db()
    assert (claim.status, claim.reason, claim.decided_by) == ("pending", "", None)
    reviewer_client.post(url, {"decision": "reject", "reason": "The board lists another email."})
    claim.refresh_from_db()
    assert (claim.status, claim.reason) == ("rejected", "The board lists another email.")
    unclaimed.refresh_from_db()
    assert unclaimed.owner is None


def test_staff_cannot_decide_on_their_own_credential_or_claim(reviewer_client, staff):
    own = pending(practitioner=PractitionerFactory(owner=staff))
    response = decide(reviewer_client, own, decision="approve", source="x", checked_on=YESTERDAY)
    assert response.status_code == 400
    assert response.context["forms"]["approve"].non_field_errors() == [
        "You cannot decide on your own credential; ask another reviewer."
    ]
    own.refresh_from_db()
    assert own.status == "pending"
    assert VerificationEvent.objects.filter(license=own).count() == 1

    unclaimed = PractitionerFactory()
    claim = ProfileClaim.objects.create(
        practitioner=unclaimed, claimant=staff, license=LicenseFactory(practitioner=unclaimed)
    )
    refused = reviewer_client.post(
        f"/review/claims/{claim.public_id}/", {"decision": "approve"}, follow=True
    )
    assert "You cannot approve your own claim; ask another reviewer." in refused.content.decode()
    unclaimed.refresh_from_db()
    assert unclaimed.owner is None
    claim.refresh_from_db()
    assert claim.status == "pending"
