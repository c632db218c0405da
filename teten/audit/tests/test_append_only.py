"""The access log and decision events cannot be changed or deleted: not by the ORM, not by SQL."""

import pytest
from django.db import DatabaseError, connection, transaction

from teten.audit.models import AccessKind, AccessLog, AppendOnlyError, DecisionEvent
from teten.audit.services import access_record, decision_record


@pytest.fixture
def log(consultant, citizen, muni_a):
    return access_record(
        actor=consultant, municipality=muni_a, kind=AccessKind.VIEW, purpose="test", citizens=[citizen]
    )


@pytest.fixture
def event(consultant, citizen, muni_a):
    with transaction.atomic():
        return decision_record(
            actor=consultant,
            municipality=muni_a,
            kind="test.changed",
            obj=citizen,
            citizen=citizen,
            legal_basis="LAB § 32",
            before={"state": "a"},
            after={"state": "b"},
        )


def test_orm_cannot_change_or_delete_access_log(log):
    log.purpose = "rewritten"
    with pytest.raises(AppendOnlyError):
        log.save()
    with pytest.raises(AppendOnlyError):
        log.delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.filter(pk=log.pk).update(purpose="rewritten")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.get(pk=log.pk).purpose == "test"


def test_orm_cannot_change_or_delete_decision_events(event):
    event.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        DecisionEvent.objects.update(note="x")


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_accesslog SET purpose = 'rewritten'",
        "DELETE FROM audit_accesslog",
        "UPDATE audit_accesslogsubject SET citizen_id = citizen_id",
        "DELETE FROM audit_accesslogsubject",
        "UPDATE audit_decisionevent SET note = 'rewritten'",
        "DELETE FROM audit_decisionevent",
    ],
)
def test_database_refuses_raw_sql_changes(log, event, sql):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AccessLog.objects.get(pk=log.pk).purpose == "test"
    assert DecisionEvent.objects.get(pk=event.pk).note == ""


@pytest.mark.django_db(transaction=True)
def test_decision_event_outside_a_transaction_is_refused(make_municipality, make_staff, make_citizen):
    municipality = make_municipality()
    actor = make_staff(municipality)
    subject = make_citizen(municipality)
    assert not connection.in_atomic_block
    with pytest.raises(RuntimeError):
        decision_record(actor=actor, municipality=municipality, kind="x", obj=subject)
    assert DecisionEvent.objects.count() == 0


def test_decision_event_records_who_when_basis_before_after(event, consultant, citizen):
    assert event.actor == consultant
    assert event.citizen == citizen
    assert event.legal_basis == "LAB § 32"
    assert (event.before, event.after) == ({"state": "a"}, {"state": "b"})
    assert event.object_type == "citizens.Citizen" and event.object_id == str(citizen.pk)
