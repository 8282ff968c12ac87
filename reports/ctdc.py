"""The anonymised dataset in the layout of CTDC's Global Dataset (``--layout ctdc``).

The Counter Trafficking Data Collaborative (IOM and Polaris) publishes a k-anonymised
victim-level Global Dataset of 63 columns (docs/reports.md, "The CTDC layout", for the sources
and the mapping from our codes). Its encodings: ``-99`` for unknown or not recorded, ``1`` /
``0`` for the yes/no flags, ISO 3166-1 alpha-2 country codes, the CTDC age bands written
``18--20``, ``Female`` / ``Male``, ``Adult`` / ``Minor``, ``Case Management`` / ``Hotline``.

The rows come from ``anonymise.anonymised_rows(..., layout="ctdc")``: made k-anonymous with
hierarchies the CTDC encoding can write (a country or -99; a CTDC age band, else minor or
adult through majorityStatus, else -99; no region at all), so every value written here is a
function of the k-anonymous quasi-identifiers or of a column that is not one.
"""

from __future__ import annotations

from typing import Any

from reports.columns import ANONYMISED_COLUMNS, MULTI_VALUE_SEPARATOR
from reports.dimensions import UNKNOWN

# Numbers, not text: the file holds -99 and 1 / 0 as CTDC's does, and a number is no formula
# (reports.writers.neutralise quotes a text cell starting with '-').
UNKNOWN_CODE = -99

# The published header, in its order (CTDC Global Dataset, k-anonymised download).
CTDC_COLUMNS = [
    "yearOfRegistration",
    "Datasource",
    "gender",
    "ageBroad",
    "majorityStatus",
    "majorityStatusAtExploit",
    "majorityEntry",
    "citizenship",
    "meansOfControlDebtBondage",
    "meansOfControlTakesEarnings",
    "meansOfControlRestrictsFinancialAccess",
    "meansOfControlThreats",
    "meansOfControlPsychologicalAbuse",
    "meansOfControlPhysicalAbuse",
    "meansOfControlSexualAbuse",
    "meansOfControlFalsePromises",
    "meansOfControlPsychoactiveSubstances",
    "meansOfControlRestrictsMovement",
    "meansOfControlRestrictsMedicalCare",
    "meansOfControlExcessiveWorkingHours",
    "meansOfControlUsesChildren",
    "meansOfControlThreatOfLawEnforcement",
    "meansOfControlWithholdsNecessities",
    "meansOfControlWithholdsDocuments",
    "meansOfControlOther",
    "meansOfControlNotSpecified",
    "meansOfControlConcatenated",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "isSexAndLabour",
    "isForcedMarriage",
    "isForcedMilitary",
    "isOrganRemoval",
    "isSlaveryAndPractices",
    "typeOfExploitConcatenated",
    "typeOfLabourAgriculture",
    "typeOfLabourAquafarming",
    "typeOfLabourBegging",
    "typeOfLabourConstruction",
    "typeOfLabourDomesticWork",
    "typeOfLabourHospitality",
    "typeOfLabourIllicitActivities",
    "typeOfLabourManufacturing",
    "typeOfLabourMiningOrDrilling",
    "typeOfLabourPeddling",
    "typeOfLabourTransportation",
    "typeOfLabourOther",
    "typeOfLabourNotSpecified",
    "typeOfLabourConcatenated",
    "typeOfSexProstitution",
    "typeOfSexPornography",
    "typeOfSexRemoteInteractiveServices",
    "typeOfSexPrivateSexualServices",
    "typeOfSexConcatenated",
    "isAbduction",
    "RecruiterRelationship",
    "CountryOfExploitation",
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
    "recruiterRelationUnknown",
]

# Our means-of-control codes (HTCDS, VOCABULARY.md) -> CTDC's column suffix and label.
MEANS_OF_CONTROL = {
    "debt_bondage": ("DebtBondage", "Debt bondage"),
    "takes_earnings": ("TakesEarnings", "Takes earnings"),
    "restricts_financial_access": ("RestrictsFinancialAccess", "Restricts financial access"),
    "threats": ("Threats", "Threats"),
    "psychological_abuse": ("PsychologicalAbuse", "Psychological abuse"),
    "physical_abuse": ("PhysicalAbuse", "Physical abuse"),
    "sexual_abuse": ("SexualAbuse", "Sexual abuse"),
    "false_promises": ("FalsePromises", "False promises"),
    "psychoactive_substances": ("PsychoactiveSubstances", "Psychoactive substances"),
    "restricts_movement": ("RestrictsMovement", "Restricts movement"),
    "restricts_medical_care": ("RestrictsMedicalCare", "Restricts medical care"),
    "excessive_working_hours": ("ExcessiveWorkingHours", "Excessive working hours"),
    "uses_children": ("UsesChildren", "Uses children"),
    "threat_of_law_enforcement": ("ThreatOfLawEnforcement", "Threat of law enforcement"),
    "withholds_necessities": ("WithholdsNecessities", "Withholds necessities"),
    "withholds_documents": ("WithholdsDocuments", "Withholds documents"),
    "other": ("Other", "Other"),
}
# Our forms of exploitation -> CTDC's flag (several forms may map to one flag).
EXPLOITATION_FLAGS = {
    "labour": "isForcedLabour",
    "sexual": "isSexualExploit",
    "criminal": "isOtherExploit",
    "other": "isOtherExploit",
    "illegal_adoption": "isOtherExploit",
    "surrogacy": "isOtherExploit",
    "forced_marriage": "isForcedMarriage",
    "organ_removal": "isOrganRemoval",
}
_FLAG_LABELS = {
    "isForcedLabour": "Forced labour",
    "isSexualExploit": "Sexual exploitation",
    "isOtherExploit": "Other",
    "isForcedMarriage": "Forced marriage",
    "isOrganRemoval": "Organ removal",
}
# The header's yes/no flags of the type of exploitation, read from it (they stand together).
_EXPLOIT_FLAGS = CTDC_COLUMNS[
    CTDC_COLUMNS.index("isForcedLabour") : CTDC_COLUMNS.index("typeOfExploitConcatenated")
]
# Our sectors of labour and criminal exploitation -> CTDC's typeOfLabour suffix.
LABOUR_TYPES = {
    "agriculture": "Agriculture",
    "construction": "Construction",
    "domestic_work": "DomesticWork",
    "hospitality": "Hospitality",
    "manufacturing": "Manufacturing",
    "transport": "Transportation",
    "retail": "Other",
    "cleaning": "Other",
    "temp_agency": "Other",
    "begging": "Begging",
    "drugs": "IllicitActivities",
    "theft": "IllicitActivities",
    "money_mule": "IllicitActivities",
    "other": "Other",
    "unknown": "NotSpecified",
    "": "NotSpecified",
}
_LABOUR = [
    "Agriculture",
    "Aquafarming",
    "Begging",
    "Construction",
    "DomesticWork",
    "Hospitality",
    "IllicitActivities",
    "Manufacturing",
    "MiningOrDrilling",
    "Peddling",
    "Transportation",
    "Other",
    "NotSpecified",
]
_LABOUR_LABELS = {
    "DomesticWork": "Domestic work",
    "IllicitActivities": "Illicit activities",
    "MiningOrDrilling": "Mining or drilling",
    "NotSpecified": "Not specified",
}
# Our sectors of sexual exploitation -> CTDC's typeOfSex suffix ('other' and 'unknown': -99).
SEX_TYPES = {
    "window": "Prostitution",
    "club": "Prostitution",
    "home": "Prostitution",
    "escort": "Prostitution",
    "hotel": "Prostitution",
    "street": "Prostitution",
    "online": "RemoteInteractiveServices",
}
_SEX = ["Prostitution", "Pornography", "RemoteInteractiveServices", "PrivateSexualServices"]
_SEX_LABELS = {
    "RemoteInteractiveServices": "Remote interactive services",
    "PrivateSexualServices": "Private sexual services",
}
_GENDER = {"female": "Female", "male": "Male"}  # other and unknown: -99
_MINOR_BANDS = {"0-8", "9-17", "0-17"}
_COLUMN = {name: ANONYMISED_COLUMNS.index(name) for name in ANONYMISED_COLUMNS}


def _flag(value: bool) -> int:
    return 1 if value else 0


def _codes(cell: str) -> list[str]:
    return [code for code in cell.split(MULTI_VALUE_SEPARATOR) if code]


def _age(band: str) -> tuple[str | int, str | int]:
    """ageBroad and majorityStatus of a (generalised) CTDC age band."""
    if not band or band == UNKNOWN:
        return UNKNOWN_CODE, UNKNOWN_CODE
    majority = "Minor" if band in _MINOR_BANDS else "Adult"
    if band in ("0-17", "18+"):  # generalised to minor / adult: no CTDC band
        return UNKNOWN_CODE, majority
    return band.replace("-", "--"), majority


def _datasource(reporter_type: str) -> str:
    # A victim who reports themself calls the registry's help desk, CTDC's "Hotline";
    # every other registration is a professional's case record.
    return "Hotline" if reporter_type == "self_report" else "Case Management"


def ctdc_row(row: list[str]) -> list[Any]:
    """One CTDC row from a row of ``anonymised_rows(..., layout="ctdc")`` (whose last cell
    holds the means of control)."""
    cell = {name: row[index] for name, index in _COLUMN.items()}
    means = _codes(row[len(ANONYMISED_COLUMNS)])
    forms = set(_codes(cell["exploitation_forms"])) - {"unknown"}
    sector = cell["sector"]
    age_broad, majority = _age(cell["age_band"])
    out: dict[str, Any] = dict.fromkeys(CTDC_COLUMNS, UNKNOWN_CODE)
    out.update(
        yearOfRegistration=int(cell["registration_year"]),
        Datasource=_datasource(cell["reporter_type"]),
        gender=_GENDER.get(cell["gender"], UNKNOWN_CODE),
        ageBroad=age_broad,
        majorityStatus=majority,
        citizenship=cell["nationality"] or UNKNOWN_CODE,
        CountryOfExploitation=cell["exploitation_country"] or UNKNOWN_CODE,
    )
    if means:
        recorded = {MEANS_OF_CONTROL[code][0] for code in means if code in MEANS_OF_CONTROL}
        for suffix, _label in MEANS_OF_CONTROL.values():
            out[f"meansOfControl{suffix}"] = _flag(suffix in recorded)
        out["meansOfControlNotSpecified"] = 0
        out["meansOfControlConcatenated"] = ";".join(
            label for code, (_s, label) in MEANS_OF_CONTROL.items() if code in means
        )
    else:
        out["meansOfControlNotSpecified"] = 1
    if forms:
        flags = {EXPLOITATION_FLAGS[form] for form in forms if form in EXPLOITATION_FLAGS}
        if {"isForcedLabour", "isSexualExploit"} <= flags:
            flags.add("isSexAndLabour")
        for name in _EXPLOIT_FLAGS:
            out[name] = _flag(name in flags)
        out["typeOfExploitConcatenated"] = ";".join(
            label for name, label in _FLAG_LABELS.items() if name in flags
        )
    if forms & {"labour", "criminal"} and sector in LABOUR_TYPES:
        kind = LABOUR_TYPES[sector]
        for suffix in _LABOUR:
            out[f"typeOfLabour{suffix}"] = _flag(suffix == kind)
        out["typeOfLabourConcatenated"] = _LABOUR_LABELS.get(kind, kind)
    if "sexual" in forms and sector in SEX_TYPES:
        kind = SEX_TYPES[sector]
        for suffix in _SEX:
            out[f"typeOfSex{suffix}"] = _flag(suffix == kind)
        out["typeOfSexConcatenated"] = _SEX_LABELS.get(kind, kind)
    return [out[name] for name in CTDC_COLUMNS]
