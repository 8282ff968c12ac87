"""Decided once and saved once: what keeps a decision or a save from happening twice.

(docs/intake.md, "Saved once and decided once".)

Decided once: a decision on a record (a triage decision on a reporter's submission, a handover
decision or request) first takes the row lock of the record it decides on
(:func:`lock_for_decision`, ``SELECT ... FOR UPDATE`` in the request's transaction). A second
decision at the same moment waits for the first to commit and then reads the record as the
first left it, so it is told that it was already decided instead of being confirmed too.
SQLite (local runs only) has no row locks: there the second of two simultaneous decisions
fails on the database lock and is answered with the 503 page (config/errors.py), and sent again
it is told that it was already decided.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Model
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from registry.carried import Statement, run_together, with_statements

if TYPE_CHECKING:
    from registry.models import UsedFormToken, User


def lock_for_decision(model: type[Model], pk: Any) -> bool:
    """Take the row lock of ``model``'s row ``pk`` for the rest of the transaction; False when
    there is no such row. Read the row again afterwards: what was read before may be stale."""
    return (
        model._default_manager.select_for_update()
        .filter(pk=pk)
        .values_list("pk", flat=True)
        .first()
        is not None
    )


# Saved once -------------------------------------------------------------------------------------
#
# Every form that creates a record carries a one-time token ({% once_token %}, in
# registry/templatetags/once.py): a random nonce and the user's id, signed with SECRET_KEY
# (django.core.signing, with a timestamp). The view spends it (:func:`spend`) in the
# transaction that saves, right before saving: the first POST inserts a UsedFormToken row
# (unique per user and nonce) and, once saved, records where it sent the user (:meth:`Spent.done`).
# Two statements more per save than before (docs/PERFORMANCE.md, "Issue 12: saved once").
# A second POST with the same token (a double click, a browser's retry) fails to insert,
# waits on PostgreSQL until the first has committed, and is sent to the first one's result
# instead of saving again. A token that is missing, altered, another user's or too old is
# refused with a message, and the view shows the form again with what was typed and a fresh
# token: nothing is lost and nothing is saved twice.
#
# Hand-written rather than a library: django-formtools and the CSRF token do not stop a second
# POST of the same form, and the known packages for this keep the state in the session, which
# is stored in the database unencrypted and shared between a user's tabs.

FIELD = "once_token"
SALT = "registry.once"
# How long a form may stay open; the used tokens are kept as long (prune_form_tokens), since an
# older token is refused anyway.
MAX_AGE = datetime.timedelta(days=1)

REFUSED = _(
    "Nothing was saved: this form could not be confirmed as sent once from its own page (it "
    "may have been open for more than a day). Check what you typed and send it again."
)


def new_token(user: User) -> str:
    """A fresh one-time token for a form ``user`` is about to be shown."""
    return signing.dumps([user.pk, secrets.token_urlsafe(18)], salt=SALT, compress=False)


@dataclass
class Spent:
    """The outcome of :func:`spend`: refused (``refused`` says why), already used (the
    ``first_result`` to send the user to), or claimed now (save, then :meth:`done`)."""

    refused: str = ""
    first_result: str = ""
    used: UsedFormToken | None = None

    @property
    def result_url(self) -> str:
        """Where to send the user: the first POST's result, or this one's once saved."""
        return self.first_result or (self.used.result_url if self.used is not None else "")

    def done(self, result_url: str) -> None:
        """Remember where this POST sent the user, for a second POST of the same token."""
        if self.used is not None and self.used.result_url != result_url:
            self.used.result_url = result_url
            # ``filter(pk=...).update(result_url=...)`` as one statement, as ``_claim`` does:
            # every save pays for it (tests/intake/test_saved_once.py reads it back).
            table = connection.ops.quote_name(type(self.used)._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET result_url = %s WHERE id = %s",  # noqa: S608
                    [result_url, self.used.pk],
                )


def save_once(
    request: HttpRequest,
    save: Callable[[], str],
    *,
    result_url: str = "",
    with_claim: Sequence[Statement] = (),
) -> Spent:
    """Run ``save`` (which saves and returns the URL of its result) unless the POST's token
    is refused or was used before. The caller redirects to ``result_url``, or, when
    ``refused``, shows the form again with that message. A ValidationError from ``save``
    (a rule that refused it) gives the token back, so the same form may be sent again.
    A caller that knows its result's URL before saving passes it as ``result_url``: the token
    is then spent with it in one statement instead of two. ``with_claim``: statements that run
    only when this POST claims its token, in the claim's statement on PostgreSQL (the form's
    draft, deleted when the form is saved)."""
    spent = spend(request, result_url=result_url, with_claim=with_claim)
    if spent.used is None:
        return spent
    try:
        spent.done(save())
    except ValidationError:
        spent.used.delete()
        raise
    return spent


def saved_or_refused(
    request: HttpRequest,
    form: BaseForm,
    save: Callable[[], str],
    *,
    errors: tuple[type[ValidationError], ...] = (),
) -> HttpResponse | None:
    """:func:`save_once` for a view with a form: the redirect to the (first) result, or None
    with the reason on ``form`` (a refused token, or one of ``errors`` raised by ``save``),
    for the view to show the form again."""
    try:
        spent = save_once(request, save)
    except errors as error:
        form.add_error(None, error)
        return None
    if spent.refused:
        form.add_error(None, spent.refused)
        return None
    return redirect(spent.result_url)


def spend(
    request: HttpRequest, *, result_url: str = "", with_claim: Sequence[Statement] = ()
) -> Spent:
    """Spend the token of ``request``'s POST, inside the transaction that saves (with
    ``result_url`` already recorded when the caller knows it)."""
    from registry.models import UsedFormToken

    user = request.user
    try:
        owner, nonce = signing.loads(
            request.POST.get(FIELD, ""), salt=SALT, max_age=MAX_AGE.total_seconds()
        )
    except (signing.BadSignature, ValueError, TypeError):
        return Spent(refused=str(REFUSED))
    if owner != user.pk or not isinstance(nonce, str):
        return Spent(refused=str(REFUSED))
    used = _claim(user, nonce, result_url, with_claim)
    if used is not None:
        return Spent(used=used)
    first = UsedFormToken.objects.filter(user=user, nonce=nonce).first()
    if first is None or not first.result_url:
        return Spent(refused=str(REFUSED))
    return Spent(first_result=first.result_url)


def _claim(
    user: User, nonce: str, result_url: str = "", with_claim: Sequence[Statement] = ()
) -> UsedFormToken | None:
    """Insert the used token; None when it was there already. ``INSERT ... ON CONFLICT DO
    NOTHING RETURNING`` (PostgreSQL, SQLite >= 3.35) instead of ``create()`` in a savepoint
    that catches the IntegrityError: one statement instead of three on every save, and the
    same wait on PostgreSQL for a concurrent first POST to commit. The plain ORM answer is
    the test's (tests/intake/test_saved_once.py, ``test_claim_agrees_with_the_orm``)."""
    from registry.models import UsedFormToken

    table = connection.ops.quote_name(UsedFormToken._meta.db_table)
    now = timezone.now()
    sql = (
        f"INSERT INTO {table} (user_id, nonce, result_url, used_at) "  # noqa: S608
        "VALUES (%s, %s, %s, %s) ON CONFLICT (user_id, nonce) DO NOTHING RETURNING id"
    )
    params = [user.pk, nonce, result_url, connection.ops.adapt_datetimefield_value(now)]
    carried = with_claim and connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        # On PostgreSQL the statements ride in the claim's (a data-modifying WITH runs even
        # when the INSERT meets its conflict: a second POST of the token runs them again,
        # after the first has committed, which for a draft's DELETE changes nothing).
        cursor.execute(*(with_statements(with_claim, sql, params) if carried else (sql, params)))
        row = cursor.fetchone()
        if row is not None and with_claim and not carried:
            run_together(with_claim)
    if row is None:
        return None
    used = UsedFormToken(pk=row[0], user=user, nonce=nonce, result_url=result_url, used_at=now)
    used._state.adding = False
    return used


def prune(older_than: datetime.timedelta = MAX_AGE) -> int:
    """Delete the used tokens older than any token still accepted; how many went."""
    from registry.models import UsedFormToken

    cutoff = timezone.now() - older_than
    deleted, _by_model = UsedFormToken.objects.filter(used_at__lt=cutoff).delete()
    return deleted
