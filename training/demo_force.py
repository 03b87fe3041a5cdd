"""The fictional Demonshire force and its training programme, as the training demo data
(``training/demo.py``) seeds them: the areas and teams with their roles, the names officers are
given, the clinic's courses, the week-by-week timetable of sessions, and the CPD entries of the
clinic's staff. Everything here is fixed, so that seeding again finds the same rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .models import Course, CPDEntry

PC, PCSO, SGT, INSP = "Police constable", "PCSO", "Sergeant", "Inspector"
DC, CALL, CRS = "Detective constable", "Call handler", "Control room supervisor"
PREFIX = {PC: "PC", PCSO: "CSO", SGT: "PS", INSP: "IN", DC: "DC", CALL: "CH", CRS: "CR"}

# Each area's teams: (name, [(job role, how many)]); the first role listed is the team's
# supervisor (a sergeant, or in the control room its supervisors), who supervises the rest.
_NEIGHBOURHOOD = [(SGT, 1), (PC, 6), (PCSO, 4)]
_RESPONSE = [(SGT, 1), (PC, 12)]
_CID = [(SGT, 1), (DC, 7)]
AREAS = [
    (
        "Northgate",
        0.78,
        [
            ("Neighbourhood team North", [(SGT, 1), (PC, 6), (PCSO, 2)]),
            ("Neighbourhood team South", _NEIGHBOURHOOD),
            ("Response team A", _RESPONSE),
            ("Response team B", _RESPONSE),
            ("CID", _CID),
            ("Force control room", [(CRS, 2), (CALL, 18)]),
        ],
    ),
    (
        "Eastmoor",
        0.80,
        [
            ("Neighbourhood team Town", _NEIGHBOURHOOD),
            ("Neighbourhood team Rural", _NEIGHBOURHOOD),
            ("Response team A", _RESPONSE),
            ("Response team B", _RESPONSE),
            ("CID", _CID),
        ],
    ),
    (
        "Southwick",
        0.66,
        [
            ("Neighbourhood team", _NEIGHBOURHOOD),
            ("Response team A", _RESPONSE),
            ("Response team B", _RESPONSE),
            ("CID", _CID),
        ],
    ),
    (
        "Westbridge",
        0.72,
        [
            ("Neighbourhood team East", _NEIGHBOURHOOD),
            ("Neighbourhood team West", _NEIGHBOURHOOD),
            ("Response team A", _RESPONSE),
            ("Response team B", _RESPONSE),
            ("CID", _CID),
        ],
    ),
    (
        "Highfell",
        0.74,
        [
            ("Neighbourhood team", _NEIGHBOURHOOD),
            ("Rural crime team", [(SGT, 1), (PC, 5)]),
            ("Response team", _RESPONSE),
            ("CID", _CID),
        ],
    ),
    (
        "Lowmarsh",
        0.80,
        [
            ("Neighbourhood team Harbour", _NEIGHBOURHOOD),
            ("Neighbourhood team Town", _NEIGHBOURHOOD),
            ("Response team A", _RESPONSE),
            ("Response team B", _RESPONSE),
            ("CID", _CID),
        ],
    ),
]
DEMO_AREA, DEMO_TEAM = "Northgate", "Neighbourhood team North"
# The demo logins' own entries on the officer list, in the order the demo team is generated.
DEMO_PEOPLE = [
    ("supervisor", "PS1001", "Sam Demo-Sergeant"),
    ("officer", "PC1002", "Owen Demo-Constable"),
    ("champion", "PC1003", "Chris Demo-Champion"),
]

FIRST_NAMES = [
    "Aisha",
    "Alex",
    "Amir",
    "Amy",
    "Ben",
    "Beth",
    "Callum",
    "Chloe",
    "Dan",
    "Dev",
    "Ella",
    "Emeka",
    "Erin",
    "Faye",
    "Finn",
    "Gemma",
    "Grace",
    "Harry",
    "Hannah",
    "Imran",
    "Isaac",
    "Jade",
    "Jas",
    "Jack",
    "Kate",
    "Kieran",
    "Laura",
    "Leon",
    "Lily",
    "Luke",
    "Maya",
    "Megan",
    "Mo",
    "Nadia",
    "Nathan",
    "Niamh",
    "Olly",
    "Priya",
    "Rhys",
    "Rosa",
    "Ryan",
    "Sara",
    "Sean",
    "Sophie",
    "Tom",
    "Tara",
    "Usman",
    "Will",
    "Zoe",
]
SURNAMES = [
    "Alder",
    "Ashdown",
    "Birch",
    "Bracken",
    "Bunting",
    "Cedar",
    "Clover",
    "Dunnock",
    "Elmswood",
    "Fennel",
    "Finch",
    "Furze",
    "Gorse",
    "Hawthorn",
    "Hazel",
    "Heron",
    "Holly",
    "Juniper",
    "Kestrel",
    "Larch",
    "Linnet",
    "Maple",
    "Marram",
    "Merlin",
    "Nettle",
    "Oakes",
    "Osprey",
    "Plover",
    "Rowan",
    "Rush",
    "Sedge",
    "Sorrel",
    "Sparrow",
    "Starling",
    "Swift",
    "Tansy",
    "Teasel",
    "Thistle",
    "Wagtail",
    "Willow",
    "Woodruff",
    "Wren",
    "Yarrow",
]

MANDATORY = "Stalking and harassment (mandatory)"
FOUR = "FOUR awareness"
SUPERVISORS = "Stalking and harassment for supervisors"
ADVANCED = "Advanced stalking investigation"
DROP_IN = "Stalking clinic drop-in"
COURSES = [
    {
        "title": FOUR,
        "kind": Course.Kind.AWARENESS,
        "audience": "Control room staff: call handlers and their supervisors",
        "description": "Recognising stalking at first contact: Fixated, Obsessive, Unwanted, "
        "Repeated behaviour, the questions to ask and how to grade the call.",
        "duration_minutes": 120,
        "refresh_months": 24,
        "roles": [CALL, CRS],
    },
    {
        "title": MANDATORY,
        "kind": Course.Kind.MANDATORY,
        "audience": "Police constables, PCSOs, sergeants and detective constables",
        "description": "Stalking and harassment law (s.2, s.2A, s.4, s.4A), the S-DASH risk "
        "assessment, evidence gathering, stalking protection orders and referral to the clinic.",
        "duration_minutes": 210,
        "refresh_months": 24,
        "roles": [PC, PCSO, SGT, DC],
    },
    {
        "title": SUPERVISORS,
        "kind": Course.Kind.SUPERVISOR,
        "audience": "Sergeants and inspectors",
        "description": "Reviewing stalking investigations, risk management, when to seek a "
        "stalking protection order and supporting officers through the clinic.",
        "duration_minutes": 180,
        "refresh_months": 36,
        "roles": [SGT, INSP],
    },
    {
        "title": ADVANCED,
        "kind": Course.Kind.ADVANCED,
        "audience": "Detectives, champions and officers leading stalking investigations",
        "description": "Digital evidence, fixated threat assessment, working with the ISAC "
        "service and building a file for charge.",
        "duration_minutes": 420,
        "refresh_months": None,
        "roles": [],
    },
    {
        "title": DROP_IN,
        "kind": Course.Kind.DROP_IN,
        "audience": "Anyone with a stalking case to talk through",
        "description": "Bring a case: the clinic's coordinator and advocates advise on risk, "
        "evidence and next steps.",
        "duration_minutes": 60,
        "refresh_months": None,
        "roles": [],
    },
]

VENUES = [f"Training suite, {area} police station (demo)" for area, _, _ in AREAS]
CONTROL_ROOM_VENUE = "Control room training room, Northgate (demo)"
ONLINE = "https://meet.example.invalid/demonshire-training"
OUTSIDE_TRAINER = "Dr Alex Demo-Trainer (outside trainer)"
INVESTIGATION_TRAINER = "DS Morgan Demo-Investigator (College of Policing, demo)"

# Weeks are numbered from a fixed Monday, so a session's time depends on its calendar week,
# not on the day the seed runs.
EPOCH_MONDAY = datetime.date(2024, 1, 1)
PROGRAMME_WEEKS = 52  # the year of past sessions
HISTORY_WEEKS = 205  # older sittings of the refreshed courses (attended long enough ago)
FUTURE_WEEKS = 9  # the next two months
UNRECORDED_DAYS = 10  # the most recent sessions: attendance not yet recorded
# (month, day): no training; a session due then moves to the next working day.
HOLIDAYS = {(12, 24), (12, 25), (12, 26), (12, 31), (1, 1)}


@dataclass
class Slot:
    course: str
    weekday: int
    time: datetime.time
    trainer: str  # a demo username, or "" for an outside trainer
    trainer_name: str = ""
    online: bool = False
    venue: str = ""


def slots(week: int, *, history: bool) -> list[Slot]:
    """The sessions of calendar week ``week`` (weeks since EPOCH_MONDAY)."""
    slots = []
    venue = VENUES[(week // 2) % len(VENUES)]
    if week % (4 if history else 2) == 0:
        trainer = ["coordinator", "champion", ""][(week // 2) % 3]
        slots.append(
            Slot(
                MANDATORY,
                1,
                datetime.time(9, 30),
                trainer,
                "" if trainer else OUTSIDE_TRAINER,
                venue=venue,
            )
        )
    if week % (12 if history else 4) == 1:
        slots.append(
            Slot(FOUR, 2, datetime.time(10), "coordinator", venue=CONTROL_ROOM_VENUE, online=True)
        )
    if week % (24 if history else 8) == 3:
        slots.append(Slot(SUPERVISORS, 3, datetime.time(9, 30), "tactical_lead", venue=venue))
    if not history and week % 6 == 2:
        slots.append(
            Slot(ADVANCED, 0, datetime.time(9), "", INVESTIGATION_TRAINER, venue=VENUES[0])
        )
    if not history and week % 2 == 1:
        slots.append(Slot(DROP_IN, 4, datetime.time(12, 30), "coordinator", online=True))
    return slots


def week_of(day: datetime.date) -> int:
    return (day - EPOCH_MONDAY).days // 7


CPD_ENTRIES = [
    (12, CPDEntry.Kind.COURSE, "Understanding fixated behaviour (demo)", "Demo Trust", "3.5"),
    (40, CPDEntry.Kind.CONFERENCE, "National stalking conference (demo)", "Demo Network", "6"),
    (75, CPDEntry.Kind.READING, "Stalking risk profile: key papers (demo)", "", "2"),
    (110, CPDEntry.Kind.SUPERVISION, "Group reflective practice (demo)", "Clinic", "1.5"),
    (150, CPDEntry.Kind.SHADOWING, "Shadowing a control room shift (demo)", "Demonshire", "4"),
    (200, CPDEntry.Kind.COURSE, "Stalking protection orders update (demo)", "Demo Law", "2.5"),
    (260, CPDEntry.Kind.OTHER, "Cyberstalking webinar (demo)", "Demo Digital", "1"),
    (320, CPDEntry.Kind.COURSE, "Trauma-informed practice (demo)", "Demo Trust", "7"),
    (400, CPDEntry.Kind.CONFERENCE, "Domestic abuse forum (demo)", "Demo County Council", "3"),
]
