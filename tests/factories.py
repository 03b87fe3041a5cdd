"""factory_boy factories for the cross-cutting models (users, agencies, audit)."""

import factory

from stalking_clinic.accounts.models import Agency, Role, User

TEST_PASSWORD = "correct-horse-battery-staple"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Test Agency {n}")
    kind = Agency.Kind.PROBATION
    is_partner = True


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    roles = factory.LazyFunction(lambda: [Role.OFFICER.value])
    agency = factory.Maybe(
        factory.LazyAttribute(lambda u: Role.PARTNER in u.roles),
        yes_declaration=factory.SubFactory(AgencyFactory),
        no_declaration=None,
    )

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or TEST_PASSWORD)
        if create:
            self.save(update_fields=["password"])
