"""Country groups for statistics and anonymisation (ISO 3166-1 alpha-2 codes).

Nationality is reported as Dutch / other EU / outside the EU (the Dutch monitor's grouping),
and generalised for the anonymised dataset to a world region (continents, with Europe split
into the EU and the rest, as the registry's victims mostly come from the EU).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

NETHERLANDS = "NL"

_EU = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
EU_MEMBERS = frozenset(_EU.split(" "))

_WORLD_REGIONS: dict[str, str] = {
    "europe_other": "AL AD AX BY BA FO GI GG IS IM JE XK LI MD MC ME MK NO RU SM RS CH UA GB VA SJ",
    "africa": (
        "DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR "
        "LY MG MW ML MR MU YT MA MZ NA NE NG RE RW SH ST SN SC SL SO ZA SS SD TZ TG TN UG EH "
        "ZM ZW"
    ),
    "americas": (
        "AI AG AR AW BS BB BZ BM BO BQ BR VG CA KY CL CO CR CU CW DM DO EC SV FK GF GL GD GP "
        "GT GY HT HN JM MQ MX MS NI PA PY PE PR BL KN LC MF PM VC SX SR TT TC US UM VI UY VE GS"
    ),
    "asia": (
        "AF AM AZ BH BD BT BN KH CN GE HK IN ID IR IQ IL JP JO KZ KW KG LA LB MO MY MV MN MM NP "
        "KP OM PK PS PH QA SA SG KR LK SY TW TJ TH TL TR TM AE UZ VN YE IO"
    ),
    "oceania": (
        "AS AU CK FJ PF GU KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV VU WF CX CC HM"
    ),
}

WORLD_REGION_OF: dict[str, str] = {
    code: region for region, codes in _WORLD_REGIONS.items() for code in codes.split()
}
WORLD_REGION_OF.update(dict.fromkeys(EU_MEMBERS, "eu"))

WORLD_REGION_LABELS = {
    "eu": _("European Union"),
    "europe_other": _("Europe outside the EU"),
    "africa": _("Africa"),
    "americas": _("the Americas"),
    "asia": _("Asia"),
    "oceania": _("Oceania"),
    "other": _("other or stateless"),
    "": _("unknown"),
}


def world_region(country: str) -> str:
    """The world region of an ISO code; '' stays '' (unknown)."""
    if not country:
        return ""
    return WORLD_REGION_OF.get(country.upper(), "other")


# The Dutch landsdelen (CBS: Noord-, Oost-, West- and Zuid-Nederland), the larger area a
# care-coordination region is generalised to in the anonymised dataset (reports/anonymise.py).
# Regions are data (admin-editable), so the map is by region code; a region an administrator
# adds later falls under "other" until its code is added here. A region that straddles two
# landsdelen is put where most of its inhabitants live (Zeeland en West-Brabant: south;
# Gooi en Vechtstreek: west).
LANDSDELEN: dict[str, str] = {
    "groningen": "north",
    "friesland": "north",
    "drenthe": "north",
    "ijsselland": "east",
    "twente": "east",
    "apeldoorn-veluwe": "east",
    "noordoost-gelderland-achterhoek": "east",
    "flevoland": "east",
    "amsterdam": "west",
    "noord-holland": "west",
    "gooi-vechtstreek": "west",
    "utrecht-midden-nederland": "west",
    "den-haag-hollands-midden": "west",
    "rotterdam": "west",
    "zeeland-west-brabant": "south",
    "tilburg": "south",
    "den-bosch": "south",
    "eindhoven": "south",
    "helmond": "south",
    "noord-midden-limburg": "south",
    "zuid-limburg": "south",
}

LANDSDEEL_LABELS = {
    "north": _("North Netherlands"),
    "east": _("East Netherlands"),
    "west": _("West Netherlands"),
    "south": _("South Netherlands"),
    "other": _("other area"),
}


def landsdeel(region_code: str) -> str:
    """The landsdeel of a care-coordination region's code; '' stays '' (unknown)."""
    if not region_code:
        return ""
    return LANDSDELEN.get(region_code, "other")


def country_area(country: str) -> str:
    """A country generalised one step: the Netherlands stays ``NL`` (the registry's largest
    group needs no hiding), any other country becomes its world region."""
    if not country:
        return ""
    return NETHERLANDS if country.upper() == NETHERLANDS else world_region(country)


def country_group(area: str) -> str:
    """A ``country_area`` generalised one more step: Dutch / other EU / outside the EU (the
    monitor's grouping, codes as the statistics' ``nationality_group``)."""
    if not area:
        return ""
    if area == NETHERLANDS:
        return "dutch"
    return "other_eu" if area == "eu" else "outside_eu"
