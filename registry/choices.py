"""The controlled lists of VOCABULARY.md. Codes are stable; labels are translated (nl, en)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    COORDINATOR = "coordinator", _("Care coordinator")
    HELPDESK = "helpdesk", _("Help desk")
    ADMINISTRATOR = "administrator", _("Administrator")


class Sector(models.TextChoices):
    # Sexual exploitation
    WINDOW = "window", _("window prostitution")
    CLUB = "club", _("brothel, club or private house")
    HOME = "home", _("home prostitution")
    ESCORT = "escort", _("escort")
    HOTEL = "hotel", _("hotel")
    STREET = "street", _("street")
    ONLINE = "online", _("webcam or online")
    # Labour exploitation
    AGRICULTURE = "agriculture", _("agriculture, horticulture, forestry, fishing")
    DOMESTIC_WORK = "domestic_work", _("domestic work (incl. au pair)")
    HOSPITALITY = "hospitality", _("hospitality")
    MANUFACTURING = "manufacturing", _("manufacturing")
    CONSTRUCTION = "construction", _("construction")
    TRANSPORT = "transport", _("transport and storage, ports, shipping")
    RETAIL = "retail", _("wholesale and retail")
    CLEANING = "cleaning", _("cleaning")
    TEMP_AGENCY = "temp_agency", _("temporary employment agency")
    # Criminal exploitation
    DRUGS = "drugs", _("drugs")
    THEFT = "theft", _("theft, pickpocketing, shoplifting")
    BEGGING = "begging", _("begging")
    MONEY_MULE = "money_mule", _("misuse of bank accounts or subscriptions")
    # Any form
    OTHER = "other", _("other")
    UNKNOWN = "unknown", _("unknown")


class ReporterType(models.TextChoices):
    POLICE = "police", _("National Police")
    KMAR = "kmar", _("Royal Netherlands Marechaussee")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("Netherlands Labour Authority")
    CARE_COORDINATION = "care_coordination", _("care coordination")
    FAIRWORK = "fairwork", _("FairWork")
    LAWYER = "lawyer", _("lawyer")
    SHELTER = "shelter", _("shelter (incl. asylum seekers' centre)")
    OUTPATIENT_CARE = "outpatient_care", _("outpatient care")
    YOUTH_CARE = "youth_care", _("youth care")
    HEALTHCARE = "healthcare", _("medical care")
    NGO = "ngo", _("civil-society organisation")
    MUNICIPALITY = "municipality", _("municipality")
    IMMIGRATION_SERVICE = "immigration_service", _("Immigration and Naturalisation Service")
    COA = "coa", _("COA")
    NIDOS = "nidos", _("Nidos")
    SELF_REPORT = "self_report", _("the client themself")
    OTHER = "other", _("other")


# Reporter types that report under a legal duty and so need no consent for personal data.
LEGAL_DUTY_REPORTERS = frozenset(
    {ReporterType.POLICE, ReporterType.KMAR, ReporterType.LABOUR_INSPECTORATE}
)


def has_legal_duty(reporter_type: str) -> bool:
    return reporter_type in LEGAL_DUTY_REPORTERS


class Gender(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    OTHER = "other", _("other (trans or non-conforming)")
    UNKNOWN = "unknown", _("unknown")


class FileType(models.TextChoices):
    REGISTRATION = "registration", _("registration only")
    REGISTRATION_SHELTER = "registration_shelter", _("registration and shelter")
    REGISTRATION_ADVICE = "registration_advice", _("registration, information and advice")


class Shelter(models.TextChoices):
    COSM = "cosm", _("COSM (categorical shelter for victims of trafficking)")
    OMM = "omm", _("OMM (shelter for victims with multiple problems)")
    WOMENS_SHELTER = "womens_shelter", _("women's shelter")
    MENS_SHELTER = "mens_shelter", _("men's shelter")
    SOCIAL_SHELTER = "social_shelter", _("social shelter")
    YOUTH_CARE = "youth_care", _("youth care")
    PROTECTED_AMV = "protected_amv", _("protected shelter for unaccompanied minors (Nidos)")
    ASYLUM_CENTRE = "asylum_centre", _("asylum seekers' centre (COA)")
    OUTPATIENT = "outpatient", _("outpatient care")
    OTHER = "other", _("other")
    NONE = "none", _("none")


class ResidenceStatus(models.TextChoices):
    NOT_APPLICABLE = "not_applicable", _("not applicable (Dutch or EU citizen)")
    REFLECTION_PERIOD = "reflection_period", _("reflection period")
    B8_VICTIM = "b8_victim", _("residence permit, victim of trafficking")
    B8_WITNESS = "b8_witness", _("residence permit, witness who reported")
    CONTINUED_RESIDENCE = "continued_residence", _("continued residence")
    ASYLUM_PROCEDURE = "asylum_procedure", _("asylum procedure")
    NO_STATUS = "no_status", _("no lawful residence")
    UNKNOWN = "unknown", _("unknown")


# Residence statuses that count as lawful residence for the Nidos route.
LAWFUL_RESIDENCE = frozenset(
    {
        ResidenceStatus.NOT_APPLICABLE,
        ResidenceStatus.B8_VICTIM,
        ResidenceStatus.B8_WITNESS,
        ResidenceStatus.CONTINUED_RESIDENCE,
    }
)


class VictimStatus(models.TextChoices):
    POSSIBLE = "possible", _("possible victim")
    CONFIRMED = "confirmed", _("confirmed victim")
    NOT_A_VICTIM = "not_a_victim", _("not a victim")


class DecidingBody(models.TextChoices):
    POLICE = "police", _("police")
    PROSECUTION = "prosecution", _("public prosecution")
    COURT = "court", _("court")
    GOVERNMENT = "government", _("government")
    NGO = "ngo", _("civil-society organisation")
    OTHER = "other", _("other")


class CaseStatus(models.TextChoices):
    NEW = "new", _("new")
    IN_CARE = "in_care", _("in care")
    CLOSED = "closed", _("closed")
    REOPENED = "reopened", _("reopened")


OPEN_CASE_STATUSES = frozenset({CaseStatus.NEW, CaseStatus.IN_CARE, CaseStatus.REOPENED})


class ClosedReason(models.TextChoices):
    CARE_COMPLETED = "care_completed", _("care completed")
    LEFT_NETHERLANDS = "left_netherlands", _("left the Netherlands")
    NO_CONTACT = "no_contact", _("no contact")
    REFERRED = "referred", _("referred")
    NOT_A_VICTIM = "not_a_victim", _("not a victim")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("consent to care withdrawn")
    OTHER = "other", _("other")


class NoCaseReason(models.TextChoices):
    """Why a registration opened no case: the reason code in its audit event's details."""

    NO_CONSENT_TO_CARE = "no_consent_to_care", _("no consent to care")


class CareConsent(models.TextChoices):
    """What staff record about a registration's consent to care after it was saved."""

    GIVEN = "given", _("consent to care given")
    WITHDRAWN = "withdrawn", _("consent to care withdrawn")


class Scope(models.TextChoices):
    DOMESTIC = "domestic", _("domestic")
    CROSS_BORDER = "cross_border", _("cross-border")
    UNKNOWN = "unknown", _("unknown")


class ConsentSigner(models.TextChoices):
    NONE = "", _("no written consent")
    VICTIM = "victim", _("signed by the victim (16 or older)")
    GUARDIAN = "guardian", _("signed by a parent or guardian (under 16)")


class SubmissionStatus(models.TextChoices):
    """The triage state of a registration; staff registrations are accepted at once."""

    SUBMITTED = "submitted", _("awaiting triage")
    ACCEPTED = "accepted", _("accepted")
    MERGED = "merged", _("merged with an existing person")
    REJECTED = "rejected", _("rejected")


# Registrations of a victim, counted in the statistics: submissions awaiting triage and
# rejected ones are not.
COUNTED_STATUSES = (SubmissionStatus.ACCEPTED, SubmissionStatus.MERGED)


class HandoverStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


class AuditAction(models.TextChoices):
    VIEW_PERSONAL = "view_personal", _("viewed personal data")
    CREATE = "create", _("created")
    CHANGE = "change", _("changed")
    HANDOVER = "handover", _("handover")
    EXPORT = "export", _("exported")
    IMPORT = "import", _("imported")
    ERASE = "erase", _("erased")
    LOGIN = "login", _("logged in")
    LOGOUT = "logout", _("logged out")
    LOGIN_FAILED = "login_failed", _("failed login")
    LINK_PERSON = "link_person", _("linked to an existing person")
    TRIAGE = "triage", _("triaged a submission")
    ROTATE_KEYS = "rotate_keys", _("rotated encryption keys")
    SEARCH = "search", _("searched")
    LOCKED_OUT = "locked_out", _("login locked after failed attempts")
    UNLOCK = "unlock", _("unlocked a login")
    SECOND_FACTOR = "second_factor", _("second factor")
    EXPORT_GRANT = "export_grant", _("personal-export permission")
    ACCOUNT = "account", _("changed an account's powers")


# Issue 14: shelters and placement -------------------------------------------------------------


class ShelterType(models.TextChoices):
    """The kind of a shelter an administrator records (VOCABULARY.md, "Shelters")."""

    COSM = "cosm", _("COSM (categorical shelter for victims of trafficking)")
    MEN = "men", _("shelter for men")
    WOMEN = "women", _("shelter for women")
    MINORS = "minors", _("shelter for minors")
    OTHER = "other", _("other shelter")


# What a placement in a shelter of each type records on the case (Case.shelter_placed).
SHELTER_PLACED_AS = {
    ShelterType.COSM: Shelter.COSM,
    ShelterType.MEN: Shelter.MENS_SHELTER,
    ShelterType.WOMEN: Shelter.WOMENS_SHELTER,
    ShelterType.MINORS: Shelter.YOUTH_CARE,
    ShelterType.OTHER: Shelter.OTHER,
}


class PlacementStatus(models.TextChoices):
    WAITING = "waiting", _("on the waiting list")
    PLACED = "placed", _("placed")
    ENDED = "ended", _("ended")
    WITHDRAWN = "withdrawn", _("taken off the waiting list")


class PlacementWarning(models.TextChoices):
    """Why a COSM placement needs a reason (COSM is for adult foreign victims in their
    reflection period: docs/workspace.md, "Shelters")."""

    MINOR = "minor", _("the person is a minor")
    DUTCH_NATIONAL = "dutch_national", _("the person is a Dutch national")
    OUTSIDE_REFLECTION = "outside_reflection", _("the person is not in the reflection period")


# --- Issue 14: residence procedures and referrals --------------------------------------------


class ProcedureKind(models.TextChoices):
    """The procedures a care coordinator starts and follows for a person (CoMensha's care
    coordination; the B8 residence scheme, Aliens Circular B8/3)."""

    POLICE_REPORT = "police_report", _("police report")
    B8_PERMIT = "b8_permit", _("B8 residence permit")
    CONTINUED_RESIDENCE = "continued_residence", _("continued residence")
    RVA_ALLOWANCE = "rva_allowance", _("RVA allowance")
    HEALTH_INSURANCE = "health_insurance", _("health insurance")
    BRP_REGISTRATION = "brp_registration", _("registration with the municipality (BRP)")
    BENEFITS = "benefits", _("benefits")


class ProcedureStatus(models.TextChoices):
    # A police report
    CONSIDERING = "considering", _("still deciding")
    MADE = "made", _("report made")
    NOT_MADE = "not_made", _("no report made")
    EXEMPT_MEDICAL = "exempt_medical", _("exempt on medical grounds")
    EXEMPT_THREAT = "exempt_threat", _("exempt on grounds of serious threat")
    # An application
    APPLIED = "applied", _("applied, awaiting decision")
    GRANTED = "granted", _("granted")
    REFUSED = "refused", _("refused")
    ENDED = "ended", _("ended or withdrawn")


POLICE_REPORT_STATUSES = (
    ProcedureStatus.CONSIDERING,
    ProcedureStatus.MADE,
    ProcedureStatus.NOT_MADE,
    ProcedureStatus.EXEMPT_MEDICAL,
    ProcedureStatus.EXEMPT_THREAT,
)
APPLICATION_STATUSES = (
    ProcedureStatus.APPLIED,
    ProcedureStatus.GRANTED,
    ProcedureStatus.REFUSED,
    ProcedureStatus.ENDED,
)
# The statuses a procedure of each kind may take.
STATUSES_OF_KIND: dict[str, tuple[ProcedureStatus, ...]] = {
    kind: POLICE_REPORT_STATUSES if kind == ProcedureKind.POLICE_REPORT else APPLICATION_STATUSES
    for kind in ProcedureKind
}


class ReferralType(models.TextChoices):
    """Where a case is referred to."""

    NIDOS = "nidos", _("Nidos (guardianship of unaccompanied minors)")
    POLICE = "police", _("police (to report)")
    SHELTER = "shelter", _("shelter")
    LAWYER = "lawyer", _("lawyer")
    MEDICAL = "medical", _("medical service")
    OTHER = "other", _("other organisation")


class ReferralReason(models.TextChoices):
    GUARDIANSHIP = "guardianship", _("guardianship of an unaccompanied minor")
    CRIME_REPORT = "crime_report", _("reporting the crime")
    SHELTER = "shelter", _("shelter")
    LEGAL_AID = "legal_aid", _("legal aid")
    MEDICAL_CARE = "medical_care", _("medical care")
    MENTAL_HEALTH = "mental_health", _("mental health care")
    RELOCATION = "relocation", _("moving to another place")
    OTHER = "other", _("other")


class ReferralOutcome(models.TextChoices):
    PENDING = "pending", _("pending")
    ACCEPTED = "accepted", _("accepted")
    REFUSED = "refused", _("refused")


# HTCDS 2.0 (github.com/UNMigration/HTCDS, "HTCDS Field Reference", Case and Organisation):
# a referral is cas_ReferredOrganisation (a lookup to an organisation, whose org_Type says what
# it is), cas_ReasonForOutgoingReferral and cas_OutgoingReferralDate. The organisation type of
# each of our referral types ("" where HTCDS has none) and the reason of each of our reasons.
HTCDS_REFERRED_ORGANISATION_TYPE: dict[str, str] = {
    ReferralType.NIDOS: "NGO",
    ReferralType.POLICE: "LawEnforcement",
    ReferralType.SHELTER: "NGO",
    ReferralType.LAWYER: "LegalService",
    ReferralType.MEDICAL: "HealthServiceOrganisation",
    ReferralType.OTHER: "",
}
HTCDS_REFERRAL_REASON: dict[str, str] = {
    ReferralReason.GUARDIANSHIP: "AdditionalServicesRequired",
    ReferralReason.CRIME_REPORT: "AdditionalServicesRequired",
    ReferralReason.SHELTER: "AdditionalServicesRequired",
    ReferralReason.LEGAL_AID: "AdditionalServicesRequired",
    ReferralReason.MEDICAL_CARE: "AdditionalServicesRequired",
    ReferralReason.MENTAL_HEALTH: "AdditionalServicesRequired",
    ReferralReason.RELOCATION: "MigrationOrChangeOfLocation",
    ReferralReason.OTHER: "Other",
}
