"""Error reports never carry what a user typed.

Django's error reports (the debug page, mails to ADMINS) show POST data and local variables
unless told otherwise. In this registry any posted field may be a victim's name, so every
posted value and every frame variable is hidden, always.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.views.debug import SafeExceptionReporterFilter


class NoPersonalDataFilter(SafeExceptionReporterFilter):
    def is_active(self, request: HttpRequest | None) -> bool:
        return True  # also with DEBUG on

    def get_post_parameters(self, request: HttpRequest | None) -> dict[str, Any]:
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)

    def get_traceback_frame_variables(self, request: HttpRequest | None, tb_frame: Any) -> Any:
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]
