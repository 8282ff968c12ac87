"""The records of the registry and their rules."""

from registry.models.accounts import User
from registry.models.audit import AuditChainHead, AuditEvent
from registry.models.care import Referral, ResidenceProcedure
from registry.models.cases import Case, Handover, OpenCaseCount
from registry.models.drafts import FormDraft
from registry.models.jobs import Job, JobFile
from registry.models.keys import PersonKey, WrappingKey
from registry.models.mail import OutgoingMail
from registry.models.notes import CaseNote, SubmissionAddition
from registry.models.people import Person
from registry.models.privacy import ErasureRequest
from registry.models.reference import (
    FormOfExploitation,
    MeansOfControl,
    Municipality,
    Region,
    ReportingOrganisation,
)
from registry.models.registrations import Registration, RegistrationNumberSequence
from registry.models.reminders import ReminderSent
from registry.models.safeguards import KeyCanary, UsedFormToken
from registry.models.search_tokens import PersonSearchToken
from registry.models.shelters import Placement, Shelter

__all__ = [
    "AuditChainHead",
    "AuditEvent",
    "Case",
    "CaseNote",
    "FormDraft",
    "ErasureRequest",
    "SubmissionAddition",
    "FormOfExploitation",
    "Handover",
    "KeyCanary",
    "Job",
    "JobFile",
    "MeansOfControl",
    "Municipality",
    "OpenCaseCount",
    "OutgoingMail",
    "Person",
    "PersonKey",
    "PersonSearchToken",
    "Placement",
    "Referral",
    "Region",
    "Registration",
    "RegistrationNumberSequence",
    "ReminderSent",
    "ResidenceProcedure",
    "ReportingOrganisation",
    "Shelter",
    "UsedFormToken",
    "User",
    "WrappingKey",
]
