"""Reference data: regions, reporting organisations, municipalities and the multi-valued
controlled lists."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from registry.choices import ControlMeans, ExploitationForm, ReporterType


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
    """A named organisation that reports possible victims."""

    name = models.CharField(_("name"), max_length=200)
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
        return self.name


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


class FormOfExploitation(models.Model):
    """One row per code of ExploitationForm, so a registration can hold several."""

    code = models.CharField(
        _("code"), max_length=32, primary_key=True, choices=ExploitationForm.choices
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("form of exploitation")
        verbose_name_plural = _("forms of exploitation")

    def __str__(self) -> str:
        return str(ExploitationForm(self.code).label)


class MeansOfControl(models.Model):
    """One row per code of ControlMeans (HTCDS indicators)."""

    code = models.CharField(
        _("code"), max_length=40, primary_key=True, choices=ControlMeans.choices
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("means of control")
        verbose_name_plural = _("means of control")

    def __str__(self) -> str:
        return str(ControlMeans(self.code).label)
