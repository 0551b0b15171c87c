"""The national format of the annual report (国办公开办函〔2021〕30号) as pure data.

Every number of the report has a stable field code, used as the key in AnnualReport.figures, as the
form field name, in the checks' findings and by the workbook reader:

    t2.<row>.<column>   table 二, e.g. t2.rules.issued, t2.fees.amount (万元, may be decimal)
    t3.<row>.<column>   table 三, e.g. t3.new.natural, t3.deny_secret.total (25 rows × 7 columns)
    t4.<group>.<column> table 四, e.g. t4.review.upheld, t4.suit_direct.total (3 groups × 5 columns)

Labels are worded exactly as the national template words them; ``variants`` hold other wordings seen
in real reports, which the workbook reader accepts (``norm`` also ignores numbering, punctuation,
spacing and notes in parentheses).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    code: str
    text: str
    variants: tuple[str, ...] = ()

    def matches(self, cell_text) -> bool:
        key = norm(cell_text)
        return bool(key) and key in self.keys()

    def keys(self) -> set[str]:
        return {norm(t) for t in (self.text, *self.variants)} - {""}


@dataclass(frozen=True)
class Section:
    number: str
    key: str
    title: str

    @property
    def heading(self) -> str:
        return f"{self.number}、{self.title}"


SECTIONS = (
    Section("一", "overview", "总体情况"),
    Section("二", "proactive", "主动公开政府信息情况"),
    Section("三", "requests", "收到和处理政府信息公开申请情况"),
    Section("四", "review", "政府信息公开行政复议、行政诉讼情况"),
    Section("五", "problems", "存在的主要问题及改进情况"),
    Section("六", "other", "其他需要报告的事项"),
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)
SECTION_BY_KEY = {s.key: s for s in SECTIONS}

# ---------------------------------------------------------------- table 二
@dataclass(frozen=True)
class T2Block:
    article: str
    columns: tuple[Label, ...]
    rows: tuple[Label, ...]


T2_HEADER = Label("content", "信息内容")
T2_BLOCKS = (
    T2Block("第二十条第（一）项",
            columns=(Label("issued", "本年制发件数", ("本年新制发件数", "本年度制发件数", "本年制发数量")),
                     Label("repealed", "本年废止件数", ("本年度废止件数", "本年废止数量")),
                     Label("valid", "现行有效件数", ("现行有效数量", "现行有效文件数"))),
            rows=(Label("rules", "规章", ("本级规章",)),
                  Label("normative", "行政规范性文件", ("规范性文件",)))),
    T2Block("第二十条第（五）项",
            columns=(Label("decisions", "本年处理决定数量", ("本年度处理决定数量", "本年处理决定数", "处理决定数量")),),
            rows=(Label("licensing", "行政许可"),)),
    T2Block("第二十条第（六）项",
            columns=(Label("decisions", "本年处理决定数量", ("本年度处理决定数量", "本年处理决定数", "处理决定数量")),),
            rows=(Label("penalty", "行政处罚"), Label("coercion", "行政强制"))),
    T2Block("第二十条第（八）项",
            columns=(Label("amount", "本年收费金额（单位：万元）", ("本年收费金额", "本年度收费金额", "收费金额", "本年收费金额万元")),),
            rows=(Label("fees", "行政事业性收费", ("行政事业性收费项目",)),)),
)
T2_DECIMAL_FIELDS = frozenset({"t2.fees.amount"})

# ---------------------------------------------------------------- table 三
T3_RULE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_RULE_SHORT = "一 + 二 = 三（七）总计 + 四"
T3_APPLICANT_HEADER = "申请人情况"
T3_LEGAL_PERSON_HEADER = "法人或其他组织"
T3_CONTENT_HEADER = "信息内容"
T3_RESULTS_LABEL = "三、本年度办理结果"

T3_COLUMNS = (
    Label("natural", "自然人"),
    Label("commercial", "商业企业"),
    Label("research", "科研机构"),
    Label("nonprofit", "社会公益组织", ("公益组织",)),
    Label("legal", "法律服务机构"),
    Label("other", "其他", ("其它",)),
    Label("total", "总计", ("合计",)),
)
T3_APPLICANT_COLUMNS = T3_COLUMNS[:6]
T3_LEGAL_PERSON_COLUMNS = T3_COLUMNS[1:6]


@dataclass(frozen=True)
class T3Group:
    """（一）…（七）under 三、本年度办理结果: a single row, or a heading over numbered sub-rows."""

    code: str
    text: str
    items: tuple[Label, ...] = ()
    variants: tuple[str, ...] = ()

    @property
    def label(self) -> Label:
        return Label(self.code, self.text, self.variants)


T3_NEW = Label("new", "一、本年新收政府信息公开申请数量",
               ("本年新收政府信息公开申请数", "本年新收申请数量", "本年度新收政府信息公开申请数量"))
T3_CARRIED = Label("carried", "二、上年结转政府信息公开申请数量",
                   ("上年结转政府信息公开申请数", "上年结转申请数量", "上年度结转政府信息公开申请数量"))
T3_CARRY_NEXT = Label("carry_next", "四、结转下年度继续办理",
                      ("结转下年度继续办理数量", "结转下一年度继续办理", "结转下年继续办理"))
T3_GROUPS = (
    T3Group("open", "（一）予以公开"),
    T3Group("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    T3Group("deny", "（三）不予公开", (
        Label("deny_secret", "1.属于国家秘密"),
        Label("deny_law", "2.其他法律行政法规禁止公开", ("其他法律、行政法规禁止公开",)),
        Label("deny_security", "3.危及“三安全一稳定”", ("危及三安全一稳定",)),
        Label("deny_third_party", "4.保护第三方合法权益"),
        Label("deny_internal", "5.属于三类内部事务信息", ("属于3类内部事务信息", "属于内部事务信息")),
        Label("deny_process", "6.属于四类过程性信息", ("属于4类过程性信息", "属于过程性信息")),
        Label("deny_enforcement", "7.属于行政执法案卷"),
        Label("deny_query", "8.属于行政查询事项"),
    )),
    T3Group("unable", "（四）无法提供", (
        Label("unable_not_held", "1.本机关不掌握相关政府信息"),
        Label("unable_make", "2.没有现成信息需要另行制作", ("没有现成信息，需要另行制作",)),
        Label("unable_unclear", "3.补正后申请内容仍不明确"),
    )),
    T3Group("none", "（五）不予处理", (
        Label("none_petition", "1.信访举报投诉类申请"),
        Label("none_repeat", "2.重复申请"),
        Label("none_publication", "3.要求提供公开出版物"),
        Label("none_mass", "4.无正当理由大量反复申请"),
        Label("none_confirm", "5.要求行政机关确认或重新出具已获取信息"),
    )),
    T3Group("other", "（六）其他处理", (
        Label("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
              ("申请人无正当理由逾期不补正行政机关不再处理其政府信息公开申请",)),
        Label("other_no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
              ("申请人逾期未按收费通知要求缴纳费用行政机关不再处理其政府信息公开申请",)),
        Label("other_other", "3.其他", ("其它",)),
    )),
    T3Group("total", "（七）总计", variants=("合计",)),
)
T3_SUBTOTAL_GROUPS = tuple(g for g in T3_GROUPS if g.items)  # （三）…（六）


@dataclass(frozen=True)
class T3Row:
    code: str
    label: Label           # the leaf label (the row's own words)
    group: T3Group | None  # the （三）…（六）heading over a numbered sub-row

    @property
    def display(self) -> str:
        """How messages name the row: 一、本年新收…, （三）不予公开·1.属于国家秘密."""
        if self.group is not None:
            return f"{self.group.text}·{self.label.text}"
        if self.code == "partial":
            return "（二）部分公开"
        return self.label.text


def _t3_rows() -> tuple[T3Row, ...]:
    rows = [T3Row("new", T3_NEW, None), T3Row("carried", T3_CARRIED, None)]
    for group in T3_GROUPS:
        if group.items:
            rows.extend(T3Row(item.code, item, group) for item in group.items)
        else:
            rows.append(T3Row(group.code, group.label, None))
    rows.append(T3Row("carry_next", T3_CARRY_NEXT, None))
    return tuple(rows)


T3_ROWS = _t3_rows()
T3_ROW_BY_CODE = {r.code: r for r in T3_ROWS}
T3_RESULT_ROW_CODES = tuple(r.code for r in T3_ROWS if r.code not in ("new", "carried", "carry_next"))
T3_TOTAL_PARTS = tuple(c for c in T3_RESULT_ROW_CODES if c != "total")  # （一）（二）and the sub-rows


@dataclass(frozen=True)
class LabelCell:
    """A label cell of table 三's three label columns, starting on a data row (0-based offsets)."""

    text: str
    column: int
    rowspan: int = 1
    colspan: int = 1


def t3_label_layout() -> list[tuple[T3Row, list[LabelCell]]]:
    """Each data row with the label cells that start on it, merged as in the national template."""
    layout: list[tuple[T3Row, list[LabelCell]]] = []
    results_span = len(T3_RESULT_ROW_CODES)
    for row in T3_ROWS:
        cells: list[LabelCell] = []
        if row.code in ("new", "carried", "carry_next"):
            cells.append(LabelCell(row.label.text, 0, colspan=3))
        else:
            if row.code == T3_RESULT_ROW_CODES[0]:
                cells.append(LabelCell(T3_RESULTS_LABEL, 0, rowspan=results_span))
            if row.group is None:
                cells.append(LabelCell(row.label.text, 1, colspan=2))
            else:
                if row.label is row.group.items[0]:
                    cells.append(LabelCell(row.group.text, 1, rowspan=len(row.group.items)))
                cells.append(LabelCell(row.label.text, 2))
        layout.append((row, cells))
    return layout


# ---------------------------------------------------------------- table 四
T4_REVIEW_HEADER = Label("review", "行政复议")
T4_SUIT_HEADER = Label("suit", "行政诉讼")
T4_GROUPS = (
    Label("review", "行政复议"),
    Label("suit_direct", "未经复议直接起诉", ("未经复议直接提起诉讼", "直接起诉")),
    Label("suit_after_review", "复议后起诉", ("经复议后起诉", "复议后提起诉讼")),
)
T4_GROUP_BY_CODE = {g.code: g for g in T4_GROUPS}
T4_COLUMNS = (
    Label("upheld", "结果维持", ("维持",)),
    Label("corrected", "结果纠正", ("纠正",)),
    Label("other", "其他结果", ("其它结果",)),
    Label("pending", "尚未审结", ("未审结",)),
    Label("total", "总计", ("合计",)),
)
T4_PARTS = T4_COLUMNS[:4]


# ---------------------------------------------------------------- all fields
@dataclass(frozen=True)
class FieldSpec:
    code: str
    table: str        # "二" / "三" / "四"
    display: str      # how messages name the cell
    decimal: bool = False


def _field_specs() -> tuple[FieldSpec, ...]:
    specs = []
    for block in T2_BLOCKS:
        for row in block.rows:
            for col in block.columns:
                code = f"t2.{row.code}.{col.code}"
                specs.append(FieldSpec(code, "二", f"表二“{row.text}”{col.text}", code in T2_DECIMAL_FIELDS))
    for row in T3_ROWS:
        for col in T3_COLUMNS:
            specs.append(FieldSpec(f"t3.{row.code}.{col.code}", "三", f"表三“{row.display}”行“{col.text}”列"))
    for group in T4_GROUPS:
        for col in T4_COLUMNS:
            prefix = "" if group.code == "review" else "行政诉讼·"
            specs.append(FieldSpec(f"t4.{group.code}.{col.code}", "四", f"表四“{prefix}{group.text}”{col.text}"))
    return tuple(specs)


FIELDS = _field_specs()
FIELD_BY_CODE = {f.code: f for f in FIELDS}
FIELD_CODES = tuple(f.code for f in FIELDS)


def t3_code(row: str, col: str) -> str:
    return f"t3.{row}.{col}"


def t4_code(group: str, col: str) -> str:
    return f"t4.{group}.{col}"


# ---------------------------------------------------------------- label matching
_NUMBERING_RE = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\d+[、.]|[(][一二三四五六七八九十\d]+[)])")
_PAREN_RE = re.compile(r"\([^()]*\)")
_PUNCT_RE = re.compile(r"[\"'“”‘’「」『』、,，.。:：;；\-—_·…!！?？/]")


def norm(text) -> str:
    """The comparison form of a label: no numbering, spaces, punctuation or notes in parentheses.

    "（三）不予公开" → "不予公开"; "3.危及“三安全一稳定”" → "危及三安全一稳定";
    "本年收费金额（单位：万元）" → "本年收费金额".
    """
    if text is None:
        return ""
    value = unicodedata.normalize("NFKC", str(text))
    value = re.sub(r"\s+", "", value)
    value = _NUMBERING_RE.sub("", value)
    value = _PAREN_RE.sub("", value)
    value = _NUMBERING_RE.sub("", value)
    return _PUNCT_RE.sub("", value)


def empty_figures() -> dict:
    return {code: 0 for code in FIELD_CODES}


# ---------------------------------------------------------------- computed and not-applicable cells
def _total_parts() -> dict[str, tuple[str, ...]]:
    """Every total cell with the cells it adds up: the form computes these, nobody types them.

    Table 三's 总计 column is the sum of the six applicant columns (every row, including （七）总计);
    its （七）总计 row is the sum of （一）（二）and the sub-rows of （三）…（六）(every applicant column);
    table 四's 总计 is 维持 + 纠正 + 其他 + 尚未审结 in each group.
    """
    parts: dict[str, tuple[str, ...]] = {}
    for col in T3_APPLICANT_COLUMNS:
        parts[t3_code("total", col.code)] = tuple(t3_code(r, col.code) for r in T3_TOTAL_PARTS)
    for row in T3_ROWS:
        parts[t3_code(row.code, "total")] = tuple(t3_code(row.code, c.code) for c in T3_APPLICANT_COLUMNS)
    for group in T4_GROUPS:
        parts[t4_code(group.code, "total")] = tuple(t4_code(group.code, c.code) for c in T4_PARTS)
    return parts


TOTAL_PARTS = _total_parts()
TOTAL_CODES = frozenset(TOTAL_PARTS)
# "/" (不适用) where the national template's readers accept it: the 规章 row, which only governments
# with rule-making power (省、设区的市) fill in; districts, departments and streets write "/".
NOT_APPLICABLE = "/"
SLASH_FIELDS = frozenset(f"t2.rules.{c.code}" for c in T2_BLOCKS[0].columns)

