"""A known fact cites at least one source, checked by the database at commit.

A CHECK constraint cannot see a many-to-many table, and a fact is saved before its links, so
these are deferred constraint triggers: on a fact written and on a link removed, they check
when the transaction commits that the fact (if it still exists and needs one) has a source.
They replace the CHECK constraints on the URL arrays that migration 0010 removed."""

from django.db import migrations

CREATE_FUNCTION = """
CREATE FUNCTION compare_fact_cited() RETURNS trigger AS $$
DECLARE
    facts text := TG_ARGV[0];
    links text := TG_ARGV[1];
    fact_column text := TG_ARGV[2];
    needs_source text := TG_ARGV[3];
    fact_id bigint;
    uncited boolean;
BEGIN
    IF TG_TABLE_NAME = links THEN
        fact_id := (to_jsonb(OLD) ->> fact_column)::bigint;
    ELSE
        fact_id := NEW.id;
    END IF;
    EXECUTE format(
        'SELECT EXISTS (SELECT 1 FROM %I fact WHERE fact.id = $1 AND (%s) '
        'AND NOT EXISTS (SELECT 1 FROM %I link WHERE link.%I = fact.id))',
        facts, needs_source, links, fact_column
    ) INTO uncited USING fact_id;
    IF uncited THEN
        RAISE EXCEPTION '% % has no source', facts, fact_id
            USING ERRCODE = 'check_violation', CONSTRAINT = facts || '_cited';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""
DROP_FUNCTION = "DROP FUNCTION IF EXISTS compare_fact_cited();"

# (model, the SQL condition under which one of its rows needs a source)
CITED_FACTS = [
    ("hypervisor", "true"),
    ("rating", "true"),
    ("support", "fact.level <> 'unknown'"),
    ("offer", "true"),
]


def triggers(model: str, needs_source: str) -> tuple[str, str]:
    facts, links = f"compare_{model}", f"compare_{model}_references"
    quoted_condition = needs_source.replace("'", "''")
    arguments = f"'{facts}', '{links}', '{model}_id', '{quoted_condition}'"
    create = f"""
CREATE CONSTRAINT TRIGGER {facts}_cited AFTER INSERT OR UPDATE ON {facts}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION compare_fact_cited({arguments});
CREATE CONSTRAINT TRIGGER {links}_kept AFTER DELETE ON {links}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION compare_fact_cited({arguments});
"""
    drop = f"""
DROP TRIGGER IF EXISTS {facts}_cited ON {facts};
DROP TRIGGER IF EXISTS {links}_kept ON {links};
"""
    return create, drop


class Migration(migrations.Migration):
    dependencies = [("compare", "0013_suggestion_editors")]

    operations = [
        migrations.RunSQL(CREATE_FUNCTION, DROP_FUNCTION),
        *(migrations.RunSQL(*triggers(model, needs)) for model, needs in CITED_FACTS),
    ]
