from django.db import models


class CitizenLoginToken(models.Model):
    """A one-time login link for the demo identity provider. Only the SHA-256 of the token is
    stored, so a copy of the database cannot be used to log in."""

    citizen = models.ForeignKey("citizens.Citizen", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"login link for citizen {self.citizen_id}"
