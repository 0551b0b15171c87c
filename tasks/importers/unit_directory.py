"""A government's unit directory as a workbook (`manage.py import_units`): pure parsing, no database.

Columns (header row among the first 10 rows; left to right in any order; a header may carry a suffix such as
“企业微信机器人地址”): 单位全称, 简称 (both required as columns), 类型, 排序, 别名 (、-separated), 企业微信机器人,
钉钉机器人 (the webhook, optionally followed by a space and its 加签 secret SEC…), 钉钉加签密钥 (optional).
Any cell may be blank: a blank cell leaves an existing unit's value as it is. The file goes through the same
checks as an uploaded table first (size, zip bomb, declared sheet sizes: core.uploads / limits).
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from openpyxl import load_workbook

from core.uploads import check_office_magic, check_size, check_zip
from tasks.importers.limits import check_xlsx_sheets
from tasks.importers.result import ImportFailure
from units.models import Unit, normalise_name

REQUIRED = ("单位全称", "简称")
OPTIONAL = ("类型", "排序", "别名", "企业微信机器人", "钉钉加签密钥", "钉钉机器人")
HEADER_ROWS = 10
KIND_BY_LABEL = {label: value for value, label in Unit.Kind.choices} | {value: value for value, _ in Unit.Kind.choices}
_SECRET_RE = re.compile(r"^(\S+)\s+(SEC\S+)$")
_url = URLValidator(schemes=["http", "https"])


@dataclass
class UnitRow:
    number: int  # the row's number in the sheet
    name: str = ""
    short_name: str = ""
    kind: str = ""  # a Unit.Kind value, or "" (unchanged / default)
    sort_order: int | None = None
    aliases: list[str] = field(default_factory=list)
    wecom_robot_url: str = ""
    dingtalk_robot_url: str = ""
    dingtalk_secret: str = ""


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _header(cells: list[str]) -> dict[str, int] | None:
    """{column name: index} when this row is the header row."""
    found: dict[str, int] = {}
    for index, text in enumerate(cells):
        squashed = re.sub(r"\s+", "", text)
        for name in (*REQUIRED, *OPTIONAL):
            if squashed.startswith(name) and name not in found:
                found[name] = index
                break
    return found if "单位全称" in found else None


def _bad(row: int, column: str, what: str) -> str:
    return f"第{row}行“{column}”列{what}"


def _parse_row(number: int, cells: list[str], columns: dict[str, int], errors: list[str]) -> UnitRow | None:
    def cell(name: str) -> str:
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else ""

    if not any(cells):
        return None
    row = UnitRow(number=number, name=normalise_name(cell("单位全称")), short_name=normalise_name(cell("简称")))
    if not row.name and not row.short_name:
        errors.append(_bad(number, "单位全称", "为空（单位全称和简称至少填写一项）"))
        return None
    if len(row.name) > 100:
        errors.append(_bad(number, "单位全称", "超过100字"))
    if len(row.short_name) > 50:
        errors.append(_bad(number, "简称", "超过50字"))
    kind = cell("类型")
    if kind:
        if kind not in KIND_BY_LABEL:
            labels = "、".join(label for _, label in Unit.Kind.choices)
            errors.append(_bad(number, "类型", f"“{kind}”不是可用的类型（{labels}）"))
        row.kind = KIND_BY_LABEL.get(kind, "")
    order = cell("排序")
    if order:
        if not order.isdigit() or int(order) > 2_000_000_000:
            errors.append(_bad(number, "排序", f"“{order}”不是非负整数"))
        else:
            row.sort_order = int(order)
    aliases = [normalise_name(a) for a in re.split(r"[、，,;；]", cell("别名"))]
    row.aliases = list(dict.fromkeys(a for a in aliases if a))
    for alias in row.aliases:
        if len(alias) > 100:
            errors.append(_bad(number, "别名", f"“{alias[:20]}…”超过100字"))
    row.wecom_robot_url = cell("企业微信机器人")
    dingtalk = cell("钉钉机器人")
    match = _SECRET_RE.match(dingtalk)
    row.dingtalk_robot_url, row.dingtalk_secret = (match.group(1), match.group(2)) if match else (dingtalk, "")
    row.dingtalk_secret = cell("钉钉加签密钥") or row.dingtalk_secret
    for column, url in (("企业微信机器人", row.wecom_robot_url), ("钉钉机器人", row.dingtalk_robot_url)):
        if not url:
            continue
        try:
            _url(url)
        except ValidationError:
            errors.append(_bad(number, column, f"“{url[:40]}”不是 http(s) 网址"))
        if len(url) > 300:
            errors.append(_bad(number, column, "超过300个字符"))
    if len(row.dingtalk_secret) > 100:
        errors.append(_bad(number, "钉钉加签密钥", "超过100个字符"))
    return row


def parse_unit_directory(data: bytes) -> list[UnitRow]:
    """The workbook's unit rows; ImportFailure with one Chinese message (naming row and column) otherwise."""
    check_size(data)
    check_office_magic(data, "xlsx")
    check_zip(data)
    check_xlsx_sheets(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except MemoryError:
        raise
    except (KeyError, ValueError, zipfile.BadZipFile, TypeError, OSError) as exc:
        raise ImportFailure("文件不是有效的 Excel 工作簿（.xlsx），可能已损坏或被改名") from exc
    except Exception as exc:  # a damaged XML part
        raise ImportFailure("Excel 工作簿已损坏，无法读取") from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ImportFailure("工作簿中没有工作表")
        columns, rows, errors = None, [], []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_text(v) for v in values]
            if columns is None:
                if number > HEADER_ROWS:
                    break
                columns = _header(cells)
                if columns is not None:
                    missing = [name for name in REQUIRED if name not in columns]
                    if missing:
                        raise ImportFailure(f"第{number}行表头缺少“{'”“'.join(missing)}”列")
                continue
            row = _parse_row(number, cells, columns, errors)
            if row is not None:
                rows.append(row)
    finally:
        workbook.close()
    if columns is None:
        raise ImportFailure(f"前{HEADER_ROWS}行中找不到表头：缺少“单位全称”列（应有列：{'、'.join((*REQUIRED, *OPTIONAL))}）")
    _check_duplicates(rows, errors)
    if errors:
        more = f"（另有{len(errors) - 1}处问题）" if len(errors) > 1 else ""
        raise ImportFailure(errors[0] + more)
    if not rows:
        raise ImportFailure("表头下没有任何单位")
    return rows


def _check_duplicates(rows: list[UnitRow], errors: list[str]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        for column, value in (("单位全称", row.name), ("简称", row.short_name)):
            if not value:
                continue
            if (column, value) in seen:
                errors.append(_bad(row.number, column, f"“{value}”与第{seen[(column, value)]}行重复"))
            else:
                seen[(column, value)] = row.number
