"""The demo's experiment gives the source's published figures (seed 004) through the reports."""

import datetime

import pytest

from teten.core.clock import today
from teten.demo.evidence import NAME, demo_evidence_load
from teten.demo.municipality import demo_municipality_load
from teten.evidence import effect
from teten.evidence.reports.funnels import budget_funnel
from teten.evidence.reports.misuse import misuse
from teten.evidence.reports.spending import spending
from teten.evidence.reports.support import support
from teten.programmes.models import Programme

pytestmark = pytest.mark.django_db
MAY_2018 = datetime.date(2018, 5, 1)


def test_the_demo_experiment_reproduces_the_published_figures():
    municipality = demo_municipality_load(today=today())
    demo_evidence_load(municipality=municipality, today=today())
    programme = Programme.objects.for_municipality(municipality).get(name=NAME)

    steps = {s.label: s.reached for s in budget_funnel(programme).steps}
    reached = list(steps.values())
    assert reached[0] == 206 and reached[1] == 97  # offered, took part
    assert reached[-1] == 32  # left public support by May 2018

    table = support(programme, month=MAY_2018)
    shares = [(s.full_label, s.size, s.by_month[MAY_2018]) for s in table.series]
    assert [(size, round(100 * on / seen)) for _label, size, (seen, on) in shares] == [
        (15, 40),
        (12, 42),
        (43, 56),
        (17, 65),
        (26, 50),
        (136, 69),
        (53, 81),
        (83, 61),
        (451, 72),
    ]

    money = spending(programme)
    assert money.participants == 97 and money.applied == 408_368_500
    assert round(money.applied / 97 / 100) == 42_100
    abuse = misuse(programme)
    assert (abuse.cases, abuse.misused) == (7, 15_000_000)

    estimate = effect.estimate(programme, MAY_2018)
    assert (estimate.drawn, estimate.control) == (179, 451)
    assert estimate.itt_low < estimate.itt < estimate.itt_high

    # Loading the demo again changes nothing.
    assert demo_evidence_load(municipality=municipality, today=today()) is None
