from __future__ import annotations

from django.urls import path

from registry import views
from registry.views import care, privacy, shelters

app_name = "registry"

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("cases/<uuid:pk>/", views.case_detail, name="case_detail"),
    path("cases/<uuid:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<uuid:pk>/take/", views.case_take, name="case_take"),
    path("cases/<uuid:pk>/notes/", views.case_note_add, name="case_note_add"),
    # Issue 14: residence procedures and referrals (registry/views/care.py)
    path("cases/<uuid:pk>/procedures/<str:kind>/", care.procedure_edit, name="procedure_edit"),
    path("cases/<uuid:pk>/referrals/", care.referral_add, name="referral_add"),
    path("referrals/<uuid:pk>/outcome/", care.referral_outcome, name="referral_outcome"),
    path("care/due/", care.care_due, name="care_due"),
    path("people/<uuid:pk>/", views.person_detail, name="person_detail"),
    path("people/<uuid:pk>/edit/", views.person_edit, name="person_edit"),
    path("cases/<uuid:pk>/handover/", views.handover_request, name="handover_request"),
    path("handovers/", views.handover_list, name="handover_list"),
    path("handovers/<uuid:pk>/", views.handover_detail, name="handover_detail"),
    path("handovers/<uuid:pk>/decide/", views.handover_decide, name="handover_decide"),
    path("handovers/<uuid:pk>/withdraw/", views.handover_withdraw, name="handover_withdraw"),
    path("helpdesk/", views.helpdesk, name="helpdesk"),
    path("cases/<uuid:pk>/shelter/", shelters.case_shelter, name="case_shelter"),
    path("placements/<uuid:pk>/end/", shelters.placement_end, name="placement_end"),
    path("placements/<uuid:pk>/withdraw/", shelters.placement_withdraw, name="placement_withdraw"),
    path("shelters/", shelters.shelter_overview, name="shelter_overview"),
    path("shelters/<int:pk>/place-next/", shelters.shelter_place_next, name="shelter_place_next"),
    path("audit/", views.audit_trail, name="audit_trail"),
    # Issue 17: retention, erasure and subject access (registry/views/privacy.py)
    path("privacy/", privacy.privacy, name="privacy"),
    path("people/<uuid:pk>/erase/", privacy.erasure_request, name="erasure_request"),
    path("privacy/erasure/<uuid:pk>/<str:step>/", privacy.erasure_decide, name="erasure_decide"),
    path("people/<uuid:pk>/subject-access/", privacy.subject_access, name="subject_access"),
    path("jobs/", views.job_list, name="job_list"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="job_download"),
]
