"""The budgets benchmark: the consultant's budget worklist and plan page, and the budget tool's
running total, on the budget scale data.

Each scenario is a whole request through Django's test client, as a consultant in the largest
municipality (force_login, as in the platform benchmark) or as a citizen logged in to My pages
through the one-time-link provider. The business day is the data's date (`acting_on`), so what is
overdue, running or closed is the same whenever the benchmark is run.

Every response is checked against the database, read independently of the page's own code: the
worklist must list exactly the plans, requests and receipts waiting for the consultant, the plan
page every line, and the running total the right sum.
"""

import datetime
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.budget_data import RECEIPT_DAYS, probe_usernames
from bench.databases import server_cpu
from bench.plan import DATA_DATE
from bench.platform import _describe, _percentile
from bench.report import Measurement
from teten.accounts.models import User
from teten.budgets.models import (
    BudgetLine,
    BudgetPlan,
    ChangeRequest,
    LineStatus,
    PlanStatus,
    Receipt,
    ReceiptStatus,
    RequestStatus,
)
from teten.budgets.plans import COUNTING, window_months
from teten.core.clock import acting_on
from teten.core.money import format_kroner
from teten.payments.models import Payee, Payment, PaymentStatus
from teten.portal.identity import OneTimeLinkProvider
from teten.programmes.models import ExpenseCategory

PAGE_TARGET_MS = 100
TOTAL_TARGET_MS = 50
PLAN_LINK = re.compile(rb'href="/budgetter/\d+/"')
LINE_CARD = re.compile(rb'<article class="line-card[^"]*" id="review-line-\d+"')
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Scenario:
    name: str
    group: str  # the scenarios of a group must make the same number of queries
    target_ms: int
    path: str
    rows: int  # what the response must show: links, line cards, or the lines in the total
    staff: User | None = None
    citizen_plan: BudgetPlan | None = None
    post: dict | None = None
    expect: bytes = b""  # text the response must contain

    def login(self) -> Client:
        if self.staff is not None:
            client = Client()
            client.force_login(self.staff)
            return client
        # The citizen logs in as the portal's one-time-link provider lets them (CSRF checked, as in
        # production), and opens the budget tool, whose form the running total posts.
        client = Client(enforce_csrf_checks=True)
        link = urlsplit(OneTimeLinkProvider.issue_link(self.citizen_plan.citizen)).path
        client.get(link)
        token = client.cookies["csrftoken"].value
        answer = client.post(link, {"csrfmiddlewaretoken": token})
        if answer.status_code != 302 or answer.url != reverse("portal:home"):
            raise RuntimeError(f"{self.name}: the citizen could not log in ({answer.status_code})")
        tool = client.get(reverse("portal:budget"))
        self.post = {**self.post, "csrfmiddlewaretoken": CSRF_FIELD.search(tool.content).group(1).decode()}
        return client

    def request(self, client: Client):
        if self.post is None:
            return client.get(self.path)
        return client.post(
            self.path,
            self.post,
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET="budget-total",
            HTTP_HX_CURRENT_URL=f"http://testserver{reverse('portal:budget')}",
        )

    def rows_shown(self, content: bytes) -> int:
        if self.post is not None:
            return self.rows if self.expect in content else -1
        pattern = PLAN_LINK if self.group == "worklist" else LINE_CARD
        return len(pattern.findall(content))


# --- what the database says the pages must show ----------------------------------------------------


def worklist_rows(user: User, on: datetime.date) -> int:
    """Plans waiting for review or with the citizen, pending requests, receipts to check and
    receipts overdue (paid to the citizen, deadline passed, nothing handed in)."""
    m = user.municipality
    plans = (
        BudgetPlan.objects.for_municipality(m)
        .filter(
            consultant=user,
            status__in=[PlanStatus.SUBMITTED, PlanStatus.DRAFT, PlanStatus.CHANGES_REQUESTED],
        )
        .count()
    )
    requests = ChangeRequest.objects.filter(
        plan__municipality=m, plan__consultant=user, status=RequestStatus.PENDING
    ).count()
    to_check = Receipt.objects.filter(
        payment__municipality=m,
        payment__commitment__budget_line__plan__consultant=user,
        status=ReceiptStatus.UPLOADED,
    ).count()
    handed_in = Receipt.objects.filter(
        payment=OuterRef("pk"), status__in=[ReceiptStatus.UPLOADED, ReceiptStatus.ACCEPTED]
    )
    overdue = (
        Payment.objects.for_municipality(m)
        .filter(
            commitment__budget_line__plan__consultant=user,
            payee=Payee.CITIZEN,
            status__in=[PaymentStatus.SENT, PaymentStatus.PAID],
            sent_on__lt=on - datetime.timedelta(days=RECEIPT_DAYS),
        )
        .exclude(Exists(handed_in))
        .count()
    )
    return plans + requests + to_check + overdue


def _lines(plan: BudgetPlan):
    return BudgetLine.objects.filter(plan=plan)


def _payments(plan: BudgetPlan):
    return Payment.objects.for_municipality(plan.municipality).filter(commitment__budget_line__plan=plan)


def _plans_of(user: User, status: str):
    """The consultant's plans in `status`, with their lines shown and payments, fewest lines first."""
    return (
        BudgetPlan.objects.for_municipality(user.municipality)
        .filter(consultant=user, status=status)
        .annotate(
            shown=Count("lines", filter=~Q(lines__status=LineStatus.CANCELLED), distinct=True),
            paid=Count("lines__commitment__payments", distinct=True),
        )
        .select_related("citizen", "municipality")
    )


def scenarios() -> list[Scenario]:
    long_name, short_name = probe_usernames()
    many = User.objects.get(username=long_name)
    few = User.objects.get(username=short_name)
    plans_many = BudgetPlan.objects.for_municipality(many.municipality).filter(consultant=many).count()
    plans_few = BudgetPlan.objects.for_municipality(few.municipality).filter(consultant=few).count()
    result = []
    for user, plans in ((many, plans_many), (few, plans_few)):
        rows = worklist_rows(user, DATA_DATE)
        result.append(
            Scenario(
                f"worklist: {rows} rows ({user.username}, {plans} plans)",
                "worklist",
                PAGE_TARGET_MS,
                reverse("budgets:worklist"),
                rows,
                staff=many if user is many else few,
            )
        )
    submitted = list(_plans_of(many, PlanStatus.SUBMITTED).order_by("shown", "id"))
    for plan in (submitted[-1], submitted[0]):
        result.append(
            Scenario(
                f"plan review: sent for review, {plan.shown} lines",
                "plan review (sent for review)",
                PAGE_TARGET_MS,
                reverse("budgets:plan", args=[plan.pk]),
                plan.shown,
                staff=many,
            )
        )
    # Running plans with receipts handed in (with none, Django skips the prefetch of their files).
    running = list(
        _plans_of(many, PlanStatus.APPROVED)
        .filter(lines__commitment__payments__receipts__isnull=False)
        .order_by("paid", "shown", "id")
    )
    for plan in (running[-1], running[0]):
        result.append(
            Scenario(
                f"plan page: running, {plan.shown} lines, {plan.paid} payments",
                "plan page (running, with payments)",
                PAGE_TARGET_MS,
                reverse("budgets:plan", args=[plan.pk]),
                plan.shown,
                staff=many,
            )
        )
    result += _total_scenarios(many)
    return result


def _total_scenarios(consultant: User) -> list[Scenario]:
    """The budget tool's running total as the citizen types an amount: a new line, and a change to
    a line already in the plan. A plan being written, with the most usual number of lines (six)."""
    drafts = list(_plans_of(consultant, PlanStatus.DRAFT).order_by("id"))
    plan = min(drafts, key=lambda p: (abs(p.shown - 6), p.pk))
    counting = _lines(plan).filter(status__in=COUNTING)
    total = counting.aggregate(total=Sum("amount", default=0))["total"]
    line = counting.order_by("planned_month", "id").first()
    with acting_on(DATA_DATE):
        month = window_months(plan)[0]
    category = ExpenseCategory.objects.for_municipality(plan.municipality).get(code="course")
    typed = {
        "category": str(category.pk),
        "description": "Truckcertifikat",
        "supplier": "AMU Syd",
        "planned_month": month.isoformat(),
        "justification": "Lagerjob kræver truckcertifikat, og to arbejdsgivere har spurgt efter det.",
    }
    rows = counting.count()
    return [
        Scenario(
            f"budget tool total: typing a new line ({rows} lines)",
            "budget tool total (htmx)",
            TOTAL_TARGET_MS,
            reverse("portal:live_total"),
            rows,
            citizen_plan=plan,
            post={**typed, "amount": "4.500"},
            expect=format_kroner(total + 450_000).encode(),
        ),
        Scenario(
            f"budget tool total: changing a line ({rows} lines)",
            "budget tool total (htmx)",
            TOTAL_TARGET_MS,
            reverse("portal:live_total"),
            rows,
            citizen_plan=plan,
            post={**typed, "amount": "3.250", "line_id": str(line.pk)},
            expect=format_kroner(total - line.amount + 325_000).encode(),
        ),
    ]


def measure(scenario: Scenario, *, iterations: int, warmup: int, counted: int = 20) -> Measurement:
    """Time `iterations` requests after `warmup`, then count the queries of `counted` more (the
    timed requests are not instrumented, as in the platform benchmark).

    Each timed request is measured twice: wall time (`perf_counter`), which is what the target is
    about, and this process's CPU time (`process_time`), which hardly changes when other jobs share
    the machine's two cores. On PostgreSQL the server's work is in another process; its CPU time is
    read from /proc around each request and reported as a mean (the kernel counts in 10 ms ticks)."""
    with acting_on(DATA_DATE):
        client = scenario.login()
        for _ in range(warmup):
            scenario.request(client)
        timings, cpu, server, rows = [], [], [], set()
        for _ in range(iterations):
            before = server_cpu()
            started, started_cpu = time.perf_counter(), time.process_time()
            response = scenario.request(client)
            cpu.append((time.process_time() - started_cpu) * 1000)
            timings.append((time.perf_counter() - started) * 1000)
            after = server_cpu()
            if before and after and before[0] == after[0]:
                server.append((after[1] - before[1]) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{scenario.name}: HTTP {response.status_code}")
            rows.add(scenario.rows_shown(response.content))
        if rows != {scenario.rows}:
            raise RuntimeError(f"{scenario.name}: expected {scenario.rows} rows, the page showed {sorted(rows)}")
        query_counts = Counter()
        for _ in range(counted):
            connection.queries_log.clear()  # it keeps 9,000 queries: a fuller log would count none
            with CaptureQueriesContext(connection) as queries:
                scenario.request(client)
            query_counts[len(queries)] += 1
    return Measurement(
        database=connection.vendor,
        scenario=scenario.name,
        rows=scenario.rows,
        median_ms=statistics.median(timings),
        p95_ms=_percentile(timings, 95),
        queries=_describe(query_counts),
        target_ms=scenario.target_ms,
        group=scenario.group,
        cpu_median_ms=statistics.median(cpu),
        cpu_p95_ms=_percentile(cpu, 95),
        server_cpu_ms=statistics.fmean(server) if len(server) >= iterations // 2 else None,
    )


def run(*, iterations: int, warmup: int, progress=print) -> list[Measurement]:
    results = []
    for scenario in scenarios():
        result = measure(scenario, iterations=iterations, warmup=warmup)
        progress(
            f"  {result.scenario}: median {result.median_ms:.1f} ms, p95 {result.p95_ms:.1f} ms "
            f"(CPU {result.cpu_median_ms:.1f}, {result.cpu_p95_ms:.1f} ms), {result.queries} queries"
        )
        results.append(result)
    return results
