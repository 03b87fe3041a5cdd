"""Demo data for the training area: the fictional Demonshire force's officer list, the clinic's
courses, a year of past sessions with attendance recorded (and older sittings, so that some
officers are due or overdue a refresh), the next two months of sessions with bookings (two full,
with waiting lists), the champions register and the clinic staff's CPD logs.

The demo logins are linked to the officer list by collar number: "supervisor" is the sergeant
of Northgate's Neighbourhood team North, whose eight officers include "officer" (untrained, booked
on an upcoming session) and "champion", and three more who are untrained and not yet booked, so
the demo shows the whole journey. The coordinator trains many of the sessions.

Everything is generated from fixed seeds, and session times follow the calendar week (not the
day the seed runs), so running it again the same day finds every row by its natural key
(collar number, course title, a session's course and start) and adds nothing. A later run adds
only the future sessions that have come into range, with a few bookings each. The fixed force
and programme it seeds (areas, names, courses, the timetable) are in ``training/demo_force.py``.
"""

from __future__ import annotations

import datetime
import decimal
import random

from django.utils import timezone

from stalking_clinic.accounts.models import User

from .demo_force import (
    ADVANCED,
    AREAS,
    CALL,
    COURSES,
    CPD_ENTRIES,
    CRS,
    DC,
    DEMO_AREA,
    DEMO_PEOPLE,
    DEMO_TEAM,
    DROP_IN,
    FIRST_NAMES,
    FOUR,
    FUTURE_WEEKS,
    HISTORY_WEEKS,
    HOLIDAYS,
    INSP,
    MANDATORY,
    ONLINE,
    PC,
    PCSO,
    PREFIX,
    PROGRAMME_WEEKS,
    SGT,
    SUPERVISORS,
    SURNAMES,
    UNRECORDED_DAYS,
    slots,
    week_of,
)
from .models import (
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


class _Seeder:
    def __init__(self, users: dict[str, User]):
        self.users = users
        self.coordinator = users["coordinator"]
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.monday = self.today - datetime.timedelta(days=self.today.weekday())
        self.attended: set[tuple[str, str]] = set()

    def at(self, day: datetime.date, time: datetime.time) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, time))

    # Reference data ----------------------------------------------------------------------

    def roles(self) -> dict[str, JobRole]:
        names = [PC, PCSO, SGT, INSP, DC, CALL, CRS]
        existing = {role.name: role for role in JobRole.objects.filter(name__in=names)}
        JobRole.objects.bulk_create([JobRole(name=n) for n in names if n not in existing])
        return {role.name: role for role in JobRole.objects.filter(name__in=names)}

    def areas_and_teams(self) -> dict[tuple[str, str], Team]:
        names = [name for name, _, _ in AREAS]
        existing = set(Area.objects.filter(name__in=names).values_list("name", flat=True))
        Area.objects.bulk_create([Area(name=n) for n in names if n not in existing])
        areas = {area.name: area for area in Area.objects.filter(name__in=names)}
        wanted = [(area, team) for area, _, teams in AREAS for team, _ in teams]
        teams = {
            (team.area.name, team.name): team
            for team in Team.objects.filter(area__name__in=names).select_related("area")
        }
        Team.objects.bulk_create(
            [Team(area=areas[a], name=t) for a, t in wanted if (a, t) not in teams]
        )
        return {
            (team.area.name, team.name): team
            for team in Team.objects.filter(area__name__in=names).select_related("area")
        }

    def roster(self, roles, teams) -> dict[str, Trainee]:
        """The officer list: created once, matched on collar number; supervisors set after."""
        names = self._names()
        people = []  # (collar, name, area, team, role, supervisor's collar)
        demo = {collar: name for _, collar, name in DEMO_PEOPLE}
        for area_no, (area, _, area_teams) in enumerate(AREAS, start=1):
            seq = 0
            sergeants = []
            for team, make_up in area_teams:
                leads = []
                for role, count in make_up:
                    for _ in range(count):
                        seq += 1
                        collar = f"{PREFIX[role]}{area_no}{seq:03d}"
                        name = demo.get(collar) or next(names)
                        if role in (SGT, CRS):
                            leads.append(collar)
                            sergeants.append(collar)
                            lead = None
                        else:
                            # Call handlers are split between the control room's supervisors.
                            lead = leads[seq % len(leads)] if leads else None
                        people.append((collar, name, area, team, role, lead))
            seq += 1
            inspector = f"{PREFIX[INSP]}{area_no}{seq:03d}"
            # The inspector works with the (first) response team.
            base = next(t for t, _ in area_teams if t.startswith("Response"))
            people.append((inspector, next(names), area, base, INSP, None))
            # The area's sergeants report to its inspector.
            people = [
                (c, n, a, t, r, inspector if c in sergeants else s) for c, n, a, t, r, s in people
            ]
        collars = [p[0] for p in people]
        existing = {t.collar_number: t for t in Trainee.objects.filter(collar_number__in=collars)}
        Trainee.objects.bulk_create(
            [
                Trainee(
                    collar_number=collar,
                    name=name,
                    email=f"{collar.lower()}@demonshire-police.example.invalid",
                    team=teams[(area, team)],
                    job_role=roles[role],
                )
                for collar, name, area, team, role, _ in people
                if collar not in existing
            ]
        )
        trainees = {t.collar_number: t for t in Trainee.objects.filter(collar_number__in=collars)}
        changed = []
        for collar, _, _, _, _, lead in people:
            trainee = trainees[collar]
            lead_id = trainees[lead].pk if lead else None
            if trainee.supervisor_id != lead_id:
                trainee.supervisor_id = lead_id
                changed.append(trainee)
        Trainee.objects.bulk_update(changed, ["supervisor"])
        self.area_of = {collar: area for collar, _, area, _, _, _ in people}
        self.role_of = {collar: role for collar, _, _, _, role, _ in people}
        self.team_of = {collar: (area, team) for collar, _, area, team, _, _ in people}
        return trainees

    def _names(self):
        rng = random.Random("demonshire-names")  # noqa: S311
        pairs = [(f, s) for f in FIRST_NAMES for s in SURNAMES]
        rng.shuffle(pairs)
        for first, surname in pairs:
            yield f"{first} {surname}"

    def link_demo_logins(self) -> None:
        for username, collar, _ in DEMO_PEOPLE:
            User.objects.filter(username=username).exclude(collar_number=collar).update(
                collar_number=collar
            )

    def courses(self, roles) -> dict[str, Course]:
        titles = [c["title"] for c in COURSES]
        existing = {c.title: c for c in Course.objects.filter(title__in=titles)}
        for spec in COURSES:
            if spec["title"] in existing:
                continue
            course = Course.objects.create(
                title=spec["title"],
                kind=spec["kind"],
                audience=spec["audience"],
                description=spec["description"],
                duration_minutes=spec["duration_minutes"],
                refresh_months=spec["refresh_months"],
            )
            course.mandatory_roles.set([roles[name] for name in spec["roles"]])
            existing[course.title] = course
        return existing

    # Sessions ----------------------------------------------------------------------------

    def sessions(self, courses, *, future_only: bool) -> list[Session]:
        """Create the sessions not there yet; returns those created."""
        wanted = []
        for offset in range(-HISTORY_WEEKS, FUTURE_WEEKS):
            monday = self.monday + datetime.timedelta(weeks=offset)
            week = week_of(monday)
            for slot in slots(week, history=offset < -PROGRAMME_WEEKS):
                day = monday + datetime.timedelta(days=slot.weekday)
                while (day.month, day.day) in HOLIDAYS or day.weekday() >= 5:
                    day += datetime.timedelta(days=1)
                starts_at = self.at(day, slot.time)
                if future_only and starts_at <= self.now:
                    continue
                wanted.append((slot, week, starts_at))
        course_ids = [c.pk for c in courses.values()]
        first = min(s for _, _, s in wanted) if wanted else self.now
        have = set(
            Session.objects.filter(course_id__in=course_ids, starts_at__gte=first).values_list(
                "course_id", "starts_at"
            )
        )
        new = []
        for slot, week, starts_at in wanted:
            course = courses[slot.course]
            if (course.pk, starts_at) in have:
                continue
            rng = random.Random(f"{slot.course}-{week}")  # noqa: S311
            trainer = self.users.get(slot.trainer) if slot.trainer else None
            new.append(
                Session(
                    course=course,
                    starts_at=starts_at,
                    venue=slot.venue,
                    online_link=ONLINE if slot.online else "",
                    trainer=trainer,
                    trainer_name="" if trainer else slot.trainer_name,
                    capacity=rng.randint(12, 20),
                    notes="Demo session (fictional).",
                    created_by=self.coordinator,
                    created_at=min(starts_at - datetime.timedelta(weeks=6), self.now),
                )
            )
        return Session.objects.bulk_create(new)

    # Bookings ----------------------------------------------------------------------------

    def plan(self, trainees) -> dict[tuple[str, str], str]:
        """Each (collar, mandatory course)'s intended standing, at the area's compliance rate."""
        rng = random.Random("demonshire-plan")  # noqa: S311
        rates = {area: rate for area, rate, _ in AREAS}
        plan = {}
        for collar in sorted(trainees):
            role = self.role_of[collar]
            for spec in COURSES:
                if role not in spec["roles"]:
                    continue
                if rng.random() < rates[self.area_of[collar]]:
                    state = rng.choices(["recent", "older", "due_soon"], [70, 22, 8])[0]
                else:
                    state = rng.choices(["overdue", "untrained"], [40, 60])[0]
                plan[(collar, spec["title"])] = state
        # The demo team: the officer and three more untrained; the champion trained.
        team = [c for c, t in self.team_of.items() if t == (DEMO_AREA, DEMO_TEAM)]
        reports = sorted(c for c in team if self.role_of[c] not in (SGT, INSP))
        untrained = [DEMO_PEOPLE[1][1], *[c for c in reports if c not in self.demo_collars][:3]]
        for collar in reports:
            plan[(collar, MANDATORY)] = "untrained" if collar in untrained else "recent"
        plan[(DEMO_PEOPLE[0][1], SUPERVISORS)] = "recent"
        for collar, _ in self.champion_picks:
            plan[(collar, MANDATORY)] = "recent"
        if self.champion_picks:
            # One champion's refresh is overdue, so the register shows it.
            plan[(self.champion_picks[-1][0], MANDATORY)] = "overdue"
        self.untrained_demo = set(untrained[1:])
        return plan

    def _window(self, state: str, refresh: int) -> tuple[datetime.date, datetime.date]:
        months = {
            "recent": (0.4, 11.5),
            "older": (12.5, refresh - 2.5),
            "due_soon": (refresh - 1.9, refresh - 0.2),
            "overdue": (refresh + 0.5, refresh + 10),
        }[state]
        return (
            self.today - datetime.timedelta(days=int(months[1] * 30.4)),
            self.today - datetime.timedelta(days=int(months[0] * 30.4)),
        )

    def bookings(self, trainees, courses, sessions: list[Session], plan) -> int:
        by_course: dict[str, list[Session]] = {}
        for session in sorted(sessions, key=lambda s: s.starts_at):
            by_course.setdefault(session.course.title, []).append(session)
        self._start(sessions)
        rng = random.Random("demonshire-bookings")  # noqa: S311
        recorded_before = self.now - datetime.timedelta(days=UNRECORDED_DAYS)
        needing: dict[str, list[str]] = {}

        # Attendance at past sessions, as planned.
        for (collar, title), state in sorted(plan.items()):
            if state == "untrained":
                needing.setdefault(title, []).append(collar)
                continue
            low, high = self._window(state, courses[title].refresh_months)
            options = [
                s
                for s in by_course.get(title, [])
                if low <= timezone.localdate(s.starts_at) <= high
                and s.starts_at < recorded_before
                and self.taken[s.pk] < s.capacity - 2
            ]
            if not options:
                needing.setdefault(title, []).append(collar)
                continue
            self._book(rng.choice(options), trainees[collar], Booking.Status.ATTENDED, rng)
            if state != "recent":
                needing.setdefault(title, []).append(collar)

        # Courses nobody must take: detectives, champions and officers who chose to come. The
        # demo champion and the enhanced champions have all done the advanced course.
        police = self._police(trainees)
        advanced = [s for s in by_course.get(ADVANCED, []) if s.starts_at < recorded_before]
        for collar, level in self.champion_picks:
            if level == Champion.Level.ENHANCED or collar == DEMO_PEOPLE[2][1]:
                options = [s for s in advanced if self.taken[s.pk] < s.capacity - 4]
                if options:
                    self._book(rng.choice(options), trainees[collar], Booking.Status.ATTENDED, rng)
        investigators = [c for c in police if self.role_of[c] in (DC, SGT)]
        investigators += [c for c, _ in self.champion_picks]
        for session in advanced:
            pool = [c for c in investigators if (c, ADVANCED) not in self.attended]
            pool = [c for c in pool if self._free(session, c)]
            wanted = min(len(pool), rng.randint(5, 10), session.capacity - self.taken[session.pk])
            for collar in rng.sample(pool, max(wanted, 0)):
                self._book(session, trainees[collar], Booking.Status.ATTENDED, rng)
        for title, low, high in ((DROP_IN, 2, 6), (FOUR, 2, 5)):
            for session in by_course.get(title, []):
                if session.starts_at < recorded_before:
                    others = [c for c in police if c not in self.on[session.pk]]
                    for collar in rng.sample(others, rng.randint(low, high)):
                        self._book(session, trainees[collar], Booking.Status.ATTENDED, rng)

        # Absences and cancellations at the recorded sessions.
        for session in sessions:
            if session.starts_at >= recorded_before:
                continue
            pool = [c for c in needing.get(session.course.title, []) if self._free(session, c)]
            for collar in rng.sample(pool, min(len(pool), rng.randint(0, 2))):
                self._book(session, trainees[collar], Booking.Status.ABSENT, rng)
            pool = [c for c in pool if self._free(session, c)]
            if pool and rng.random() < 0.3:
                self._book(session, trainees[rng.choice(pool)], Booking.Status.CANCELLED, rng)

        # Sessions held in the last few days: people booked, attendance not yet recorded.
        skip = self.untrained_demo | {DEMO_PEOPLE[1][1]}
        for session in sessions:
            if recorded_before <= session.starts_at <= self.now:
                pool = [
                    c
                    for c in needing.get(session.course.title, police)
                    if c not in skip and self._free(session, c)
                ]
                for collar in rng.sample(pool, min(len(pool), rng.randint(4, 8))):
                    self._book(session, trainees[collar], Booking.Status.BOOKED, rng)
                    if collar in needing.get(session.course.title, []):
                        needing[session.course.title].remove(collar)

        self.future_bookings(trainees, sessions, needing, police, rng)
        Booking.objects.bulk_create(self.new)
        return len(self.new)

    def later_bookings(self, trainees, sessions: list[Session], plan) -> int:
        """A later run's new future sessions: a few bookings each, none full."""
        self._start(sessions)
        rng = random.Random(f"demonshire-later-{self.today}")  # noqa: S311
        booked = set(
            Booking.objects.filter(
                session__starts_at__gt=self.now,
                status__in=[Booking.Status.BOOKED, Booking.Status.WAITING],
            ).values_list("trainee__collar_number", "session__course__title")
        )
        needing: dict[str, list[str]] = {}
        for (collar, title), state in sorted(plan.items()):
            if state != "recent" and (collar, title) not in booked:
                needing.setdefault(title, []).append(collar)
        self.future_bookings(
            trainees, sessions, needing, self._police(trainees), rng, fill_first=False
        )
        Booking.objects.bulk_create(self.new)
        return len(self.new)

    def future_bookings(self, trainees, sessions, needing, police, rng, *, fill_first=True):
        """Upcoming sessions: fuller the sooner they are; the first two mandatory sessions full
        with a waiting list; the demo officer booked; three of the demo team left to book."""
        upcoming = sorted(
            (s for s in sessions if s.starts_at > self.now), key=lambda s: s.starts_at
        )
        skip = set(self.untrained_demo)
        full = [s for s in upcoming if s.course.title == MANDATORY][:2] if fill_first else []
        officer = DEMO_PEOPLE[1][1]
        for session in upcoming:
            title = session.course.title
            weeks_away = (session.starts_at - self.now).days // 7
            pool = [c for c in needing.get(title, police) if c not in skip and c != officer]
            pool = [c for c in pool if self._free(session, c)]
            if session in full:
                if session is full[-1] and officer in trainees and self._free(session, officer):
                    self._book(session, trainees[officer], Booking.Status.BOOKED, rng)
                places = session.capacity - self.taken[session.pk]
                chosen = rng.sample(pool, min(len(pool), places + 3))
                for i, collar in enumerate(chosen):
                    status = Booking.Status.BOOKED if i < places else Booking.Status.WAITING
                    self._book(session, trainees[collar], status, rng)
            else:
                share = max(0.15, 0.8 - 0.1 * weeks_away)
                count = int(session.capacity * share * rng.uniform(0.7, 1.1))
                count = min(len(pool), count, session.capacity - self.taken[session.pk])
                for collar in rng.sample(pool, count):
                    self._book(session, trainees[collar], Booking.Status.BOOKED, rng)
            if title in needing:
                booked = self.on[session.pk]
                needing[title] = [c for c in needing[title] if c not in booked]

    def _start(self, sessions: list[Session]) -> None:
        self.taken = {s.pk: 0 for s in sessions}
        self.on: dict[int, set[str]] = {s.pk: set() for s in sessions}
        self.new: list[Booking] = []

    def _police(self, trainees) -> list[str]:
        return [c for c in sorted(trainees) if self.role_of[c] in (PC, DC, SGT, PCSO)]

    def _free(self, session: Session, collar: str) -> bool:
        return collar not in self.on[session.pk]

    def _book(self, session: Session, trainee: Trainee, status: str, rng) -> None:
        joined = session.starts_at - datetime.timedelta(
            days=rng.randint(7, 42), hours=rng.randint(0, 8)
        )
        joined = min(joined, self.now - datetime.timedelta(minutes=rng.randint(5, 600)))
        booked_by = self.coordinator
        if self.team_of.get(trainee.collar_number) == (DEMO_AREA, DEMO_TEAM):
            booked_by = self.users["supervisor"]
        booking = Booking(
            session=session,
            trainee=trainee,
            status=status,
            booked_by=booked_by,
            joined_at=joined,
            placed_at=None if status == Booking.Status.WAITING else joined,
        )
        if status == Booking.Status.CANCELLED:
            booking.cancelled_at = joined + datetime.timedelta(days=2)
            booking.cancelled_by = booked_by
            booking.cancellation_reason = "Rest day cancelled: on duty (demo)."
        if status in (Booking.Status.ATTENDED, Booking.Status.ABSENT):
            booking.attendance_recorded_at = session.starts_at + datetime.timedelta(
                minutes=session.course.duration_minutes + 30
            )
            booking.attendance_recorded_by = session.trainer or self.coordinator
            if status == Booking.Status.ATTENDED:
                self.attended.add((trainee.collar_number, session.course.title))
        if status in Booking.HOLDS_PLACE:
            self.taken[session.pk] += 1
        if status != Booking.Status.CANCELLED:
            self.on[session.pk].add(trainee.collar_number)
        self.new.append(booking)

    # Champions and CPD -------------------------------------------------------------------

    def pick_champions(self) -> None:
        """Two to four champions in each area, one of them the demo champion."""
        rng = random.Random("demonshire-champions")  # noqa: S311
        picks = [(DEMO_PEOPLE[2][1], Champion.Level.CHAMPION)]
        for area, _, _ in AREAS:
            pool = sorted(
                c
                for c, a in self.area_of.items()
                if a == area
                and self.role_of[c] in (PC, DC)
                and self.team_of[c] != (DEMO_AREA, DEMO_TEAM)
            )
            count = rng.randint(2, 4) - (1 if area == DEMO_AREA else 0)
            for collar in rng.sample(pool, count):
                level = Champion.Level.ENHANCED if rng.random() < 0.35 else Champion.Level.CHAMPION
                picks.append((collar, level))
        self.champion_picks = picks
        self.demo_collars = {collar for _, collar, _ in DEMO_PEOPLE}

    def champions(self, trainees) -> int:
        rng = random.Random("demonshire-appointed")  # noqa: S311
        have = set(
            Champion.objects.filter(
                trainee__collar_number__in=[c for c, _ in self.champion_picks]
            ).values_list("trainee__collar_number", flat=True)
        )
        new = []
        for i, (collar, level) in enumerate(self.champion_picks):
            appointed = self.monday - datetime.timedelta(days=rng.randint(60, 900))
            if collar in have:
                continue
            new.append(
                Champion(
                    trainee=trainees[collar],
                    level=level,
                    appointed_on=appointed,
                    # One champion stood down last spring, to show the register keeps them.
                    stood_down_on=appointed + datetime.timedelta(days=30) if i == 5 else None,
                    notes="Speaks Polish." if i == 2 else "",
                )
            )
        Champion.objects.bulk_create(new)
        return len(new)

    def cpd(self) -> int:
        rng = random.Random("demonshire-cpd")  # noqa: S311
        staff = [self.users[u] for u in ("coordinator", "tactical_lead", "solicitor", "isac")]
        keeping = set(
            CPDEntry.objects.filter(user__in=staff).values_list("user_id", flat=True).distinct()
        )
        new = []
        for user in staff:
            if user.pk in keeping:
                continue
            for days, kind, title, provider, hours in rng.sample(CPD_ENTRIES, 6):
                new.append(
                    CPDEntry(
                        user=user,
                        done_on=self.today - datetime.timedelta(days=days + rng.randint(0, 20)),
                        kind=kind,
                        title=title,
                        provider=provider,
                        hours=decimal.Decimal(hours),
                        reflection="Demo reflection (fictional): what I learnt and how I will "
                        "use it with victims and partner agencies.",
                    )
                )
        CPDEntry.objects.bulk_create(new)
        return len(new)


def seed(command) -> None:
    usernames = ["coordinator", "tactical_lead", "solicitor", "isac"]
    usernames += [username for username, _, _ in DEMO_PEOPLE]
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    if len(users) < len(usernames):
        command.stdout.write("Training demo data: the demo users are missing.")
        return
    s = _Seeder(users)
    roles = s.roles()
    teams = s.areas_and_teams()
    trainees = s.roster(roles, teams)
    s.link_demo_logins()
    courses = s.courses(roles)
    s.pick_champions()
    plan = s.plan(trainees)
    # Seeded before: only the future sessions that have come into range are new.
    already = Session.objects.filter(course__in=courses.values()).exists()
    sessions = s.sessions(courses, future_only=already)
    if already:
        booked = s.later_bookings(trainees, sessions, plan)
    else:
        booked = s.bookings(trainees, courses, sessions, plan)
    champions = s.champions(trainees)
    cpd = s.cpd()
    command.stdout.write(
        f"Training demo data: {len(trainees)} officers in {len(teams)} teams; new: "
        f"{len(sessions)} sessions, {booked} bookings, {champions} champions, "
        f"{cpd} CPD entries."
    )
