import datetime
import re

import pytest
from django.utils import timezone

from teten.accounts.models import Role
from teten.budgets.models import BudgetPlan, Offer, OfferStatus, PlanStatus
from teten.portal.identity import OneTimeLinkProvider
from teten.programmes.models import Programme, ProgrammeKind

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def coordinator(make_staff, muni_a):
    return make_staff(muni_a, Role.COORDINATOR, username="birgitte", first_name="Birgitte", last_name="Koordinator")


@pytest.fixture
def programme(muni_a):
    return Programme.objects.create(
        municipality=muni_a, name="Langtidsledige tager teten", kind=ProgrammeKind.PERSONAL_BUDGET
    )


@pytest.fixture
def make_plan(consultant):
    """A personal-budget participant: an accepted offer and a plan in `status`."""

    def make(programme, citizen, status=PlanStatus.CLOSED, *, window_end=None, offer_status=OfferStatus.ACCEPTED):
        m = programme.municipality
        offer = Offer.objects.create(
            municipality=m, programme=programme, citizen=citizen, offered_by=consultant, status=offer_status
        )
        return BudgetPlan.objects.create(
            municipality=m,
            offer=offer,
            citizen=citizen,
            programme=programme,
            consultant=consultant,
            status=status,
            approved_at=timezone.now() if status != PlanStatus.DRAFT else None,
            window_end=window_end,
        )

    return make


@pytest.fixture
def log_in():
    def log_in(client, citizen):
        client.post(re.sub(r"^https?://[^/]+", "", OneTimeLinkProvider.issue_link(citizen)))
        return client

    return log_in
