"""First drafts of sections 一, 五 and 六, written from the year's task table in the owner's voice.

* Voice: a unit's report speaks as 本单位; only the government's own report says 我区.
* Date: the figures are "截至{year}年底" once the year is over, else as of the day of the last progress
  report in scope (never the day the draft happens to be written for an earlier year).
* 一 gives the overview: the openness work in one opening sentence, how many tasks the table gave the
  owner and how many are done, then the template's five headings to fill in.
* 六 reports how the year's 政务公开工作要点 were carried out, item by item with whole titles and the
  units' own progress texts (a lead unit's summary where there is one); the government's report also
  asks for 工作考核、社会评议和责任追究结果 (条例第五十条). No paragraph stands in two sections.
* 五 states problems and rectification in publishable prose: how many tasks are behind and in which
  areas, not an internal overdue list or an on-time percentage.
Anything only a person can write is marked 【待补充：…】, which blocks finalising until replaced.

For the government's report the office's own 年报文字 (AnnualSummaryText), where saved, is taken as the
task-table paragraph of 六 instead of the generated one.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from reports.summary import STATUS_DONE, STATUS_NOT_APPLICABLE, scoped_notices, summary_rows

HIGHLIGHTS = 8          # items described in 六 (the rest are counted)
PROGRESS_CHARS = 200    # a progress text longer than this is cut at its last full sentence
_ORDINALS = "一二三四五六七八九十"


@dataclass
class _Task:
    number: int | None
    title: str
    section: str
    done: bool
    not_applicable: bool
    progress: str
    reported_on: datetime.date | None


def _first_line(text: str) -> str:
    return (text or "").split("\n")[0].strip().rstrip("。；;")


def _sentences_up_to(text: str, limit: int) -> str:
    """The text, or its first sentences up to ``limit`` characters (never cut inside a sentence)."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit) for mark in "。；;！")
    return text[: cut + 1] if cut > 0 else text


def _tasks(*, user, year: int, as_of: datetime.date, unit_short_name: str | None) -> list[_Task]:
    tasks = []
    for row in summary_rows(user, year=year, today=as_of):
        if row.kind != "item":
            continue
        lines = row.unit_lines
        if unit_short_name is not None:
            lines = [line for line in lines if line.unit_name == unit_short_name]
            if not lines:
                continue
            own = lines[0]
            done = own.status == "已完成"
            not_applicable = own.status == "不涉及"
            progress = own.text or ""
            reported = own.reported_on
        else:
            done = row.status == STATUS_DONE
            not_applicable = row.status == STATUS_NOT_APPLICABLE
            texts = [line.text for line in lines if line.text]
            progress = row.lead_summary or (texts[0] if texts else "")
            dates = [line.reported_on for line in lines if line.reported_on]
            reported = max(dates) if dates else None
        tasks.append(_Task(row.number, _first_line(row.text), row.section_heading, done, not_applicable,
                           progress, reported))
    return tasks


def as_of_text(year: int, today: datetime.date, tasks: list[_Task]) -> str:
    if today > datetime.date(year, 12, 31):
        return f"截至{year}年底"
    dates = [t.reported_on for t in tasks if t.reported_on]
    last = max(dates) if dates else None
    if last is None:
        return f"截至{year}年{today.month}月"
    return f"截至{last.year}年{last.month}月{last.day}日"


def draft_overview(*, subject: str, year: int, tasks: list[_Task], notices: str, when: str) -> str:
    applicable = [t for t in tasks if not t.not_applicable]
    done = sum(t.done for t in applicable)
    lines = [f"{year}年，{subject}认真贯彻落实《中华人民共和国政府信息公开条例》和上级关于政务公开工作的部署要求，"
             "坚持以公开为常态、不公开为例外，扎实推进政府信息公开工作。"]
    if applicable:
        source = f"按照{notices}，" if notices else ""
        lines.append(f"{source}{subject}承担政务公开重点工作任务{len(applicable)}项，{when}已完成{done}项"
                     + (f"，其余{len(applicable) - done}项正在推进。" if done < len(applicable) else "。"))
    lines += [
        "（一）主动公开。【待补充：主动公开政府信息的总体情况和重点领域信息公开情况】",
        "（二）依申请公开。【待补充：收到和处理政府信息公开申请的情况，数字应与第三部分表格一致】",
        "（三）政府信息管理。【待补充：政府信息公开审查、规范性文件清理、政策解读等情况】",
        "（四）平台建设。【待补充：政府网站、政务新媒体等公开平台建设情况】",
        "（五）监督保障。【待补充：组织领导、培训、考核、社会评议等情况】",
    ]
    return "\n".join(lines)


def draft_problems(*, subject: str, year: int, tasks: list[_Task]) -> str:
    behind = [t for t in tasks if not t.done and not t.not_applicable]
    areas = []
    for task in behind:
        area = task.section.split("、", 1)[-1].strip()
        if area and area not in areas:
            areas.append(area)
    lines = [f"{year}年，{subject}政府信息公开工作取得了一定成效，但对照新形势新要求，仍存在一些不足："]
    if behind:
        where = f"，主要集中在{'、'.join(areas[:3])}等方面" if areas else ""
        lines.append(f"一是部分重点工作推进不够快，年度任务中有{len(behind)}项尚未全部完成{where}。"
                     "二是【待补充：其他存在的问题，如公开内容的全面性、政策解读的针对性等】")
    else:
        lines.append("【待补充：存在的主要问题，如公开内容的全面性、及时性，政策解读的针对性等】")
    lines.append(f"下一步，{subject}将对尚未完成的工作逐项分析原因，明确整改措施、责任人和完成时限，"
                 f"纳入{year + 1}年政务公开工作统筹推进；同时加强业务培训和日常检查，持续提升政府信息公开质量。"
                 "【待补充：其他改进措施】")
    return "\n".join(lines)


def draft_other(*, subject: str, year: int, tasks: list[_Task], office_text: str, is_government: bool) -> str:
    lines = ["（一）收取信息处理费情况。【待补充：按照《政府信息公开信息处理费管理办法》收取信息处理费的情况，"
             "未收取的写明“本年度未收取信息处理费”】",
             f"（二）落实{year}年政务公开工作要点情况。"]
    if office_text:
        lines.append(office_text)
    else:
        described = [t for t in tasks if not t.not_applicable][:HIGHLIGHTS]
        for index, task in enumerate(described, start=1):
            progress = _sentences_up_to(task.progress, PROGRESS_CHARS)
            state = progress if progress else "【待补充：落实情况】"
            lines.append(f"{index}. {task.title}。{state}")
        rest = len([t for t in tasks if not t.not_applicable]) - len(described)
        if rest > 0:
            lines.append(f"其余{rest}项任务的落实情况见本年度政务公开工作任务落实情况汇总表。")
        if not described:
            lines.append("【待补充：年度政务公开工作任务落实情况】")
    if is_government:
        lines.append("（三）工作考核、社会评议和责任追究结果情况。【待补充：按照《中华人民共和国政府信息公开条例》第五十条，"
                     "写明政府信息公开工作考核、社会评议和责任追究结果】")
    return "\n".join(lines)


def _office_text(year: int, government_id: int | None) -> str:
    from reports.services import annual_text_get

    saved = annual_text_get(year=year, government_id=government_id)
    return saved.text.strip() if saved is not None and saved.text.strip() else ""


def draft_sections(*, user, owner: str, year: int, today: datetime.date, use_office_text: bool,
                   is_government: bool = False, unit=None) -> dict[str, str]:
    """Texts for sections 一, 五 and 六 (the others are the tables' optional lead-ins)."""
    subject = "我区" if is_government else "本单位"
    as_of = min(today, datetime.date(year, 12, 31))
    scope = None if is_government or unit is None else unit.short_name
    if not is_government and unit is None and user.unit_id:
        scope = user.unit.short_name
    tasks = _tasks(user=user, year=year, as_of=as_of, unit_short_name=scope)
    notices = "、".join(f"《{n.title}》（{n.doc_number}）" for n in scoped_notices(user, year))
    office_text = _office_text(year, user.government_id) if use_office_text and is_government else ""
    return {
        "overview": draft_overview(subject=subject, year=year, tasks=tasks, notices=notices,
                                   when=as_of_text(year, today, tasks)),
        "problems": draft_problems(subject=subject, year=year, tasks=tasks),
        "other": draft_other(subject=subject, year=year, tasks=tasks, office_text=office_text,
                             is_government=is_government),
    }
