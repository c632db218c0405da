import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from teten.accounts.access import require
from teten.budgets.models import BudgetPlan, Conversation, ConversationForm


@transaction.atomic
def conversation_log(
    *, actor, plan: BudgetPlan, held_on: datetime.date, form: ConversationForm, note: str
) -> Conversation:
    """The consultant notes a conversation with the citizen (date, form, what was said)."""
    require(actor, "budgets.work", plan)
    if not note.strip():
        raise ValidationError({"note": _("Write a short note.")})
    return Conversation.objects.create(plan=plan, held_on=held_on, form=form, note=note.strip(), consultant=actor)
