"""manage.py applications_table --year YEAR --unit UNIT: 表三 and 表四 counted from the register, as JSON.

Prints {"table3": [[7 numbers] × 25 rows], "table4": [15 numbers]} in the official order of the annual
report (rows 一 新收, 二 上年结转, （一）…（六）'s 22 results, （七）总计, 四 结转下年度; columns 自然人, 商业企业,
科研机构, 社会公益组织, 法律服务机构, 其他, 总计; 表四: 行政复议, 未经复议直接起诉, 复议后起诉 × 维持, 纠正,
其他, 尚未审结, 总计).
"""
import json
import sys

from django.core.management.base import BaseCommand

from disclosure.management.commands._common import resolve_unit
from disclosure.services import annual_tables


class Command(BaseCommand):
    help = "按登记簿计算年度报告表三、表四，输出 JSON。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="报告年度")
        parser.add_argument("--unit", required=True, help="单位（简称、全称、别名或编号）")

    def handle(self, *args, **options):
        unit = resolve_unit(options["unit"])
        if unit is None:
            self.stderr.write(f"找不到单位“{options['unit']}”：请使用单位名录中的简称、全称或别名")
            sys.exit(1)
        self.stdout.write(json.dumps(annual_tables(year=options["year"], unit=unit)))
