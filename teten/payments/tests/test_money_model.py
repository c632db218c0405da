"""A stateful model of the money: pools, commitments, payments, batches, bank confirmations.

Hypothesis drives random sequences of what caseworkers, finance officers and the bank do —
including what must be refused (over-committing a pool, paying more than was decided, approving
one's own batch, confirming a payment twice, a retried request) — and after every step the
database is compared with a plain-Python model and with the invariants that must always hold:

* every ledger transaction sums to zero, every balance is the sum of its legs, all balances sum to 0;
* no pool is committed beyond its amount, no commitment pays out more than it holds;
* one ledger transaction (and one payment) per idempotency key;
* no payment is paid twice: at most one bank posting and one settling confirmation each, and of a
  failed payment and its re-issues at most one is live.

Each Hypothesis example runs inside a savepoint that is rolled back afterwards, so every example
starts from the same clean database (the fixtures' municipality, staff, programme and citizen).
The rules pick what to act on from the model, usually something for which the action makes sense
(so that runs get deep: sent, paid, failed, re-issued) and sometimes anything (so refusals are tried).
"""

import datetime
from collections import Counter
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from teten.ledger.models import LedgerAccount, LedgerLeg, LedgerTransaction
from teten.ledger.services import balance, balances
from teten.payments import postings
from teten.payments.batches import (
    FourEyesViolation,
    batch_approve,
    batch_create,
    batch_export,
    batch_remove_payment,
)
from teten.payments.commitments import PoolExhausted, commitment_release, commitment_reserve, pool_statuses
from teten.payments.models import (
    BatchStatus,
    Commitment,
    CommitmentEntry,
    CommitmentEntryKind,
    LineOutcome,
    MoneyKind,
    Payee,
    Payment,
    PaymentBatch,
    PaymentStatus,
    ReconciliationLine,
)
from teten.payments.reconciliation import reconciliation_import
from teten.payments.services import (
    IllegalTransition,
    payment_cancel,
    payment_create,
    payment_make_due,
    payment_reissue,
    payment_settle,
)
from teten.programmes.models import FundingKind, FundingSource

S = PaymentStatus
TODAY = datetime.date(2026, 11, 23)  # a Monday
TOMORROW = datetime.date(2026, 11, 24)
LATER = datetime.date(2026, 11, 30)  # every batch's payment date
DUE_DATES = [TODAY, TOMORROW, LATER]
TRANCHE = 500_000  # the programme fixture's largest payment to the citizen at a time
SUPPLIER = {"supplier_name": "AOF Aarhus", "supplier_cvr": "13585628", "invoice_number": "F-1"}
UNKNOWN_REFERENCE = "TT-00000-00000"  # 0 is not in the reference alphabet: never a real payment
# The model's own rules, not imported from the code under test: what counts against a commitment,
# and which confirmations settle a payment.
LIVE = {S.SCHEDULED, S.APPROVED, S.IN_BATCH, S.SENT, S.PAID}
SETTLING = [LineOutcome.PAID, LineOutcome.FAILED]

SETTINGS = settings(
    max_examples=25,
    stateful_step_count=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


@dataclass
class Pool:
    obj: FundingSource
    amount: int
    committed: int = 0


@dataclass
class Decision:
    pk: int
    pool: int
    kind: str
    reference: str
    first_key: str
    amount: int


@dataclass
class Pay:
    pk: int
    key: str
    commitment: int
    amount: int
    payee: str
    status: str
    due: datetime.date
    batch: int | None = None
    approved_posted: bool = False
    reissue_of: int | None = None
    reissued: bool = False


@dataclass
class Batch:
    pk: int
    creator: object
    status: str = BatchStatus.OPEN


@dataclass(frozen=True)
class Context:
    municipality: object
    caseworker: object
    finance: tuple
    programme: object
    citizen: object


def _kroner(ore: int) -> str:
    return f"{ore // 100},{ore % 100:02d}"


class MoneyModel(RuleBasedStateMachine):
    ctx: Context  # set by the test

    def __init__(self):
        super().__init__()
        # Everything an example writes is rolled back in teardown(): each example starts clean.
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.m = self.ctx.municipality
        self.model_pools: dict[int, Pool] = {}
        self.decisions: dict[int, Decision] = {}
        self.pays: dict[int, Pay] = {}
        self.model_batches: dict[int, Batch] = {}
        self.expected_keys: set[str] = set()
        self.serial = 0

    def teardown(self):
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    # Helpers ----------------------------------------------------------------------------------

    def _key(self, prefix: str) -> str:
        self.serial += 1
        return f"{prefix}-{self.serial}"

    def _payment(self, pk: int) -> Payment:
        return Payment.objects.for_municipality(self.m).get(pk=pk)

    def _commitment(self, pk: int) -> Commitment:
        return Commitment.objects.for_municipality(self.m).get(pk=pk)

    def _batch(self, pk: int) -> PaymentBatch:
        return PaymentBatch.objects.for_municipality(self.m).get(pk=pk)

    def _live(self, commitment: int) -> int:
        return sum(p.amount for p in self.pays.values() if p.commitment == commitment and p.status in LIVE)

    def _available(self, commitment: int) -> int:
        return self.decisions[commitment].amount - self._live(commitment)

    def _ledger_counts(self) -> tuple[int, int]:
        return (
            LedgerTransaction.objects.for_municipality(self.m).count(),
            Payment.objects.for_municipality(self.m).count(),
        )

    def _posted(self, p: Pay, step: str) -> None:
        self.expected_keys.add(f"payment:{p.pk}:{step}")

    def _approve(self, p: Pay) -> None:
        p.status, p.approved_posted = S.APPROVED, True
        self._posted(p, "approved")

    def _fail(self, p: Pay) -> None:
        p.status = S.FAILED
        self._posted(p, "sent:reversed")
        self._posted(p, "approved:reversed")

    def _new_payment(self, payment: Payment, **fields) -> None:
        p = Pay(
            pk=payment.pk,
            key=payment.key,
            commitment=payment.commitment_id,
            amount=payment.amount,
            payee=payment.payee,
            status=S.SCHEDULED,
            due=payment.due_date,
            **fields,
        )
        self.pays[p.pk] = p
        if payment.due_date <= TODAY:
            self._approve(p)
        assert payment.status == p.status

    def _pick(self, data, label: str, wanted) -> Pay:
        """A payment to act on: usually one for which the action makes sense, sometimes one for
        which it does not (the action must be refused), sometimes any."""
        fitting = sorted(pk for pk, p in self.pays.items() if wanted(p))
        unfitting = sorted(set(self.pays) - set(fitting))
        choice = data.draw(st.sampled_from(["fitting", "fitting", "unfitting", "any"]), label=f"{label}: which")
        candidates = {"fitting": fitting, "unfitting": unfitting}.get(choice) or sorted(self.pays)
        return self.pays[data.draw(st.sampled_from(candidates), label=label)]

    def _pick_batch(self, data, status) -> Batch:
        candidates = sorted(pk for pk, b in self.model_batches.items() if b.status == status)
        if not candidates or data.draw(st.integers(0, 3), label="any batch") == 0:
            candidates = sorted(self.model_batches)
        return self.model_batches[data.draw(st.sampled_from(candidates), label="batch")]

    def _pick_decision(self, data) -> Decision:
        return self.decisions[data.draw(st.sampled_from(sorted(self.decisions)), label="decision")]

    def has_decisions(self) -> bool:
        return bool(self.decisions)

    def has_payments(self) -> bool:
        return bool(self.pays)

    def has_batches(self) -> bool:
        return bool(self.model_batches)

    # The day's work: one payment one step further --------------------------------------------

    @precondition(has_payments)
    @rule(data=st.data())
    def advance(self, data):
        """Move a payment one step along its normal life — due, in a batch, approved, sent, paid
        or rejected by the bank, re-issued, and when paid its decision closed (what is unused
        released) — so that runs reach the later states often."""

        def movable(p: Pay) -> bool:
            if p.status == S.PAID:
                return self._available(p.commitment) > 0
            return p.status != S.CANCELLED and not p.reissued

        p = self._pick(data, "payment", movable)
        if p.status == S.SCHEDULED:
            self._make_due(p, p.due)
        elif p.status == S.APPROVED:
            self._send_batch(data.draw(st.sampled_from([0, 1]), label="creator"), "create", False)
        elif p.status == S.IN_BATCH and self.model_batches[p.batch].status == BatchStatus.OPEN:
            self._approve_batch(self.model_batches[p.batch], by_creator=False)
        elif p.status == S.IN_BATCH:
            self._export_batch(self.model_batches[p.batch])
        elif p.status == S.SENT:
            answer = data.draw(st.sampled_from(["betalt", "afvist", 1]), label="the bank's answer (1: one øre off)")
            self._bank_file([(p.pk, answer, data.draw(st.sampled_from([1, 1, 2]), label="rows"))], unknown=False)
        elif p.status == S.FAILED and not p.reissued:
            self._reissue(p)
        elif p.status == S.PAID:
            self._release(self.decisions[p.commitment], None)

    # Decisions: reserving and releasing money in the pools ---------------------------------------

    @initialize(
        amounts=st.lists(st.integers(200_000, 3_000_000), min_size=1, max_size=2),
        share=st.integers(10, 100),
        kind=st.sampled_from(MoneyKind.values),
        first_payments=st.lists(st.integers(1, 40), min_size=1, max_size=3),
    )
    def set_up(self, amounts, share, kind, first_payments):
        """One or two pools, a first decision on the first one, and its first payments."""
        for number, amount in enumerate(amounts, start=1):
            source = FundingSource.objects.create(
                municipality=self.m,
                name=f"Pulje {number}",
                kind=FundingKind.FOUNDATION,
                amount=amount,
                account_code=f"5.68.90.{number}",
            )
            self.model_pools[source.pk] = Pool(source, amount)
        first = self.model_pools[min(self.model_pools)]
        self._grant(first, amounts[0] * share // 100, kind, onto=None)
        first_decision = min(self.decisions)
        for percent in first_payments:  # each a percentage of what is left, so it always fits
            amount = max(1, min(TRANCHE, self._available(first_decision)) * percent // 100)
            self._new_payment(self._create(first_decision, amount, self._key("pay")))

    def _reserve(self, *, pool: Pool, kind, reference: str, amount: int, key: str) -> Commitment:
        return commitment_reserve(
            actor=self.ctx.caseworker,
            programme=self.ctx.programme,
            funding_source=pool.obj,
            citizen=self.ctx.citizen,
            kind=kind,
            reference=reference,
            amount=amount,
            description="Bevilling",
            decided_on=TODAY,
            key=key,
        )

    def _grant(self, mp: Pool, amount: int, kind, *, onto: Decision | None, retry_with: int | None = None) -> None:
        key = self._key("grant")
        kind, reference = (kind, f"model.Decision:{key}") if onto is None else (onto.kind, onto.reference)
        if amount > mp.amount - mp.committed:
            with pytest.raises(PoolExhausted):
                self._reserve(pool=mp, kind=kind, reference=reference, amount=amount, key=key)
            return
        commitment = self._reserve(pool=mp, kind=kind, reference=reference, amount=amount, key=key)
        mp.committed += amount
        if onto is None:
            self.decisions[commitment.pk] = Decision(commitment.pk, mp.obj.pk, kind, reference, key, amount)
        else:
            assert commitment.pk == onto.pk
            onto.amount += amount
        if retry_with is not None:
            entries = CommitmentEntry.objects.filter(commitment__municipality=self.m).count()
            again = self._reserve(pool=mp, kind=kind, reference=reference, amount=retry_with, key=key)
            assert again.pk == commitment.pk
            assert CommitmentEntry.objects.filter(commitment__municipality=self.m).count() == entries

    @rule(
        data=st.data(),
        amount=st.integers(1, 1_500_000) | st.integers(-2, 2).map(lambda delta: ("rest", delta)),
        kind=st.sampled_from(MoneyKind.values),
        more=st.booleans(),
        retry_with=st.none() | st.integers(1, 3_000_000),
    )
    def grant(self, data, amount, kind, more, retry_with):
        """A decision reserves its amount in a pool — a new decision, or (`more`) a changed one
        that reserves more on its commitment; one that would over-commit the pool is refused.
        An amount ("rest", delta) is what is left in the pool give or take a few øre: one øre too
        much is refused. `retry_with`: the same decision submitted again (same key, any amount)
        reserves nothing."""
        if more and self.decisions:
            onto = self._pick_decision(data)
            mp = self.model_pools[onto.pool]
        else:
            onto = None
            mp = self.model_pools[data.draw(st.sampled_from(sorted(self.model_pools)), label="pool")]
        if isinstance(amount, tuple):
            amount = mp.amount - mp.committed + amount[1]
            if amount <= 0:
                return
        self._grant(mp, amount, kind, onto=onto, retry_with=retry_with)

    @precondition(has_decisions)
    @rule(data=st.data(), amount=st.none() | st.integers(1, 500_000), everything=st.booleans())
    def release(self, data, amount, everything):
        """Unused money goes back to the pool (all that is unused when `amount` is None); money
        paid or on its way cannot be released."""
        d = self._pick_decision(data)
        if amount is None and not everything:
            amount = d.amount - self._live(d.pk) + 1  # one øre too much
        self._release(d, amount)

    def _release(self, d: Decision, amount: int | None) -> None:
        unused = d.amount - self._live(d.pk)
        wanted = unused if amount is None else amount

        def call():
            return commitment_release(
                actor=self.ctx.caseworker,
                commitment=self._commitment(d.pk),
                amount=amount,
                reason="Ubrugt",
                decided_on=TODAY,
                key=self._key("release"),
            )

        if wanted > unused:
            with pytest.raises(ValidationError):
                call()
            return
        released = call()
        assert released == max(wanted, 0)
        d.amount -= released
        self.model_pools[d.pool].committed -= released

    # Payments ---------------------------------------------------------------------------------

    def _create(self, commitment: int, amount: int, key: str, *, due=TODAY, payee=Payee.CITIZEN) -> Payment:
        return payment_create(
            actor=self.ctx.caseworker,
            commitment=self._commitment(commitment),
            amount=amount,
            payee=payee,
            due_date=due,
            description="Rate",
            business_date=TODAY,
            key=key,
            **(SUPPLIER if payee == Payee.SUPPLIER else {}),
        )

    def _pay(self, commitment: int, amounts: list[int], *, due: datetime.date) -> None:
        for amount in amounts:
            key = self._key("pay")
            if amount > TRANCHE or amount > self._available(commitment):
                with pytest.raises(ValidationError) as exc:
                    self._create(commitment, amount, key, due=due)
                assert "amount" in exc.value.message_dict
            else:
                self._new_payment(self._create(commitment, amount, key, due=due))

    @precondition(has_decisions)
    @rule(
        data=st.data(),
        amounts=st.lists(st.integers(1, 600_000), max_size=3),
        due=st.sampled_from(DUE_DATES),
        rest=st.none() | st.integers(-2, 2),
    )
    def pay(self, data, amounts, due, rest):
        """Tranches to the citizen, due today (approved and posted) or later (scheduled); a tranche
        above the programme's maximum, or above what is left of the decision, is refused. Then
        perhaps a supplier's invoice (no tranche limit) for what is left, give or take `rest` øre:
        one øre too much is refused."""
        d = self._pick_decision(data)
        self._pay(d.pk, amounts, due=due)
        if rest is not None:
            amount = self._available(d.pk) + rest
            key = self._key("invoice")
            if amount <= 0 or rest > 0:
                with pytest.raises(ValidationError) as exc:
                    self._create(d.pk, amount, key, payee=Payee.SUPPLIER)
                assert "amount" in exc.value.message_dict
            else:
                self._new_payment(self._create(d.pk, amount, key, payee=Payee.SUPPLIER))

    @precondition(has_payments)
    @rule(data=st.data(), amount=st.integers(1, 5_000_000))
    def retry_pay(self, data, amount):
        """The same request again (same idempotency key, whatever it says now): the same payment,
        and no new ledger transaction — also when the ledger posting itself is retried."""
        p = self._pick(data, "payment", lambda p: True)
        before = self._ledger_counts()
        again = self._create(p.commitment, amount, p.key, payee=p.payee)
        assert again.pk == p.pk and again.amount == p.amount
        if p.approved_posted:
            first = LedgerTransaction.objects.for_municipality(self.m).get(key=f"payment:{p.pk}:approved")
            assert postings.payment_approved(self._payment(p.pk), on=TODAY).pk == first.pk
        assert self._ledger_counts() == before

    @precondition(has_payments)
    @rule(data=st.data(), day=st.sampled_from(DUE_DATES))
    def make_due(self, data, day):
        """The daily job: a scheduled payment is approved and posted on its due date, not before."""
        self._make_due(self._pick(data, "payment", lambda p: p.status == S.SCHEDULED), day)

    def _make_due(self, p: Pay, day: datetime.date) -> None:
        expected = p.status == S.SCHEDULED and p.due <= day
        assert payment_make_due(payment=self._payment(p.pk), business_date=day) is expected
        if expected:
            self._approve(p)

    @precondition(has_payments)
    @rule(data=st.data(), reason=st.sampled_from(["Fortrudt", "Borgeren fik job"]))
    def cancel(self, data, reason):
        """Only a payment not yet in a batch can be cancelled; its posting is reversed."""
        p = self._pick(data, "payment", lambda p: p.status in (S.SCHEDULED, S.APPROVED))

        def call():
            return payment_cancel(
                actor=self.ctx.caseworker, payment=self._payment(p.pk), reason=reason, business_date=TODAY
            )

        if p.status not in (S.SCHEDULED, S.APPROVED):
            with pytest.raises(IllegalTransition):
                call()
            return
        call()
        p.status = S.CANCELLED
        if p.approved_posted:
            self._posted(p, "approved:reversed")

    @precondition(has_payments)
    @rule(data=st.data())
    def reissue(self, data):
        """A failed payment is paid again as a new payment, once: the same request again is the
        same new payment, another request is refused."""
        self._reissue(self._pick(data, "payment", lambda p: p.status == S.FAILED and not p.reissued))

    def _reissue(self, p: Pay) -> None:
        key = self._key("reissue")

        def call(key=key):
            return payment_reissue(
                actor=self.ctx.caseworker, payment=self._payment(p.pk), due_date=TODAY, business_date=TODAY, key=key
            )

        if p.status != S.FAILED or p.reissued:
            with pytest.raises(IllegalTransition):
                call()
            return
        if p.amount > self._available(p.commitment):  # what the failure gave back was taken or released
            with pytest.raises(ValidationError) as exc:
                call()
            assert "amount" in exc.value.message_dict
            return
        new = call()
        assert new.reissue_of_id == p.pk and new.amount == p.amount
        p.reissued = True
        self._new_payment(new, reissue_of=p.pk)
        assert call().pk == new.pk  # the same request again
        with pytest.raises(IllegalTransition):  # another request
            call(self._key("reissue"))

    # Batches: assembled by one finance officer, approved by another, exported once ------------

    def _approve_batch(self, b: Batch, *, by_creator: bool) -> None:
        actor = b.creator if by_creator else next(u for u in self.ctx.finance if u != b.creator)

        def call():
            return batch_approve(actor=actor, batch=self._batch(b.pk))

        if by_creator:
            with pytest.raises(FourEyesViolation):
                call()
        elif not any(p.batch == b.pk for p in self.pays.values()):
            with pytest.raises(ValidationError):
                call()
        elif b.status != BatchStatus.OPEN:
            with pytest.raises(IllegalTransition):  # PaymentConflict
                call()
        else:
            assert call().approved_by == actor
            b.status = BatchStatus.APPROVED

    def _export_batch(self, b: Batch) -> None:
        if b.status != BatchStatus.APPROVED:
            with pytest.raises(IllegalTransition):  # PaymentConflict
                batch_export(actor=b.creator, batch=self._batch(b.pk))
            return
        batch_export(actor=b.creator, batch=self._batch(b.pk))
        b.status = BatchStatus.EXPORTED
        for p in self.pays.values():
            if p.batch == b.pk:
                p.status = S.SENT
                self._posted(p, "sent")

    @precondition(has_payments)
    @rule(
        plan=st.tuples(
            st.sampled_from([0, 1]), st.sampled_from(["export", "export", "approve", "create"]), st.booleans()
        )
    )
    def send_batch(self, plan):
        """A finance officer puts every approved payment in a batch; another approves it (the
        creator may try first, and is refused); it is exported."""
        self._send_batch(*plan)

    def _send_batch(self, creator: int, until: str, creator_tries: bool) -> None:
        actor = self.ctx.finance[creator]
        ready = [p for p in self.pays.values() if p.status == S.APPROVED]
        key = self._key("batch")
        if not ready:
            with pytest.raises(ValidationError):
                batch_create(actor=actor, payment_date=LATER, key=key)
            return
        batch = batch_create(actor=actor, payment_date=LATER, key=key)
        assert batch_create(actor=actor, payment_date=LATER, key=key).pk == batch.pk
        b = self.model_batches[batch.pk] = Batch(batch.pk, actor)
        for p in ready:
            p.status, p.batch = S.IN_BATCH, batch.pk
        if until != "create":
            if creator_tries:
                self._approve_batch(b, by_creator=True)
            self._approve_batch(b, by_creator=False)
        if until == "export":
            self._export_batch(b)

    @precondition(has_batches)
    @rule(data=st.data(), action=st.sampled_from(["approve", "export", "remove"]))
    def batch_step(self, data, action):
        """Approve a batch (its creator is refused), export it (only once, only when approved), or
        take a payment out of it (only while it awaits approval)."""
        if action == "approve":
            b = self._pick_batch(data, BatchStatus.OPEN)
            self._approve_batch(b, by_creator=data.draw(st.booleans(), label="by its creator"))
        elif action == "export":
            self._export_batch(self._pick_batch(data, BatchStatus.APPROVED))
        else:
            b = self._pick_batch(data, BatchStatus.OPEN)
            p = self._pick(data, "payment", lambda p: p.batch == b.pk)

            def call():
                batch_remove_payment(actor=b.creator, batch=self._batch(b.pk), payment=self._payment(p.pk))

            if b.status != BatchStatus.OPEN or p.batch != b.pk:
                with pytest.raises(ValidationError):
                    call()
                return
            call()
            p.status, p.batch = S.APPROVED, None

    # The bank's answer ------------------------------------------------------------------------

    @precondition(has_payments)
    @rule(data=st.data(), unknown=st.booleans(), other=st.booleans())
    def bank_file(self, data, unknown, other):
        """A confirmation file from the bank: each sent payment paid, rejected, listed with the
        wrong amount, listed twice or not listed — plus perhaps a row for some other payment (not
        sent, or confirmed before) and a reference nobody knows. Only a matching row for a sent
        payment settles it, once."""
        answers = st.sampled_from(["betalt", "betalt", "afvist", "afvist", 1, 100, None])
        listed = []
        for pk in sorted(pk for pk, p in self.pays.items() if p.status == S.SENT):
            answer = data.draw(answers, label=f"the bank's answer for payment {pk}")
            if answer is not None:
                listed.append((pk, answer))
        if other or not listed:
            # Usually one the bank confirmed before (a file sent twice), else any.
            other = self._pick(data, "other payment", lambda p: p.status in (S.PAID, S.FAILED))
            listed.append((other.pk, data.draw(answers, label="answer")))
        listed = [(pk, answer, data.draw(st.sampled_from([1, 1, 1, 2]), label="rows")) for pk, answer in listed]
        self._bank_file(listed, unknown=unknown)

    def _bank_file(self, listed, *, unknown: bool) -> None:
        """`listed`: (payment, the bank's answer, how many rows) in file order."""
        rows = [(UNKNOWN_REFERENCE, 100, "betalt", LineOutcome.UNKNOWN_REFERENCE)] if unknown else []
        seen = set()
        for pk, answer, times in listed:
            p = self.pays[pk]
            reference = self._payment(pk).reference
            off_by = answer if isinstance(answer, int) else 0
            word = "afvist" if answer == "afvist" else "betalt"
            for _ in range(times):
                if reference in seen or p.status in (S.PAID, S.FAILED):
                    outcome = LineOutcome.DUPLICATE
                elif p.status != S.SENT:
                    outcome = LineOutcome.NOT_SENT
                elif off_by:
                    outcome = LineOutcome.WRONG_AMOUNT
                elif word == "betalt":
                    outcome = LineOutcome.PAID
                    p.status = S.PAID
                    self._posted(p, "paid")
                else:
                    outcome = LineOutcome.FAILED
                    self._fail(p)
                rows.append((reference, p.amount + off_by, word, outcome))
                seen.add(reference)
        content = "reference;beløb;dato;status\n" + "".join(
            f"{ref};{_kroner(amount)};{LATER:%d.%m.%Y};{word}\n" for ref, amount, word, _ in rows
        )
        result = reconciliation_import(
            actor=self.ctx.finance[0], content=content.encode(), filename="bank.csv", business_date=LATER
        )
        assert list(result.lines.values_list("outcome", flat=True)) == [outcome for *_, outcome in rows]

    @precondition(has_payments)
    @rule(data=st.data(), paid=st.booleans(), stale=st.booleans())
    def settle(self, data, paid, stale):
        """The bank's answer entered directly — possibly from a page read while the payment was
        still "sent": only a payment that really is sent can be settled, and only once."""
        p = self._pick(data, "payment", lambda p: p.status == S.SENT)
        obj = self._payment(p.pk)
        if stale:
            obj.status = S.SENT
        if p.status != S.SENT:
            with pytest.raises(IllegalTransition):
                payment_settle(payment=obj, paid=paid, on=LATER, reason="Afvist")
            return
        payment_settle(payment=obj, paid=paid, on=LATER, reason="Afvist")
        if paid:
            p.status = S.PAID
            self._posted(p, "paid")
        else:
            self._fail(p)

    # Invariants, after every step -------------------------------------------------------------

    @invariant()
    def the_money_adds_up(self):
        legs = list(
            LedgerLeg.objects.filter(transaction__municipality=self.m).values_list(
                "transaction_id", "transaction__reference", "account_id", "account__key", "amount"
            )
        )
        transactions = list(LedgerTransaction.objects.for_municipality(self.m).values_list("pk", "key"))
        payments = list(
            Payment.objects.for_municipality(self.m).values_list(
                "pk", "key", "status", "batch_id", "amount", "commitment_id"
            )
        )
        self.check_every_transaction_balances_to_the_ore(legs, transactions)
        self.check_balances_are_the_sum_of_their_legs(legs)
        self.check_balances_match_the_payments(legs)
        self.check_one_transaction_per_idempotency_key(transactions, payments)
        self.check_pools_are_never_over_committed()
        self.check_commitments_never_pay_out_more_than_they_hold(payments)
        self.check_payments_and_batches_are_where_the_model_says(payments)
        self.check_no_payment_is_paid_twice(legs)

    def check_every_transaction_balances_to_the_ore(self, legs, transactions):
        total: Counter = Counter()
        count: Counter = Counter()
        for tx, _reference, _account, _account_key, amount in legs:
            total[tx] += amount
            count[tx] += 1
        assert set(count) == {pk for pk, _key in transactions}, "a transaction without legs"
        assert all(n >= 2 for n in count.values()), "a transaction with one leg"
        assert {tx: t for tx, t in total.items() if t} == {}, "a transaction that does not sum to 0"

    def check_balances_are_the_sum_of_their_legs(self, legs):
        per_account: Counter = Counter()
        for _tx, _reference, account, _account_key, amount in legs:
            per_account[account] += amount
        reported = balances(self.m)
        assert reported == dict(per_account)
        assert sum(reported.values()) == 0
        # balance() of one account per step (in turn), so each is checked without a query per account.
        if per_account:
            pk = sorted(per_account)[self.serial % len(per_account)]
            assert balance(LedgerAccount.objects.for_municipality(self.m).get(pk=pk)) == per_account[pk]

    def check_balances_match_the_payments(self, legs):
        expected: Counter = Counter()
        for p in self.pays.values():
            d = self.decisions[p.commitment]
            spending = f"{'loans' if d.kind == MoneyKind.LOAN else 'spending'}:{d.pool}"
            payable = "payable_citizens" if p.payee == Payee.CITIZEN else "payable_suppliers"
            if p.status in (S.APPROVED, S.IN_BATCH, S.SENT, S.PAID):
                expected[spending] += p.amount
            if p.status in (S.APPROVED, S.IN_BATCH):
                expected[payable] -= p.amount
            elif p.status == S.SENT:
                expected["in_transit"] -= p.amount
            elif p.status == S.PAID:
                expected["bank"] -= p.amount
        actual: Counter = Counter()
        for _tx, _reference, _account, account_key, amount in legs:
            actual[account_key] += amount
        assert {k: v for k, v in actual.items() if v} == {k: v for k, v in expected.items() if v}

    def check_one_transaction_per_idempotency_key(self, transactions, payments):
        keys = Counter(key for _pk, key in transactions)
        assert [key for key, n in keys.items() if n > 1] == []
        assert set(keys) == self.expected_keys
        payment_keys = Counter(row[1] for row in payments)
        assert [key for key, n in payment_keys.items() if n > 1] == []

    def check_pools_are_never_over_committed(self):
        statuses = {s.source.pk: s for s in pool_statuses(self.m)}
        assert set(statuses) == set(self.model_pools)
        for pk, pool in self.model_pools.items():
            status = statuses[pk]
            assert status.committed <= status.amount and status.remaining >= 0
            assert (status.committed, status.remaining) == (pool.committed, pool.amount - pool.committed)

    def check_commitments_never_pay_out_more_than_they_hold(self, payments):
        held: Counter = Counter()
        for commitment, kind, amount in CommitmentEntry.objects.filter(commitment__municipality=self.m).values_list(
            "commitment", "kind", "amount"
        ):
            held[commitment] += amount if kind == CommitmentEntryKind.RESERVE else -amount
        assert dict(held) == {pk: d.amount for pk, d in self.decisions.items()}
        live: Counter = Counter()
        for _pk, _key, status, _batch, amount, commitment in payments:
            if status in LIVE:
                live[commitment] += amount
        for commitment, total in live.items():
            assert total <= held[commitment], f"commitment {commitment} pays out more than it holds"

    def check_payments_and_batches_are_where_the_model_says(self, payments):
        assert {pk: (status, batch, amount) for pk, _key, status, batch, amount, _c in payments} == {
            p.pk: (p.status, p.batch, p.amount) for p in self.pays.values()
        }
        batches = dict(PaymentBatch.objects.for_municipality(self.m).values_list("pk", "status"))
        assert batches == {b.pk: b.status for b in self.model_batches.values()}

    def check_no_payment_is_paid_twice(self, legs):
        bank_legs: Counter = Counter()
        bank_total: Counter = Counter()
        for _tx, reference, _account, account_key, amount in legs:
            if account_key == "bank":
                pk = int(reference.removeprefix("payments.Payment:"))
                bank_legs[pk] += 1
                bank_total[pk] += amount
        settled = Counter(
            ReconciliationLine.objects.filter(reconciliation__municipality=self.m, outcome__in=SETTLING).values_list(
                "payment_id", flat=True
            )
        )
        for p in self.pays.values():
            assert bank_legs[p.pk] <= 1 and settled[p.pk] <= 1, f"payment {p.pk} settled twice"
            assert bank_total[p.pk] == (-p.amount if p.status == S.PAID else 0)
        # Of a failed payment and its chain of re-issues, at most one is live (paid or on its way).
        for p in self.pays.values():
            if p.reissue_of is None:
                chain, current = [], p
                while current is not None:
                    chain.append(current)
                    current = next((q for q in self.pays.values() if q.reissue_of == current.pk), None)
                assert sum(q.status in LIVE for q in chain) <= 1
                assert all(q.status == S.FAILED for q in chain[:-1])


@pytest.mark.django_db
def test_money_model(muni_a, caseworker, finance, finance2, programme, citizen):
    context = Context(muni_a, caseworker, (finance, finance2), programme, citizen)
    machine = type("MoneyModelRun", (MoneyModel,), {"ctx": context})
    run_state_machine_as_test(machine, settings=SETTINGS)
