"""The practitioner dashboard: thin views over directory.services and credentialing.services.
Every owned object is fetched through accounts.access."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from accounts import access, registry
from accounts import services as account_services
from accounts.forms import (
    CertificationForm,
    ClaimForm,
    LicenseForm,
    LocationForm,
    PhotoForm,
    ProfileForm,
)
from common.forms import form_status, submit
from common.ratelimit import ClaimThrottle, ClinicThrottle, UploadThrottle, rate_limited
from credentialing import services as credentialing_services
from credentialing.documents import stored_type
from credentialing.models import CREDENTIAL_KINDS, ProfileClaimStatus, VerificationEvent
from directory import listing, photos, services
from directory.models import ACCESS_FIELDS, Location, Practitioner

CREDENTIAL_FORMS = {"licenses": LicenseForm, "certifications": CertificationForm}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Your profile's dashboard, or the choice to create or claim one."""
    practitioner = Practitioner.objects.filter(owner=request.user).first()
    if practitioner is not None:
        return redirect("accounts:practitioner", slug=practitioner.slug)
    claims = request.user.profile_claims.select_related("practitioner").order_by("-created_at")
    pending = any(claim.status == ProfileClaimStatus.PENDING for claim in claims)
    return render(request, "accounts/start.html", {"claims": claims, "pending_claim": pending})


@login_required
def practitioner_new(request: HttpRequest) -> HttpResponse:
    lookup = registry.offer(request)
    initial = {"published": True, **registry.profile_initial(lookup)}
    form = ProfileForm(request.POST or None, initial=initial)
    practitioner = submit(
        form,
        lambda: services.practitioner_create(
            owner=request.user,
            practitioner=form.instance,
            conditions=form.cleaned_data["conditions"],
            techniques=form.cleaned_data["techniques"],
        ),
    )
    if practitioner is not None:
        messages.success(
            request, gettext("Profile created. Next, add your clinic and your license.")
        )
        return redirect("accounts:practitioner", slug=practitioner.slug)
    context = {"form": form, "creating": True, "offer": lookup}
    status = form_status(form, *registry.lookup_forms(lookup))
    return render(request, "accounts/profile_form.html", context, status=status)


@login_required
def practitioner_overview(request: HttpRequest, slug: str) -> HttpResponse:
    practitioner = access.practitioner_for_user(request, slug)
    events = Prefetch("events", queryset=VerificationEvent.objects.order_by("created_at", "pk"))
    context = {
        "practitioner": practitioner,
        "locations": practitioner.locations.order_by("clinic_name", "city"),
        "licenses": practitioner.licenses.prefetch_related(events),
        "certifications": practitioner.certifications.prefetch_related(events),
        "checklist": listing.checklist(practitioner),
    }
    return render(request, "accounts/overview.html", context)


@login_required
def practitioner_edit(request: HttpRequest, slug: str) -> HttpResponse:
    practitioner = access.practitioner_for_user(request, slug)
    form = ProfileForm(request.POST or None, instance=practitioner)
    saved = submit(
        form,
        lambda: services.practitioner_update(
            practitioner=form.instance,
            conditions=form.cleaned_data["conditions"],
            techniques=form.cleaned_data["techniques"],
        ),
    )
    if saved is not None:
        messages.success(request, gettext("Profile saved and confirmed as current."))
        return redirect("accounts:practitioner", slug=slug)
    context = {"form": form, "practitioner": practitioner, "creating": False}
    return render(request, "accounts/profile_form.html", context, status=form_status(form))


@require_POST
@login_required
def practitioner_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    practitioner = access.practitioner_for_user(request, slug)
    services.practitioner_confirm_details(practitioner=practitioner)
    messages.success(request, gettext("Thank you: your details are confirmed as current today."))
    return redirect("accounts:practitioner", slug=slug)


@login_required
@rate_limited(UploadThrottle)
def practitioner_photo(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload a photo, or replace the current one."""
    practitioner = access.practitioner_for_user(request, slug)
    form = PhotoForm(request.POST or None, request.FILES or None)
    saved = submit(
        form,
        lambda: photos.practitioner_photo_set(
            practitioner=practitioner, photo=form.cleaned_data["photo"]
        ),
    )
    if saved is not None:
        messages.success(request, gettext("Photo saved."))
        return redirect("accounts:practitioner", slug=slug)
    context = {"form": form, "practitioner": practitioner}
    return render(request, "accounts/photo_form.html", context, status=form_status(form))


@require_POST
@login_required
def practitioner_photo_remove(request: HttpRequest, slug: str) -> HttpResponse:
    practitioner = access.practitioner_for_user(request, slug)
    photos.practitioner_photo_remove(practitioner=practitioner, by=request.user)
    messages.success(request, gettext("Photo removed; your initials show instead."))
    return redirect("accounts:practitioner", slug=slug)


@login_required
@rate_limited(ClinicThrottle)
def location_new(request: HttpRequest, slug: str) -> HttpResponse:
    return location_edit(request, slug)


@login_required
def location_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    lookup = None
    if pk is None:
        practitioner = access.practitioner_for_user(request, slug)
        location = Location(practitioner=practitioner)
        lookup = registry.offer(request, npi=practitioner.npi or "")
    else:
        location = access.location_for_user(request, slug, pk)
        practitioner = location.practitioner
    initial = registry.clinic_initial(lookup)
    if "show_payers" in request.POST:
        # Without JavaScript: the state or country was chosen, so show the form again,
        # unsaved and without errors, with that country's payers.
        form = LocationForm(
            instance=location, initial=_typed_so_far(request), practitioner=practitioner
        )
        context = {"form": form, "practitioner": practitioner, "location": location}
        return render(request, "accounts/location_form.html", context)
    form = LocationForm(
        request.POST or None, instance=location, initial=initial, practitioner=practitioner
    )
    saved = submit(
        form,
        lambda: services.location_save(
            location=form.instance,
            opening_hours=form.cleaned_data["opening_hours"],
            payers=form.cleaned_data["payers"],
        ),
    )
    if saved is not None:
        messages.success(request, gettext("Clinic “%(clinic)s” saved.") % {"clinic": location})
        return redirect("accounts:practitioner", slug=slug)
    context = {"form": form, "practitioner": practitioner, "location": location, "offer": lookup}
    status = form_status(form, *registry.lookup_forms(lookup))
    return render(request, "accounts/location_form.html", context, status=status)


def _typed_so_far(request: HttpRequest) -> dict[str, object]:
    """What the clinic form held when its payers were asked for, as the new form's initial
    values (the payers ticked so far kept only if the new country offers them)."""
    initial: dict[str, object] = {
        name: value for name, value in request.POST.items() if name != "csrfmiddlewaretoken"
    }
    initial["payers"] = request.POST.getlist("payers")
    for name in ("sliding_scale", "free_first_consultation", *ACCESS_FIELDS):
        initial[name] = name in request.POST
    return initial


@login_required
def location_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    location = access.location_for_user(request, slug, pk)
    if request.method == "POST":
        services.location_delete(location=location)
        messages.success(request, gettext("Clinic “%(clinic)s” removed.") % {"clinic": location})
        return redirect("accounts:practitioner", slug=slug)
    return render(request, "accounts/location_delete.html", {"location": location})


@login_required
@rate_limited(UploadThrottle)
def credential_edit(
    request: HttpRequest, slug: str, kind: str, public_id: str | None = None
) -> HttpResponse:
    """Add or edit a license or certification; `kind` is "licenses" or "certifications"."""
    lookup = None
    if public_id is None:
        practitioner = access.practitioner_for_user(request, slug)
        credential = CREDENTIAL_KINDS[kind](practitioner=practitioner)
        if kind == "licenses":
            lookup = registry.offer(request, npi=practitioner.npi or "")
    else:
        credential = access.credential_for_user(request, slug, kind, public_id)
        practitioner = credential.practitioner
    form = CREDENTIAL_FORMS[kind](
        request.POST or None,
        request.FILES or None,
        instance=credential,
        initial=registry.license_initial(lookup, request.GET.get("license")),
        **({"practitioner": practitioner} if kind == "licenses" else {}),
    )
    save = partial(credentialing_services.credential_save, credential=credential, by=request.user)
    if submit(form, save) is not None:
        messages.success(
            request,
            gettext("Saved your %(credential)s. Staff will verify it.")
            % {"credential": credential.label},
        )
        return redirect("accounts:practitioner", slug=slug)
    context = {
        "form": form,
        "practitioner": practitioner,
        "credential": credential,
        "kind": kind,
        "noun": credential.kind,
        "offer": lookup,
    }
    status = form_status(form, *registry.lookup_forms(lookup))
    return render(request, "accounts/credential_form.html", context, status=status)


@login_required
def credential_document(request: HttpRequest, slug: str, kind: str, public_id: str) -> FileResponse:
    """The supporting document, to its owner and reviewers only. Sent as an attachment
    unless ?inline=1 asks for an image (the review page shows it in place); a PDF is always
    an attachment, since a browser's viewer would run what it carries (JavaScript, forms).
    Never sniffed by the browser."""
    credential = access.credential_for_user(request, slug, kind, public_id)
    if not credential.document:
        raise Http404("No document.")
    content_type, extension = stored_type(credential.document)
    inline = request.GET.get("inline") == "1" and content_type.startswith("image/")
    response = FileResponse(
        credential.document.open("rb"),
        content_type=content_type,
        as_attachment=not inline,
        filename=slugify(credential.label) + extension,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if inline:
        response["X-Frame-Options"] = "SAMEORIGIN"
        response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
    return response


@login_required
@rate_limited(ClaimThrottle)
def claim_new(request: HttpRequest) -> HttpResponse:
    lookup = registry.offer(request)
    initial = registry.license_initial(lookup, request.GET.get("license"))
    form = ClaimForm(request.POST or None, initial=initial)
    claim = submit(
        form,
        lambda: credentialing_services.practitioner_claim(
            claimant=request.user,
            country=form.cleaned_data["jurisdiction"][0],
            region=form.cleaned_data["jurisdiction"][1],
            number=form.cleaned_data["number"],
        ),
    )
    if claim is not None:
        messages.success(request, gettext("Claim sent. Staff will check it and email you."))
        return redirect("accounts:claim", public_id=claim.public_id)
    status = form_status(form, *registry.lookup_forms(lookup))
    context = {"form": form, "offer": lookup}
    return render(request, "accounts/claim_form.html", context, status=status)


@login_required
def claim_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    claim = access.claim_for_user(request, public_id)
    if request.method == "POST" and claim.claimant_id == request.user.pk:
        try:
            credentialing_services.claim_withdraw(claim=claim)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, gettext("Claim withdrawn."))
        return redirect("accounts:dashboard")
    return render(request, "accounts/claim_detail.html", {"claim": claim})


@login_required
def api_token(request: HttpRequest) -> HttpResponse:
    """Create, replace or revoke the token for the /api/v1/me/ endpoints. A new token is
    shown once, on the page that creates it; afterwards the page lists it by when it was
    made and its first characters."""
    created = None
    if request.method == "POST":
        account_services.api_tokens_revoke(user=request.user)
        if request.POST.get("action") == "create":
            created = Token.objects.create(user=request.user)
        else:
            messages.success(request, gettext("API token revoked."))
    context = {"created": created, "token": Token.objects.filter(user=request.user).first()}
    return render(request, "accounts/api_token.html", context)
