from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from teten.accounts.models import User
from teten.budgets.models import BudgetPlan, Offer, OfferStatus, PlanStatus
from teten.citizens.models import Citizen
from teten.core.clock import today
from teten.demo.budgets import demo_budgets_load
from teten.demo.evidence import demo_evidence_load
from teten.demo.loans import demo_loans_load
from teten.demo.money import demo_money_load
from teten.demo.municipality import DEMO_PASSWORD, DEMO_USERS, demo_municipality_load
from teten.loans.models import LoanCase, Stage
from teten.portal.identity import OneTimeLinkProvider


class Command(BaseCommand):
    help = "Create the demo municipality (once) and print how to log in as each demo role."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Load without printing the login guide.")

    def handle(self, *args, quiet=False, **options):
        translation.activate(settings.LANGUAGE_CODE)
        municipality = demo_municipality_load(today=today())
        programme = demo_money_load(municipality=municipality, today=today())
        demo_budgets_load(programme=programme, today=today())
        demo_loans_load(municipality=municipality, today=today())
        demo_evidence_load(municipality=municipality, today=today())
        if quiet:
            return
        out = self.stdout.write
        out("")
        out(self.style.SUCCESS(f"Teten is ready with {municipality.name}."))
        out(f"Open http://127.0.0.1:8000 and log in as staff (password for all: {DEMO_PASSWORD}):")
        for spec in DEMO_USERS:
            user = User.objects.get(username=spec.username)
            out(f"  {spec.username:<14} {user.get_full_name():<22} {', '.join(user.role_labels())}")
        out("")
        out("Citizens log in with a one-time link (each works once, for 30 minutes):")
        for label, citizen in _showcase_citizens(municipality):
            out(f"  {citizen.full_name} <{citizen.email}> – {label}")
            out(f"    {OneTimeLinkProvider.issue_link(citizen)}")
        out("  A new link: http://127.0.0.1:8000/mit/login/ with the citizen's e-mail; it is printed in this terminal.")
        out("")


def _showcase_citizens(municipality):
    """Citizens at the steps worth seeing: an offer to answer, a budget being written, an approved
    budget, a loan agreement to accept, a loan being paid back."""
    picks = []
    offer = Offer.objects.for_municipality(municipality).filter(status=OfferStatus.OFFERED).order_by("id").first()
    if offer:
        picks.append(("has an offer to answer", offer.citizen))
    for status, label in ((PlanStatus.DRAFT, "is writing a budget"), (PlanStatus.APPROVED, "has an approved budget")):
        plan = BudgetPlan.objects.for_municipality(municipality).filter(status=status).order_by("id").first()
        if plan:
            picks.append((label, plan.citizen))
    for stage, label in (
        (Stage.APPROVED, "has a loan agreement to accept"),
        (Stage.REPAYING, "is paying back a micro-loan"),
    ):
        case = LoanCase.objects.for_municipality(municipality).filter(stage=stage).order_by("id").first()
        if case:
            picks.append((label, case.citizen))
    if not picks:
        picks = [
            ("citizen", c) for c in Citizen.objects.for_municipality(municipality).exclude(email="").order_by("id")[:3]
        ]
    return picks
