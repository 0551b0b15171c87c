"""On PostgreSQL, let the database itself refuse UPDATE and DELETE on audit rows (TRUNCATE still works
for test teardown and for a deliberate, privileged purge)."""
from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION govopen_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'units_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER units_auditevent_append_only BEFORE UPDATE OR DELETE ON units_auditevent
    FOR EACH ROW EXECUTE FUNCTION govopen_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS units_auditevent_append_only ON units_auditevent;
DROP FUNCTION IF EXISTS govopen_audit_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("units", "0002_auditevent"),
    ]

    operations = [
        migrations.RunPython(create_trigger, drop_trigger),
    ]
