"""What scenarios hand back (tables and targets) and how they are printed.

Tables are plain data so that one run can print them for a terminal (packed side
by side while they fit in the width) or as Markdown for ``benchmarks/README.md``.
Targets are reported as PASS/FAIL lines, never raised: a missed target is a
finding to read, not a crash that hides the other figures.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from stats import Sample

GAP = "   "


@dataclasses.dataclass(frozen=True)
class Table:
    """A titled grid of already formatted cells, with notes printed under it."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Target:
    """One goal: what was measured against what was wanted, and whether it was met."""

    scenario: str
    goal: str
    measured: str
    passed: bool


@dataclasses.dataclass(frozen=True)
class Outcome:
    """Everything one scenario reports."""

    tables: tuple[Table, ...]
    targets: tuple[Target, ...]


def seconds(value: float) -> str:
    """Seconds with millisecond resolution."""
    return f"{value:.3f}"


def ratio(value: float) -> str:
    """A ratio such as ``1.74x``."""
    return f"{value:.2f}x"


def spread(sample: Sample) -> tuple[str, str, str]:
    """Median, min and max of a sample of seconds, formatted."""
    return seconds(sample.median), seconds(sample.min), seconds(sample.max)


def _widths(table: Table) -> list[int]:
    columns = zip(table.headers, *table.rows, strict=True)
    return [max(len(cell) for cell in column) for column in columns]


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    first = cells[0].ljust(widths[0])
    rest = (cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))
    return "  ".join((first, *rest))


def render_text(table: Table) -> list[str]:
    """The table as fixed-width lines (first column left-aligned, numbers right)."""
    widths = _widths(table)
    header = _line(table.headers, widths)
    lines = [table.title, "-" * max(len(header), len(table.title)), header]
    lines += [_line(row, widths) for row in table.rows]
    return lines + list(table.notes)


def render_markdown(table: Table) -> list[str]:
    """The table as a Markdown section (title in bold, notes as a list)."""
    lines = [f"**{table.title}**", "", "| " + " | ".join(table.headers) + " |"]
    lines.append("|" + "|".join([":---", *["---:"] * (len(table.headers) - 1)]) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in table.rows]
    if table.notes:
        lines += ["", *(f"- {note}" for note in table.notes)]
    return [*lines, ""]


def side_by_side(blocks: Sequence[list[str]], width: int) -> list[str]:
    """Pack text blocks left to right while they fit in ``width``, then start a new band."""
    bands: list[list[list[str]]] = [[]]
    used = 0
    for block in blocks:
        block_width = max(len(line) for line in block)
        if bands[-1] and used + len(GAP) + block_width > width:
            bands.append([])
            used = 0
        used += (len(GAP) if bands[-1] else 0) + block_width
        bands[-1].append(block)
    lines: list[str] = []
    for band in bands:
        lines += [*_join_band(band), ""]
    return lines


def _join_band(band: list[list[str]]) -> list[str]:
    widths = [max(len(line) for line in block) for block in band]
    height = max(len(block) for block in band)
    rows = []
    for index in range(height):
        cells = [
            (block[index] if index < len(block) else "").ljust(block_width)
            for block, block_width in zip(band, widths, strict=True)
        ]
        rows.append(GAP.join(cells).rstrip())
    return rows


def target_lines(targets: Sequence[Target]) -> list[str]:
    """One PASS/FAIL line per target."""
    return [
        f"[{'PASS' if target.passed else 'FAIL'}] ({target.scenario}) {target.goal}: "
        f"{target.measured}"
        for target in targets
    ]


def target_markdown(targets: Sequence[Target]) -> list[str]:
    """The targets as a Markdown table."""
    lines = ["| scenario | target | measured | result |", "|:---|:---|:---|:---:|"]
    lines += [
        f"| {t.scenario} | {t.goal} | {t.measured} | {'PASS' if t.passed else 'FAIL'} |"
        for t in targets
    ]
    return lines
