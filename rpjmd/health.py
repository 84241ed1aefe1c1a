"""The database probe behind /health/ and `manage.py healthcheck` (the one place with raw SQL,
allow-listed in .semgrep/no-raw-sql.yml)."""

from django.db import DatabaseError, connection


def database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True
