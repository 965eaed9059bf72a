"""``python manage.py pmf_summary --period "2010/11 Q2"``: the dashboard's summary, from the same selectors."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.exports import csv_writer
from districts.selectors import partnership_named
from performance import dashboard
from performance.filters import summary_filters


class Command(BaseCommand):
    help = "Print a period's RAG counts (overall and per provider) and, optionally, the change since another."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help='The reporting period, written like "2010/11 Q2".')
        parser.add_argument(
            "--partnership",
            default="",
            help="The partnership's slug, e.g. leicestershire (needed once several partnerships exist).",
        )
        parser.add_argument("--provider-kind", default="", help="Comma-separated kinds of provider: cio,hub,lrc.")
        parser.add_argument("--compare-to", default="", help='An earlier period to compare with, e.g. "2009/10 Q3".')
        parser.add_argument("--format", choices=["json", "csv"], default="json", help="json (default) or csv.")
        parser.add_argument(
            "--provider-control",
            default="",
            help="full: only indicators under the provider's complete control; partial: only those that are not.",
        )
        parser.add_argument(
            "--include-drafts",
            action="store_true",
            help="Count draft and sent-back returns too (they are not by default).",
        )

    def handle(self, *args, **options):
        parameters = {
            "period": options["period"],
            "provider_kind": options["provider_kind"],
            "compare_to": options["compare_to"],
            "include_drafts": "true" if options["include_drafts"] else "",
            "provider_control": options["provider_control"],
        }
        try:
            partnership = partnership_named(options["partnership"])
        except ValueError as error:
            raise CommandError(f"--partnership: {error}") from error
        try:
            # Read by the dashboard's own form, as the operator at the command line (who counts every draft).
            filters = summary_filters(parameters, user=None, partnership=partnership.pk)
        except ValidationError as error:
            # One option at a time, the first in the order they are read: --period, --compare-to, --provider-kind.
            name, messages = next(iter(error.message_dict.items()))
            raise CommandError(f"--{name.replace('_', '-')}: {' '.join(messages)}") from error
        summary = dashboard.pmf_summary(filters)
        if options["format"] == "json":
            self.stdout.write(json.dumps(summary, indent=2))
            return
        writer = csv_writer(self.stdout, lineterminator="\n")
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
