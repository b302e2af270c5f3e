"""``manage.py seed_demo``: a demo shop — customers, products and a sales history."""

import time

from django.core.management.base import BaseCommand, CommandError

from classicpos.demo import seeders

# Below this many rows a seeder is done before a progress line would help.
PROGRESS_FROM = 10_000
# Without a terminal (a log, CI), a plain line at most this often.
PLAIN_EVERY_SECONDS = 10.0


class Progress:
    """One seeder's progress: ``customers 420,000/1,000,000 (42%) 38 s``.

    On a terminal it is one line rewritten in place; otherwise (a log file, CI) it
    is a plain line every ``PLAIN_EVERY_SECONDS`` and at each new stage, so a log
    shows that a long load is moving without a line per batch. Seeders call it as
    ``progress(done, total, stage="")``.
    """

    def __init__(self, name: str, stdout, *, terminal: bool):
        self.name = name
        self.stdout = stdout
        self.terminal = terminal
        self.started = time.monotonic()
        self.last_plain = None
        self.last_stage = ""
        self.shown = None  # (done, total) last reported, once a line was written

    def line(self, done: int, total: int, stage: str, now: float) -> str:
        line = f"{self.name} {done:,}/{total:,} ({done * 100 // total}%) {now - self.started:.0f} s"
        return f"{line}, {stage}" if stage else line

    def __call__(self, done: int, total: int, stage: str = "") -> None:
        if total < PROGRESS_FROM:
            return
        now = time.monotonic()
        self.shown = (done, total)
        if self.terminal:
            # \r goes back to the line's start; the padding covers a longer line before.
            self.stdout.write(f"\r{self.line(done, total, stage, now):<78}", ending="")
            self.stdout.flush()
            return
        due = self.last_plain is None or now - self.last_plain >= PLAIN_EVERY_SECONDS
        if due or stage != self.last_stage:
            self.stdout.write(self.line(done, total, stage, now))
            self.last_plain, self.last_stage = now, stage

    def finish(self, *, failed: bool = False) -> None:
        """Write the final state with the whole time taken, ending the rewritten line.

        After a failure only the line is ended, so the error starts on its own line.
        """
        if self.shown is None:
            return
        if failed:
            if self.terminal:
                self.stdout.write("")
        else:
            line = self.line(*self.shown, "done", time.monotonic())
            self.stdout.write(f"\r{line:<78}" if self.terminal else line)
        self.shown = None


class Command(BaseCommand):
    help = (
        "Load a demo shop: customers, then what each module adds (products and sales). "
        "For load tests at a million customers, bench/seed.py loads them in bulk."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--customers",
            type=int,
            default=40,
            help="How many demo customers to create (default 40).",
        )
        parser.add_argument(
            "--sales",
            type=int,
            default=60,
            help="How many demo sales to ring up through the checkout (default 60).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Skip each part that already has data (used by make run).",
        )
        parser.add_argument("--seed", type=int, default=42, help="Random seed for repeatable data.")

    def handle(self, *args, **options):
        if options["customers"] < 0 or options["sales"] < 0:
            raise CommandError("--customers and --sales must be zero or more.")
        quiet = options["verbosity"] == 0
        for seeder in seeders():
            if options["if_empty"] and seeder.is_loaded():
                if not quiet:
                    self.stdout.write(f"{seeder.name}: data already exists; demo data not loaded.")
                continue
            progress = Progress(seeder.name, self.stdout, terminal=self.stdout.isatty())
            try:
                summary = seeder.seed(options=options, progress=None if quiet else progress)
            except BaseException:
                progress.finish(failed=True)
                raise
            progress.finish()
            if not quiet:
                self.stdout.write(self.style.SUCCESS(summary))
