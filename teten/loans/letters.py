"""The micro-loan letters: the decision, the loan agreement (gældsbrev) with the whole repayment
schedule and interest 0, the final schedule at payout, extensions, new schedules, remission or
write-off, and reminders. Letters are Danish legal documents, so their text is Danish here."""

import datetime

from teten.core.clock import today
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
from teten.loans.configuration import loan_settings


def _d(day: datetime.date) -> str:
    return f"{day:%d.%m.%Y}"


def _sender(case) -> LetterSender:
    return LetterSender(name=case.municipality.name)


def _signature(user, case=None) -> LetterSignature:
    if user is None:
        return LetterSignature(name=case.municipality.name, role="Mikrolån")
    return LetterSignature(name=user.get_full_name() or user.username, role="Ydelsessagsbehandler")


def _schedule_table(instalments) -> LetterTable:
    rows = [[str(i.number), _d(i.due_date), format_kroner(i.amount)] for i in instalments]
    return LetterTable(
        columns=["Nr.", "Forfalder", "Beløb"],
        rows=rows,
        total=["I alt", "", format_kroner(sum(i.amount for i in instalments))],
        col_widths=[0.6, 1.4, 1],
    )


def _issue(case, kind, content, actor, obj=None):
    return letter_issue(
        municipality=case.municipality, citizen=case.citizen, kind=kind, content=content, actor=actor, obj=obj or case
    )


def decision_letter(*, case, loan):
    support = (
        (
            f"Du får desuden støtte til forsørgelse i {loan.support_months} måneder, mens virksomheden etableres. "
            "Støtten er et tilskud og skal ikke betales tilbage."
        )
        if loan.support_months
        else (
            "Du beholder din nuværende forsørgelse (fx førtidspension) i etableringsperioden."
            if case.keeps_pension
            else ""
        )
    )
    content = LetterContent(
        sender=_sender(case),
        recipient=LetterRecipient.for_citizen(case.citizen),
        date=loan.decided_on,
        title="Afgørelse om mikrolån",
        reference=f"Sag {case.pk}",
        sections=[
            LetterSection(
                heading="Afgørelse",
                paragraphs=[
                    f"Du får bevilget et rentefrit lån på {format_kroner(loan.amount)} til at etablere din virksomhed"
                    f"{' ' + case.business_name if case.business_name else ''}.",
                    "Lånet er et lån og ikke et tilskud: det skal betales tilbage efter låneaftalen (gældsbrevet), "
                    "som du får sammen med dette brev og skal godkende på Mine sider, før lånet kan udbetales.",
                    *([support] if support else []),
                ],
            ),
            LetterSection(
                heading="Begrundelse",
                paragraphs=[
                    "Du har gennemført kursusforløbet, og din forretningsplan er vurderet af din coach. "
                    "Kommunen vurderer, at lånet kan hjælpe dig til at blive selvforsørgende.",
                ],
            ),
        ],
        legal_basis=loan.legal_basis,
        complaint_guidance=complaint_guidance(case.municipality.name),
        signature=_signature(loan.decided_by),
    )
    return _issue(case, "loan_decision", content, loan.decided_by)


def refusal_letter(*, case, actor, reason: str, legal_basis: str):
    """The refusal of a recommended loan: the reason and how to complain."""
    content = LetterContent(
        sender=_sender(case),
        recipient=LetterRecipient.for_citizen(case.citizen),
        date=today(),
        title="Afgørelse om mikrolån",
        reference=f"Sag {case.pk}",
        sections=[
            LetterSection(
                heading="Afgørelse",
                paragraphs=["Kommunen har besluttet ikke at bevilge dig et lån til at etablere din virksomhed."],
            ),
            LetterSection(heading="Begrundelse", paragraphs=[reason]),
            LetterSection(
                heading="Hvad nu?",
                paragraphs=[
                    "Tal med din jobkonsulent om, hvad du kan gøre i stedet, eller om du kan søge igen senere."
                ],
            ),
        ],
        legal_basis=legal_basis,
        complaint_guidance=complaint_guidance(case.municipality.name),
        signature=_signature(actor),
    )
    return _issue(case, "loan_refusal", content, actor)


def agreement_letter(*, case, loan, schedule):
    content = LetterContent(
        sender=_sender(case),
        recipient=LetterRecipient.for_citizen(case.citizen),
        date=loan.decided_on,
        title="Låneaftale (gældsbrev) om mikrolån",
        reference=f"Sag {case.pk}",
        sections=[
            LetterSection(
                heading="Lånet",
                paragraphs=[
                    f"Kommunen låner dig {format_kroner(loan.amount)}. Renten er 0 %: du betaler kun lånet tilbage.",
                    "Du skal ikke betale noget, mens virksomheden etableres. "
                    "Det første afdrag forfalder den 1. i måneden efter etableringsperioden og en afdragsfri periode. "
                    "Falder en dato på en weekend eller helligdag, flyttes den til næste bankdag.",
                    "Afdragsplanen nedenfor er regnet fra i dag. Udbetales lånet senere, rykkes alle datoer, og du får "
                    "den endelige plan, når pengene er udbetalt.",
                ],
                table=_schedule_table(schedule),
            ),
            LetterSection(
                heading="Sådan betaler du",
                paragraphs=[
                    "Betal hvert afdrag til kommunen, og skriv "
                    f"{loan.reference if loan.pk else 'lånets nummer'} som tekst. "
                    "Kan du ikke betale et afdrag, så kontakt kommunen: planen kan laves om ved en afgørelse.",
                ],
            ),
            LetterSection(
                heading="Eftergivelse",
                paragraphs=[
                    loan_settings(case.programme).remission_note
                    or "Kommunen kan efter ansøgning træffe afgørelse om at eftergive den resterende gæld.",
                ],
            ),
        ],
        legal_basis=loan.legal_basis,
        complaint_guidance="",
        signature=_signature(loan.decided_by),
    )
    return _issue(case, "loan_agreement", content, loan.decided_by)


def schedule_letter(*, loan, version, on):
    case = loan.case
    instalments = list(version.instalments.all())
    content = LetterContent(
        sender=_sender(case),
        recipient=LetterRecipient.for_citizen(case.citizen),
        date=on,
        title="Dit lån er udbetalt – din afdragsplan",
        reference=loan.reference,
        sections=[
            LetterSection(
                heading="Afdragsplan",
                paragraphs=[
                    f"Dit lån på {format_kroner(loan.amount)} er udbetalt den {_d(loan.paid_out_on)}. "
                    f"Etableringsperioden løber til {_d(loan.establishment_end)}. "
                    f"Det første afdrag forfalder {_d(instalments[0].due_date)}."
                    if instalments
                    else "",
                ],
                table=_schedule_table(instalments),
            )
        ],
        complaint_guidance="",
        signature=_signature(loan.decided_by),
    )
    return _issue(case, "loan_schedule", content, None, obj=loan)


def extension_letter(*, loan, version, actor, reason):
    case = loan.case
    content = LetterContent(
        sender=_sender(case),
        recipient=LetterRecipient.for_citizen(case.citizen),
        date=today(),
        title="Afgørelse om forlænget etableringsperiode",
        reference=loan.reference,
        sections=[
            LetterSection(
                heading="Afgørelse",
                paragraphs=[
                    f"Din etableringsperiode forlænges til {_d(loan.establishment_end)}. Begrundelse: {reason}",
                    "Din afdragsplan er rykket tilsvarende:",
                ],
                table=_schedule_table(list(version.instalments.all())),
            )
        ],
        legal_basis=loan.legal_basis,
        complaint_guidance=complaint_guidance(case.municipality.name),
        signature=_signature(actor),
    )
    return _issue(case, "loan_extension", content, actor, obj=loan)


def reschedule_letter(*, loan, version, actor, reason):
    case = loan.case
    content = LetterContent(
        sender=_sender(case),
        recipient=LetterRecipient.for_citizen(case.citizen),
        date=today(),
        title="Afgørelse om ny afdragsplan",
        reference=loan.reference,
        sections=[
            LetterSection(
                heading="Afgørelse",
                paragraphs=[f"Du får en ny afdragsplan. Begrundelse: {reason}"],
                table=_schedule_table(list(version.instalments.all())),
            )
        ],
        legal_basis=loan.legal_basis,
        complaint_guidance=complaint_guidance(case.municipality.name),
        signature=_signature(actor),
    )
    return _issue(case, "loan_reschedule", content, actor, obj=loan)


def debt_closed_letter(*, loan, actor, amount, remitted: bool, reason):
    case = loan.case
    title = "Afgørelse om eftergivelse af gæld" if remitted else "Afgørelse om afskrivning af gæld"
    text = (
        f"Kommunen eftergiver den resterende gæld på {format_kroner(amount)}. Du skal ikke betale mere på lånet."
        if remitted
        else f"Kommunen afskriver den resterende gæld på {format_kroner(amount)}."
    )
    content = LetterContent(
        sender=_sender(case),
        recipient=LetterRecipient.for_citizen(case.citizen),
        date=today(),
        title=title,
        reference=loan.reference,
        sections=[LetterSection(heading="Afgørelse", paragraphs=[text, f"Begrundelse: {reason}"])],
        legal_basis=loan.legal_basis,
        complaint_guidance=complaint_guidance(case.municipality.name),
        signature=_signature(actor),
    )
    return _issue(case, "loan_remitted" if remitted else "loan_written_off", content, actor, obj=loan)


def reminder_letter(*, loan, instalment, on):
    case = loan.case
    content = LetterContent(
        sender=_sender(case),
        recipient=LetterRecipient.for_citizen(case.citizen),
        date=on,
        title="Påmindelse om et afdrag på dit lån",
        reference=loan.reference,
        sections=[
            LetterSection(
                heading="Vi mangler et afdrag",
                paragraphs=[
                    f"Afdrag {instalment.number} på {format_kroner(instalment.amount)} "
                    f"forfaldt {_d(instalment.due_date)}, "
                    f"og vi mangler {format_kroner(instalment.outstanding)}.",
                    f"Betal beløbet til kommunen med teksten {loan.reference}. "
                    "Kan du ikke betale, så kontakt kommunen: "
                    "afdragsplanen kan laves om.",
                ],
            )
        ],
        complaint_guidance="",
        signature=_signature(None, case),
    )
    return _issue(case, "loan_reminder", content, None, obj=instalment.schedule.loan)
