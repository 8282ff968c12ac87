"""List the Dutch catalogue's entries still to translate (empty or fuzzy); exit 1 while any are.

The .po files are the source of the translations: edit locale/nl/LC_MESSAGES/django.po directly
(any editor, or Poedit) after `make messages` has added the new msgids, then run `make messages`
again to compile. Word choice follows the Dutch labels of VOCABULARY.md and the words CoMensha
and care coordinators use: casus (not "zaak"), melding/melder, zorgcoördinator, bedenktijd,
overdracht, helpdesk, logboek.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

PO_PATH = Path(__file__).resolve().parent.parent / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def main() -> int:
    po = polib.pofile(str(PO_PATH))
    todo = [e for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    for entry in todo:
        flag = " (fuzzy: a guess, check it and remove the flag)" if "fuzzy" in entry.flags else ""
        print(f"to translate{flag}: {entry.msgid!r}")
    print(f"{len(po) - len(todo)} translated, {len(todo)} to translate in {PO_PATH}")
    return 1 if todo else 0


if __name__ == "__main__":
    sys.exit(main())
