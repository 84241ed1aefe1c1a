from django.db import migrations, models

# Document.PRINT_SETTINGS as of this migration (historical models have no methods).
SETTINGS = (
    "kind",
    "include_closing",
    "paper",
    "reference_date",
    "appendices",
    "page_numbering",
    "running_header",
    "cover_place",
    "cover_date",
)
DATES = ("reference_date", "cover_date")


def freeze_current_settings(apps, schema_editor):
    # Snapshots taken before this change froze no settings; the document's settings today are
    # the closest record of what they printed with, and freezing them now stops later changes.
    Snapshot = apps.get_model("drafts", "Snapshot")
    for snapshot in Snapshot.objects.select_related("document"):
        settings = {name: getattr(snapshot.document, name) for name in SETTINGS}
        for name in DATES:
            if settings[name] is not None:
                settings[name] = settings[name].isoformat()
        snapshot.print_settings = settings
        snapshot.save(update_fields=["print_settings"])


class Migration(migrations.Migration):
    dependencies = [
        ("drafts", "0005_exports_in_private_storage"),
    ]

    operations = [
        migrations.AddField(
            model_name="snapshot",
            name="print_settings",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(freeze_current_settings, migrations.RunPython.noop),
    ]
