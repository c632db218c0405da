"""Every look at, search for, export or change of a citizen's data writes exactly one access row."""

import pytest
from django.urls import reverse

from teten.audit.models import AccessKind, AccessLog


@pytest.fixture
def staff_client(client, consultant):
    client.force_login(consultant)
    return client


def _rows():
    return list(AccessLog.objects.order_by("id").prefetch_related("subjects"))


def _subjects(row):
    return sorted(s.citizen_id for s in row.subjects.all())


def test_viewing_a_record_writes_one_row(staff_client, consultant, citizen):
    staff_client.get(reverse("citizens:detail", args=[citizen.pk]))
    [row] = _rows()
    assert (row.kind, row.actor, row.municipality_id) == (AccessKind.VIEW, consultant, citizen.municipality_id)
    assert _subjects(row) == [citizen.pk]
    assert row.purpose


def test_search_writes_one_row_with_criterion_and_results(staff_client, citizen, make_citizen, muni_a):
    other = make_citizen(muni_a, first_name="Hanne", last_name="Andersen")
    make_citizen(muni_a, first_name="Jens", last_name="Jensen")
    response = staff_client.post(reverse("citizens:search"), {"q": "hanne"})
    assert response.status_code == 200
    [row] = _rows()
    assert row.kind == AccessKind.SEARCH
    assert row.criterion == "hanne"
    assert _subjects(row) == sorted([citizen.pk, other.pk])


def test_search_by_cpr_logs_the_criterion_masked(staff_client, citizen):
    response = staff_client.post(reverse("citizens:search"), {"q": "150380-1234"})
    assert citizen.full_name in response.content.decode()
    [row] = _rows()
    assert row.criterion == "150380-XXXX"
    assert _subjects(row) == [citizen.pk]


def test_search_finds_danish_letters_whatever_their_case(staff_client, citizen):
    response = staff_client.post(reverse("citizens:search"), {"q": "ØSTERGÅRD"})
    assert citizen.full_name in response.content.decode()


def test_worklist_writes_one_row_naming_the_citizens_shown(staff_client, citizen, make_citizen, muni_a, consultant):
    mine = make_citizen(muni_a, consultant=consultant)
    make_citizen(muni_a)  # not mine: not shown, not logged
    staff_client.get(reverse("citizens:worklist"))
    [row] = _rows()
    assert row.kind == AccessKind.LIST
    assert _subjects(row) == sorted([citizen.pk, mine.pk])


def test_export_writes_one_export_row(staff_client, citizen):
    response = staff_client.post(reverse("citizens:export", args=[citizen.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "150380-1234" in response.content.decode()
    [row] = _rows()
    assert row.kind == AccessKind.EXPORT and _subjects(row) == [citizen.pk]


def test_revealing_the_cpr_writes_one_row(staff_client, citizen):
    response = staff_client.post(reverse("citizens:reveal_cpr", args=[citizen.pk]))
    assert "150380-1234" in response.content.decode()
    [row] = _rows()
    assert row.kind == AccessKind.REVEAL_CPR


def test_a_change_writes_one_change_row_naming_fields_not_values(staff_client, citizen):
    data = {
        "first_name": "Hanne",
        "last_name": "Østergård",
        "address": "Nygade 9",
        "postal_code": "8000",
        "city": "Aarhus C",
        "phone": "",
        "email": "hanne@eksempel.dk",
        "assigned_consultant": "",
        "new_cpr": "",
    }
    staff_client.post(reverse("citizens:edit", args=[citizen.pk]), data)
    [row] = _rows()
    assert row.kind == AccessKind.CHANGE
    assert "adresse" in row.purpose and "Nygade" not in row.purpose


def test_a_refused_look_writes_nothing(client, outsider, citizen):
    client.force_login(outsider)
    assert client.get(reverse("citizens:detail", args=[citizen.pk])).status_code == 404
    assert _rows() == []


def test_a_log_naming_many_citizens_writes_the_same_rows_by_copy_or_executemany(
    consultant, make_citizen, muni_a, monkeypatch
):
    from teten.audit import services

    monkeypatch.setattr(services, "MANY_SUBJECTS", 2)  # the plain-rows path, on a few citizens
    people = [make_citizen(muni_a, first_name=f"Borger{i}") for i in range(5)]
    log = services.access_record(
        actor=consultant, municipality=muni_a, kind=AccessKind.CHANGE, purpose="Import", citizens=people + people[:2]
    )
    [row] = _rows()
    assert row == log and row.subject_count == 5
    assert _subjects(row) == sorted(p.pk for p in people)
    assert {s.at for s in row.subjects.all()} == {row.at}
