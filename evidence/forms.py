from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evidence import citations
from evidence.citations import CitationFileError, CitationFormat

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class CitationImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "RIS (.ris), PubMed MEDLINE (.nbib or .txt) or BibTeX (.bib), as exported "
            "by PubMed, Zotero, EndNote or a publisher; UTF-8, at most 5 MB."
        ),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            ("", _("Recognise from the content")),
            *[(f.value, f.label) for f in CitationFormat],
        ],
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        if upload.size > MAX_UPLOAD_BYTES:
            self.add_error(
                "file", gettext("The file is larger than 5 MB; split it into smaller files.")
            )
            return cleaned
        try:
            cleaned["text"] = citations.decode(upload.read())
        except CitationFileError as error:
            self.add_error("file", str(error))
        cleaned["format"] = CitationFormat(cleaned["format"]) if cleaned.get("format") else None
        return cleaned
