"""The parsed shape of a notice and its breakdown table.

Pure dataclasses mirroring ../shared/breakdown-json.md: parsers produce them, the import service
saves them, ``dump_notice`` and ``import_breakdown --json`` print them. No database access here.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass
class ParsedTask:
    number: int
    title: str = ""
    requirement: str = ""
    lead_units: list[str] = field(default_factory=list)
    responsible_units: list[str] = field(default_factory=list)
    cooperating_units: list[str] = field(default_factory=list)
    deadline_text: str = ""
    deadline: datetime.date | None = None
    # Where the item came from in the source (1-based row), for messages; not part of the JSON.
    source_row: int | None = None

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "title": self.title,
            "requirement": self.requirement,
            "lead_units": list(self.lead_units),
            "responsible_units": list(self.responsible_units),
            "cooperating_units": list(self.cooperating_units),
            "deadline_text": self.deadline_text,
            "deadline": self.deadline.isoformat() if self.deadline else None,
        }

    @classmethod
    def from_json(cls, data: dict) -> "ParsedTask":
        deadline = data.get("deadline")
        return cls(
            number=int(data["number"]),
            title=data.get("title") or "",
            requirement=data.get("requirement") or "",
            lead_units=list(data.get("lead_units") or []),
            responsible_units=list(data.get("responsible_units") or []),
            cooperating_units=list(data.get("cooperating_units") or []),
            deadline_text=data.get("deadline_text") or "",
            deadline=datetime.date.fromisoformat(deadline) if deadline else None,
        )


@dataclass
class ParsedSubsection:
    number: str
    title: str
    tasks: list[ParsedTask] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"number": self.number, "title": self.title, "tasks": [t.to_json() for t in self.tasks]}

    @classmethod
    def from_json(cls, data: dict) -> "ParsedSubsection":
        return cls(
            number=data["number"],
            title=data.get("title") or "",
            tasks=[ParsedTask.from_json(t) for t in data.get("tasks") or []],
        )


@dataclass
class ParsedSection:
    number: str
    title: str
    subsections: list[ParsedSubsection] = field(default_factory=list)
    tasks: list[ParsedTask] = field(default_factory=list)

    def all_tasks(self) -> list[ParsedTask]:
        return list(self.tasks) + [t for sub in self.subsections for t in sub.tasks]

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "title": self.title,
            "subsections": [s.to_json() for s in self.subsections],
            "tasks": [t.to_json() for t in self.tasks],
        }

    @classmethod
    def from_json(cls, data: dict) -> "ParsedSection":
        return cls(
            number=data["number"],
            title=data.get("title") or "",
            subsections=[ParsedSubsection.from_json(s) for s in data.get("subsections") or []],
            tasks=[ParsedTask.from_json(t) for t in data.get("tasks") or []],
        )


@dataclass
class ParsedNotice:
    doc_number: str | None = None
    year: int | None = None
    issuer: str | None = None
    issue_date: datetime.date | None = None
    title: str | None = None
    sections: list[ParsedSection] = field(default_factory=list)

    def all_tasks(self) -> list[ParsedTask]:
        return [t for s in self.sections for t in s.all_tasks()]

    def to_json(self) -> dict:
        return {
            "doc_number": self.doc_number,
            "year": self.year,
            "issuer": self.issuer,
            "issue_date": self.issue_date.isoformat() if self.issue_date else None,
            "title": self.title,
            "sections": [s.to_json() for s in self.sections],
        }

    @classmethod
    def from_json(cls, data: dict) -> "ParsedNotice":
        issue_date = data.get("issue_date")
        return cls(
            doc_number=data.get("doc_number"),
            year=data.get("year"),
            issuer=data.get("issuer"),
            issue_date=datetime.date.fromisoformat(issue_date) if issue_date else None,
            title=data.get("title"),
            sections=[ParsedSection.from_json(s) for s in data.get("sections") or []],
        )
