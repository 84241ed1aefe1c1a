# The FGD input <-> strategic issue link moves to fgd.Input.strategic_issues (fgd 0003), which
# keeps using this table: here the field leaves the state only, the table and its rows stay.
# The link history recorded so far stays in issues_historicalstrategicissue_fgd_inputs (read
# it with SQL); merges and splits still record the inputs they move in IssueChange.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0007_strategic_issue_adoption_reason"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="strategicissue", name="fgd_inputs"),
                migrations.DeleteModel(name="HistoricalStrategicIssue_fgd_inputs"),
            ],
            database_operations=[],
        ),
    ]
