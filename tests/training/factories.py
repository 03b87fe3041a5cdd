"""Factories for the training area."""

import datetime
import decimal

import factory
from django.utils import timezone

from training.models import (
    Area,
    Booking,
    Champion,
    Course,
    CPDEntry,
    JobRole,
    Session,
    Team,
    Trainee,
)

from ..factories import UserFactory


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Area {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("area", "name")

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"Neighbourhood team {n}")


class JobRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobRole
        django_get_or_create = ("name",)

    name = "Police constable"


class TraineeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trainee
        django_get_or_create = ("collar_number",)

    collar_number = factory.Sequence(lambda n: f"PC{1000 + n}")
    name = factory.Sequence(lambda n: f"Officer {n}")
    email = factory.LazyAttribute(lambda t: f"{t.collar_number.lower()}@police.example.invalid")
    team = factory.SubFactory(TeamFactory)
    job_role = factory.SubFactory(JobRoleFactory)
    supervisor = None


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        django_get_or_create = ("title",)
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Stalking and harassment {n}")
    kind = Course.Kind.MANDATORY
    audience = "Neighbourhood and local policing officers"
    duration_minutes = 180
    refresh_months = 24

    @factory.post_generation
    def mandatory_roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.mandatory_roles.set(extracted)

    @factory.post_generation
    def mandatory_teams(self, create, extracted, **kwargs):
        if create and extracted:
            self.mandatory_teams.set(extracted)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    course = factory.SubFactory(CourseFactory)
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=14)).replace(
            hour=9, minute=30, second=0, microsecond=0
        )
    )
    venue = "Training suite, Headquarters"
    trainer = factory.SubFactory(UserFactory, roles=["coordinator"])
    capacity = 12
    created_by = factory.SubFactory(UserFactory, roles=["coordinator"])


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    session = factory.SubFactory(SessionFactory)
    trainee = factory.SubFactory(TraineeFactory)
    status = Booking.Status.BOOKED
    booked_by = factory.SubFactory(UserFactory, roles=["supervisor"])
    placed_at = factory.LazyFunction(timezone.now)


class ChampionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Champion

    trainee = factory.SubFactory(TraineeFactory)
    level = Champion.Level.CHAMPION
    appointed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=90))


class CPDEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CPDEntry

    user = factory.SubFactory(UserFactory, roles=["isac"])
    done_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    kind = CPDEntry.Kind.COURSE
    title = "Understanding stalking behaviours"
    provider = "Suzy Lamplugh Trust"
    hours = decimal.Decimal("3.5")
