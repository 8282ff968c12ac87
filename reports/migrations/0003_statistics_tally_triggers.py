"""PostgreSQL triggers that keep the statistics tally in step with the registrations.

Every change to a registration, its forms of exploitation or its cases calls
``reports_tally_refresh(registration)``, which recomputes what that registration adds to the
tally (``reports_registration_items``), compares it with what it added before
(``reports_talliedregistration``) and appends the difference to ``reports_tallychange``, in the
same transaction. Recomputing from the current rows makes the refresh idempotent: it does not
matter how often, or in which order within a statement, it runs.

The rules mirror reports.aggregates (COUNTED_STATUSES, the dimensions' raw columns, forms
counted once per registration and code or '' without a form, a case's shelter and care with
'unknown' for blank and 'no_case' without a case); tests/reports/test_tally.py compares the
tally with the live count after every kind of change.

Other databases (SQLite, development and tests) have no triggers: reports.aggregates counts
there live, as before.
"""

from django.db import migrations

COUNTED = "('accepted', 'merged')"

FUNCTIONS = f"""
-- PL/pgSQL rather than SQL: a SQL function called on its own is planned again at every call
-- (about 1.5 ms), a PL/pgSQL statement once per session.
CREATE OR REPLACE FUNCTION reports_registration_items(reg uuid) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT string_agg(item, chr(30) ORDER BY item) FROM (
        SELECT unnest(ARRAY[
            'total' || chr(31),
            'person_gender' || chr(31) || coalesce(r.person_gender, ''),
            'age_at_registration' || chr(31) || coalesce(r.age_at_registration::text, ''),
            'person_nationality' || chr(31) || coalesce(r.person_nationality, ''),
            'sector' || chr(31) || coalesce(r.sector, ''),
            'scope' || chr(31) || coalesce(r.scope, ''),
            'reporter_type' || chr(31) || coalesce(r.reporter_type, ''),
            'region_id' || chr(31) || coalesce(r.region_id::text, ''),
            'file_type' || chr(31) || coalesce(r.file_type, '')
        ]) AS item
        FROM registry_registration r WHERE r.id = reg
        UNION ALL
        SELECT 'form' || chr(31) || coalesce(f.formofexploitation_id, '')
        FROM registry_registration r
        LEFT JOIN registry_registration_exploitation_forms f ON f.registration_id = r.id
        WHERE r.id = reg
        UNION
        SELECT 'shelter_placed' || chr(31) || CASE WHEN c.id IS NULL THEN 'no_case'
            WHEN c.shelter_placed = '' THEN 'unknown' ELSE c.shelter_placed END
        FROM registry_registration r LEFT JOIN registry_case c ON c.registration_id = r.id
        WHERE r.id = reg
        UNION
        SELECT 'care_received' || chr(31) || CASE WHEN c.id IS NULL THEN 'no_case'
            WHEN c.care_received = '' THEN 'unknown' ELSE c.care_received END
        FROM registry_registration r LEFT JOIN registry_case c ON c.registration_id = r.id
        WHERE r.id = reg
    ) AS items);
END
$$;

CREATE OR REPLACE FUNCTION reports_tally_refresh(reg uuid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    old_day date;
    old_items text;
    new_day date;
    new_items text;
BEGIN
    IF reg IS NULL THEN
        RETURN;
    END IF;
    SELECT day, items INTO old_day, old_items
    FROM reports_talliedregistration WHERE registration_id = reg FOR UPDATE;
    SELECT r.registered_on, reports_registration_items(r.id) INTO new_day, new_items
    FROM registry_registration r WHERE r.id = reg AND r.status IN {COUNTED};
    IF old_day IS NOT DISTINCT FROM new_day AND old_items IS NOT DISTINCT FROM new_items THEN
        RETURN;
    END IF;
    INSERT INTO reports_tallychange (day, dimension, value, n)
    SELECT day, split_part(item, chr(31), 1), split_part(item, chr(31), 2), sum(sign)
    FROM (
        SELECT old_day AS day, unnest(string_to_array(old_items, chr(30))) AS item, -1 AS sign
        WHERE old_items IS NOT NULL
        UNION ALL
        SELECT new_day, unnest(string_to_array(new_items, chr(30))), 1
        WHERE new_items IS NOT NULL
    ) AS changes
    GROUP BY 1, 2, 3
    HAVING sum(sign) <> 0;
    IF new_items IS NULL THEN
        DELETE FROM reports_talliedregistration WHERE registration_id = reg;
    ELSE
        INSERT INTO reports_talliedregistration (registration_id, day, items)
        VALUES (reg, new_day, new_items)
        ON CONFLICT (registration_id) DO UPDATE SET day = excluded.day, items = excluded.items;
    END IF;
END
$$;

-- TG_ARGV[0] names the column holding the registration's id.
CREATE OR REPLACE FUNCTION reports_tally_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_reg uuid;
    new_reg uuid;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_reg := (to_jsonb(OLD) ->> TG_ARGV[0])::uuid;
        PERFORM reports_tally_refresh(old_reg);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_reg := (to_jsonb(NEW) ->> TG_ARGV[0])::uuid;
        IF new_reg IS DISTINCT FROM old_reg THEN
            PERFORM reports_tally_refresh(new_reg);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

-- Folds the appended changes into the tally. One compaction at a time; returns the number
-- of changes folded (0 when another compaction holds the lock).
CREATE OR REPLACE FUNCTION reports_tally_compact() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    folded bigint;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('reports_tally_compact')) THEN
        RETURN 0;
    END IF;
    WITH moved AS (
        DELETE FROM reports_tallychange RETURNING day, dimension, value, n
    ), summed AS (
        SELECT day, dimension, value, sum(n)::integer AS n, count(*) AS changes
        FROM moved GROUP BY day, dimension, value
    ), merged AS (
        INSERT INTO reports_tally AS t (day, dimension, value, n)
        SELECT day, dimension, value, n FROM summed WHERE n <> 0
        ORDER BY day, dimension, value
        ON CONFLICT (day, dimension, value) DO UPDATE SET n = t.n + excluded.n
    )
    SELECT coalesce(sum(changes), 0) INTO folded FROM summed;
    DELETE FROM reports_tally WHERE n = 0;
    RETURN folded;
END
$$;

-- Recomputes the whole tally from the registrations (after a bulk load with triggers off).
CREATE OR REPLACE FUNCTION reports_tally_rebuild() RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    counted bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('reports_tally_compact'));
    LOCK TABLE reports_talliedregistration, reports_tallychange, reports_tally
        IN EXCLUSIVE MODE;
    DELETE FROM reports_tallychange;
    DELETE FROM reports_talliedregistration;
    DELETE FROM reports_tally;
    INSERT INTO reports_talliedregistration (registration_id, day, items)
    SELECT r.id, r.registered_on, reports_registration_items(r.id)
    FROM registry_registration r WHERE r.status IN {COUNTED};
    GET DIAGNOSTICS counted = ROW_COUNT;
    INSERT INTO reports_tally (day, dimension, value, n)
    SELECT day, split_part(item, chr(31), 1), split_part(item, chr(31), 2), count(*)
    FROM (
        SELECT day, unnest(string_to_array(items, chr(30))) AS item
        FROM reports_talliedregistration
    ) AS items
    GROUP BY 1, 2, 3;
    RETURN counted;
END
$$;
"""

TRIGGERS = [
    ("reports_tally_registration", "AFTER INSERT OR DELETE ON registry_registration", "", "id"),
    (
        "reports_tally_registration_update",
        "AFTER UPDATE ON registry_registration",
        "WHEN (OLD.status IS DISTINCT FROM NEW.status"
        " OR OLD.registered_on IS DISTINCT FROM NEW.registered_on"
        " OR OLD.person_gender IS DISTINCT FROM NEW.person_gender"
        " OR OLD.age_at_registration IS DISTINCT FROM NEW.age_at_registration"
        " OR OLD.person_nationality IS DISTINCT FROM NEW.person_nationality"
        " OR OLD.sector IS DISTINCT FROM NEW.sector"
        " OR OLD.scope IS DISTINCT FROM NEW.scope"
        " OR OLD.reporter_type IS DISTINCT FROM NEW.reporter_type"
        " OR OLD.region_id IS DISTINCT FROM NEW.region_id"
        " OR OLD.file_type IS DISTINCT FROM NEW.file_type)",
        "id",
    ),
    (
        "reports_tally_form",
        "AFTER INSERT OR UPDATE OR DELETE ON registry_registration_exploitation_forms",
        "",
        "registration_id",
    ),
    ("reports_tally_case", "AFTER INSERT OR DELETE ON registry_case", "", "registration_id"),
    (
        "reports_tally_case_update",
        "AFTER UPDATE ON registry_case",
        "WHEN (OLD.registration_id IS DISTINCT FROM NEW.registration_id"
        " OR OLD.shelter_placed IS DISTINCT FROM NEW.shelter_placed"
        " OR OLD.care_received IS DISTINCT FROM NEW.care_received)",
        "registration_id",
    ),
]

TRIGGER_TABLES = {
    "reports_tally_registration": "registry_registration",
    "reports_tally_registration_update": "registry_registration",
    "reports_tally_form": "registry_registration_exploitation_forms",
    "reports_tally_case": "registry_case",
    "reports_tally_case_update": "registry_case",
}


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS)
    for name, when, condition, column in TRIGGERS:
        schema_editor.execute(
            f"CREATE TRIGGER {name} {when} FOR EACH ROW {condition} "
            f"EXECUTE FUNCTION reports_tally_changed('{column}')"
        )
    # Existing registrations (the migration runs once, before the first page view).
    schema_editor.execute("SELECT reports_tally_rebuild()")


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in TRIGGER_TABLES.items():
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    for function in (
        "reports_tally_changed()",
        "reports_tally_refresh(uuid)",
        "reports_registration_items(uuid)",
        "reports_tally_compact()",
        "reports_tally_rebuild()",
    ):
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {function}")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_statistics_tally"),
        ("registry", "0004_statsfast_person_fields_on_registration"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
