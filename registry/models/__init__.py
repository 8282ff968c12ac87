"""The records of the registry and their rules."""

from registry.models.accounts import User
from registry.models.audit import AuditChainHead, AuditEvent
from registry.models.cases import Case, Handover, OpenCaseCount
from registry.models.mail import OutgoingMail
from registry.models.people import Person
from registry.models.reference import (
    FormOfExploitation,
    MeansOfControl,
    Municipality,
    Region,
    ReportingOrganisation,
)
from registry.models.registrations import Registration, RegistrationNumberSequence
from registry.models.reminders import ReminderSent

__all__ = [
    "AuditChainHead",
    "AuditEvent",
    "Case",
    "FormOfExploitation",
    "Handover",
    "MeansOfControl",
    "Municipality",
    "OpenCaseCount",
    "OutgoingMail",
    "Person",
    "Region",
    "Registration",
    "RegistrationNumberSequence",
    "ReminderSent",
    "ReportingOrganisation",
    "User",
]
