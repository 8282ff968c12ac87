"""manage.py expire_export_grants: record every personal-export grant past its expiry."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from reports.models import ExportGrant


class Command(BaseCommand):
    help = (
        "Record every approved personal-export grant whose 24 hours have passed as expired, "
        "with an export_grant audit event (step 'expired') for each. An expired grant already "
        "lets nobody export; this puts its end in the audit trail even when nobody looks at it "
        "again. Safe to run twice or at the same time: each expiry is recorded once. Run it "
        "every few minutes (docs/deployment.md)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        expired = ExportGrant.expire_due()
        self.stdout.write(f"{expired} personal-export grant(s) recorded as expired")
