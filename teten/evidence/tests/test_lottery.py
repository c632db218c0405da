import datetime

import pytest
from django.core.exceptions import PermissionDenied

from teten.audit.models import AccessLog, DecisionEvent
from teten.citizens.models import BenefitPeriod, BenefitType
from teten.evidence import lottery
from teten.evidence.models import Arm, Draw, DrawEntry
from teten.programmes.models import Cohort, SelectionMode

pytestmark = pytest.mark.django_db


def test_a_draw_stores_seed_pool_rules_and_list_and_replays_to_the_same_list(
    coordinator, lottery_cohort, make_eligible
):
    make_eligible(30)
    draw = lottery.draw_make(actor=coordinator, cohort=lottery_cohort, drawn_count=8, control_count=12, seed="fase4")

    drawn, control = lottery.draw_lists(draw)
    assert len(drawn) == 8 and len(control) == 12 and not set(drawn) & set(control)
    assert draw.seed == "fase4" and len(draw.pool) == 30 and draw.pool == sorted(draw.pool)
    assert [r["kind"] for r in draw.rules] and "Er mindst så gammel: 30" in " ".join(r["text"] for r in draw.rules)
    assert lottery.replay(draw) == (drawn, control)
    # The draw is the pure function of seed and pool: another seed gives another list.
    assert lottery.pick("another seed", draw.pool, 8, 12) != (drawn, control)


def test_the_same_seed_over_the_same_pool_gives_the_same_list_in_another_municipality_too():
    pool = list(range(1000, 1200))
    assert lottery.pick("seed-42", pool, 10, 20) == lottery.pick("seed-42", list(pool), 10, 20)


def test_a_changed_pool_is_detected_on_replay(coordinator, lottery_cohort, make_eligible):
    make_eligible(10)
    draw = lottery.draw_make(actor=coordinator, cohort=lottery_cohort, drawn_count=3, control_count=3)
    draw.pool = draw.pool[::-1]
    with pytest.raises(lottery.DrawError, match="ændret"):
        lottery.replay(draw)


def test_only_eligible_citizens_are_in_the_pool(
    coordinator, lottery_cohort, make_eligible, make_citizen, muni_a, muni_b
):
    eligible = make_eligible(6)
    too_young = make_citizen(muni_a, cpr="0101051234")
    BenefitPeriod.objects.create(
        citizen=too_young, benefit_type=BenefitType.CASH_BENEFIT, start_date=datetime.date(2024, 1, 1)
    )
    make_eligible(4, municipality=muni_b)
    draw = lottery.draw_make(actor=coordinator, cohort=lottery_cohort, drawn_count=2, control_count=4)
    assert set(draw.pool) == {c.pk for c in eligible}


def test_nobody_is_in_two_draws_of_a_programme_unless_the_coordinator_allows_it(
    coordinator, budget_programme, lottery_cohort, make_eligible
):
    make_eligible(10)
    first = lottery.draw_make(actor=coordinator, cohort=lottery_cohort, drawn_count=3, control_count=3)
    phase5 = Cohort.objects.create(
        municipality=budget_programme.municipality,
        programme=budget_programme,
        name="Fase 5",
        selection_mode=SelectionMode.LOTTERY,
    )
    with pytest.raises(lottery.DrawError, match="Puljen rummer 4"):
        lottery.draw_make(actor=coordinator, cohort=phase5, drawn_count=3, control_count=3)
    assert not Draw.objects.for_municipality(budget_programme.municipality).filter(cohort=phase5).exists()

    second = lottery.draw_make(actor=coordinator, cohort=phase5, drawn_count=3, control_count=1)
    first_drawn, first_control = lottery.draw_lists(first)
    assert not set(second.pool) & set(first_drawn + first_control)

    phase6 = Cohort.objects.create(
        municipality=budget_programme.municipality, programme=budget_programme, name="Fase 6", selection_mode="lottery"
    )
    again = lottery.draw_make(actor=coordinator, cohort=phase6, drawn_count=5, control_count=5, allow_repeat=True)
    assert len(again.pool) == 10


def test_the_database_refuses_a_second_entry_for_the_same_citizen_in_a_programme(
    coordinator, budget_programme, lottery_cohort, make_eligible
):
    from django.db import IntegrityError, transaction

    make_eligible(4)
    draw = lottery.draw_make(actor=coordinator, cohort=lottery_cohort, drawn_count=1, control_count=1)
    entry = DrawEntry.objects.for_municipality(draw.municipality).filter(draw=draw).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        DrawEntry.objects.create(
            municipality=draw.municipality,
            draw=draw,
            programme=budget_programme,
            citizen=entry.citizen,
            arm=Arm.CONTROL,
            position=99,
        )


def test_a_draw_is_a_logged_decision_and_a_logged_look(coordinator, lottery_cohort, make_eligible):
    make_eligible(6)
    draw = lottery.draw_make(actor=coordinator, cohort=lottery_cohort, drawn_count=2, control_count=2, seed="s")
    event = DecisionEvent.objects.get(kind="evidence.draw", object_id=str(draw.pk))
    assert event.actor == coordinator and event.after["seed"] == "s" and len(event.after["drawn"]) == 2
    log = AccessLog.objects.filter(actor=coordinator).latest("at")
    assert log.subject_count == 4


def test_a_cohort_is_drawn_once_and_only_a_lottery_cohort(coordinator, budget_programme, lottery_cohort, make_eligible):
    make_eligible(6)
    lottery.draw_make(actor=coordinator, cohort=lottery_cohort, drawn_count=2, control_count=2)
    with pytest.raises(lottery.DrawError, match="allerede trukket lod"):
        lottery.draw_make(actor=coordinator, cohort=lottery_cohort, drawn_count=1, control_count=0)
    nominated = Cohort.objects.create(
        municipality=budget_programme.municipality,
        programme=budget_programme,
        name="Fase 2",
        selection_mode="nominated",
    )
    with pytest.raises(lottery.DrawError, match="lodtrækning"):
        lottery.draw_make(actor=coordinator, cohort=nominated, drawn_count=1, control_count=0)


def test_only_a_coordinator_draws(consultant, lottery_cohort, make_eligible):
    make_eligible(4)
    with pytest.raises(PermissionDenied):
        lottery.draw_make(actor=consultant, cohort=lottery_cohort, drawn_count=1, control_count=1)


def test_a_citizen_in_the_control_group_is_never_offered_the_programme(
    coordinator, consultant, budget_programme, lottery_cohort, make_eligible
):
    from teten.budgets.offers import OfferError, eligible_not_offered, offer_create
    from teten.citizens.models import Citizen

    make_eligible(6)
    draw = lottery.draw_make(actor=coordinator, cohort=lottery_cohort, drawn_count=2, control_count=3)
    drawn, control = lottery.draw_lists(draw)
    listed = {c.pk for c in eligible_not_offered(actor=consultant, programme=budget_programme)}
    assert set(drawn) <= listed and not set(control) & listed
    with pytest.raises(OfferError, match="kontrolgruppe"):
        offer_create(
            actor=consultant,
            programme=budget_programme,
            citizen=Citizen.objects.for_municipality(budget_programme.municipality).get(pk=control[0]),
            cohort=lottery_cohort,
        )
    offer_create(
        actor=consultant,
        programme=budget_programme,
        citizen=Citizen.objects.for_municipality(budget_programme.municipality).get(pk=drawn[0]),
        cohort=lottery_cohort,
    )
