"""The blind indexes a name search looks up: several per person, one row each.

A person's family name and given names are split into words; each word that is a name (not a
particle such as ``van``, ``de`` or ``al``, not a single letter) gets a keyed HMAC under a
subkey of its own kind (registry.crypto: one HKDF subkey per index name), so a word typed in a
search finds, through the index on ``digest``, every person whose name holds it, and nothing
is decrypted. ``Okonkwo`` finds ``Okonkwo-Eze``, ``Berg`` finds ``van der Berg``, ``Chinwe``
finds the person whose given names are ``Ada Chinwe``.

The kinds:

- ``family``: the whole family name, the same value as ``Person.bi_family_name``, so that one
  lookup on this table finds exact and partial matches together;
- ``part``: each word of the family name;
- ``given``: each word of the given names;
- ``sound``: the phonetic key (registry.crypto.phonetic_key) of each word of the family name,
  without the year of birth (``Person.bi_phonetic`` binds the year into the HMAC, so a search
  without a year would need one value per possible year); the year narrows through the clear
  ``Person.year_of_birth``.

What a row reveals is what every blind index reveals: which persons share a word of a name,
and so how often a word occurs; with the index key, guesses can be tested. The number of rows
per person tells how many words the names have, which the length of the encrypted names tells
already. docs/security.md, "Blind indexes".
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils.translation import gettext_lazy as _

from registry.crypto import blind_index, normalise, phonetic_key

FAMILY = "family"
PART = "part"
GIVEN = "given"
SOUND = "sound"

# Words that join a family name to its core and are no name on their own: a word of this
# list finds nothing by itself (it would find a third of all Dutch names). The whole family
# name, particles and all, is still found exactly.
PARTICLES = frozenset(
    {
        # Dutch, Flemish, Afrikaans
        *("van", "de", "der", "den", "het", "ter", "ten", "te", "t", "in", "op", "vd"),
        # German, Scandinavian
        *("von", "vom", "zu", "zum", "zur", "af", "av"),
        # French, Italian, Spanish, Portuguese
        *("d", "du", "des", "le", "la", "les", "di", "da", "del", "della", "dei", "lo"),
        *("dos", "das", "do", "e", "y", "i", "las", "los"),
        # Arabic, Hebrew, Celtic, Slavic
        *("al", "el", "bin", "ibn", "bint", "ben", "bat", "abu", "ould", "o", "mac", "mc"),
    }
)
# The most words of a typed name that are looked up; a longer term is not a name.
MAX_WORDS = 5


def name_words(name: str | None) -> list[str]:
    """The words of ``name`` a search finds it by: normalised, no particles, no initials, each
    once. ``"van der Berg"`` gives ``["berg"]``, ``"Okonkwo-Eze"`` ``["okonkwo", "eze"]``."""
    words = normalise(name or "").split()
    return list(dict.fromkeys(w for w in words if len(w) > 1 and w not in PARTICLES))


def word_digest(kind: str, word: str) -> str | None:
    """The blind index of one word of kind ``PART``, ``GIVEN`` or ``SOUND`` (already the
    phonetic key for ``SOUND``)."""
    return blind_index(f"search {kind}", word)


def sound_of(word: str) -> str:
    return phonetic_key(word)


def search_tokens(
    family_name: str | None, given_names: str | None, whole: str | None = None
) -> tuple[tuple[str, str], ...]:
    """The (kind, digest) rows of a person with these names; none for empty names.

    ``whole``: the family name's index when the caller has it (registry.models.people
    .blind_indexes works each index out once per save)."""
    from registry.models.people import family_name_index

    rows: list[tuple[str, str | None]] = []
    if family_name and (whole := whole or family_name_index(family_name)):
        rows.append((FAMILY, whole))
    for word in name_words(family_name):
        rows.append((PART, word_digest(PART, word)))
        if sound := sound_of(word):
            rows.append((SOUND, word_digest(SOUND, sound)))
    for word in name_words(given_names):
        rows.append((GIVEN, word_digest(GIVEN, word)))
    return tuple(dict.fromkeys((kind, digest) for kind, digest in rows if digest))


class PersonSearchTokenQuerySet(models.QuerySet):
    def replace_for(self, person_id: object, tokens: Iterable[tuple[str, str]]) -> None:
        """Make ``tokens`` the rows of this person (deletes the old, inserts the new)."""
        self.filter(person_id=person_id).delete()
        self.bulk_create(
            [self.model(person_id=person_id, kind=kind, digest=digest) for kind, digest in tokens]
        )


class PersonSearchToken(models.Model):
    """One blind index of a word of a person's name (see the module's docstring)."""

    class Kind(models.TextChoices):
        FAMILY = FAMILY, _("family name")
        PART = PART, _("part of the family name")
        GIVEN = GIVEN, _("given name")
        SOUND = SOUND, _("family name, sounds alike")

    person = models.ForeignKey(
        "registry.Person", on_delete=models.CASCADE, related_name="search_tokens"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    digest = models.CharField(max_length=64)

    objects = PersonSearchTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("search token")
        verbose_name_plural = _("search tokens")
        indexes = [
            # A search reads the persons of a few digests from the index alone.
            models.Index(fields=["digest", "person"], name="person_search_digest_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "digest"], name="person_search_token_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.digest[:8]}"
