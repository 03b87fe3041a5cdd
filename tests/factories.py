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


# The second factor ------------------------------------------------------------------------------
# Every test user's authenticator app has this key, so a test can type the code it shows now.
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"  # the RFC 6238 test secret, hex


def authenticator_for(user):
    """The user's confirmed authenticator app (TOTP device) with the test key, made if missing."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name="Authenticator app", key=TEST_TOTP_KEY, confirmed=True
        )
    return device


def current_code(user) -> str:
    """The code the user's authenticator app shows now: the next one not yet used, since each is
    accepted once (a second sign-in within the same 30 seconds types the following one, which
    the device's tolerance of one step accepts)."""
    import time

    from django_otp.oath import TOTP

    device = authenticator_for(user)
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    step = max(totp.t(), device.last_t + 1)
    totp.time = device.t0 + step * device.step
    return f"{totp.token():0{device.digits}d}"
