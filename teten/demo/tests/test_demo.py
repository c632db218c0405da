from collections import Counter

from django.core.management import call_command

from teten.budgets.models import BudgetPlan, Offer
from teten.core.clock import today
from teten.core.models import Municipality
from teten.loans.balances import aging_bucket, days_past_due
from teten.loans.cases import FUNNEL
from teten.loans.models import Loan, LoanCase, Stage
from teten.loans.selectors import furthest
from teten.payments.models import PaymentBatch


def test_demo_municipality_has_something_in_every_state(db, capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert "konsulent" in out and "teten-demo-2026" in out and "/mit/login/link/" in out
    demo = Municipality.objects.get(code="999")
    plans = Counter(BudgetPlan.objects.for_municipality(demo).values_list("status", flat=True))
    assert {"draft", "submitted", "changes", "approved", "stopped", "closed"} <= set(plans)
    offers = Counter(Offer.objects.for_municipality(demo).values_list("status", flat=True))
    assert offers["offered"] and offers["declined"]
    assert set(PaymentBatch.objects.for_municipality(demo).values_list("status", flat=True)) == {"open", "exported"}
    # The micro-loan programme: Hold 1 shaped like Mikrolån 2.0, Hold 2 with a case at every step.
    cases = LoanCase.objects.for_municipality(demo).select_related("cohort")
    hold_1 = [c for c in cases if c.cohort.name.startswith("Hold 1")]
    order = {stage: i for i, stage in enumerate(FUNNEL)}
    reached = Counter(order[furthest(c)] for c in hold_1)

    def at_least(stage):
        return sum(n for i, n in reached.items() if i >= order[stage])

    assert [at_least(s) for s in (Stage.REFERRED, Stage.INTERVIEWED, Stage.SELECTED, Stage.COURSES_DONE)] == [
        64,
        60,
        19,
        13,
    ]
    loans = Loan.objects.for_municipality(demo).filter(case__in=hold_1)
    assert loans.count() == 12 and all(loan.paid_out_on for loan in loans)
    assert set(cases.values_list("stage", flat=True)) == set(Stage)  # every step has a case to show
    # Arrears of every age.
    buckets = {aging_bucket(days_past_due(loan, today())) for loan in loans}
    assert {"1-30", "31-60", "61-90", "90+"} <= buckets
    assert "has a loan agreement to accept" in out and "is paying back a micro-loan" in out
    # Running it again changes nothing.
    call_command("demo", quiet=True)
    assert Counter(BudgetPlan.objects.for_municipality(demo).values_list("status", flat=True)) == plans
