"""Staff administration: creating staff and changing their roles (administrators only)."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from teten.accounts.access import require
from teten.accounts.models import Role, RoleAssignment, User
from teten.audit.services import decision_record


def _set_roles(user: User, roles: set[str]) -> None:
    current = set(user.role_assignments.values_list("role", flat=True))
    user.role_assignments.filter(role__in=current - roles).delete()
    RoleAssignment.objects.bulk_create([RoleAssignment(user=user, role=r) for r in sorted(roles - current)])
    user.__dict__.pop("roles", None)


@transaction.atomic
def staff_create(*, actor: User | None, municipality, username: str, password: str, roles: set[str], **details) -> User:
    """Create a staff member of `municipality`. `actor` None is the set-up command (first admin)."""
    if actor is not None:
        require(actor, "accounts.manage_staff")
        municipality = actor.municipality
    roles = {Role(r).value for r in roles}
    user = User(username=username, municipality=municipality, **details)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    _set_roles(user, roles)
    decision_record(
        actor=actor, municipality=municipality, kind="staff.created", obj=user, after={"roles": sorted(roles)}
    )
    return user


@transaction.atomic
def staff_update(*, actor: User, staff: User, roles: set[str], is_active: bool, **details) -> User:
    """Change a colleague's details, roles or access. Administrators cannot remove their own
    administrator role or lock themselves out, so a municipality always keeps one."""
    require(actor, "accounts.manage_staff", staff)
    roles = {Role(r).value for r in roles}
    if staff.pk == actor.pk and (Role.ADMINISTRATOR not in roles or not is_active):
        raise ValidationError(_("You cannot remove your own administrator role or deactivate yourself."))
    before = {"roles": sorted(staff.roles), "is_active": staff.is_active}
    for name, value in details.items():
        setattr(staff, name, value)
    staff.is_active = is_active
    staff.full_clean(exclude=["password"])
    staff.save()
    _set_roles(staff, roles)
    after = {"roles": sorted(roles), "is_active": is_active}
    if before != after:
        decision_record(
            actor=actor,
            municipality=actor.municipality,
            kind="staff.access_changed",
            obj=staff,
            before=before,
            after=after,
        )
    return staff
