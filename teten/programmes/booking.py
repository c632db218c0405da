"""Booking rules: which legal basis and funding source an expense is booked on, on a given day.

The 2018 rule table from "Langtidsledige tager teten" ships as data (data/booking_rules_2018.json)
and is loaded per programme; coordinators edit rules in the staff interface.
"""

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from teten.accounts.access import require
from teten.audit.services import decision_record
from teten.core.dates import period_text
from teten.programmes.models import BookingRule, ExpenseCategory, FundingSource, LegalBasis, Programme

DATA_DIR = Path(__file__).resolve().parent / "data"


class NoBookingRule(ValidationError):
    pass


def _in_force(on: datetime.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def rule_in_force(*, programme: Programme, category: ExpenseCategory, on: datetime.date) -> BookingRule:
    """The booking rule for `category` in `programme` on `on`; a clear error if none is set up."""
    rule = (
        BookingRule.objects.for_municipality(programme.municipality)
        .filter(_in_force(on), programme=programme, category=category)
        .select_related("legal_basis", "funding_source", "category")
        .first()
    )
    if rule is None:
        raise NoBookingRule(
            _("There is no booking rule for %(category)s in %(programme)s on %(date)s. Ask the coordinator to add one.")
            % {"category": category, "programme": programme, "date": f"{on:%d.%m.%Y}"}
        )
    return rule


def _check_overlap(rule: BookingRule) -> None:
    end = rule.valid_to or datetime.date.max
    clashes = (
        BookingRule.objects.for_municipality(rule.municipality)
        .filter(programme=rule.programme, category=rule.category, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=rule.valid_from))
        .exclude(pk=rule.pk)
    )
    if clashes.exists():
        raise ValidationError(
            {"valid_from": _("Another rule for this category is in force in the same period. End that one first.")}
        )


@transaction.atomic
def booking_rule_save(*, actor, rule: BookingRule) -> BookingRule:
    """Add or change a booking rule (coordinators). Periods for one category may not overlap."""
    require(actor, "programmes.manage")
    rule.municipality = actor.municipality
    for related in (rule.programme, rule.category, rule.funding_source, rule.legal_basis):
        if related is not None and related.municipality_id != actor.municipality_id:
            raise ValidationError(_("Choose from your own municipality's data."))
    if rule.valid_to and rule.valid_to < rule.valid_from:
        raise ValidationError({"valid_to": _("The end date must be on or after the start date.")})
    basis = rule.legal_basis
    if basis and (
        basis.valid_from > rule.valid_from or (basis.valid_to and (not rule.valid_to or rule.valid_to > basis.valid_to))
    ):
        raise ValidationError(
            {
                "legal_basis": _("The legal basis is not in force for the whole period of the rule (%(basis)s).")
                % {"basis": period_text(basis.valid_from, basis.valid_to)}
            }
        )
    _check_overlap(rule)
    before = (
        {}
        if rule._state.adding
        else _snapshot(BookingRule.objects.for_municipality(actor.municipality).get(pk=rule.pk))
    )
    rule.full_clean()
    rule.save()
    decision_record(
        actor=actor,
        municipality=actor.municipality,
        kind="booking_rule.saved",
        obj=rule,
        legal_basis=str(rule.legal_basis or ""),
        before=before,
        after=_snapshot(rule),
    )
    return rule


def _snapshot(rule: BookingRule) -> dict:
    return {
        "category": rule.category.code,
        "legal_basis": str(rule.legal_basis or ""),
        "funding_source": rule.funding_source.name,
        "valid_from": rule.valid_from.isoformat(),
        "valid_to": rule.valid_to.isoformat() if rule.valid_to else None,
    }


@dataclass(frozen=True)
class RuleTable:
    year: int
    valid_from: datetime.date
    valid_to: datetime.date | None
    data: dict

    @classmethod
    def load(cls, year: int) -> "RuleTable":
        data = json.loads((DATA_DIR / f"booking_rules_{year}.json").read_text(encoding="utf-8"))
        to = data.get("valid_to")
        return cls(
            year=data["year"],
            valid_from=datetime.date.fromisoformat(data["valid_from"]),
            valid_to=datetime.date.fromisoformat(to) if to else None,
            data=data,
        )


@transaction.atomic
def rule_table_install(
    *, programme: Programme, funding: dict[str, FundingSource], year: int = 2018
) -> list[BookingRule]:
    """Install a shipped rule table in a programme (idempotent): legal bases, categories, rules.
    `funding` maps the table's funding kinds ("municipal", "foundation") to funding sources."""
    table = RuleTable.load(year)
    municipality = programme.municipality
    bases = {}
    for spec in table.data["legal_bases"]:
        valid_to = datetime.date.fromisoformat(spec["valid_to"]) if spec["valid_to"] else None
        bases[spec["key"]], _created = LegalBasis.objects.for_municipality(municipality).get_or_create(
            municipality=municipality,
            law=spec["law"],
            paragraph=spec["paragraph"],
            valid_from=table.valid_from,
            defaults={"title": spec["title"], "valid_to": valid_to, "source_year": table.year},
        )
    categories = {}
    for spec in table.data["categories"]:
        categories[spec["code"]], _created = ExpenseCategory.objects.for_municipality(municipality).get_or_create(
            municipality=municipality, code=spec["code"], defaults={"name": spec["name"], "help_text": spec["help"]}
        )
    rules = []
    for spec in table.data["rules"]:
        rule, _created = BookingRule.objects.for_municipality(municipality).get_or_create(
            municipality=municipality,
            programme=programme,
            category=categories[spec["category"]],
            valid_from=table.valid_from,
            defaults={
                "legal_basis": bases[spec["legal_basis"]] if spec["legal_basis"] else None,
                "funding_source": funding[spec["funding"]],
                "valid_to": table.valid_to,
                "note": spec["note"],
                "source_year": table.year,
            },
        )
        rules.append(rule)
    return rules
