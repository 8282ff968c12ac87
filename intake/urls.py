from __future__ import annotations

from django.urls import path

from intake import drafts
from intake.views import consent, imports, reporter, staff, triage

app_name = "intake"

urlpatterns = [
    path("register/", staff.register, name="register"),
    path("register/draft/", drafts.register_draft, name="register_draft"),
    path("registrations/<uuid:pk>/saved/", staff.registered, name="registered"),
    path("submit/", reporter.submit, name="submit"),
    path("submit/draft/", drafts.submit_draft, name="submit_draft"),
    path("submissions/", reporter.my_submissions, name="my_submissions"),
    path("submissions/<uuid:pk>/", reporter.submitted, name="submitted"),
    path("submissions/add/", reporter.add_information, name="add_information"),
    path("triage/", triage.triage, name="triage"),
    path("triage/<uuid:pk>/", triage.triage_detail, name="triage_detail"),
    path("registrations/<uuid:pk>/consent/", consent.care_consent, name="care_consent"),
    path("import/", imports.import_upload, name="import_upload"),
]
