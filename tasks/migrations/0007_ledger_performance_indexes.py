"""Indexes for the pages people use every day at a million ledger rows (issue 18).

On PostgreSQL also the keyword search's index. Each item keeps, in a column of its own that the database fills
(a trigger on title and requirement; the Django model does not list it), every two-character piece (bigram) of
its title and requirement, in a GIN index: 关键词 finds the items holding a two-character Chinese word (公开,
政务) or every bigram of a longer one without reading every item. pg_trgm needs three characters to use its
index, and an index on the expression itself made the planner compute the bigrams of every row it tested.
SQLite has none of this and searches the items by LIKE.
"""
from django.db import migrations, models

BIGRAMS_SQL = [
    """CREATE OR REPLACE FUNCTION govopen_bigrams(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(DISTINCT substr(lower(t), i, 2)), '{}')
        FROM generate_series(1, char_length(t) - 1) AS i
    $$""",
    "ALTER TABLE tasks_item ADD COLUMN search_bigrams text[] NOT NULL DEFAULT '{}'",
    """CREATE OR REPLACE FUNCTION govopen_item_search_bigrams() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_bigrams := govopen_bigrams(coalesce(NEW.title, '') || ' ' || coalesce(NEW.requirement, ''));
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER item_search_bigrams BEFORE INSERT OR UPDATE OF title, requirement ON tasks_item
    FOR EACH ROW EXECUTE FUNCTION govopen_item_search_bigrams()""",
    "UPDATE tasks_item SET search_bigrams = govopen_bigrams(title || ' ' || requirement)",
    "CREATE INDEX item_search_bigrams ON tasks_item USING gin (search_bigrams)",
]
BIGRAMS_REVERSE_SQL = [
    "DROP TRIGGER IF EXISTS item_search_bigrams ON tasks_item",
    "DROP FUNCTION IF EXISTS govopen_item_search_bigrams()",
    "ALTER TABLE tasks_item DROP COLUMN IF EXISTS search_bigrams",
    "DROP FUNCTION IF EXISTS govopen_bigrams(text)",
]


def add_bigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BIGRAMS_SQL:
            schema_editor.execute(sql)


def remove_bigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BIGRAMS_REVERSE_SQL:
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('tasks', '0006_public_page_and_evidence_requirement'),
        ('units', '0002_governments'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['unit', '-year', 'notice', 'item_number', 'unit_sort_order', 'id'], name='asg_unit_ledger_order'),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(condition=models.Q(('role', 'lead')), fields=['unit', 'item'], name='asg_lead_unit_item'),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(condition=models.Q(models.Q(('status__in', ('done', 'not_applicable')), _negated=True), ('is_ongoing', False), ('is_withdrawn', False)), fields=['unit', '-year', 'due_date', 'id', 'status'], name='asg_unit_open_dated'),
        ),
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['unit', 'created_at'], name='asg_unit_created'),
        ),
        migrations.RunPython(add_bigram_index, remove_bigram_index, elidable=False),
    ]
