"""Fill the holiday table from the installed chinesecalendar package: `manage.py seed_calendar [--year 2027]`.

Years already in the table are left alone (office admins' corrections stay); run it after upgrading the
package to a version that covers a new year, or after the table was emptied (e.g. by `flush`).
"""
from django.core.management.base import BaseCommand, CommandError

from workflow.calendar import package_years, seed_from_package
from workflow.models import CalendarDay, CalendarYear


class Command(BaseCommand):
    help = "从 chinesecalendar 数据包导入节假日与调休安排（已录入的年度不变）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help="只导入该年度，可重复")

    def handle(self, *args, **options):
        available = package_years()
        years = options["year"] or available
        missing = [y for y in years if y not in available]
        if missing:
            raise CommandError(f"数据包中没有{'、'.join(map(str, missing))}年的节假日安排"
                               f"（数据包覆盖{available[0]}—{available[-1]}年），请在“节假日与调休”页面手工录入。")
        added = seed_from_package(CalendarDay, CalendarYear, years=years)
        if added:
            self.stdout.write(f"已导入：{'、'.join(f'{y}年' for y in added)}。")
        else:
            self.stdout.write("没有需要导入的年度（均已录入）。")
