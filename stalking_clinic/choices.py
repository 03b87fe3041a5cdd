"""Choices that show as GOV.UK tags, each member with its colour declared beside it.

    class Status(TaggedChoices, tag_set="meeting_status"):
        PLANNED = "planned", "blue", "Planned"
        HELD = "held", "green", "Held"

A template shows any of them with one tag, ``{% status_tag meeting.status "meeting_status" %}``
(or ``{% status_tag member %}`` for a member itself): the stored value, the set it belongs to.
A set may say how an empty value shows (``blank=("Not assessed", "light-blue")``).
"""

from __future__ import annotations

from django.db import models

# tag_set name -> its choices, filled as the classes are defined.
_TAG_SETS: dict[str, type[TaggedChoices]] = {}

# The colours GOV.UK Frontend 5 gives tags (govuk-tag--<colour>).
COLOURS = frozenset(
    {"grey", "green", "turquoise", "blue", "light-blue", "purple", "pink", "red", "orange"}
    | {"yellow"}
)


class TaggedChoices(models.TextChoices):
    """Text choices whose members are written ``NAME = value, colour, label``."""

    def __new__(cls, value: str, colour: str):
        if colour not in COLOURS:
            raise ValueError(f"{cls.__name__}.{value}: {colour!r} is not a GOV.UK tag colour")
        member = str.__new__(cls, value)
        member._value_ = value
        member.colour = colour
        return member

    def __init_subclass__(cls, *, tag_set: str, blank: tuple[str, str] | None = None, **kwargs):
        super().__init_subclass__(**kwargs)
        if tag_set in _TAG_SETS:
            raise ValueError(f"Two sets of tagged choices are called {tag_set!r}")
        _TAG_SETS[tag_set] = cls
        cls.blank_tag = blank


def tag_for(value, tag_set: str | None = None) -> tuple[str, str] | None:
    """(label, colour) of ``value`` in the named set (or of a member itself); None if the value
    is empty and the set shows nothing for an empty value."""
    if isinstance(value, TaggedChoices):
        return value.label, value.colour
    choices = _TAG_SETS[tag_set]
    if value in (None, ""):
        return choices.blank_tag
    member = choices(value)
    return member.label, member.colour
