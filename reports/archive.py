"""The personal export's archive: one file in a ZIP encrypted with AES-256 (WinZip AE-2,
pyzipper), and the password it is sealed with.

The password is made here, shown once to the administrator who asked for the export, and
kept nowhere in clear: the worker receives it in the job's encrypted input file (deleted when
the job ends) and forgets it once the archive is written. 24 characters from an alphabet
without look-alikes (no 0/O, 1/I/L), in six groups of four to read out and type: 31 symbols,
so about 119 bits, far beyond guessing against the archive's key derivation.
"""

from __future__ import annotations

import io
import secrets

import pyzipper

# No 0, O, 1, I or L: nothing to misread when it is written down or read out.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
GROUPS = 6
GROUP_SIZE = 4
CONTENT_TYPE = "application/zip"


def new_password() -> str:
    """A fresh password: six groups of four characters, joined by hyphens."""
    return "-".join(
        "".join(secrets.choice(ALPHABET) for _ in range(GROUP_SIZE)) for _ in range(GROUPS)
    )


def seal(name: str, data: bytes, password: str) -> bytes:
    """A ZIP holding ``data`` as ``name``, AES-256 encrypted with ``password`` (the hyphens
    are part of it)."""
    target = io.BytesIO()
    with pyzipper.AESZipFile(
        target, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as archive:
        archive.setpassword(password.encode("ascii"))
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        archive.writestr(name, data)
    return target.getvalue()
