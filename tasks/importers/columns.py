"""Which column is which: header words first, then what the cells hold, then the user's mapping.

The column-mapping API (for the import preview and ``import_breakdown --columns``):

- ``ImportResult.columns`` is a list of ``ColumnInfo(index, header, role, guessed)``, one per column
  of the table read, left to right: ``header`` is the header cell's text as written ("" where the
  table has no header row), ``role`` one of ``ROLES`` ("number", "task", "requirement", "lead",
  "responsible", "cooperating", "deadline", "note", "ignore"), ``label`` its Chinese name (序号 /
  工作任务 / 工作要求 / 牵头单位 / 责任单位 / 配合单位 / 时限 / 备注 / 忽略), and ``guessed`` True where the
  header word was not in the vocabulary and the role comes from the column's content.
- ``parse_text(..., columns=...)`` / ``parse_upload(..., columns=...)`` take an explicit mapping:
  either a list of labels or roles in column order (``"序号,工作要求,牵头单位,责任单位,时限"`` split on
  commas; ``parse_mapping`` does that and checks the words), or a dict from header text to label or
  role (the choice remembered per header word, like unit aliases). Columns the mapping does not
  name keep their detected role.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.importers.result import ImportFailure

ROLES = ("number", "task", "requirement", "lead", "responsible", "cooperating", "deadline", "note", "ignore")
ROLE_LABELS = {"number": "序号", "task": "工作任务", "requirement": "工作要求", "lead": "牵头单位",
               "responsible": "责任单位", "cooperating": "配合单位", "deadline": "时限", "note": "备注",
               "ignore": "忽略"}
LABEL_ROLES = {label: role for role, label in ROLE_LABELS.items()}

# Header words as offices write them (compared with whitespace, "*" and "：" removed).
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "序", "项目编号", "任务编号", "No.", "NO.", "No"),
    "task": ("主要工作任务", "工作任务", "主要任务", "重点任务", "重点工作任务", "任务名称", "工作事项", "工作项目",
             "任务", "领域", "重点领域", "公开领域", "类别", "工作类别", "项目", "事项", "重点工作", "工作重点",
             "工作内容分类", "板块", "任务类别", "公开事项", "工作名称", "重点事项", "目标", "工作目标"),
    "requirement": ("工作要求", "具体要求", "任务内容", "工作内容", "具体任务", "工作措施", "具体措施", "主要内容",
                    "任务要求", "要求", "具体工作要求", "工作任务及要求", "具体内容", "目标和要求", "目标要求",
                    "具体工作", "主要措施", "工作举措", "具体举措", "任务分解", "具体工作任务", "内容",
                    "重点任务及要求", "工作任务和要求", "主要工作内容", "工作要点", "具体事项", "目标任务",
                    "任务及要求", "工作标准", "细化任务", "主要任务及要求"),
    "lead": ("牵头单位", "牵头部门", "牵头责任单位", "牵头", "牵头科室", "牵头处室", "牵头领导单位"),
    "responsible": ("责任单位", "责任部门", "责任主体", "承办单位", "落实单位", "完成单位", "实施单位", "责任科室",
                    "责任处室", "负责单位", "责任股室", "主体单位", "主责单位", "责任单位（部门）", "单位",
                    "具体落实单位", "承担单位", "执行单位", "部门", "责任科（室）", "承办部门"),
    "cooperating": ("配合单位", "配合部门", "协办单位", "协助单位", "配合科室", "参与单位", "协同单位", "协办部门",
                    "配合处室"),
    "deadline": ("完成时限", "时限要求", "完成时间", "时间节点", "办结时限", "时限", "时间", "完成期限", "期限",
                 "完成时间节点", "时间要求", "进度安排", "完成日期", "时间安排", "推进时限"),
    "note": ("备注", "说明"),
    "ignore": ("完成情况", "落实情况", "进展情况", "责任人", "分管领导", "责任领导", "联系人", "联系电话", "公开载体",
               "公开渠道", "公开方式", "公开平台", "载体", "公开形式", "发布渠道", "公开途径", "评估标准", "考核标准",
               "分值", "考核方式", "佐证材料"),
}
_EXACT = {re.sub(r"[\s\u3000]", "", w): role for role, words in HEADER_WORDS.items() for w in words}
# Keywords for header cells outside the list, checked in this order ("工作任务及要求" → requirement).
_KEYWORDS = (
    ("ignore", ("完成情况", "落实情况", "进展", "责任人", "领导", "联系", "载体", "渠道", "方式", "平台", "分值")),
    ("number", ("序号",)),
    ("lead", ("牵头",)),
    ("cooperating", ("配合", "协办", "协助", "参与", "协同")),
    ("deadline", ("时限", "时间", "期限", "日期", "节点")),
    ("responsible", ("单位", "部门", "科室", "处室", "股室", "主体")),
    ("requirement", ("要求", "内容", "措施", "举措", "目标", "具体")),
    ("task", ("任务", "事项", "项目", "领域", "类别", "工作")),
    ("note", ("备注", "说明")),
)
UNIT_ROLES = ("lead", "responsible", "cooperating")


@dataclass
class ColumnInfo:
    index: int
    header: str
    role: str
    guessed: bool = False

    @property
    def label(self) -> str:
        return ROLE_LABELS[self.role]

    def to_json(self) -> dict:
        return {"index": self.index, "header": self.header, "role": self.role, "label": self.label,
                "guessed": self.guessed}


def squash(text: str) -> str:
    return re.sub(r"[\s\u3000:：*＊]+", "", text or "")


def exact_role(text: str) -> str | None:
    """The role of a header word in the vocabulary (not found by a keyword), else None."""
    flat = squash(text)
    return _EXACT.get(flat) or _EXACT.get(re.sub(r"[（(][^）)]{0,12}[）)]", "", flat))


def header_role(text: str) -> str | None:
    """The role a header cell names, or None where it is not a header word."""
    flat = squash(text)
    if not flat or len(flat) > 14 or re.search(r"[:：]\s*\S", text or ""):
        return None
    if flat in _EXACT:
        return _EXACT[flat]
    bare = re.sub(r"[（(][^）)]{0,12}[）)]", "", flat)
    if bare in _EXACT:
        return _EXACT[bare]
    if re.search(r"[，。；、\d]", bare) or len(bare) > 10:
        return None
    for role, words in _KEYWORDS:
        if any(word in bare for word in words):
            return role
    return None


def role_of(word: str) -> str:
    """A label ("工作要求"), a role ("requirement") or a header synonym → role; ImportFailure else."""
    word = squash(word)
    if word in LABEL_ROLES:
        return LABEL_ROLES[word]
    if word in ROLES:
        return word
    if word in ("无", "跳过", "不导入"):
        return "ignore"
    found = exact_role(word)
    if found:
        return found
    allowed = " / ".join(ROLE_LABELS.values())
    raise ImportFailure(f"列名“{word}”无法识别：每一列应为 {allowed} 之一")


def parse_mapping(spec: str | list[str] | dict[str, str] | None) -> list[str] | dict[str, str] | None:
    """"序号,工作要求,牵头单位,责任单位,时限" → ["number", "requirement", …]; a dict keeps its keys."""
    if spec is None:
        return None
    if isinstance(spec, dict):
        return {squash(header): role_of(word) for header, word in spec.items()}
    words = re.split(r"[,，、;；\s]+", spec.strip()) if isinstance(spec, str) else list(spec)
    words = [w for w in words if w.strip()]
    if not words:
        raise ImportFailure("列的对应关系为空：请按列的顺序写出各列，例如“序号,工作要求,牵头单位,责任单位,时限”")
    return [role_of(word) for word in words]


# ---------------------------------------------------------------- content

_ITEM_NUMBER_RE = re.compile(r"^[（(]?\d{1,3}[）)]?[.．、]?$")
_DEADLINE_HINT_RE = re.compile(r"月|年|季度|持续|长期|常态|工作日|及时|每|定期|日前|底前|全年")


def cell_kind(text: str) -> str:
    """What a data cell looks like: "number", "deadline", "unit", "text", "short" or "empty"."""
    from tasks.parsing import find_dates, is_complete_unit_name, is_group_phrase, resolve_deadline, split_unit_cell

    flat = squash(text)
    if not flat or flat in ("—", "——", "/", "无", "-", "／"):
        return "empty"
    if _ITEM_NUMBER_RE.match(flat):
        return "number"
    if _DEADLINE_HINT_RE.search(flat) and resolve_deadline(flat, 2000).recognised and (
            (len(flat) <= 16 and not re.search(r"[。；，,]", flat))
            or (len(flat) <= 30 and "。" not in flat and find_dates(flat, 2000))):
        return "deadline"
    if len(flat) <= 80 and not re.search(r"[。；！？]", flat):
        refs = split_unit_cell(re.sub(r"等(单位|部门)?$", "", text.strip()))
        if refs and all(is_complete_unit_name(r.name) or is_group_phrase(r.name) for r in refs) \
                and all(len(r.name) <= 20 for r in refs):
            return "unit"
    return "text" if len(flat) > 25 or re.search(r"[。；]", flat) else "short"


def guess_roles(columns: list[list[str]], known: dict[int, str]) -> dict[int, str]:
    """Roles for the columns ``known`` lacks, from their cells (one list of texts per column)."""
    roles = dict(known)
    stats: dict[int, dict[str, float]] = {}
    for index, texts in enumerate(columns):
        kinds = [cell_kind(t) for t in texts]
        filled = [k for k in kinds if k != "empty"]
        if not filled:
            continue
        share = {k: filled.count(k) / len(filled) for k in set(filled)}
        share["length"] = sum(len(squash(t)) for t in texts if squash(t)) / len(filled)
        stats[index] = share
    free = [i for i in sorted(stats) if i not in roles]
    taken = set(roles.values())
    for i in free:
        s = stats[i]
        if s.get("number", 0) >= 0.6 and "number" not in taken and s["length"] <= 5:
            roles[i] = "number"
        elif s.get("deadline", 0) >= 0.5 and "deadline" not in taken:
            roles[i] = "deadline"
        else:
            continue
        taken.add(roles[i])
    unit_cols = [i for i in free if i not in roles and stats[i].get("unit", 0) >= 0.5 and stats[i]["length"] < 80]
    text_cols = [i for i in free if i not in roles and i not in unit_cols]
    have_units = [r for r in roles.values() if r in UNIT_ROLES]
    for i in unit_cols:
        if "lead" not in roles.values() and len(unit_cols) + len(have_units) >= 2 and i == unit_cols[0] \
                and not have_units:
            roles[i] = "lead"
        elif "responsible" not in roles.values():
            roles[i] = "responsible"
        elif "cooperating" not in roles.values():
            roles[i] = "cooperating"
        else:
            roles[i] = "note"
    if text_cols and "requirement" not in roles.values():
        roles[max(text_cols, key=lambda i: stats[i]["length"])] = "requirement"  # the longest text
    requirement_at = min((k for k, r in roles.items() if r == "requirement"), default=-1)
    for i in text_cols:
        if i in roles:
            continue
        # Text columns left of the requirement: titles or headings (一、 / （一）); right of it: notes.
        roles[i] = "task" if i < requirement_at else "note"
    return roles


def apply_mapping(roles: dict[int, str], headers: list[str], width: int,
                  mapping: list[str] | dict[str, str] | None) -> tuple[dict[int, str], set[int]]:
    """The roles after the user's mapping, and the columns the mapping set."""
    if not mapping:
        return roles, set()
    roles = dict(roles)
    chosen: set[int] = set()
    if isinstance(mapping, dict):
        for index in range(width):
            key = squash(headers[index] if index < len(headers) else "")
            if key and key in mapping:
                roles[index] = mapping[key]
                chosen.add(index)
        return roles, chosen
    if len(mapping) > width:
        raise ImportFailure(f"指定了 {len(mapping)} 列，但表格只有 {width} 列：请按表格的列顺序逐列写出")
    for index, role in enumerate(mapping):
        roles[index] = role
        chosen.add(index)
    return roles, chosen
