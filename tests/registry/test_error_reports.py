"""A server error's report shows no posted value and no local variable."""

from __future__ import annotations

import sys

from django.test import RequestFactory
from django.views.debug import ExceptionReporter


def test_error_report_hides_posted_values_and_frame_variables(settings):
    settings.DEBUG = True
    request = RequestFactory().post("/intake/register/", {"family_name": "Zwartekoppenstraat"})
    request.user = None
    secret = "Quillonetta"  # a local variable of the failing frame

    try:
        raise ValueError("boom")
    except ValueError:
        exc_type, exc_value, tb = sys.exc_info()
    report = ExceptionReporter(request, exc_type, exc_value, tb).get_traceback_text()

    assert "boom" in report
    assert "family_name" in report
    assert "Zwartekoppenstraat" not in report
    assert secret not in report
