"""``manage.py run_jobs``: the runner of background jobs (big imports and exports)."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from classicpos.job_runner import jobs_purge, jobs_run_pending

IDLE_SLEEP_SECONDS = 1.0
PURGE_EVERY_SECONDS = 600


class Command(BaseCommand):
    help = (
        "Run queued background jobs (imports and exports too big for a request) until "
        "stopped; one runner per deployment is enough (several are safe). --once runs "
        "what is waiting and exits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run the waiting jobs, then exit.")

    def handle(self, *args, **options):
        if options["once"]:
            ran = jobs_run_pending()
            jobs_purge()
            self.stdout.write(f"Ran {ran} job{'' if ran == 1 else 's'}.")
            return
        self.stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        self.stdout.write("Running background jobs (Ctrl+C to stop).")
        purged_at = 0.0
        while not self.stopping:
            close_old_connections()
            if time.monotonic() - purged_at > PURGE_EVERY_SECONDS:
                jobs_purge()
                purged_at = time.monotonic()
            if not jobs_run_pending(limit=1):
                time.sleep(IDLE_SLEEP_SECONDS)

    def _stop(self, signum, frame) -> None:
        """Finish the job in hand, then exit (a job cut short resumes on the next start)."""
        self.stopping = True
