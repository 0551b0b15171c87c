"""The uploaded account list (账号名单.xlsx: 单位 / 姓名 / 手机 / 邮箱 [/ 登录账号]) and the workbooks around it.

``read_rows`` turns the file into raw rows, pure and in bounded memory: the upload checks of core.uploads
(size, type by content, zip bombs) run first, then openpyxl reads the first sheet in read-only mode with
fixed bounds (MAX_ROWS × MAX_COLUMNS), so a sheet declaring a million rows or a cell at XFD1048576 costs
nothing. ``check_rows`` resolves each unit by name or alias within the government and checks every cell;
each error names the row and the column. ``template_workbook`` and ``result_workbook`` build the blank
list and the sheet of created accounts.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from core.uploads import ImportFailure, MiB, check_office_magic, check_size, check_zip
from core.xlsx import print_layout, set_text
from units.forms import USERNAME_RE
from units.models import Alias, Unit, UnitGroup, User

MAX_BYTES = 2 * MiB
MAX_UNCOMPRESSED = 20 * MiB
MAX_ROWS = 500          # accounts in one list
MAX_COLUMNS = 20
HEADER_SEARCH_ROWS = 10

# Column → the header words that name it (first match wins), required columns first.
COLUMNS = {
    "unit": ("单位", "单位名称", "所在单位", "部门"),
    "display_name": ("姓名", "联络员", "联络员姓名"),
    "phone": ("手机", "手机号", "手机号码", "联系电话", "电话"),
    "email": ("邮箱", "电子邮箱", "邮件", "电子邮件", "email", "e-mail"),
    "username": ("登录账号", "账号", "用户名"),
}
TITLES = {"unit": "单位", "display_name": "姓名", "phone": "手机", "email": "邮箱", "username": "登录账号"}
REQUIRED = ("unit", "display_name")
PHONE_RE = re.compile(r"^1\d{10}$")


@dataclass
class ListRow:
    row: int
    values: dict[str, str]


@dataclass
class CheckedRow:
    row: int
    unit: Unit
    display_name: str
    phone: str
    email: str
    username: str


@dataclass
class ListResult:
    rows: list[CheckedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed into a number cell
    return re.sub(r"\s+", " ", str(value)).strip()


def _phone(text: str) -> str:
    """A phone number as typed ("138-0000-0002", "138 0000 0002") in digits."""
    return text.replace("-", "").replace(" ", "")


def _where(row: int, key: str, letters: dict[str, str]) -> str:
    return f"第{row}行{letters.get(key, '')}列（{TITLES[key]}）"


def read_rows(data: bytes, filename: str) -> tuple[list[ListRow], dict[str, str]]:
    """The list's rows (skipping blank ones) and the column letter of each known column.

    Raises ImportFailure (Chinese, naming the row or column) when the file cannot be a list.
    """
    if not filename.lower().endswith(".xlsx"):
        raise ImportFailure("请上传 Excel 工作簿（.xlsx）。.xls、.et 或 .csv 文件请先在 Excel / WPS 中“另存为” .xlsx。")
    check_size(data, limit=MAX_BYTES)
    check_office_magic(data, "xlsx")
    check_zip(data, max_entries=200, max_uncompressed=MAX_UNCOMPRESSED)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            grid = [tuple(_text(v) for v in row) for row in
                    sheet.iter_rows(min_row=1, max_row=MAX_ROWS + HEADER_SEARCH_ROWS + 1, max_col=MAX_COLUMNS,
                                    values_only=True)]
        finally:
            book.close()
    except ImportFailure:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged or unusual file
        raise ImportFailure("文件无法作为 Excel 工作簿读取，可能已损坏：请在 Excel / WPS 中打开后另存为 .xlsx 再上传") from exc
    header_row, columns = None, {}
    for number, cells in enumerate(grid[:HEADER_SEARCH_ROWS], start=1):
        found = {}
        for index, cell in enumerate(cells):
            word = cell.replace(" ", "").lower()
            for key, words in COLUMNS.items():
                if key not in found and word in words:
                    found[key] = index
        if all(key in found for key in REQUIRED):
            header_row, columns = number, found
            break
    if header_row is None:
        raise ImportFailure("找不到表头：第一个工作表的前10行中应有一行写着“单位”“姓名”（可另有“手机”“邮箱”“登录账号”）。"
                            "请下载模板，按模板的列填写。")
    letters = {key: get_column_letter(index + 1) for key, index in columns.items()}
    rows = []
    for number, cells in enumerate(grid[header_row:], start=header_row + 1):
        values = {key: (cells[index] if index < len(cells) else "") for key, index in columns.items()}
        if not any(values.values()):
            continue
        rows.append(ListRow(row=number, values=values))
    if len(rows) > MAX_ROWS:
        raise ImportFailure(f"名单超过 {MAX_ROWS} 行，请分成几个文件上传")
    if not rows:
        raise ImportFailure(f"表头（第{header_row}行）下面没有账号，请填写后再上传")
    return rows, letters


def check_rows(rows: list[ListRow], letters: dict[str, str], *, government) -> ListResult:
    """Resolve and check every row; any error means nothing may be saved."""
    result = ListResult()
    units = {}
    for unit in Unit.objects.filter(government=government):
        units.setdefault(unit.name, unit)
        units.setdefault(unit.short_name, unit)
    aliases = {a.text: a for a in Alias.objects.filter(government=government).select_related("unit", "group")}
    groups = {g.phrase: g for g in UnitGroup.objects.filter(government=government)}
    wanted = [r.values.get("username") or _phone(r.values.get("phone", "")) or r.values.get("email") for r in rows]
    taken = {name.lower() for name in User.objects.filter(username__in=[w for w in wanted if w])
             .values_list("username", flat=True)}
    seen: dict[str, int] = {}

    def error(row, key, text):
        result.errors.append(f"{_where(row.row, key, letters)}：{text}")

    for row in rows:
        v = row.values
        before = len(result.errors)
        unit_name = re.sub(r"\s+", "", v.get("unit", ""))
        unit = units.get(unit_name)
        group = None
        if unit is None and unit_name in aliases:
            unit, group = aliases[unit_name].unit, aliases[unit_name].group
        group = group or (groups.get(unit_name) if unit is None else None)
        if not unit_name:
            error(row, "unit", "请填写单位")
        elif group is not None:
            error(row, "unit", f"“{unit_name}”是单位组（{group.phrase}），请写具体的单位")
        elif unit is None:
            error(row, "unit", f"“{unit_name}”不是本级政府的单位名称或别名，请先在“单位”中新增该单位或添加别名")
        elif unit is not None and not unit.is_active:
            error(row, "unit", f"单位“{unit.short_name}”已停用")
        name = v.get("display_name", "")
        if not name:
            error(row, "display_name", "请填写姓名")
        elif len(name) > 50:
            error(row, "display_name", "姓名不超过50个字")
        phone = _phone(v.get("phone", ""))
        if phone and not PHONE_RE.match(phone):
            error(row, "phone", f"“{v.get('phone')}”不是11位手机号码")
        email = v.get("email", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                error(row, "email", f"“{email}”不是有效的邮箱地址")
        username = v.get("username") or phone or email
        key = "username" if v.get("username") else ("phone" if phone else "email")
        if not username:
            result.errors.append(f"第{row.row}行：请填写手机或邮箱（用作登录账号），或加一列“登录账号”")
        elif not USERNAME_RE.match(username):
            error(row, key, f"“{username}”不能用作登录账号（3～150位字母、数字或 _ . @ + -）")
        elif username.lower() in taken:
            error(row, key, f"登录账号“{username}”已被使用")
        elif username.lower() in seen:
            error(row, key, f"登录账号“{username}”与第{seen[username.lower()]}行重复")
        if username:
            seen.setdefault(username.lower(), row.row)
        if len(result.errors) == before:
            result.rows.append(CheckedRow(row=row.row, unit=unit, display_name=name, phone=phone, email=email,
                                          username=username))
    return result


# --- workbooks -------------------------------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _header(sheet, titles, widths):
    """The header row, repeated on every printed page (core.xlsx.print_layout sets the widths and A4)."""
    for index, title in enumerate(titles, start=1):
        cell = sheet.cell(row=1, column=index)
        set_text(cell, title)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    print_layout(sheet, widths=widths, title_rows=(1, 1))
    sheet.freeze_panes = "A2"


def template_workbook(units) -> Workbook:
    """The blank list: 账号名单 (the header), 填写说明, and 单位名称 (the names the list may use)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "账号名单"
    _header(sheet, ["单位", "姓名", "手机", "邮箱"], [24, 12, 16, 28])
    notes = book.create_sheet("填写说明")
    for number, line in enumerate([
        "从“账号名单”第2行起，每行一个联络员账号。",
        "单位：填写单位的全称、简称或别名（见“单位名称”工作表），必填。",
        "姓名：必填。",
        "手机：11位手机号码；手机号同时作为登录账号（没有手机号时用邮箱）。",
        "邮箱：用于接收到期提醒和催办，可不填。",
        "也可增加一列“登录账号”，自行指定账号。",
        "上传后先预览，确认后才创建账号；有错误时会指出第几行哪一列，一个账号也不会创建。",
        "初始密码由系统生成，只显示一次，联络员首次登录后须修改密码。",
    ], start=1):
        set_text(notes.cell(row=number, column=1), line)
    print_layout(notes, widths=[80], landscape=False)
    names = book.create_sheet("单位名称")
    _header(names, ["简称", "全称", "别名"], [20, 36, 36])
    for number, unit in enumerate(units, start=2):
        set_text(names.cell(row=number, column=1), unit.short_name)
        set_text(names.cell(row=number, column=2), unit.name)
        set_text(names.cell(row=number, column=3), "、".join(a.text for a in unit.aliases.all()))
    return book


def result_workbook(accounts: list[dict]) -> Workbook:
    """The created accounts with their initial passwords, to hand to each unit."""
    book = Workbook()
    sheet = book.active
    sheet.title = "新建账号"
    _header(sheet, ["单位", "姓名", "登录账号", "初始密码", "说明"], [24, 12, 20, 18, 36])
    for number, account in enumerate(accounts, start=2):
        for column, value in enumerate([account["unit"], account["display_name"], account["username"],
                                        account["password"], "首次登录后须修改密码"], start=1):
            set_text(sheet.cell(row=number, column=column), value)
    return book
