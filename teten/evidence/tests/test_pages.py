import datetime
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from teten.evidence.models import Draw, ImportStatus, OutcomeImport
from teten.programmes.models import Cohort

pytestmark = pytest.mark.django_db


def test_a_coordinator_creates_a_lottery_cohort_draws_it_and_sees_the_list(
    client, coordinator, budget_programme, make_eligible, muni_a
):
    people = make_eligible(12)
    client.force_login(coordinator)
    response = client.post(
        f"/evidens/projekter/{budget_programme.pk}/hold/nyt/",
        {"name": "Fase 5", "selection_mode": "lottery", "sparring": "collective", "starts_on": "2017-03-01"},
    )
    assert response.status_code == 302
    cohort = Cohort.objects.for_municipality(muni_a).get(name="Fase 5")
    assert cohort.starts_on == datetime.date(2017, 3, 1)

    page = client.get(f"/evidens/hold/{cohort.pk}/lodtraekning/").content.decode()
    assert "12" in page
    bad = client.post(f"/evidens/hold/{cohort.pk}/lodtraekning/", {"drawn_count": "10", "control_count": "5"})
    assert bad.status_code == 200 and "12" in bad.content.decode()
    assert not Draw.objects.for_municipality(muni_a).exists()

    client.post(f"/evidens/hold/{cohort.pk}/lodtraekning/", {"drawn_count": "4", "control_count": "6", "seed": "x"})
    draw = Draw.objects.for_municipality(muni_a).get()
    page = client.get(f"/evidens/hold/{cohort.pk}/lodtraekning/").content.decode()
    shown = [p for p in people if p.full_name in page]
    assert len(shown) == 10 and draw.seed in page
    assert 'class="tag tag-success"' in page
    assert "Fase 5" in client.get("/evidens/").content.decode()


def test_the_outcome_page_takes_a_file_and_shows_its_result_and_bad_rows(client, coordinator, make_eligible):
    (anna,) = make_eligible(1)
    client.force_login(coordinator)
    text = f"cpr;maaned;forsoerget;timer;selvstaendig\n{anna.cpr};2018-05;ja;0;nej\n0101;2018-05;ja;0;nej\n"
    response = client.post("/evidens/udfald/", {"file": SimpleUploadedFile("maj.csv", text.encode())})
    job = OutcomeImport.objects.for_municipality(anna.municipality).get()
    assert response.status_code == 302 and response["Location"].endswith(f"/evidens/udfald/{job.pk}/")
    assert job.status == ImportStatus.DONE
    page = client.get(f"/evidens/udfald/{job.pk}/").content.decode()
    assert "maj.csv" in page and ">3<" in page  # the bad row's number
    partial = client.get(f"/evidens/udfald/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert partial.startswith('<div id="import-status"') and "hx-trigger" not in partial


_files = itertools.count()


def _job(muni_a, coordinator, **fields) -> OutcomeImport:
    """An import row with its stored file, in whatever state `fields` say, without reading a file."""
    from teten.documents.models import StoredFile

    return OutcomeImport.objects.create(
        municipality=muni_a,
        file=StoredFile.objects.create(
            municipality=muni_a,
            storage_name=f"y{next(_files)}.csv",
            original_name="y.csv",
            content_type="text/csv",
            size=1,
            sha256="0",
        ),
        file_name="stor.csv",
        sha256="0",
        uploaded_by=coordinator,
        uploaded_at=datetime.datetime(2026, 11, 23, tzinfo=datetime.UTC),
        **fields,
    )


def test_a_running_import_shows_a_progress_bar_that_polls(client, coordinator, muni_a):
    job = _job(muni_a, coordinator, status=ImportStatus.RUNNING, rows_total=1_000_000, rows_done=250_000)
    client.force_login(coordinator)
    partial = client.get(f"/evidens/udfald/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in partial and "<progress" in partial and 'value="250000"' in partial
    assert "250.000 af 1.000.000 rækker læst" in partial


def test_a_queued_import_says_its_rows_are_being_counted_not_0_of_0(client, coordinator, muni_a):
    job = _job(muni_a, coordinator, status=ImportStatus.QUEUED)
    client.force_login(coordinator)
    partial = client.get(f"/evidens/udfald/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in partial and "Rækkerne i filen bliver talt" in partial
    assert '<progress id="import-progress"></progress>' in partial  # no value: it moves without a number
    assert "0 af 0" not in partial


def test_polling_stops_when_the_import_is_done_or_failed(client, coordinator, muni_a):
    client.force_login(coordinator)
    for status in (ImportStatus.DONE, ImportStatus.FAILED):
        job = _job(muni_a, coordinator, status=status, rows_total=3, rows_done=3, error="kaput")
        partial = client.get(f"/evidens/udfald/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
        # htmx swaps the whole element: one without hx-get and hx-trigger stops the polling.
        assert partial.startswith('<div id="import-status"')
        assert "hx-get" not in partial and "hx-trigger" not in partial and "<progress" not in partial


def test_staff_without_the_role_and_other_municipalities_see_nothing(
    client, consultant, outsider, coordinator, budget_programme, lottery_cohort
):
    client.force_login(consultant)
    for url in ("/evidens/", "/evidens/udfald/", f"/evidens/hold/{lottery_cohort.pk}/lodtraekning/"):
        assert client.get(url).status_code == 403, url
    client.force_login(outsider)
    assert client.get(f"/evidens/hold/{lottery_cohort.pk}/lodtraekning/").status_code == 403
