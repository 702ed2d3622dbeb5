"""Mutation testing of the request pipeline, retry, pagination checks, argument checks,
decoding rules and the msgspec readers: one command, run from the repository root::

    python -m tools.mutate            # a fresh run: about 20 minutes on 2 cores
    python -m tools.mutate --keep     # reuse mutants/: test only the mutants of changed
                                      # functions, then re-test the last survivors
    python -m tools.mutate --module packagex_async/_jobs/_files.py   # one module's mutants
                                      # only (kept in mutants/ beside the others)
    python -m tools.mutate --report   # print the last run's scores, run nothing
    python -m tools.mutate --report --show   # ...with the diff of every survivor

It needs mutmut (``pip install -e ".[dev,mutation]"``) and Linux or macOS (mutmut
forks).

Options: ``--max-children N`` (default: the number of CPUs) and ``--min-score P``
(default 90): the command exits 1 when a module scores below ``P`` percent, or when
a survivor is not explained in ``tests/MUTANTS.md``.

What is mutated and which tests judge the mutants is the ``[tool.mutmut]`` section
of ``pyproject.toml``: mutmut 3 copies the package and the tests to ``mutants/``
(git-ignored), rewrites every function of the modules in ``only_mutate`` into a
trampoline that calls the original or one mutant, records once which tests reach
which function, and then runs, for each mutant, only the tests that reach its
function (fastest first, stopping at the first failure, ``pytest-randomly`` off,
Hypothesis seeded, 20 s per test). That is the per-module test subset: a mutant of
``_rules`` is judged by the tests that decode, not by the whole suite. Functions and
methods, ``async def`` included, are mutated (``from __future__`` imports stay
first); module-level constants and decorated functions are not.
A mutant is *killed* when a test fails or times out, *survives* when every test
passes. ``mutmut browse`` and ``mutmut show <id>`` inspect a run. Changing
``[tool.mutmut]`` makes the next ``--keep`` run start over.

The score of a module is killed / total. Every survivor is listed, with the reason
it cannot change behaviour, in ``tests/MUTANTS.md``. Not in ``.ci/run``: it takes
minutes, not seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
EXPLAINED = ROOT / "tests" / "MUTANTS.md"

MODULES = (
    "packagex_async/_http/_pipeline.py",
    "packagex_async/_http/_retry.py",
    "packagex_async/_http/_failures.py",
    "packagex_async/_http/_redact.py",
    "packagex_async/_http/_request.py",
    "packagex_async/_http/_session.py",
    "packagex_async/_listing/_consistency.py",
    "packagex_async/_listing/_walk.py",
    "packagex_async/_params.py",
    "packagex_async/_codec/_rules.py",
    "packagex_async/_codec/_fastbody.py",
    "packagex_async/_codec/_fastgen.py",
    "packagex_async/_codec/_decode.py",
    "packagex_async/_codec/_converter.py",
    "packagex_async/_codec/_serialize.py",
    "packagex_async/_jobs/_rowstream.py",
    "packagex_async/_jobs/_creates.py",
    "packagex_async/_jobs/_files.py",
    "packagex_async/_http/_inflate.py",
    "packagex_async/_cli/_config.py",
)
"""Kept equal to ``only_mutate`` in pyproject.toml (``check_config`` says so if not)."""

# mutmut's exit codes of a mutant's test run (mutmut.stats.status_by_exit_code).
TIMEOUT_CODES = {-24, 24, 152, 255, 36}  # SIGXCPU: over mutmut's time limit
KILLED_CODES = {1, 3} | TIMEOUT_CODES  # a test failed (1), pytest errored (3), or a timeout
SURVIVED_CODES = {0}

_MUTMUT = "import sys; from mutmut.__main__ import cli; sys.argv[0] = 'mutmut'; sys.exit(cli())"
"""``python -m mutmut`` would import mutmut's ``__main__`` twice (it warns); this does not."""


@dataclass
class Score:
    module: str
    killed: list[str] = field(default_factory=list)
    timed_out: int = 0
    survived: list[str] = field(default_factory=list)
    other: dict[str, int | None] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.killed) + len(self.survived) + len(self.other)

    @property
    def percent(self) -> float:
        return 100.0 * len(self.killed) / self.total if self.total else 100.0


def check_config() -> None:
    """Fail early if pyproject's ``only_mutate`` and ``MODULES`` drifted apart."""
    from mutmut.configuration import config

    os.chdir(ROOT)  # mutmut reads pyproject.toml from the working directory
    if sorted(config().only_mutate) != sorted(MODULES):
        sys.exit("tools/mutate.py: MODULES differs from [tool.mutmut] only_mutate")


def mutmut(*args: str) -> int:
    """Run mutmut in the repository root, its output going to the terminal."""
    sys.stdout.flush()
    command = [sys.executable, "-c", _MUTMUT, *args]
    return subprocess.call(command, cwd=ROOT)


def scores() -> list[Score]:
    """Each module's mutants by verdict, read from mutmut's ``.meta`` files."""
    result = []
    for module in MODULES:
        score = Score(module)
        meta = MUTANTS / (module + ".meta")
        codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"] if meta.exists() else {}
        for name, code in sorted(codes.items(), key=lambda item: _natural(item[0])):
            if code in KILLED_CODES:
                score.killed.append(name)
                score.timed_out += code in TIMEOUT_CODES
            elif code in SURVIVED_CODES:
                score.survived.append(name)
            else:  # not run, no tests, suspicious, segfault: not a kill
                score.other[name] = code
        result.append(score)
    return result


def _natural(name: str) -> tuple[str, int]:
    base, _, number = name.rpartition("_")
    return (base, int(number)) if number.isdigit() else (name, 0)


def explained() -> set[str]:
    """Mutant ids named in ``tests/MUTANTS.md``."""
    if not EXPLAINED.exists():
        return set()
    return set(re.findall(r"`([\w.ǁ]+__mutmut_\d+)`", EXPLAINED.read_text("utf-8")))


def report(all_scores: list[Score], *, show: bool, min_score: float) -> int:
    """Print the table and the survivors; 1 if a module is below ``min_score`` or a
    survivor is not explained in tests/MUTANTS.md."""
    print()
    print(f"{'module':<36} {'killed':>7} {'total':>6} {'score':>7}  (killed by a timeout)")
    for score in all_scores:
        print(
            f"{score.module:<36} {len(score.killed):>7} {score.total:>6} "
            f"{score.percent:>6.1f}%  ({score.timed_out})"
        )
    killed = sum(len(s.killed) for s in all_scores)
    total = sum(s.total for s in all_scores)
    print(f"{'all':<36} {killed:>7} {total:>6} {100.0 * killed / max(total, 1):>6.1f}%")

    known = explained()
    failed = False
    for score in all_scores:
        if score.percent < min_score:
            print(f"\n{score.module}: {score.percent:.1f}% is below {min_score:g}%")
            failed = True
        if score.other:
            codes = sorted({str(code) for code in score.other.values()})
            print(
                f"\n{score.module}: {len(score.other)} mutant(s) without a verdict "
                f"(mutmut exit codes {', '.join(codes)}): run again"
            )
            failed = True
    survivors = [name for score in all_scores for name in score.survived]
    if survivors:
        print(f"\nsurvivors ({len(survivors)}); * = not explained in tests/MUTANTS.md:")
    for name in survivors:
        print(f"  {' ' if name in known else '*'} {name}")
        if show:
            mutmut("show", name)
    if any(name not in known for name in survivors):
        failed = True
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.mutate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--keep", action="store_true", help="reuse mutants/ from the last run")
    parser.add_argument("--report", action="store_true", help="only print the last run's scores")
    parser.add_argument("--show", action="store_true", help="print each survivor's diff")
    parser.add_argument("--module", choices=MODULES, help="test only this module's mutants")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--min-score", type=float, default=90.0)
    args = parser.parse_args(argv)
    check_config()

    only = [] if args.module is None else [_mutant_glob(args.module)]
    if not args.report:
        if not args.keep and not only:
            shutil.rmtree(MUTANTS, ignore_errors=True)
        code = mutmut("run", "--max-children", str(args.max_children), *only)
        survivors = [name for score in scores() for name in score.survived]
        if code == 0 and args.keep and survivors:
            # mutmut keeps a verdict until the function's code changes; survivors are
            # re-tested here so that tests added since the last run count.
            code = mutmut("run", "--max-children", str(args.max_children), *survivors)
        if code != 0:
            print(f"mutmut failed (exit code {code})", file=sys.stderr)
            return code
    shown = [score for score in scores() if args.module in (None, score.module)]
    return report(shown, show=args.show, min_score=args.min_score)


def _mutant_glob(module: str) -> str:
    """The names of a module's mutants: ``packagex_async/_cli/_config.py`` gives
    ``packagex_async._cli._config.*``."""
    return module.removesuffix(".py").replace("/", ".") + ".*"


if __name__ == "__main__":
    sys.exit(main())
