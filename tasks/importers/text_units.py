"""Tell unit lines from sentence lines in PDF-extracted text, and split them into lead/responsible.

PDF extraction loses the columns: a cell's lines arrive one after the other and a unit name may
be broken over two lines ("区疾控" + "中心"). These helpers judge lines by their content.
"""
from __future__ import annotations

import re

from tasks.parsing import is_complete_unit_name, is_group_phrase, join_unit_lines, split_unit_tokens

# Characters that occur in sentences but hardly ever in a unit name (outside a note in brackets).
_SENTENCE_CHARS = set("的要并对在将了是把被从向按进其须可。；：？！")
_NOTE_RE = re.compile(r"[（(][^（）()]*[）)]")
# "X牵头" / "Y配合" / "牵头单位：X" mark roles inside a unit cell; they are not part of the name.
_ROLE_WORDS = re.compile(r"(牵头|配合|负责|协办)$|^(牵头|责任|配合|协办)(单位|部门)?[:：]")


def unitish_token(token: str) -> bool:
    """Could this token be a unit name, a piece of one, or a note in brackets?"""
    if "。" in token or len(token) > 40:
        return False
    bare = _NOTE_RE.sub("", token)
    bare = re.split(r"[（(]", bare, maxsplit=1)[0]        # an unclosed note runs to the end
    bare = re.split(r"[）)]", bare)[-1]                   # a note closed here began on a line above
    return len(bare) <= 20 and not (_SENTENCE_CHARS & set(bare))


def unitish_line(line: str) -> bool:
    """Could this line be (part of) a unit cell? Sentences fail; fragments such as "中心、十街镇" pass."""
    tokens = split_unit_tokens(line)
    return bool(tokens) and "。" not in line and all(unitish_token(t) for t in tokens)


def complete_units(lines: list[str]) -> bool:
    """Do these lines, re-joined, make a list of whole unit names?"""
    joined = join_unit_lines(lines)
    if not joined or _open_parens("".join(joined)):
        return False
    tokens = [_ROLE_WORDS.sub("", t) for line in joined for t in split_unit_tokens(line)]
    return bool(tokens) and all(unitish_token(t) and is_complete_unit_name(t) for t in tokens)


def _open_parens(text: str) -> int:
    return text.count("（") + text.count("(") - text.count("）") - text.count(")")


def split_text_and_units(line: str) -> tuple[str, str]:
    """"14.动态公开…流程。 区人社局 区直各有关部门" → (text, units); ("line", "") when no units."""
    parts = line.split()
    for k in range(1, len(parts)):
        head, tail = " ".join(parts[:k]), parts[k:]
        if complete_units(tail) and not complete_units([head]) and all(unitish_line(p) for p in tail):
            return head, " ".join(tail)
    return line, ""


def unit_chunks(lines: list[str]) -> list[str]:
    """Group unit lines into cells: a name broken over lines or a list that goes on after "、" stays
    in one chunk; units side by side on one line (separated by spaces) are different cells."""
    chunks: list[str] = []
    for line in lines:
        for pos, part in enumerate(line.split()):
            if chunks and pos == 0 and len(join_unit_lines([chunks[-1], part])) == 1:
                chunks[-1] += part
            elif chunks and chunks[-1][-1] in "、，,；;":
                chunks[-1] += part
            else:
                chunks.append(part)
    return chunks


def assign_roles(chunks: list[str], columns: list[str]) -> dict[str, str]:
    """Split unit cells between the 牵头单位 and 责任单位 columns the PDF lost.

    Units before the first cell that holds a group phrase (区直各有关部门, 十街镇, 各县（市）区政府 …)
    are lead units; from that cell on they are responsible. Without any group phrase the first cell
    is the lead unit and the others are responsible.
    """
    unit_columns = [c for c in columns if c in ("lead", "responsible", "cooperating")]
    if not chunks or not unit_columns:
        return {}
    if len(unit_columns) == 1:
        return {unit_columns[0]: "\n".join(chunks)}
    first_group = next((i for i, chunk in enumerate(chunks)
                        if any(is_group_phrase(t) for t in split_unit_tokens(chunk))), None)
    if first_group is None:
        first_group = 1 if "lead" in unit_columns else 0
    second = "responsible" if "responsible" in unit_columns else unit_columns[-1]
    first = "lead" if "lead" in unit_columns else unit_columns[0]
    result = {first: "\n".join(chunks[:first_group]), second: "\n".join(chunks[first_group:])}
    return {role: text for role, text in result.items() if text}
