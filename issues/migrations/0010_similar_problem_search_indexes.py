"""Similar problems and the stemmed search (issue 17): on PostgreSQL, pg_trgm for the trigram
similarity of the masalah, and GIN indexes for it and for the full-text vectors of the masalah
and of the search column with the 'indonesian' configuration. The expressions match what
issues/similarity.py and ProblemQuerySet.search build, so the planner uses them. SQLite has
neither: the similarity is computed in Python there (docs/decisions.md)."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations


def indexes():
    return [
        GinIndex(fields=["statement"], opclasses=["gin_trgm_ops"], name="problem_statement_trgm"),
        GinIndex(SearchVector("statement", config="indonesian"), name="problem_statement_fts"),
        GinIndex(SearchVector("search_text", config="indonesian"), name="problem_search_fts"),
    ]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    problem = apps.get_model("issues", "Problem")
    for index in indexes():
        schema_editor.add_index(problem, index)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    problem = apps.get_model("issues", "Problem")
    for index in indexes():
        schema_editor.remove_index(problem, index)


class Migration(migrations.Migration):
    dependencies = [("issues", "0009_potential_and_factors")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
