"""Figure 2 of seed 004: what the citizens spent the budgets on.

A participant is a citizen whose plan was approved. For each category: how many participants
have at least one approved line in it (and their share of all participants), the amount granted
(approved lines) and the amount applied for (every line sent for review, whatever came of it).
Seed 004: 97 took part and applied for 4,083,685 kr., 42,100 kr. on average.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from teten.budgets.models import BudgetLine, BudgetPlan, LineStatus
from teten.evidence.reports import Row, Table, count, kroner, percent

SENT = ~Q(status=LineStatus.DRAFT)
APPROVED = Q(status=LineStatus.APPROVED)


def participant_plans(programme, cohort=None):
    plans = BudgetPlan.objects.for_municipality(programme.municipality).filter(
        programme=programme, approved_at__isnull=False
    )
    return plans.filter(offer__cohort=cohort) if cohort is not None else plans


@dataclass
class CategoryRow:
    name: str
    participants: int
    granted: int
    applied: int


@dataclass
class Spending:
    participants: int
    categories: list[CategoryRow]

    @property
    def granted(self) -> int:
        return sum(c.granted for c in self.categories)

    @property
    def applied(self) -> int:
        return sum(c.applied for c in self.categories)

    def average(self, ore: int) -> int | None:
        return round(ore / self.participants) if self.participants else None

    def table(self) -> Table:
        table = Table(
            _("Spending by category"),
            [_("Category"), _("Participants"), _("Share of participants"), _("Granted"), _("Applied for")],
            note=_(
                "A participant can have lines in several categories, so the shares add up to more than 100 %. "
                "Granted: approved lines. Applied for: every line sent for review."
            ),
            name="kategorier",
        )
        for c in self.categories:
            table.rows.append(
                Row(
                    c.name,
                    [
                        count(c.participants),
                        percent(c.participants, self.participants),
                        kroner(c.granted),
                        kroner(c.applied),
                    ],
                )
            )
        table.rows.append(
            Row(_("Total"), [count(self.participants), percent(0, 0), kroner(self.granted), kroner(self.applied)])
        )
        table.rows.append(
            Row(
                _("Average per participant"),
                [count(None), percent(0, 0), kroner(self.average(self.granted)), kroner(self.average(self.applied))],
            )
        )
        return table


def spending(programme, cohort=None) -> Spending:
    plans = participant_plans(programme, cohort)
    rows = (
        BudgetLine.objects.filter(plan__in=plans)
        .values("category__name")
        .annotate(
            participants=Count("plan__citizen_id", distinct=True, filter=APPROVED),
            granted=Sum("amount", filter=APPROVED, default=0),
            applied=Sum("amount", filter=SENT, default=0),
        )
        .order_by("category__name")
    )
    categories = [CategoryRow(r["category__name"], r["participants"], r["granted"], r["applied"]) for r in rows]
    categories.sort(key=lambda c: (-c.participants, -c.granted, c.name))
    return Spending(plans.count(), categories)
