import pytest

from teten.citizens.models import Citizen
from teten.core.tenancy import TenantScopeError


def test_query_without_municipality_fails_closed(citizen, foreign_citizen):
    with pytest.raises(TenantScopeError):
        list(Citizen.objects.all())
    with pytest.raises(TenantScopeError):
        Citizen.objects.filter(last_name="Østergård").count()
    with pytest.raises(TenantScopeError):
        Citizen.objects.exists()
    with pytest.raises(TenantScopeError):
        Citizen.objects.get(pk=citizen.pk)
    with pytest.raises(TenantScopeError):
        Citizen.objects.filter(pk=citizen.pk).update(first_name="X")
    with pytest.raises(TenantScopeError):
        Citizen.objects.all().delete()
    with pytest.raises(TenantScopeError):
        list(Citizen.objects.iterator())


def test_related_manager_without_municipality_fails_closed(citizen, consultant):
    with pytest.raises(TenantScopeError):
        list(consultant.assigned_citizens.all())


def test_scoped_queries_return_only_that_municipality(citizen, foreign_citizen, muni_a, muni_b):
    assert list(Citizen.objects.for_municipality(muni_a)) == [citizen]
    assert list(Citizen.objects.filter(municipality=muni_b)) == [foreign_citizen]
    assert Citizen.objects.filter(municipality_id=muni_a.pk).count() == 1


def test_excluding_a_municipality_is_not_a_scope(citizen, muni_b):
    with pytest.raises(TenantScopeError):
        list(Citizen.objects.exclude(municipality=muni_b))


def test_scoping_to_nothing_is_refused():
    with pytest.raises(TenantScopeError):
        Citizen.objects.for_municipality(None)


def test_system_jobs_can_say_all_municipalities(citizen, foreign_citizen):
    assert Citizen.objects.all_municipalities().count() == 2


def test_full_clean_checks_uniqueness_across_the_table_without_opening_queries(citizen, muni_a):
    from django.core.exceptions import ValidationError

    from teten.citizens.models import Citizen

    twin = Citizen(
        municipality=muni_a,
        cpr=citizen.cpr,
        first_name="A",
        last_name="B",
        birth_date=citizen.birth_date,
        gender=citizen.gender,
        search_name="a b",
    )
    with pytest.raises(ValidationError):
        twin.full_clean()
    with pytest.raises(TenantScopeError):  # ...and afterwards queries are guarded again
        Citizen.objects.count()
