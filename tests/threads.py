"""Start the same work in several threads at once, as tills racing on one row would."""

import threading

from django.db import connection


def run_together(work, *, threads: int) -> tuple[list, list[Exception]]:
    """Run ``work(index)`` in ``threads`` threads released together; return what they
    returned and the exceptions they raised. Each thread closes its own connection."""
    results, errors = [], []
    start = threading.Barrier(threads)

    def runner(index):
        try:
            start.wait()
            results.append(work(index))
        except Exception as error:  # noqa: BLE001 - returned to the test
            errors.append(error)
        finally:
            connection.close()

    pool = [threading.Thread(target=runner, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=60)
    return results, errors
