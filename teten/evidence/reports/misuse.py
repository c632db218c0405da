"""Misuse and cost per participant (seed 004: 7 of 97 participants misused 150,000 kr., 3.7 % of the
granted funds).

Participants are citizens whose plan was approved; granted is the sum of their approved lines;
paid out is every payment of their lines that is paid; misuse is every misuse recorded on those
payments (a citizen with two misuse records counts once among the cases).
"""

from dataclasses import dataclass

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from teten.budgets.models import BudgetLine, LineStatus, Misuse
from teten.evidence.reports import Row, Table, count, kroner, percent
from teten.evidence.reports.spending import participant_plans
from teten.payments.models import Payment, PaymentStatus


@dataclass
class MisuseReport:
    participants: int
    cases: int  # citizens with misuse
    misused: int
    granted: int
    paid: int

    @property
    def cost_per_participant(self) -> int | None:
        return round(self.paid / self.participants) if self.participants else None

    def table(self) -> Table:
        table = Table(
            _("Misuse and cost per participant"),
            [_("Measure"), _("Value")],
            note=_(
                "Cost per participant is the money paid out divided by the participants (course costs not included)."
            ),
            name="misbrug",
        )
        table.rows += [
            Row(_("Participants"), [count(self.participants)]),
            Row(_("Citizens with misuse"), [count(self.cases)]),
            Row(_("Share of participants with misuse"), [percent(self.cases, self.participants, decimals=1)]),
            Row(_("Granted"), [kroner(self.granted)]),
            Row(_("Misused amount"), [kroner(self.misused)]),
            Row(_("Misused share of the granted amount"), [percent(self.misused, self.granted, decimals=1)]),
            Row(_("Paid out"), [kroner(self.paid)]),
            Row(_("Cost per participant"), [kroner(self.cost_per_participant)]),
        ]
        return table


def misuse(programme, cohort=None) -> MisuseReport:
    plans = participant_plans(programme, cohort)
    payments = Payment.objects.for_municipality(programme.municipality).filter(commitment__budget_line__plan__in=plans)
    misuses = Misuse.objects.filter(payment__in=payments).aggregate(
        cases=Count("payment__citizen_id", distinct=True), misused=Sum("amount", default=0)
    )
    granted = BudgetLine.objects.filter(plan__in=plans, status=LineStatus.APPROVED).aggregate(
        total=Sum("amount", default=0)
    )["total"]
    paid = payments.filter(status=PaymentStatus.PAID).aggregate(total=Sum("amount", default=0))["total"]
    return MisuseReport(plans.count(), misuses["cases"], misuses["misused"], granted, paid)
