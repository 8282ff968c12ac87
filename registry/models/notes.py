"""Dated, attributed notes on a case: append-only, a correction is a new note."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from registry import access
from registry.fields import EncryptedQuerySet, EncryptedTextField

if TYPE_CHECKING:
    from registry.models.accounts import User
    from registry.models.cases import Case

# The longest note a form takes: a few pages; a file belongs elsewhere.
MAX_NOTE_LENGTH = 5000


class CaseNoteChangeRefused(Exception):
    """Raised when code tries to change or delete a note: notes are append-only."""


class AppendOnlyQuerySet(EncryptedQuerySet):
    """Refuses to change or delete rows in bulk, with the messages of its model
    (``AppendOnlyText``)."""

    def update(self, **kwargs: Any) -> int:
        raise CaseNoteChangeRefused(self.model.change_refused)

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise CaseNoteChangeRefused(self.model.change_refused)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise CaseNoteChangeRefused(self.model.delete_refused)


class AppendOnlyText(models.Model):
    """What a case note and a reporter's addition share: a dated text that is written once.
    ``save()`` refuses to change a saved row and ``delete()`` refuses, as the queryset
    (``AppendOnlyQuerySet``) does; ``__str__`` names the moment, never the text (it ends up in
    logs and admin messages). The UUID key is known before the first save, as the associated
    data of the encrypted text needs it; each model keeps its other fields (their labels and
    keys differ)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    # The messages of the refusals and the names of a new and a saved row, per model.
    change_refused: ClassVar[str]
    delete_refused: ClassVar[str]
    new_name: ClassVar[Any]
    dated_name: ClassVar[Any]

    created_at: Any

    class Meta:
        abstract = True

    def __str__(self) -> str:
        if self.created_at is None:
            return str(self.new_name)
        return self.dated_name % {"when": f"{self.created_at:%Y-%m-%d %H:%M}"}

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise CaseNoteChangeRefused(self.change_refused)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise CaseNoteChangeRefused(self.delete_refused)


class CaseNoteQuerySet(AppendOnlyQuerySet):
    def for_user(self, user: User | None) -> CaseNoteQuerySet:
        return access.case_notes_for_user(self, user)


class CaseNote(AppendOnlyText):
    """One note on a case by one user at one moment. The text is encrypted (people write
    names, addresses and what happened in it); the UUID key is known before the first save,
    as the associated data needs it.

    Append-only (``AppendOnlyText``): ``save()`` refuses to change a saved note and
    ``delete()`` refuses, as the queryset does, so a note says what was known when it was
    written; a correction is a new note. (Erasure and retention, when they come, delete
    through the database with an audit event, as for every registry record.)
    """

    case = models.ForeignKey(
        "registry.Case", on_delete=models.PROTECT, related_name="case_notes", verbose_name=_("case")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    text = EncryptedTextField(_("note"), person_key="case.person_id")

    objects = CaseNoteQuerySet.as_manager()

    change_refused = "case notes are append-only: write a new note instead"
    delete_refused = "case notes are append-only and are not deleted"
    new_name = _("New note")
    dated_name = _("Note of %(when)s")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")
        indexes = [models.Index(fields=["case", "created_at"], name="casenote_case_created_idx")]
        default_permissions = ("add", "view")

    @classmethod
    def write(cls, case: Case, author: User, text: str) -> CaseNote:
        """Add ``text`` as a new note on ``case`` by ``author``, with its audit event (the
        note's id, never its text)."""
        from registry.choices import AuditAction
        from registry.models.audit import AuditEvent

        note = cls(case=case, author=author, text=text)
        note.save(force_insert=True)
        AuditEvent.record(
            AuditAction.CREATE,
            user=author,
            obj=note,
            case=case,
            details={"fields": ["text"], "screen": "case_note"},
        )
        return note


class SubmissionAdditionQuerySet(AppendOnlyQuerySet):
    def for_user(self, user: User | None) -> SubmissionAdditionQuerySet:
        return access.submission_additions_for_user(self, user)


class SubmissionAddition(AppendOnlyText):
    """Information a reporter added to their own report after sending it, found by its
    reference number: what they learnt later (the person called back, a date of birth...).
    The help desk reads it at triage. The text is encrypted, as a case note's; append-only."""

    registration = models.ForeignKey(
        "registry.Registration",
        on_delete=models.PROTECT,
        related_name="additions",
        verbose_name=_("registration"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    text = EncryptedTextField(_("information"), person_key="registration.person_id")

    objects = SubmissionAdditionQuerySet.as_manager()

    change_refused = "additions are append-only: add another instead"
    delete_refused = "additions are append-only and are not deleted"
    new_name = _("New addition")
    dated_name = _("Addition of %(when)s")

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("information added to a report")
        verbose_name_plural = _("information added to reports")
        default_permissions = ("add", "view")

    @classmethod
    def add(cls, registration: Any, author: User, text: str) -> SubmissionAddition:
        """Add ``text`` to ``registration`` by ``author``, with its audit event (the
        registration's number and the addition's id, never its text)."""
        from registry.choices import AuditAction
        from registry.models.audit import AuditEvent

        addition = cls(registration=registration, author=author, text=text)
        addition.save(force_insert=True)
        AuditEvent.record(
            AuditAction.CREATE,
            user=author,
            obj=addition,
            details={
                "fields": ["text"],
                "screen": "submission_addition",
                "registration": registration.number,
            },
        )
        return addition
