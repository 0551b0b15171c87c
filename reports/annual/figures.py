"""The report's cells as entered: numbers, blanks and "/", the computed totals, sums over reports.

A report's ``figures`` (AnnualReport.figures) hold, per field code of format.py, one of:

* an int (a count) or a decimal string (收费金额, 万元) — a number the unit entered;
* None — left blank (not yet entered; blank and 0 are different: 0 says "none this year");
* "/" — not applicable, only where the official form allows it (format.SLASH_FIELDS, the 规章 row).

Totals (format.TOTAL_CODES) are never typed: ``with_totals`` computes them from their parts. The checks
read the cells through ``checks.to_count`` / ``to_amount``, for which blank and "/" count as 0.

``report_cells(report)`` is the one place that says which figures a report shows: the stored cells,
overlaid by figures kept elsewhere (``external_figures``, e.g. a unit's 依申请公开 register), with the
totals computed. The form, the save, the checks and the exports all go through it.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from reports.annual import format as fmt

BLANK_WORDS = ("",)
SLASH_WORDS = ("/", "／", "—", "-", "－", "\\")


class CellError(ValueError):
    """A cell that is neither a number, blank, nor an allowed "/"; the message is Chinese."""


def parse_cell(code: str, raw) -> int | str | None:
    """One cell as typed or read: int / decimal string / None (blank) / "/"; raises CellError."""
    spec = fmt.FIELD_BY_CODE[code]
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise CellError(f"{spec.display}应填写数字，现为“{raw}”。")
    if isinstance(raw, int | float | Decimal) and not isinstance(raw, bool):
        text = str(raw)
    else:
        text = str(raw).strip().replace(",", "").replace("，", "").replace(" ", "")
    if text in BLANK_WORDS:
        return None
    if text in SLASH_WORDS:
        if code in fmt.SLASH_FIELDS:
            return fmt.NOT_APPLICABLE
        raise CellError(f"{spec.display}不能填“/”（只有“规章”行可填“/”表示不适用），没有请填 0。")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(f"{spec.display}应填写{'非负数（单位：万元）' if spec.decimal else '非负整数'}，现为“{raw}”。") from None
    if not number.is_finite() or number < 0:
        raise CellError(f"{spec.display}不能为负数，现为“{raw}”。")
    if spec.decimal:
        if number >= Decimal("1000000000"):
            raise CellError(f"{spec.display}金额过大，请核实，现为“{raw}”。")
        return format(number.normalize(), "f")
    if number != number.to_integral_value():
        raise CellError(f"{spec.display}应填写整数，现为“{raw}”。")
    if number > 10**9:
        raise CellError(f"{spec.display}数字过大，请核实，现为“{raw}”。")
    return int(number)


def parse_cells(raw: dict) -> tuple[dict, dict[str, str]]:
    """(cells, errors by code) for every field code; unreadable cells are left blank."""
    cells, errors = {}, {}
    for code in fmt.FIELD_CODES:
        try:
            cells[code] = parse_cell(code, raw.get(code))
        except CellError as exc:
            cells[code] = None
            errors[code] = str(exc)
    return cells, errors


def number(value) -> Decimal:
    """A stored cell as a number for sums: blank and "/" are 0."""
    if value is None or value == fmt.NOT_APPLICABLE or value == "":
        return Decimal(0)
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return Decimal(0)


def _as_stored(code: str, amount: Decimal):
    if fmt.FIELD_BY_CODE[code].decimal:
        return format(amount.normalize(), "f")
    return int(amount)


def with_totals(cells: dict) -> dict:
    """The cells with every total computed from its parts (blank only when all its parts are blank)."""
    result = dict(cells)
    # table 三's （七）总计 row first: the 总计 column of that row adds up these computed cells
    ordered = sorted(fmt.TOTAL_PARTS, key=lambda code: code.endswith(".total"))
    for code in ordered:
        parts = [result.get(p) for p in fmt.TOTAL_PARTS[code]]
        if all(p is None for p in parts):
            result[code] = None
        else:
            result[code] = _as_stored(code, sum((number(p) for p in parts), Decimal(0)))
    return result


def blank_codes(cells: dict) -> list[str]:
    """Entry cells (not totals) still blank, in the order of the report."""
    return [c for c in fmt.FIELD_CODES if c not in fmt.TOTAL_CODES and cells.get(c) is None]


def combine(all_cells: list[dict]) -> dict:
    """The sum of several reports' cells: numbers added; "/" where every report says "/"."""
    result = {}
    for code in fmt.FIELD_CODES:
        values = [cells.get(code) for cells in all_cells]
        if values and all(v == fmt.NOT_APPLICABLE for v in values):
            result[code] = fmt.NOT_APPLICABLE
        elif all(v is None for v in values):
            result[code] = None
        else:
            result[code] = _as_stored(code, sum((number(v) for v in values), Decimal(0)))
    return with_totals(result)


def display(value) -> str:
    """A cell as the form and the exports show it: "" for blank, "/" as is, numbers plainly."""
    if value is None:
        return ""
    return str(value)


# ---------------------------------------------------------------- the seam for figures kept elsewhere
def external_figures(report) -> tuple[dict, str]:
    """Figures of ``report`` that come from another record, and where from (shown beside the table).

    Returns ({field code: value}, "来源说明"). Empty by default. A unit that keeps its 依申请公开
    register in the system gets 表三 and 表四 from it: extend this function (and only this one) to
    return those cells; the form then shows them read-only, the save keeps them and the checks and
    exports use them.
    """
    from reports.annual.register import SOURCE_NOTE, register_figures

    figures = register_figures(report)
    return (figures, SOURCE_NOTE) if figures else ({}, "")


def report_cells(report) -> dict:
    """Every cell of the report as shown: stored cells, overlaid by external figures, totals computed."""
    stored = {code: (report.figures or {}).get(code) for code in fmt.FIELD_CODES}
    external, _source = external_figures(report)
    stored.update({code: value for code, value in external.items() if code in fmt.FIELD_BY_CODE})
    return with_totals(stored)


def carry_forward(previous_cells: dict | None) -> dict:
    """Cells a new report takes from last year's report.

    上年结转 (表三 二) = last year's 结转下年度继续办理 (表三 四), column by column; 现行有效件数 (表二)
    starts from last year's figure (the unit adjusts it for this year's issued and repealed documents).
    """
    if previous_cells is None:
        return {}
    cells = {}
    for col in fmt.T3_APPLICANT_COLUMNS:
        value = previous_cells.get(fmt.t3_code("carry_next", col.code))
        if value is not None:
            cells[fmt.t3_code("carried", col.code)] = value
    for row in fmt.T2_BLOCKS[0].rows:
        code = f"t2.{row.code}.valid"
        if previous_cells.get(code) is not None:
            cells[code] = previous_cells[code]
    return cells


CARRIED_CODES = frozenset([fmt.t3_code("carried", c.code) for c in fmt.T3_APPLICANT_COLUMNS]
                          + [f"t2.{r.code}.valid" for r in fmt.T2_BLOCKS[0].rows])
