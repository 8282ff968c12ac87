"""Is a rendered page entirely in its language? The checker of the catalogue crawl
(tests/registry/test_i18n_crawl.py).

A page's visible text is cut into segments: each text node (scripts and styles left out) and
each attribute a user sees or hears (title, placeholder, aria-label, alt, data-label, the value
of a button); not <code>, which quotes codes on purpose. Data (names of people, regions,
organisations, user names, free text) is taken out first, so a planted name is never mistaken
for a string of the interface.

A Dutch page fails on a segment that
- is an English msgid of the Dutch catalogue whose Dutch differs (a string rendered without
  its translation: a missing .mo entry, a string built where gettext never ran), or
- holds an English word that no Dutch sentence has (ENGLISH_WORDS: a string that never reached
  the catalogue at all), or
- shows a date in another format than the language's one (docs/i18n.md).

An English page fails on a segment that is a Dutch msgstr (the Dutch rendered where English was
asked) or holds a word only Dutch has (DUTCH_WORDS).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format

NL_PO = Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES" / "django.po"

# Words of English sentences that are not Dutch words (so "in", "is", "over", "of", "die", "had"
# stay out). Chosen from the words the interface's English strings use most.
ENGLISH_WORDS = frozenset(
    """
    the and with without which your you this that these those from for are has have been
    will should would could their there when where what who whose not please choose select
    save cancel search next previous yes no only any each every all none may cannot into
    than then here new closed case cases person people report reports reporter
    registration registrations page shows shown add edit change changes delete back region
    regions steps desk handover handovers number time days week year month today unknown
    other name names before after about above below between why how its it's don't doesn't
    isn't
    """.split()  # noqa: SIM905 (reads as a paragraph)
)

# Words only Dutch has, for English pages.
DUTCH_WORDS = frozenset(
    """
    de het een van en voor met niet zonder bij naar wordt worden zijn geen ook nog maar
    alleen deze dit wie wat waar wanneer kies opslaan volgende vorige terug zoeken
    annuleren casus casussen melding melder persoon personen gegevens datum regio stap
    nieuw gesloten overdracht bedenktijd logboek zorgcoördinator opvang toestemming
    geboortedatum naam jaar dag dagen week maand vandaag onbekend overig ja nee uw je moet
    mag kan
    """.split()  # noqa: SIM905 (reads as a paragraph)
)
# English words that are also fine in a Dutch sentence as loanwords or names of things.
_SHARED = frozenset({"week", "status", "helpdesk"})

# Dates a user reads: "3 december 2026" / "3 December 2026" (config/formats, docs/i18n.md).
_OTHER_DATE = re.compile(r"\b(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})\b")

_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "data-label", "aria-description")
# Not read: scripts and styles, and machine text a page quotes on purpose (column names of a
# file, codes): <code>, <kbd>, <samp>.
_SKIPPED = ("script", "style", "code", "kbd", "samp")
_BUTTON_TYPES = {"submit", "button", "reset"}
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdi]|%[sdi]|\{\w*\}")


class _Segments(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.segments: list[str] = []
        self._skip = 0
        # An element marked with a language of its own (lang="en" on the NL/EN buttons: each
        # language's name in that language, WCAG 3.1.2) is not the page's text: skipped.
        self._other_language: str | None = None
        self._other_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self._other_language == tag:
            self._other_depth += 1
        elif self._other_language is None and tag != "html" and values.get("lang"):
            self._other_language, self._other_depth = tag, 1
        if tag in _SKIPPED:
            self._skip += 1
        if self._other_language is not None:
            return
        for name in _ATTRIBUTES:
            if values.get(name):
                self.segments.append(values[name] or "")
        if tag == "input" and (values.get("type") or "").lower() in _BUTTON_TYPES:
            self.segments.append(values.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED and self._skip:
            self._skip -= 1
        if tag == self._other_language:
            self._other_depth -= 1
            if not self._other_depth:
                self._other_language = None

    def handle_data(self, data: str) -> None:
        if not self._skip and self._other_language is None:
            self.segments.append(data)


def visible_segments(html: str) -> list[str]:
    """Each piece of text a user sees or hears, whitespace collapsed, without empty ones."""
    parser = _Segments()
    parser.feed(html)
    parser.close()
    cleaned = (" ".join(s.split()) for s in parser.segments)
    return [s for s in cleaned if s]


@dataclass(frozen=True)
class Catalogue:
    """The Dutch catalogue: English msgid -> Dutch msgstr, for the strings that differ."""

    exact: dict[str, str]
    patterns: re.Pattern[str] | None  # msgids with placeholders, any value in their place
    dutch: dict[str, str]  # Dutch msgstr -> English msgid
    dutch_patterns: re.Pattern[str] | None


def _as_pattern(text: str) -> str | None:
    parts = _PLACEHOLDER.split(text)
    literal = "".join(parts)
    if len(_WORD.findall(literal)) < 2:
        return None  # "%(n)s days" would match far too much
    return ".+?".join(re.escape(" ".join(p.split())) for p in parts)


def _alternation(texts: Iterable[str]) -> re.Pattern[str] | None:
    patterns = sorted({p for t in texts if (p := _as_pattern(t))}, key=len, reverse=True)
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


@cache
def catalogue(path: Path = NL_PO) -> Catalogue:
    po = polib.pofile(str(path))
    pairs: list[tuple[str, str]] = []
    for entry in po:
        if entry.obsolete or not entry.translated():
            continue
        if entry.msgid_plural:
            pairs.append((entry.msgid, entry.msgstr_plural.get(0, "")))
            pairs.append((entry.msgid_plural, entry.msgstr_plural.get(1, "")))
        else:
            pairs.append((entry.msgid, entry.msgstr))
    differ = [(" ".join(e.split()), " ".join(d.split())) for e, d in pairs if e != d]
    # A string that only loses or gains a capital is not told apart by reading it.
    differ = [(e, d) for e, d in differ if e.casefold() != d.casefold()]
    # A msgid that is also the Dutch of another string ("Start", "Register") says nothing.
    english_ids = {e for e, _d in differ}
    dutch_strs = {d for _e, d in differ}
    differ = [(e, d) for e, d in differ if e not in dutch_strs and d not in english_ids]
    exact = {e: d for e, d in differ if "<" not in e}
    with_placeholders = [e for e in exact if _PLACEHOLDER.search(e)]
    dutch = {d: e for e, d in differ if "<" not in d}
    return Catalogue(
        exact={e: d for e, d in exact.items() if not _PLACEHOLDER.search(e)},
        patterns=_alternation(with_placeholders),
        dutch={d: e for d, e in dutch.items() if not _PLACEHOLDER.search(d)},
        dutch_patterns=_alternation(d for d in dutch if _PLACEHOLDER.search(d)),
    )


# Ids, codes and numbers with letters in them (a UUID's "…-6582db50de2e" holds "de"): no words.
_WITH_DIGITS = re.compile(r"\S*\d\S*")


def _words(segment: str) -> set[str]:
    """The words of a segment, abbreviations (NL, EN, COSM) and anything written with digits
    (ids, hex, codes) left out."""
    text = _WITH_DIGITS.sub(" ", segment)
    return {w.casefold() for w in _WORD.findall(text) if not (w.isupper() and len(w) > 1)}


@dataclass
class Finding:
    url: str
    segment: str
    why: str

    def __str__(self) -> str:
        return f"{self.url}: {self.segment!r} ({self.why})"


@dataclass
class Checker:
    """Checks pages in one language; ``data`` are values of records (names, free text) that are
    taken out of the text first."""

    language: str
    data: list[str] = field(default_factory=list)
    other_language: dict[str, str] = field(default_factory=dict)  # label -> why it is wrong

    def __post_init__(self) -> None:
        values = sorted({d for d in self.data if d and _WORD.search(d)}, key=len, reverse=True)
        self._data = (
            re.compile("|".join(re.escape(v) for v in values), re.IGNORECASE) if values else None
        )

    def without_data(self, segment: str) -> str:
        return self._data.sub(" ", segment).strip() if self._data else segment

    def check(self, url: str, html: str) -> list[Finding]:
        found: list[Finding] = []
        cat = catalogue()
        for raw in visible_segments(html):
            if raw in self.other_language:
                found.append(Finding(url, raw, self.other_language[raw]))
                continue
            segment = self.without_data(raw)
            if self.language == "nl" and _WORD.search(segment):
                found.extend(self._check_dutch(url, raw, segment, cat))
            elif _WORD.search(segment):
                found.extend(self._check_english(url, raw, segment, cat))
            if segment == "---------":
                found.append(Finding(url, raw, "an empty choice without a label (Kies…)"))
            date = _OTHER_DATE.search(segment)
            if date:
                found.append(Finding(url, raw, f"a date in another format: {date.group()}"))
        return found

    def _check_dutch(self, url: str, raw: str, segment: str, cat: Catalogue) -> list[Finding]:
        if segment in cat.exact:
            return [Finding(url, raw, f"untranslated msgid, Dutch: {cat.exact[segment]!r}")]
        if cat.patterns and cat.patterns.fullmatch(segment):
            return [Finding(url, raw, "untranslated msgid (with placeholders)")]
        words = _words(segment)
        english = sorted(words & ENGLISH_WORDS - _SHARED)
        if english:
            return [Finding(url, raw, f"English words {english}")]
        return []

    def _check_english(self, url: str, raw: str, segment: str, cat: Catalogue) -> list[Finding]:
        if segment in cat.dutch:
            return [Finding(url, raw, f"Dutch msgstr of {cat.dutch[segment]!r}")]
        if cat.dutch_patterns and cat.dutch_patterns.fullmatch(segment):
            return [Finding(url, raw, "Dutch msgstr (with placeholders)")]
        words = _words(segment)
        dutch = sorted(words & DUTCH_WORDS - _SHARED)
        if dutch:
            return [Finding(url, raw, f"Dutch words {dutch}")]
        return []


def english_date(day: datetime.date) -> str:
    """A date as an English page shows it ("3 December 2026", docs/i18n.md)."""
    with translation.override("en"):
        return date_format(day)
