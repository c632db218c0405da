"""`OutcomeSummary` always says what the OutcomeMonth rows say, whatever wrote them: imports,
re-imports of a month with changed values, corrections, and the ORM's own writes; and Table 3
counted from it equals counting the rows month by month."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count, Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teten.core.clock import acting_on
from teten.evidence.imports import import_upload
from teten.evidence.models import ImportStatus, OutcomeImport, OutcomeMonth, OutcomeSummary
from teten.evidence.summary import by_month, summary_differences, summary_rebuild_all

pytestmark = pytest.mark.django_db

HEADER = "cpr;maaned;forsoerget;ydelse;timer;selvstaendig;aktivering;gift;oprindelse"
MONTHS = [datetime.date(2017, 11, 1), datetime.date(2017, 12, 1), datetime.date(2018, 1, 1), datetime.date(2018, 2, 1)]
PEOPLE = 3

row = st.tuples(st.integers(0, PEOPLE - 1), st.integers(0, len(MONTHS) - 1), st.booleans())
step = st.one_of(
    st.tuples(st.just("import"), st.lists(row, min_size=1, max_size=8)),  # duplicates are rejected rows
    st.tuples(st.just("bulk"), st.lists(row, max_size=6)),
    st.tuples(st.just("update"), st.integers(0, PEOPLE - 1), st.booleans()),
    st.tuples(st.just("delete"), st.integers(0, len(MONTHS) - 1)),
    st.tuples(st.just("save"), st.integers(0, PEOPLE - 1), st.integers(0, len(MONTHS) - 1), st.booleans()),
)


def _expected(municipality) -> set[tuple]:
    """The summary as the rows say it, worked out here from the rows."""
    years: dict[tuple[int, int], list[int]] = {}
    for citizen_id, month, on in OutcomeMonth.objects.for_municipality(municipality).values_list(
        "citizen_id", "month", "on_support"
    ):
        bits = years.setdefault((citizen_id, month.year), [0, 0])
        bits[0] |= 1 << (month.month - 1)
        bits[1] |= (1 << (month.month - 1)) if on else 0
    return {(c, y, o, s) for (c, y), (o, s) in years.items()}


def _summary(municipality) -> set[tuple]:
    return set(
        OutcomeSummary.objects.for_municipality(municipality).values_list(
            "citizen_id", "year", "observed", "on_support"
        )
    )


def _counted_from_rows(municipality, ids) -> dict:
    rows = (
        OutcomeMonth.objects.filter(municipality=municipality, citizen_id__in=ids)
        .values("month")
        .annotate(observed=Count("id"), on=Count("id", filter=Q(on_support=True)))
        .order_by("month")
    )
    return {r["month"]: (r["observed"], r["on"]) for r in rows}


def _import(actor, people, rows) -> None:
    lines = [HEADER] + [
        f"{people[p].cpr};{MONTHS[m]:%Y-%m};{'ja' if on else 'nej'};;{0 if on else 37};nej;;;" for p, m, on in rows
    ]
    with acting_on(datetime.date(2018, 6, 15)):
        job = import_upload(
            actor=actor,
            uploaded_file=SimpleUploadedFile("udtraek.csv", "\n".join(lines).encode(), "text/csv"),
            background=False,
        )
    assert job.status == ImportStatus.DONE


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=6))
def test_the_summary_equals_the_rows_after_imports_corrections_and_orm_writes(
    steps, coordinator, make_eligible, muni_a
):
    with transaction.atomic():  # each example rolled back
        people = make_eligible(PEOPLE)
        ids = [p.pk for p in people]
        rows = OutcomeMonth.objects.for_municipality(muni_a)
        source = None
        for kind, *args in steps:
            if kind == "import":
                _import(coordinator, people, args[0])
            elif kind == "bulk":
                source = source or OutcomeImport.objects.for_municipality(muni_a).first()
                if source is None:
                    _import(coordinator, people, [(0, 0, True)])
                    source = OutcomeImport.objects.for_municipality(muni_a).first()
                taken = set(rows.values_list("citizen_id", "month"))
                new = {}
                for p, m, on in args[0]:
                    if (ids[p], MONTHS[m]) not in taken:
                        new[(ids[p], MONTHS[m])] = on
                OutcomeMonth.objects.bulk_create(
                    OutcomeMonth(municipality=muni_a, citizen_id=c, month=m, on_support=on, source=source)
                    for (c, m), on in new.items()
                )
            elif kind == "update":
                rows.filter(citizen_id=ids[args[0]]).update(on_support=args[1], hours=Decimal(5))
            elif kind == "delete":
                rows.filter(month=MONTHS[args[0]]).delete()
            else:
                p, m, on = args
                found = rows.filter(citizen_id=ids[p], month=MONTHS[m]).first()
                if found is not None:
                    found.on_support = on
                    found.month = MONTHS[(m + 2) % len(MONTHS)]  # a move to another month, maybe another year
                    if not rows.filter(citizen_id=ids[p], month=found.month).exists():
                        found.save()
                    else:
                        found.delete()
            assert _summary(muni_a) == _expected(muni_a), (kind, args)
            assert by_month(muni_a, ids) == _counted_from_rows(muni_a, ids)
            assert summary_differences(2017) == 0
            assert by_month(muni_a, ids[:1]) == _counted_from_rows(muni_a, ids[:1])
        kept = _summary(muni_a)
        summary_rebuild_all()
        assert _summary(muni_a) == kept
        summary_rebuild_all(from_year=2018)
        assert _summary(muni_a) == kept
        transaction.set_rollback(True)


def test_a_corrected_month_changes_only_its_own_bits(coordinator, make_eligible, muni_a):
    (anna,) = make_eligible(1)
    _import(coordinator, [anna], [(0, 0, True), (0, 1, True), (0, 2, False)])
    _import(coordinator, [anna], [(0, 1, False)])  # a correction of December 2017
    # November and December 2017 are bits 10 and 11; January 2018 bit 0.
    assert _summary(muni_a) == {(anna.pk, 2017, 0b110000000000, 0b010000000000), (anna.pk, 2018, 0b1, 0)}
