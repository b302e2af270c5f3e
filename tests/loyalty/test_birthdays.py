"""Birthday rewards: points in the birthday week, once a year, to those who agreed to marketing."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from customers.models import Channel
from customers.services import customer_create, customer_deactivate
from loyalty.birthdays import birthday_rewards_give, birthdays_around
from loyalty.models import LoyaltyProgram, LoyaltyTransaction, PointsLot
from loyalty.selectors import balance_mismatches, lot_mismatches
from messaging.models import Message, MessageKind
from tests.threads import run_together

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 15)


def program(points=200, greeting=False):
    current = LoyaltyProgram.current()
    current.birthday_points = points
    current.birthday_greeting = greeting
    current.save()
    return current


def born(birthday, *, email_consent=True, sms_consent=False, **fields):
    fields.setdefault("name", f"Born {birthday.isoformat()}")
    return customer_create(
        actor=None,
        channel=Channel.PAGE,
        birthday=birthday,
        email_consent=email_consent,
        sms_consent=sms_consent,
        **fields,
    )


def rewards(customer=None):
    rows = LoyaltyTransaction.objects.filter(kind="birthday")
    return rows.filter(customer=customer) if customer else rows


def test_points_are_given_in_the_birthday_week_and_open_a_lot():
    program(points=200)
    inside = [born(date(1980, 6, 12)), born(date(1991, 6, 15)), born(date(2001, 6, 18))]
    outside = [born(date(1980, 6, 11)), born(date(1980, 6, 19)), born(date(1980, 7, 15))]

    run = birthday_rewards_give(today=DAY)

    assert (run.customers, run.points) == (3, 600)
    for customer in inside:
        customer.refresh_from_db()
        [row] = rewards(customer)
        assert (row.points, row.balance_after, row.reason) == (200, 200, "Birthday reward 2026")
        assert customer.loyalty_points == 200
        assert PointsLot.objects.get(entry=row).remaining == 200
    assert not rewards().filter(customer__in=outside).exists()
    assert list(balance_mismatches()) == []
    assert list(lot_mismatches()) == []


def test_only_active_customers_who_gave_a_birthday_and_agreed_to_marketing():
    program()
    by_text = born(date(1980, 6, 15), email_consent=False, sms_consent=True)
    declined = born(date(1980, 6, 15), email_consent=False)
    gone = born(date(1980, 6, 15))
    customer_deactivate(customer=gone, actor=None, channel=Channel.PAGE)
    born_unknown = customer_create(
        actor=None, channel=Channel.PAGE, name="No day", email_consent=True
    )

    run = birthday_rewards_give(today=DAY)

    assert run.customers == 1
    assert list(rewards().values_list("customer", flat=True)) == [by_text.pk]
    assert not rewards().filter(customer__in=[declined, gone, born_unknown]).exists()


def test_once_a_year_however_often_the_job_runs_in_the_week():
    program(points=50)
    customer = born(date(1985, 6, 16))

    runs = [birthday_rewards_give(today=date(2026, 6, day)).customers for day in range(13, 20)]
    next_year = birthday_rewards_give(today=date(2027, 6, 16))

    assert runs == [1, 0, 0, 0, 0, 0, 0]
    assert next_year.customers == 1
    assert [row.reference for row in rewards(customer).order_by("pk")] == [
        f"birthday-{customer.pk}-2026",
        f"birthday-{customer.pk}-2027",
    ]
    customer.refresh_from_db()
    assert customer.loyalty_points == 100


def test_a_week_across_new_year_rewards_the_coming_birthday_once():
    program()
    customer = born(date(1990, 1, 1))

    assert birthday_rewards_give(today=date(2026, 12, 29)).customers == 1
    assert birthday_rewards_give(today=date(2027, 1, 1)).customers == 0
    [row] = rewards(customer)
    assert row.reference == f"birthday-{customer.pk}-2027"


def test_a_29_february_birthday_is_kept_on_the_28th_in_other_years():
    assert birthdays_around(date(2027, 2, 25))[229] == 2027
    assert 229 not in birthdays_around(date(2028, 2, 24))
    program()
    leapling = born(date(2000, 2, 29))

    assert birthday_rewards_give(today=date(2027, 2, 25)).customers == 1
    assert rewards(leapling).get().reference == f"birthday-{leapling.pk}-2027"


def test_no_points_in_the_program_gives_nothing():
    program(points=0)
    born(date(1980, 6, 15))

    assert birthday_rewards_give(today=DAY).customers == 0
    assert not rewards().exists()


def test_the_greeting_goes_by_email_to_those_who_agreed_to_email_when_asked_for():
    program(points=120, greeting=True)
    emailed = born(date(1980, 6, 15), email="ann@example.com")
    born(date(1980, 6, 15), email="bob@example.com", email_consent=False, sms_consent=True)

    run = birthday_rewards_give(today=DAY)

    assert run.customers == 2
    [message] = Message.objects.filter(kind=MessageKind.BIRTHDAY)
    assert (message.to, message.customer_id) == ("ann@example.com", emailed.pk)
    assert message.subject.startswith("Happy birthday from ")
    assert "120 loyalty points" in message.text_body
    assert "your balance is now 120 points" in message.text_body
    assert "<strong>120</strong>" in message.html_body


def test_no_greeting_unless_the_program_asks_for_one():
    program(greeting=False)
    born(date(1980, 6, 15), email="ann@example.com")

    birthday_rewards_give(today=DAY)

    assert rewards().count() == 1
    assert not Message.objects.filter(kind=MessageKind.BIRTHDAY).exists()


def test_the_reward_is_on_the_timeline(manager_client):
    program(points=75)
    customer = born(date(1980, 6, 15))
    birthday_rewards_give(today=DAY)

    response = manager_client.get(f"/api/customers/{customer.pk}/timeline?kind=points.birthday")

    assert response.status_code == 200, response.content
    [entry] = response.json()["results"]
    assert entry["summary"] == "+75 points: Birthday reward 2026 (balance 75)"


def test_the_program_api_shows_the_birthday_reward(manager_client):
    program(points=75, greeting=True)

    data = manager_client.get("/api/loyalty-program").json()

    assert (data["birthdayPoints"], data["birthdayGreeting"]) == (75, True)


def test_the_command_says_what_it_gave_and_refuses_bad_dates():
    program(points=30)
    born(date(1980, 6, 15))
    out = StringIO()

    call_command("birthday_rewards", "--date", "2026-06-15", stdout=out)

    assert out.getvalue().strip() == (
        "30 point(s) and 0 voucher(s) given to 1 customer(s) for their birthday; 0 greeting(s)."
    )
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("birthday_rewards", "--date", "15/06/2026")
    with pytest.raises(CommandError, match="after today"):
        call_command("birthday_rewards", "--date", "2999-01-01")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Row locks under real concurrency need PostgreSQL (make test-postgres).",
)
def test_runs_at_once_give_one_reward_and_one_greeting():
    program(points=40, greeting=True)
    customers = [born(date(1980, 6, 14 + i), email=f"c{i}@example.com") for i in range(3)]

    results, errors = run_together(lambda index: birthday_rewards_give(today=DAY), threads=6)

    assert errors == []
    assert sum(run.customers for run in results) == 3
    assert rewards().count() == 3
    assert Message.objects.filter(kind=MessageKind.BIRTHDAY).count() == 3
    for customer in customers:
        customer.refresh_from_db()
        assert customer.loyalty_points == 40
    assert list(balance_mismatches()) == []
