"""The coordinator's programme page at any size: the cases a page at a time, the arrears counted
per aging bucket with the oldest named, the funnel and the days to decision from grouped reads,
and an access log naming exactly the citizens shown."""

import datetime
import importlib
import re
from collections import Counter
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teten.accounts.models import Role
from teten.audit.models import AccessKind, AccessLog
from teten.core.clock import acting_on
from teten.loans import cases, decisions, repayment, selectors
from teten.loans.cases import FUNNEL
from teten.loans.models import LoanCase, ScheduledInstalment, Stage
from teten.loans.tests.conftest import DAY, pay_out, schedule_add
from teten.programmes.models import Cohort, SelectionMode

S = Stage


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _due(days_ago: int, amount=50_000, paid=0):
    """An instalment row that fell due `days_ago` days before the business date DAY."""
    return (DAY - datetime.timedelta(days=days_ago), amount, paid)


def _paid(days_ago: int, amount=50_000):
    return _due(days_ago, amount, amount)


def _future(days_ahead: int, amount=50_000):
    return (DAY + datetime.timedelta(days=days_ahead), amount, 0)


@pytest.fixture
def coordinator(make_staff, muni_a):
    return make_staff(muni_a, Role.COORDINATOR, username="koordinator")


@pytest.fixture
def refer(loan_programme, caseworker, make_citizen, muni_a):
    """A referred case, without going through the referral service (many are needed)."""

    def make(last_name: str, cohort=None) -> LoanCase:
        return LoanCase.objects.create(
            municipality=muni_a,
            programme=loan_programme,
            citizen=make_citizen(muni_a, first_name="Borger", last_name=last_name),
            cohort=cohort,
            referred_by=caseworker,
            referral_reason="Idé",
            referred_on=DAY,
        )

    return make


def _page(client, programme, **params):
    with acting_on(DAY):
        return client.get(reverse("loans:programme", args=[programme.pk]), params)


# --- the case list ----------------------------------------------------------------------------


def test_the_cases_are_shown_25_a_page_the_most_recently_changed_first(client, coordinator, loan_programme, refer):
    made = [refer(f"Efternavn{n:02d}") for n in range(1, 31)]
    made[4].business_name = "Cykler"
    made[4].save()  # changed just now: first
    client.force_login(coordinator)
    first = _text(_page(client, loan_programme))
    assert '<span class="count">(30)</span>' in first
    shown = re.findall(r"Borger (Efternavn\d\d)", first)
    assert shown == ["Efternavn05"] + [f"Efternavn{n:02d}" for n in range(30, 5, -1)][:24]
    assert "Side 1 af 2" in first and 'href="?side=2"' in first
    second = _text(_page(client, loan_programme, side=2))
    assert re.findall(r"Borger (Efternavn\d\d)", second) == [f"Efternavn{n:02d}" for n in (6, 4, 3, 2, 1)]
    assert 'href="?side=1"' in second


def test_the_page_logs_only_the_citizens_it_shows(client, coordinator, loan_programme, refer):
    made = [refer(f"Efternavn{n:02d}") for n in range(1, 31)]
    client.force_login(coordinator)
    _page(client, loan_programme, side=2)
    log = AccessLog.objects.get(actor=coordinator)
    assert log.kind == AccessKind.LIST and log.subject_count == 5
    assert set(log.subjects.values_list("citizen_id", flat=True)) == {c.citizen_id for c in made[:5]}


def test_the_pages_of_one_hold_keep_the_hold(client, coordinator, loan_programme, refer, muni_a):
    hold = Cohort.objects.create(
        municipality=muni_a, programme=loan_programme, name="Hold 1", selection_mode=SelectionMode.NOMINATED
    )
    for n in range(1, 28):
        refer(f"Efternavn{n:02d}", cohort=hold)
    refer("Udenforhold")
    client.force_login(coordinator)
    page = _text(_page(client, loan_programme, hold=hold.pk))
    assert '<span class="count">(27)</span>' in page and "Udenforhold" not in page
    assert f'href="?hold={hold.pk}&amp;side=2"' in page


def test_an_outsider_gets_404(client, outsider, loan_programme, refer):
    refer("Efternavn01")
    client.force_login(outsider)
    assert _page(client, loan_programme).status_code == 404
    assert not AccessLog.objects.filter(actor=outsider).exists()


# --- arrears ----------------------------------------------------------------------------------


def test_arrears_are_counted_per_aging_bucket_oldest_first(make_loan, loan_programme):
    youngest = make_loan([_paid(40), _due(10), _future(20)])
    make_loan([_due(40), _due(10), _future(20)])
    make_loan([_due(45, paid=20_000), _due(15), _future(15)])  # partly paid is still past due
    make_loan([_due(70), _due(40), _due(10)])
    oldest = make_loan([_due(200), _due(170), _paid(140), _future(10)])
    make_loan([_paid(40), _paid(10), _future(20)])  # paying on time
    make_loan([_due(10), _future(20)], closed_on=DAY - datetime.timedelta(days=5))  # closed
    make_loan([_future(1)])  # nothing due yet; due today is not past due:
    make_loan([(DAY, 50_000, 0)])
    overview = selectors.arrears(loan_programme, DAY)
    assert overview.loans == 5
    assert overview.buckets == [("1-30", 1), ("31-60", 2), ("61-90", 1), ("90+", 1)]
    assert [a.days for a in overview.oldest] == [200, 70, 45, 40, 10]
    assert (overview.oldest[0].loan, overview.oldest[0].owed, overview.oldest[0].bucket) == (oldest, 150_000, "90+")
    assert (overview.oldest[2].owed, overview.oldest[2].bucket) == (130_000, "31-60")
    assert (overview.oldest[-1].loan, overview.oldest[-1].owed) == (youngest, 100_000)


def test_the_page_names_the_25_oldest_arrears_and_counts_the_rest(client, coordinator, make_loan, loan_programme):
    long_ago = DAY - datetime.timedelta(days=500)  # out of the days to decision, which name the slowest
    for days in range(31, 58):  # 27 loans, 31 to 57 days past due
        make_loan([_due(days), _future(20)], last_name=f"Restance{days}", paid_out_on=long_ago)
    client.force_login(coordinator)
    page = _text(_page(client, loan_programme))
    assert "27 lån har forfaldne afdrag." in page
    assert re.search(r"31-60 dage</th> <td[^>]*>27</td>", page)
    assert "De 25 ældste restancer" in page
    assert "Restance57" in page and "Restance33" in page
    assert "Restance32" not in page and "Restance31" not in page
    log = AccessLog.objects.get(actor=coordinator)
    assert log.subject_count == 25  # the 25 named (the case list's page shows the same 25)


def test_a_replaced_schedules_unpaid_instalments_are_not_arrears(make_loan, loan_programme):
    # Rescheduled: the old version's unpaid instalments stay as they were, no longer owed.
    paused = make_loan([_paid(150), _due(120), _due(90), _future(30)])
    schedule_add(paused, [_future(30, 100_000), _future(60, 100_000)])
    # Rescheduled and behind on the new schedule: its days past due are the new schedule's.
    behind = make_loan([_due(150), _due(120), _future(30)])
    schedule_add(behind, [_due(20, 100_000), _future(10, 100_000)])
    assert ScheduledInstalment.objects.filter(schedule__is_current=False, paid=0, due_date__lt=DAY).count() == 4
    overview = selectors.arrears(loan_programme, DAY)
    assert overview.loans == 1
    assert [(a.loan, a.days, a.owed) for a in overview.oldest] == [(behind, 20, 200_000)]


def test_rescheduling_by_decision_ends_the_arrears(approved, caseworker, finance, finance2, citizen, central):
    loan = pay_out(approved, caseworker, finance, finance2, citizen)  # first instalment 1.9.2027
    programme, on = loan.case.programme, datetime.date(2027, 10, 16)
    assert selectors.arrears(programme, on).buckets[1] == ("31-60", 1)
    decisions.reschedule(
        actor=central, loan=loan, first_due=datetime.date(2028, 1, 3), instalment=None, count=10, reason="Pause"
    )
    overview = selectors.arrears(programme, on)
    assert overview.loans == 0 and overview.oldest == []


# --- the funnel and the days to decision --------------------------------------------------------


def test_the_funnel_counts_every_case_at_its_furthest_step():
    counts = Counter(
        {
            (S.REFERRED, ""): 5,
            (S.DROPPED_OUT, S.REFERRED): 2,
            (S.NOT_SELECTED, ""): 3,  # left after the interview
            (S.DROPPED_OUT, S.SELECTED): 1,
            (S.REJECTED, ""): 1,  # left at the recommendation
            (S.REPAYING, ""): 4,  # counted as paid out
            (S.REPAID, ""): 2,
            (S.DROPPED_OUT, S.DISBURSED): 1,
        }
    )
    steps = {step.stage: (step.reached, step.dropped_here) for step in selectors.funnel_steps(counts)}
    assert [steps[s] for s in FUNNEL] == [
        (19, 2),  # referred: everyone; 2 dropped out there
        (12, 0),
        (12, 3),  # interviewed; 3 not selected
        (9, 1),  # selected; 1 dropped out
        (8, 0),
        (8, 0),
        (8, 1),  # recommended; 1 refused
        (7, 0),
        (7, 0),
        (7, 1),  # paid out, repaying or repaid; 1 dropped out
    ]


def test_the_funnel_read_from_the_database_matches(make_loan, loan_programme, refer):
    refer("Henvist")
    dropped = refer("Faldetfra")
    LoanCase.objects.for_municipality(dropped.municipality).filter(pk=dropped.pk).update(
        stage=S.DROPPED_OUT, dropped_from=S.INFO_MEETING
    )
    make_loan([_paid(10)])
    steps = selectors.funnel(loan_programme)
    assert [(s.reached, s.dropped_here) for s in steps[:3]] == [(3, 0), (2, 1), (1, 0)]
    assert (steps[-1].reached, steps[-1].dropped_here) == (1, 0)


def test_days_to_decision_are_over_the_last_12_months(client, coordinator, make_loan, loan_programme):
    on = DAY
    make_loan([_future(10)], paid_out_on=on - datetime.timedelta(days=60))  # 20 to decision, 30 to payout
    slow = make_loan(
        [_future(10)],
        paid_out_on=on - datetime.timedelta(days=30),
        decided_on=on - datetime.timedelta(days=40),
        courses_done_on=on - datetime.timedelta(days=75),
        last_name="Langsom",
    )  # 35 and 45
    make_loan([_future(10)], paid_out_on=on - datetime.timedelta(days=10), courses_done_on=on - datetime.timedelta(40))
    make_loan([_paid(400)], paid_out_on=on - datetime.timedelta(days=500), last_name="Gammel")  # before the year
    timing = selectors.timing(loan_programme, on)
    assert timing.since == datetime.date(2025, 11, 23) and timing.cases == 3
    assert (timing.median_to_decision, timing.median_to_payout, timing.over_target) == (20, 30, 1)
    assert [(row.case, row.to_decision, row.to_payout) for row in timing.slowest][0] == (slow.case, 35, 45)
    client.force_login(coordinator)
    page = _text(_page(client, loan_programme))
    assert "Opgjort over de 3 sager, der har gennemført kurserne i de seneste 12 måneder (siden 23.11.2025)." in page
    assert "Langsom" in page


def test_a_holds_days_to_decision_are_over_all_its_cases(make_loan, loan_programme, muni_a):
    hold = Cohort.objects.create(
        municipality=muni_a, programme=loan_programme, name="Hold 1", selection_mode=SelectionMode.NOMINATED
    )
    make_loan([_paid(400)], paid_out_on=DAY - datetime.timedelta(days=500), cohort=hold)
    make_loan([_future(10)], cohort=hold)
    make_loan([_future(10)])
    timing = selectors.timing(loan_programme, DAY, hold)
    assert timing.since is None and timing.cases == 2 and timing.median_to_payout == 30


# --- it does not grow with the programme -------------------------------------------------------


def test_the_page_reads_the_same_number_of_queries_for_more_loans(client, coordinator, make_loan, loan_programme):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert _page(client, loan_programme).status_code == 200
        return len(captured)

    for days in (10, 40, 100):
        make_loan([_due(days), _future(10)])
    client.force_login(coordinator)
    queries()  # the first request of a session reads a little more
    few = queries()
    for days in (5, 35, 65, 95, 120, 150, 300):
        make_loan([_due(days), _future(10)])
    assert queries() == few


# --- the case's record of its oldest unpaid instalment ---------------------------------------


def test_the_case_keeps_the_oldest_unpaid_due_date(approved, caseworker, finance, finance2, citizen, central):
    loan = pay_out(approved, caseworker, finance, finance2, citizen)  # 200 kr. a month from 1.9.2027

    def first_unpaid():
        return LoanCase.objects.for_municipality(loan.municipality).get(pk=loan.case_id).first_unpaid_due

    assert first_unpaid() == datetime.date(2027, 9, 1)
    repayment.repayment_register(actor=caseworker, loan=loan, amount=30000, received_on=DAY, key="r1")
    assert first_unpaid() == datetime.date(2027, 10, 1)  # the second instalment is half paid
    decisions.reschedule(
        actor=central, loan=loan, first_due=datetime.date(2028, 1, 3), instalment=None, count=10, reason="Pause"
    )
    assert first_unpaid() == datetime.date(2028, 1, 3)
    decisions.remit(actor=central, loan=loan, reason="Virksomheden er lukket")
    assert first_unpaid() is None


def test_the_migration_fills_in_the_oldest_unpaid_due_date(make_loan, loan_programme):
    migration = importlib.import_module("teten.loans.migrations.0003_repayment_state")
    behind = make_loan([_paid(40), _due(10), _future(20)])
    rescheduled = make_loan([_due(100), _future(20)])
    schedule_add(rescheduled, [_paid(5), _future(25)])
    repaid = make_loan([_paid(40)], closed_on=DAY - datetime.timedelta(days=40))
    cases = LoanCase.objects.for_municipality(loan_programme.municipality)
    cases.update(first_unpaid_due=None)
    state = MigrationLoader(connection).project_state(("loans", "0003_repayment_state"))
    migration.first_unpaid_fill(state.apps, SimpleNamespace(connection=connection))
    found = dict(cases.values_list("pk", "first_unpaid_due"))
    assert found == {
        behind.case_id: DAY - datetime.timedelta(days=10),
        rescheduled.case_id: DAY + datetime.timedelta(days=25),
        repaid.case_id: None,
    }


def test_a_stage_change_marks_the_case_changed(referred, caseworker):
    before = referred.updated_at
    case = cases.info_meeting_record(actor=caseworker, case=referred, on=DAY)
    assert case.updated_at > before
