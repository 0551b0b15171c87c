"""Reading an existing 依申请公开 register (.xlsx / .xls / .csv) into rows: pure, no database.

Columns are found by their headers (synonyms below; the header row may sit under a title); outcomes are
read as the official 表三 row labels or short forms such as "不予公开（属于国家秘密）"; applicant types as the
six 表三 columns or common synonyms (个人 → 自然人). Errors name the row and the column and block the
import; doubts mark rows to look at in the preview but do not block. The caller saves nothing until the
user confirms (disclosure.services.applications_import).
"""
from __future__ import annotations

import csv
import datetime
import io
import re
import unicodedata
from dataclasses import asdict, dataclass, field

from core.dates import cn_date
from core.uploads import MAX_UPLOAD_BYTES, OLE_MAGIC, check_size, check_zip
from disclosure.models import OUTCOME_GROUPS, OUTCOME_LABELS, Application
from tasks.importers.result import ImportFailure

# field → (header as shown, synonyms). The first five are required.
FIELDS = {
    "received_on": ("收到日期", ("收到日期", "收到申请日期", "申请日期", "收件日期", "受理日期", "登记日期", "收到时间",
                             "申请时间", "接收日期")),
    "applicant_type": ("申请人类型", ("申请人类型", "申请人类别", "申请主体类型", "申请人性质", "申请人情况", "申请人身份")),
    "request_text": ("申请内容", ("申请内容", "申请公开内容", "申请公开的内容", "申请事项", "申请信息内容", "所需信息",
                              "所需政府信息", "申请公开的政府信息", "申请信息")),
    "outcome": ("办理结果", ("办理结果", "答复结果", "处理结果", "答复类型", "答复情况", "办理情况", "答复意见")),
    "answered_on": ("办结日期", ("办结日期", "答复日期", "办结时间", "答复时间", "办理完成日期", "完成日期", "告知日期")),
    "applicant_name": ("申请人", ("申请人", "申请人姓名", "申请人名称", "姓名名称", "申请人姓名名称", "姓名")),
    "applicant_contact": ("联系方式", ("联系方式", "联系电话", "电话", "联系地址", "通讯地址", "手机")),
    "channel": ("申请方式", ("申请方式", "申请渠道", "提交方式", "渠道", "申请途径", "收到方式")),
    "handler_name": ("承办人", ("承办人", "经办人", "办理人", "承办人员")),
    "reference": ("登记编号", ("登记编号", "编号", "申请编号", "受理编号", "登记号")),
}
REQUIRED = ("received_on", "applicant_type", "request_text", "outcome", "answered_on")
HEADER_SEARCH_ROWS = 10
MAX_ROWS = 20000

_PUNCT_RE = re.compile(r"[\s\"'“”‘’「」『』、,，.。:：;；\-—_·…!！?？/（）()\[\]【】]")
_NUMBERING_RE = re.compile(r"[（(][一二三四五六七八九十\d]{1,2}[)）]|^[一二三四五六七八九十]{1,2}、|(?<![\d])\d{1,2}[.、．](?!\d)")


def key(text) -> str:
    """Comparison form: NFKC, no numbering like （三） / 1. , no spaces, brackets or punctuation."""
    value = unicodedata.normalize("NFKC", str(text or ""))
    value = _NUMBERING_RE.sub("", value)
    return _PUNCT_RE.sub("", value)


def _outcome_keys() -> dict[str, str]:
    keys = {}
    for group, items in OUTCOME_GROUPS:
        group_name = re.sub(r"^（.）", "", group)
        for code, text in items:
            keys[key(group_name + text)] = code
            if len(items) > 1 and text != "其他":
                keys[key(text)] = code
        if len(items) == 1:
            keys[key(group_name)] = items[0][0]
    variants = {
        "partial": ["部分公开（区分处理的，只计这一情形，不计其他情形）"],
        "deny_law": ["其他法律、行政法规禁止公开"],
        "deny_security": ["危及三安全一稳定"],
        "deny_internal": ["属于3类内部事务信息", "属于内部事务信息", "内部事务信息"],
        "deny_process": ["属于4类过程性信息", "属于过程性信息", "过程性信息"],
        "deny_enforcement": ["行政执法案卷"], "deny_query": ["行政查询事项"], "deny_secret": ["国家秘密"],
        "unable_make": ["没有现成信息，需要另行制作", "需要另行制作"],
        "unable_not_held": ["本机关不掌握", "信息不存在", "本机关不掌握相关信息"],
        "other_other": ["其他处理其它", "其它处理其他", "其它处理其它"],
    }
    for code, texts in variants.items():
        for text in texts:
            keys[key(text)] = code
    return keys


OUTCOME_KEYS = _outcome_keys()

APPLICANT_TYPES = {key(label): code for code, label in Application.ApplicantType.choices}
APPLICANT_SYNONYMS = {"个人": "natural", "公民": "natural", "自然人个人": "natural", "企业": "commercial",
                      "公司": "commercial", "企业法人": "commercial", "科研院所": "research", "高校": "research",
                      "公益组织": "nonprofit", "社会组织": "nonprofit", "律师事务所": "legal", "律所": "legal",
                      "其它": "other"}
CHANNELS = {"当面": "in_person", "现场": "in_person", "窗口": "in_person", "当面提交": "in_person", "邮寄": "post",
            "信函": "post", "邮政": "post", "网络": "online", "网上": "online", "在线": "online", "网上申请": "online",
            "网络申请": "online", "电子邮件": "online", "政府网站": "online", "互联网": "online", "传真": "fax",
            "其他": "other", "其它": "other"}


def parse_outcome(text) -> str | None:
    """The outcome code of a cell, or None when it is not one of the 22 (blank → "")."""
    k = key(text)
    if not k:
        return ""
    return OUTCOME_KEYS.get(k)


@dataclass
class ParsedApplication:
    row: int
    values: dict
    doubts: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        values = {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in self.values.items()}
        return {"row": self.row, "values": values, "doubts": self.doubts}

    @classmethod
    def from_json(cls, data: dict) -> ParsedApplication:
        values = dict(data["values"])
        for name in ("received_on", "answered_on"):
            if values.get(name):
                values[name] = datetime.date.fromisoformat(values[name])
        return cls(row=data["row"], values=values, doubts=list(data.get("doubts", [])))

    @property
    def type_display(self) -> str:
        return Application.ApplicantType(self.values["applicant_type"]).label

    @property
    def outcome_display(self) -> str:
        return OUTCOME_LABELS.get(self.values.get("outcome") or "", "（未办结）")


@dataclass
class Column:
    index: int     # 1-based
    header: str
    field: str | None

    @property
    def field_label(self) -> str:
        return FIELDS[self.field][0] if self.field else "（不导入）"


@dataclass
class ParsedRegister:
    columns: list[Column] = field(default_factory=list)
    rows: list[ParsedApplication] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    header_row: int = 0

    @property
    def doubtful(self) -> list[ParsedApplication]:
        return [r for r in self.rows if r.doubts]

    def to_json(self) -> dict:
        return {"columns": [asdict(c) for c in self.columns], "rows": [r.to_json() for r in self.rows],
                "errors": self.errors, "header_row": self.header_row}

    @classmethod
    def from_json(cls, data: dict) -> ParsedRegister:
        return cls(columns=[Column(**c) for c in data["columns"]],
                   rows=[ParsedApplication.from_json(r) for r in data["rows"]],
                   errors=list(data["errors"]), header_row=data["header_row"])


# --- reading the file ------------------------------------------------------------------------------------

def read_grid(filename: str, data: bytes) -> list[list]:
    """The first sheet (or the CSV) as rows of cell values. Raises ImportFailure in Chinese."""
    check_size(data, limit=MAX_UPLOAD_BYTES)
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext == "csv":
        return _read_csv(data)
    if ext not in ("xlsx", "xls"):
        raise ImportFailure("只支持 Excel（.xlsx、.xls）和 CSV（.csv）文件")
    if ext == "xlsx":
        if data.startswith(OLE_MAGIC):
            raise ImportFailure("文件已加密（设置了打开密码）或实为旧版 .xls：请取消密码或改用 .xls 扩展名后再上传")
        check_zip(data)
    elif not data.startswith(OLE_MAGIC):
        raise ImportFailure("文件内容与扩展名不符：这不是有效的 .xls 工作簿，可能已损坏或被改名")
    try:
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not book.sheet_names:
            raise ImportFailure("工作簿中没有工作表")
        return book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except ImportFailure:
        raise
    except Exception as exc:  # calamine's own errors: a broken or protected workbook
        raise ImportFailure(f"工作簿无法读取，可能已损坏或设置了密码（{exc.__class__.__name__}）") from exc


def _read_csv(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFailure("CSV 文件的编码无法识别，请另存为 UTF-8 或 GBK 编码")
    if "\x00" in text[:4096]:
        raise ImportFailure("这不是文本格式的 CSV 文件")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value) -> datetime.date | None:
    """A date cell: a real date, an Excel serial number, or text such as 2026-03-05, 2026/3/5, 2026年3月5日."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 < value < 80000:  # an Excel serial date (1954–2119)
            return datetime.date(1899, 12, 30) + datetime.timedelta(days=int(value))
        raise ValueError
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?", text)
    if not match:
        match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if not match:
        raise ValueError
    return datetime.date(*(int(g) for g in match.groups()))


def _header_field(text: str) -> str | None:
    k = key(text)
    for name, (_, synonyms) in FIELDS.items():
        if k in {key(s) for s in synonyms}:
            return name
    return None


def _find_header(grid: list[list]) -> tuple[int, list[Column]] | None:
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        columns, seen = [], set()
        for col, value in enumerate(row, 1):
            text = _cell_text(value)
            name = _header_field(text)
            if name in seen:
                name = None
            seen.add(name)
            columns.append(Column(col, text, name))
        if sum(1 for c in columns if c.field in REQUIRED) >= 3:
            return index, columns
    return None


def parse_register(filename: str, data: bytes, *, today: datetime.date) -> ParsedRegister:
    """The rows of a register file. Raises ImportFailure when the file as a whole cannot be read."""
    return parse_grid(read_grid(filename, data), today=today)


def grid_for_storage(grid: list[list]) -> list[list]:
    """The grid with JSON-safe cells (dates as ISO text, which parse_date reads back the same)."""
    def safe(value):
        if isinstance(value, (datetime.date, datetime.datetime)):
            return (value.date() if isinstance(value, datetime.datetime) else value).isoformat()
        if value is None or isinstance(value, (int, float, str, bool)):
            return value
        return str(value)

    return [[safe(v) for v in row] for row in grid[:MAX_ROWS + HEADER_SEARCH_ROWS]]


def _mapped_columns(grid: list[list], mapping: dict[int, str]) -> tuple[int, list[Column]]:
    """The header row (as detected, else the first non-empty row) with the fields the user chose."""
    found = _find_header(grid)
    if found:
        header_index = found[0]
    else:
        header_index = next((i for i, row in enumerate(grid[:HEADER_SEARCH_ROWS]) if any(_cell_text(v) for v in row)), 0)
    chosen = [f for f in mapping.values() if f]
    unknown = [f for f in chosen if f not in FIELDS]
    if unknown:
        raise ImportFailure("列的对应中有无法识别的项目")
    twice = sorted({FIELDS[f][0] for f in chosen if chosen.count(f) > 1})
    if twice:
        raise ImportFailure(f"“{'、'.join(twice)}”只能对应一列")
    row = grid[header_index] if grid else []
    return header_index, [Column(i, _cell_text(v), mapping.get(i) or None) for i, v in enumerate(row, 1)]


def parse_grid(grid: list[list], *, today: datetime.date, mapping: dict[int, str] | None = None,
               strict: bool = True) -> ParsedRegister:
    """Rows of a grid. `mapping` (column number → field, "" to skip) replaces the header detection.
    With strict=False a missing header or required column is an error of the result (so the preview can
    ask the user to map the columns) instead of an ImportFailure."""
    if mapping is not None:
        header_index, columns = _mapped_columns(grid, mapping)
    else:
        found = _find_header(grid)
        if found is None:
            if strict:
                raise ImportFailure("找不到表头：前10行中没有“收到日期、申请人类型、申请内容、办理结果、办结日期”等列名")
            header_index, columns = _mapped_columns(grid, {})
        else:
            header_index, columns = found
    result = ParsedRegister(columns=columns, header_row=header_index + 1)
    missing = [FIELDS[f][0] for f in REQUIRED if f not in {c.field for c in columns}]
    if missing:
        message = f"缺少必需的列：{'、'.join(missing)}（第{header_index + 1}行为表头）"
        if strict:
            raise ImportFailure(message)
        result.errors.append(message + "，请在“列的对应”中为其选择文件中的列")
        return result
    by_field = {c.field: c for c in columns if c.field}
    seen: dict[tuple, int] = {}
    body = grid[header_index + 1:]
    if len(body) > MAX_ROWS:
        raise ImportFailure(f"行数过多（{len(body)} 行，上限 {MAX_ROWS} 行），请分批导入")
    for offset, cells in enumerate(body):
        number = header_index + 2 + offset
        raw = {name: (cells[c.index - 1] if c.index - 1 < len(cells) else None) for name, c in by_field.items()}
        if not any(_cell_text(v) for v in raw.values()):
            continue
        parsed = _parse_row(number, raw, by_field, result.errors, today=today)
        if parsed is None:
            continue
        twin_key = (parsed.values["received_on"], parsed.values.get("applicant_name", ""),
                    parsed.values["request_text"])
        if twin_key in seen:
            result.errors.append(f"第{number}行：与第{seen[twin_key]}行重复（收到日期、申请人和申请内容都相同）")
            continue
        seen[twin_key] = number
        result.rows.append(parsed)
    if not result.rows and not result.errors:
        raise ImportFailure("表格中没有申请记录（表头下方没有数据行）")
    return result


def _parse_row(number: int, raw: dict, columns: dict, errors: list[str], *, today) -> ParsedApplication | None:
    before = len(errors)
    values, doubts = {}, []

    def fail(name: str, message: str):
        errors.append(f"第{number}行“{columns[name].header}”列：{message}")

    dates = {}
    for name in ("received_on", "answered_on"):
        try:
            dates[name] = parse_date(raw.get(name))
        except (ValueError, OverflowError):
            fail(name, f"“{_cell_text(raw.get(name))}”不是有效日期（应写作 2026-03-05 或 2026年3月5日）")
            continue
        if dates[name] and dates[name] > today:
            fail(name, f"{cn_date(dates[name])}晚于今天，不能登记未来的日期")
    received, answered = dates.get("received_on"), dates.get("answered_on")
    if "received_on" in dates and received is None:
        fail("received_on", "未填写收到日期")
    if received and answered and answered < received:
        fail("answered_on", f"办结日期{cn_date(answered)}早于收到日期{cn_date(received)}")
    type_text = _cell_text(raw.get("applicant_type"))
    applicant_type = APPLICANT_TYPES.get(key(type_text)) or APPLICANT_SYNONYMS.get(key(type_text))
    if not type_text:
        fail("applicant_type", "未填写申请人类型")
    elif applicant_type is None:
        fail("applicant_type", f"“{type_text}”不是自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他之一")
    elif key(type_text) not in APPLICANT_TYPES:
        doubts.append(f"申请人类型“{type_text}”按“{Application.ApplicantType(applicant_type).label}”计")
    request_text = _cell_text(raw.get("request_text"))
    if not request_text:
        fail("request_text", "未填写申请内容")
    outcome_text = _cell_text(raw.get("outcome"))
    outcome = parse_outcome(outcome_text)
    if outcome is None:
        fail("outcome", f"“{outcome_text}”不是年报表三的22种办理结果之一（如“予以公开”“不予公开（属于国家秘密）”"
                        "“无法提供（本机关不掌握相关政府信息）”“不予处理（重复申请）”“其他处理（其他）”）")
    elif outcome and answered is None and "answered_on" in dates:
        fail("answered_on", "已填写办理结果，但未填写办结日期")
    elif answered and not outcome:
        fail("outcome", "已填写办结日期，但未填写办理结果")
    if len(errors) > before:
        return None
    channel_text = _cell_text(raw.get("channel"))
    channel = CHANNELS.get(key(channel_text), "other") if channel_text else "other"
    if channel_text and key(channel_text) not in CHANNELS:
        doubts.append(f"申请方式“{channel_text}”按“其他”计")
    name = _cell_text(raw.get("applicant_name"))
    if not name:
        doubts.append("未填写申请人")
    if answered and (answered - received).days > 28:
        doubts.append(f"收到后{(answered - received).days}天才办结，请核对是否有延期、补正或征求第三方意见（导入后可补登）")
    if outcome and outcome_text and key(outcome_text) != key(OUTCOME_LABELS[outcome]):
        pass  # a recognised short form: shown in the preview as the official label
    values.update(received_on=received, answered_on=answered, applicant_type=applicant_type,
                  request_text=request_text[:5000], outcome=outcome or "", applicant_name=name[:100],
                  applicant_contact=_cell_text(raw.get("applicant_contact"))[:200], channel=channel,
                  handler_name=_cell_text(raw.get("handler_name"))[:50], reference=_cell_text(raw.get("reference"))[:50])
    return ParsedApplication(row=number, values=values, doubts=doubts)
