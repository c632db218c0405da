"""Booking rules: the shipped 2018 table, the rule in force on the decision date, and who may
change rules (and that every change is recorded)."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from teten.accounts.models import Role
from teten.audit.models import DecisionEvent
from teten.programmes.booking import (
    DATA_DIR,
    NoBookingRule,
    booking_rule_save,
    rule_in_force,
    rule_table_install,
)
from teten.programmes.models import (
    BookingRule,
    ExpenseCategory,
    FundingKind,
    FundingSource,
    LegalBasis,
    Programme,
    ProgrammeKind,
)

D = datetime.date
TABLE = json.loads((DATA_DIR / "booking_rules_2018.json").read_text(encoding="utf-8"))


@pytest.fixture
def coordinator(make_staff, muni_a):
    return make_staff(muni_a, Role.COORDINATOR, username="kirsten")


@pytest.fixture
def programme(muni_a):
    return Programme.objects.create(municipality=muni_a, name="Tag teten", kind=ProgrammeKind.PERSONAL_BUDGET)


@pytest.fixture
def funding(muni_a):
    return {
        "municipal": FundingSource.objects.create(
            municipality=muni_a, name="Kommunale midler", kind=FundingKind.MUNICIPAL, amount=0, account_code="5.68.1"
        ),
        "foundation": FundingSource.objects.create(
            municipality=muni_a, name="Fondsmidler", kind=FundingKind.FOUNDATION, amount=0, account_code="5.68.2"
        ),
    }


@pytest.fixture
def installed(programme, funding):
    return rule_table_install(programme=programme, funding=funding)


def _category(muni, code):
    return ExpenseCategory.objects.for_municipality(muni).get(code=code)


def _counts(muni):
    return tuple(model.objects.for_municipality(muni).count() for model in (LegalBasis, ExpenseCategory, BookingRule))


@pytest.fixture
def new_basis(muni_a):
    """The paragraph after the renumbering of 1 January 2020."""
    return LegalBasis.objects.create(
        municipality=muni_a,
        law="LAB",
        paragraph="§ 91",
        title="Vejledning og opkvalificering",
        valid_from=D(2020, 1, 1),
    )


def _new_rule(programme, category, basis, source, valid_from, valid_to=None):
    return BookingRule(
        programme=programme,
        category=category,
        legal_basis=basis,
        funding_source=source,
        valid_from=valid_from,
        valid_to=valid_to,
    )


def test_the_2018_table_installs_with_its_year_marked(installed, programme, funding, muni_a):
    assert len(installed) == len(TABLE["rules"])
    assert _counts(muni_a) == (len(TABLE["legal_bases"]), len(TABLE["categories"]), len(TABLE["rules"]))
    for rule in installed:
        assert rule.source_year == 2018
        assert (rule.valid_from, rule.valid_to) == (D(2015, 12, 1), D(2019, 12, 31))
    assert set(LegalBasis.objects.for_municipality(muni_a).values_list("source_year", flat=True)) == {2018}
    # The table's own choices: driving licences from the foundation on LAB § 32; the start-up
    # allowance from the foundation without any legal basis; LAS § 81 has no end date.
    on = D(2019, 6, 1)
    licence = rule_in_force(programme=programme, category=_category(muni_a, "driving_licence"), on=on)
    assert (str(licence.legal_basis), licence.funding_source) == (
        "LAB § 32 – Vejledning og opkvalificering (kurser)",
        funding["foundation"],
    )
    startup = rule_in_force(programme=programme, category=_category(muni_a, "startup_allowance"), on=on)
    assert startup.legal_basis is None and startup.funding_source == funding["foundation"]
    assert LegalBasis.objects.for_municipality(muni_a).get(law="LAS", paragraph="§ 81").valid_to is None


def test_installing_the_table_again_changes_nothing(installed, programme, funding, muni_a):
    before = _counts(muni_a)
    again = rule_table_install(programme=programme, funding=funding)
    assert [r.pk for r in again] == [r.pk for r in installed]
    assert _counts(muni_a) == before


def test_the_rule_in_force_is_chosen_by_the_decision_date(
    installed, coordinator, programme, funding, new_basis, muni_a
):
    course = _category(muni_a, "course")
    booking_rule_save(
        actor=coordinator, rule=_new_rule(programme, course, new_basis, funding["municipal"], D(2020, 1, 1))
    )
    old = rule_in_force(programme=programme, category=course, on=D(2019, 12, 31))
    new = rule_in_force(programme=programme, category=course, on=D(2020, 1, 1))
    assert old.legal_basis.paragraph == "§ 32" and old.source_year == 2018
    assert new.legal_basis.paragraph == "§ 91" and new.source_year is None
    assert old.legal_basis.citation() != new.legal_basis.citation()
    assert rule_in_force(programme=programme, category=course, on=D(2015, 12, 1)) == old
    assert rule_in_force(programme=programme, category=course, on=D(2031, 1, 1)) == new


@pytest.mark.parametrize("on", [D(2020, 1, 1), D(2015, 11, 30)])
def test_no_rule_in_force_is_a_clear_error_in_danish(installed, programme, muni_a, on):
    course = _category(muni_a, "course")
    with pytest.raises(NoBookingRule) as exc:
        rule_in_force(programme=programme, category=course, on=on)
    assert exc.value.messages == [
        f"Der er ingen konteringsregel for Kurser og uddannelse i Tag teten den {on:%d.%m.%Y}. "
        "Bed koordinatoren om at oprette en."
    ]


def test_a_rule_in_another_programme_is_not_used(installed, programme, muni_a):
    other = Programme.objects.create(municipality=muni_a, name="Mikrolån", kind=ProgrammeKind.MICROLOAN)
    with pytest.raises(NoBookingRule):
        rule_in_force(programme=other, category=_category(muni_a, "course"), on=D(2019, 6, 1))


@pytest.mark.parametrize(
    "valid_from, valid_to",
    [
        (D(2019, 12, 31), None),  # overlaps the table's last day
        (D(2019, 6, 1), D(2019, 6, 30)),  # inside the table's period
        (D(2010, 1, 1), D(2015, 12, 1)),  # ends on the table's first day
        (D(2010, 1, 1), None),  # open-ended, across the whole table
    ],
)
def test_overlapping_periods_are_refused(installed, coordinator, programme, funding, muni_a, valid_from, valid_to):
    course = _category(muni_a, "course")
    # A basis valid throughout, so the only fault left is the overlap with the 2018 table.
    basis = LegalBasis.objects.create(
        municipality=muni_a,
        law="LAB",
        paragraph="§ 91",
        title="Vejledning og opkvalificering",
        valid_from=D(2000, 1, 1),
    )
    before = (_counts(muni_a), DecisionEvent.objects.filter(kind="booking_rule.saved").count())
    with pytest.raises(ValidationError) as exc:
        booking_rule_save(
            actor=coordinator,
            rule=_new_rule(programme, course, basis, funding["municipal"], valid_from, valid_to),
        )
    assert exc.value.message_dict == {
        "valid_from": ["En anden regel for denne kategori gælder i samme periode. Afslut den først."]
    }
    assert (_counts(muni_a), DecisionEvent.objects.filter(kind="booking_rule.saved").count()) == before


def test_an_open_ended_rule_must_be_ended_before_a_new_one_starts(
    installed, coordinator, programme, funding, new_basis, muni_a
):
    course = _category(muni_a, "course")
    current = booking_rule_save(
        actor=coordinator, rule=_new_rule(programme, course, new_basis, funding["municipal"], D(2020, 1, 1))
    )
    later_basis = LegalBasis.objects.create(
        municipality=muni_a, law="LBR", paragraph="§ 1", title="Ny lov", valid_from=D(2027, 1, 1)
    )
    following = _new_rule(programme, course, later_basis, funding["municipal"], D(2027, 1, 1))
    with pytest.raises(ValidationError):
        booking_rule_save(actor=coordinator, rule=following)
    current.valid_to = D(2026, 12, 31)
    booking_rule_save(actor=coordinator, rule=current)  # a rule does not clash with itself
    booking_rule_save(actor=coordinator, rule=following)
    assert rule_in_force(programme=programme, category=course, on=D(2026, 12, 31)).legal_basis == new_basis
    assert rule_in_force(programme=programme, category=course, on=D(2027, 1, 1)).legal_basis == later_basis


def test_an_end_before_the_start_is_refused(installed, coordinator, programme, funding, new_basis, muni_a):
    rule = _new_rule(programme, _category(muni_a, "course"), new_basis, funding["municipal"], D(2021, 1, 1))
    rule.valid_to = D(2020, 12, 31)
    with pytest.raises(ValidationError) as exc:
        booking_rule_save(actor=coordinator, rule=rule)
    assert "valid_to" in exc.value.message_dict


@pytest.mark.parametrize(
    "role", [Role.BENEFITS_CASEWORKER, Role.FINANCE_OFFICER, Role.JOB_CONSULTANT, Role.ADMINISTRATOR, Role.COACH]
)
def test_only_coordinators_may_save_rules(installed, make_staff, programme, funding, new_basis, muni_a, role):
    someone = make_staff(muni_a, role)
    before = _counts(muni_a)
    rule = _new_rule(programme, _category(muni_a, "course"), new_basis, funding["municipal"], D(2020, 1, 1))
    with pytest.raises(PermissionDenied):
        booking_rule_save(actor=someone, rule=rule)
    existing = BookingRule.objects.for_municipality(muni_a).first()
    existing.valid_to = D(2030, 1, 1)
    with pytest.raises(PermissionDenied):
        booking_rule_save(actor=someone, rule=existing)
    assert _counts(muni_a) == before
    assert BookingRule.objects.for_municipality(muni_a).get(pk=existing.pk).valid_to == D(2019, 12, 31)
    assert not DecisionEvent.objects.filter(kind="booking_rule.saved").exists()


def test_a_coordinator_of_another_municipality_cannot_use_our_data(
    installed, make_staff, muni_b, programme, funding, new_basis, muni_a
):
    theirs = make_staff(muni_b, Role.COORDINATOR)
    rule = _new_rule(programme, _category(muni_a, "course"), new_basis, funding["municipal"], D(2020, 1, 1))
    with pytest.raises(ValidationError):
        booking_rule_save(actor=theirs, rule=rule)
    assert not BookingRule.objects.for_municipality(muni_b).exists()


def test_every_rule_change_is_recorded_with_before_and_after(
    installed, coordinator, programme, funding, new_basis, muni_a
):
    course = _category(muni_a, "course")
    rule = booking_rule_save(
        actor=coordinator, rule=_new_rule(programme, course, new_basis, funding["municipal"], D(2020, 1, 1))
    )
    created = DecisionEvent.objects.get(kind="booking_rule.saved")
    assert (created.actor, created.municipality, created.object_id) == (coordinator, muni_a, str(rule.pk))
    assert created.object_type == "programmes.BookingRule"
    assert created.legal_basis == "LAB § 91 – Vejledning og opkvalificering"
    assert created.before == {}
    assert created.after == {
        "category": "course",
        "legal_basis": "LAB § 91 – Vejledning og opkvalificering",
        "funding_source": "Kommunale midler",
        "valid_from": "2020-01-01",
        "valid_to": None,
    }

    rule.funding_source = funding["foundation"]
    rule.valid_to = D(2026, 12, 31)
    booking_rule_save(actor=coordinator, rule=rule)
    changed = DecisionEvent.objects.filter(kind="booking_rule.saved").exclude(pk=created.pk).get()
    assert changed.before == created.after
    assert changed.after == {
        **created.after,
        "funding_source": "Fondsmidler",
        "valid_to": "2026-12-31",
    }
