"""On PostgreSQL, a trigram index makes the problem search (`search_text LIKE '%word%'`) use an
index for selective words. Optional: without the pg_trgm extension (or the right to create it)
the search works the same, by a sequential scan. SQLite is left alone."""

from django.db import DatabaseError, migrations, transaction

INDEX = "problem_search_trgm"


def create_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError:
            return  # not allowed to create extensions here: keep the plain scan
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON issues_problem "
            "USING gin (search_text gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("issues", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
