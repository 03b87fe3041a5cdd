"""Who someone is: users, the roles they hold and the agency they belong to."""

from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models

from .roles import Role

__all__ = ["Agency", "Role", "User"]


class Agency(models.Model):
    """An organisation whose staff use the system: the force, the ISAC service or a partner."""

    class Kind(models.TextChoices):
        POLICE = "police", "Police"
        ISAC_SERVICE = "isac_service", "Stalking advocacy service"
        CPS = "cps", "Crown Prosecution Service"
        PROBATION = "probation", "Probation"
        MENTAL_HEALTH = "mental_health", "Mental health trust"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        VICTIM_SERVICES = "victim_services", "Victim services"
        OTHER = "other", "Other"

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    is_partner = models.BooleanField(
        default=True,
        help_text="Partner agencies see only the cases explicitly shared with them.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person who signs in. A user may hold several roles (e.g. coordinator and trainer)."""

    roles = ArrayField(
        models.CharField(max_length=20, choices=Role.choices),
        default=list,
        blank=True,
        help_text="What this person does in the clinic; access follows from these.",
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    job_title = models.CharField(max_length=120, blank=True)
    # The force's collar (or staff) number: links a police account to its entry in the officer
    # list imported for training (training.Trainee), so supervisors see their team and officers
    # their bookings.
    collar_number = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.UniqueConstraint(
                fields=["collar_number"],
                condition=~models.Q(collar_number=""),
                name="user_collar_number_once",
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    def clean(self):
        super().clean()
        # As training.models.normalise_collar_number, so "pc 123" matches "PC123" on the list.
        self.collar_number = "".join(self.collar_number.split()).upper()
        unknown = set(self.roles) - set(Role.values)
        if unknown:
            raise ValidationError({"roles": f"Unknown role: {', '.join(sorted(unknown))}."})
        if Role.PARTNER in self.roles and self.agency is None:
            raise ValidationError({"agency": "A partner agency member must belong to an agency."})

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in Role.values if role in self.roles]

    @property
    def audit_label(self) -> str:
        return f"User {self.username}"

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
