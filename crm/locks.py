"""The CRM's row locks, in one place, taken only by ``crm.services``.

Order: **contact details, customer, lead**. Converting a lead first takes
``customers.locks.contact_details_lock`` on the lead's email and phone, so two
tills converting leads that share them match one after the other instead of
each creating the customer. It then locks the customer it will link to (with
``customers.locks.customer_for_update``: the customer's lock has one home),
then the lead, the order every writer that touches both keeps, so two tills
converting (or a till selling to a customer while another converts a lead onto
them) never wait on each other in a circle. ``sales`` also locks the customer
first; no row lock is ever held while waiting for contact details.

On PostgreSQL ``select_for_update`` makes a second till wait for the first to
commit. SQLite ignores it, but every write transaction there is IMMEDIATE and
holds the database's only write lock, which serialises the tills the same way.
"""

from crm.models import Activity, Lead


def lock_lead(lead_id: int) -> Lead:
    """Return the lead row, locked until the transaction ends (after any customer)."""
    return Lead.objects.select_for_update().get(pk=lead_id)


def lock_activity(activity_id: int) -> Activity:
    """Return the activity row, locked: two clicks on "done" record one completion time."""
    return Activity.objects.select_for_update().get(pk=activity_id)
