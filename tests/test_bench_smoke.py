"""``make bench`` still runs: its script against a small database, a few requests each.

The benchmark itself (a million customers) is not part of the test suite; this
proves its moving parts work — seeding, gunicorn, the floor app, the naive query,
the report — so ``make bench`` does not break unnoticed.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

# Each runs a script in its own process against its own database: seconds apiece, so
# ``make test-fast`` leaves them out; ``make test`` and CI run them.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def run_bench_script(script: str, *arguments: str, database: Path) -> None:
    """Run ``bench/<script>`` on its own SQLite file; fail the test with its output if it fails."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["DATABASE_URL"] = f"sqlite:///{database}"
    completed = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "bench" / script), *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the smoke run uses its own SQLite file")
def test_the_benchmark_runs_and_writes_its_table(tmp_path):
    database = tmp_path / "bench.sqlite3"
    output = tmp_path / "results.md"
    output.write_text(
        "# results\n\n## PostgreSQL\n\nan earlier PostgreSQL run\n\n## SQLite\n\nold\n"
    )
    run_bench_script(
        "run.py",
        *("--customers", "2000", "--repeat", "2", "--naive-repeat", "1", "--sales", "30"),
        *("--workers", "1", "--output", str(output)),
        database=database,
    )
    report = output.read_text()
    # Its own engine's section, with the machine's load and speed; another engine's stays.
    assert report.count("## SQLite") == 1
    assert "## PostgreSQL\n\nan earlier PostgreSQL run" in report
    assert "load average" in report
    assert re.search(r"the reference loop took \d+ ms before and \d+ ms after", report)
    for label in (
        "list page 1",
        "rare email fragment",
        "phone digits",
        "one character `j`",
        "`jo sm`",
    ):
        assert label in report
    assert "checkout, 3 lines, customer, loyalty" in report
    assert "Server peak RSS" in report
    # Each search row has ours, the floor and the naive query.
    search_row = next(line for line in report.splitlines() if "common name fragment" in line)
    assert len(re.findall(r"\dx \|", search_row)) == 2
    # Each segment of the customer list has its row, timed, with how its plan reads customers.
    assert "| plan |" in report
    segments = (
        "tag=VIP",
        "consent=email",
        "birthdayWithinDays=7",
        "minPoints=100",
        "minSpend=50.00",
        "lastVisitAfter=",
        "hasOverdue=true",
        "tag=VIP&consent=email&search=son",
    )
    rows = [line for line in report.splitlines() if line.startswith("| segment `")]
    assert len(rows) == len(segments)
    for segment, row in zip(segments, rows, strict=True):
        assert segment in row
        assert row.rstrip(" |").endswith(("| index", "| index walk", "| scan"))
    # The bench put sales and overdue invoices in its database for those segments.
    assert "overdue invoices" in report
    assert " 0 overdue invoices" not in report


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the floor's SQL is SQLite's")
def test_the_framework_floor_runs_and_writes_its_table(tmp_path):
    database = tmp_path / "bench.sqlite3"
    output = tmp_path / "results.md"
    output.write_text("# results\n\n## SQLite\n\nthe last make bench\n")
    run_bench_script(
        "framework_floor.py",
        *("--customers", "2000", "--sales", "30", "--rounds", "2", "--workers", "1"),
        *("--output", str(output)),
        database=database,
    )
    report = output.read_text()
    # Its own section beside make bench's, which stays.
    assert "## SQLite\n\nthe last make bench" in report
    assert report.count("## Framework floor (SQLite)") == 1
    assert "| search | ours | DRF + floor SQL | Django + floor SQL | bare floor |" in report
    for label in ("rare email fragment", "phone digits", "`son`", "`j`", "`jo`"):
        row = next(line for line in report.splitlines() if label in line)
        # Four ways timed (p50 / p95 each) and ours' gap to the DRF view.
        assert len(re.findall(r"\d+\.\d\d / \d+\.\d\d", row)) == 4
        assert re.search(r"\| -?\d+\.\d\d \|$", row)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the smoke run uses its own SQLite file")
def test_the_import_beside_the_till_bench_runs_and_writes_its_table(tmp_path):
    output = tmp_path / "results.md"
    output.write_text("# results\n\n## SQLite\n\nthe last make bench\n")
    run_bench_script(
        "import_during_sales.py",
        *("--rows", "300", "--alone", "5", "--workers", "2", "--output", str(output)),
        database=tmp_path / "bench.sqlite3",
    )
    report = output.read_text()
    assert "## SQLite\n\nthe last make bench" in report
    assert report.count("## Import beside the till") == 1
    for label in ("| alone | 5 |", "| while a file is checked |", "| while it is imported |"):
        assert label in report
    assert "300 created" in report


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the chain bench measures PostgreSQL only"
)
def test_the_chain_bench_runs_checks_and_writes_its_table(tmp_path):
    """A few tills in two stores and then one, with a step-up and the profile: sales go
    through, every series and ledger is checked, and the runs stand side by side."""
    output = tmp_path / "results.md"
    output.write_text("# results\n\n## PostgreSQL\n\nthe last make bench\n")
    settings = connection.settings_dict
    # The test database, which the test's own transaction does not hold: the script's
    # server and its checks see what it commits, and the flush after the test empties it.
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    url = (
        f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = url
    arguments = ("--smoke", "--stores", "2,1", "--steps", "0.05", "--profile")
    arguments += ("--output", str(output))
    completed = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "bench" / "chain.py"), *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    report = output.read_text()
    assert "## PostgreSQL\n\nthe last make bench" in report
    assert report.count("## PostgreSQL: the chain under load") == 1
    assert "| | 2 store(s), 4 tills | 1 store(s), 4 tills |" in report
    for kind in ("search", "quote", "checkout"):
        assert re.search(rf"\| {kind} p50 / p95 / p99 ms \| \d+ / \d+ / \d+ \|", report)
    sales = re.search(r"\| sales \| (\d+) \| (\d+) \|", report)
    assert sales, report
    assert min(int(sales.group(1)), int(sales.group(2))) > 0, report
    assert "| errors | 0 | 0 |" in report
    assert "| ledgers reconcile | yes | yes |" in report
    assert re.search(r"\| number series checked, problems \| \d+, none \| \d+, none \|", report)
    assert "Highest held with checkout p95" in report
    # --profile: the workers' own figures per request type and the checkout's statements.
    assert re.search(
        r"\| worker CPU ms per request \(search, quote, checkout\) \| [\d.]+, ", report
    )
    assert "the checkout's statements by time spent in them" in report
    assert "Every correctness check passed (0 errors, numbers, ledgers)." in report
