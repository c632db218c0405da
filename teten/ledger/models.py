"""Double-entry ledger: accounts, transactions and their legs, in øre.

A leg's amount is signed: debit positive, credit negative; a transaction's legs sum to exactly
zero. Transactions are never changed or deleted (database triggers refuse it); a correction is a
reversal that points at what it reverses. `teten.ledger.services.post` is the only writer.

The ledger imports nothing from the domain apps: a transaction names the citizen by id and its
cause by a free-text reference such as "payments.Payment:42".
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from teten.core.tenancy import TenantModel


class AccountType(models.TextChoices):
    ASSET = "asset", _("Asset")
    LIABILITY = "liability", _("Liability")
    INCOME = "income", _("Income")
    EXPENSE = "expense", _("Expense")
    EQUITY = "equity", _("Equity")


class LedgerAccount(TenantModel):
    key = models.CharField(max_length=64, help_text="Teten's own name for the account, e.g. bank or expense:12")
    code = models.CharField(_("account number"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=16, choices=AccountType.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("account")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "key"], name="ledger_account_key_unique"),
            models.UniqueConstraint(fields=["municipality", "code"], name="ledger_account_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class LedgerTransaction(TenantModel):
    key = models.CharField(max_length=200, help_text="Idempotency key: the same key never posts twice")
    booked_on = models.DateField(_("booked on"))
    created_at = models.DateTimeField(auto_now_add=True)
    description = models.CharField(_("text"), max_length=300)
    reference = models.CharField(max_length=100, blank=True, db_index=True)
    citizen_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("ledger transaction")
        ordering = ["booked_on", "id"]
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="ledger_transaction_key_unique")]
        indexes = [models.Index(fields=["municipality", "booked_on"], name="ledger_tx_muni_booked")]

    def __str__(self) -> str:
        return f"{self.booked_on} {self.description}"


class LedgerLeg(models.Model):
    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="legs")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="legs")
    amount = models.BigIntegerField(help_text="øre; debit positive, credit negative")

    class Meta:
        constraints = [models.CheckConstraint(condition=~models.Q(amount=0), name="ledger_leg_not_zero")]
        indexes = [models.Index(fields=["account", "transaction"], name="ledger_leg_account")]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.amount}"
