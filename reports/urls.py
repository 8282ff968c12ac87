from __future__ import annotations

from django.urls import path

from reports import personal_views, views

app_name = "reports"

urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("download.<str:file_format>", views.statistics_download, name="statistics_download"),
    path("anonymised/", views.anonymised, name="anonymised"),
    path("data-quality/", views.data_quality, name="data_quality"),
    path("monitor/", views.monitor, name="monitor"),
    path("monitor.pdf", views.monitor_pdf, name="monitor_pdf"),
    path(
        "anonymised/download.<str:file_format>",
        views.anonymised_download,
        name="anonymised_download",
    ),
    path("personal/", personal_views.personal_export, name="personal_export"),
    path(
        "referrals/download.<str:file_format>",
        views.referrals_download,
        name="referrals_download",
    ),
]
