from django.db import connection
from django.db.models.expressions import RawSQL

from issues.models import Problem


def search(term):
    # ruleid: rpjmd-no-raw-sql
    return Problem.objects.raw(f"SELECT * FROM issues_problem WHERE title LIKE '%{term}%'")


def annotate():
    # ruleid: rpjmd-no-raw-sql
    return Problem.objects.annotate(n=RawSQL("SELECT 1", []))


def count():
    with connection.cursor() as cursor:
        # ruleid: rpjmd-no-raw-sql
        cursor.execute("SELECT count(*) FROM issues_problem")


def safe(term):
    # ok: rpjmd-no-raw-sql
    return Problem.objects.filter(title__icontains=term)
