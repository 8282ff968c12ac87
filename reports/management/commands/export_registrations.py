"""manage.py export_registrations: the anonymised dataset or the audited personal export."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from registry import access
from registry.access import may_count
from registry.models import User
from registry.second_factor import check_code
from registry.terminal import progress_bar
from reports.aggregates import COMMAND_LINE, Period, counted_registrations
from reports.anonymise import LAYOUTS
from reports.care_disclosure import anonymised_dataset, anonymised_header
from reports.columns import PERSONAL_EXPORT_COLUMNS, personal_rows
from reports.dimensions import AGE_SCHEMES
from reports.management.commands._common import (
    atomic_file,
    check_output,
    find_user,
    parse_period,
    parse_published_period,
    write_binary,
)
from reports.personal import personal_queryset, record_export
from reports.referrals import REFERRAL_COLUMNS, referral_rows, referrals_in
from reports.suppression import small_cell_k
from reports.writers import ExportResult, counted, write_csv, write_xlsx


class Command(BaseCommand):
    help = (
        "Export registrations to a file. --anonymised writes the k-anonymous dataset (no "
        "personal columns; year, age band; one generalisation chosen for the release, the "
        "rarest combinations left out), in the registry's columns or with --layout ctdc in "
        "those of CTDC's Global Dataset, and prints the rows kept, the generalisation chosen "
        "and the information lost. --personal writes every column "
        "including personal data, decrypted: with --user the user must be an active "
        "administrator holding an approved personal-export grant (two administrators grant "
        "it in the admin; it lasts 24 hours); the export is recorded in the audit trail (user, "
        "filters, rows, SHA-256 of the file). Cells that a spreadsheet would run as a formula "
        "are neutralised. The file appears only when complete. On a terminal a bar shows the rows "
        "written (counts only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        kind = parser.add_mutually_exclusive_group(required=True)
        kind.add_argument("--anonymised", action="store_true", help="the k-anonymous dataset")
        kind.add_argument("--personal", action="store_true", help="with personal data")
        kind.add_argument(
            "--referrals",
            action="store_true",
            help=(
                "the referrals made in the period in HTCDS terms, one row per referral, "
                "nothing of the case or the person (docs/reports.md)"
            ),
        )
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", required=True, help="file to write")
        parser.add_argument(
            "--period",
            help=(
                "with --anonymised or --referrals (required): the published period, a calendar "
                "year, half-year, quarter or run of whole years that has ended, as 2025, 2025-H1, "
                "2025-Q3 or 2015-2019"
            ),
        )
        parser.add_argument(
            "--from", help="with --personal only: first registration date, YYYY-MM-DD"
        )
        parser.add_argument("--to", help="with --personal only: last registration date, YYYY-MM-DD")
        parser.add_argument("--user", help="username the export is made for and audited as")
        parser.add_argument(
            "--code",
            help=(
                "with --personal --user: the user's current second-factor code (authenticator "
                "app or an unused backup code); asked for when left out on a terminal"
            ),
        )
        parser.add_argument("--k", type=int, help="k of the anonymised dataset (default setting)")
        parser.add_argument(
            "--age-bands", choices=sorted(AGE_SCHEMES), default="monitor", help="age band scheme"
        )
        parser.add_argument(
            "--layout",
            choices=LAYOUTS,
            default="registry",
            help=(
                "with --anonymised: the registry's columns (default) or ctdc, the columns and "
                "codes of CTDC's k-anonymised Global Dataset (CTDC age bands, no region)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["personal"]:
            # Not published: the audited personal export may take any dates.
            if options.get("period"):
                raise CommandError("--period is for published files; --personal takes --from/--to")
            period = parse_period(options)
        else:
            period = parse_published_period(options)
        target = check_output(options["output"])
        user = find_user(options.get("user"))
        if options["k"] is not None and options["k"] < 1:
            raise CommandError("--k must be 1 or more")
        if options["personal"]:
            self._personal(user, period, options, target)
        elif options["referrals"]:
            self._referrals(user, period, options, target)
        else:
            self._anonymised(user, period, options, target)

    def _write(
        self, path: str, file_format: str, header: list[str], rows: Any, total: int
    ) -> ExportResult:
        with progress_bar("export_registrations") as progress:
            rows = counted(rows, progress, total)
            if file_format == "xlsx":
                return write_xlsx(path, header, rows)
            return write_binary(path, lambda handle: write_csv(handle, header, rows))

    def _personal(
        self, user: User | None, period: Period, options: dict[str, Any], target: Any
    ) -> None:
        if user is not None and not access.may_export_personal(user):
            raise CommandError(
                f"user {user.get_username()!r} may not export personal data: it takes an "
                "active administrator with an approved personal-export grant in force (requested "
                "by one administrator, approved by another, valid 24 hours)"
            )
        if user is not None:
            self._second_factor(user, options.get("code"))
        actor = "" if user else f"manage.py ({getpass.getuser()})"
        filters = {**period.as_filters(), "screen": "command"}
        file_format = options["format"]
        record_export(
            "personal",
            "started",
            user=user,
            actor_name=actor,
            file_format=file_format,
            filters=filters,
        )
        result = ExportResult()
        try:
            with atomic_file(target) as temporary:
                registrations = personal_queryset(user, period)
                result = self._write(
                    temporary,
                    file_format,
                    PERSONAL_EXPORT_COLUMNS,
                    personal_rows(registrations),
                    registrations.count(),
                )
        finally:
            record_export(
                "personal",
                "finished" if result.completed else "aborted",
                user=user,
                actor_name=actor,
                file_format=file_format,
                filters=filters,
                result=result,
            )
        self.stdout.write(
            f"{result.rows} registrations written to {target} (sha256 {result.sha256})"
        )

    def _second_factor(self, user: User, code: str | None) -> None:
        """A personal export made for a user proves that user's second factor now."""
        if code is None:
            if not sys.stdin.isatty():
                raise CommandError(
                    "a personal export for --user needs that user's second factor: give "
                    "--code with the current code of their authenticator app"
                )
            code = getpass.getpass(f"Second-factor code of {user.get_username()}: ")
        if check_code(user, code, screen="command") is None:
            raise CommandError(
                f"that is not a valid second-factor code for {user.get_username()!r}; "
                "nothing was exported"
            )

    def _anonymised(
        self, user: User | None, period: Period, options: dict[str, Any], target: Any
    ) -> None:
        k = options["k"] or small_cell_k()
        qs = counted_registrations(user or COMMAND_LINE, period)
        layout = options["layout"]
        summary, withholding, rows = anonymised_dataset(qs, k, options["age_bands"], layout)
        with atomic_file(target) as temporary:
            result = self._write(
                temporary, options["format"], anonymised_header(layout), rows, summary.published
            )
        actor = "" if user else f"manage.py ({getpass.getuser()})"
        record_export(
            "anonymised",
            "finished",
            user=user,
            actor_name=actor,
            file_format=options["format"],
            filters={
                **period.as_filters(),
                "screen": "command",
                "age_bands": options["age_bands"],
                "layout": layout,
            },
            result=result,
            extra={"summary": summary.as_dict(), "care_cells_withheld": withholding.cells},
        )
        s = summary
        self.stdout.write(
            f"{result.rows} of {s.total} registrations written to {target} (k={k}, layout "
            f"{layout}): {s.suppressed} suppressed ({100 * s.kept_share:.1f}% kept); "
            f"generalisation {s.generalisation()}; information lost {100 * s.loss:.1f}%, "
            f"cells not as recorded {100 * s.cells_generalised:.1f}% "
            f"({s.nodes_evaluated} of {s.nodes} generalisations tried in {s.seconds:.2f} s); "
            f"{withholding.cells} care cells withheld (a value every row of its group shares)"
        )

    def _referrals(
        self, user: User | None, period: Period, options: dict[str, Any], target: Any
    ) -> None:
        if user is not None and not may_count(user):
            raise CommandError(f"user {user.get_username()!r} may not read statistics")
        with atomic_file(target) as temporary:
            result = self._write(
                temporary,
                options["format"],
                REFERRAL_COLUMNS,
                referral_rows(period),
                referrals_in(period).count(),
            )
        record_export(
            "referrals",
            "finished",
            user=user,
            actor_name="" if user else f"manage.py ({getpass.getuser()})",
            file_format=options["format"],
            filters={**period.as_filters(), "screen": "command"},
            result=result,
        )
        self.stdout.write(f"{result.rows} referrals written to {target}")
