"""On PostgreSQL, tills of several stores selling at once: each store's series is gap-free,
no number is given twice, and a refused sale gives its number back."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from sales.models import Sale
from tests.sales.helpers import ring_up
from tests.stores.factories import StoreFactory, TillFactory
from tests.threads import run_together

THREADS = 12
SALES_EACH = 4

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Row locks under real concurrency need PostgreSQL (make test-postgres); "
        "SQLite serialises every write transaction instead.",
    ),
]


def test_each_stores_numbers_stay_gap_free_under_concurrent_checkouts(cashier):
    tills = [TillFactory(store=StoreFactory(code=code)) for code in ("DT", "AP", "MX")]

    def till_at_work(index):
        till = tills[index % len(tills)]
        for sale in range(SALES_EACH):
            if (index + sale) % 4 == 0:
                # Refused after the till was chosen: its number must not be used up.
                with pytest.raises(ValidationError):
                    ring_up(customer=None, cashier=cashier, till=till, price="5.00",
                            payments=[("cash", "1.00")])  # fmt: skip
            else:
                ring_up(customer=None, price="5.00", cashier=cashier, till=till)

    _, errors = run_together(till_at_work, threads=THREADS)
    assert errors == []
    for till in tills:
        numbers = sorted(
            int(re.fullmatch(rf"{till.store.code}-(\d+)", number).group(1))
            for number in Sale.objects.filter(store=till.store).values_list("number", flat=True)
        )
        assert numbers == list(range(1, len(numbers) + 1))
    refused = sum(1 for i in range(THREADS) for s in range(SALES_EACH) if (i + s) % 4 == 0)
    assert Sale.objects.count() == THREADS * SALES_EACH - refused
