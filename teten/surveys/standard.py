"""The standard questionnaire, from the citizen survey in the evaluation of Langtidsledige tager
teten (seed 004, "Resultater fra spørgeskemaundersøgelse med borgerne"). The questions are data in
Danish, the language the citizens answer in; "projektet" is "forløbet" here, since Teten runs
programmes rather than projects. `already`: the source lets the citizen answer "I had that
already" (e.g. 38 % already had a good idea of which job they wanted); `not_relevant`: the source
counts those who had no earlier offers or no expectations apart.
"""

from django.db import transaction

from teten.programmes.models import Programme
from teten.surveys.models import Question

# (code, text, already, not_relevant)
STANDARD_QUESTIONS = (
    (
        "job_belief",
        "Har din deltagelse i forløbet givet dig en større tro på, at du vil komme i arbejde inden for det næste år?",
        False,
        False,
    ),
    (
        "clearer",
        "Har din deltagelse i forløbet gjort dig klogere på, hvad du skal gøre for at forbedre dine jobmuligheder?",
        False,
        False,
    ),
    (
        "which_job",
        "Har din deltagelse i forløbet givet dig en bedre idé om, hvilket arbejde du gerne vil have?",
        True,
        False,
    ),
    (
        "employers",
        "Har din deltagelse i forløbet gjort dig bedre til at tage kontakt til eller mødes med mulige "
        "arbejdsgivere, som du ikke kendte på forhånd?",
        True,
        False,
    ),
    ("network", "Har din deltagelse i forløbet givet dig et større professionelt netværk?", False, False),
    (
        "skills",
        "Har din deltagelse i forløbet givet dig flere faglige kompetencer, som kan bruges på en arbejdsplads?",
        False,
        False,
    ),
    (
        "skills_belief",
        "Har din deltagelse i forløbet givet dig en større tro på, at dine faglige og personlige kompetencer "
        "kan bruges på en arbejdsplads?",
        True,
        False,
    ),
    (
        "energy",
        "Har din deltagelse i forløbet givet dig et større overskud i hverdagen til at fokusere på at få et job?",
        False,
        False,
    ),
    ("health", "Har din deltagelse i forløbet forbedret dit fysiske og/eller psykiske helbred?", True, False),
    (
        "support",
        "Har din deltagelse i forløbet givet dig mere støtte og opbakning fra familie og venner, når du har "
        "haft brug for det?",
        True,
        False,
    ),
    ("cooperation", "Har din deltagelse i forløbet forbedret dit samarbejde med din jobkonsulent?", True, False),
    (
        "consultant_needs",
        "Har forløbet givet din jobkonsulent bedre mulighed for at imødekomme dine ønsker og behov i forhold "
        "til at komme i arbejde?",
        True,
        False,
    ),
    (
        "better_offer",
        "Er forløbet et bedre tilbud end dem, du tidligere har fået? (Ikke relevant: du har ikke fået tilbud før.)",
        False,
        True,
    ),
    (
        "expectations",
        "Er dine forventninger til forløbet blevet opfyldt? (Ikke relevant: du havde ingen forventninger.)",
        False,
        True,
    ),
    ("recommend", "Vil du anbefale forløbet til andre ledige?", False, False),
)


@transaction.atomic
def questions_install(programme: Programme) -> list[Question]:
    """Give `programme` the standard questionnaire (idempotent: existing questions are kept as they
    are, so a coordinator's later wording survives a re-install)."""
    questions = []
    for position, (code, text, already, not_relevant) in enumerate(STANDARD_QUESTIONS, start=1):
        question, _created = Question.objects.for_municipality(programme.municipality).get_or_create(
            municipality=programme.municipality,
            programme=programme,
            code=code,
            defaults={
                "position": position,
                "text": text,
                "offers_already": already,
                "offers_not_relevant": not_relevant,
            },
        )
        questions.append(question)
    return questions
