"""The worklist and the search results use the same number of queries however many citizens they
show: no query per row. (How fast they are is measured in bench/, never here.)"""

import datetime
import re

import pytest
from django.urls import reverse

from teten.accounts.models import Role
from teten.citizens.models import BenefitPeriod, BenefitType, Readiness

# Session, user, roles, the header's municipality; the count, the page, the benefit histories;
# the access-log row and its subjects, in their own transaction (begin and end count too).
WORKLIST_QUERIES = 11
# Session, user, roles, the header's municipality; the search; the access-log row as above.
SEARCH_QUERIES = 9
ROW_LINK = re.compile(r'href="/borgere/\d+/"')


@pytest.fixture
def colleague(make_staff, muni_a):
    return make_staff(muni_a, Role.JOB_CONSULTANT, first_name="Jonas", last_name="Kollega")


def _register(make_citizen, muni_a, consultants, count: int) -> None:
    for number in range(count):
        citizen = make_citizen(
            muni_a,
            first_name=f"Borger{number:02d}",
            last_name="Testesen",
            consultant=consultants[number % len(consultants)],
        )
        BenefitPeriod.objects.bulk_create(
            [
                BenefitPeriod(
                    citizen=citizen,
                    benefit_type=BenefitType.CASH_BENEFIT,
                    readiness=Readiness.JOB_READY,
                    start_date=datetime.date(2024, 1, 1),
                ),
                BenefitPeriod(
                    citizen=citizen,
                    benefit_type=BenefitType.SICKNESS_BENEFIT,
                    start_date=datetime.date(2022, 3, 1),
                    end_date=datetime.date(2022, 9, 30),
                ),
            ]
        )


def _rows(response) -> int:
    return len(ROW_LINK.findall(response.content.decode()))


@pytest.mark.parametrize(("assigned", "shown"), [(2, 2), (20, 20), (30, 25)])
def test_worklist_queries_do_not_grow_with_the_rows_shown(
    client, consultant, muni_a, make_citizen, django_assert_num_queries, assigned, shown
):
    _register(make_citizen, muni_a, [consultant], assigned)
    client.force_login(consultant)
    client.get(reverse("citizens:worklist"))  # the first page after login stores the session's clock
    with django_assert_num_queries(WORKLIST_QUERIES):
        response = client.get(reverse("citizens:worklist"))
    assert _rows(response) == shown


@pytest.mark.parametrize("found", [2, 20])
def test_search_queries_do_not_grow_with_the_citizens_found(
    client, consultant, colleague, muni_a, make_citizen, django_assert_num_queries, found
):
    _register(make_citizen, muni_a, [consultant, colleague], found)
    client.force_login(consultant)
    client.get(reverse("citizens:worklist"))
    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.post(reverse("citizens:search"), {"q": "testesen"})
    assert _rows(response) == found
    assert "Jonas Kollega" in response.content.decode()


def test_search_by_cpr_uses_the_same_queries_as_by_name(
    client, consultant, muni_a, make_citizen, django_assert_num_queries
):
    _register(make_citizen, muni_a, [consultant], 5)
    wanted = make_citizen(muni_a, cpr="1503801235", first_name="Hanne", last_name="Østergård", consultant=consultant)
    client.force_login(consultant)
    client.get(reverse("citizens:worklist"))
    with django_assert_num_queries(SEARCH_QUERIES):
        response = client.post(reverse("citizens:search"), {"q": "150380-1235"})
    assert _rows(response) == 1
    assert f'href="/borgere/{wanted.pk}/"' in response.content.decode()
