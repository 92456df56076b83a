"""QuickSelect writes the markup Django's own Select writes, for every menu of the search
form and for the corners (groups, a chosen value, escaping, boolean attributes)."""

from __future__ import annotations

import re

import pytest
from django import forms

from common.widgets import QuickSelect
from directory.forms import SearchForm
from directory.models import Payer, PayerKind

pytestmark = pytest.mark.django_db


def tags_only(html: str) -> str:
    """Django's template puts line breaks between the tags; the browser ignores them."""
    return re.sub(r">\s+<", "><", str(html)).strip()


def both(field: forms.ChoiceField, name: str, value, attrs=None) -> tuple[str, str]:
    quick = QuickSelect(choices=field.choices).render(name, value, attrs)
    django = forms.Select(choices=field.choices).render(name, value, attrs)
    return tags_only(quick), tags_only(django)


def test_groups_a_chosen_value_escaping_and_boolean_attributes_match_django():
    field = forms.ChoiceField(
        choices=[
            ("", "Any"),
            ('Fruit <& "quoted">', [("apple", "Apple & pear"), ('x"y', "<b>bold</b>")]),
            ("plain", "Plain"),
        ]
    )
    attrs = {"id": "id_menu", "aria-describedby": "menu-help", "required": True, "hidden": False}
    quick, django = both(field, "menu", 'x"y', attrs)
    assert quick == django
    assert '<option value="x&quot;y" selected>&lt;b&gt;bold&lt;/b&gt;</option>' in quick
    assert "hidden" not in quick


def test_every_menu_of_the_search_form_matches_django():
    Payer.objects.create(slug="blue-gold", name="Blue & Gold Health", kind=PayerKind.INSURER)
    form = SearchForm({"near": "94110", "condition": "migraine", "language": "es"})
    form.is_valid()
    menus = [name for name, field in form.fields.items() if isinstance(field.widget, QuickSelect)]
    assert {"condition", "technique", "language", "insurance", "unit"} <= set(menus)
    for name in menus:
        bound = form[name]
        quick = tags_only(bound.as_widget())
        django = tags_only(
            bound.as_widget(
                widget=forms.Select(bound.field.widget.attrs, bound.field.widget.choices)
            )
        )
        assert quick == django, name
    assert "Blue &amp; Gold Health" in form["insurance"].as_widget()
