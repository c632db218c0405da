"""The micro-loan scale data tells each loan's story as the services would have left it.

Run with `pytest bench/tests` (not part of the default suite: the benchmark is not the product)."""

import datetime

from bench.loan_data import REMINDER_AFTER_DAYS, first_unpaid_due, schedule, story
from teten.loans.models import Stage
from teten.loans.schedule import repayment_schedule

ON = datetime.date(2026, 11, 23)
D = datetime.date


class Dice:
    """A random.Random that gives the same answer every time."""

    def __init__(self, roll: float, missed: int = 1, paused_at: int = 1):
        self.roll, self.missed, self.paused_at = roll, missed, paused_at

    def random(self):
        return self.roll

    def choices(self, population, weights):
        return [self.missed]

    def randint(self, low, high):
        return self.paused_at


def test_schedule_is_the_services_schedule():
    for terms in ((50_000, None), (None, 36)):
        ours = [(r.number, r.due_date, r.amount) for r in schedule(4_300_000, D(2025, 6, 1), terms)]
        theirs = repayment_schedule(4_300_000, first_due=D(2025, 6, 1), instalment=terms[0], count=terms[1])
        assert ours == [(i.number, i.due_date, i.amount) for i in theirs]


def test_loan_in_its_establishment_period_owes_nothing_yet():
    told = story(Dice(0.0), amount=3_000_000, paid_out_on=D(2026, 6, 10), terms=(None, 24), on=ON)
    assert told.stage == Stage.DISBURSED
    assert told.schedules[0][0].due_date == D(2027, 4, 1)
    assert all(r.paid == 0 for r in told.schedules[0])


def test_loan_whose_last_instalment_has_passed_is_repaid_that_day():
    told = story(Dice(0.0), amount=3_000_000, paid_out_on=D(2019, 1, 15), terms=(None, 24), on=ON)
    assert told.stage == Stage.REPAID
    assert told.closed_on == D(2021, 10, 1)
    assert all(r.paid == r.amount for r in told.schedules[0])


def test_loan_in_arrears_misses_the_latest_and_was_reminded_of_all_but_the_newest():
    told = story(Dice(0.0, missed=3), amount=3_600_000, paid_out_on=D(2024, 1, 10), terms=(None, 36), on=ON)
    rows = told.schedules[0]
    due = [r for r in rows if r.due_date < ON]
    assert (told.stage, told.missed, len(due)) == (Stage.REPAYING, 3, 25)
    assert [r.number for r in due if r.paid < r.amount] == [23, 24, 25]
    assert [(r.number, r.reminded_on) for r in rows if r.reminded_on] == [
        (23, due[22].due_date + datetime.timedelta(days=REMINDER_AFTER_DAYS)),
        (24, due[23].due_date + datetime.timedelta(days=REMINDER_AFTER_DAYS)),
    ]
    assert due[-1].due_date == D(2026, 11, 2)  # 1 November 2026 is a Sunday


def test_rescheduled_loan_moves_the_rest_of_the_debt_to_a_new_current_schedule():
    told = story(Dice(0.06, paused_at=10), amount=3_600_000, paid_out_on=D(2024, 1, 10), terms=(None, 36), on=ON)
    old, current = told.schedules
    assert told.rescheduled and told.stage == Stage.REPAYING
    assert sum(r.paid for r in old) == 10 * 100_000
    assert sum(r.amount for r in current) == 2_600_000
    assert current[0].due_date == D(2025, 12, 1)  # three months' pause after the 11th instalment fell due
    assert all(r.paid == r.amount for r in current if r.due_date < ON)


def test_the_case_records_the_oldest_unpaid_due_date_as_the_services_do():
    waiting = story(Dice(0.0), amount=3_000_000, paid_out_on=D(2026, 6, 10), terms=(None, 24), on=ON)
    assert first_unpaid_due(waiting) == D(2027, 4, 1)
    behind = story(Dice(0.0, missed=3), amount=3_600_000, paid_out_on=D(2024, 1, 10), terms=(None, 36), on=ON)
    assert first_unpaid_due(behind) == behind.schedules[0][22].due_date  # the 23rd, the oldest missed
    rescheduled = story(Dice(0.06, paused_at=10), amount=3_600_000, paid_out_on=D(2024, 1, 10), terms=(None, 36), on=ON)
    old, current = rescheduled.schedules
    assert old[10].paid == 0 and first_unpaid_due(rescheduled) > ON  # the old schedule's unpaid rows no longer count
    repaid = story(Dice(0.0), amount=3_000_000, paid_out_on=D(2019, 1, 15), terms=(None, 24), on=ON)
    assert first_unpaid_due(repaid) is None
