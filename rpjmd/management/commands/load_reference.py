from django.core.management.base import BaseCommand

from rpjmd.reference import load_reference


class Command(BaseCommand):
    help = (
        "Muat data referensi (bidang urusan, prioritas nasional, TPB/SDGs, data Kukar); idempoten."
    )

    def handle(self, *args, **options):
        report = load_reference()
        for label in sorted(set(report.created) | set(report.present)):
            created, present = report.created.get(label, 0), report.present.get(label, 0)
            self.stdout.write(f"{label}: {created} baru, {present} sudah ada")
