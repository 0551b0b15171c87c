"""Unit cells: split into units, read 牵头/配合/负责 markers, keep notes on their unit."""
from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.parsing.text import _TAG_RE, _WS

# ---------------------------------------------------------------- units

UNIT_SUFFIXES = ("局", "办", "委", "厅", "院", "会", "部", "中心", "政府", "单位", "部门", "镇", "乡", "街道",
                 "处", "室", "所", "站", "队", "馆", "署", "社", "团", "联", "协", "校", "园", "司", "行", "组",
                 "集团", "科", "股", "区", "县", "市", "企业", "机构", "机关", "公安", "法院", "小组", "管委会")
_GROUP_RE = re.compile(r"各|有关单位|有关部门|相关部门|相关单位|属单位|^[一二三四五六七八九十\d]+个?街镇$")
_SEPARATORS = "、，,；;/／"
_ROLE_LABELS = {"牵头单位": "lead", "牵头部门": "lead", "牵头": "lead", "责任单位": "responsible",
                "责任部门": "responsible", "配合单位": "cooperating", "配合部门": "cooperating",
                "配合": "cooperating", "协办单位": "cooperating"}
_ROLE_SUFFIXES = (("牵头", "lead"), ("配合", "cooperating"), ("协办", "cooperating"), ("负责", "responsible"))


@dataclass(frozen=True)
class UnitRef:
    text: str
    name: str
    note: str = ""
    role: str = "responsible"


def is_group_phrase(name: str) -> bool:
    """Phrases that stand for many units: 区直各有关部门, 十街镇, 各县（市）区政府 …"""
    return bool(_GROUP_RE.search(name or ""))


def _paren_depth(s: str) -> int:
    return s.count("（") + s.count("(") - s.count("）") - s.count(")")


def _last_token(s: str) -> str:
    return re.split(f"[{_SEPARATORS}\\s]", s)[-1]


def is_complete_unit_name(token: str) -> bool:
    """Does a (part of a) cell end where a unit name can end? "区疾控" and "高新区管" do not."""
    token = token.strip().rstrip("。")
    if not token or _paren_depth(token) != 0:
        return False
    if re.search(r"[（(](市|区|县|市、区|县、区)[）)]$", token):
        return False
    if token.endswith(("）", ")")):
        return True
    return token.endswith(UNIT_SUFFIXES) or is_group_phrase(token)


def join_unit_lines(lines: list[str]) -> list[str]:
    """Re-join unit names that PDF extraction broke over two lines; returns one string per line kept."""
    out: list[str] = []
    for raw in lines:
        line = re.sub(f"[{_WS}]+", " ", raw).strip()
        if not line:
            continue
        if out:
            prev = out[-1]
            last = _last_token(prev)
            joins = (_paren_depth(prev) > 0 or line[0] in "（(）)"
                     or (prev[-1] not in _SEPARATORS and not is_complete_unit_name(last))
                     or (prev[-1] not in _SEPARATORS and re.match(r"各(有关|相关)?(部门|单位)", line)))
            if joins:
                out[-1] = prev + line
                continue
        out.append(line)
    return out


def split_unit_tokens(text: str) -> list[str]:
    tokens, current, depth = [], "", 0
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(depth - 1, 0)
        if depth == 0 and (ch in _SEPARATORS or ch in _WS):
            tokens.append(current)
            current = ""
        else:
            current += ch
    tokens.append(current)
    return [t.strip().rstrip("。.") for t in tokens if t.strip().rstrip("。.")]


def _split_note(token: str) -> tuple[str, str]:
    match = re.match(r"^(.+?)[（(]([^（）()]*)[）)]$", token)
    if not match or match.group(2) in ("市", "区", "县", "市、区", "县、区"):
        return token, ""
    return match.group(1), match.group(2)


def split_unit_cell(text: str | None, default_role: str = "responsible") -> list[UnitRef]:
    """Split a 牵头单位/责任单位 cell into units, reading 牵头/配合/负责 markers; see the tests."""
    if not text or not text.strip():
        return []
    text = _TAG_RE.sub("\n", text)
    joined = "\n".join(join_unit_lines(text.splitlines()))
    refs: list[UnitRef] = []
    pending: list[str] = []
    role = default_role

    def flush(as_role: str) -> None:
        for token in pending:
            name, note = _split_note(token)
            if note in ("牵头", "配合", "负责"):
                as_role = dict(_ROLE_SUFFIXES)[note]
                token, note = name, ""
            refs.append(UnitRef(token, name, note, as_role))
        pending.clear()

    for token in split_unit_tokens(joined.replace("：", ":")):
        label, _, rest = token.partition(":")
        if rest or token.endswith(":"):
            flush(role)
            role = _ROLE_LABELS.get(label, role)
            token = rest
            if not token:
                continue
        for word, word_role in _ROLE_SUFFIXES:
            if token.endswith(word) and len(token) > len(word) and _paren_depth(token) == 0:
                pending.append(token[: -len(word)].removesuffix("单位"))
                flush(word_role)
                break
        else:
            pending.append(token)
    flush(role)
    seen: set[tuple[str, str]] = set()
    unique = []
    for ref in refs:
        if (ref.text, ref.role) not in seen:
            seen.add((ref.text, ref.role))
            unique.append(ref)
    return unique
