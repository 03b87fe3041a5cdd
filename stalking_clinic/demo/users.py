"""Demo agencies and one demo login per role. Everything here is fictional, and obviously so."""

from stalking_clinic.accounts.models import Agency, Role, User

AGENCIES = [
    ("Demonshire Constabulary (demo)", Agency.Kind.POLICE, False),
    ("Safe Steps Advocacy (demo)", Agency.Kind.ISAC_SERVICE, False),
    ("Crown Prosecution Service (Demo Area)", Agency.Kind.CPS, True),
    ("Probation Service (Demo Region)", Agency.Kind.PROBATION, True),
    ("Demo Mental Health Trust", Agency.Kind.MENTAL_HEALTH, True),
    ("Demo County Council", Agency.Kind.LOCAL_AUTHORITY, True),
    ("Demo Victim Services", Agency.Kind.VICTIM_SERVICES, True),
]

# username, first name, last name, roles, agency name, job title
USERS = [
    (
        "coordinator",
        "Cora",
        "Demo-Coordinator",
        [Role.COORDINATOR],
        0,
        "Stalking clinic coordinator",
    ),
    ("tactical_lead", "Tariq", "Demo-Lead", [Role.TACTICAL_LEAD], 0, "Detective Inspector"),
    ("solicitor", "Sol", "Demo-Solicitor", [Role.SOLICITOR], 0, "Force solicitor"),
    ("isac", "Isla", "Demo-Advocate", [Role.ISAC], 1, "Independent stalking advocate"),
    ("isac2", "Ivan", "Demo-Advocate", [Role.ISAC], 1, "Independent stalking advocate"),
    ("supervisor", "Sam", "Demo-Sergeant", [Role.SUPERVISOR, Role.OFFICER], 0, "Sergeant"),
    ("officer", "Owen", "Demo-Constable", [Role.OFFICER], 0, "Police constable"),
    ("champion", "Chris", "Demo-Champion", [Role.CHAMPION, Role.OFFICER], 0, "Stalking champion"),
    ("partner_probation", "Pat", "Demo-Probation", [Role.PARTNER], 3, "Probation officer"),
    ("partner_cps", "Casey", "Demo-Prosecutor", [Role.PARTNER], 2, "Crown prosecutor"),
    ("admin", "Ada", "Demo-Admin", [Role.ADMINISTRATOR], 0, "System administrator"),
]


def demo_agency(kind: str) -> str:
    """The name of the demo agency of this kind."""
    return next(name for name, agency_kind, _ in AGENCIES if agency_kind == kind)


def seed_users(password: str) -> list[User]:
    agencies = []
    for name, kind, is_partner in AGENCIES:
        agency, _ = Agency.objects.update_or_create(
            name=name, defaults={"kind": kind, "is_partner": is_partner}
        )
        agencies.append(agency)
    users = []
    for username, first, last, roles, agency_index, title in USERS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.invalid",
                "roles": [str(role) for role in roles],
                "agency": agencies[agency_index],
                "job_title": title,
                "is_active": True,
                # Admin-site access follows the administrator role, not these flags.
                "is_staff": False,
                "is_superuser": False,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        users.append(user)
    return users
