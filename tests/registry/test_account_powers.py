"""No one grants themself power (issue 10, item 5): the user and group admin.

Observed: an administrator without the export permission gave themself ``is_superuser`` and
``reports.export_personal`` in the user admin and downloaded every identity.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from registry.access import may_export_personal
from registry.choices import AuditAction, Role
from registry.models import AuditEvent, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def form_data(response: Any) -> dict[str, Any]:
    """What a browser would post back for the admin form on ``response``, unchanged."""
    form = response.context["adminform"].form
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        bound = form[name]
        value = bound.value()
        if isinstance(field.widget, forms.MultiWidget):
            for i, part in enumerate(field.widget.decompress(value)):
                data[f"{bound.html_name}_{i}"] = "" if part is None else str(part)
        elif isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = "" if value is None else str(value)
    return data


def change_url(user: Any) -> str:
    return reverse("admin:registry_user_change", args=[user.pk])


def test_administrator_cannot_make_themself_superuser_or_grant_themself_any_permission(
    administrator, client_for
):
    client = client_for(administrator)
    data = form_data(client.get(change_url(administrator)))
    data["is_superuser"] = "on"
    data["user_permissions"] = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]

    client.post(change_url(administrator), data)

    administrator.refresh_from_db()
    assert not administrator.is_superuser
    assert not administrator.user_permissions.exists()
    assert not may_export_personal(administrator)
    export = reverse("admin:reports_personalexport_export")
    assert client.post(export, {"format": "0"}).status_code == 403


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", role=Role.ADMINISTRATOR, is_superuser=True)


@pytest.fixture
def other_administrator(db):
    return UserFactory(username="admin-2", role=Role.ADMINISTRATOR)


def account_events(target: Any) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=AuditAction.ACCOUNT, object_type="registry.user", object_id=str(target.pk)
        ).order_by("id")
    )


def powers(user: Any) -> dict[str, Any]:
    """Everything that decides what an account may do, fresh from the database."""
    user = type(user).objects.get(pk=user.pk)
    return {
        "role": user.role,
        "regions": sorted(user.regions.values_list("pk", flat=True)),
        "organisation": user.organisation_id,
        "is_active": user.is_active,
        "is_superuser": user.is_superuser,
        "is_staff": user.is_staff,
        "groups": sorted(user.groups.values_list("pk", flat=True)),
        "user_permissions": sorted(user.user_permissions.values_list("pk", flat=True)),
        "password": user.password,
    }


def test_administrator_cannot_give_themself_a_group(administrator, client_for):
    group = Group.objects.create(name="all powers")
    group.permissions.set(Permission.objects.all())
    client = client_for(administrator)
    data = form_data(client.get(change_url(administrator)))
    data["groups"] = [str(group.pk)]

    client.post(change_url(administrator), data)

    assert not administrator.groups.exists()


@pytest.mark.parametrize("who", ["administrator", "superuser"])
def test_nobody_changes_their_own_role_regions_organisation_or_active_flag(
    who, administrator, superuser, client_for, region_a, organisation
):
    user = {"administrator": administrator, "superuser": superuser}[who]
    before = powers(user)
    client = client_for(user)
    data = form_data(client.get(change_url(user)))
    data.update(
        role=Role.COORDINATOR,
        regions=[str(region_a.pk)],
        organisation=str(organisation.pk),
        first_name="Renamed",
    )
    data.pop("is_active", None)  # an unticked box: "deactivate me"
    data["is_superuser"] = "on"

    response = client.post(change_url(user), data)

    assert response.status_code == 302  # saved: the harmless change went through
    assert type(user).objects.get(pk=user.pk).first_name == "Renamed"
    assert powers(user) == before
    assert account_events(user) == []


@pytest.mark.parametrize("who", ["administrator", "superuser"])
def test_own_account_page_shows_the_power_fields_read_only(
    who, administrator, superuser, client_for
):
    user = {"administrator": administrator, "superuser": superuser}[who]
    response = client_for(user).get(change_url(user))
    form_fields = set(response.context["adminform"].form.fields)
    assert not form_fields & {
        "role",
        "regions",
        "organisation",
        "is_active",
        "is_superuser",
        "is_staff",
        "groups",
        "user_permissions",
        "last_login",
        "date_joined",
    }
    assert {"username", "email", "first_name"} <= form_fields
    assert "../password/" in response.content.decode()  # their own password they may change
    assert b"Renamed" not in response.content  # control: the page is the unchanged account


def test_non_superuser_does_not_see_superuser_groups_or_permissions_as_form_fields(
    administrator, coordinator_a, client_for
):
    response = client_for(administrator).get(change_url(coordinator_a))
    form_fields = set(response.context["adminform"].form.fields)
    assert "role" in form_fields and "regions" in form_fields
    assert not form_fields & {"is_superuser", "groups", "user_permissions", "is_staff"}
    roles = [value for value, _label in response.context["adminform"].form.fields["role"].choices]
    assert Role.ADMINISTRATOR not in roles


def test_non_superuser_cannot_promote_a_user_to_administrator(
    administrator, coordinator_a, client_for
):
    before = powers(coordinator_a)
    client = client_for(administrator)
    data = form_data(client.get(change_url(coordinator_a)))
    data["role"] = Role.ADMINISTRATOR

    response = client.post(change_url(coordinator_a), data)

    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
    assert powers(coordinator_a) == before


def test_non_superuser_cannot_make_another_user_superuser_or_give_permissions(
    administrator, coordinator_a, client_for
):
    before = powers(coordinator_a)
    client = client_for(administrator)
    data = form_data(client.get(change_url(coordinator_a)))
    data["is_superuser"] = "on"
    data["user_permissions"] = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]

    client.post(change_url(coordinator_a), data)

    assert powers(coordinator_a) == before


def _add_data(username: str, role: str, **extra: Any) -> dict[str, Any]:
    return {
        "username": username,
        "usable_password": "true",
        "password1": "a-long-new-passphrase-2026",
        "password2": "a-long-new-passphrase-2026",
        "role": role,
        **extra,
    }


def test_non_superuser_cannot_create_an_administrator_or_a_superuser(administrator, client_for):
    client = client_for(administrator)
    add = reverse("admin:registry_user_add")

    response = client.post(add, _add_data("second-me", Role.ADMINISTRATOR))
    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
    response = client.post(add, _add_data("sneaky", Role.HELPDESK, is_superuser="on"))

    assert not User.objects.filter(username="second-me").exists()
    sneaky = User.objects.get(username="sneaky")  # the helpdesk account itself is fine
    assert not sneaky.is_superuser and not sneaky.is_administrator


def test_a_new_account_is_audited_with_the_powers_it_was_given(administrator, client_for):
    client_for(administrator).post(
        reverse("admin:registry_user_add"), _add_data("new-helpdesk", Role.HELPDESK)
    )

    new = User.objects.get(username="new-helpdesk")
    (event,) = account_events(new)
    assert event.actor_id == administrator.pk
    assert event.details == {
        "fields": ["organisation", "role"],
        "screen": "admin",
        "new_account": True,
    }


@pytest.mark.parametrize("target", ["superuser", "other_administrator"])
def test_non_superuser_cannot_change_another_administrator_or_a_superuser(
    target, administrator, superuser, other_administrator, client_for
):
    victim = {"superuser": superuser, "other_administrator": other_administrator}[target]
    before = powers(victim)
    client = client_for(administrator)
    page = client.get(change_url(victim))
    assert page.status_code == 200  # they may see the account ...
    fields = page.context["adminform"].form.fields
    assert [name for name, field in fields.items() if not field.disabled] == []  # ... read-only
    assert "../password/" not in page.content.decode()  # and no "Reset password" button
    data = {
        "username": victim.username,
        "email": "attacker@example.org",
        "is_active": "",
        "role": Role.REPORTER,
    }

    assert client.post(change_url(victim), data).status_code == 403

    assert powers(victim) == before
    assert type(victim).objects.get(pk=victim.pk).email != "attacker@example.org"


@pytest.mark.parametrize("target", ["superuser", "other_administrator"])
def test_non_superuser_cannot_set_the_password_of_an_administrator_or_superuser(
    target, administrator, superuser, other_administrator, client_for
):
    victim = {"superuser": superuser, "other_administrator": other_administrator}[target]
    before = powers(victim)
    url = reverse("admin:auth_user_password_change", args=[victim.pk])
    client = client_for(administrator)

    assert client.get(url).status_code == 403
    new = "taken-over-passphrase-2026"
    response = client.post(url, {"usable_password": "true", "password1": new, "password2": new})

    assert response.status_code == 403
    assert powers(victim) == before
    assert not account_events(victim)


def test_setting_a_coordinators_password_is_audited_without_the_password(
    administrator, coordinator_a, client_for
):
    url = reverse("admin:auth_user_password_change", args=[coordinator_a.pk])
    new = "reset-by-admin-passphrase"
    response = client_for(administrator).post(
        url, {"usable_password": "true", "password1": new, "password2": new}
    )

    assert response.status_code == 302
    coordinator_a.refresh_from_db()
    assert coordinator_a.check_password(new)
    (event,) = account_events(coordinator_a)
    assert event.actor_id == administrator.pk
    assert event.details["fields"] == ["password"]
    assert new not in str(event.details)


def test_non_superuser_still_maintains_a_coordinators_regions_audited_by_field_name(
    administrator, coordinator_a, region_a, region_b, client_for
):
    client = client_for(administrator)
    data = form_data(client.get(change_url(coordinator_a)))
    data["regions"] = [str(region_a.pk), str(region_b.pk)]
    data["is_active"] = ""  # and deactivates the account

    assert client.post(change_url(coordinator_a), data).status_code == 302

    coordinator_a.refresh_from_db()
    assert set(coordinator_a.regions.all()) == {region_a, region_b}
    assert not coordinator_a.is_active
    (event,) = account_events(coordinator_a)
    assert event.actor == administrator.username
    assert event.details == {
        "fields": ["is_active", "regions"],
        "screen": "admin",
        "new_account": False,
    }
    assert region_b.name not in str(event.details) and region_b.code not in str(event.details)


def test_a_superuser_can_still_promote_others_and_give_them_groups_and_permissions(
    superuser, coordinator_a, client_for
):
    group = Group.objects.create(name="auditors")
    permission = Permission.objects.get(codename="view_auditevent")
    client = client_for(superuser)
    data = form_data(client.get(change_url(coordinator_a)))
    data.update(
        role=Role.ADMINISTRATOR,
        is_superuser="on",
        groups=[str(group.pk)],
        user_permissions=[str(permission.pk)],
    )

    assert client.post(change_url(coordinator_a), data).status_code == 302

    after = powers(coordinator_a)
    assert after["role"] == Role.ADMINISTRATOR
    assert after["is_superuser"] and after["is_staff"]
    assert after["groups"] == [group.pk]
    assert after["user_permissions"] == [permission.pk]
    (event,) = account_events(coordinator_a)
    assert event.actor_id == superuser.pk
    assert event.details["fields"] == ["groups", "is_superuser", "role", "user_permissions"]


def test_a_superuser_can_create_an_administrator(superuser, client_for):
    client_for(superuser).post(
        reverse("admin:registry_user_add"), _add_data("admin-3", Role.ADMINISTRATOR)
    )
    assert User.objects.get(username="admin-3").is_administrator


def test_a_superuser_can_reset_another_superusers_password(superuser, client_for):
    other = UserFactory(username="root-2", role=Role.ADMINISTRATOR, is_superuser=True)
    url = reverse("admin:auth_user_password_change", args=[other.pk])
    new = "superuser-reset-passphrase"
    response = client_for(superuser).post(
        url, {"usable_password": "true", "password1": new, "password2": new}
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.check_password(new)


# Groups -----------------------------------------------------------------------------------


def test_non_superuser_cannot_add_a_group_or_widen_one_they_are_in(administrator, client_for):
    group = Group.objects.create(name="administrators")
    administrator.groups.add(group)
    everything = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]
    client = client_for(administrator)

    assert client.get(reverse("admin:auth_group_add")).status_code == 403
    response = client.post(
        reverse("admin:auth_group_add"), {"name": "mine", "permissions": everything}
    )
    assert response.status_code == 403
    change = reverse("admin:auth_group_change", args=[group.pk])
    assert client.get(change).status_code == 200  # viewing is fine
    assert client.post(change, {"name": group.name, "permissions": everything}).status_code == 403

    assert not group.permissions.exists()
    assert not Group.objects.filter(name="mine").exists()


def test_a_superuser_changes_a_groups_permissions_audited(superuser, client_for):
    group = Group.objects.create(name="auditors")
    permission = Permission.objects.get(codename="view_auditevent")
    change = reverse("admin:auth_group_change", args=[group.pk])

    response = client_for(superuser).post(
        change, {"name": group.name, "permissions": [str(permission.pk)]}
    )

    assert response.status_code == 302
    assert list(group.permissions.all()) == [permission]
    event = AuditEvent.objects.filter(action=AuditAction.ACCOUNT).get()
    assert event.object_type == "auth.group"
    assert event.details["fields"] == ["permissions"]


def test_the_retired_export_permission_is_gone_and_its_holders_lose_it(administrator):
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    assert not Permission.objects.filter(codename="export_personal").exists()
    # A database from before the change: the permission exists, held by a user and a group.
    stale = Permission.objects.create(
        codename="export_personal",
        name="Can export registrations with personal data",
        content_type=ContentType.objects.get(app_label="reports", model="personalexport"),
    )
    administrator.user_permissions.add(stale)
    Group.objects.create(name="exporters").permissions.add(stale)
    migration = importlib.import_module("reports.migrations.0004_export_grants")

    migration.delete_export_permission(apps, None)

    assert not Permission.objects.filter(codename="export_personal").exists()
    assert not administrator.user_permissions.exists()
    assert not Group.objects.get(name="exporters").permissions.exists()
