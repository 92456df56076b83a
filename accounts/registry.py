"""Filling dashboard forms from the NPI Registry (NPI_REGISTRY_URL): a plain GET form asks
for an NPI, and what the registry lists becomes the initial values of the page's own form,
for the practitioner to check and save as usual. Nothing is saved from the registry itself."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from credentialing.npi import validate_npi
from public_record import npi_registry
from public_record.npi_registry import RegistryLicense, RegistryRecord

# The page's own form may have an `npi` field too: the look-up's ids must differ.
AUTO_ID = "registry_%s"


class LookupForm(forms.Form):
    npi = forms.CharField(
        label=_("Your NPI"),
        max_length=10,
        validators=[validate_npi],
        help_text=_(
            "We ask the NPI Registry what it lists for this NPI, to fill in the form "
            "below; you check it before saving."
        ),
    )


@dataclass
class Offer:
    """The look-up form and, once an NPI was asked, the registry's answer or why none."""

    form: LookupForm
    record: RegistryRecord | None = None
    problem: str = ""

    def license(self, index: str | None) -> RegistryLicense | None:
        if self.record is None or not (index or "").isdigit():
            return None
        licenses = self.record.licenses
        return licenses[int(index)] if int(index) < len(licenses) else None


def offer(request: HttpRequest, *, npi: str = "") -> Offer | None:
    """None when no registry is configured; otherwise the look-up for `?npi=` (or a form
    pre-filled with the practitioner's NPI)."""
    if not npi_registry.enabled():
        return None
    if "npi" not in request.GET:
        return Offer(LookupForm(initial={"npi": npi}, auto_id=AUTO_ID))
    form = LookupForm(request.GET, auto_id=AUTO_ID)
    if not form.is_valid():
        return Offer(form)
    number = form.cleaned_data["npi"]
    try:
        record = npi_registry.lookup(number)
    except npi_registry.RegistryUnavailable as error:
        return Offer(
            form,
            problem=gettext("Nothing filled in: %(error)s. Please type your details.")
            % {"error": error},
        )
    if record is None:
        return Offer(
            form,
            problem=gettext("The NPI Registry has no individual provider %(npi)s.")
            % {"npi": number},
        )
    return Offer(form, record=record)


def lookup_forms(offer: Offer | None) -> list[LookupForm]:
    """The look-up form, when there is one, for common.forms.form_status."""
    return [] if offer is None else [offer.form]


def profile_initial(offer: Offer | None) -> dict[str, str]:
    if offer is None or offer.record is None:
        return {}
    record = offer.record
    return {
        "first_name": record.first_name,
        "last_name": record.last_name,
        "credentials": record.credential,
        "npi": record.npi,
    }


def clinic_initial(offer: Offer | None) -> dict[str, str]:
    if offer is None or offer.record is None or not offer.record.address:
        return {}
    record = offer.record
    return {
        "address": record.address,
        "city": record.city,
        "jurisdiction": record.jurisdiction,
        "postal_code": record.postal_code,
        "phone": record.phone,
    }


def license_initial(offer: Offer | None, index: str | None) -> dict[str, str]:
    license = offer.license(index) if offer is not None else None
    if license is None:
        return {}
    return {"jurisdiction": license.jurisdiction, "number": license.number}
