"""The dimensions statistics are broken down by, each a database expression over clear fields.

Every dimension is an annotation on ``Registration`` that the database groups by; nothing is
read from an encrypted column. ``multiplies`` marks dimensions reached through a many-valued
relation (forms of exploitation, cases): a registration can fall in several of their values,
so they are counted with ``COUNT(DISTINCT registration)`` and their percentages can add up to
more than 100.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import CharField, Expression, F, Q, Value
from django.db.models import When as SqlWhen
from django.db.models.functions import Cast, ExtractYear
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from registry import registering
from registry.choices import FileType, Gender, ReporterType, Scope, Sector
from registry.choices import Shelter as ShelterChoice
from registry.models import FormOfExploitation
from reports.geography import EU_MEMBERS, NETHERLANDS

UNKNOWN = "unknown"

# (code, lowest age, highest age or None); codes double as labels.
MONITOR_BANDS = registering.MONITOR_AGE_BANDS
CTDC_BANDS: list[tuple[str, int, int | None]] = [
    ("0-8", 0, 8),
    ("9-17", 9, 17),
    ("18-20", 18, 20),
    ("21-23", 21, 23),
    ("24-26", 24, 26),
    ("27-29", 27, 29),
    ("30-38", 30, 38),
    ("39-47", 39, 47),
    ("48+", 48, None),
]
AGE_SCHEMES = {"monitor": MONITOR_BANDS, "ctdc": CTDC_BANDS}


def _text(value: str) -> Value:
    return Value(value, output_field=CharField())


def age_band_expression(bands: list[tuple[str, int, int | None]], field_name: str) -> Expression:
    """CASE WHEN age <= 17 THEN '0-17' ... over ``field_name``; NULL ages give 'unknown'."""
    whens = [SqlWhen(**{f"{field_name}__isnull": True}, then=_text(UNKNOWN))]
    for code, _low, high in bands:
        if high is not None:
            whens.append(SqlWhen(**{f"{field_name}__lte": high}, then=_text(code)))
    return SqlCase(*whens, default=_text(bands[-1][0]), output_field=CharField())


def age_band(age: int | None, scheme: str = "monitor") -> str:
    """The band of one age in Python (for labels and tests), same rule as the SQL."""
    return registering.age_band(age, AGE_SCHEMES[scheme])


def _blank_as_unknown(path: str) -> Expression:
    return SqlCase(
        SqlWhen(Q(**{f"{path}__isnull": True}) | Q(**{path: ""}), then=_text(UNKNOWN)),
        default=F(path),
        output_field=CharField(),
    )


def _case_field(path: str) -> Expression:
    """A field of the registration's case: 'no_case' without one, 'unknown' when blank."""
    return SqlCase(
        SqlWhen(**{"cases__id__isnull": True}, then=_text("no_case")),
        SqlWhen(**{path: ""}, then=_text(UNKNOWN)),
        default=F(path),
        output_field=CharField(),
    )


def _nationality_group() -> Expression:
    return SqlCase(
        SqlWhen(person_nationality=NETHERLANDS, then=_text("dutch")),
        SqlWhen(person_nationality__in=sorted(EU_MEMBERS - {NETHERLANDS}), then=_text("other_eu")),
        SqlWhen(person_nationality="", then=_text(UNKNOWN)),
        default=_text("outside_eu"),
        output_field=CharField(),
    )


def _choices(choices: type) -> Callable[[], dict[str, str]]:
    def labels() -> dict[str, str]:
        found = {code: str(label) for code, label in choices.choices}
        found.setdefault(UNKNOWN, str(_("unknown")))
        return found

    return labels


def _bands(bands: list[tuple[str, int, int | None]]) -> Callable[[], dict[str, str]]:
    def labels() -> dict[str, str]:
        found = {code: str(_("under 18")) if code == "0-17" else code for code, _l, _h in bands}
        found[UNKNOWN] = str(_("unknown"))
        return found

    return labels


def _nationality_group_labels() -> dict[str, str]:
    return {
        "dutch": str(_("Dutch")),
        "other_eu": str(_("other EU")),
        "outside_eu": str(_("outside the EU")),
        UNKNOWN: str(_("unknown")),
    }


def _country_labels() -> dict[str, str]:
    found = {code: str(name) for code, name in countries}
    found[UNKNOWN] = str(_("unknown"))
    found["_other"] = str(_("other countries"))
    return found


def _region_labels() -> dict[str, str]:
    from registry.models import Region

    return dict(Region.objects.values_list("code", "name"))


def _shelter_labels() -> dict[str, str]:
    found = _choices(ShelterChoice)()
    found["no_case"] = str(_("no case opened"))
    return found


def _year_labels() -> dict[str, str]:
    return {}


def _as_text(value: Any) -> str:
    return str(value)


def _blank_to_unknown(value: Any) -> str:
    return UNKNOWN if value in (None, "") else str(value)


def _fold_age(scheme: str) -> Callable[[], Callable[[Any], str]]:
    return lambda: lambda age: age_band(age, scheme)


def _fold_nationality_group(value: Any) -> str:
    if value == NETHERLANDS:
        return "dutch"
    if value in EU_MEMBERS:
        return "other_eu"
    if value == "":
        return UNKNOWN
    return "outside_eu"


def _fold_region() -> Callable[[Any], str]:
    from registry.models import Region

    codes = dict(Region.objects.values_list("pk", "code"))
    return lambda pk: codes[pk]


def _fold_year(value: Any) -> str:
    return str(int(value))


def _column(name: str) -> Callable[[], Expression]:
    return lambda: F(name)


@dataclass(frozen=True)
class Dimension:
    key: str
    label: Promise
    expression: Callable[[], Expression] = field(repr=False)
    labels: Callable[[], dict[str, str]] = field(repr=False)
    # Values in display order; others follow by count. Empty: by count.
    order: tuple[str, ...] = ()
    multiplies: bool = False
    # Show only the largest N values, the rest together as "other countries".
    top: int = 0
    # PostgreSQL's one-pass count groups by a plain column (``raw``, cheap to hash) and folds
    # each raw value into the dimension's value in Python with ``fold()`` (same rule as
    # ``expression``). None: the dimension is counted by its own query.
    raw: Callable[[], Expression] | None = field(default=None, repr=False)
    fold: Callable[[], Callable[[Any], str]] = field(default=lambda: _as_text, repr=False)

    def value_label(self, value: str, labels: dict[str, str]) -> str:
        return labels.get(value, value)


def _age_dimension(scheme: str, label: Any) -> Dimension:
    """The age at registration in the bands of ``scheme`` (AGE_SCHEMES)."""
    bands = AGE_SCHEMES[scheme]
    return Dimension(
        f"age_{scheme}",
        label,
        lambda: age_band_expression(bands, "age_at_registration"),
        _bands(bands),
        order=(*(code for code, _l, _h in bands), UNKNOWN),
        raw=_column("age_at_registration"),
        fold=_fold_age(scheme),
    )


DIMENSIONS: dict[str, Dimension] = {
    dim.key: dim
    for dim in [
        Dimension(
            "gender",
            _("Gender"),
            lambda: F("person_gender"),
            _choices(Gender),
            order=tuple(Gender.values),
            raw=_column("person_gender"),
        ),
        _age_dimension("monitor", _("Age (Dutch monitor bands)")),
        _age_dimension("ctdc", _("Age (CTDC bands)")),
        Dimension(
            "nationality_group",
            _("Nationality"),
            _nationality_group,
            _nationality_group_labels,
            order=("dutch", "other_eu", "outside_eu", UNKNOWN),
            raw=_column("person_nationality"),
            fold=lambda: _fold_nationality_group,
        ),
        Dimension(
            "nationality",
            _("Nationality (top countries)"),
            lambda: _blank_as_unknown("person_nationality"),
            _country_labels,
            top=10,
            raw=_column("person_nationality"),
            fold=lambda: _blank_to_unknown,
        ),
        Dimension(
            "exploitation_form",
            _("Form of exploitation"),
            lambda: _blank_as_unknown("exploitation_forms__code"),
            _choices(FormOfExploitation.Code),
            order=tuple(FormOfExploitation.Code.values),
            multiplies=True,
            fold=lambda: _blank_to_unknown,
        ),
        Dimension(
            "sector",
            _("Sector"),
            lambda: _blank_as_unknown("sector"),
            _choices(Sector),
            raw=_column("sector"),
            fold=lambda: _blank_to_unknown,
        ),
        Dimension(
            "scope",
            _("Domestic or cross-border"),
            lambda: F("scope"),
            _choices(Scope),
            order=tuple(Scope.values),
            raw=_column("scope"),
        ),
        Dimension(
            "reporter_type",
            _("Reporter type"),
            lambda: F("reporter_type"),
            _choices(ReporterType),
            raw=_column("reporter_type"),
        ),
        Dimension(
            "region",
            _("Region"),
            lambda: F("region__code"),
            _region_labels,
            raw=_column("region_id"),
            fold=_fold_region,
        ),
        Dimension(
            "file_type",
            _("Type of file"),
            lambda: F("file_type"),
            _choices(FileType),
            order=tuple(FileType.values),
            raw=_column("file_type"),
        ),
        Dimension(
            "shelter",
            _("Shelter placed"),
            lambda: _case_field("cases__shelter_placed"),
            _shelter_labels,
            multiplies=True,
        ),
        Dimension(
            "care",
            _("Care received"),
            lambda: _case_field("cases__care_received"),
            _shelter_labels,
            multiplies=True,
        ),
        Dimension(
            "year",
            _("Year of registration"),
            lambda: Cast(ExtractYear("registered_on"), CharField()),
            _year_labels,
            raw=lambda: ExtractYear("registered_on"),
            fold=lambda: _fold_year,
        ),
    ]
}

# The breakdowns on the statistics page, in order (year has its own year-on-year table).
BREAKDOWNS = [key for key in DIMENSIONS if key != "year"]
