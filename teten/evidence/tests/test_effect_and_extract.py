import datetime

import pytest

from teten.audit.models import AccessKind, AccessLog
from teten.budgets.models import Offer, OfferStatus
from teten.documents.models import StoredFile
from teten.evidence import effect, extract, lottery
from teten.evidence.models import Arm, DrawEntry, OutcomeImport, OutcomeMonth

pytestmark = pytest.mark.django_db
MAY = datetime.date(2018, 5, 1)


@pytest.fixture
def drawn_cohort(coordinator, consultant, lottery_cohort, make_eligible, muni_a):
    """10 drawn (4 take part) and 10 in the control group; outcomes for May 2018:
    drawn 5 of 10 on support (took part: 1 of 4), control 8 of 10."""
    make_eligible(20)
    draw = lottery.draw_make(actor=coordinator, cohort=lottery_cohort, drawn_count=10, control_count=10, seed="t")
    drawn, control = lottery.draw_lists(draw)
    for i, citizen_id in enumerate(drawn):
        Offer.objects.create(
            municipality=muni_a,
            programme=lottery_cohort.programme,
            citizen_id=citizen_id,
            cohort=lottery_cohort,
            offered_by=consultant,
            status=OfferStatus.ACCEPTED if i < 4 else OfferStatus.DECLINED,
        )
    source = OutcomeImport.objects.create(
        municipality=muni_a,
        file=StoredFile.objects.create(
            municipality=muni_a,
            storage_name="x.csv",
            original_name="x.csv",
            content_type="text/csv",
            size=1,
            sha256="0",
        ),
        file_name="x.csv",
        sha256="0",
        uploaded_by=coordinator,
        uploaded_at=datetime.datetime(2018, 6, 1, tzinfo=datetime.UTC),
    )
    on_support = set(drawn[:1]) | set(drawn[4:8]) | set(control[:8])
    OutcomeMonth.objects.bulk_create(
        [
            OutcomeMonth(municipality=muni_a, citizen_id=c, month=MAY, on_support=c in on_support, source=source)
            for c in drawn + control
        ]
    )
    return draw


def test_intention_to_treat_and_wald_estimates_with_confidence_intervals(drawn_cohort, budget_programme):
    e = effect.estimate(budget_programme, MAY)
    assert (e.drawn, e.control, e.missing) == (10, 10, 0)
    assert e.drawn_share == pytest.approx(0.5) and e.control_share == pytest.approx(0.8)
    assert e.take_up == pytest.approx(0.4)
    assert e.itt == pytest.approx(-0.3)
    assert e.itt_low < -0.3 < e.itt_high
    # Wald: the ITT over the difference in take-up (the control group never takes part).
    assert e.wald == pytest.approx(-0.3 / 0.4)
    assert e.wald_low < e.wald < e.wald_high
    # The robust standard error of a difference of two shares: sqrt(p1(1-p1)/(n1-1) + p0(1-p0)/(n0-1)) for HC1.
    half_width = (e.itt_high - e.itt_low) / 2
    assert half_width == pytest.approx(1.959964 * ((0.25 / 10 + 0.16 / 10) * 20 / 18) ** 0.5, rel=1e-4)


def test_no_estimate_without_a_control_group(coordinator, budget_programme, lottery_cohort, make_eligible):
    make_eligible(4)
    lottery.draw_make(actor=coordinator, cohort=lottery_cohort, drawn_count=4, control_count=0)
    assert effect.estimate(budget_programme, MAY) is None


def test_the_effect_page_prints_the_numbers_and_the_caveats(client, coordinator, drawn_cohort, budget_programme):
    client.force_login(coordinator)
    page = client.get(f"/evidens/projekter/{budget_programme.pk}/effekt/?maaned=2018-05").content.decode()
    assert "50 %" in page and "80 %" in page and "40 %" in page
    assert "−30,0" in page and "−75,0" in page
    assert str(effect.CAVEATS[2])[:40] in page


def test_the_extract_has_pseudonyms_not_cpr_and_is_logged(evaluator, drawn_cohort, budget_programme, muni_a):
    text = extract.extract_csv(actor=evaluator, programme=budget_programme)
    lines = text.strip().splitlines()
    assert lines[0].split(";") == list(extract.HEADER)
    assert len(lines) == 1 + 20
    cprs = list(DrawEntry.objects.for_municipality(muni_a).values_list("citizen__cpr", flat=True))
    assert not any(cpr in text or f"{cpr[:6]}-{cpr[6:]}" in text for cpr in cprs)
    entry = DrawEntry.objects.for_municipality(muni_a).filter(arm=Arm.CONTROL).select_related("citizen").first()
    row = next(line.split(";") for line in lines if line.startswith(extract.pseudonym(entry.citizen.cpr)))
    assert row[3] == "control" and row[6] == "2018-05" and row[7] == "1" or row[7] == "0"
    # Stable: the same citizen has the same pseudonym in the next extract.
    assert extract.pseudonym(entry.citizen.cpr) in extract.extract_csv(actor=evaluator, programme=budget_programme)
    log = AccessLog.objects.filter(actor=evaluator, kind=AccessKind.EXPORT).latest("at")
    assert log.subject_count == 20


def test_evaluators_get_the_extract_and_nothing_else(client, evaluator, drawn_cohort, budget_programme):
    client.force_login(evaluator)
    assert client.get("/evidens/udtraek/").status_code == 200
    response = client.post(f"/evidens/udtraek/{budget_programme.pk}/")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    for url in ("/evidens/", f"/evidens/projekter/{budget_programme.pk}/effekt/", "/evidens/udfald/", "/borgere/"):
        assert client.get(url).status_code == 403, url
