"""A big import in a real browser: checked and imported by the job runner, the page following it."""

import threading

import pytest

from classicpos.job_runner import jobs_run_pending
from customers.models import Customer
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_data_tools import check_page

pytestmark = pytest.mark.e2e

CSV = (
    "name,email\n" + "".join(f"Walk In {n},walk{n}@example.com\n" for n in range(6)) + "Bad,nope\n"
)


@pytest.fixture(autouse=True)
def _big_is_five_rows(settings, tmp_path):
    settings.CLASSICPOS_IMPORT_BACKGROUND_ROWS = 5
    settings.CLASSICPOS_JOB_FILES_DIR = tmp_path
    settings.CLASSICPOS_JOB_WRITE_SHARE_PERCENT = 100


def run_jobs_soon() -> threading.Thread:
    """The job runner, a moment after the page first shows the job waiting."""
    runner = threading.Timer(1.5, jobs_run_pending)
    runner.start()
    return runner


def test_a_big_file_is_checked_and_imported_in_the_background(make_page, staff, tmp_path):
    path = tmp_path / "shop.csv"
    path.write_text(CSV)
    browser = make_page(viewport=DESKTOP)
    page = browser.page
    browser.login("maria")
    browser.goto("/customers/import/")

    page.set_input_files("#id_file", str(path))
    page.click("#import-check")
    page.wait_for_url("**/jobs/*/")
    assert "Waiting to start" in page.locator("#job-progress-text").inner_text()
    check_page(browser, "job waiting 1280")
    browser.screenshot("import-job-waiting-1280")
    runner = run_jobs_soon()
    page.locator("#import-report").wait_for(timeout=15_000)
    runner.join()
    assert "Checked shop.csv: nothing was saved" in page.locator("#import-result").inner_text()
    assert page.locator("[data-count=created]").inner_text() == "6"
    assert page.locator("[data-count=errors]").inner_text() == "1"
    assert not Customer.objects.exists()

    page.set_viewport_size(PHONE)
    check_page(browser, "job checked 375")
    browser.screenshot("import-job-checked-375")
    page.click("#import-run")
    page.wait_for_url("**/jobs/*/")
    runner = run_jobs_soon()
    page.locator("#import-report").wait_for(timeout=15_000)
    runner.join()
    assert page.locator("#import-result").inner_text() == "Imported shop.csv"
    assert Customer.objects.count() == 6
    with page.expect_download() as download:
        page.click("a[download$='-errors.csv']")
    assert download.value.suggested_filename == "shop-errors.csv"
    check_page(browser, "job imported 375")
    browser.screenshot("import-job-done-375")
