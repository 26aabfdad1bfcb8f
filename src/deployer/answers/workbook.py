"""The answers file as a spreadsheet form (XLSX or ODS): written from answers, read back as answers.

``workbook_layout`` says how the form is laid out, ``workbook_form`` fills it with answers,
``workbook_xlsx`` and ``workbook_ods`` write and read each format, ``workbook_safety`` opens
untrusted files, ``workbook_reading`` turns cells back into answers-file data, which
``answers_file.parse_answers_file`` validates like a YAML file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from deployer.answers.answers_file import Answers
from deployer.schema.content import Content

Format = Literal["yaml", "xlsx", "ods"]
FORMATS: dict[str, Format] = {".yaml": "yaml", ".yml": "yaml", ".xlsx": "xlsx", ".ods": "ods"}


def format_of(path: Path) -> Format | None:
    """The format a file name asks for, from its suffix."""
    return FORMATS.get(path.suffix.lower())


def workbook_bytes(content: Content, answers: Answers, kind: Literal["xlsx", "ods"]) -> bytes:
    """The form filled with these answers (empty answers: the template to fill)."""
    from deployer.answers.workbook_form import build_form

    form = build_form(content, answers)
    if kind == "xlsx":
        from deployer.answers.workbook_xlsx import xlsx_bytes

        return xlsx_bytes(form)
    from deployer.answers.workbook_ods import ods_bytes

    return ods_bytes(form)
