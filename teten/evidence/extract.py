"""The pseudonymised extract for evaluators: per citizen in a programme's evaluation a stable
pseudonym, the cohort, the arm, whether they took part, and the monthly outcomes. No CPR and no
name: the pseudonym is an HMAC-SHA256 of the CPR under `TETEN_PSEUDONYM_KEY`, so it is the same
in every extract (outcomes can be followed over time) but cannot be turned back into a CPR
without the key, which evaluators do not have."""

import csv
import hashlib
import hmac
import io
from collections.abc import Iterator

from django.conf import settings
from django.utils.translation import gettext as _

from teten.accounts.access import require
from teten.audit.models import AccessKind
from teten.audit.services import access_record
from teten.citizens.models import Citizen
from teten.evidence import groups as groups_module
from teten.evidence.models import OutcomeMonth
from teten.programmes.models import Programme

HEADER = (
    "pseudonym",
    "programme",
    "cohort",
    "arm",
    "took_part",
    "start",
    "month",
    "on_support",
    "benefit",
    "hours",
    "self_employed",
    "activation",
)
ARM = {
    groups_module.Kind.COHORT: "offered",
    groups_module.Kind.CONTROL: "control",
}


def pseudonym(cpr: str) -> str:
    key = settings.TETEN_PSEUDONYM_KEY.encode()
    return hmac.new(key, cpr.encode(), hashlib.sha256).hexdigest()[:20]


def rows(programme: Programme) -> Iterator[tuple]:
    """One row per member and month with data (members without outcomes get one row with no month)."""
    m = programme.municipality
    members: list[tuple[int, str, str, object]] = []
    for group in groups_module.groups(programme, split=False):
        arm = ARM[group.kind]
        for citizen_id, start in group.starts.items():
            members.append(
                (citizen_id, group.cohort.name if group.kind == groups_module.Kind.COHORT else "", arm, start)
            )
    ids = [c for c, *_rest in members]
    took = groups_module.took_part_ids(programme, ids)
    cprs = dict(Citizen.objects.for_municipality(m).filter(pk__in=ids).values_list("pk", "cpr"))
    outcomes: dict[int, list] = {}
    for row in (
        OutcomeMonth.objects.for_municipality(m)
        .filter(citizen_id__in=ids)
        .order_by("citizen_id", "month")
        .values_list("citizen_id", "month", "on_support", "benefit", "hours", "self_employed", "activation")
    ):
        outcomes.setdefault(row[0], []).append(row[1:])
    for citizen_id, cohort, arm, start in sorted(members, key=lambda r: pseudonym(cprs[r[0]])):
        head = (
            pseudonym(cprs[citizen_id]),
            programme.name,
            cohort,
            arm,
            "" if arm == "control" else int(citizen_id in took),
            f"{start:%Y-%m}" if start else "",
        )
        months = outcomes.get(citizen_id) or [(None, "", "", "", "", "")]
        for month, on_support, benefit, hours, self_employed, activation in months:
            yield (
                *head,
                f"{month:%Y-%m}" if month else "",
                "" if on_support == "" else int(on_support),
                benefit,
                "" if hours == "" else str(hours),
                "" if self_employed == "" else int(self_employed),
                activation,
            )


def extract_csv(*, actor, programme: Programme) -> str:
    """The extract as CSV text; the export is logged, naming every citizen it covers."""
    require(actor, "evidence.extract", programme)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows(programme))
    members = {c for g in groups_module.groups(programme, split=False) for c in g.citizen_ids}
    access_record(
        actor=actor,
        municipality=programme.municipality,
        kind=AccessKind.EXPORT,
        purpose=_("Pseudonymised extract for the evaluation of %(programme)s") % {"programme": programme.name},
        citizens=sorted(members),
    )
    return buffer.getvalue()
