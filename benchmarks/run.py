"""Run the packagex_async benchmarks and print their figures and targets.

    python benchmarks/run.py                   # everything, 5 timed runs each (a few minutes)
    python benchmarks/run.py --quick           # smoke run: 3 timed runs each
    python benchmarks/run.py -s listing -s retrieves
    python benchmarks/run.py --markdown        # tables as Markdown, for the README

Scenarios: ``listing`` (1), ``concurrency`` (2), ``memory`` (3), ``retrieves`` (4),
``rows`` (5), ``creates`` (6), ``web`` (7), ``installed`` (8: listing and retrieve
in a fresh venv holding what the README's first install command installs), ``fleet``
(9, needs ``redis-server``);
``benchmarks/README.md`` says what each measures. Every fake server runs in its own
process on 127.0.0.1 and is stopped before this script exits, Ctrl-C included.
Targets print PASS/FAIL; a FAIL does not change the exit status, a scenario that
crashes does (1), after the others have run.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import textwrap
import time
import traceback
from collections.abc import Callable, Sequence

import concurrency
import creates
import fleet
import installed
import listing
import memory
import retrieves
import rows
import web
from machine import busy_warning, describe
from report import (
    Outcome,
    Table,
    render_markdown,
    render_text,
    side_by_side,
    target_lines,
    target_markdown,
)

SCENARIOS: dict[str, Callable[[int], Outcome]] = {
    "listing": listing.run,
    "concurrency": concurrency.run,
    "memory": memory.run,
    "retrieves": retrieves.run,
    "rows": rows.run,
    "creates": creates.run,
    "web": web.run,
    "installed": installed.run,
    "fleet": fleet.run,
}
ALIASES = {str(number): name for number, name in enumerate(SCENARIOS, start=1)}
FULL_REPETITIONS = 5
QUICK_REPETITIONS = 3
PIPE_WIDTH = 200  # output redirected to a file: no terminal to fit


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Which scenarios, how many repetitions, which output format."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "-s",
        "--scenario",
        action="append",
        choices=[*SCENARIOS, *ALIASES],
        help="run only this scenario (repeatable; default: all)",
    )
    parser.add_argument("--quick", action="store_true", help="fewer repetitions: a smoke run")
    parser.add_argument("-n", "--repetitions", type=int, help="timed runs per measurement")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--width", type=int, help="columns for side-by-side tables")
    args = parser.parse_args(argv)
    if args.repetitions is not None and args.repetitions < 1:
        parser.error("--repetitions must be >= 1")
    return args


def _repetitions(args: argparse.Namespace) -> int:
    if args.repetitions is not None:
        return int(args.repetitions)
    return QUICK_REPETITIONS if args.quick else FULL_REPETITIONS


def _selected(args: argparse.Namespace) -> list[str]:
    chosen = [ALIASES.get(name, name) for name in args.scenario or SCENARIOS]
    return [name for name in SCENARIOS if name in chosen]  # report order, no duplicates


def _width(args: argparse.Namespace) -> int:
    if args.width:
        return int(args.width)
    return shutil.get_terminal_size((PIPE_WIDTH, 24)).columns if sys.stdout.isatty() else PIPE_WIDTH


def _print_machine(
    facts: list[tuple[str, str]], markdown: bool, repetitions: int, width: int
) -> None:
    facts = [*facts, ("timed runs", f"{repetitions} per figure (median, min, max)")]
    if markdown:
        print("| | |\n|:---|:---|")
        print("\n".join(f"| {name} | {value} |" for name, value in facts) + "\n")
    else:
        line = " | ".join(f"{name}: {value}" for name, value in facts)
        print(textwrap.fill(line, width=min(width, 120)) + "\n")


def _print_tables(tables: list[Table], markdown: bool, width: int) -> None:
    if markdown:
        for table in tables:
            print("\n".join(render_markdown(table)))
    else:
        print("\n".join(side_by_side([render_text(table) for table in tables], width)))


def _run_scenario(name: str, repetitions: int) -> Outcome | None:
    """One scenario; a crash (say, an SDK change mid-refactor) is printed, not fatal."""
    try:
        return SCENARIOS[name](repetitions)
    except Exception:
        print(f"scenario {name} crashed:", file=sys.stderr)
        traceback.print_exc()
        return None


def _interrupt_on_sigterm() -> None:
    """Treat SIGTERM like Ctrl-C, so ``finally`` blocks stop the fakes on either."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen scenarios one after the other, then print everything."""
    args = parse_args(argv)
    _interrupt_on_sigterm()
    facts = describe()  # before the runs: the load average must be the machine's, not ours
    warning = busy_warning()
    if warning:
        print(warning, file=sys.stderr)
    repetitions, started = _repetitions(args), time.perf_counter()
    outcomes: list[Outcome] = []
    failed: list[str] = []
    try:
        for name in _selected(args):
            print(f"running {name} ...", file=sys.stderr, flush=True)
            outcome = _run_scenario(name, repetitions)
            if outcome is None:
                failed.append(name)
            else:
                outcomes.append(outcome)
    except KeyboardInterrupt:
        print("interrupted; fake servers stopped", file=sys.stderr)
        return 130
    _print_machine(facts, args.markdown, repetitions, _width(args))
    tables = [table for outcome in outcomes for table in outcome.tables]
    _print_tables(tables, args.markdown, _width(args))
    targets = [target for outcome in outcomes for target in outcome.targets]
    print("\n".join(target_markdown(targets) if args.markdown else target_lines(targets)))
    print(f"\ntotal time: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if failed:
        print(f"scenarios that crashed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
