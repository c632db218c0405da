"""The lottery: from a programme's eligible pool, draw N to be offered and M as a control group.

Reproducible and auditable: the pool is the eligible citizens' ids sorted ascending, the draw is
`random.Random(seed).sample(pool, N + M)` (the first N are offered, the rest are the control
group), and the seed, the pool with its SHA-256, the rules and the list are stored. `replay`
draws again from the stored seed and pool and must give the stored list. Nobody is in two draws of
the same programme unless the coordinator allows it for this draw (enforced by a database
constraint as well). The draw is a logged decision.
"""

import hashlib
import json
import random
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from teten.accounts.access import require
from teten.audit.models import AccessKind
from teten.audit.services import access_record, decision_record
from teten.core.clock import now, today
from teten.evidence import groups
from teten.evidence.models import Arm, Draw, DrawEntry
from teten.programmes.eligibility import eligible_citizens
from teten.programmes.models import Cohort, EligibilityRule, Programme, SelectionMode


class DrawError(ValidationError):
    pass


def pool_sha256(pool: list[int]) -> str:
    return hashlib.sha256(json.dumps(pool, separators=(",", ":")).encode()).hexdigest()


def pick(seed: str, pool: list[int], drawn: int, control: int) -> tuple[list[int], list[int]]:
    """The draw itself: pure, so the same seed and pool always give the same two lists."""
    chosen = random.Random(seed).sample(pool, drawn + control)
    return chosen[:drawn], chosen[drawn:]


def replay(draw: Draw) -> tuple[list[int], list[int]]:
    """Draw again from the stored seed and pool; compare with `draw_lists(draw)`."""
    if pool_sha256(draw.pool) != draw.pool_sha256:
        raise DrawError(_("The stored pool has been changed since the draw."))
    return pick(draw.seed, draw.pool, draw.drawn_count, draw.control_count)


def draw_lists(draw: Draw) -> tuple[list[int], list[int]]:
    entries = list(DrawEntry.objects.for_municipality(draw.municipality).filter(draw=draw).order_by("position"))
    return (
        [e.citizen_id for e in entries if e.arm == Arm.DRAWN],
        [e.citizen_id for e in entries if e.arm == Arm.CONTROL],
    )


def eligible_pool(*, programme: Programme, on, allow_repeat: bool) -> list[int]:
    """The eligible citizens' ids, ascending. Citizens already offered (or referred to) the
    programme are left out, and without `allow_repeat` those already in a draw of it."""
    earlier = (
        set()
        if allow_repeat
        else set(
            DrawEntry.objects.for_municipality(programme.municipality)
            .filter(programme=programme)
            .values_list("citizen_id", flat=True)
        )
    )
    earlier |= groups.offered_or_referred_ids(programme)
    return sorted(c.pk for c in eligible_citizens(programme=programme, on=on, exclude_ids=earlier))


def _rules_snapshot(programme: Programme) -> list[dict]:
    rules = EligibilityRule.objects.for_municipality(programme.municipality).filter(programme=programme)
    return [
        {"kind": r.kind, "benefit_type": r.benefit_type, "readiness": r.readiness, "number": r.number, "text": str(r)}
        for r in rules
    ]


def draw_make(
    *,
    actor,
    cohort: Cohort,
    drawn_count: int,
    control_count: int,
    seed: str = "",
    allow_repeat: bool = False,
) -> Draw:
    """Draw the cohort's citizens and a control group from the programme's eligible pool today."""
    programme = cohort.programme
    require(actor, "evidence.manage", programme)
    if cohort.selection_mode != SelectionMode.LOTTERY:
        raise DrawError(_("Only a cohort chosen by lottery can be drawn."))
    if Draw.objects.for_municipality(cohort.municipality).filter(cohort=cohort).exists():
        raise DrawError(_("This cohort has been drawn already. A draw is never made again."))
    if drawn_count < 1 or control_count < 0:
        raise DrawError(_("Draw at least one citizen to be offered, and zero or more for the control group."))
    on = today()
    pool = eligible_pool(programme=programme, on=on, allow_repeat=allow_repeat)
    if drawn_count + control_count > len(pool):
        raise DrawError(
            _("The pool holds %(pool)s eligible citizens; %(wanted)s cannot be drawn from it.")
            % {"pool": len(pool), "wanted": drawn_count + control_count}
        )
    seed = seed.strip() or secrets.token_hex(8)
    drawn, control = pick(seed, pool, drawn_count, control_count)
    try:
        with transaction.atomic():
            draw = Draw.objects.create(
                municipality=programme.municipality,
                programme=programme,
                cohort=cohort,
                seed=seed,
                on_date=on,
                drawn_count=drawn_count,
                control_count=control_count,
                rules=_rules_snapshot(programme),
                pool=pool,
                pool_sha256=pool_sha256(pool),
                allow_repeat=allow_repeat,
                drawn_by=actor,
                drawn_at=now(),
            )
            DrawEntry.objects.bulk_create(
                [
                    DrawEntry(
                        municipality=programme.municipality,
                        draw=draw,
                        programme=programme,
                        citizen_id=citizen_id,
                        arm=Arm.DRAWN if position <= drawn_count else Arm.CONTROL,
                        position=position,
                        repeat_allowed=allow_repeat,
                    )
                    for position, citizen_id in enumerate(drawn + control, start=1)
                ]
            )
            decision_record(
                actor=actor,
                municipality=programme.municipality,
                kind="evidence.draw",
                obj=draw,
                after={
                    "cohort": cohort.name,
                    "seed": seed,
                    "pool": len(pool),
                    "pool_sha256": draw.pool_sha256,
                    "drawn": drawn,
                    "control": control,
                    "allow_repeat": allow_repeat,
                },
            )
            access_record(
                actor=actor,
                municipality=programme.municipality,
                kind=AccessKind.LIST,
                purpose=_("Lottery draw for %(cohort)s") % {"cohort": cohort.name},
                citizens=drawn + control,
            )
    except IntegrityError:
        raise DrawError(_("A citizen in this draw is already in another draw of the programme.")) from None
    return draw
