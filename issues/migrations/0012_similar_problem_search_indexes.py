"""Similar problems and the stemmed search (issue 17). On PostgreSQL: pg_trgm, the masalah's
stored full-text vector ('indonesian' configuration, filled here for existing problems and kept
by Problem.update_search_text), and GIN indexes on it, on the masalah's trigrams and on the
vector of the search column (the expression ProblemQuerySet.search builds). SQLite gets the
column only and leaves it empty: similarity is computed in Python there (docs/decisions.md)."""

import django.contrib.postgres.search
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations


def indexes():
    return [
        GinIndex(fields=["statement"], opclasses=["gin_trgm_ops"], name="problem_statement_trgm"),
        GinIndex(fields=["statement_vector"], name="problem_statement_fts"),
        GinIndex(SearchVector("search_text", config="indonesian"), name="problem_search_fts"),
    ]


class TrigramExtensionKept(TrigramExtension):
    # Never dropped going backwards: 0002 may have created pg_trgm already, and its search
    # index depends on it (Django's CreateExtension would also ask pg_extension on SQLite).
    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        return


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    problem = apps.get_model("issues", "Problem")
    problem.objects.update(statement_vector=SearchVector("statement", config="indonesian"))
    for index in indexes():
        schema_editor.add_index(problem, index)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    problem = apps.get_model("issues", "Problem")
    for index in indexes():
        schema_editor.remove_index(problem, index)


class Migration(migrations.Migration):
    dependencies = [("issues", "0011_potential_and_factors")]

    operations = [
        TrigramExtensionKept(),
        migrations.AddField(
            model_name="problem",
            name="statement_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
