"""The personal-budget letters: the grant decision, a change or extension, a stop, and a receipt
reminder. Letters are legal documents sent in Danish, so their text is Danish here (not gettext);
each is issued through `teten.documents.letters.letter_issue`, which keeps the exact PDF sent."""

import datetime

from teten.budgets.models import BudgetLine, ChangeKind, ChangeRequest, GrantDecision
from teten.budgets.offers import budget_settings
from teten.core.money import format_kroner
from teten.documents.letters import (
    LetterContent,
    LetterRecipient,
    LetterSection,
    LetterSender,
    LetterSignature,
    LetterTable,
    complaint_guidance,
    letter_issue,
)

ROLE = "Jobkonsulent"
DUTIES = [
    "- Brug pengene til det, der står i dit godkendte budget.",
    "- Gem alle kvitteringer, og aflevér dem på Mine sider inden fristen. Aflevér også den originale kvittering.",
    "- Fortæl din jobkonsulent med det samme, hvis noget ændrer sig.",
    "- Deltag i de kollektive forløb, du bliver tilbudt, og stå fortsat til rådighed for arbejde.",
]


def _date(day: datetime.date) -> str:
    return f"{day:%d.%m.%Y}"


def _sender(plan) -> LetterSender:
    consultant = plan.consultant
    return LetterSender(name=plan.municipality.name, email=consultant.email or "")


def _signature(user) -> LetterSignature:
    return LetterSignature(name=user.get_full_name() or user.username, role=ROLE)


def _lines_table(lines: list[BudgetLine]) -> LetterTable:
    rows = [[line.description, line.legal_basis or "Uden lovhjemmel", format_kroner(line.amount)] for line in lines]
    return LetterTable(
        columns=["Bevilget", "Lovhjemmel", "Beløb"],
        rows=rows,
        total=["I alt", "", format_kroner(sum(line.amount for line in lines))],
        col_widths=[2.2, 2.2, 1],
    )


def _issue(decision: GrantDecision, kind: str, content: LetterContent):
    plan = decision.plan
    return letter_issue(
        municipality=plan.municipality,
        citizen=plan.citizen,
        kind=kind,
        content=content,
        actor=decision.decided_by,
        obj=decision,
    )


def grant_letter(*, decision: GrantDecision, lines: list[BudgetLine], rejected: list[BudgetLine]):
    plan = decision.plan
    settings_row = budget_settings(plan.programme)
    sections = [
        LetterSection(
            heading="Afgørelse",
            paragraphs=[
                f"Du får bevilget {format_kroner(decision.total)} til dit personlige budget. "
                f"Pengene skal bruges til de aktiviteter, der står nedenfor, i perioden "
                f"{_date(decision.window_start)} til {_date(decision.window_end)}.",
            ],
            table=_lines_table(lines),
        ),
    ]
    if rejected:
        sections.append(
            LetterSection(
                heading="Det får du ikke bevilget",
                paragraphs=[
                    f"- {line.description} ({format_kroner(line.amount)}): {line.consultant_comment}"
                    for line in rejected
                ],
            )
        )
    sections += [
        LetterSection(
            heading="Sådan får du pengene",
            paragraphs=[
                "Kommunen betaler så vidt muligt direkte til skolen, forretningen eller firmaet på faktura. "
                f"Ellers udbetales pengene til din NemKonto i mindre beløb. Du skal aflevere kvitteringen "
                f"senest {settings_row.receipt_deadline_days} dage efter, at pengene er udbetalt.",
            ],
        ),
        LetterSection(heading="Dine pligter", paragraphs=DUTIES),
        LetterSection(
            heading="Begrundelse",
            paragraphs=[
                "Du har selv lavet budgettet, og for hver post har du skrevet, hvordan den bringer dig tættere på "
                "arbejde. Kommunen har vurderet hver post og lagt vægt på din begrundelse. Udgifterne er konteret "
                "efter de regler, der gjaldt på afgørelsesdagen.",
            ],
        ),
    ]
    content = LetterContent(
        sender=_sender(plan),
        recipient=LetterRecipient.for_citizen(plan.citizen),
        date=decision.decided_on,
        title="Afgørelse om dit personlige budget",
        reference=f"Budget {plan.pk}",
        sections=sections,
        legal_basis="; ".join(sorted({line.legal_basis for line in lines if line.legal_basis})),
        complaint_guidance=complaint_guidance(plan.municipality.name),
        signature=_signature(decision.decided_by),
    )
    return _issue(decision, "budget_grant", content)


def change_letter(*, decision: GrantDecision, request: ChangeRequest):
    plan = decision.plan
    if request.kind == ChangeKind.EXTENSION:
        title = "Afgørelse om mere tid til dit budget"
        text = (
            f"Du har bedt om mere tid. Du får forlænget perioden for dine aktiviteter til {_date(plan.window_end)}. "
            f"Din begrundelse: {request.reason}"
        )
    else:
        line = request.line
        title = "Afgørelse om ændring af dit budget"
        changes = []
        if request.new_supplier:
            changes.append(f"nyt sted: {request.new_supplier}")
        if request.new_amount is not None:
            changes.append(f"nyt beløb: {format_kroner(request.new_amount)}")
        text = f'Din post "{line.description}" ændres ({", ".join(changes)}). Din begrundelse: {request.reason}'
    content = LetterContent(
        sender=_sender(plan),
        recipient=LetterRecipient.for_citizen(plan.citizen),
        date=decision.decided_on,
        title=title,
        reference=f"Budget {plan.pk}",
        sections=[
            LetterSection(heading="Afgørelse", paragraphs=[text]),
            LetterSection(
                heading="Dit budget nu",
                paragraphs=[
                    f"Du har i alt fået bevilget {format_kroner(decision.total)}. "
                    f"Dine aktiviteter skal ligge i perioden {_date(plan.window_start)} til "
                    f"{_date(plan.window_end)}."
                ],
            ),
        ],
        legal_basis=request.line.legal_basis if request.line else "",
        complaint_guidance=complaint_guidance(plan.municipality.name),
        signature=_signature(decision.decided_by),
    )
    return _issue(decision, f"budget_{decision.kind}", content)


def stop_letter(*, decision: GrantDecision):
    plan = decision.plan
    content = LetterContent(
        sender=_sender(plan),
        recipient=LetterRecipient.for_citizen(plan.citizen),
        date=decision.decided_on,
        title="Afgørelse om stop af dit personlige budget",
        reference=f"Budget {plan.pk}",
        sections=[
            LetterSection(
                heading="Afgørelse",
                paragraphs=[
                    "Kommunen stopper samarbejdet om dit personlige budget. Udbetalinger, der ikke er sket endnu, "
                    "bliver ikke udbetalt.",
                    f"Begrundelse: {plan.stopped_reason}",
                ],
            ),
            LetterSection(
                heading="Hvis du skal betale penge tilbage",
                paragraphs=[
                    "Har du brugt penge til andet end det godkendte budget, skal de betales tilbage. "
                    "Du får et særskilt brev om beløbet og om, hvordan du betaler."
                ],
            ),
        ],
        complaint_guidance=complaint_guidance(plan.municipality.name),
        signature=_signature(decision.decided_by),
    )
    return _issue(decision, "budget_stop", content)


def receipt_reminder_letter(*, payment, due: datetime.date, on: datetime.date):
    """Not a decision, so no complaint guidance."""
    plan = payment.commitment.budget_line.plan
    content = LetterContent(
        sender=_sender(plan),
        recipient=LetterRecipient.for_citizen(payment.citizen),
        date=on,
        title="Påmindelse: vi mangler en kvittering",
        reference=f"Budget {plan.pk}",
        sections=[
            LetterSection(
                heading="Vi mangler din kvittering",
                paragraphs=[
                    f"Den {_date(payment.sent_on)} fik du udbetalt {format_kroner(payment.amount)} til "
                    f'"{payment.description}". Fristen for at aflevere kvitteringen var {_date(due)}, '
                    "og vi har ikke modtaget den.",
                    "Tag et billede af kvitteringen, og aflevér det på Mine sider. Aflevér også den originale "
                    "kvittering til din jobkonsulent.",
                    "Har du problemer med at finde kvitteringen, så kontakt din jobkonsulent.",
                ],
            )
        ],
        complaint_guidance="",
        signature=LetterSignature(name=str(plan.consultant), role=ROLE),
    )
    return letter_issue(
        municipality=payment.municipality,
        citizen=payment.citizen,
        kind="receipt_reminder",
        content=content,
        actor=None,
        obj=payment,
    )
