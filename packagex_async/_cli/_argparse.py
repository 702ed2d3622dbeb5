"""``argparse`` with one-line errors and "did you mean" suggestions.

argparse prints the whole usage (five lines here) before an error; ours are one
line everywhere, ``packagex: error: ...``, with the closest command, option or
value when a typo is likely (difflib is enough) and where to read more.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections.abc import Iterable, Iterator
from typing import NoReturn

__all__ = ["Parser"]

_INVALID_CHOICE = re.compile(r"invalid choice: '(?P<given>[^']*)' \(choose from (?P<choices>.*)\)")
_UNRECOGNIZED = re.compile(r"unrecognized arguments: (?P<given>.*)")
USAGE_EXIT = 2


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line with a suggestion."""

    def error(self, message: str) -> NoReturn:
        program = self.prog.split()[0]  # "packagex", as every other error line starts
        line = f"{program}: error: {message}{self._suggestion(message)}"
        sys.stderr.write(f"{line} (see {self.prog} --help)\n")
        sys.exit(USAGE_EXIT)

    def _suggestion(self, message: str) -> str:
        if found := _INVALID_CHOICE.search(message):
            choices = re.findall(r"'([^']*)'", found["choices"])
            return _closest(found["given"], choices)
        if found := _UNRECOGNIZED.search(message):
            options = sorted(set(_option_strings(self)))
            for word in found["given"].split():
                if word.startswith("--"):  # not itself: it may be another command's
                    option = word.split("=", 1)[0]
                    return _closest(option, [o for o in options if o != option])
        return ""


def _closest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _option_strings(parser: argparse.ArgumentParser) -> Iterator[str]:
    """Every option of ``parser`` and of its subcommands, for suggestions."""
    for action in parser._actions:
        yield from (s for s in action.option_strings if s.startswith("--"))
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _option_strings(sub)
