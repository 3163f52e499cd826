"""The name search (LIKE '% key%') cannot use a B-tree: drop that index, and on PostgreSQL
add a trigram index, which makes the search an index scan.

SQLite has no such index; there the search scans the table, which stays quick at the size of
one office's caseload. pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may
create it. If this fails for want of rights, ask the administrator to run
``CREATE EXTENSION pg_trgm;`` in the database, then migrate again.
"""

from django.db import migrations, models

INDEX = "registry_person_name_keys_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON registry_person USING gin (name_keys gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="name_keys",
            field=models.CharField(blank=True, editable=False, max_length=1000),
        ),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
