import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from teten.core.clock import acting_on
from teten.evidence.imports import import_run, import_upload
from teten.evidence.models import Activation, ImportStatus, OutcomeMonth, OutcomeProblem

pytestmark = pytest.mark.django_db

HEADER = "cpr;maaned;forsoerget;ydelse;timer;selvstaendig;aktivering;gift;oprindelse"


def upload(actor, text: str, name="udtraek-2018-05.csv"):
    with acting_on(datetime.date(2018, 6, 15)):
        return import_upload(actor=actor, uploaded_file=SimpleUploadedFile(name, text.encode("utf-8"), "text/csv"))


def problems(job):
    return [(p.row, p.reason) for p in OutcomeProblem.objects.filter(outcome_import=job)]


def test_good_rows_are_imported_and_each_bad_row_is_listed_with_its_number_and_reason(
    coordinator, make_eligible, muni_a
):
    anna, bo = make_eligible(2)
    text = "\n".join(
        [
            HEADER,
            f"{anna.cpr};2018-05;ja;kontanthjaelp;0;nej;virksomhedsrettet;nej;dansk",  # 2 good
            f"{anna.cpr[:6]}-{anna.cpr[6:]};2018-04;nej;;37,5;nej;;ja;ikke-dansk",  # 3 good, dashed CPR
            "3213801234;2018-05;ja;;0;nej;;;",  # 4 bad CPR (no 32nd day)
            "0101901239;2018-05;ja;;0;nej;;;",  # 5 unknown citizen
            f"{bo.cpr};2018-13;ja;;0;nej;;;",  # 6 bad month
            f"{bo.cpr};2019-01;ja;;0;nej;;;",  # 7 month after the business date
            f"{anna.cpr};2018-05;nej;;160;nej;;;",  # 8 duplicate of row 2
            f"{bo.cpr};2018-05;maaske;;0;nej;;;",  # 9 bad yes/no
            f"{bo.cpr};2018-05;ja;;-3;nej;;;",  # 10 negative hours
            f"{bo.cpr};2018-05;ja;lotto;0;nej;;;",  # 11 unknown benefit
            f"{bo.cpr};2018-03;nej;;12,25;ja;ordinaer;;",  # 12 good
        ]
    )
    job = upload(coordinator, text)

    assert job.status == ImportStatus.DONE
    assert (job.rows_total, job.rows_done, job.rows_imported, job.rows_rejected) == (11, 11, 3, 8)
    reasons = dict(problems(job))
    assert list(reasons) == [4, 5, 6, 7, 8, 9, 10, 11]
    assert "CPR" in reasons[4] and "register" in reasons[5]
    assert "YYYY-MM" in reasons[6] and "2019-01" in reasons[7]
    assert "row 2" in reasons[8] or "række 2" in reasons[8]
    assert "maaske" in reasons[9] and "744" in reasons[10] and "lotto" in reasons[11]

    may = OutcomeMonth.objects.for_municipality(muni_a).get(citizen=anna, month=datetime.date(2018, 5, 1))
    assert may.on_support and may.benefit == "cash_benefit" and may.activation == Activation.COMPANY
    assert may.married is False and may.danish_origin is True
    april = OutcomeMonth.objects.for_municipality(muni_a).get(citizen=anna, month=datetime.date(2018, 4, 1))
    assert not april.on_support and april.hours == Decimal("37.50") and april.danish_origin is False
    assert OutcomeMonth.objects.for_municipality(muni_a).get(citizen=bo).hours == Decimal("12.25")
    assert sorted(job.months) == ["2018-03", "2018-04", "2018-05"]


def test_importing_the_same_month_again_changes_nothing_and_a_correction_replaces_the_month(
    coordinator, make_eligible, muni_a
):
    anna, bo = make_eligible(2)
    text = f"{HEADER}\n{anna.cpr};2018-05;ja;kontanthjaelp;0;nej;;;\n{bo.cpr};2018-05;nej;;120;ja;;;\n"
    upload(coordinator, text)
    before = sorted(
        OutcomeMonth.objects.for_municipality(muni_a).values_list("citizen_id", "month", "on_support", "hours")
    )
    again = upload(coordinator, text)
    after = sorted(
        OutcomeMonth.objects.for_municipality(muni_a).values_list("citizen_id", "month", "on_support", "hours")
    )
    assert again.rows_imported == 2 and before == after and len(after) == 2

    upload(coordinator, f"{HEADER}\n{anna.cpr};2018-05;nej;;80;nej;;;\n")
    corrected = OutcomeMonth.objects.for_municipality(muni_a).get(citizen=anna)
    assert not corrected.on_support and corrected.hours == 80
    assert OutcomeMonth.objects.for_municipality(muni_a).count() == 2


def test_running_an_import_again_after_a_stop_gives_the_same_result(coordinator, make_eligible, muni_a):
    anna, bo = make_eligible(2)
    job = upload(coordinator, f"{HEADER}\n{anna.cpr};2018-05;ja;;0;nej;;;\nbad;2018-05;ja;;0;nej;;;\n")
    with acting_on(datetime.date(2018, 6, 15)):
        rerun = import_run(job.pk)
    assert (rerun.rows_imported, rerun.rows_rejected, rerun.status) == (1, 1, ImportStatus.DONE)
    assert len(problems(rerun)) == 1 and OutcomeMonth.objects.for_municipality(muni_a).count() == 1


def test_a_file_without_the_required_columns_stops_with_a_clear_message(coordinator, make_eligible):
    job = upload(coordinator, "personnummer,md\n0101801234,2018-05\n")
    assert job.status == ImportStatus.FAILED
    assert "cpr" in job.error and "forsoerget" in job.error


def test_commas_work_as_separators_too(coordinator, make_eligible, muni_a):
    (anna,) = make_eligible(1)
    job = upload(coordinator, f'CPR,Maaned,Forsoerget,Timer,Selvstaendig\n{anna.cpr},2018-05,1,"7,5",0\n')
    assert job.rows_imported == 1
    assert OutcomeMonth.objects.for_municipality(muni_a).get().hours == Decimal("7.5")


def test_an_html_file_is_refused(coordinator):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="CSV"):
        upload(coordinator, "<html><body>cpr;maaned</body></html>")
