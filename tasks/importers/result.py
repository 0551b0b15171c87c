"""What an import returns: the parsed notice plus warnings and skipped rows, or an ImportFailure."""
from __future__ import annotations

from dataclasses import dataclass, field

from core.uploads import ImportFailure, location  # noqa: F401 (defined in core, used by every importer)
from tasks.breakdown import ParsedNotice


@dataclass
class ImportIssue:
    row: int | None
    column: int | str | None
    message: str
    kind: str

    @classmethod
    def at(cls, kind: str, detail: str, *, row: int | None = None, column: int | str | None = None,
           where: str = "") -> "ImportIssue":
        prefix = location(row, column, where=where)
        return cls(row, column, f"{prefix}：{detail}" if prefix else detail, kind)


@dataclass
class ImportResult:
    notice: ParsedNotice
    warnings: list[ImportIssue] = field(default_factory=list)
    skipped_rows: list[ImportIssue] = field(default_factory=list)
    # Doc numbers the notice cites (upstream documents), normalised, in order.
    cited_documents: list[str] = field(default_factory=list)
    # "docx", "xlsx", "text-tabs", "text-pdf", "text-prose": which reader produced the result.
    source_kind: str = ""
    # One ColumnInfo per column of the table read (tasks.importers.columns): the mapping API.
    columns: list = field(default_factory=list)
    # Items without any 时限 (row and column named): the preview offers the report-back date, year
    # end or ongoing for them. Kept apart from ``warnings``: a table without a 时限 column has many.
    missing_deadlines: list[ImportIssue] = field(default_factory=list)

    @property
    def hints(self) -> list[ImportIssue]:
        """Everything the preview flags, in source order: guessed columns, joined rows, items without
        units or deadline, deadlines not understood …"""
        return sorted(self.warnings + self.missing_deadlines, key=lambda issue: issue.row or 0)
