"""Using the personal export's page as an administrator does (reports/personal_views.py):
fill in the form, read the password it shows once, follow the job, open the archive."""

from __future__ import annotations

import html
import io
import re
import struct
from typing import Any

import pyzipper
from django.urls import reverse

from tests.jobs import run_jobs

PURPOSE = "Court order 2026/117: the file goes to the public prosecutor's office"
# The extra field WinZip AES writes on each entry (APPNOTE 4.6.3 / WinZip AE-x).
AES_EXTRA_ID = 0x9901
AES_COMPRESSION_MARKER = 99


def page_url() -> str:
    return reverse("reports:personal_export")


def start(client: Any, **fields: Any) -> Any:
    """POST the page's form: every registration, CSV, the purpose above, unless given."""
    headers = {key: fields.pop(key) for key in list(fields) if key.startswith("HTTP_")}
    data = {"file_format": "csv", "purpose": PURPOSE, **fields}
    return client.post(page_url(), data, **headers)


def shown_password(response: Any) -> str:
    found = re.search(r'id="archive-password"[^>]*>([^<]+)<', response.content.decode())
    assert found, response.content.decode()[:2000]
    return html.unescape(found.group(1)).strip()


def job_url(response: Any) -> str:
    found = re.search(r'id="to-job" href="([^"]+)"', response.content.decode())
    assert found, response.content.decode()[:2000]
    return found.group(1)


def download(client: Any, started: Any) -> Any:
    """Run the job the page started, as the worker runs it, and fetch its archive."""
    assert started.status_code == 200, started.content.decode()[:2000]
    run_jobs()
    return client.get(job_url(started) + "download/")


def archive_entries(data: bytes) -> list[pyzipper.ZipInfo]:
    with pyzipper.AESZipFile(io.BytesIO(data)) as archive:
        return archive.infolist()


def open_archive(data: bytes, password: str | None) -> tuple[str, bytes]:
    """The archive's one file (name, bytes), read with ``password``."""
    with pyzipper.AESZipFile(io.BytesIO(data)) as archive:
        if password is not None:
            archive.setpassword(password.encode())
        (info,) = archive.infolist()
        return info.filename, archive.read(info.filename)


def aes_strength(info: pyzipper.ZipInfo) -> int | None:
    """The AES key strength recorded in the entry's extra field: 1, 2 or 3 (= 128, 192 or
    256 bits), or None when the entry is not AES-encrypted."""
    extra = info.extra
    while len(extra) >= 4:
        header, size = struct.unpack("<HH", extra[:4])
        if header == AES_EXTRA_ID:
            return extra[4 + 4]  # version (2), vendor "AE" (2), then the strength
        extra = extra[4 + size :]
    return None
