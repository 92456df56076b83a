from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApproveForm(forms.Form):
    source = forms.CharField(
        max_length=300,
        label=_("Primary source checked"),
        help_text=_("The board's look-up URL or the register you checked."),
    )
    checked_on = forms.DateField(
        label=_("Date checked"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("The practitioner reads this; say what to fix, not internal notes."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QueuePagesForm(forms.Form):
    """Which page of each long list the review queue shows (?licenses=2)."""

    licenses = forms.IntegerField(min_value=1, required=False)
    certifications = forms.IntegerField(min_value=1, required=False)
