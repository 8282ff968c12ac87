"""Default reference data (VOCABULARY.md): regions, one organisation per reporter type, and the
Dutch municipalities of registry/data/municipalities.csv (registry.municipalities).

These are data, not code: administrators correct and extend them in the admin. Loading never
overwrites what an administrator changed.
"""

from __future__ import annotations

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

ORGANISATIONS: list[tuple[str, str]] = [
    ("Nationale Politie", ReporterType.POLICE),
    ("Koninklijke Marechaussee", ReporterType.KMAR),
    ("Nederlandse Arbeidsinspectie", ReporterType.LABOUR_INSPECTORATE),
    ("Zorgcoördinatie", ReporterType.CARE_COORDINATION),
    ("FairWork", ReporterType.FAIRWORK),
    ("Advocatuur", ReporterType.LAWYER),
    ("Opvanginstelling", ReporterType.SHELTER),
    ("Ambulante hulpverlening", ReporterType.OUTPATIENT_CARE),
    ("Jeugdzorg", ReporterType.YOUTH_CARE),
    ("Medische zorg", ReporterType.HEALTHCARE),
    ("Maatschappelijke organisatie", ReporterType.NGO),
    ("Gemeente", ReporterType.MUNICIPALITY),
    ("IND", ReporterType.IMMIGRATION_SERVICE),
    ("COA", ReporterType.COA),
    ("Nidos", ReporterType.NIDOS),
]


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
    for name, reporter_type in ORGANISATIONS:
        _, was_created = ReportingOrganisation.objects.get_or_create(
            name=name, defaults={"reporter_type": reporter_type}
        )
        created["organisations"] += was_created
    # After the regions: each municipality's region from the data file.
    created["municipalities_with_region"] = municipalities.load_regions(Municipality, Region)
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
