"""Reference data: regions, reporting organisations, municipalities and the multi-valued
controlled lists."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from registry.choices import ReporterType


class RegionQuerySet(models.QuerySet):
    def active(self) -> RegionQuerySet:
        return self.filter(is_active=True)

    def with_coordinator_flag(self) -> RegionQuerySet:
        from registry.models.accounts import User

        coordinators = User.objects.active_coordinators().filter(regions=OuterRef("pk"))
        return self.annotate(has_active_coordinator=Exists(coordinators))

    def without_active_coordinator(self) -> RegionQuerySet:
        return self.with_coordinator_flag().filter(has_active_coordinator=False)


class Region(models.Model):
    """A care-coordination region (data, maintained by administrators)."""

    code = models.SlugField(
        _("code"),
        max_length=64,
        unique=True,
        help_text=_("Stable code used in exports and imports, e.g. 'amsterdam'."),
    )
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive regions receive no new cases.")
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class ReportingOrganisation(models.Model):
    """A named organisation that reports possible victims, by its Dutch name and, for the
    English interface, its English one (VOCABULARY.md's labels: issue 15)."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(
        _("name in English"),
        max_length=200,
        blank=True,
        help_text=_("Shown in the English interface; empty: the Dutch name is shown."),
    )
    reporter_type = models.CharField(
        _("reporter type"), max_length=32, choices=ReporterType.choices
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("reporting organisation")
        verbose_name_plural = _("reporting organisations")
        constraints = [
            models.UniqueConstraint(fields=["name"], name="organisation_name_unique"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language: the English one in English where there is one."""
        return self.name_en if self.name_en and get_language() == "en" else self.name


class MunicipalityQuerySet(models.QuerySet):
    def active(self) -> MunicipalityQuerySet:
        return self.filter(is_active=True)


class Municipality(models.Model):
    """A Dutch municipality by its CBS code (data: registry/data/municipalities.csv)."""

    code = models.CharField(
        _("CBS code"),
        max_length=6,
        primary_key=True,
        validators=[RegexValidator(r"^GM\d{4}$", _("A CBS code is GM and four digits."))],
        help_text=_("The gemeentecode of Statistics Netherlands, e.g. GM0363 (Amsterdam)."),
    )
    name = models.CharField(_("name"), max_length=100)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "Merged or abolished municipalities stay for old registrations but are not "
            "offered for new ones."
        ),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="municipalities",
        verbose_name=_("region"),
        help_text=_(
            "The care-coordination region of a person found in this municipality: a "
            "reporter's submission goes to it. Empty: not offered on the reporter's form."
        ),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^GM[0-9]{4}$"), name="municipality_code_format"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CodeList(models.Model):
    """A multi-valued controlled list: one row per code of its nested ``Code`` choices, shown
    by the code's label. A subclass declares ``Code`` and the ``code`` field over it."""

    Code: type[models.TextChoices]
    code: models.CharField

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return str(self.Code(self.code).label)


class FormOfExploitation(CodeList):
    """A form of exploitation: one row per code, so a registration can hold several."""

    class Code(models.TextChoices):
        SEXUAL = "sexual", _("sexual exploitation")
        LABOUR = "labour", _("labour exploitation")
        CRIMINAL = "criminal", _("criminal exploitation (incl. forced begging)")
        ORGAN_REMOVAL = "organ_removal", _("forced organ removal")
        FORCED_MARRIAGE = "forced_marriage", _("forced marriage")
        ILLEGAL_ADOPTION = "illegal_adoption", _("illegal adoption")
        SURROGACY = "surrogacy", _("exploitation of surrogacy")
        OTHER = "other", _("other")
        UNKNOWN = "unknown", _("unknown")

    code = models.CharField(_("code"), max_length=32, primary_key=True, choices=Code.choices)

    class Meta(CodeList.Meta):
        verbose_name = _("form of exploitation")
        verbose_name_plural = _("forms of exploitation")


class MeansOfControl(CodeList):
    """A means of control (HTCDS indicators): one row per code, several per registration."""

    class Code(models.TextChoices):
        DEBT_BONDAGE = "debt_bondage", _("debt bondage")
        TAKES_EARNINGS = "takes_earnings", _("takes earnings")
        RESTRICTS_FINANCIAL_ACCESS = "restricts_financial_access", _("restricts financial access")
        THREATS = "threats", _("threats")
        PSYCHOLOGICAL_ABUSE = "psychological_abuse", _("psychological abuse")
        PHYSICAL_ABUSE = "physical_abuse", _("physical abuse")
        SEXUAL_ABUSE = "sexual_abuse", _("sexual abuse")
        FALSE_PROMISES = "false_promises", _("false promises")
        PSYCHOACTIVE_SUBSTANCES = "psychoactive_substances", _("psychoactive substances")
        RESTRICTS_MOVEMENT = "restricts_movement", _("restricts movement")
        RESTRICTS_MEDICAL_CARE = "restricts_medical_care", _("restricts medical care")
        EXCESSIVE_WORKING_HOURS = "excessive_working_hours", _("excessive working hours")
        USES_CHILDREN = "uses_children", _("uses children")
        THREAT_OF_LAW_ENFORCEMENT = "threat_of_law_enforcement", _("threat of law enforcement")
        WITHHOLDS_NECESSITIES = "withholds_necessities", _("withholds necessities")
        WITHHOLDS_DOCUMENTS = "withholds_documents", _("withholds documents")
        OTHER = "other", _("other")

    code = models.CharField(_("code"), max_length=40, primary_key=True, choices=Code.choices)

    class Meta(CodeList.Meta):
        verbose_name = _("means of control")
        verbose_name_plural = _("means of control")
