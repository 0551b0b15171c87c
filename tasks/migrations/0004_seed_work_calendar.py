"""Seed the working-day calendar from the chinesecalendar package (its data covers 2004–2026).

Later years are entered by office admins (or by `manage.py seed_calendar` after a package upgrade).
"""
from django.db import migrations


def seed(apps, schema_editor):
    from tasks.workdays import seed_from_package

    seed_from_package(apps.get_model("tasks", "CalendarDay"), apps.get_model("tasks", "CalendarYear"))


def unseed(apps, schema_editor):
    apps.get_model("tasks", "CalendarDay").objects.all().delete()
    apps.get_model("tasks", "CalendarYear").objects.filter(source="package").delete()


class Migration(migrations.Migration):

    dependencies = [
        ("tasks", "0003_calendar_chase_notification"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
