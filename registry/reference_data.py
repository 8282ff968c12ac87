"""Default reference data (VOCABULARY.md): regions, one organisation per reporter type, and the
Dutch municipalities of registry/data/municipalities.csv (registry.municipalities).

These are data, not code: administrators correct and extend them in the admin. Loading never
overwrites what an administrator changed.
"""

from __future__ import annotations

from typing import Any

from registry.choices import ReporterType

REGIONS: list[tuple[str, str]] = [
    ("amsterdam", "Amsterdam"),
    ("den-haag-hollands-midden", "Den Haag en Hollands Midden"),
    ("drenthe", "Drenthe"),
    ("eindhoven", "Eindhoven e.o."),
    ("friesland", "Friesland"),
    ("noordoost-gelderland-achterhoek", "Noordoost-Gelderland en Achterhoek"),
    ("ijsselland", "IJsselland"),
    ("apeldoorn-veluwe", "Apeldoorn/Veluwe"),
    ("groningen", "Groningen"),
    ("utrecht-midden-nederland", "Utrecht/Midden-Nederland"),
    ("noord-holland", "Noord-Holland"),
    ("den-bosch", "Den Bosch e.o."),
    ("rotterdam", "Rotterdam"),
    ("twente", "Twente"),
    ("zeeland-west-brabant", "Zeeland en West-Brabant"),
    ("zuid-limburg", "Zuid-Limburg"),
    ("noord-midden-limburg", "Noord- en Midden-Limburg"),
    ("gooi-vechtstreek", "Gooi en Vechtstreek"),
    ("tilburg", "Tilburg"),
    ("helmond", "Helmond"),
    ("flevoland", "Flevoland"),
]

# (Dutch name, English name, reporter type). The English name is what the English interface
# shows (ReportingOrganisation.label); names of one organisation (FairWork, IND, COA, Nidos)
# stay as they are.
ORGANISATIONS: list[tuple[str, str, str]] = [
    ("Nationale Politie", "National Police", ReporterType.POLICE),
    ("Koninklijke Marechaussee", "Royal Netherlands Marechaussee", ReporterType.KMAR),
    (
        "Nederlandse Arbeidsinspectie",
        "Netherlands Labour Authority",
        ReporterType.LABOUR_INSPECTORATE,
    ),
    ("Zorgcoördinatie", "Care coordination", ReporterType.CARE_COORDINATION),
    ("FairWork", "FairWork", ReporterType.FAIRWORK),
    ("Advocatuur", "Lawyers", ReporterType.LAWYER),
    ("Opvanginstelling", "Shelter", ReporterType.SHELTER),
    ("Ambulante hulpverlening", "Outpatient care", ReporterType.OUTPATIENT_CARE),
    ("Jeugdzorg", "Youth care", ReporterType.YOUTH_CARE),
    ("Medische zorg", "Medical care", ReporterType.HEALTHCARE),
    ("Maatschappelijke organisatie", "Civil society organisation", ReporterType.NGO),
    ("Gemeente", "Municipality", ReporterType.MUNICIPALITY),
    ("IND", "IND (Immigration and Naturalisation Service)", ReporterType.IMMIGRATION_SERVICE),
    ("COA", "COA (Central Agency for the Reception of Asylum Seekers)", ReporterType.COA),
    ("Nidos", "Nidos", ReporterType.NIDOS),
]


def fill_english_names(organisation_model: Any) -> int:
    """Give the default organisations their English name where they have none (an English
    name an administrator wrote stays). Used by ``load`` and by the migration that added the
    field. Returns how many were filled."""
    filled = 0
    for name, name_en, _reporter_type in ORGANISATIONS:
        filled += organisation_model.objects.filter(name=name, name_en="").update(name_en=name_en)
    return filled


def ensure_code_rows() -> None:
    """The code tables of the multi-valued lists (a migration fills them; a flushed test
    database or a restored partial dump may not have them)."""
    from registry.models import FormOfExploitation, MeansOfControl

    for code in FormOfExploitation.Code.values:
        FormOfExploitation.objects.get_or_create(code=code)
    for code in MeansOfControl.Code.values:
        MeansOfControl.objects.get_or_create(code=code)


def load() -> dict[str, int]:
    """Create the regions, organisations and municipalities that are missing (and deactivate
    municipalities the data file marks as merged). Returns how many were created."""
    from registry import municipalities
    from registry.models import Municipality, Region, ReportingOrganisation

    ensure_code_rows()
    listed = municipalities.load(Municipality)
    created = {
        "regions": 0,
        "organisations": 0,
        "municipalities": listed["created"],
        "municipalities_deactivated": listed["deactivated"],
    }
    for code, name in REGIONS:
        _, was_created = Region.objects.get_or_create(code=code, defaults={"name": name})
        created["regions"] += was_created
    for name, name_en, reporter_type in ORGANISATIONS:
        _, was_created = ReportingOrganisation.objects.get_or_create(
            name=name, defaults={"reporter_type": reporter_type, "name_en": name_en}
        )
        created["organisations"] += was_created
    # After the regions: each municipality's region from the data file.
    created["municipalities_with_region"] = municipalities.load_regions(Municipality, Region)
    fill_english_names(ReportingOrganisation)
    return created


def ensure_code_lists(**kwargs: object) -> None:
    """Give every code of the fixed lists (forms of exploitation, means of control) its row.

    A ``post_migrate`` handler, as Django keeps permissions and content types: the rows follow
    the codes in registry.choices after every ``migrate`` (a new code needs no data
    migration), and after a ``flush`` too (a test database emptied by a transactional test
    would otherwise refuse every registration with a form of exploitation). Idempotent.
    """
    from registry.models import FormOfExploitation, MeansOfControl

    FormOfExploitation.objects.bulk_create(
        [FormOfExploitation(code=code) for code in FormOfExploitation.Code.values],
        ignore_conflicts=True,
    )
    MeansOfControl.objects.bulk_create(
        [MeansOfControl(code=code) for code in MeansOfControl.Code.values], ignore_conflicts=True
    )
