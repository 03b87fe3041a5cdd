"""The SQL the police log importer sends, and the column lists it is built from.

Every statement here is put together from the constants in this module only: nothing read from a
file reaches the SQL text (values travel as ``COPY`` data or as query parameters).

``COPY`` uses PostgreSQL's text format with the unit separator ``SEP`` as delimiter: text hardly
ever contains it, so most rows need no escaping at all (``parse`` escapes a value that does).
"""

SEP = "\x1f"
COPY_OPTIONS = "WITH (FORMAT text, DELIMITER E'\\x1f')"

# The columns of an entry's COPY line, in order. The parser writes the first twelve from the row
# and ends every line with the same three (updated_at, first_import_id, last_import_id).
ENTRY_COLUMNS = (
    "log_ref",
    "crime_ref",
    "recorded_at",
    "offence_code",
    "offence",
    "flags",
    "victim_ref",
    "relationship",
    "officer",
    "area",
    "summary",
    "suspect_ref",
    "updated_at",
    "first_import_id",
    "last_import_id",
)
PERSON_COLUMNS = ("person_ref", "first_name", "last_name", "date_of_birth")

_ENTRY_LIST = ", ".join(ENTRY_COLUMNS)
_PERSON_LIST = ", ".join(PERSON_COLUMNS)
_UPDATED = [c for c in ENTRY_COLUMNS if c not in ("log_ref", "first_import_id")]

# What an export says about an entry: a row whose values all equal the entry's changes nothing.
_CONTENT = ENTRY_COLUMNS[1:12]
_E_CONTENT = ", ".join(f"e.{c}" for c in _CONTENT)
_X_CONTENT = ", ".join(f"x.{c}" for c in _CONTENT)
_CONTENT_LIST = ", ".join(_CONTENT)
_S_CONTENT = ", ".join(f"s.{c}" for c in _CONTENT)
_NEW_CONTENT = ", ".join(f"EXCLUDED.{c}" for c in _CONTENT)

COPY_ENTRIES = f"COPY referrals_logentry ({_ENTRY_LIST}) FROM STDIN {COPY_OPTIONS}"
COPY_STAGING = f"COPY police_log_staging ({_ENTRY_LIST}) FROM STDIN {COPY_OPTIONS}"
COPY_PEOPLE = f"COPY police_log_people ({_PERSON_LIST}) FROM STDIN {COPY_OPTIONS}"

# Unchanged rows are compared column by column in PostgreSQL: cheaper than hashing every row in
# Python on the way in (1.8 s of a million-row import, measured).
_MERGE = f"""
    WITH changed AS (
        INSERT INTO referrals_logentry AS e ({_ENTRY_LIST})
        SELECT {_ENTRY_LIST} FROM police_log_staging s
        WHERE NOT EXISTS (
            SELECT FROM referrals_logentry x
            WHERE x.log_ref = s.log_ref AND ({_X_CONTENT}) IS NOT DISTINCT FROM ({_S_CONTENT})
        )
        ON CONFLICT (log_ref) DO UPDATE SET {", ".join(f"{c} = EXCLUDED.{c}" for c in _UPDATED)}
        WHERE ({_E_CONTENT}) IS DISTINCT FROM ({_NEW_CONTENT})
        RETURNING (e.xmax = 0) AS inserted, e.suspect_ref, e.victim_ref
    )
"""  # noqa: S608
MERGE_COUNTS = (
    _MERGE + "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) "
    "FROM changed"
)
MERGE_PAIRS = (
    _MERGE + "SELECT inserted, suspect_ref, victim_ref, count(*) FROM changed GROUP BY 1, 2, 3"  # noqa: S608
)
# Rows with the same log_ref in file (id) order: all but the last go; each counts as the merge
# would have counted it, as an update of the row before, or unchanged if it is the same.
DEDUPLICATE = f"""
    WITH repeated AS (
        SELECT id, content,
            lag(content) OVER (PARTITION BY log_ref ORDER BY id) AS previous,
            row_number() OVER (PARTITION BY log_ref ORDER BY id DESC) AS from_last
        FROM (SELECT id, log_ref, md5(ROW({_CONTENT_LIST})::text) AS content
            FROM referrals_logentry) entries
        WHERE log_ref IN (
            SELECT log_ref FROM referrals_logentry GROUP BY log_ref HAVING count(*) > 1
        )
    ), gone AS (
        DELETE FROM referrals_logentry e USING repeated r WHERE e.id = r.id AND r.from_last > 1
    )
    SELECT count(*) FILTER (WHERE previous <> content),
        count(*) FILTER (WHERE previous = content)
    FROM repeated
"""  # noqa: S608
CREATE_STAGING = (
    "CREATE TEMP TABLE police_log_staging ON COMMIT DROP AS"  # noqa: S608
    f" SELECT {_ENTRY_LIST} FROM referrals_logentry WITH NO DATA"
)
CREATE_PEOPLE = (
    "CREATE TEMP TABLE police_log_people ON COMMIT DROP AS"  # noqa: S608
    f" SELECT {_PERSON_LIST} FROM referrals_person WITH NO DATA"
)
INSERT_PEOPLE = """
    INSERT INTO referrals_person (person_ref, first_name, last_name, date_of_birth, aliases,
        address, safe_contact, interpreter_language, communication_needs, created_at, updated_at)
    SELECT person_ref, first_name, last_name, date_of_birth, '{}', '', '', '', '', %s, %s
    FROM police_log_people
    ORDER BY person_ref
    ON CONFLICT (person_ref) DO NOTHING
"""
