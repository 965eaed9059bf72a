"""``python manage.py pmf_summary --period "2010/11 Q2"``: the dashboard's summary, from the same selectors."""

import csv
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from contracts.models import Organisation
from performance import dashboard


class Command(BaseCommand):
    help = "Print a period's RAG counts (overall and per provider) and, optionally, the change since another."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help='The reporting period, written like "2010/11 Q2".')
        parser.add_argument("--provider-kind", default="", help="Comma-separated kinds of provider: cio,hub,lrc.")
        parser.add_argument("--compare-to", default="", help='An earlier period to compare with, e.g. "2009/10 Q3".')
        parser.add_argument("--format", choices=["json", "csv"], default="json", help="json (default) or csv.")
        parser.add_argument(
            "--include-drafts",
            action="store_true",
            help="Count draft and sent-back returns too (they are not by default).",
        )

    def _period(self, option: str, label: str):
        try:
            return dashboard.period_by_label(label)
        except ValidationError as error:
            raise CommandError(f"{option}: {' '.join(error.messages)}") from error

    def handle(self, *args, **options):
        period = self._period("--period", options["period"])
        compare_to = self._period("--compare-to", options["compare_to"]) if options["compare_to"] else None
        if compare_to is not None and not dashboard.is_before(compare_to, period):
            raise CommandError(f"--compare-to: choose a period before {period.label} to compare with")
        kinds = tuple(kind.strip() for kind in options["provider_kind"].split(",") if kind.strip())
        unknown = sorted(set(kinds) - set(Organisation.Kind.values))
        if unknown:
            raise CommandError(
                f"--provider-kind: {', '.join(unknown)} is not a kind of provider; use cio, hub or lrc, comma-separated"
            )
        filters = dashboard.DashboardFilters(
            period=period,
            compare_to=compare_to,
            provider_kinds=kinds,
            draft_providers=Organisation.objects.all() if options["include_drafts"] else None,
        )
        summary = dashboard.pmf_summary(filters)
        if options["format"] == "json":
            self.stdout.write(json.dumps(summary, indent=2))
            return
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(["period", "code", "kind", *dashboard.RAG_KEYS])
        for provider in summary["providers"]:
            writer.writerow(
                [summary["period"], provider["code"], provider["kind"], *(provider[k] for k in dashboard.RAG_KEYS)]
            )
        writer.writerow([summary["period"], "TOTAL", "", *(summary["totals"][k] for k in dashboard.RAG_KEYS)])
        if "change" in summary:
            change = summary["change"]
            writer.writerow([])
            writer.writerow(["compare_to", "measure", "count"])
            for measure in dashboard.MOVES:
                writer.writerow([change["compare_to"], measure, change[measure]])
            writer.writerow([change["compare_to"], "declined_indicators", " ".join(change["declined_indicators"])])
