"""``manage.py deliver_messages``: the worker that sends the outbox (receipts by email)."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from messaging.delivery import messages_deliver

IDLE_SLEEP_SECONDS = 2.0


class Command(BaseCommand):
    help = (
        "Send queued messages (receipts by email) through the configured mail server, "
        "retrying failures with backoff, until stopped. One worker per deployment is "
        "enough (several are safe on PostgreSQL). --once sends what is due and exits."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Send the messages due now, then exit."
        )
        parser.add_argument(
            "--batch",
            type=int,
            default=50,
            help="At most this many messages between two looks at the clock (default 50).",
        )

    def handle(self, *args, **options):
        if options["once"]:
            outcome = messages_deliver(limit=options["batch"])
            self.stdout.write(f"Sent {outcome['sent']}, not sent {outcome['not_sent']}.")
            return
        self.stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        self.stdout.write("Delivering messages (Ctrl+C to stop).")
        while not self.stopping:
            close_old_connections()
            outcome = messages_deliver(limit=options["batch"], stopping=lambda: self.stopping)
            if not any(outcome.values()):
                time.sleep(IDLE_SLEEP_SECONDS)

    def _stop(self, signum, frame) -> None:
        """Finish the message in hand, then exit (the rest stay queued for the next start)."""
        self.stopping = True
