"""Fill the Dutch catalogue (locale/nl/LC_MESSAGES/django.po) from the translations below.

Source strings are English; the interface ships in Dutch first. After `makemessages` picks up new
strings, run this script: it refills every known msgid, drops the fuzzy flags that makemessages
guesses (a guess is never shipped), removes obsolete entries and lists the msgids still missing,
with a non-zero exit status while any are. Add those to TRANSLATIONS, run again, then
`manage.py compilemessages`.

    DJANGO_DEBUG=1 .venv/bin/python manage.py makemessages -l nl -l en \
        --ignore=.venv --ignore=tests --ignore=bench --ignore=staticfiles
    .venv/bin/python scripts/translate_nl.py
    DJANGO_DEBUG=1 .venv/bin/python manage.py compilemessages

Word choice follows the Dutch labels of /work/shared/VOCABULARY.md and the words CoMensha and
care coordinators use: casus (not "zaak"), melding/melder, zorgcoördinator, bedenktijd,
overdracht, helpdesk, logboek. A plural msgid maps to a (singular, plural) tuple.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

PO_PATH = Path(__file__).resolve().parent.parent / "locale" / "nl" / "LC_MESSAGES" / "django.po"

TRANSLATIONS: dict[str, str | tuple[str, str]] = {
    # Settings and app names
    "Dutch": "Nederlands",
    "English": "Engels",
    "Intake": "Aanmelding",
    "Registry": "Register",
    "Reports": "Rapportages",
    # Intake form: fields and help texts
    "Is the person in immediate danger?": "Is de persoon in acuut gevaar?",
    "Tick when the person is not safe right now. Call 112 first.": (
        "Aanvinken als de persoon nu niet veilig is. Bel eerst 112."
    ),
    "Date of registration": "Datum van registratie",
    "The day the report came in. Not in the future.": (
        "De dag waarop de melding binnenkwam. Niet in de toekomst."
    ),
    "Who reported the person?": "Wie heeft de persoon gemeld?",
    "Police, Royal Marechaussee and the Labour Authority report under a legal duty; every other "
    "reporter needs the person's written consent for personal data.": (
        "Politie, Koninklijke Marechaussee en Arbeidsinspectie melden op grond van een wettelijke "
        "plicht; elke andere melder heeft voor persoonsgegevens de schriftelijke toestemming van "
        "de persoon nodig."
    ),
    "Reporting organisation": "Meldende organisatie",
    "The organisation the reporter works for, if it is in the list.": (
        "De organisatie waarvoor de melder werkt, als die in de lijst staat."
    ),
    "Region": "Regio",
    "The care-coordination region where the person is or will stay.": (
        "De zorgcoördinatieregio waar de persoon verblijft of gaat verblijven."
    ),
    "Given names": "Voornamen",
    "All given names.": "Alle voornamen.",
    "Family name": "Achternaam",
    "As written in the identity document, if there is one.": (
        "Zoals in het identiteitsbewijs staat, als dat er is."
    ),
    "Other names": "Andere namen",
    "Nicknames or other names the person uses, one per line.": (
        "Bijnamen of andere namen die de persoon gebruikt, één per regel."
    ),
    "Date of birth": "Geboortedatum",
    "Leave empty when unknown and give an estimated age instead.": (
        "Leeg laten als die onbekend is; geef dan een geschatte leeftijd."
    ),
    "Estimated age": "Geschatte leeftijd",
    "In whole years (0 to {max_age}), when the date of birth is unknown.": (
        "In hele jaren (0 tot {max_age}), als de geboortedatum onbekend is."
    ),
    "Probably under 18": "Waarschijnlijk jonger dan 18",
    "Only when neither the date of birth nor an age is known.": (
        "Alleen als geboortedatum en leeftijd allebei onbekend zijn."
    ),
    "Gender": "Gender",
    "As the person describes themself.": "Zoals de persoon zichzelf omschrijft.",
    "Nationality": "Nationaliteit",
    "Leave empty when unknown.": "Leeg laten als dit onbekend is.",
    "Country of birth": "Geboorteland",
    "Languages spoken": "Gesproken talen",
    "So the coordinator can arrange an interpreter.": (
        "Zodat de coördinator een tolk kan regelen."
    ),
    "Phone": "Telefoon",
    "A number where the person can be reached safely.": (
        "Een nummer waarop de persoon veilig bereikbaar is."
    ),
    "E-mail": "E-mail",
    "Only an address that is safe to use.": "Alleen een adres dat veilig te gebruiken is.",
    "Address": "Adres",
    "Where the person stays now, if it is safe to write down.": (
        "Waar de persoon nu verblijft, als het veilig is om dat op te schrijven."
    ),
    "Identity document issued by": "Identiteitsbewijs afgegeven door",
    "The country that issued the passport or identity card.": (
        "Het land dat het paspoort of de identiteitskaart heeft afgegeven."
    ),
    "Identity document number": "Nummer identiteitsbewijs",
    "Used to find earlier registrations of the same person.": (
        "Wordt gebruikt om eerdere registraties van dezelfde persoon te vinden."
    ),
    "Forms of exploitation": "Vormen van uitbuiting",
    "Tick every form that applies.": "Vink elke vorm aan die van toepassing is.",
    "Sector": "Sector",
    "Where the exploitation took place; it must fit the forms ticked above.": (
        "Waar de uitbuiting plaatsvond; de sector moet passen bij de vormen die hierboven "
        "zijn aangevinkt."
    ),
    "Country of exploitation": "Land van uitbuiting",
    "Where the exploitation took place.": "Waar de uitbuiting plaatsvond.",
    "Municipality of exploitation": "Gemeente van uitbuiting",
    "For exploitation in the Netherlands.": "Bij uitbuiting in Nederland.",
    "Exploitation began": "Begin van de uitbuiting",
    "An approximate date is fine.": "Een datum bij benadering is goed.",
    "Exploitation ended": "Einde van de uitbuiting",
    "Leave empty when it is still going on.": "Leeg laten als de uitbuiting nog doorgaat.",
    "Domestic or cross-border": "Binnenlands of grensoverschrijdend",
    "Cross-border when the person was brought across a border.": (
        "Grensoverschrijdend als de persoon over een grens is gebracht."
    ),
    "Means of control": "Dwangmiddelen",
    "How the person was controlled; tick every one that applies.": (
        "Hoe de persoon onder controle werd gehouden; vink alles aan wat van toepassing is."
    ),
    "Unaccompanied minor": "Alleenstaande minderjarige",
    "A person under 18 without a parent or guardian in the Netherlands.": (
        "Iemand jonger dan 18 zonder ouder of voogd in Nederland."
    ),
    "Residence status": "Verblijfsstatus",
    "Decides, with age, whether Nidos must be involved.": (
        "Bepaalt samen met de leeftijd of Nidos betrokken moet worden."
    ),
    "Type of file": "Soort dossier",
    "Registration only, or also shelter, or also information and advice.": (
        "Alleen registratie, of ook opvang, of ook informatie en advies."
    ),
    "Shelter requested": "Opvang aangevraagd",
    "COSM places are arranged through the registry's help desk.": (
        "COSM-plaatsen worden geregeld via de helpdesk van het register."
    ),
    "Written consent to registration": "Schriftelijke toestemming voor registratie",
    "Needed for personal data unless the reporter has a legal duty to report. Without it the "
    "registration is anonymous.": (
        "Nodig voor persoonsgegevens, tenzij de melder een wettelijke meldplicht heeft. Zonder "
        "toestemming is de registratie anoniem."
    ),
    "Consent signed by": "Toestemming ondertekend door",
    "From 16 the person signs; under 16 a parent or guardian signs.": (
        "Vanaf 16 jaar tekent de persoon zelf; onder de 16 tekent een ouder of voogd."
    ),
    "Consent to care coordination": "Toestemming voor zorgcoördinatie",
    "The person agrees that a care coordinator contacts them.": (
        "De persoon gaat ermee akkoord dat een zorgcoördinator contact opneemt."
    ),
    "Step %(n)s of %(total)s: %(title)s": "Stap %(n)s van %(total)s: %(title)s",
    "Urgency and reporter": "Urgentie en melder",
    "The person": "De persoon",
    "The exploitation": "De uitbuiting",
    "Minors and residence": "Minderjarigen en verblijf",
    "Type of file and consent": "Soort dossier en toestemming",
    "Urgency": "Urgentie",
    # Triage
    "Decision": "Besluit",
    "Accept as a new person": "Accepteren als nieuwe persoon",
    "Merge with a possible match": "Samenvoegen met een mogelijke match",
    "Reject": "Afwijzen",
    "Accepting or merging opens a case and routes it to a coordinator.": (
        "Accepteren of samenvoegen opent een casus en stuurt die door naar een coördinator."
    ),
    "Merge with": "Samenvoegen met",
    "Only the possible matches shown above can be chosen.": (
        "Alleen de mogelijke matches hierboven kunnen worden gekozen."
    ),
    "Reason for rejecting": "Reden van afwijzing",
    "Required when rejecting; the reporter does not see it.": (
        "Verplicht bij afwijzen; de melder ziet dit niet."
    ),
    "Choose the person to merge with.": "Kies de persoon om mee samen te voegen.",
    "Give a reason for rejecting.": "Geef een reden voor de afwijzing.",
    "same names and date of birth": "zelfde namen en geboortedatum",
    "same identity document": "zelfde identiteitsbewijs",
    "same family name, born within two years": "zelfde achternaam, binnen twee jaar geboren",
    "family name sounds alike, born within two years": (
        "achternaam klinkt hetzelfde, binnen twee jaar geboren"
    ),
    "registration import": "import van registraties",
    "registration imports": "imports van registraties",
    "New registration %(number)s": "Nieuwe registratie %(number)s",
    "A new registration, %(number)s, has been routed to you in region %(region)s.\n\n"
    "Open the case (log in first): %(url)s\n\n"
    "This message holds no personal data on purpose.": (
        "Een nieuwe registratie, %(number)s, is aan u doorgestuurd in regio %(region)s.\n\n"
        "Open de casus (eerst inloggen): %(url)s\n\n"
        "Dit bericht bevat bewust geen persoonsgegevens."
    ),
    "The date of birth cannot be in the future.": (
        "De geboortedatum kan niet in de toekomst liggen."
    ),
    "The age must be between 0 and %(max_age)d years.": (
        "De leeftijd moet tussen 0 en %(max_age)d jaar liggen."
    ),
    "The registration date cannot be in the future.": (
        "De registratiedatum kan niet in de toekomst liggen."
    ),
    "This sector does not fit the forms of exploitation chosen. Choose a sector of one of those "
    "forms, or 'other' or 'unknown'.": (
        "Deze sector past niet bij de gekozen vormen van uitbuiting. Kies een sector van een van "
        "die vormen, of 'overig' of 'onbekend'."
    ),
    "The end of the exploitation cannot be before its start.": (
        "Het einde van de uitbuiting kan niet vóór het begin liggen."
    ),
    "Say who signed the written consent.": "Geef aan wie de schriftelijke toestemming tekende.",
    "Under 16, the consent is signed by a parent or guardian.": (
        "Onder de 16 jaar tekent een ouder of voogd de toestemming."
    ),
    "Your report has been received under number %(number)s.": (
        "Uw melding is ontvangen onder nummer %(number)s."
    ),
    "yes": "ja",
    "Choose one of the possible matches, or confirm that this is a new person.": (
        "Kies een van de mogelijke matches, of bevestig dat dit een nieuwe persoon is."
    ),
    "Registration %(number)s has been saved.": "Registratie %(number)s is opgeslagen.",
    "Submission %(number)s accepted and routed.": (
        "Melding %(number)s is geaccepteerd en doorgestuurd."
    ),
    "Submission %(number)s merged with person %(ref)s and routed.": (
        "Melding %(number)s is samengevoegd met persoon %(ref)s en doorgestuurd."
    ),
    "Submission %(number)s rejected.": "Melding %(number)s is afgewezen.",
    # Registry admin and forms
    "Registry role": "Rol in het register",
    "Exact family name or identity document number.": (
        "Exacte achternaam of nummer van het identiteitsbewijs."
    ),
    "Personal data (encrypted)": "Persoonsgegevens (versleuteld)",
    "Statistical data": "Statistische gegevens",
    "Record": "Gegeven",
    "coordinator": "coördinator",
    "unassigned (help desk)": "niet toegewezen (helpdesk)",
    "assigned": "toegewezen",
    "reflection period": "bedenktijd",
    "ends within 14 days": "eindigt binnen 14 dagen",
    "Choose an active coordinator of the case's region.": (
        "Kies een actieve coördinator van de regio van de casus."
    ),
    "Coordinator": "Coördinator",
    "To region": "Naar regio",
    "Reason": "Reden",
    "Why the cases move. No personal data.": (
        "Waarom de casussen overgaan. Geen persoonsgegevens."
    ),
    "Registration number or exact family name.": "Registratienummer of exacte achternaam.",
    "Assign a coordinator": "Coördinator toewijzen",
    "%(assigned)d case(s) assigned; %(skipped)d skipped (the coordinator does not work in their "
    "region).": (
        "%(assigned)d casus(sen) toegewezen; %(skipped)d overgeslagen (de coördinator werkt niet "
        "in die regio)."
    ),
    "Hand over to another region": "Overdragen aan een andere regio",
    "%(count)d handover(s) requested.": "%(count)d overdracht(en) aangevraagd.",
    "A case that is %(current)s cannot become %(new)s.": (
        "Een casus met status '%(current)s' kan niet naar '%(new)s'."
    ),
    "Give the reason for closing the case.": "Geef de reden voor het afsluiten van de casus.",
    "A reason for closing only applies to a closed case.": (
        "Een reden van afsluiten hoort alleen bij een afgesloten casus."
    ),
    "Only an open case can be handed over.": "Alleen een open casus kan worden overgedragen.",
    "The case is already in that region.": "De casus is al in die regio.",
    "That region is inactive and receives no cases.": (
        "Die regio is niet actief en ontvangt geen casussen."
    ),
    "This case already has a handover waiting for a decision.": (
        "Voor deze casus wacht al een overdracht op een besluit."
    ),
    "This handover has already been decided.": "Over deze overdracht is al besloten.",
    "Only the receiving region decides on a handover.": (
        "Alleen de ontvangende regio besluit over een overdracht."
    ),
    "Only a pending handover can be withdrawn, by the sending side.": (
        "Alleen een lopende overdracht kan worden ingetrokken, door de verzendende regio."
    ),
    # Roles
    "Reporter": "Melder",
    "Care coordinator": "Zorgcoördinator",
    "Help desk": "Helpdesk",
    "Administrator": "Beheerder",
    # Forms of exploitation
    "sexual exploitation": "seksuele uitbuiting",
    "labour exploitation": "arbeidsuitbuiting",
    "criminal exploitation (incl. forced begging)": (
        "criminele uitbuiting (incl. gedwongen bedelarij)"
    ),
    "forced organ removal": "gedwongen orgaanverwijdering",
    "forced marriage": "gedwongen huwelijk",
    "illegal adoption": "illegale adoptie",
    "exploitation of surrogacy": "uitbuiting bij draagmoederschap",
    "other": "overig",
    "unknown": "onbekend",
    # Sectors
    "window prostitution": "raamprostitutie",
    "brothel, club or private house": "bordeel, club of privéhuis",
    "home prostitution": "thuisprostitutie",
    "escort": "escort",
    "hotel": "hotel",
    "street": "straat",
    "webcam or online": "webcam of online",
    "agriculture, horticulture, forestry, fishing": "land-, tuin- en bosbouw, visserij",
    "domestic work (incl. au pair)": "huishoudelijk werk (incl. au pair)",
    "hospitality": "horeca",
    "manufacturing": "industrie",
    "construction": "bouw",
    "transport and storage, ports, shipping": "vervoer en opslag, havens, scheepvaart",
    "wholesale and retail": "groot- en detailhandel",
    "cleaning": "schoonmaak",
    "temporary employment agency": "uitzendbureau",
    "drugs": "drugs",
    "theft, pickpocketing, shoplifting": "diefstal, zakkenrollen, winkeldiefstal",
    "begging": "bedelarij",
    "misuse of bank accounts or subscriptions": "misbruik van bankrekeningen of abonnementen",
    # Reporter types
    "National Police": "Nationale Politie",
    "Royal Netherlands Marechaussee": "Koninklijke Marechaussee",
    "Netherlands Labour Authority": "Nederlandse Arbeidsinspectie",
    "care coordination": "zorgcoördinatie",
    "FairWork": "FairWork",
    "lawyer": "advocatuur",
    "shelter (incl. asylum seekers' centre)": "opvanginstelling (incl. azc)",
    "outpatient care": "ambulante hulpverlening",
    "youth care": "jeugdzorg",
    "medical care": "medische zorg",
    "civil-society organisation": "maatschappelijke organisatie",
    "municipality": "gemeente",
    "Immigration and Naturalisation Service": "IND",
    "COA": "COA",
    "Nidos": "Nidos",
    "the client themself": "cliënt zelf",
    # Gender
    "female": "vrouw",
    "male": "man",
    "other (trans or non-conforming)": "anders (trans of non-conform)",
    # Type of file
    "registration only": "registratie",
    "registration and shelter": "registratie en opvang",
    "registration, information and advice": "registratie, informatie en advies",
    # Shelter and care
    "COSM (categorical shelter for victims of trafficking)": (
        "COSM (categorale opvang slachtoffers mensenhandel)"
    ),
    "OMM (shelter for victims with multiple problems)": (
        "OMM (opvang voor slachtoffers met meervoudige problematiek)"
    ),
    "women's shelter": "vrouwenopvang",
    "men's shelter": "mannenopvang",
    "social shelter": "maatschappelijke opvang",
    "protected shelter for unaccompanied minors (Nidos)": "beschermde opvang amv (Nidos)",
    "asylum seekers' centre (COA)": "azc (COA)",
    "none": "geen",
    # Residence status
    "not applicable (Dutch or EU citizen)": "niet van toepassing (Nederlander of EU-burger)",
    "residence permit, victim of trafficking": "verblijfsvergunning slachtoffer mensenhandel",
    "residence permit, witness who reported": "verblijfsvergunning getuige-aangever",
    "continued residence": "voortgezet verblijf",
    "asylum procedure": "asielprocedure",
    "no lawful residence": "geen rechtmatig verblijf",
    # Victim status and deciding body
    "possible victim": "mogelijk slachtoffer",
    "confirmed victim": "bevestigd slachtoffer",
    "not a victim": "geen slachtoffer",
    "police": "politie",
    "public prosecution": "Openbaar Ministerie",
    "court": "rechter",
    "government": "overheid",
    # Case status and reasons for closing
    "new": "nieuw",
    "in care": "in zorg",
    "closed": "afgesloten",
    "reopened": "heropend",
    "care completed": "zorg afgerond",
    "left the Netherlands": "vertrokken uit Nederland",
    "no contact": "geen contact",
    "referred": "doorverwezen",
    # Means of control
    "debt bondage": "schuldslavernij",
    "takes earnings": "neemt verdiensten af",
    "restricts financial access": "beperkt toegang tot geld",
    "threats": "bedreiging",
    "psychological abuse": "psychisch geweld",
    "physical abuse": "fysiek geweld",
    "sexual abuse": "seksueel geweld",
    "false promises": "valse beloften",
    "psychoactive substances": "drugs of andere middelen",
    "restricts movement": "beperkt bewegingsvrijheid",
    "restricts medical care": "beperkt toegang tot medische zorg",
    "excessive working hours": "buitensporig lange werktijden",
    "uses children": "zet kinderen in als drukmiddel",
    "threat of law enforcement": "dreigen met politie of justitie",
    "withholds necessities": "onthoudt eerste levensbehoeften",
    "withholds documents": "houdt documenten in",
    # Domestic or cross-border
    "domestic": "binnenlands",
    "cross-border": "grensoverschrijdend",
    # Consent
    "no written consent": "geen schriftelijke toestemming",
    "signed by the victim (16 or older)": "ondertekend door het slachtoffer (16 jaar of ouder)",
    "signed by a parent or guardian (under 16)": (
        "ondertekend door ouder of voogd (jonger dan 16)"
    ),
    # Submission and handover status
    "awaiting triage": "wacht op triage",
    "accepted": "geaccepteerd",
    "merged with an existing person": "samengevoegd met een bestaande persoon",
    "rejected": "afgewezen",
    "pending": "wacht op besluit",
    "withdrawn": "ingetrokken",
    # Audit actions
    "viewed personal data": "persoonsgegevens bekeken",
    "created": "aangemaakt",
    "changed": "gewijzigd",
    "handover": "overdracht",
    "exported": "geëxporteerd",
    "imported": "geïmporteerd",
    "erased": "gewist",
    "logged in": "ingelogd",
    "logged out": "uitgelogd",
    "failed login": "mislukte inlogpoging",
    "linked to an existing person": "gekoppeld aan een bestaande persoon",
    "triaged a submission": "melding beoordeeld",
    "rotated encryption keys": "versleutelingssleutels vervangen",
    # Encrypted fields
    "Encrypted text (single line)": "Versleutelde tekst (één regel)",
    "Encrypted text": "Versleutelde tekst",
    "Encrypted date": "Versleutelde datum",
    # Case list filters and case forms
    "Opened (oldest first)": "Oudste eerst",
    "Opened (newest first)": "Nieuwste eerst",
    "Reflection period ends (soonest first)": "Einde bedenktijd",
    "Status": "Status",
    "Last changed": "Laatst gewijzigd",
    "all": "alle",
    "assigned to me": "aan mij toegewezen",
    "unassigned": "niet toegewezen",
    "Search": "Zoeken",
    "A registration number (2026-000123) or an exact family name.": (
        "Een registratienummer (2026-000123) of een exacte achternaam."
    ),
    "open cases": "open casussen",
    "Immediate danger": "Acuut gevaar",
    "Minors": "Minderjarigen",
    "Reflection period ends within 14 days": "Bedenktijd eindigt binnen 14 dagen",
    "New and unassigned for more than two working days": (
        "Nieuw en langer dan twee werkdagen niet toegewezen"
    ),
    "Sort by": "Sorteren op",
    "— help desk / unassigned —": "— helpdesk / niet toegewezen —",
    "Encrypted. Only people who may see this case read it.": (
        "Versleuteld. Alleen wie deze casus mag zien, kan dit lezen."
    ),
    "Say who decided on the victim status.": "Geef aan wie over de slachtofferstatus besliste.",
    "A Dublin case needs the start of its reflection period.": (
        "Bij een Dublinzaak is de begindatum van de bedenktijd nodig."
    ),
    "Hand over to region": "Overdragen aan regio",
    "Why the case moves. No names or other personal data.": (
        "Waarom de casus overgaat. Geen namen of andere persoonsgegevens."
    ),
    "Accept": "Accepteren",
    "Note": "Toelichting",
    "For the sending region. No personal data.": (
        "Voor de verzendende regio. Geen persoonsgegevens."
    ),
    "Say why the handover is rejected.": "Geef aan waarom de overdracht wordt afgewezen.",
    "Case id": "Casus-id",
    "User": "Gebruiker",
    "Action": "Actie",
    "From": "Van",
    "Until": "Tot en met",
    "The end date is before the start date.": "De einddatum ligt vóór de begindatum.",
    # Reminders
    "Would send": "Zou versturen",
    "Sent": "Verstuurd",
    "reflection period ends on %(date)s": "bedenktijd eindigt op %(date)s",
    "new since %(date)s and still unassigned": "nieuw sinds %(date)s en nog niet toegewezen",
    "Registry: %(count)d case needs attention": (
        "Register: %(count)d casus vraagt aandacht",
        "Register: %(count)d casussen vragen aandacht",
    ),
    "Good morning,": "Goedemorgen,",
    "These cases need your attention:": "Deze casussen vragen uw aandacht:",
    "This message holds no personal data; open the links to see the cases.": (
        "Dit bericht bevat geen persoonsgegevens; open de links om de casussen te zien."
    ),
    # Model fields: users and audit
    "role": "rol",
    "Decides what this user may see and do.": "Bepaalt wat deze gebruiker mag zien en doen.",
    "regions": "regio's",
    "For care coordinators: the regions whose cases they work.": (
        "Voor zorgcoördinatoren: de regio's waarvan zij de casussen behandelen."
    ),
    "organisation": "organisatie",
    "For reporters: the organisation they report for.": (
        "Voor melders: de organisatie namens wie zij melden."
    ),
    "user": "gebruiker",
    "users": "gebruikers",
    "A reporter must belong to an organisation.": "Een melder moet bij een organisatie horen.",
    "audit chain head": "laatste schakel van het logboek",
    "when": "wanneer",
    "user id": "gebruikers-id",
    "action": "actie",
    "record type": "soort gegeven",
    "record id": "id van het gegeven",
    "case": "casus",
    "details": "details",
    "audit event": "logboekregel",
    "audit events": "logboekregels",
    # Model fields: cases and handovers
    "person": "persoon",
    "opening registration": "eerste registratie",
    "region": "regio",
    "Empty means the help desk coordinates the case.": (
        "Leeg betekent dat de helpdesk de casus coördineert."
    ),
    "status": "status",
    "reason for closing": "reden van afsluiten",
    "closed on": "afgesloten op",
    "victim status": "slachtofferstatus",
    "victim status decided by": "slachtofferstatus vastgesteld door",
    "reflection period start": "begin bedenktijd",
    "Dublin case": "Dublinzaak",
    "Dublin cases have 30 days of reflection.": "Dublinzaken hebben 30 dagen bedenktijd.",
    "reflection period end": "einde bedenktijd",
    "residence status": "verblijfsstatus",
    "shelter requested": "opvang aangevraagd",
    "shelter placed": "opvang geplaatst",
    "care received": "ontvangen zorg",
    "where care was received": "waar zorg is ontvangen",
    "The organisation or place, never the person's address.": (
        "De organisatie of plaats, nooit het adres van de persoon."
    ),
    "notes": "aantekeningen",
    "opened on": "geopend op",
    "updated": "bijgewerkt",
    "cases": "casussen",
    "Case %(ref)s": "Casus %(ref)s",
    "from": "van",
    "to": "naar",
    "reason": "reden",
    "Why the case moves. No personal data.": "Waarom de casus overgaat. Geen persoonsgegevens.",
    "requested": "aangevraagd",
    "decided": "besloten",
    "decision note": "toelichting bij besluit",
    "handovers": "overdrachten",
    # Model fields: people
    "given names": "voornamen",
    "family name": "achternaam",
    "aliases": "andere namen",
    "Other names the person is known by, one per line.": (
        "Andere namen waaronder de persoon bekend is, één per regel."
    ),
    "date of birth": "geboortedatum",
    "phone": "telefoon",
    "e-mail": "e-mail",
    "address": "adres",
    "identity document country": "land van het identiteitsbewijs",
    "ISO 3166 code of the country that issued the document, e.g. RO.": (
        "ISO 3166-code van het land dat het document afgaf, bijv. RO."
    ),
    "identity document number": "nummer identiteitsbewijs",
    "languages spoken": "gesproken talen",
    "gender": "gender",
    "nationality": "nationaliteit",
    "gender of the person": "gender van de persoon",
    "nationality of the person": "nationaliteit van de persoon",
    "country of birth": "geboorteland",
    "year of birth": "geboortejaar",
    "From the date of birth, or estimated from the age given.": (
        "Uit de geboortedatum, of geschat op basis van de opgegeven leeftijd."
    ),
    "year of birth estimated": "geboortejaar geschat",
    "anonymous": "anoniem",
    "Registered without consent: no personal data may be stored.": (
        "Geregistreerd zonder toestemming: er mogen geen persoonsgegevens worden opgeslagen."
    ),
    "people": "personen",
    "Person %(ref)s": "Persoon %(ref)s",
    # Model fields: code tables and registrations
    "code": "code",
    "Stable code used in exports and imports, e.g. 'amsterdam'.": (
        "Vaste code voor exports en imports, bijv. 'amsterdam'."
    ),
    "name": "naam",
    "active": "actief",
    "Inactive regions receive no new cases.": (
        "Niet-actieve regio's ontvangen geen nieuwe casussen."
    ),
    "reporter type": "soort melder",
    "reporting organisation": "meldende organisatie",
    "reporting organisations": "meldende organisaties",
    "form of exploitation": "vorm van uitbuiting",
    "forms of exploitation": "vormen van uitbuiting",
    "means of control": "dwangmiddelen",
    "registration number sequence": "nummerreeks van registraties",
    "registration number": "registratienummer",
    "Assigned by the registry: year and a sequence, e.g. 2026-000123.": (
        "Toegekend door het register: jaar en volgnummer, bijv. 2026-000123."
    ),
    "registration date": "registratiedatum",
    "Not in the future.": "Niet in de toekomst.",
    "Who found and reported the person.": "Wie de persoon heeft aangetroffen en gemeld.",
    "The care-coordination region where the person is or will be.": (
        "De zorgcoördinatieregio waar de persoon is of komt te verblijven."
    ),
    "Several may apply.": "Meer dan één kan van toepassing zijn.",
    "sector": "sector",
    "country of exploitation": "land van uitbuiting",
    "municipality of exploitation": "gemeente van uitbuiting",
    "exploitation began": "begin uitbuiting",
    "exploitation ended": "einde uitbuiting",
    "domestic or cross-border": "binnenlands of grensoverschrijdend",
    "minor": "minderjarig",
    "unaccompanied minor": "alleenstaande minderjarige",
    "immediate danger": "acuut gevaar",
    "type of file": "soort dossier",
    "written consent to registration": "schriftelijke toestemming voor registratie",
    "consent to care coordination": "toestemming voor zorgcoördinatie",
    "consent signed by": "toestemming ondertekend door",
    "age at registration": "leeftijd bij registratie",
    "triage note": "triagetoelichting",
    "Reason for a rejection or merge, for the help desk.": (
        "Reden van afwijzing of samenvoeging, voor de helpdesk."
    ),
    "submitted by": "ingediend door",
    "registration": "registratie",
    "registrations": "registraties",
    # Reminders model
    "new registration": "nieuwe registratie",
    "reflection period ends soon": "bedenktijd eindigt binnenkort",
    "new case unassigned": "nieuwe casus niet toegewezen",
    "kind": "soort",
    "recipient": "ontvanger",
    "deadline": "termijn",
    "sent": "verstuurd",
    "reminder sent": "verstuurde herinnering",
    "reminders sent": "verstuurde herinneringen",
    # Case views: messages
    "The case has been saved.": "De casus is opgeslagen.",
    "The case was not saved: please correct the marked fields.": (
        "De casus is niet opgeslagen: verbeter de gemarkeerde velden."
    ),
    "You are now the coordinator of this case.": "U bent nu de coördinator van deze casus.",
    "Handover to %(region)s requested; the case stays with you until it is accepted.": (
        "Overdracht aan %(region)s aangevraagd; de casus blijft bij u tot die is geaccepteerd."
    ),
    "Handover accepted: the case is now in %(region)s. Assign a coordinator.": (
        "Overdracht geaccepteerd: de casus is nu in %(region)s. Wijs een coördinator toe."
    ),
    "Handover rejected; the sending region has been told.": (
        "Overdracht afgewezen; de verzendende regio is op de hoogte gebracht."
    ),
    "The handover request has been withdrawn.": "Het verzoek tot overdracht is ingetrokken.",
    # Home page destinations
    "Report a possible victim": "Een mogelijk slachtoffer melden",
    "Submit a registration. You will get a reference number to follow its status.": (
        "Dien een melding in. U krijgt een referentienummer om de status te volgen."
    ),
    "New report": "Nieuwe melding",
    "My reports": "Mijn meldingen",
    "The reference numbers and status of what you reported.": (
        "De referentienummers en de status van uw meldingen."
    ),
    "View status": "Status bekijken",
    "Register a victim": "Een slachtoffer registreren",
    "Record a new registration, with duplicate check and routing to a coordinator.": (
        "Leg een nieuwe registratie vast, met controle op dubbele registraties en doorsturen "
        "naar een coördinator."
    ),
    "New registration": "Nieuwe registratie",
    "Cases": "Casussen",
    "Your cases, deadlines of reflection periods and handovers.": (
        "Uw casussen, de einddata van bedenktijden en overdrachten."
    ),
    "Open workspace": "Naar werkoverzicht",
    "Triage queue": "Triagelijst",
    "Reporter submissions waiting to be accepted, merged or rejected.": (
        "Meldingen die wachten op accepteren, samenvoegen of afwijzen."
    ),
    "Open queue": "Naar de lijst",
    "Cases of regions without a coordinator, and open cases per region.": (
        "Casussen van regio's zonder coördinator, en open casussen per regio."
    ),
    "Open help desk": "Naar de helpdesk",
    "Audit trail": "Logboek",
    "Who viewed, changed, handed over, exported or imported what, and when.": (
        "Wie wat heeft bekeken, gewijzigd, overgedragen, geëxporteerd of geïmporteerd, en wanneer."
    ),
    "Read the trail": "Logboek bekijken",
    "Statistics": "Statistiek",
    "Anonymised figures, charts and downloads for the National Rapporteur.": (
        "Geanonimiseerde cijfers, grafieken en downloads voor de Nationaal Rapporteur."
    ),
    "View statistics": "Statistiek bekijken",
    "Administration": "Beheer",
    "Users, regions, organisations, the audit trail and exports.": (
        "Gebruikers, regio's, organisaties, het logboek en exports."
    ),
    "Open admin": "Naar beheer",
    # Statistics dimensions
    "under 18": "jonger dan 18",
    "other EU": "overig EU",
    "outside the EU": "buiten de EU",
    "other countries": "overige landen",
    "no case opened": "geen casus geopend",
    "Age (Dutch monitor bands)": "Leeftijd (Nationaal Rapporteur)",
    "Age (CTDC bands)": "Leeftijd (CTDC)",
    "Nationality (top countries)": "Nationaliteit (meest voorkomende landen)",
    "Form of exploitation": "Vorm van uitbuiting",
    "Reporter type": "Soort melder",
    "Shelter placed": "Opvang geplaatst",
    "Care received": "Ontvangen zorg",
    "Year of registration": "Jaar van registratie",
    "First registration date; empty for no limit.": (
        "Eerste registratiedatum; leeg voor geen grens."
    ),
    "To": "Naar",
    "Last registration date; empty for no limit.": (
        "Laatste registratiedatum; leeg voor geen grens."
    ),
    "Cross: rows": "Kruistabel: rijen",
    "Cross: columns": "Kruistabel: kolommen",
    "Age bands of the anonymised dataset": "Leeftijdsgroepen van de geanonimiseerde dataset",
    "Dutch monitor": "Nationaal Rapporteur",
    "CTDC": "CTDC",
    "The start of the period must not be after its end.": (
        "Het begin van de periode mag niet na het einde liggen."
    ),
    "Choose two different dimensions to cross.": "Kies twee verschillende kenmerken om te kruisen.",
    "European Union": "Europese Unie",
    "Europe outside the EU": "Europa buiten de EU",
    "Africa": "Afrika",
    "the Americas": "Amerika",
    "Asia": "Azië",
    "Oceania": "Oceanië",
    "other or stateless": "overig of staatloos",
    "Can export registrations with personal data": (
        "Mag registraties met persoonsgegevens exporteren"
    ),
    "personal export of registrations": "export van registraties met persoonsgegevens",
    "unique persons": "unieke personen",
    "Registrations per year": "Registraties per jaar",
    # Base template and shared includes
    "Victim registry": "Slachtofferregister",
    "Menu": "Menu",
    "Log out": "Uitloggen",
    "Language": "Taal",
    "Immediate danger: call 112 now.": "Acuut gevaar: bel nu 112.",
    "When someone is not safe right now, call the emergency number 112 before you continue with "
    "this registration.": (
        "Is iemand op dit moment niet veilig? Bel dan eerst het alarmnummer 112 voordat u "
        "verdergaat met deze registratie."
    ),
    "Nidos route": "Route via Nidos",
    "This is an unaccompanied minor without lawful residence. Refer the person to Nidos, who "
    "arranges guardianship and protected shelter for unaccompanied minors (protected shelter "
    "AMV).": (
        "Dit is een alleenstaande minderjarige zonder rechtmatig verblijf. Verwijs de persoon "
        "door naar Nidos; Nidos regelt de voogdij en beschermde opvang voor alleenstaande "
        "minderjarige vreemdelingen (beschermde opvang amv)."
    ),
    "Pages": "Pagina's",
    "Previous": "Vorige",
    "Page %(n)s of %(total)s": "Pagina %(n)s van %(total)s",
    "Next": "Volgende",
    # Intake templates
    "Reference number": "Referentienummer",
    "Search by reference number": "Zoeken op referentienummer",
    "Date": "Datum",
    "No reports yet.": "Nog geen meldingen.",
    "Fill in what you know; empty fields mean unknown. You check everything, and possible earlier "
    "registrations of the same person, before anything is saved.": (
        "Vul in wat u weet; een leeg veld betekent onbekend. Voordat er iets wordt opgeslagen, "
        "controleert u alles en ziet u mogelijke eerdere registraties van dezelfde persoon."
    ),
    "Please correct the fields marked in red. Everything you typed is still there.": (
        "Verbeter de rood gemarkeerde velden. Alles wat u hebt ingevuld, staat er nog."
    ),
    "Steps": "Stappen",
    "Check and save": "Controleren en opslaan",
    "Back": "Terug",
    "Check before saving": "Controleer voor het opslaan",
    "Registration saved": "Registratie opgeslagen",
    "Registration number": "Registratienummer",
    "Registration date": "Registratiedatum",
    "Minor": "Minderjarig",
    "no": "nee",
    "Personal data": "Persoonsgegevens",
    "none: anonymous registration (no legal duty, no written consent)": (
        "geen: anonieme registratie (geen meldplicht, geen schriftelijke toestemming)"
    ),
    "stored encrypted": "versleuteld opgeslagen",
    "Coordinated by": "Gecoördineerd door",
    "the help desk (no active coordinator in this region)": (
        "de helpdesk (geen actieve coördinator in deze regio)"
    ),
    "Open the case": "Casus openen",
    "Register another": "Nog een registratie",
    "Step 6 of 6: check before saving": "Stap 6 van 6: controleer voor het opslaan",
    "The person is %(age)s years old on the registration date and is flagged as a minor.": (
        "De persoon is op de registratiedatum %(age)s jaar oud en is gemarkeerd als minderjarig."
    ),
    "The person is probably under 18 and is flagged as a minor.": (
        "De persoon is waarschijnlijk jonger dan 18 en is gemarkeerd als minderjarig."
    ),
    "Anonymous registration": "Anonieme registratie",
    "The reporter has no legal duty to report and there is no written consent. Only the "
    "statistical fields are saved; the personal fields below (struck through) are not stored.": (
        "De melder heeft geen wettelijke meldplicht en er is geen schriftelijke toestemming. "
        "Alleen de statistische gegevens worden opgeslagen; de doorgestreepte persoonsgegevens "
        "hieronder worden niet bewaard."
    ),
    "What will be saved": "Wat wordt opgeslagen",
    "not stored": "niet opgeslagen",
    "Possible earlier registrations of this person": (
        "Mogelijke eerdere registraties van deze persoon"
    ),
    "These people already in the registry may be the same person. The registry never merges on "
    "its own: you decide. Your choice is recorded in the audit trail.": (
        "Deze personen staan al in het register en zijn mogelijk dezelfde persoon. Het register "
        "voegt nooit zelf samen: u beslist. Uw keuze wordt vastgelegd in het logboek."
    ),
    "Person": "Persoon",
    "Why it may match": "Waarom het een match kan zijn",
    "Year of birth": "Geboortejaar",
    "Latest registration": "Laatste registratie",
    "likely": "waarschijnlijk",
    "possible": "mogelijk",
    "None of these: this is a new person": "Geen van deze: dit is een nieuwe persoon",
    "No earlier registration of this person was found among the people you may see.": (
        "Er is geen eerdere registratie van deze persoon gevonden onder de personen die u mag zien."
    ),
    "Back to the form": "Terug naar het formulier",
    "Save registration": "Registratie opslaan",
    "You report for %(org)s. After sending you get a reference number; the help desk checks the "
    "report and routes it to a care coordinator. For privacy you cannot read the details back "
    "after sending.": (
        "U meldt namens %(org)s. Na het versturen krijgt u een referentienummer; de helpdesk "
        "controleert de melding en stuurt die door naar een zorgcoördinator. Vanwege de privacy "
        "kunt u de gegevens na het versturen niet meer inzien."
    ),
    "Send report": "Melding versturen",
    "Report received": "Melding ontvangen",
    "Keep the reference number: use it when you contact the help desk. For the person's privacy "
    "the details you sent are not shown again.": (
        "Bewaar het referentienummer: noem het als u contact opneemt met de helpdesk. Vanwege "
        "de privacy van de persoon worden de verstuurde gegevens niet opnieuw getoond."
    ),
    "Triage": "Triage",
    "The submission": "De melding",
    "Organisation": "Organisatie",
    "Received": "Ontvangen",
    "unaccompanied": "alleenstaand",
    "Consent": "Toestemming",
    "care": "zorg",
    "anonymous (no personal data)": "anoniem (geen persoonsgegevens)",
    "Name": "Naam",
    "Possible matches": "Mogelijke matches",
    "born": "geboren",
    "No possible match among the people you may see.": (
        "Geen mogelijke match onder de personen die u mag zien."
    ),
    "Record decision": "Besluit vastleggen",
    "Reports sent by reporting organisations. Urgent ones are listed first. Open one to accept "
    "it, merge it with a person already registered, or reject it.": (
        "Meldingen van meldende organisaties. Urgente meldingen staan bovenaan. Open een melding "
        "om die te accepteren, samen te voegen met een al geregistreerde persoon of af te wijzen."
    ),
    "Nothing is waiting for triage.": "Er wacht niets op triage.",
    # Login
    "Log in": "Inloggen",
    "Log in to the registry": "Inloggen bij het register",
    "Your user name and password did not match. Please try again.": (
        "Uw gebruikersnaam en wachtwoord komen niet overeen. Probeer het opnieuw."
    ),
    "User name": "Gebruikersnaam",
    "Password": "Wachtwoord",
    "This registry holds data about possible victims of human trafficking. Log out when you leave "
    "your computer.": (
        "Dit register bevat gegevens over mogelijke slachtoffers van mensenhandel. Log uit als u "
        "bij uw computer weggaat."
    ),
    # Registry templates
    "Case": "Casus",
    "Requested": "Aangevraagd",
    "None.": "Geen.",
    "Home": "Start",
    "Register": "Registreren",
    "Admin": "Beheer",
    "Page %(number)s of %(total)s": "Pagina %(number)s van %(total)s",
    "reflection periods end within 14 days": "bedenktijden eindigen binnen 14 dagen",
    "new cases unassigned for more than two working days": (
        "nieuwe casussen langer dan twee werkdagen niet toegewezen"
    ),
    "handovers waiting for your decision": "overdrachten wachten op uw besluit",
    "Selected cases:": "Geselecteerde casussen:",
    "Apply": "Toepassen",
    "Cancel": "Annuleren",
    "Append-only: events cannot be changed or deleted. Details hold field names, never values.": (
        "Alleen aanvullen: regels kunnen niet worden gewijzigd of verwijderd. Details bevatten "
        "veldnamen, nooit waarden."
    ),
    "Filter": "Filteren",
    "%(counter)s event": ("%(counter)s regel", "%(counter)s regels"),
    "When": "Wanneer",
    "Details": "Details",
    "No events match.": "Geen regels gevonden.",
    "Immediate danger was reported. In an emergency call 112 first.": (
        "Er is acuut gevaar gemeld. Bel in een noodsituatie eerst 112."
    ),
    "coordinator %(name)s": "coördinator %(name)s",
    "Assign to me": "Aan mij toewijzen",
    "Edit case": "Casus bewerken",
    "A handover from %(from)s to %(to)s is waiting for a decision.": (
        "Een overdracht van %(from)s naar %(to)s wacht op een besluit."
    ),
    "Accept or reject": "Accepteren of afwijzen",
    "View or withdraw": "Bekijken of intrekken",
    "personal data; your viewing is recorded": "persoonsgegevens; uw inzage wordt vastgelegd",
    "Registered anonymously (no consent): no personal data is stored.": (
        "Anoniem geregistreerd (geen toestemming): er zijn geen persoonsgegevens opgeslagen."
    ),
    "Aliases": "Andere namen",
    "Identity document": "Identiteitsbewijs",
    "Languages": "Talen",
    "Notes on the person": "Aantekeningen over de persoon",
    "Age": "Leeftijd",
    "estimated": "geschat",
    "Care coordination": "Zorgcoördinatie",
    "Victim status": "Slachtofferstatus",
    "decided by": "vastgesteld door",
    "Reflection period": "Bedenktijd",
    "Dublin, 30 days": "Dublin, 30 dagen",
    "Opened on": "Geopend op",
    "Notes": "Aantekeningen",
    "Registrations of this person": "Registraties van deze persoon",
    "Number": "Nummer",
    "Reported by": "Gemeld door",
    "No registrations you may see.": "Geen registraties die u mag zien.",
    "Other cases of this person": "Andere casussen van deze persoon",
    "Handovers": "Overdrachten",
    "Decided": "Besloten",
    "This case has not been handed over.": "Deze casus is niet overgedragen.",
    "Edit": "Bewerken",
    "Edit %(case)s": "%(case)s bewerken",
    "A closed case needs a reason; a closed case can be reopened. The reflection period ends "
    "three months after its start, or 30 days for Dublin cases.": (
        "Een afgesloten casus heeft een reden nodig en kan worden heropend. De bedenktijd eindigt "
        "drie maanden na de start, of na 30 dagen bij Dublinzaken."
    ),
    "Coordination": "Coördinatie",
    "Reflection period and residence": "Bedenktijd en verblijf",
    "Currently ends on": "Eindigt nu op",
    "Shelter and care": "Opvang en zorg",
    "Save": "Opslaan",
    "Some filters were not understood; they were left out.": (
        "Sommige filters werden niet herkend en zijn weggelaten."
    ),
    "Clear filters": "Filters wissen",
    "%(counter)s case": ("%(counter)s casus", "%(counter)s casussen"),
    "Registration": "Registratie",
    "Opened": "Geopend",
    "Reflection period ends": "Einde bedenktijd",
    "No cases match these filters.": "Geen casussen gevonden met deze filters.",
    "Handover": "Overdracht",
    "Handover of %(case)s": "Overdracht van %(case)s",
    "You see the person's data once you accept the case.": (
        "U ziet de gegevens van de persoon zodra u de casus accepteert."
    ),
    "Accept the case": "Casus accepteren",
    "Withdraw the request": "Verzoek intrekken",
    "Waiting for your decision": "Wacht op uw besluit",
    "Requested by your side, waiting for the other region": (
        "Door u aangevraagd, wacht op de andere regio"
    ),
    "Recently decided": "Recent besloten",
    "Hand over": "Overdragen",
    "Hand over %(case)s": "%(case)s overdragen",
    "The case stays in %(region)s until the receiving region accepts it.": (
        "De casus blijft in %(region)s totdat de ontvangende regio die accepteert."
    ),
    "Request handover": "Overdracht aanvragen",
    "Open the triage queue": "Naar de triagelijst",
    "All unassigned cases": "Alle niet-toegewezen casussen",
    "Cases the help desk coordinates": "Casussen die de helpdesk coördineert",
    "Open cases of regions without an active coordinator, and open cases no coordinator has taken "
    "yet.": (
        "Open casussen van regio's zonder actieve coördinator, en open casussen die nog geen "
        "coördinator heeft opgepakt."
    ),
    "Regions without an active coordinator:": "Regio's zonder actieve coördinator:",
    "Open cases per region": "Open casussen per regio",
    "Open cases": "Open casussen",
    "Unassigned": "Niet toegewezen",
    "none: help desk": "geen: helpdesk",
    "Welcome, %(name)s": "Welkom, %(name)s",
    "You are signed in as: %(role)s.": "U bent ingelogd als: %(role)s.",
    "Your account has no role yet. Ask an administrator to give you one.": (
        "Uw account heeft nog geen rol. Vraag een beheerder om u een rol te geven."
    ),
    # Reports templates
    "Suppressed when published": "Afgeschermd bij publicatie",
    "Show": "Tonen",
    "Anonymised dataset": "Geanonimiseerde dataset",
    "One row per registration, without personal data or registration number; the year instead of "
    "the date and an age band instead of the age. Every combination of year, age band, gender, "
    "nationality and region occurs at least %(k)s times: rarer rows get their nationality "
    "replaced by a world region, then lose their region, and are left out when that is still not "
    "enough.": (
        "Eén rij per registratie, zonder persoonsgegevens of registratienummer; het jaar in "
        "plaats van de datum en een leeftijdsgroep in plaats van de leeftijd. Elke combinatie van "
        "jaar, leeftijdsgroep, gender, nationaliteit en regio komt minstens %(k)s keer voor: bij "
        "zeldzamere rijen wordt de nationaliteit vervangen door een werelddeel, daarna vervalt de "
        "regio, en als dat nog niet genoeg is, blijft de rij weg."
    ),
    "What the download will hold": "Wat de download bevat",
    "Registrations in the period": "Registraties in de periode",
    "Published unchanged": "Ongewijzigd gepubliceerd",
    "Nationality generalised to world region": "Nationaliteit vervangen door werelddeel",
    "Also region left out": "Ook regio weggelaten",
    "Rows suppressed": "Rijen weggelaten",
    "Rows in the download": "Rijen in de download",
    "Columns": "Kolommen",
    "Download CSV": "CSV downloaden",
    "Download XLSX": "XLSX downloaden",
    "Downloads are recorded in the audit trail.": "Downloads worden vastgelegd in het logboek.",
    "Downloads": "Downloads",
    "Tables as CSV": "Tabellen als CSV",
    "Tables as XLSX": "Tabellen als XLSX",
    "Exact counts: not for publication.": "Exacte aantallen: niet voor publicatie.",
    "Cells marked %(mark)s are suppressed in every published figure and download.": (
        "Cellen met %(mark)s worden afgeschermd in elk gepubliceerd cijfer en elke download."
    ),
    "Show the published figures": "Gepubliceerde cijfers tonen",
    "Published figures: counts from 1 to %(highest)s are shown as %(mark)s, and so is one more "
    "cell where a suppressed count could otherwise be worked out from the total. Percentages are "
    "of all registrations in the period.": (
        "Gepubliceerde cijfers: aantallen van 1 tot en met %(highest)s worden getoond als "
        "%(mark)s, net als één extra cel wanneer een afgeschermd aantal anders uit het totaal "
        "terug te rekenen is. Percentages gaan uit van alle registraties in de periode."
    ),
    "Show exact counts (not for publication)": "Exacte aantallen tonen (niet voor publicatie)",
    "The figures cover the registrations your role gives you access to.": (
        "De cijfers gaan over de registraties waartoe uw rol toegang geeft."
    ),
    "Registrations": "Registraties",
    "Unique persons": "Unieke personen",
    "Year on year": "Per jaar vergeleken",
    "Year": "Jaar",
    "Change": "Verandering",
    "No registrations in this period.": "Geen registraties in deze periode.",
    "Total": "Totaal",
    "Several values may apply to one registration: percentages can add up to more than 100.": (
        "Bij één registratie kunnen meerdere waarden horen: percentages kunnen samen meer dan "
        "100 zijn."
    ),
    # Audit actions of issue 10 (trust)
    "searched": "gezocht",
    "login locked after failed attempts": "inloggen geblokkeerd na mislukte pogingen",
    "unlocked a login": "inloggen gedeblokkeerd",
    "second factor": "tweede factor",
    "personal-export permission": "toestemming voor export met persoonsgegevens",
    "changed an account's powers": "bevoegdheden van een account gewijzigd",
    # Issue 10: two-factor login, lockout, sessions
    "Unlock the login (after too many failed attempts)": (
        "Inloggen deblokkeren (na te veel mislukte pogingen)"
    ),
    "%(users)d account(s) unlocked; %(attempts)d failed attempt(s) cleared.": (
        "%(users)d account(s) gedeblokkeerd; %(attempts)d mislukte poging(en) gewist."
    ),
    "Reset the second factor (the user sets up a new one)": (
        "Tweede factor opnieuw instellen (de gebruiker stelt een nieuwe in)"
    ),
    "%(done)d second factor(s) reset: they set up a new one at their next login. "
    "%(refused)d refused (your own, or an administrator's when you are not a superuser).": (
        "%(done)d tweede factor(en) gewist: bij de volgende keer inloggen stellen zij een "
        "nieuwe in. %(refused)d geweigerd (die van uzelf, of van een beheerder als u geen "
        "superuser bent)."
    ),
    "Victim registry administration": "Beheer van het slachtofferregister",
    "Log in again with the code from your authenticator app.": (
        "Log opnieuw in met de code uit uw authenticator-app."
    ),
    "Your session has ended: sessions last at most %(hours)d hours. Log in again.": (
        "Uw sessie is beëindigd: een sessie duurt hoogstens %(hours)d uur. Log opnieuw in."
    ),
    "Code": "Code",
    "The 6 digits your authenticator app shows now, or an unused backup code.": (
        "De 6 cijfers die uw authenticator-app nu toont, of een ongebruikte reservecode."
    ),
    "That code is not valid. Wait for a new one and try again.": (
        "Die code is niet geldig. Wacht op een nieuwe code en probeer het opnieuw."
    ),
    "Logging in is paused": "Inloggen is tijdelijk geblokkeerd",
    "Too many attempts to log in with this user name from this computer. Try again in "
    "%(minutes)s minutes.": (
        "Te veel pogingen om met deze gebruikersnaam vanaf deze computer in te loggen. "
        "Probeer het over %(minutes)s minuten opnieuw."
    ),
    "If you need to log in sooner, ask an administrator of the registry.": (
        "Moet u eerder inloggen, vraag het dan aan een beheerder van het register."
    ),
    "Back to the login page": "Terug naar de inlogpagina",
    "Step 2 of 2: enter the 6-digit code your authenticator app shows for the registry.": (
        "Stap 2 van 2: vul de 6-cijferige code in die uw authenticator-app voor het register toont."
    ),
    "Enter one of your backup codes. Each code works once.": (
        "Vul een van uw reservecodes in. Elke code werkt één keer."
    ),
    "Backup code": "Reservecode",
    "The code changes every 30 seconds.": "De code verandert elke 30 seconden.",
    "Verify": "Controleren",
    "Use a backup code instead": "Een reservecode gebruiken",
    "Start again": "Opnieuw beginnen",
    "Confirm with your code": "Bevestigen met uw code",
    "This action needs a code from your authenticator app entered in the last %(minutes)s "
    "minutes.": (
        "Voor deze handeling is een code uit uw authenticator-app nodig, ingevuld in de "
        "afgelopen %(minutes)s minuten."
    ),
    "Confirm": "Bevestigen",
    "Backup codes": "Reservecodes",
    "Each backup code logs you in once when you do not have your phone. Making new codes "
    "makes the old ones invalid.": (
        "Met elke reservecode logt u één keer in als u uw telefoon niet bij u hebt. Nieuwe "
        "codes maken de oude ongeldig."
    ),
    "Write them down or print them, and keep them away from your phone.": (
        "Schrijf ze op of print ze, en bewaar ze niet bij uw telefoon."
    ),
    "You have no backup codes left.": "U hebt geen reservecodes meer.",
    "Make new backup codes": "Nieuwe reservecodes maken",
    "Go to the registry": "Naar het register",
    "Set up your second factor": "Uw tweede factor instellen",
    "The registry holds the identities of victims of human trafficking. Before you can open "
    "any of it, you log in with your password and a code from an authenticator app on your "
    "phone (for example FreeOTP, Google Authenticator or Microsoft Authenticator).": (
        "Het register bevat de identiteit van slachtoffers van mensenhandel. Voordat u iets "
        "ervan kunt openen, logt u in met uw wachtwoord en een code uit een authenticator-app "
        "op uw telefoon (bijvoorbeeld FreeOTP, Google Authenticator of Microsoft "
        "Authenticator)."
    ),
    "This takes a minute. You will need your phone.": (
        "Dit duurt een minuut. U hebt uw telefoon nodig."
    ),
    "Open your authenticator app and add an account by scanning this QR code:": (
        "Open uw authenticator-app en voeg een account toe door deze QR-code te scannen:"
    ),
    "QR code for your authenticator app": "QR-code voor uw authenticator-app",
    "Cannot scan? Type this key into the app instead:": (
        "Lukt scannen niet? Typ dan deze sleutel in de app:"
    ),
    "Enter the 6-digit code the app now shows.": (
        "Vul de 6-cijferige code in die de app nu toont."
    ),
    "Verify and finish": "Controleren en afronden",
    "Start": "Beginnen",
    "Second factor set up": "Tweede factor ingesteld",
    "From now on you log in with your password and a code from your authenticator app.": (
        "Vanaf nu logt u in met uw wachtwoord en een code uit uw authenticator-app."
    ),
    "If you lose your phone, backup codes let you log in. Make them now and keep them "
    "somewhere safe, away from your phone.": (
        "Raakt u uw telefoon kwijt, dan kunt u met reservecodes inloggen. Maak ze nu en bewaar "
        "ze op een veilige plek, niet bij uw telefoon."
    ),
    "Make backup codes": "Reservecodes maken",
    "Continue where you were going": "Verder naar waar u heen wilde",
    "Registration (set at intake and in triage)": (
        "Registratie (vastgelegd bij aanmelding en triage)"
    ),
    "Exploitation": "Uitbuiting",
    "Flags, file and shelter": "Signalen, dossier en opvang",
    "Case (moves to another region only by a handover)": (
        "Casus (gaat alleen via een overdracht naar een andere regio)"
    ),
    "Casework": "Casuswerk",
    "Victim status and reflection period": "Slachtofferstatus en bedenktijd",
    "reference number": "referentienummer",
    "Digits of the reference number, e.g. 000123 or 2026-000123.": (
        "Cijfers van het referentienummer, bijvoorbeeld 000123 of 2026-000123."
    ),
    "Search: reference number containing %(number)s — %(counter)s result.": (
        "Zoekopdracht: referentienummer met %(number)s — %(counter)s resultaat.",
        "Zoekopdracht: referentienummer met %(number)s — %(counter)s resultaten.",
    ),
    "Search by reference number: use digits and dashes only. Nothing found.": (
        "Zoeken op referentienummer: alleen cijfers en streepjes. Niets gevonden."
    ),
    "Clear the search": "Zoekopdracht wissen",
    # Issue 10 item 10 (freetext): encrypted free text, municipality codes
    "Only for exploitation in the Netherlands (or where the country is unknown): the "
    "municipality where it took place.": (
        "Alleen bij uitbuiting in Nederland (of als het land onbekend is): de gemeente waar "
        "die plaatsvond."
    ),
    "The organisation or place where care was received. Encrypted.": (
        "De organisatie of plaats waar zorg is ontvangen. Versleuteld."
    ),
    "Why the case moves. Encrypted; still, no names or other personal data.": (
        "Waarom de casus overgaat. Versleuteld; toch geen namen of andere persoonsgegevens."
    ),
    "CBS code": "CBS-code",
    "A CBS code is GM and four digits.": "Een CBS-code is GM met vier cijfers.",
    "The gemeentecode of Statistics Netherlands, e.g. GM0363 (Amsterdam).": (
        "De gemeentecode van het CBS, bijvoorbeeld GM0363 (Amsterdam)."
    ),
    "Merged or abolished municipalities stay for old registrations but are not offered for "
    "new ones.": (
        "Samengevoegde of opgeheven gemeenten blijven bij oude registraties staan, maar worden "
        "bij nieuwe niet meer aangeboden."
    ),
    "municipalities": "gemeenten",
    "Only for exploitation in the Netherlands (or where the country is unknown).": (
        "Alleen bij uitbuiting in Nederland (of als het land onbekend is)."
    ),
    "A municipality of exploitation only applies to exploitation in the Netherlands. Choose "
    "the Netherlands as the country (or leave the country empty when it is unknown), or leave "
    "the municipality empty.": (
        "Een gemeente van uitbuiting hoort alleen bij uitbuiting in Nederland. Kies Nederland "
        "als land (of laat het land leeg als het onbekend is), of laat de gemeente leeg."
    ),
    "Choose a municipality from the list; this code is not in it.": (
        "Kies een gemeente uit de lijst; deze code staat er niet in."
    ),
    # Issue 10, item 5 (no one grants themself power): personal-export grants
    "awaiting approval or in force": "wacht op goedkeuring of geldig",
    "awaiting approval": "wacht op goedkeuring",
    "in force": "geldig",
    "refused, expired or revoked": "geweigerd, verlopen of ingetrokken",
    "Approved: the grantee may export personal data for 24 hours.": (
        "Goedgekeurd: de ontvanger mag 24 uur lang persoonsgegevens exporteren."
    ),
    "Refused.": "Geweigerd.",
    "Revoked: the grantee can no longer export personal data.": (
        "Ingetrokken: de ontvanger kan geen persoonsgegevens meer exporteren."
    ),
    "Request a personal-export grant": "Toestemming voor export met persoonsgegevens aanvragen",
    "You requested this grant: another administrator must approve it.": (
        "U hebt deze toestemming aangevraagd: een andere beheerder moet haar goedkeuren."
    ),
    "This grant is for you: another administrator must approve it.": (
        "Deze toestemming is voor u: een andere beheerder moet haar goedkeuren."
    ),
    "Approve": "Goedkeuren",
    "Refuse": "Weigeren",
    "Revoke now": "Nu intrekken",
    "approved": "goedgekeurd",
    "refused": "geweigerd",
    "expired": "verlopen",
    "revoked": "ingetrokken",
    "granted to": "toegekend aan",
    "The administrator who may export personal data once this is approved.": (
        "De beheerder die na goedkeuring persoonsgegevens mag exporteren."
    ),
    "What the export is for (for example the reference of a court order). Stored encrypted; "
    "shown to administrators only.": (
        "Waarvoor de export nodig is (bijvoorbeeld het kenmerk van een rechterlijk bevel). "
        "Versleuteld opgeslagen; alleen zichtbaar voor beheerders."
    ),
    "requested by": "aangevraagd door",
    "approved or refused by": "goedgekeurd of geweigerd door",
    "approved or refused": "goedgekeurd of geweigerd",
    "expires": "verloopt",
    "revoked by": "ingetrokken door",
    "ended": "beëindigd",
    "personal-export grant": "toestemming voor export met persoonsgegevens",
    "personal-export grants": "toestemmingen voor export met persoonsgegevens",
    "Only an active administrator may request a grant.": (
        "Alleen een actieve beheerder mag toestemming aanvragen."
    ),
    "A grant can only be given to an active administrator.": (
        "Toestemming kan alleen aan een actieve beheerder worden gegeven."
    ),
    "Give the reason for the export.": "Geef de reden voor de export.",
    "This user already has a grant awaiting approval or in force.": (
        "Deze gebruiker heeft al een toestemming die op goedkeuring wacht of geldig is."
    ),
    "Only an active administrator may approve a grant.": (
        "Alleen een actieve beheerder mag toestemming goedkeuren."
    ),
    "The grantee is no longer an active administrator.": (
        "De ontvanger is geen actieve beheerder meer."
    ),
    "Only an active administrator may refuse a grant.": (
        "Alleen een actieve beheerder mag toestemming weigeren."
    ),
    "Only an active administrator may revoke a grant.": (
        "Alleen een actieve beheerder mag toestemming intrekken."
    ),
    "This grant was already decided, has expired or was revoked: nothing was done. Reload "
    "the page to see where it stands.": (
        "Over deze toestemming is al beslist, of ze is verlopen of ingetrokken: er is niets "
        "gedaan. Laad de pagina opnieuw om te zien hoe het ervoor staat."
    ),
    "Nothing left to decide on this grant.": "Over deze toestemming valt niets meer te beslissen.",
    # Searches leave no name behind (issue 10, item 6)
    "Exact family name, or identity document number (optionally after its country: RO AB123456).": (
        "Exacte achternaam, of nummer van het identiteitsbewijs (eventueel na het land: "
        "RO AB123456)."
    ),
    "A record id or a user name, exactly.": "Een id van een gegeven of een gebruikersnaam, exact.",
    "text": "tekst",
    "The search was not understood: it is too long.": (
        "De zoekopdracht is niet begrepen: die is te lang."
    ),
    "Search: %(kind)s — %(counter)s result": (
        "Zoekopdracht: %(kind)s — %(counter)s resultaat",
        "Zoekopdracht: %(kind)s — %(counter)s resultaten",
    ),
    "Search: %(kind)s — %(counter)s case": (
        "Zoekopdracht: %(kind)s — %(counter)s casus",
        "Zoekopdracht: %(kind)s — %(counter)s casussen",
    ),
    "Clear search": "Zoekopdracht wissen",
    "New search": "Nieuwe zoekopdracht",
    "%(counter)s result": ("%(counter)s resultaat", "%(counter)s resultaten"),
    "%(full_result_count)s total": "%(full_result_count)s totaal",
    "Show all": "Alles tonen",
    # The outbox (issue 12): outgoing mail and its delivery
    "Retry the delivery now (mail not sent yet)": (
        "Nu opnieuw proberen te versturen (nog niet verstuurde mail)"
    ),
    "%(count)d e-mail(s) queued for another attempt; mail already sent is left alone.": (
        "%(count)d e-mail(s) klaargezet voor een nieuwe poging; "
        "al verstuurde mail blijft ongemoeid."
    ),
    "new case for a coordinator": "nieuwe casus voor een zorgcoördinator",
    "daily reminders": "dagelijkse herinneringen",
    "waiting to be sent": "wacht op verzending",
    "given up: retry by hand": "opgegeven: handmatig opnieuw proberen",
    "subject": "onderwerp",
    "queued at": "klaargezet op",
    "attempts": "pogingen",
    "Since it was queued or last retried by hand.": (
        "Sinds het klaarzetten of de laatste handmatige nieuwe poging."
    ),
    "last error": "laatste fout",
    "last attempt": "laatste poging",
    "next attempt": "volgende poging",
    "sent at": "verstuurd op",
    "outgoing e-mail": "uitgaande e-mail",
    # Issue 12: saved once, decided once, faults answered clearly, key canary
    "With this registration date, this gives a year of birth before %(year)d. Check the "
    "registration date and the age or date of birth.": (
        "Met deze registratiedatum geeft dit een geboortejaar vóór %(year)d. Controleer de "
        "registratiedatum en de leeftijd of geboortedatum."
    ),
    "Nothing was saved: this form could not be confirmed as sent once from its own page (it "
    "may have been open for more than a day). Check what you typed and send it again.": (
        "Er is niets opgeslagen: niet vast te stellen dat dit formulier één keer vanaf zijn eigen "
        "pagina is verstuurd (het stond misschien langer dan een dag open). Controleer wat u "
        "hebt ingevuld en verstuur het opnieuw."
    ),
    "This submission was already decided (%(decision)s) by %(user)s; nothing was changed.": (
        "Over deze melding is al beslist (%(decision)s) door %(user)s; er is niets gewijzigd."
    ),
    "merged": "samengevoegd",
    "This handover was already decided (%(status)s) by %(user)s; nothing was changed.": (
        "Over deze overdracht is al beslist (%(status)s) door %(user)s; er is niets gewijzigd."
    ),
    "used form token": "gebruikt formuliertoken",
    "used form tokens": "gebruikte formuliertokens",
    "token": "token",
    "result": "resultaat",
    "used": "gebruikt",
    "key canary": "sleutelcontrole",
    "key canaries": "sleutelcontroles",
    "blind index of the canary": "blinde index van de sleutelcontrole",
    "sealed canary": "versleutelde sleutelcontrole",
    "written": "geschreven",
    "Temporarily unavailable": "Tijdelijk niet beschikbaar",
    "The registry is temporarily unavailable": "Het register is tijdelijk niet beschikbaar",
    "No registration numbers left": "Geen registratienummers meer over",
    "In immediate danger, call 112.": "Bij acuut gevaar: bel 112.",
    (
        "No registration numbers are left for %(year)s: every six-digit number of the year "
        "has been given out, so this registration could not get one."
    ): (
        "Er zijn geen registratienummers meer over voor %(year)s: elk zescijferig nummer van "
        "het jaar is al uitgegeven, dus deze registratie kon er geen krijgen."
    ),
    (
        "Sending the form again will not help. Tell the registry's administrator, who can look "
        "at the year's numbers; keep what you typed (go back in your browser) until they have."
    ): (
        "Het formulier opnieuw versturen helpt niet. Meld het aan de beheerder van het "
        "register, die de nummers van het jaar kan nakijken; bewaar wat u hebt ingevuld (ga "
        "terug in uw browser) tot die dat heeft gedaan."
    ),
    "Nothing was saved.": "Er is niets opgeslagen.",
    "The registry could not reach its database, so what you sent was not kept.": (
        "Het register kon zijn database niet bereiken; wat u verstuurde is niet bewaard."
    ),
    "Please try again in %(seconds)s second: go back in your browser and send the form again. "
    "What you typed is usually still in the form. A form you send again is never saved twice.": (
        "Probeer het over %(seconds)s seconde opnieuw: ga in uw browser terug en verstuur het "
        "formulier nog eens. Wat u hebt ingevuld staat meestal nog in het formulier. Een "
        "formulier dat u opnieuw verstuurt, wordt nooit twee keer opgeslagen.",
        "Probeer het over %(seconds)s seconden opnieuw: ga in uw browser terug en verstuur het "
        "formulier nog eens. Wat u hebt ingevuld staat meestal nog in het formulier. Een "
        "formulier dat u opnieuw verstuurt, wordt nooit twee keer opgeslagen.",
    ),
    "If this keeps happening, tell your administrator. In immediate danger, call 112.": (
        "Blijft dit gebeuren, meld het dan aan uw beheerder. Bij acuut gevaar: bel 112."
    ),
    # Issue 12: background jobs (imports, exports)
    "rows": "rijen",
    "registrations created": "registraties aangemaakt",
    "persons created": "personen aangemaakt",
    "rows linked to a person already registered": (
        "rijen gekoppeld aan een al geregistreerde persoon"
    ),
    "k (smallest group)": "k (kleinste groep)",
    "registrations in the period": "registraties in de periode",
    "rows in the file": "rijen in het bestand",
    "rows unchanged": "rijen ongewijzigd",
    "rows with nationality generalised to world region": (
        "rijen met nationaliteit veralgemeend tot werelddeel"
    ),
    "rows also without region": "rijen ook zonder regio",
    "rows left out": "rijen weggelaten",
    "import of registrations": "import van registraties",
    "personal export": "export met persoonsgegevens",
    "anonymised dataset": "geanonimiseerde dataset",
    "statistics tables": "statistiektabellen",
    "waiting for a worker": "wacht op een verwerker",
    "running": "bezig",
    "done": "klaar",
    "failed": "mislukt",
    "started by": "gestart door",
    "total": "totaal",
    "parameters": "parameters",
    "summary": "samenvatting",
    "errors": "fouten",
    "failure": "reden van mislukken",
    "started": "gestart",
    "running since": "bezig sinds",
    "finished": "klaar op",
    "background job": "achtergrondtaak",
    "background jobs": "achtergrondtaken",
    "input": "invoer",
    "file name": "bestandsnaam",
    "size": "grootte",
    "kept until": "bewaard tot",
    "job file": "taakbestand",
    "job files": "taakbestanden",
    "The worker stopped while running this job; nothing of it was kept. Try again.": (
        "De verwerker stopte tijdens deze taak; er is niets van bewaard. Probeer het opnieuw."
    ),
    "The job stopped on an unexpected error (%(error)s). Try again.": (
        "De taak stopte door een onverwachte fout (%(error)s). Probeer het opnieuw."
    ),
    "The file has errors; nothing was imported.": (
        "Het bestand bevat fouten; er is niets geïmporteerd."
    ),
    "CSV file": "CSV-bestand",
    "UTF-8 text with a header row, in the interchange format.": (
        "UTF-8-tekst met een kopregel, in het uitwisselformaat."
    ),
    "The file is %(size)s; the import takes files up to %(limit)s.": (
        "Het bestand is %(size)s; de import neemt bestanden tot %(limit)s."
    ),
    "You no longer hold a personal-export grant in force; nothing was exported.": (
        "U heeft geen geldige toestemming voor de export met persoonsgegevens meer; er is "
        "niets geëxporteerd."
    ),
    "You may no longer read statistics; nothing was exported.": (
        "U mag de statistiek niet meer inzien; er is niets geëxporteerd."
    ),
    "Waiting": "Wachten",
    "Not started yet: waiting for a worker.": "Nog niet begonnen: wacht op een verwerker.",
    "The job failed.": "De taak is mislukt.",
    "Nothing was saved. Correct the file and upload it again.": (
        "Er is niets opgeslagen. Verbeter het bestand en upload het opnieuw."
    ),
    "Upload a file again": "Opnieuw een bestand uploaden",
    "Export again": "Opnieuw exporteren",
    "Result": "Resultaat",
    "Errors": "Fouten",
    "Row": "Rij",
    "Column": "Kolom",
    "Problem": "Probleem",
    "header": "kopregel",
    "The file is no longer available: start the export again.": (
        "Het bestand is niet meer beschikbaar: start de export opnieuw."
    ),
    "Your recent jobs": "Uw recente taken",
    "Started %(started)s.": "Gestart %(started)s.",
    "Reload this page to see how far the job got.": (
        "Laad deze pagina opnieuw om te zien hoe ver de taak is."
    ),
    "The job is done.": "De taak is klaar.",
    "A CSV file of past registrations, checked and saved in the background.": (
        "Een CSV-bestand met eerdere registraties, op de achtergrond gecontroleerd en opgeslagen."
    ),
    "Upload a file": "Een bestand uploaden",
    "You may no longer import registrations; nothing was imported.": (
        "U mag geen registraties meer importeren; er is niets geïmporteerd."
    ),
    "The file is larger than the import takes (up to %(limit)s).": (
        "Het bestand is groter dan de import neemt (tot %(limit)s)."
    ),
    "%(done)s of %(total)s done (%(percent)s%%)": "%(done)s van %(total)s klaar (%(percent)s%%)",
    "Download %(name)s": "%(name)s downloaden",
    "Available until %(until)s.": "Beschikbaar tot %(until)s.",
    "Job": "Taak",
    "Started": "Gestart",
    "Progress": "Voortgang",
    "You have started no imports or exports recently.": (
        "U heeft de laatste tijd geen import of export gestart."
    ),
    "Import registrations": "Registraties importeren",
    "All or nothing: the file is checked row by row first, and any error stops the import "
    "before anything is saved. The import runs in the background; the next page shows how far "
    "it got.": (
        "Alles of niets: het bestand wordt eerst rij voor rij gecontroleerd, en elke fout stopt "
        "de import voordat er iets is opgeslagen. De import loopt op de achtergrond; de volgende "
        "pagina toont hoe ver hij is."
    ),
    "Upload and import": "Uploaden en importeren",
    "Columns the file may have": "Kolommen die het bestand mag hebben",
    "No worker took this job in time; its file was deleted. Try again.": (
        "Geen verwerker heeft deze taak op tijd opgepakt; het bestand is verwijderd. Probeer "
        "het opnieuw."
    ),
    "You may not download this file now: a personal export needs your export grant in force "
    "and a login code of the last 15 minutes.": (
        "U mag dit bestand nu niet downloaden: een export met persoonsgegevens vraagt een "
        "geldige exporttoestemming en een inlogcode van de laatste 15 minuten."
    ),
    # Issue 12: import
    "The file is larger than %(bytes)s bytes; nothing was imported.": (
        "Het bestand is groter dan %(bytes)s bytes; er is niets geïmporteerd."
    ),
    # Issue 12: capacity
    "open case count": "aantal open casussen",
    "open case counts": "aantallen open casussen",
    # Issue 13: the person page and the case timeline
    "What stays true of the person (needs, how to make contact safely). What happens in the "
    "case goes in a note on the case.": (
        "Wat voor de persoon blijft gelden (behoeften, hoe veilig contact te leggen). Wat er in "
        "de casus gebeurt, hoort in een notitie bij de casus."
    ),
    "New note": "Nieuwe notitie",
    "Encrypted; read by whoever may see this case. A note cannot be changed or deleted: to "
    "correct one, add a new note.": (
        "Versleuteld; te lezen door wie deze casus mag zien. Een notitie kan niet worden "
        "gewijzigd of verwijderd: voeg een nieuwe notitie toe om er een te corrigeren."
    ),
    "Write the note first.": "Schrijf eerst de notitie.",
    "written by": "geschreven door",
    "note": "notitie",
    "case note": "casusnotitie",
    "case notes": "casusnotities",
    "Note of %(when)s": "Notitie van %(when)s",
    "The registry": "Het register",
    "a former user": "een voormalige gebruiker",
    "%(author)s wrote": "%(author)s schreef",
    "Notes from the former notes box of the case (author and date not recorded)": (
        "Notities uit het vroegere notitieveld van de casus (schrijver en datum niet vastgelegd)"
    ),
    "%(actor)s accepted the reporter's submission, which opened or joined this case": (
        "%(actor)s heeft de melding van de melder geaccepteerd, waarmee deze casus is geopend "
        "of aangevuld"
    ),
    "%(actor)s decided on the reporter's submission": (
        "%(actor)s heeft over de melding van de melder besloten"
    ),
    "%(actor)s recorded a new registration of this person, already known to the registry": (
        "%(actor)s heeft een nieuwe registratie vastgelegd van deze persoon, al bekend in het "
        "register"
    ),
    "%(actor)s recorded a registration of this person": (
        "%(actor)s heeft een registratie van deze persoon vastgelegd"
    ),
    "%(actor)s corrected the person's details: %(fields)s": (
        "%(actor)s heeft de gegevens van de persoon gecorrigeerd: %(fields)s"
    ),
    "%(actor)s: %(action)s": "%(actor)s: %(action)s",
    "%(actor)s took on the case": "%(actor)s heeft de casus op zich genomen",
    "%(actor)s left the case to the help desk (no coordinator)": (
        "%(actor)s heeft de casus aan de helpdesk gelaten (geen zorgcoördinator)"
    ),
    "%(actor)s assigned the case to %(coordinator)s": (
        "%(actor)s heeft de casus toegewezen aan %(coordinator)s"
    ),
    "%(actor)s changed the coordinator": "%(actor)s heeft de zorgcoördinator gewijzigd",
    "%(actor)s changed the status from %(before)s to %(after)s": (
        "%(actor)s heeft de status gewijzigd van %(before)s naar %(after)s"
    ),
    "%(actor)s changed the status": "%(actor)s heeft de status gewijzigd",
    "%(actor)s changed the %(fields)s": "%(actor)s heeft gewijzigd: %(fields)s",
    "%(actor)s asked %(to)s to take over the case from %(from)s": (
        "%(actor)s heeft %(to)s gevraagd de casus over te nemen van %(from)s"
    ),
    "%(actor)s accepted the handover: the case moved from %(from)s to %(to)s": (
        "%(actor)s heeft de overdracht geaccepteerd: de casus ging van %(from)s naar %(to)s"
    ),
    "%(actor)s rejected the handover from %(from)s to %(to)s": (
        "%(actor)s heeft de overdracht van %(from)s naar %(to)s afgewezen"
    ),
    "%(actor)s withdrew the handover request to %(to)s": (
        "%(actor)s heeft het verzoek tot overdracht aan %(to)s ingetrokken"
    ),
    "%(actor)s: handover from %(from)s to %(to)s": (
        "%(actor)s: overdracht van %(from)s naar %(to)s"
    ),
    "Reminder sent to %(recipient)s: the reflection period ends on %(date)s": (
        "Herinnering gestuurd aan %(recipient)s: de bedenktijd eindigt op %(date)s"
    ),
    "Reminder sent to %(recipient)s: new since %(date)s and still unassigned": (
        "Herinnering gestuurd aan %(recipient)s: nieuw sinds %(date)s en nog niet toegewezen"
    ),
    "The note has been added to the timeline.": "De notitie is aan de tijdlijn toegevoegd.",
    "The note was not added: see the message at the note form.": (
        "De notitie is niet toegevoegd: zie de melding bij het notitieformulier."
    ),
    "The person's details have been saved.": "De gegevens van de persoon zijn opgeslagen.",
    "Nothing was changed.": "Er is niets gewijzigd.",
    "Nothing was saved: please correct the marked fields.": (
        "Er is niets opgeslagen: verbeter de gemarkeerde velden."
    ),
    "Open or correct the person": "Persoon openen of corrigeren",
    "Open the person": "Persoon openen",
    "Timeline": "Tijdlijn",
    "Notes and what happened to the case, newest first. Notes cannot be changed or deleted: to "
    "correct one, add a new note.": (
        "Notities en wat er met de casus is gebeurd, nieuwste eerst. Notities kunnen niet worden "
        "gewijzigd of verwijderd: voeg een nieuwe notitie toe om er een te corrigeren."
    ),
    "Add note": "Notitie toevoegen",
    "reminder": "herinnering",
    "history": "verloop",
    "Nothing on the timeline yet.": "Nog niets op de tijdlijn.",
    "Notes are added on the case page, to its timeline.": (
        "Notities voegt u toe op de pagina van de casus, aan de tijdlijn."
    ),
    "Correct the details": "Gegevens corrigeren",
    "Back to the case": "Terug naar de casus",
    "Only whoever holds an open case of this person corrects the details here.": (
        "Alleen wie een open casus van deze persoon heeft, corrigeert hier de gegevens."
    ),
    "Identity": "Identiteit",
    "Contact": "Contact",
    "Cases and registrations": "Casussen en registraties",
    "No case you may see.": "Geen casus die u mag zien.",
    "Recorded on %(created)s; last changed %(updated)s.": (
        "Vastgelegd op %(created)s; laatst gewijzigd %(updated)s."
    ),
    "Correct": "Corrigeren",
    "Correct the details of %(person)s": "Gegevens van %(person)s corrigeren",
    "Everything here is encrypted, except gender, nationality, country of birth and the year of "
    "birth, which the statistics count. The audit trail records which fields you changed, never "
    "what you typed.": (
        "Alles hier wordt versleuteld opgeslagen, behalve geslacht, nationaliteit, geboorteland "
        "en geboortejaar, die de statistiek telt. Het logboek legt vast welke velden u "
        "wijzigde, nooit wat u typte."
    ),
    "Age and origin": "Leeftijd en herkomst",
    # Issue 13: search that finds people
    "case code": "casuscode",
    "part of the family name": "deel van de achternaam",
    "given name": "voornaam",
    "family name, sounds alike": "achternaam, klinkt gelijk",
    "search token": "zoekindex",
    "search tokens": "zoekindexen",
    "A name or one of its words (Okonkwo, or Okonkwo 1990 with the year of birth), a "
    "registration number or its start (2026-0001), or a case code (B820FE4B).": (
        "Een naam of een woord ervan (Okonkwo, of Okonkwo 1990 met het geboortejaar), een "
        "registratienummer of het begin ervan (2026-0001), of een casuscode (B820FE4B)."
    ),
    # Issue 13: handover with sight and no dead ends
    "Handover accepted: the case is now in %(region)s and assigned to you. Its registrations "
    "are below.": (
        "Overdracht geaccepteerd: de casus is nu in %(region)s en aan u toegewezen. De "
        "registraties staan hieronder."
    ),
    "Handover accepted: the case is now in %(region)s without a coordinator. A coordinator of "
    "the region takes it on from the case list; until then the help desk coordinates it.": (
        "Overdracht geaccepteerd: de casus is nu in %(region)s, zonder zorgcoördinator. Een "
        "zorgcoördinator van de regio neemt hem op vanuit de casuslijst; tot dan coördineert de "
        "helpdesk hem."
    ),
    "Bad request": "Ongeldig verzoek",
    "The registry could not understand this request": "Het register begreep dit verzoek niet",
    "What the browser sent was incomplete or changed on the way.": (
        "Wat de browser stuurde, was onvolledig of onderweg veranderd."
    ),
    "Go back in your browser, reload the page and try again.": (
        "Ga in uw browser terug, laad de pagina opnieuw en probeer het nog eens."
    ),
    "Not allowed": "Niet toegestaan",
    "Your account may not open this page": "Uw account mag deze pagina niet openen",
    "This page belongs to another role's work. The links in the menu above are the pages your "
    "account may open.": (
        "Deze pagina hoort bij het werk van een andere rol. De links in het menu hierboven zijn "
        "de pagina's die uw account mag openen."
    ),
    "If you need this page for your work, ask an administrator to change your account's role.": (
        "Heeft u deze pagina nodig voor uw werk, vraag dan een beheerder de rol van uw account "
        "aan te passen."
    ),
    "Not found": "Niet gevonden",
    "This page does not exist, or it is not yours to see": (
        "Deze pagina bestaat niet, of is niet voor u bestemd"
    ),
    "The link may be mistyped or out of date, or it leads to a record outside your work: a "
    "case of another region, or one handed over since.": (
        "De link is misschien verkeerd getypt of verouderd, of hij leidt naar een gegeven buiten "
        "uw werk: een casus van een andere regio, of een die inmiddels is overgedragen."
    ),
    "The registry answers both in the same way, so that nobody can tell from this page which "
    "records exist.": (
        "Het register antwoordt in beide gevallen hetzelfde, zodat niemand aan deze pagina kan "
        "zien welke gegevens er bestaan."
    ),
    "Your case list": "Uw casuslijst",
    "Server error": "Serverfout",
    "Something went wrong in the registry": "Er ging iets mis in het register",
    "The registry hit an error it did not expect while answering.": (
        "Het register liep bij het antwoorden tegen een onverwachte fout aan."
    ),
    "Go back in your browser and try again. If it happens again, tell your administrator what "
    "you were doing.": (
        "Ga in uw browser terug en probeer het opnieuw. Gebeurt het weer, vertel dan uw beheerder "
        "wat u aan het doen was."
    ),
    "To the home page": "Naar de startpagina",
    "Who received the case": "Wie de casus heeft ontvangen",
    "No case was opened for this registration.": "Voor deze registratie is geen casus geopend.",
    "The case is yours: you are its coordinator in %(region)s.": (
        "De casus is van u: u bent de zorgcoördinator in %(region)s."
    ),
    "The case is with %(name)s, coordinator in %(region)s.": (
        "De casus ligt bij %(name)s, zorgcoördinator in %(region)s."
    ),
    "The case is in %(region)s without a coordinator: the help desk coordinates it, and it is "
    "in your list.": (
        "De casus is in %(region)s zonder zorgcoördinator: de helpdesk coördineert hem, en hij "
        "staat in uw lijst."
    ),
    "The case went to %(region)s, to its coordinator %(name)s.": (
        "De casus is naar %(region)s gegaan, naar zorgcoördinator %(name)s."
    ),
    "They have been sent an e-mail with the registration number and a link; the e-mail holds "
    "no personal data.": (
        "Die heeft een e-mail gekregen met het registratienummer en een link; de e-mail bevat geen "
        "persoonsgegevens."
    ),
    "They find it in their case list.": "Die vindt hem in de eigen casuslijst.",
    "It joined the person's open case there.": (
        "De registratie is toegevoegd aan de open casus van de persoon daar."
    ),
    "The case went to %(region)s, which has no active coordinator: the help desk coordinates it.": (
        "De casus is naar %(region)s gegaan, dat geen actieve zorgcoördinator heeft: de helpdesk "
        "coördineert hem."
    ),
    "The case is not in your list, so it has no link here: the person's data is open only to "
    "whoever coordinates the case. Keep the registration number to refer to it.": (
        "De casus staat niet in uw lijst en heeft hier dus geen link: de gegevens van de persoon "
        "zijn alleen open voor wie de casus coördineert. Bewaar het registratienummer om ernaar te "
        "verwijzen."
    ),
    "What next?": "Wat nu?",
    "Help desk page": "Helpdeskpagina",
    "From %(from)s to %(to)s · %(status)s": "Van %(from)s naar %(to)s · %(status)s",
    "The case": "De casus",
    "no name, date of birth or contact details until the case is accepted": (
        "geen naam, geboortedatum of contactgegevens tot de casus is geaccepteerd"
    ),
    "Flags": "Signalen",
    "ended %(days)s day ago": (
        "%(days)s dag geleden afgelopen",
        "%(days)s dagen geleden afgelopen",
    ),
    "ends today": "eindigt vandaag",
    "in %(days)s day": ("over %(days)s dag", "over %(days)s dagen"),
    "Case status": "Status van de casus",
    "now coordinated by the help desk": "nu gecoördineerd door de helpdesk",
    "The request": "Het verzoek",
    "Choose to accept or to reject the handover.": "Kies of u de overdracht accepteert of afwijst.",
    "If you accept, the case moves to %(region)s and becomes yours: you then see the person's "
    "data and registrations.": (
        "Als u accepteert, gaat de casus naar %(region)s en wordt hij van u: u ziet dan de "
        "gegevens en registraties van de persoon."
    ),
    "If you accept, the case moves to %(region)s without a coordinator, for the region to "
    "assign; until then the help desk coordinates it.": (
        "Als u accepteert, gaat de casus zonder zorgcoördinator naar %(region)s, die er een "
        "toewijst; tot dan coördineert de helpdesk hem."
    ),
    "%(actor)s accepted the handover and took on the case: it moved from %(from)s to %(to)s": (
        "%(actor)s heeft de overdracht geaccepteerd en de casus op zich genomen: de casus ging "
        "van %(from)s naar %(to)s"
    ),
    "%(actor)s accepted the handover: the case moved from %(from)s to %(to)s, without a "
    "coordinator": (
        "%(actor)s heeft de overdracht geaccepteerd: de casus ging van %(from)s naar %(to)s, "
        "zonder zorgcoördinator"
    ),
    "Before deciding, the receiving region sees your reason and the case's profile: age band, "
    "gender, nationality, forms of exploitation, urgency, shelter need and deadlines; never the "
    "name, date of birth, contact details or documents.": (
        "Voor het besluit ziet de ontvangende regio uw reden en het profiel van de casus: "
        "leeftijdsgroep, gender, nationaliteit, vormen van uitbuiting, urgentie, opvangbehoefte "
        "en termijnen; nooit de naam, geboortedatum, contactgegevens of documenten."
    ),
    # Issue 12: admin tokens, import messages
    "This form had been sent already: nothing was saved a second time. Here is what the first "
    "sending saved.": (
        "Dit formulier was al verstuurd: er is niets een tweede keer opgeslagen. Hier ziet u wat "
        "de eerste keer is opgeslagen."
    ),
    "line %(line)d": "regel %(line)d",
    "row %(row)d (line %(line)d)": "rij %(row)d (regel %(line)d)",
    "%(where)s, column '%(column)s': %(message)s": "%(where)s, kolom '%(column)s': %(message)s",
    "... and %(count)d more": "... en nog %(count)d",
    "%(count)d error; nothing was imported.": (
        "%(count)d fout; er is niets geïmporteerd.",
        "%(count)d fouten; er is niets geïmporteerd.",
    ),
    "the first row is not the header of the interchange format (no known column name); its "
    "cells are not shown": (
        "de eerste rij is niet de kopregel van het uitwisselformaat (geen bekende kolomnaam); "
        "de cellen ervan worden niet getoond"
    ),
    "the file is not UTF-8 text": "het bestand is geen UTF-8-tekst",
    "the file contains a NUL character": "het bestand bevat een NUL-teken",
    "the file is empty": "het bestand is leeg",
    "this line is not valid CSV": "deze regel is geen geldige CSV",
    "the column has no name": "de kolom heeft geen naam",
    "unknown column": "onbekende kolom",
    "the column is named twice": "de kolom komt twee keer voor",
    "required column is missing": "verplichte kolom ontbreekt",
    "a cell beyond the header's columns": "een cel voorbij de kolommen van de kopregel",
    "longer than %(count)s characters": "langer dan %(count)s tekens",
    "the file is larger than %(count)s bytes": "het bestand is groter dan %(count)s bytes",
    "the file has more than %(count)s rows": "het bestand heeft meer dan %(count)s rijen",
    "unknown region code": "onbekende regiocode",
    "required when date_of_birth is empty": "verplicht als date_of_birth leeg is",
    "an imported number may not be above YYYY-%(ceiling)s (the rest of the year is the "
    "registry's own)": (
        "een geïmporteerd nummer mag niet hoger zijn dan YYYY-%(ceiling)s (de rest van het jaar "
        "is voor de registratie zelf)"
    ),
    "with this age the year of birth would be before %(year)d": (
        "met deze leeftijd zou het geboortejaar vóór %(year)d liggen"
    ),
    "the same number is on row %(row)d": "hetzelfde nummer staat op rij %(row)d",
    "this number is already registered": "dit nummer is al geregistreerd",
    "the file has no rows": "het bestand heeft geen rijen",
    "a number was taken while importing; retry": (
        "een nummer werd tijdens het importeren al gebruikt; probeer het opnieuw"
    ),
    "Dry run, nothing saved: would create %(registrations)d registration(s) and %(persons)d "
    "person(s); %(linked)d row(s) linked to a person already registered.": (
        "Proefrun, niets opgeslagen: zou %(registrations)d registratie(s) en %(persons)d "
        "persoon/personen aanmaken; %(linked)d rij(en) gekoppeld aan een al geregistreerde "
        "persoon."
    ),
    "Created %(registrations)d registration(s) and %(persons)d person(s); %(linked)d row(s) "
    "linked to a person already registered.": (
        "%(registrations)d registratie(s) en %(persons)d persoon/personen aangemaakt; "
        "%(linked)d rij(en) gekoppeld aan een al geregistreerde persoon."
    ),
    "a value is required": "een waarde is verplicht",
    "expected a registration number like 2026-000123": (
        "verwacht een registratienummer zoals 2026-000123"
    ),
    "expected a date as YYYY-MM-DD": "verwacht een datum als JJJJ-MM-DD",
    "expected a whole number from 0 to 999": "verwacht een geheel getal van 0 tot en met 999",
    "expected 'yes' or 'no'": "verwacht 'yes' of 'no'",
    "expected an ISO 3166-1 alpha-2 country code": "verwacht een ISO 3166-1 alpha-2-landcode",
    "unknown code; expected one of %(codes)s": "onbekende code; verwacht een van %(codes)s",
    "unknown code(s); expected codes from %(codes)s": (
        "onbekende code(s); verwacht codes uit %(codes)s"
    ),
    "%(count)d column(s) of the header are not columns of the interchange format (is the header "
    "row missing?)": (
        "%(count)d kolom(men) van de kopregel zijn geen kolommen van het uitwisselformaat "
        "(ontbreekt de kopregel?)"
    ),
    # Issue 12: key rotation as a job
    "key rotation": "sleutelrotatie",
    "active key (id)": "actieve sleutel (id)",
    "values per key id before": "waarden per sleutel-id vooraf",
    "values per key id after": "waarden per sleutel-id achteraf",
    "values re-encrypted": "waarden opnieuw versleuteld",
    "batches written": "batches geschreven",
    "values saved by the application during the run (left as saved)": (
        "waarden die de applicatie tijdens de run opsloeg (gelaten zoals opgeslagen)"
    ),
    "values still under an old key": "waarden nog onder een oude sleutel",
    "Rotation stopped at a value that does not open (%(error)s). The batches before it are "
    "committed; fix the keyring (or the row) and run manage.py rotate_keys again.": (
        "De rotatie stopte bij een waarde die niet opengaat (%(error)s). De batches daarvoor "
        "zijn vastgelegd; herstel de sleutelring (of de rij) en voer manage.py rotate_keys "
        "opnieuw uit."
    ),
    "The worker's keyring has another active key than the command's (%(error)s); nothing was "
    "changed. Restart every worker and app server with the new keyring, then run manage.py "
    "rotate_keys again.": (
        "De sleutelring van de worker heeft een andere actieve sleutel dan die van de opdracht "
        "(%(error)s); er is niets veranderd. Herstart elke worker en app-server met de nieuwe "
        "sleutelring en voer daarna manage.py rotate_keys opnieuw uit."
    ),
    "Once the cause is fixed, an operator runs manage.py rotate_keys again on the server; it "
    "continues with what is left.": (
        "Als de oorzaak is verholpen, voert een beheerder manage.py rotate_keys opnieuw uit op "
        "de server; de rotatie gaat verder met wat over is."
    ),
    # Issue 12: what the import and job pages say
    "Line": "Regel",
    "the file": "het bestand",
    "Correct the rows and columns listed below in your file, then upload the whole file again. "
    "The line is where the row starts in the file (in a spreadsheet, the row number); the "
    "values themselves are never shown here.": (
        "Verbeter de rijen en kolommen hieronder in uw bestand en upload daarna het hele bestand "
        "opnieuw. De regel is waar de rij in het bestand begint (in een spreadsheet het "
        "rijnummer); de waarden zelf worden hier nooit getoond."
    ),
    "At most %(size)s and %(rows)s rows; split a larger file.": (
        "Hoogstens %(size)s en %(rows)s rijen; splits een groter bestand."
    ),
    # Issue 13: lists and deadlines
    "Urgent first": "Urgent eerst",
    "Reflection period ends (latest first)": "Einde bedenktijd (laatste eerst)",
    "Age (youngest first)": "Leeftijd (jongste eerst)",
    "Age (oldest first)": "Leeftijd (oudste eerst)",
    "Reflection period ended": "Bedenktijd verstreken",
    "Minor, no referral recorded": "Minderjarig, geen doorverwijzing vastgelegd",
    "reflection period ended": "bedenktijd verstreken",
    "unassigned for more than two working days": "langer dan twee werkdagen niet toegewezen",
    "reflection period ends within 14 days": "bedenktijd eindigt binnen 14 dagen",
    "minor, no referral recorded": "minderjarig, geen doorverwijzing vastgelegd",
    "immediate danger (open since %(date)s)": "acuut gevaar (open sinds %(date)s)",
    "reflection period ended on %(date)s; record what follows it": (
        "bedenktijd verstreken op %(date)s; leg vast wat erop volgt"
    ),
    "a minor, no referral recorded (open since %(date)s)": (
        "minderjarig, geen doorverwijzing vastgelegd (open sinds %(date)s)"
    ),
    "reflection ended": "bedenktijd verstreken",
    "unassigned too long": "te lang niet toegewezen",
    "reflection ends soon": "bedenktijd eindigt binnenkort",
    "minor, no referral": "minderjarig, geen doorverwijzing",
    "Person not shown: not a case you may see.": (
        "Persoon niet getoond: geen casus die u mag inzien."
    ),
    "open cases in immediate danger": "open casussen met acuut gevaar",
    "reflection periods ended, nothing decided after": (
        "bedenktijden verstreken, daarna niets besloten"
    ),
    "minors, no referral recorded": "minderjarigen, geen doorverwijzing vastgelegd",
    "Reflection ends": "Einde bedenktijd",
    # Issue 14: shelters
    "shelter for men": "opvang voor mannen",
    "shelter for women": "opvang voor vrouwen",
    "shelter for minors": "opvang voor minderjarigen",
    "other shelter": "andere opvang",
    "on the waiting list": "op de wachtlijst",
    "placed": "geplaatst",
    "taken off the waiting list": "van de wachtlijst gehaald",
    "the person is a minor": "de persoon is minderjarig",
    "the person is a Dutch national": "de persoon heeft de Nederlandse nationaliteit",
    "the person is not in the reflection period": "de persoon is niet in de bedenktijd",
    "three months in a shelter": "drie maanden in de opvang",
    "The name staff know the shelter by. Never a street address.": (
        "De naam waaronder medewerkers de opvang kennen. Nooit een adres."
    ),
    "type": "soort",
    "target group": "doelgroep",
    "Who the shelter takes in, e.g. women 18+ with children.": (
        "Wie de opvang opneemt, bijvoorbeeld vrouwen van 18+ met kinderen."
    ),
    "places": "plaatsen",
    "The number of beds.": "Het aantal bedden.",
    "An inactive shelter keeps its placements but takes no one new.": (
        "Een niet-actieve opvang houdt zijn plaatsingen maar neemt niemand nieuw op."
    ),
    "shelter": "opvang",
    "shelters": "opvangvoorzieningen",
    "Empty while the case waits for a COSM place.": (
        "Leeg zolang de casus op een COSM-plaats wacht."
    ),
    "start date": "begindatum",
    "end date": "einddatum",
    "placed by": "geplaatst door",
    "ended by": "beëindigd door",
    "warnings": "waarschuwingen",
    "Why the placement is made despite the warnings. Encrypted.": (
        "Waarom de plaatsing ondanks de waarschuwingen gebeurt. Versleuteld."
    ),
    "placement": "plaatsing",
    "placements": "plaatsingen",
    "Placement of %(case)s": "Plaatsing van %(case)s",
    "Give the reason for this placement.": "Geef de reden voor deze plaatsing.",
    "This shelter takes no one new.": "Deze opvang neemt niemand nieuw op.",
    "%(shelter)s has no free place; choose one with free places.": (
        "%(shelter)s heeft geen vrije plaats; kies een opvang met vrije plaatsen."
    ),
    "Only a current placement can be ended.": "Alleen een lopende plaatsing kan worden beëindigd.",
    "The end date cannot be before the start date.": (
        "De einddatum kan niet voor de begindatum liggen."
    ),
    "Only an entry on the waiting list can be taken off it.": (
        "Alleen wie op de wachtlijst staat, kan ervan worden gehaald."
    ),
    "three months in a shelter on %(date)s": "drie maanden in de opvang op %(date)s",
    "The date cannot be in the future.": "De datum kan niet in de toekomst liggen.",
    "Shelter": "Opvang",
    "Free places are counted for today.": "Vrije plaatsen zijn geteld voor vandaag.",
    "Start date": "Begindatum",
    "The day the person moves in: today or earlier.": (
        "De dag waarop de persoon er komt wonen: vandaag of eerder."
    ),
    "Reason or note": "Reden of notitie",
    "Required when a warning is shown: why COSM is the right place. Encrypted.": (
        "Verplicht bij een waarschuwing: waarom de COSM de juiste plek is. Versleuteld."
    ),
    "%(shelter)s · %(free)s of %(places)s free": "%(shelter)s · %(free)s van %(places)s vrij",
    "This placement needs a reason: see the warning above.": (
        "Deze plaatsing heeft een reden nodig: zie de waarschuwing hierboven."
    ),
    "End date": "Einddatum",
    "The last night is the night before: the place is free from this day.": (
        "De laatste nacht is de nacht ervoor: de plaats is vrij vanaf deze dag."
    ),
    "%(actor)s placed the person in a shelter": "%(actor)s plaatste de persoon in de opvang",
    "%(actor)s put the case on the waiting list for a COSM place": (
        "%(actor)s zette de casus op de wachtlijst voor een COSM-plaats"
    ),
    "%(actor)s ended the shelter placement": "%(actor)s beëindigde de plaatsing in de opvang",
    "%(actor)s placed the case from the waiting list": (
        "%(actor)s plaatste de casus vanaf de wachtlijst"
    ),
    "%(actor)s took the case off the waiting list": "%(actor)s haalde de casus van de wachtlijst",
    "Reminder sent to %(recipient)s: three months in a shelter on %(date)s": (
        "Herinnering verstuurd aan %(recipient)s: drie maanden in de opvang op %(date)s"
    ),
    "This case already has a placement or waits for one.": (
        "Deze casus heeft al een plaatsing of wacht erop."
    ),
    "Every COSM is full: the case is on the waiting list, number %(n)d.": (
        "Elke COSM is vol: de casus staat op de wachtlijst, nummer %(n)d."
    ),
    "Placed in %(shelter)s.": "Geplaatst in %(shelter)s.",
    "The placement has ended; the place is free.": "De plaatsing is beëindigd; de plaats is vrij.",
    "Cases are waiting for a COSM place: place the first from the overview.": (
        "Er wachten casussen op een COSM-plaats: plaats de eerste vanuit het overzicht."
    ),
    "The placement was not ended: see the message at the form.": (
        "De plaatsing is niet beëindigd: zie de melding bij het formulier."
    ),
    "The case is off the waiting list.": "De casus staat niet meer op de wachtlijst.",
    "Nobody was placed: no free place or nobody waiting.": (
        "Niemand geplaatst: geen vrije plaats of niemand wacht."
    ),
    "%(case)s is placed in %(shelter)s.": "%(case)s is geplaatst in %(shelter)s.",
    "Shelters": "Opvang",
    "Open the placement": "Plaatsing openen",
    "Place in a shelter": "Plaatsen in de opvang",
    "Placed in %(shelter)s since %(since)s.": "Geplaatst in %(shelter)s sinds %(since)s.",
    "On the waiting list for a COSM place since %(since)s.": (
        "Op de wachtlijst voor een COSM-plaats sinds %(since)s."
    ),
    "Shelter requested (%(kind)s), not placed yet.": (
        "Opvang gevraagd (%(kind)s), nog niet geplaatst."
    ),
    "No shelter requested. To request one, edit the case.": (
        "Geen opvang gevraagd. Wijzig de casus om opvang te vragen."
    ),
    "waiting list": "wachtlijst",
    "Shelter for %(case)s": "Opvang voor %(case)s",
    "Only what placement needs is shown here; the person's details are on the case page, for "
    "those who coordinate the case.": (
        "Hier staat alleen wat de plaatsing nodig heeft; de gegevens van de persoon staan op de "
        "casuspagina, voor wie de casus coördineert."
    ),
    "On the waiting list": "Op de wachtlijst",
    "Placed": "Geplaatst",
    "Number %(n)s on the waiting list for a COSM place, since %(since)s.": (
        "Nummer %(n)s op de wachtlijst voor een COSM-plaats, sinds %(since)s."
    ),
    "Take off the waiting list": "Van de wachtlijst halen",
    "In %(shelter)s since %(since)s.": "In %(shelter)s sinds %(since)s.",
    "End the placement": "Plaatsing beëindigen",
    "Placed despite:": "Geplaatst ondanks:",
    "COSM is for adult foreign victims in their reflection period.": (
        "De COSM is voor meerderjarige, niet-Nederlandse slachtoffers in de bedenktijd."
    ),
    "To place anyway, give the reason below.": "Geef hieronder de reden om toch te plaatsen.",
    "When every COSM is full, the case joins the waiting list in date order.": (
        "Als elke COSM vol is, komt de casus op de wachtlijst, op volgorde van datum."
    ),
    "Place": "Plaatsen",
    "Free places today": "Vrije plaatsen vandaag",
    "Type": "Soort",
    "Places": "Plaatsen",
    "Free": "Vrij",
    "full": "vol",
    "No shelters recorded yet.": "Nog geen opvang vastgelegd.",
    "Earlier placements": "Eerdere plaatsingen",
    "Weekly overview, week %(week)s of %(year)s (figures of %(day)s).": (
        "Weekoverzicht, week %(week)s van %(year)s (cijfers van %(day)s)."
    ),
    "Occupancy": "Bezetting",
    "Target group": "Doelgroep",
    "Occupied": "Bezet",
    "Place the first waiting case here": "Eerste wachtende casus hier plaatsen",
    "No shelters recorded yet: administrators add them in the admin.": (
        "Nog geen opvang vastgelegd: beheerders voegen die toe in het beheer."
    ),
    "Waiting list for a COSM place": "Wachtlijst voor een COSM-plaats",
    "Waiting since": "Wacht sinds",
    "warning noted": "waarschuwing vastgelegd",
    "Nobody is waiting.": "Niemand wacht.",
    "Stays beyond three months": "Verblijf langer dan drie maanden",
    "Since": "Sinds",
    "Three months on": "Drie maanden op",
    "Cases requesting shelter, not placed": "Casussen die opvang vragen, niet geplaatst",
    # Issue 14: consent and reflection
    "The person agrees that a care coordinator contacts them. Without it the registration is "
    "counted, but no case is opened and nobody is notified.": (
        "De persoon stemt ermee in dat een zorgcoördinator contact opneemt. Zonder die "
        "toestemming wordt de registratie geteld, maar wordt geen casus geopend en niemand "
        "bericht."
    ),
    "accepting opens no case": "accepteren opent geen casus",
    "Reflection period started on": "Bedenktijd begonnen op",
    "Only with residence status 'reflection period': the day the period began, if before "
    "the registration date (at most a year before, never in the future). Empty: the period "
    "starts on the registration date.": (
        "Alleen bij verblijfsstatus 'bedenktijd': de dag waarop de bedenktijd begon, als dat "
        "vóór de registratiedatum was (hoogstens een jaar ervoor, nooit in de toekomst). Leeg: "
        "de bedenktijd begint op de registratiedatum."
    ),
    "Accepting or merging opens a case and routes it to a coordinator when the person "
    "consented to care; without that consent the registration is only counted.": (
        "Accepteren of samenvoegen opent een casus en stuurt die naar een zorgcoördinator als "
        "de persoon toestemming voor zorg gaf; zonder die toestemming wordt de melding alleen "
        "geteld."
    ),
    "Consent to care": "Toestemming voor zorg",
    "Given: a case opens and is routed to the region's coordinator, who gets an e-mail. "
    "Withdrawn: the person's open cases close and their personal data is hidden from the "
    "coordinator (kept for the retention period, then erased).": (
        "Gegeven: er wordt een casus geopend en naar de zorgcoördinator van de regio gestuurd, "
        "die een e-mail krijgt. Ingetrokken: de open casussen van de persoon worden gesloten "
        "en de persoonsgegevens worden voor de zorgcoördinator verborgen (bewaard tot het "
        "einde van de bewaartermijn, daarna gewist)."
    ),
    "Consent to care recorded: a case was opened and routed.": (
        "Toestemming voor zorg vastgelegd: er is een casus geopend en doorgestuurd."
    ),
    "Consent to care recorded; the person's open case continues.": (
        "Toestemming voor zorg vastgelegd; de open casus van de persoon loopt door."
    ),
    "Withdrawal of consent recorded: %(count)d open case(s) closed and the personal data "
    "hidden from the coordinator.": (
        "Intrekking van de toestemming vastgelegd: %(count)d open casus(sen) gesloten en de "
        "persoonsgegevens voor de zorgcoördinator verborgen."
    ),
    "Submission %(number)s accepted and counted. No case was opened and nobody was "
    "notified: the person did not consent to care.": (
        "Melding %(number)s geaccepteerd en geteld. Er is geen casus geopend en niemand "
        "bericht: de persoon gaf geen toestemming voor zorg."
    ),
    "consent to care withdrawn": "toestemming voor zorg ingetrokken",
    "no consent to care": "geen toestemming voor zorg",
    "consent to care given": "toestemming voor zorg gegeven",
    "consent to care withdrawn on": "toestemming voor zorg ingetrokken op",
    "Set when the person withdraws consent to care; cleared when consent is given again.": (
        "Gezet wanneer de persoon de toestemming voor zorg intrekt; gewist wanneer opnieuw "
        "toestemming wordt gegeven."
    ),
    "residence status at registration": "verblijfsstatus bij registratie",
    "reflection period started on": "bedenktijd begonnen op",
    "Only with residence status reflection period; empty means the registration date.": (
        "Alleen bij verblijfsstatus bedenktijd; leeg betekent de registratiedatum."
    ),
    "The reflection period cannot start in the future.": (
        "De bedenktijd kan niet in de toekomst beginnen."
    ),
    "The reflection period cannot have started more than a year before the registration date.": (
        "De bedenktijd kan niet meer dan een jaar vóór de registratiedatum zijn begonnen."
    ),
    "A start of the reflection period only applies with residence status 'reflection period'.": (
        "Een begin van de bedenktijd geldt alleen bij verblijfsstatus 'bedenktijd'."
    ),
    "Consent to care for registration %(number)s": (
        "Toestemming voor zorg bij registratie %(number)s"
    ),
    "given": "gegeven",
    "not given": "niet gegeven",
    "Open cases of the person": "Open casussen van de persoon",
    "Registration may rest on a legal duty to report; care coordination needs the person's "
    "own consent. Record here what the person decided.": (
        "Registratie kan berusten op een wettelijke meldplicht; zorgcoördinatie vraagt de "
        "eigen toestemming van de persoon. Leg hier vast wat de persoon besloot."
    ),
    "no one: without consent to care no case is opened and nobody is notified. The "
    "registration is counted. Record consent later from the person's page.": (
        "niemand: zonder toestemming voor zorg wordt geen casus geopend en niemand bericht. De "
        "registratie wordt geteld. Leg toestemming later vast via de pagina van de persoon."
    ),
    "The person withdrew consent to care: their personal data is hidden (kept for the "
    "retention period, then erased).": (
        "De persoon heeft de toestemming voor zorg ingetrokken: de persoonsgegevens zijn "
        "verborgen (bewaard tot het einde van de bewaartermijn, daarna gewist)."
    ),
    "The person withdrew consent to care on %(day)s: their personal data is hidden. It is "
    "kept for the retention period, then erased.": (
        "De persoon heeft op %(day)s de toestemming voor zorg ingetrokken: de persoonsgegevens "
        "zijn verborgen. Ze worden bewaard tot het einde van de bewaartermijn en daarna "
        "gewist."
    ),
    "consent to care": "toestemming voor zorg",
    "Record consent to care": "Toestemming voor zorg vastleggen",
    # Issue 14: procedures and referrals
    "B8 permit expires on": "B8-vergunning verloopt op",
    "Continued residence may be applied for since": "Voortgezet verblijf aan te vragen sinds",
    "Reflection period ends, police report undecided, on": (
        "Bedenktijd eindigt zonder besluit over aangifte op"
    ),
    "Nidos referral pending since": "Verwijzing naar Nidos openstaand sinds",
    "police report": "aangifte bij de politie",
    "B8 residence permit": "B8-verblijfsvergunning",
    "RVA allowance": "RVA-toelage",
    "health insurance": "zorgverzekering",
    "registration with the municipality (BRP)": "inschrijving bij de gemeente (BRP)",
    "benefits": "uitkering",
    "still deciding": "nog in beraad",
    "report made": "aangifte gedaan",
    "no report made": "geen aangifte gedaan",
    "exempt on medical grounds": "vrijgesteld om medische redenen",
    "exempt on grounds of serious threat": "vrijgesteld wegens ernstige dreiging",
    "applied, awaiting decision": "aangevraagd, wacht op besluit",
    "granted": "verleend",
    "ended or withdrawn": "beëindigd of ingetrokken",
    "Nidos (guardianship of unaccompanied minors)": (
        "Nidos (voogdij over alleenstaande minderjarigen)"
    ),
    "police (to report)": "politie (voor aangifte)",
    "medical service": "medische dienst",
    "other organisation": "andere organisatie",
    "guardianship of an unaccompanied minor": "voogdij over een alleenstaande minderjarige",
    "reporting the crime": "aangifte doen",
    "legal aid": "rechtshulp",
    "mental health care": "geestelijke gezondheidszorg",
    "moving to another place": "verhuizing naar een andere plaats",
    "This date is in the future: give the date it happened.": (
        "Deze datum ligt in de toekomst: geef de datum waarop het gebeurde."
    ),
    "procedure": "procedure",
    "applied on": "aangevraagd op",
    "The date of the application or request.": "De datum van de aanvraag of het verzoek.",
    "decided on": "besloten op",
    "The date of the decision; for a police report, the day it was made or the person decided, "
    "or the exemption was given.": (
        "De datum van het besluit; bij aangifte de dag waarop die gedaan werd, de persoon besloot "
        "of de vrijstelling gegeven werd."
    ),
    "valid until": "geldig tot",
    "Only for a granted permit or allowance: the last day it is valid.": (
        "Alleen bij een verleende vergunning of toelage: de laatste dag dat die geldt."
    ),
    "recorded by": "vastgelegd door",
    "residence procedure": "verblijfsprocedure",
    "residence procedures": "verblijfsprocedures",
    "A %(kind)s can be: %(allowed)s.": "Een %(kind)s kan zijn: %(allowed)s.",
    "Give the date the report was made, or the person decided, or the exemption was given.": (
        "Geef de datum waarop aangifte gedaan werd, de persoon besloot of de vrijstelling "
        "gegeven werd."
    ),
    "A date of decision only applies once it is decided.": (
        "Een datum van besluit hoort pas bij een genomen besluit."
    ),
    "Give the date of the application.": "Geef de datum van de aanvraag.",
    "Give the date of the decision.": "Geef de datum van het besluit.",
    "A date of decision only applies once the application is decided.": (
        "Een datum van besluit hoort pas bij een aanvraag waarover besloten is."
    ),
    "The decision cannot come before the application.": (
        "Het besluit kan niet vóór de aanvraag liggen."
    ),
    "An expiry date only applies to a granted permit or allowance.": (
        "Een einddatum hoort alleen bij een verleende vergunning of toelage."
    ),
    "Give the date the B8 permit expires.": "Geef de datum waarop de B8-vergunning verloopt.",
    "A permit expires after the day it was granted.": (
        "Een vergunning verloopt na de dag waarop die verleend werd."
    ),
    "referred to": "verwezen naar",
    "Why the case is referred (a code: write details in a note).": (
        "Waarom de casus verwezen wordt (een code: details in een notitie)."
    ),
    "referred on": "verwezen op",
    "outcome": "uitkomst",
    "outcome on": "uitkomst op",
    "The day the organisation accepted or refused.": (
        "De dag waarop de organisatie aannam of weigerde."
    ),
    "recorded": "vastgelegd",
    "referral": "verwijzing",
    "referrals": "verwijzingen",
    "A pending referral has no date of outcome yet.": (
        "Een openstaande verwijzing heeft nog geen datum van uitkomst."
    ),
    "Give the date the organisation accepted or refused.": (
        "Geef de datum waarop de organisatie aannam of weigerde."
    ),
    "The outcome cannot come before the referral.": (
        "De uitkomst kan niet vóór de verwijzing liggen."
    ),
    "B8 permit expires within 30 days": "B8-vergunning verloopt binnen 30 dagen",
    "B8 permit held three years": "B8-vergunning drie jaar in bezit",
    "reflection period ending, police report undecided": (
        "bedenktijd eindigt, geen besluit over aangifte"
    ),
    "%(actor)s recorded the %(procedure)s: %(fields)s": (
        "%(actor)s legde de %(procedure)s vast: %(fields)s"
    ),
    "%(actor)s updated the %(procedure)s: %(fields)s": (
        "%(actor)s werkte de %(procedure)s bij: %(fields)s"
    ),
    "%(actor)s registered an unaccompanied minor: referred to %(to)s": (
        "%(actor)s registreerde een alleenstaande minderjarige: verwezen naar %(to)s"
    ),
    "%(actor)s referred the case to %(to)s": "%(actor)s verwees de casus naar %(to)s",
    "%(actor)s recorded the outcome of the referral to %(to)s: %(outcome)s": (
        "%(actor)s legde de uitkomst van de verwijzing naar %(to)s vast: %(outcome)s"
    ),
    "Reminder sent to %(recipient)s: the B8 permit expires on %(date)s": (
        "Herinnering gestuurd aan %(recipient)s: de B8-vergunning verloopt op %(date)s"
    ),
    "Reminder sent to %(recipient)s: B8 permit held three years on %(date)s": (
        "Herinnering gestuurd aan %(recipient)s: B8-vergunning drie jaar in bezit op %(date)s"
    ),
    "Reminder sent to %(recipient)s: the reflection period ends on %(date)s and the police "
    "report is undecided": (
        "Herinnering gestuurd aan %(recipient)s: de bedenktijd eindigt op %(date)s en over "
        "aangifte is niet besloten"
    ),
    "%(procedure)s of %(case)s": "%(procedure)s van %(case)s",
    "The procedure has been saved.": "De procedure is opgeslagen.",
    "Refer %(case)s": "%(case)s verwijzen",
    "Record referral": "Verwijzing vastleggen",
    "The referral has been recorded.": "De verwijzing is vastgelegd.",
    "Outcome of the referral to %(to)s": "Uitkomst van de verwijzing naar %(to)s",
    "The outcome of the referral has been saved.": "De uitkomst van de verwijzing is opgeslagen.",
    "Referrals per type": "Verwijzingen per soort",
    "B8 permits expire within 30 days": "B8-vergunningen verlopen binnen 30 dagen",
    "B8 holders for three years: continued residence may be applied for": (
        "Drie jaar B8-vergunning: voortgezet verblijf kan worden aangevraagd"
    ),
    "reflection periods ending without a decision on a police report": (
        "bedenktijden die eindigen zonder besluit over aangifte"
    ),
    "Nidos referrals waiting for an outcome": "verwijzingen naar Nidos die op uitkomst wachten",
    "Residence procedures": "Verblijfsprocedures",
    "Procedure": "Procedure",
    "Applied on": "Aangevraagd op",
    "Decided on": "Besloten op",
    "Valid until": "Geldig tot",
    "not recorded": "niet vastgelegd",
    "Update": "Bijwerken",
    "Record procedure": "Vastleggen",
    "Nidos referral pending": "Verwijzing naar Nidos openstaand",
    "Referrals": "Verwijzingen",
    "Refer the case": "Casus verwijzen",
    "Referred to": "Verwezen naar",
    "Referred on": "Verwezen op",
    "Outcome": "Uitkomst",
    "Record outcome": "Uitkomst vastleggen",
    "No referrals recorded.": "Geen verwijzingen vastgelegd.",
    "Procedures and referrals needing attention": "Procedures en verwijzingen die aandacht vragen",
    "Kind of reminder": "Soort herinnering",
    "All": "Alle",
    "What": "Wat",
    "help desk": "helpdesk",
    "Nothing needs attention.": "Niets vraagt aandacht.",
    "Referrals made in the period (by the date of referral), of every case; percentages are of "
    "all referrals in the period.": (
        "Verwijzingen in de periode (naar datum van verwijzing), van alle casussen; percentages "
        "zijn van alle verwijzingen in de periode."
    ),
}


def fill(po: polib.POFile) -> list[str]:
    """Write every known translation into `po`; return the msgids that are still missing."""
    po.metadata["Project-Id-Version"] = "victim-registry"
    po.metadata["Language-Team"] = "Dutch"
    po.metadata["Language"] = "nl"
    po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
    # makemessages marks the header fuzzy; msgfmt would then skip it (and the plural rule).
    po.metadata_is_fuzzy = []
    for obsolete in po.obsolete_entries():
        po.remove(obsolete)
    missing = []
    for entry in po:
        known = TRANSLATIONS.get(entry.msgid)
        if entry.msgid_plural:
            if isinstance(known, tuple):
                entry.msgstr_plural = {0: known[0], 1: known[1]}
            elif not all(entry.msgstr_plural.get(i) for i in (0, 1)):
                missing.append(entry.msgid)
                continue
        elif isinstance(known, str):
            entry.msgstr = known
        elif not entry.msgstr:
            missing.append(entry.msgid)
            continue
        if "fuzzy" in entry.flags:
            # A guess kept from an earlier msgid: only trusted when the dict says so.
            if known is None:
                missing.append(entry.msgid)
                continue
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgid_plural = None
    return missing


def main() -> int:
    po = polib.pofile(str(PO_PATH), wrapwidth=79)
    missing = fill(po)
    po.save()
    for msgid in missing:
        print(f"missing: {msgid!r}")
    print(f"{len(po) - len(missing)} translated, {len(missing)} missing in {PO_PATH}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
