"""Effect estimates for lottery cohorts (statsmodels).

- Intention to treat (ITT): the share on public support among everyone drawn minus the share in
  the control group, in one month: a linear probability model `on_support ~ drawn` with
  heteroskedasticity-robust (HC1) standard errors and its 95 % confidence interval.
- The effect on those who took part (Wald / instrumental variables): two-stage least squares of
  `on_support` on taking part, with being drawn as the instrument. It equals the ITT divided by
  the difference in take-up between drawn and control (nobody in the control group takes part).

Citizens without an outcome row for the month are left out, and counted.

numpy and statsmodels are imported inside `estimate`, not here: they take seconds to import, and
this module is loaded with the URLconf, so every cold start (manage.py, the first request to a new
server process) would wait for them.
"""

import datetime
import math
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from teten.evidence import groups as groups_module
from teten.evidence.models import Arm, DrawEntry, OutcomeMonth
from teten.programmes.models import Cohort, Programme

CAVEATS = (
    _(
        "The intention-to-treat difference compares everyone drawn, also those who declined, with the "
        "control group. It is the effect of offering the programme, and the comparison the lottery makes fair."
    ),
    _(
        "The effect on those who took part assumes that being drawn changed nothing except through taking "
        "part, and that nobody in the control group took part. It is an estimate for those who take part "
        "when offered, not for everybody."
    ),
    _(
        "Do not compare those who took part with those who declined: many declined because they had already "
        "found work, so the decliners did better without the programme's help."
    ),
    _(
        "A share is a linear probability model; the intervals use robust (HC1) standard errors for the "
        "intention to treat and ordinary ones for the instrumental-variable estimate. Small groups give wide "
        "intervals: an interval that includes 0 does not show an effect."
    ),
    _("Citizens with no outcome row for the month are left out; their number is shown."),
)


@dataclass(frozen=True)
class Estimate:
    month: datetime.date
    drawn: int
    control: int
    missing: int
    drawn_share: float
    control_share: float
    take_up: float
    itt: float | None
    itt_low: float | None
    itt_high: float | None
    wald: float | None
    wald_low: float | None
    wald_high: float | None


def _finite(*values) -> bool:
    return all(v is not None and math.isfinite(v) for v in values)


def estimate(programme: Programme, month: datetime.date, cohort: Cohort | None = None) -> Estimate | None:
    """The estimates for the programme's lottery cohorts pooled (or one drawn cohort) in `month`;
    None when there is no draw with a control group."""
    import numpy as np
    import statsmodels.api as sm
    from statsmodels.sandbox.regression.gmm import IV2SLS

    m = programme.municipality
    entries = DrawEntry.objects.for_municipality(m).filter(programme=programme)
    if cohort is not None:
        entries = entries.filter(draw__cohort=cohort)
    arms = dict(entries.values_list("citizen_id", "arm"))
    if not any(a == Arm.CONTROL for a in arms.values()) or not any(a == Arm.DRAWN for a in arms.values()):
        return None
    took = groups_module.took_part_ids(programme, [i for i, a in arms.items() if a == Arm.DRAWN])
    outcome = dict(
        OutcomeMonth.objects.for_municipality(m)
        .filter(month=month, citizen__draw_entries__programme=programme)
        .values_list("citizen_id", "on_support")
    )
    ids = [i for i in arms if i in outcome]
    y = np.array([1.0 if outcome[i] else 0.0 for i in ids])
    z = np.array([1.0 if arms[i] == Arm.DRAWN else 0.0 for i in ids])
    d = np.array([1.0 if i in took else 0.0 for i in ids])
    drawn_n, control_n = int(z.sum()), int(len(z) - z.sum())
    if drawn_n < 2 or control_n < 2:
        return None
    drawn_share, control_share = float(y[z == 1].mean()), float(y[z == 0].mean())
    take_up = float(d[z == 1].mean())
    itt = itt_low = itt_high = wald = wald_low = wald_high = None
    ols = sm.OLS(y, sm.add_constant(z)).fit(cov_type="HC1")
    low, high = ols.conf_int(0.05)[1]
    if _finite(ols.params[1], low, high):
        itt, itt_low, itt_high = float(ols.params[1]), float(low), float(high)
    if take_up > 0:
        iv = IV2SLS(y, sm.add_constant(d), sm.add_constant(z)).fit()
        low, high = iv.conf_int(0.05)[1]
        if _finite(iv.params[1], low, high):
            wald, wald_low, wald_high = float(iv.params[1]), float(low), float(high)
    return Estimate(
        month=month,
        drawn=drawn_n,
        control=control_n,
        missing=len(arms) - len(ids),
        drawn_share=drawn_share,
        control_share=control_share,
        take_up=take_up,
        itt=itt,
        itt_low=itt_low,
        itt_high=itt_high,
        wald=wald,
        wald_low=wald_low,
        wald_high=wald_high,
    )


def outcome_months(programme: Programme) -> list[datetime.date]:
    """The months with outcome rows for the programme's drawn and control citizens."""
    return sorted(
        set(
            OutcomeMonth.objects.for_municipality(programme.municipality)
            .filter(citizen__draw_entries__programme=programme)
            .values_list("month", flat=True)
            .distinct()
        )
    )
