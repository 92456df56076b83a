"""The evidence library in a real browser: filters, a study's forest plot, and the path from
a condition to its claims and to practitioners. axe-core checks each page for WCAG 2.2 AA."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from evidence.models import Condition
from evidence.services import evidence_additions_load, evidence_seed_load
from tests.e2e.conftest import assert_accessible, tab_until
from tests.factories import listed_practitioner

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def titles(page) -> list[str]:
    return page.locator(".study-list .study-item-title").all_inner_texts()


def test_library_filters_work_by_keyboard_and_without_javascript(page, no_script_page):
    evidence_seed_load()
    page.goto("/evidence/")
    assert page.locator("#results-title").inner_text() == "9 studies"
    assert_accessible(page)

    page.locator("#id_condition").select_option("episodic-migraine")
    page.locator("#id_design").select_option("rct")
    tab_until(page, "form.filters button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/evidence/?*design=rct*")
    assert titles(page) == [
        "Manual acupuncture versus sham acupuncture and usual care for prophylaxis of episodic "
        "migraine without aura: multicentre, randomised clinical trial"
    ]
    assert_accessible(page)

    no_script_page.goto("/evidence/")
    no_script_page.get_by_label("Search titles, authors and summaries").fill("cupping")
    no_script_page.get_by_role("button", name="Show studies").click()
    no_script_page.wait_for_url("**/evidence/?q=cupping*")
    assert titles(no_script_page) == [
        "Cupping Therapy for the Treatment of Migraine Headache: a systematic review and "
        "meta-analysis of clinical trials"
    ]
    response = no_script_page.goto("/evidence/?year_from=not+a+year")
    assert response.status == 400
    alert = no_script_page.get_by_role("alert")
    assert alert.inner_text().startswith("Some filters could not be used.")
    assert alert.get_by_role("link", name="From year: Enter a whole number.").is_visible()
    # axe needs JavaScript, so the same error page is checked in the ordinary browser
    page.goto("/evidence/?year_from=not+a+year")
    assert_accessible(page)


def test_study_page_draws_its_forest_plot_and_marks_the_unchecked_identifier(page):
    evidence_seed_load()
    page.goto("/evidence/studies/mohandes-2024-cupping/")
    plot = page.get_by_role("img", name="Forest plot: Risk ratio (RR) against control")
    assert plot.is_visible()
    box = plot.bounding_box()
    assert box["width"] > 500 and box["height"] > 100
    assert page.locator(".forest-point").count() == 3
    assert page.get_by_text("Identifier not checked.").is_visible()
    table = page.get_by_role("table", name="Figures: every outcome of this study")
    assert table.get_by_role("row").nth(1).inner_text().split("\t")[:4] == [
        "treatment success",
        "Cupping",
        "control",
        "RR 1.83 (95% CI 1.52 to 2.21)",
    ]
    tab_until(page, "a[href='https://doi.org/10.3831/KPI.2024.27.3.177']")
    assert_accessible(page)


def test_from_migraine_to_its_claims_to_practitioners_in_three_clicks(page):
    evidence_seed_load()
    page.goto("/evidence/")
    page.get_by_role("link", name="Migraine", exact=True).click()  # 1
    page.wait_for_url("**/conditions/migraine/")
    assert page.locator("h1").inner_text() == "Migraine"
    assert page.locator("figure.forest").count() == 4
    assert_accessible(page)

    page.get_by_role("link", name="All claims about migraine").click()  # 2
    page.wait_for_url("**/evidence/claims/?condition=migraine")
    assert page.locator("article.claim").count() == 8
    assert_accessible(page)

    tab_until(page, "main >> text=Find practitioners who treat migraine near you")
    page.keyboard.press("Enter")  # 3
    page.wait_for_url("**/search/?condition=migraine")
    assert page.locator("h1").inner_text() == "Find a practitioner"
    expect(page.get_by_label("Condition")).to_have_value("migraine")
    expect(page.locator(".search-intro")).to_contain_text("who treat migraine")

    # The patient says where they are; only practitioners who treat migraine are listed.
    treats_migraine = listed_practitioner(slug="treats-migraine", first_name="Lan")
    treats_migraine.conditions.add(Condition.objects.get(slug="chronic-migraine"))
    listed_practitioner(slug="treats-back-pain", first_name="Ravi").conditions.add(
        Condition.objects.get(slug="chronic-low-back-pain")
    )
    page.get_by_label("Near", exact=True).fill("94105")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#search-status")).to_contain_text("1 practitioner within 15 mi")
    expect(page.locator(".result-card h3 a")).to_have_text(["Lan " + treats_migraine.last_name])
    assert_accessible(page)


def test_a_condition_page_leads_with_reviews_and_says_how_certain_each_result_is(page):
    evidence_seed_load()
    evidence_additions_load()
    page.goto("/evidence/")
    page.get_by_role("link", name="Low back pain", exact=True).click()
    page.wait_for_url("**/conditions/low-back-pain/")
    studies = page.locator(".evidence-list .study-item-title")
    expect(studies).to_have_text(
        [
            "Acupuncture for chronic nonspecific low back pain",
            "Noninvasive Treatments for Acute, Subacute, and Chronic Low Back Pain: A Clinical "
            "Practice Guideline From the American College of Physicians",
        ]
    )
    first = page.locator(".evidence-item").first
    expect(first.locator(".summary-label")).to_contain_text("Meridian's summary")
    expect(first.locator(".certainty").first).to_have_text(
        "Low certainty: further research is likely to change this estimate."
    )
    assert_accessible(page)

    page.goto("/conditions/insomnia/")
    expect(page.locator(".no-figures")).to_contain_text("Figures not yet entered.")
    page.goto("/conditions/anxiety/")
    expect(page.locator(".no-evidence")).to_contain_text("The library holds no studies of anxiety")
    assert_accessible(page)
