# fgd.Input.strategic_issues takes over the table of the former StrategicIssue.fgd_inputs
# (issues 0004): same table, same columns (input_id, strategicissue_id), same rows. Nothing
# changes in the database.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("fgd", "0005_official_record_addendum"),
        ("issues", "0008_fgd_input_link_moves_to_fgd"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="input",
                    name="strategic_issues",
                    field=models.ManyToManyField(
                        blank=True,
                        db_table="issues_strategicissue_fgd_inputs",
                        related_name="fgd_inputs",
                        to="issues.strategicissue",
                        verbose_name="isu strategis",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
