"""The roles people hold in the clinic. Kept free of models so access rules can import it early."""

from django.db import models


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    TACTICAL_LEAD = "tactical_lead", "Tactical lead"
    SOLICITOR = "solicitor", "Solicitor"
    ISAC = "isac", "ISAC (stalking advocate)"
    SUPERVISOR = "supervisor", "Supervisor"
    OFFICER = "officer", "Officer"
    CHAMPION = "champion", "Champion"
    PARTNER = "partner", "Partner agency member"
    ADMINISTRATOR = "administrator", "Administrator"
