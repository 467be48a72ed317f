"""Problems found in a data folder, each naming the place and the fix."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one place of a data folder."""

    file: str
    message: str
    fix: str = ""
    row: int | None = None  # spreadsheet row: the header is row 1
    column: str | None = None

    @property
    def place(self) -> str:
        place = self.file
        if self.row is not None:
            place += f" row {self.row}"
        if self.column:
            place += f", column {self.column}" if self.row is not None else f" column {self.column}"
        return place

    def __str__(self) -> str:
        text = f"{self.place}: {self.message}"
        if self.fix:
            text += f". Fix: {self.fix}"
        return text if text.endswith((".", "?", "!")) else text + "."


class DataError(Exception):
    """Raised when a data folder has problems; carries every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
