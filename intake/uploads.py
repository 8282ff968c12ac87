"""Uploads stop being read at the import's byte cap (settings.REGISTRY_IMPORT_MAX_BYTES).

Django's own handlers read a whole file (into memory, or a temporary file) before a form can
look at its size. This handler runs first and passes each chunk on until the file passes the
cap; then it stops the upload, and the rest of the request body is skipped, never kept. The
view learns it from ``upload_too_large(request)`` and says so instead of "no file".
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

TOO_LARGE_ATTRIBUTE = "_registry_upload_too_large"


def upload_too_large(request: HttpRequest) -> bool:
    """True when an upload of ``request`` passed the byte cap (and was dropped)."""
    return bool(getattr(request, TOO_LARGE_ATTRIBUTE, False))


class CappedUploadHandler(FileUploadHandler):
    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.REGISTRY_IMPORT_MAX_BYTES:
            setattr(self.request, TOO_LARGE_ATTRIBUTE, True)
            # connection_reset=False: the rest of the body is read and thrown away chunk by
            # chunk (nothing kept), so the browser gets the page that says why.
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
