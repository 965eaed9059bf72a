import time

from django.core.management.base import BaseCommand, CommandError

from vcsportal.synthetic import SyntheticReport, synthetic_generate

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Build a national-scale synthetic dataset: N councils (synthetic-001 ...), each with a CIO contract, "
        "10 sub-contracts and a return from every provider for 40 quarters (N=150 gives about 2.3 million "
        "results). Idempotent: councils that already exist are skipped. Needs load_leicestershire first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--councils", type=int, required=True, help="How many synthetic councils to have.")
        parser.add_argument("--seed", type=int, default=0, help="Seed for the random figures (default 0).")

    def handle(self, *args, councils, seed, **options):
        if councils < 1:
            raise CommandError("--councils must be 1 or more")
        started = time.monotonic()
        interactive = self.stdout.isatty()

        def progress(done: int, total: int, report: SyntheticReport):
            elapsed = time.monotonic() - started
            text = f"{done}/{total} councils, {report.results:,} results written, {elapsed:.0f}s"
            if interactive:
                filled = BAR_WIDTH * done // total
                self.stdout.write(f"\r[{'#' * filled}{' ' * (BAR_WIDTH - filled)}] {text}", ending="")
                self.stdout.flush()
            else:
                self.stdout.write(text)

        try:
            report = synthetic_generate(councils=councils, seed=seed, progress=progress)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if interactive:
            self.stdout.write("")
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {len(report.councils_created)} councils ({report.returns:,} returns, "
                f"{report.results:,} results); {len(report.councils_skipped)} already existed. {elapsed:.1f}s"
            )
        )
