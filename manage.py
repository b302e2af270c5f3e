#!/usr/bin/env python
"""Django's command-line utility for ClassicPOS."""

import os
import sys


def main() -> None:
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "classicpos.settings")
    # Commands (an import, a migration's index at a million rows) may run statements
    # longer than a request should; requests keep the settings' statement timeout.
    os.environ.setdefault("CLASSICPOS_DB_STATEMENT_TIMEOUT_SECONDS", "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
