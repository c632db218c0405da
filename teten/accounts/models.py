from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    JOB_CONSULTANT = "job_consultant", _("Job consultant")
    BENEFITS_CASEWORKER = "benefits_caseworker", _("Benefits caseworker")
    COACH = "coach", _("Coach")
    COORDINATOR = "coordinator", _("Coordinator")
    FINANCE_OFFICER = "finance_officer", _("Finance officer")
    EVALUATOR = "evaluator", _("Evaluator")
    ADMINISTRATOR = "administrator", _("Administrator")


class Team(models.Model):
    """A team of colleagues, e.g. the job consultants for job-ready citizens. Any consultant of
    the team may give a plan its traffic-light assessment."""

    municipality = models.ForeignKey("core.Municipality", on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("team")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="team_name_unique")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A staff member. Staff belong to one municipality and hold one or more roles.

    Citizens are not Users: they log in to the portal through an identity provider
    (teten.portal.identity) and never hold a staff session.
    """

    municipality = models.ForeignKey(
        "core.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("municipality"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members", verbose_name=_("team")
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        """The user's roles, read once per request."""
        if not self.pk:
            return frozenset()
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in Role.values if r in self.roles]


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="one_assignment_per_role")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"
