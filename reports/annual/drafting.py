"""First drafts of sections 一, 五 and 六 from how the year's task table was carried out.

The words come from the yearly implementation summary of the reports app (issue 4):
``reports.services.annual_text_draft`` (the figures paragraph, scoped to what the drafting user sees)
or, for the office's own and the government's report, the paragraph the office saved for the year
(``AnnualSummaryText``); section 五 lists the items not done from ``reports.summary.summary_rows``.
Anything the drafter must still write is marked ``【待补充：…】``, which the checks flag until replaced.
"""
from __future__ import annotations

import datetime

from reports.summary import STATUS_DONE, STATUS_NOT_APPLICABLE, summary_rows

UNFINISHED_LISTED = 10
_ORDINALS = "一二三四五六七八九十"


def _summary_text(*, user, year: int, today: datetime.date, use_office_text: bool) -> str:
    from reports.services import annual_text_draft, annual_text_get

    if use_office_text:
        saved = annual_text_get(year=year)
        if saved is not None and saved.text.strip():
            return saved.text.strip()
    return annual_text_draft(user=user, year=year, today=today)


def unfinished_items(*, user, year: int, today: datetime.date) -> list:
    return [row for row in summary_rows(user, year=year, today=today)
            if row.kind == "item" and row.status not in (STATUS_DONE, STATUS_NOT_APPLICABLE)]


def _short(text: str, length: int = 40) -> str:
    first = (text or "").split("\n")[0].strip()
    return first if len(first) <= length else first[:length] + "…"


def draft_overview(*, owner: str, year: int, summary: str) -> str:
    first = summary.split("\n")[0] if summary else ""
    return "\n".join(p for p in (
        f"{year}年，{owner}认真贯彻落实《中华人民共和国政府信息公开条例》和上级关于政务公开工作的部署要求，"
        f"扎实推进政府信息公开工作。",
        first,
        "（一）主动公开。【待补充：主动公开政府信息的总体情况和重点领域信息公开情况】",
        "（二）依申请公开。【待补充：收到和处理政府信息公开申请的情况，数字应与第三部分表格一致】",
        "（三）政府信息管理。【待补充：政府信息公开审查、规范性文件清理、政策解读等情况】",
        "（四）平台建设。【待补充：政府网站、政务新媒体等公开平台建设情况】",
        "（五）监督保障。【待补充：组织领导、培训、考核、社会评议等情况】",
    ) if p)


def draft_problems(*, year: int, unfinished: list) -> str:
    lines = [f"{year}年政府信息公开工作取得了一定成效，但仍存在一些不足："]
    for index, row in enumerate(unfinished[:UNFINISHED_LISTED]):
        ordinal = _ORDINALS[index] if index < len(_ORDINALS) else str(index + 1)
        lines.append(f"{ordinal}是政务公开工作任务分解表第{row.number}项“{_short(row.text)}”尚未完成（{row.status}）。")
    if len(unfinished) > UNFINISHED_LISTED:
        lines.append(f"另有{len(unfinished) - UNFINISHED_LISTED}项任务尚未完成。")
    if not unfinished:
        lines.append("【待补充：存在的主要问题】")
    lines.append(f"下一步，将对未完成事项逐项分析原因，明确整改措施和完成时限，纳入{year + 1}年政务公开工作任务跟踪督办，"
                 "确保整改到位。【待补充：其他改进措施】")
    return "\n".join(lines)


def draft_other(*, year: int, summary: str) -> str:
    return "\n".join((
        "（一）收取信息处理费情况。【待补充：按照《政府信息公开信息处理费管理办法》收取信息处理费的情况，未收取的写明“本年度未收取信息处理费”】",
        f"（二）落实{year}年政务公开工作要点情况。",
        summary or "【待补充：年度政务公开工作任务落实情况】",
    ))


def draft_sections(*, user, owner: str, year: int, today: datetime.date, use_office_text: bool,
                   is_government: bool = False) -> dict[str, str]:
    """Texts for a new report: sections 一, 五 and 六 drafted, the others left for the tables' notes."""
    summary = _summary_text(user=user, year=year, today=today, use_office_text=use_office_text)
    unfinished = unfinished_items(user=user, year=year, today=today)
    return {
        "overview": draft_overview(owner=owner, year=year, summary=summary),
        "problems": draft_problems(year=year, unfinished=unfinished),
        "other": draft_other(year=year, summary=summary),
    }
