"""Staff and reporter accounts with their role."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from registry.choices import Role

# The fields of an account that decide what it may do (docs/security.md, "Who may grant what").
# Every change of one is an ``account`` audit event; nobody changes them on their own account.
POWER_FIELDS = frozenset(
    {"role", "regions", "organisation", "is_active", "is_superuser", "groups", "user_permissions"}
)
# Of those, the ones only a superuser may change, on anyone's account.
SUPERUSER_ONLY_FIELDS = frozenset({"is_superuser", "groups", "user_permissions"})


class UserQuerySet(models.QuerySet):
    def for_user(self, user: User | None) -> UserQuerySet:
        """The accounts ``user`` may see (and pick in a form): registry.access."""
        from registry import access

        return access.accounts_for_user(self, user)

    def active_coordinators(self) -> UserQuerySet:
        """Coordinators whose account is active: the only people cases go to."""
        return self.filter(role=Role.COORDINATOR, is_active=True)

    def coordinators_of(self, region: Any) -> UserQuerySet:
        """Active coordinators of ``region`` (a Region or its id), by user name."""
        return self.active_coordinators().filter(regions=region).order_by("username")


class RegistryUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """A registry user. What they may do follows from ``role`` (DESIGN.md, "Who uses it")."""

    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Role.choices,
        default=Role.REPORTER,
        help_text=_("Decides what this user may see and do."),
    )
    regions = models.ManyToManyField(
        "registry.Region",
        blank=True,
        related_name="coordinators",
        verbose_name=_("regions"),
        help_text=_("For care coordinators: the regions whose cases they work."),
    )
    organisation = models.ForeignKey(
        "registry.ReportingOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reporters",
        verbose_name=_("organisation"),
        help_text=_("For reporters: the organisation they report for."),
    )

    objects = RegistryUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def save(self, *args: object, **kwargs: object) -> None:
        # The admin is a tool for coordinators and administrators only (issue 4); staff status
        # follows the role so it can never be granted to a reporter by a stray tick.
        self.is_staff = self.is_superuser or self.role in {Role.COORDINATOR, Role.ADMINISTRATOR}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.role == Role.REPORTER and self.organisation_id is None:
            raise ValidationError({"organisation": _("A reporter must belong to an organisation.")})

    @property
    def is_reporter(self) -> bool:
        return self.role == Role.REPORTER and not self.is_superuser

    @property
    def is_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR and not self.is_superuser

    @property
    def is_helpdesk(self) -> bool:
        return self.role == Role.HELPDESK and not self.is_superuser

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == Role.ADMINISTRATOR

    @property
    def is_registry_staff(self) -> bool:
        """Coordinators, help desk and administrators: may register victims."""
        return self.is_active and (
            self.is_administrator or self.role in {Role.COORDINATOR, Role.HELPDESK}
        )

    @cached_property
    def region_ids(self) -> frozenset[int]:
        # Loaded with the user on PostgreSQL (registry/auth_backends.py); otherwise from the
        # link table alone: no join with the regions and no ordering by name, as
        # ``self.regions`` would read them (every request of a coordinator asks this once).
        loaded = self.__dict__.pop("loaded_region_ids", None)
        if loaded is not None:
            return frozenset(loaded)
        links = type(self).regions.through.objects.filter(user_id=self.pk)
        return frozenset(links.values_list("region_id", flat=True))

    # Who may change whose account (the user admin asks these; docs/security.md) ----------

    def may_change_account(self, target: User) -> bool:
        """Superusers change every account; other administrators change their own and those
        of non-administrators, never another administrator's or a superuser's (no taking over
        the second person of the two-person rule, no resetting a superuser's password)."""
        if not (self.is_active and self.is_administrator):
            return False
        return self.is_superuser or target.pk == self.pk or not target.is_administrator

    def locked_account_fields(self, target: User | None) -> frozenset[str]:
        """The power fields of ``target``'s account (None: a new account) this user may not
        change: the superuser-only ones unless a superuser, and all of them on their own."""
        locked: frozenset[str] = frozenset() if self.is_superuser else SUPERUSER_ONLY_FIELDS
        if target is not None and target.pk is not None and target.pk == self.pk:
            locked = locked | POWER_FIELDS
        return locked

    def may_give_role(self, role: str) -> bool:
        """Only a superuser makes someone an administrator."""
        return self.is_superuser or role != Role.ADMINISTRATOR
