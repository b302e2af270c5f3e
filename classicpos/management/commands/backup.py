"""``manage.py backup [PATH]``: a consistent copy of the SQLite database while the shop runs."""

import sqlite3
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

PAGES_PER_STEP = 1024


class Command(BaseCommand):
    help = (
        "Copy the SQLite database to PATH (default var/backups/classicpos-<time>.sqlite3) with "
        "SQLite's online backup API: consistent even while tills write. For PostgreSQL use "
        "pg_dump (see the README)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            help="Where to write the copy; an existing file is refused unless --force.",
        )
        parser.add_argument("--force", action="store_true", help="Overwrite PATH if it exists.")

    def handle(self, *args, **options):
        database = connections[DEFAULT_DB_ALIAS].settings_dict
        if database["ENGINE"] != "django.db.backends.sqlite3":
            raise CommandError(
                "backup copies SQLite databases. For PostgreSQL run: "
                'pg_dump --format=custom --file=classicpos.dump "$DATABASE_URL"'
            )
        source = Path(database["NAME"])
        if not source.exists():
            raise CommandError(f"There is no database at {source}.")
        target = Path(options["path"] or self._default_path())
        if target.resolve() == source.resolve():
            raise CommandError("Write the backup somewhere else than the database itself.")
        if target.exists() and not options["force"]:
            raise CommandError(f"{target} exists; choose another path or add --force.")
        target.parent.mkdir(parents=True, exist_ok=True)
        # Copied beside the target, then renamed: a failed copy never replaces a good backup.
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        try:
            pages = self._copy(source, partial)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(self.style.SUCCESS(f"Backed up {source} to {target} ({pages:,} pages)."))

    def _default_path(self) -> Path:
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        return Path(settings.BASE_DIR) / "var" / "backups" / f"classicpos-{stamp}.sqlite3"

    def _copy(self, source: Path, target: Path) -> int:
        """Copy page by page; writers only wait for each small step, never for the whole copy."""
        copied = 0

        def progress(status, remaining, total):
            nonlocal copied
            copied = total

        with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
            origin.backup(copy, pages=PAGES_PER_STEP, progress=progress)
            result = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise CommandError(f"The copy failed its integrity check: {result}")
        return copied
