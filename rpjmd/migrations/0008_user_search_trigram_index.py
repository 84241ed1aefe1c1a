"""On PostgreSQL, a trigram index serves the central administrator's search of users (issue 15):
without it, every search reads all the users (12,000 at national scale). Django's admin searches
each of UserAdmin.search_fields with `UPPER(col::text) LIKE UPPER('%word%')`, so the index holds
exactly those expressions; any other would not be used. Optional, as the problem search's
(issues 0002): without the right to create pg_trgm the search works the same, by a scan. SQLite
is left alone; the index is not in the model's Meta, which SQLite could not create."""

from django.db import DatabaseError, migrations, transaction

INDEX = "user_search_trgm"
COLUMNS = ["username", "full_name", "email", "position"]  # UserAdmin.search_fields


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
        expressions = ", ".join(f'UPPER("{column}"::text) gin_trgm_ops' for column in COLUMNS)
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON rpjmd_user USING gin ({expressions})"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("rpjmd", "0007_user_name_order")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
