from __future__ import annotations

import datetime

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from evidence import identifiers

SEARCH_CONFIG = "english"


class Condition(models.Model):
    """Something a patient wants treated, e.g. migraine. Subtypes point at a broader parent."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="subtypes"
    )
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:condition-detail", kwargs={"slug": self.slug})

    @property
    def shown_name(self) -> str:
        """The name in the visitor's language: the seeded vocabulary is in the catalogues
        (evidence/vocabulary.py); a name added later is shown as written."""
        return gettext(self.name)

    @property
    def shown_summary(self) -> str:
        return gettext(self.summary) if self.summary else ""

    def with_subtype_ids(self) -> list[int]:
        """This condition's id and those of its subtypes at any depth: evidence about
        episodic migraine is evidence about migraine."""
        children: dict[int | None, list[int]] = {}
        # The vocabulary is a few dozen rows: one read of its tree, walked here.
        for pk, parent_id in Condition.objects.exclude(parent=None).values_list("pk", "parent"):
            children.setdefault(parent_id, []).append(pk)
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = [
                child for pk in frontier for child in children.get(pk, []) if child not in ids
            ]
            ids.extend(frontier)
        return ids


class InterventionQuerySet(models.QuerySet):
    def techniques(self) -> InterventionQuerySet:
        """What practitioners offer and list on their profiles, not drugs or comparators."""
        return self.filter(is_technique=True)


class Intervention(models.Model):
    """A treatment or technique, e.g. electroacupuncture, or something it is compared with."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(blank=True)
    is_technique = models.BooleanField(
        default=False,
        help_text=_(
            "A technique practitioners offer and list on their profiles (acupuncture, "
            "cupping, ...). Off for drugs, devices and comparators such as sham acupuncture."
        ),
    )

    objects = InterventionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def shown_name(self) -> str:
        """The name in the visitor's language (see Condition.shown_name)."""
        return gettext(self.name)

    @property
    def shown_summary(self) -> str:
        return gettext(self.summary) if self.summary else ""


class StudyDesign(models.TextChoices):
    SYSTEMATIC_REVIEW = "systematic_review", _("Systematic review")
    META_ANALYSIS = "meta_analysis", _("Meta-analysis")
    RCT = "rct", _("Randomised controlled trial")
    COHORT = "cohort", _("Cohort study")
    MECHANISTIC = "mechanistic", _("Mechanistic or animal study")
    NEUROIMAGING = "neuroimaging", _("Neuroimaging study")
    GUIDELINE = "guideline", _("Guideline")


# Which designs answer "does it work?" best, strongest first (StudyQuerySet.best_first).
DESIGN_STRENGTH = [
    [StudyDesign.SYSTEMATIC_REVIEW, StudyDesign.META_ANALYSIS, StudyDesign.GUIDELINE],
    [StudyDesign.RCT],
    [StudyDesign.COHORT],
    [StudyDesign.NEUROIMAGING, StudyDesign.MECHANISTIC],
]


class Certainty(models.TextChoices):
    """Certainty of the evidence as GRADE rates it."""

    HIGH = "high", _("High")
    MODERATE = "moderate", _("Moderate")
    LOW = "low", _("Low")
    VERY_LOW = "very_low", _("Very low")
    NOT_GRADED = "not_graded", _("Not graded")

    @property
    def meaning(self) -> str:
        """What the grade means for a patient, after GRADE's own definitions."""
        return str(CERTAINTY_MEANINGS[self])

    @property
    def in_words(self) -> str:
        """'Low certainty: further research is likely to change this estimate.'"""
        if self == Certainty.NOT_GRADED:
            return gettext("Not graded: %(meaning)s.") % {"meaning": self.meaning}
        # One phrase per grade, so each language words "low certainty" its own way.
        return gettext("%(certainty)s: %(meaning)s.") % {
            "certainty": CERTAINTY_IN_A_PHRASE[self],
            "meaning": self.meaning,
        }

    @classmethod
    def from_text(cls, text: str | None) -> Certainty:
        """A review's own wording ("low", "moderate (overall ...)") as a grade; no wording
        is no grade. Anything else is refused rather than guessed."""
        if not text:
            return cls.NOT_GRADED
        for grade in [cls.VERY_LOW, cls.HIGH, cls.MODERATE, cls.LOW]:
            if text.casefold().startswith(grade.value.replace("_", " ")):
                return grade
        raise ValueError(f"{text!r} is not a GRADE certainty.")


# Worst first, for a summary that never claims more than the weakest outcome allows.
CERTAINTY_ORDER = [
    Certainty.VERY_LOW,
    Certainty.LOW,
    Certainty.MODERATE,
    Certainty.HIGH,
]

CERTAINTY_IN_A_PHRASE = {
    Certainty.HIGH: _("High certainty"),
    Certainty.MODERATE: _("Moderate certainty"),
    Certainty.LOW: _("Low certainty"),
    Certainty.VERY_LOW: _("Very low certainty"),
}

CERTAINTY_MEANINGS = {
    Certainty.HIGH: _("further research is very unlikely to change this estimate"),
    Certainty.MODERATE: _("further research may change this estimate"),
    Certainty.LOW: _("further research is likely to change this estimate"),
    Certainty.VERY_LOW: _("we are very uncertain about this estimate"),
    Certainty.NOT_GRADED: _("the source did not rate how certain this finding is"),
}


class AuthorsText(models.Func):
    """The author list as one string. `evidence_authors_text` (evidence/sql/authors_text.sql)
    is array_to_string declared IMMUTABLE, which a generated column requires."""

    function = "evidence_authors_text"
    output_field = models.TextField()


class StudyQuerySet(models.QuerySet):
    def search(self, text: str) -> StudyQuerySet:
        """PostgreSQL full-text search over title, authors and summary, best match first."""
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        return (
            self.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-year", "title")
        )

    def about(self, condition: Condition) -> StudyQuerySet:
        """Studies of the condition or any of its subtypes."""
        ids = condition.with_subtype_ids()
        return self.filter(pk__in=Study.objects.filter(conditions__in=ids).values("pk"))

    def of_intervention(self, intervention: Intervention) -> StudyQuerySet:
        return self.filter(pk__in=Study.objects.filter(interventions=intervention).values("pk"))

    def for_listing(self) -> StudyQuerySet:
        return self.prefetch_related("conditions", "interventions").order_by("-year", "title")

    def mark_reviewed(self, *, on: datetime.date) -> int:
        """An editor read these studies' sources in full and checked their figures."""
        return self.update(reviewed_on=on, needs_checking=False, updated_at=timezone.now())

    def summarised(self) -> StudyQuerySet:
        """Studies with a plain-language summary: only these appear on condition pages."""
        return self.exclude(summary="")

    def best_first(self) -> StudyQuerySet:
        """Reviews, meta-analyses and guidelines before single trials, then other designs;
        newer before older; the id breaks ties so the order never changes by chance."""
        rank = models.Case(
            *[
                models.When(design=design, then=models.Value(position))
                for position, designs in enumerate(DESIGN_STRENGTH)
                for design in designs
            ],
            default=models.Value(len(DESIGN_STRENGTH)),
            output_field=models.IntegerField(),
        )
        return self.annotate(design_rank=rank).order_by("design_rank", "-year", "pk")

    def matching(
        self, *, doi: str, pmid: str, title: str, year: int | None
    ) -> tuple[Study | None, str]:
        """The study a citation describes, and how it was recognised: by DOI, then PMID,
        then the same title (ignoring case and punctuation) in the same year."""
        if doi and (study := self.filter(doi__iexact=doi).first()):
            return study, "DOI"
        if pmid and (study := self.filter(pmid=pmid).first()):
            return study, "PMID"
        key = identifiers.title_key(title)
        for study in self.filter(year=year):
            if identifiers.title_key(study.title) == key:
                return study, "title and year"
        return None, ""


class Study(models.Model):
    """One publication: its citation, what it studied, and how far its identifiers were
    checked against a publisher or index."""

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=500)
    authors = ArrayField(
        models.CharField(max_length=200),
        default=list,
        blank=True,
        help_text=_("In citation order, as 'Surname Initials', e.g. Linde K."),
    )
    journal = models.CharField(max_length=300, blank=True)
    year = models.PositiveSmallIntegerField()
    citation_detail = models.CharField(
        _("volume, issue and pages"),
        max_length=120,
        blank=True,
        help_text=_("As published, e.g. 27(3):177-189 or 2016, Issue 6, CD001218."),
    )
    doi = models.CharField("DOI", max_length=200, blank=True)
    pmid = models.CharField("PMID", max_length=9, blank=True)
    pmcid = models.CharField("PMCID", max_length=20, blank=True)
    url = models.URLField("URL", max_length=500, blank=True)
    identifier_checked = models.BooleanField(
        default=False,
        help_text=_(
            "True only when every DOI and PMID given here was seen on a publisher or "
            "index page (or confirmed by check_identifiers)."
        ),
    )
    design = models.CharField(max_length=20, choices=StudyDesign.choices, blank=True)
    included_studies = models.PositiveIntegerField(
        _("number of included studies"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("For reviews and guidelines."),
    )
    included_breakdown = models.JSONField(
        _("included studies by topic"),
        default=dict,
        blank=True,
        help_text=_('How many included studies each topic had, as reported: {"migraine": 54}.'),
    )
    participants = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    conditions = models.ManyToManyField(Condition, blank=True, related_name="studies")
    interventions = models.ManyToManyField(Intervention, blank=True, related_name="studies")
    comparators = models.ManyToManyField(
        Intervention, blank=True, related_name="compared_in_studies"
    )
    summary = models.TextField(_("plain-language summary"), blank=True)
    limitations = models.TextField(blank=True)
    notes = models.TextField(
        blank=True,
        help_text=_("What the source says beyond the figures, and what was not checked."),
    )
    certainty = models.CharField(
        _("certainty of evidence (GRADE)"),
        max_length=12,
        choices=Certainty.choices,
        default=Certainty.NOT_GRADED,
        help_text=_(
            "A summary: the lowest certainty of its graded outcomes. Each outcome carries its own."
        ),
    )
    needs_checking = models.BooleanField(
        default=False,
        help_text=_(
            "Its results were not read in full (an abstract cut short, a figure whose "
            "context is missing): an editor should read the source before relying on it."
        ),
    )
    added_on = models.DateField(auto_now_add=True)
    reviewed_on = models.DateField(
        null=True, blank=True, help_text=_("When an editor last reviewed this entry.")
    )
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector(AuthorsText("authors"), weight="B", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="C", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = StudyQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name_plural = _("studies")
        indexes = [GinIndex(fields=["search_vector"], name="evidence_study_search")]
        constraints = [
            models.CheckConstraint(
                condition=Q(doi="") | Q(doi__regex=identifiers.DOI_PATTERN),
                name="evidence_study_doi_format",
                violation_error_message=_("A DOI looks like 10.1136/bmj.m697."),
            ),
            models.UniqueConstraint(
                Lower("doi"),
                condition=~Q(doi=""),
                name="evidence_study_doi_unique",
                violation_error_message=_("Another study already has this DOI."),
            ),
            models.CheckConstraint(
                condition=Q(pmid="") | Q(pmid__regex=identifiers.PMID_PATTERN),
                name="evidence_study_pmid_format",
                violation_error_message=_("A PMID is up to nine digits."),
            ),
            models.UniqueConstraint(
                fields=["pmid"],
                condition=~Q(pmid=""),
                name="evidence_study_pmid_unique",
                violation_error_message=_("Another study already has this PMID."),
            ),
            models.CheckConstraint(
                condition=Q(pmcid="") | Q(pmcid__regex=identifiers.PMCID_PATTERN),
                name="evidence_study_pmcid_format",
                violation_error_message=_("A PMCID looks like PMC7249245."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1800, year__lte=2100), name="evidence_study_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.short_citation}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("evidence:study-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors = {}
        for field, normalise in [
            ("doi", identifiers.normalise_doi),
            ("pmid", identifiers.normalise_pmid),
            ("pmcid", identifiers.normalise_pmcid),
        ]:
            try:
                setattr(self, field, normalise(getattr(self, field)))
            except identifiers.IdentifierError as error:
                errors[field] = str(error)
        if not isinstance(self.included_breakdown, dict) or not all(
            isinstance(count, int) and count >= 0 for count in self.included_breakdown.values()
        ):
            errors["included_breakdown"] = gettext('Give topics and counts, e.g. {"migraine": 54}.')
        if errors:
            raise ValidationError(errors)

    @property
    def short_citation(self) -> str:
        """'Linde 2016', or the journal when no author is recorded."""
        if self.authors:
            return f"{self.authors[0].split()[0]} {self.year}"
        return f"{self.journal or 'Anonymous'} {self.year}"

    @property
    def authors_display(self) -> str:
        return ", ".join(self.authors)

    @property
    def authors_short(self) -> str:
        """Up to three authors, then et al., as citations abbreviate."""
        if len(self.authors) <= 3:
            return ", ".join(self.authors)
        return f"{', '.join(self.authors[:3])}, et al."

    @property
    def authors_sentence(self) -> str:
        """The full author list ending in one full stop, for a citation."""
        return _sentence(self.authors_display)

    @property
    def authors_short_sentence(self) -> str:
        return _sentence(self.authors_short)

    @property
    def doi_url(self) -> str:
        return identifiers.doi_url(self.doi)

    @property
    def pubmed_url(self) -> str:
        return identifiers.pubmed_url(self.pmid)

    @property
    def pmc_url(self) -> str:
        return identifiers.pmc_url(self.pmcid)

    @property
    def has_identifier(self) -> bool:
        return bool(self.doi or self.pmid)

    def certainty_summary(self, outcomes: list[Outcome]) -> str:
        """'Low to very low' across the shown outcomes' grades, or the study's own field
        when none of them is graded."""
        grades = {o.certainty for o in outcomes if o.certainty != Certainty.NOT_GRADED}
        ordered = [grade for grade in reversed(CERTAINTY_ORDER) if grade in grades]
        if not ordered:
            return self.get_certainty_display()
        if len(ordered) == 1:
            return str(ordered[0].label)
        return gettext("%(highest)s to %(lowest)s") % {
            "highest": ordered[0].label,
            "lowest": ordered[-1].label.lower(),
        }


def _sentence(text: str) -> str:
    return text if not text or text.endswith(".") else f"{text}."


class Measure(models.TextChoices):
    MD = "MD", _("Mean difference")
    SMD = "SMD", _("Standardised mean difference")
    RR = "RR", _("Risk ratio")
    OR = "OR", _("Odds ratio")
    HR = "HR", _("Hazard ratio")


RATIO_MEASURES = [Measure.RR, Measure.OR, Measure.HR]


class BenefitDirection(models.TextChoices):
    HIGHER = "higher", _("Higher values favour the intervention")
    LOWER = "lower", _("Lower values favour the intervention")
    NOT_STATED = "not_stated", _("Not stated")


class OutcomeQuerySet(models.QuerySet):
    def shown(self) -> OutcomeQuerySet:
        """What patients may see: never an outcome held back for checking."""
        return self.filter(show=True)

    def with_figures(self) -> OutcomeQuerySet:
        return self.filter(estimate__isnull=False)


class Outcome(models.Model):
    """One result reported by a study: an effect estimate with its 95% CI (what forest
    plots are drawn from), or, where the source gave no such figure, the result in words."""

    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="outcomes")
    outcome = models.CharField(max_length=300, help_text=_("What was measured, and when."))
    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="outcomes"
    )
    intervention_as_reported = models.CharField(
        max_length=200,
        blank=True,
        help_text=_(
            "The source's own words when they say more than the vocabulary, e.g. "
            "PC6 stimulation + antiemetic."
        ),
    )
    comparator = models.CharField(
        max_length=200, help_text=_("As the study names it: sham acupuncture, control, baseline.")
    )
    measure = models.CharField(
        max_length=3, choices=Measure.choices, blank=True, help_text=_("Blank when no figure.")
    )
    measure_as_reported = models.CharField(
        max_length=200,
        blank=True,
        help_text=_(
            "The source's own name for the measure, e.g. Hedges g, or MD on a 0-100 scale."
        ),
    )
    estimate = models.FloatField(null=True, blank=True)
    ci_low = models.FloatField(_("95% CI lower bound"), null=True, blank=True)
    ci_high = models.FloatField(_("95% CI upper bound"), null=True, blank=True)
    result = models.TextField(
        _("result in words"),
        blank=True,
        help_text=_(
            "Only where the source gave no estimate with an interval: what it found, "
            "in its own figures (e.g. 48 in 100 against 17 of 100)."
        ),
    )
    studies = models.PositiveIntegerField(
        _("number of studies"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    certainty = models.CharField(
        _("certainty (GRADE)"),
        max_length=12,
        choices=Certainty.choices,
        default=Certainty.NOT_GRADED,
        help_text=_("As the review graded this outcome; not graded when it gave none."),
    )
    certainty_as_stated = models.CharField(
        max_length=300, blank=True, help_text=_("The review's own wording of the grade.")
    )
    source_quote = models.TextField(
        blank=True,
        help_text=_(
            "The passage the figures were copied from, word for word. For checking; "
            "never shown to patients."
        ),
    )
    source = models.CharField(
        max_length=500, blank=True, help_text=_("Where the passage was read (page or table).")
    )
    show = models.BooleanField(
        _("show to patients"),
        default=True,
        help_text=_(
            "Off holds the outcome back from every page, the API and FHIR until the "
            "source has been read in full."
        ),
    )
    hidden_because = models.TextField(blank=True, help_text=_("Why it is held back."))
    notes = models.TextField(
        blank=True, help_text=_("For editors: what to check about this figure. Never shown.")
    )
    participants = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)]
    )
    direction = models.CharField(
        _("direction of benefit"),
        max_length=10,
        choices=BenefitDirection.choices,
        default=BenefitDirection.NOT_STATED,
    )

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        ordering = ["study", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    estimate__isnull=True, ci_low__isnull=True, ci_high__isnull=True, measure=""
                )
                | (
                    Q(estimate__isnull=False, ci_low__isnull=False, ci_high__isnull=False)
                    & ~Q(measure="")
                ),
                name="evidence_outcome_figures_complete",
                violation_error_message=_(
                    "Give the measure, the estimate and both ends of its "
                    "95%% confidence interval, or none of them (and the result in words)."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ci_low__lte=F("estimate"), ci_high__gte=F("estimate")),
                name="evidence_outcome_ci_contains_estimate",
                violation_error_message=_(
                    "The 95%% confidence interval must contain the estimate."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(measure__in=RATIO_MEASURES) | Q(ci_low__gt=0),
                name="evidence_outcome_ratio_positive",
                violation_error_message=_("Ratios (RR, OR, HR) and their intervals are above 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.study.short_citation}, {self.outcome}: {self.effect_display}"

    @property
    def is_ratio(self) -> bool:
        return self.measure in RATIO_MEASURES

    @property
    def has_figures(self) -> bool:
        return self.estimate is not None

    @property
    def intervention_label(self) -> str:
        """The source's own words as written; otherwise the vocabulary's name, translated."""
        return self.intervention_as_reported or self.intervention.shown_name

    @property
    def certainty_in_words(self) -> str:
        return Certainty(self.certainty).in_words

    @property
    def null_value(self) -> float:
        """No difference: 1 for a ratio, 0 for a difference."""
        return 1.0 if self.is_ratio else 0.0

    @property
    def effect_display(self) -> str:
        """'RR 1.83 (95% CI 1.52 to 2.21)', with the figures exactly as stored; the result
        in words when there is no figure."""
        if not self.has_figures:
            return self.result or gettext("No figure entered")
        return gettext("%(measure)s %(estimate)s (95%% CI %(low)s to %(high)s)") % {
            "measure": self.measure,
            "estimate": format_number(self.estimate),  # type: ignore[arg-type]  # has_figures
            "low": format_number(self.ci_low),  # type: ignore[arg-type]
            "high": format_number(self.ci_high),  # type: ignore[arg-type]
        }


def format_number(value: float) -> str:
    """1.83 -> "1.83", -1.4 -> "\u22121.4" (a true minus sign), exactly as stored."""
    return f"{value:g}".replace("-", "\u2212")


class ClaimStatus(models.TextChoices):
    SUPPORTED = "supported", _("Supported")
    PARTLY_SUPPORTED = "partly_supported", _("Partly supported")
    UNVERIFIED = "unverified", _("Unverified")
    UNSUPPORTED = "unsupported", _("Unsupported")
    CONTRADICTED = "contradicted", _("Contradicted")


# Statuses whose claim must never be presented as fact.
NOT_ESTABLISHED = [ClaimStatus.UNVERIFIED, ClaimStatus.UNSUPPORTED, ClaimStatus.CONTRADICTED]


class ClaimQuerySet(models.QuerySet):
    def about(self, condition: Condition) -> ClaimQuerySet:
        ids = condition.with_subtype_ids()
        return self.filter(pk__in=Claim.objects.filter(conditions__in=ids).values("pk"))

    def for_listing(self) -> ClaimQuerySet:
        return self.prefetch_related("studies", "conditions").order_by("pk")


class Claim(models.Model):
    """A statement as found in the wild (marketing copy, articles), and what the studies
    behind it actually say."""

    text = models.CharField(max_length=1000, help_text=_("The statement, word for word."))
    status = models.CharField(max_length=20, choices=ClaimStatus.choices)
    studies = models.ManyToManyField(
        Study, blank=True, related_name="claims", help_text=_("The studies the claim rests on.")
    )
    conditions = models.ManyToManyField(Condition, blank=True, related_name="claims")
    explanation = models.TextField(blank=True, help_text=_("What the sources say of it."))
    added_on = models.DateField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["text"], name="evidence_claim_text_unique"),
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else f"{self.text[:79]}…"

    @property
    def is_established(self) -> bool:
        """Only supported or partly supported claims may be stated as findings."""
        return self.status not in NOT_ESTABLISHED
