"""Reads of the champions register: the champions the register lists, each with the training
they hold."""

from __future__ import annotations

from django.utils import timezone

from ..access import champions_visible_to
from ..models import Champion, Course
from .compliance import last_attended, standing_of


def champions_register(user, filters: dict) -> list[Champion]:
    """The champions the user sees, by area and name, as ``filters`` (the valid ones of
    ``ChampionFilterForm``) choose: serving champions only unless ``stood_down`` is ticked.
    Each has ``training``: the courses they attended (the latest attendance of each, by course
    title) with its standing, so that an overdue refresh shows. Three queries."""
    rows = champions_visible_to(user).select_related("trainee__team__area", "trainee__job_role")
    if filters.get("area"):
        rows = rows.filter(trainee__team__area=filters["area"])
    if filters.get("level"):
        rows = rows.filter(level=filters["level"])
    if not filters.get("stood_down"):
        rows = rows.filter(stood_down_on__isnull=True)
    champions = list(rows.order_by("trainee__team__area__name", "trainee__name", "pk"))
    if not champions:
        return champions
    courses = list(Course.objects.order_by("title"))
    last = last_attended([c.trainee_id for c in champions], [course.pk for course in courses])
    today = timezone.localdate()
    for champion in champions:
        champion.training = [
            standing_of(course, last[(champion.trainee_id, course.pk)], today=today)
            for course in courses
            if (champion.trainee_id, course.pk) in last
        ]
    return champions
