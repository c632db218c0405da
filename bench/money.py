"""The money benchmark: ledger posting throughput, pgbench's ceiling, and `teten daily` over the
open payments.

1. Postings: `teten.ledger.services.post(...)` called N times with 2 legs and N times with 4 legs,
   each with its own idempotency key, one after the other in one process and each its own database
   transaction (committed, as a real posting is), then the first N keys again (the idempotent
   replay, which must return the first transactions and write nothing). Wall time, this process's
   CPU time, and on PostgreSQL the server backend's CPU time.
2. The ceiling: pgbench's TPC-B-like transaction with one client on the same machine, in its own
   database (`bench/pgbench.py`).
3. The daily job, as `teten daily --date 2026-12-01 --only payments_due --only batch_reminders`,
   twice: the first run approves and posts the tranches due that day and reminds the finance
   officers of the batches waiting too long; the second must find nothing to do. Both are checked
   against queries of their own.
"""

import cProfile
import datetime
import io
import pstats
import random
import time

from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Q, Sum

from bench import databases
from bench.money_report import DailyMeasurement, PostingMeasurement
from teten.audit.models import DecisionEvent
from teten.core.businessdays import add_business_days
from teten.core.models import DailyRun, Municipality
from teten.ledger.models import LedgerAccount, LedgerLeg, LedgerTransaction
from teten.ledger.services import Leg, post, remembered_accounts
from teten.payments import postings as postings_module
from teten.payments.daily import REMINDER_AFTER_BUSINESS_DAYS, due_payments
from teten.payments.models import (
    BatchReminder,
    BatchStatus,
    Commitment,
    MoneyKind,
    Payee,
    Payment,
    PaymentBatch,
    PaymentStatus,
)
from teten.payments.services import payment_make_due
from teten.programmes.models import FundingSource

PAYMENT_DUTIES = ("payments_due", "batch_reminders")
KEY_PREFIX = "bench:post"


# --- helpers ------------------------------------------------------------------------------------


def server_cpu() -> tuple[int, float] | None:
    """(backend pid, CPU seconds so far) of the PostgreSQL backend serving this connection; None for
    SQLite, which works in-process."""
    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    return databases.server_cpu()


class Clock:
    """Wall, process CPU and server CPU seconds, and the statements sent, over a `with` block."""

    def __enter__(self):
        self.queries = 0
        self._wrapper = connection.execute_wrapper(self._count)
        self._wrapper.__enter__()
        self._server = server_cpu()
        self._cpu = time.process_time()
        self._wall = time.perf_counter()
        return self

    def _count(self, execute, sql, params, many, context):
        self.queries += 1
        return execute(sql, params, many, context)

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self._wall
        self.cpu_seconds = time.process_time() - self._cpu
        after = server_cpu()
        same_backend = self._server is not None and after is not None and after[0] == self._server[0]
        self.server_cpu_seconds = after[1] - self._server[1] if same_backend else None
        self._wrapper.__exit__(*exc)
        return False


# --- 1. postings --------------------------------------------------------------------------------


def largest_municipality() -> Municipality:
    counts = Payment.objects.all_municipalities().values("municipality").annotate(n=Count("id"))
    pk = max(counts, key=lambda row: (row["n"], -row["municipality"]))["municipality"]
    return Municipality.objects.get(pk=pk)


def _accounts(municipality) -> dict[str, LedgerAccount]:
    found = LedgerAccount.objects.for_municipality(municipality).order_by("code")
    accounts = {a.key: a for a in found}
    spending = [a for key, a in accounts.items() if key.startswith("spending:")]
    if len(spending) < 2:
        raise RuntimeError(f"{municipality.name} has no money data: run `python -m bench money-load`")
    return {"spending_a": spending[0], "spending_b": spending[1], **accounts}


def posting_calls(municipality, accounts, *, legs: int, count: int, run: int, on: datetime.date) -> list[dict]:
    """The keyword arguments of `count` postings: a tranche approved (Dr spending, Cr due to the
    citizen) or, with 4 legs, a payment shared between two pools and two payees."""
    rng = random.Random(legs * 1000 + run)
    calls = []
    for i in range(count):
        a = rng.randrange(1_000, 1_000_000)
        if legs == 2:
            entries = [Leg.debit(accounts["spending_a"], a), Leg.credit(accounts["payable_citizens"], a)]
        else:
            b = rng.randrange(1_000, 1_000_000)
            entries = [
                Leg.debit(accounts["spending_a"], a),
                Leg.debit(accounts["spending_b"], b),
                Leg.credit(accounts["payable_citizens"], a),
                Leg.credit(accounts["payable_suppliers"], b),
            ]
        calls.append(
            {
                "municipality": municipality,
                "key": f"{KEY_PREFIX}:{run}:{legs}:{i}",
                "booked_on": on,
                "description": f"Benchmark posting {i + 1} with {legs} legs",
                "legs": entries,
                "reference": f"bench.Posting:{run}:{legs}:{i}",
            }
        )
    return calls


def _post_all(database: str, scenario: str, calls: list[dict]) -> tuple[PostingMeasurement, list[int]]:
    ids = []
    with Clock() as clock:
        for kwargs in calls:
            ids.append(post(**kwargs).pk)
    measured = PostingMeasurement(
        database=database,
        scenario=scenario,
        postings=len(calls),
        seconds=clock.seconds,
        cpu_seconds=clock.cpu_seconds,
        server_cpu_seconds=clock.server_cpu_seconds,
        queries=round(clock.queries / len(calls), 2),
    )
    return measured, ids


def _check_postings(prefix: str, count: int, legs: int) -> None:
    """Exactly `count` transactions under the prefix, each with `legs` legs, summing to zero."""
    found = LedgerTransaction.objects.all_municipalities().filter(key__startswith=prefix)
    leg_rows = LedgerLeg.objects.filter(transaction__key__startswith=prefix)
    totals = leg_rows.aggregate(n=Count("id"), total=Sum("amount"))
    if (found.count(), totals["n"], totals["total"]) != (count, count * legs, 0):
        raise RuntimeError(
            f"{prefix}: expected {count} transactions with {count * legs} legs summing to 0, "
            f"found {found.count()} with {totals['n']} legs summing to {totals['total']}"
        )


def postings(count: int, on: datetime.date, *, progress=print) -> list[PostingMeasurement]:
    """N postings with 2 legs, N with 4, then the 2-leg keys again; each checked afterwards."""
    municipality = largest_municipality()
    accounts = _accounts(municipality)
    run = 1 + LedgerTransaction.objects.all_municipalities().filter(key__regex=rf"^{KEY_PREFIX}:\d+:2:0$").count()
    database, results = connection.vendor, []
    first_ids = None
    for legs in (2, 4):
        calls = posting_calls(municipality, accounts, legs=legs, count=count, run=run, on=on)
        measured, ids = _post_all(database, f"{legs} legs, new keys", calls)
        _check_postings(f"{KEY_PREFIX}:{run}:{legs}:", count, legs)
        progress(f"  {measured.scenario}: {measured.seconds:.2f} s, {measured.per_second:,.0f} postings/s")
        results.append(measured)
        if legs == 2:
            first_ids, replay = ids, calls
    measured, ids = _post_all(database, "2 legs, same keys again (replay)", replay)
    if ids != first_ids:
        raise RuntimeError("the replay returned other transactions than the first postings")
    _check_postings(f"{KEY_PREFIX}:{run}:2:", count, 2)  # nothing new was written
    progress(f"  {measured.scenario}: {measured.seconds:.2f} s, {measured.per_second:,.0f} replays/s")
    results.append(measured)
    return results


# --- 3. the daily job ---------------------------------------------------------------------------


OPEN_STATUSES = (PaymentStatus.SCHEDULED, PaymentStatus.APPROVED, PaymentStatus.IN_BATCH, PaymentStatus.SENT)


def open_payments() -> int:
    """Payments not yet paid, failed or cancelled."""
    return Payment.objects.all_municipalities().filter(status__in=OPEN_STATUSES).count()


def due_count(on: datetime.date) -> int:
    return Payment.objects.all_municipalities().filter(status=PaymentStatus.SCHEDULED, due_date__lte=on).count()


def reminders_due(on: datetime.date) -> int:
    """Batches waiting for approval (since made) or for export (since approved) for at least the
    business days the rule allows, not yet reminded of in that state: counted here, not by the duty."""
    waiting = PaymentBatch.objects.all_municipalities().filter(status__in=[BatchStatus.OPEN, BatchStatus.APPROVED])
    reminded = set(BatchReminder.objects.values_list("batch_id", "status"))
    count = 0
    for pk, status, created_at, approved_at in waiting.values_list("pk", "status", "created_at", "approved_at"):
        since = (approved_at if status == BatchStatus.APPROVED else created_at).date()
        if add_business_days(since, REMINDER_AFTER_BUSINESS_DAYS) <= on and (pk, status) not in reminded:
            count += 1
    return count


def ledger_state() -> dict[str, int]:
    """What the daily job's work can be checked by, each from its own table."""
    approved_citizen = Payment.objects.all_municipalities().filter(payee=Payee.CITIZEN, status=PaymentStatus.APPROVED)
    payable = LedgerLeg.objects.filter(
        transaction__key__startswith="payment:", account__key="payable_citizens"
    ).aggregate(total=Sum("amount"))["total"]
    return {
        "approved to citizens": approved_citizen.count(),
        "approved to citizens, øre": approved_citizen.aggregate(total=Sum("amount"))["total"] or 0,
        "approval postings": LedgerTransaction.objects.all_municipalities()
        .filter(key__startswith="payment:", key__endswith=":approved")
        .count(),
        "owed to citizens in the ledger, øre": -(payable or 0),
        "approval events": DecisionEvent.objects.filter(kind="payment.approved").count(),
        "reminders": BatchReminder.objects.count(),
        "unbalanced transactions": LedgerLeg.objects.values("transaction")
        .annotate(total=Sum("amount"))
        .filter(~Q(total=0))
        .count(),
    }


def _daily(on: datetime.date, run: str, payments: int, progress) -> tuple[DailyMeasurement, dict, dict]:
    out = io.StringIO()
    before = ledger_state()
    with Clock() as clock:
        call_command("daily", date=on.isoformat(), only=list(PAYMENT_DUTIES), stdout=out)
    after = ledger_state()
    runs = DailyRun.objects.filter(business_date=on, duty__in=PAYMENT_DUTIES).order_by("started_at")
    duties = ", ".join(f"{r.duty} {(r.finished_at - r.started_at).total_seconds():.2f} s" for r in runs)
    made = after["approved to citizens"] - before["approved to citizens"]
    progress(f"  daily, {run}: {clock.seconds:.2f} s, {made:,} payments made due ({out.getvalue().strip()!r})")
    measured = DailyMeasurement(
        database=connection.vendor,
        run=run,
        seconds=clock.seconds,
        cpu_seconds=clock.cpu_seconds,
        server_cpu_seconds=clock.server_cpu_seconds,
        open_payments=payments,
        made_due=made,
        reminders=after["reminders"] - before["reminders"],
        queries=clock.queries,
        duties=duties,
    )
    return measured, before, after


def _check(before: dict, after: dict, *, due: int, reminders: int) -> None:
    """The run did exactly what the data calls for, read back from the payments, the ledger, the
    audit trail and the reminders."""
    expected = {
        "approved to citizens": before["approved to citizens"] + due,
        "approval postings": before["approval postings"] + due,
        "approval events": before["approval events"] + due,
        "reminders": before["reminders"] + reminders,
        "owed to citizens in the ledger, øre": after["approved to citizens, øre"],
        "unbalanced transactions": 0,
    }
    wrong = {k: (v, after[k]) for k, v in expected.items() if after[k] != v}
    if wrong:
        raise RuntimeError("the daily job did not do what the data calls for (expected, found): " + repr(wrong))


def daily(on: datetime.date, *, progress=print) -> list[DailyMeasurement]:
    """Both runs; each must do exactly what the data calls for, and the second nothing."""
    if DailyRun.objects.filter(business_date=on, duty__in=PAYMENT_DUTIES).exists():
        raise RuntimeError(f"The daily job has already run for {on}: load the data again")
    payments, due, reminders = open_payments(), due_count(on), reminders_due(on)
    first, before, after = _daily(on, "1st: the month's tranches fall due", payments, progress)
    _check(before, after, due=due, reminders=reminders)
    second, before, after = _daily(on, "2nd: the same day again", payments, progress)
    _check(before, after, due=0, reminders=0)
    return [first, second]


# --- profiling ----------------------------------------------------------------------------------


class _Rollback(Exception):
    pass


def profile(on: datetime.date, *, count: int = 1000, top: int = 25) -> str:
    """cProfile of `count` 2-leg postings and of making the first `count` due payments due, as the
    duty does, inside one transaction that is rolled back (the data stays as loaded). Inside it
    every posting and payment is a savepoint, not a commit, so the statements each differ a little
    from the timed run's."""
    municipality = largest_municipality()
    accounts = _accounts(municipality)
    calls = posting_calls(municipality, accounts, legs=2, count=count, run=0, on=on)
    out = io.StringIO()
    remembered = remembered_accounts()
    remembered.__enter__()  # as payments_due runs, with every account remembered already:
    for m in Municipality.objects.all():  # looked up here, outside the rolled-back transaction
        for key in postings_module.SYSTEM_ACCOUNTS:
            postings_module.system_account(m, key)
        for source in FundingSource.objects.for_municipality(m):
            postings_module.spending_account(Commitment(funding_source=source, kind=MoneyKind.GRANT))
    for name, work in (
        (f"{count} postings with 2 legs", lambda: [post(**kwargs) for kwargs in calls]),
        (
            f"the first {count} due payments made due",
            lambda: [payment_make_due(payment=p, business_date=on) for p in due_payments(on)[:count]],
        ),
    ):
        profiler = cProfile.Profile(time.process_time)  # CPU time: the machine is shared
        try:
            with transaction.atomic():
                with Clock() as clock:
                    profiler.enable()
                    work()
                    profiler.disable()
                raise _Rollback
        except _Rollback:
            pass
        out.write(f"\n=== {name}: {clock.seconds:.2f} s under the profiler, {clock.queries / count:g} queries each\n")
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(r"/teten/", top)
        stats.strip_dirs().sort_stats("tottime").print_stats(top)
    remembered.__exit__(None, None, None)
    return out.getvalue()
