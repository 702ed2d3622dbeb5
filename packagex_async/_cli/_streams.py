"""Where a command writes: results to ``out``, messages and progress to ``err``."""

from __future__ import annotations

from typing import TextIO

import attrs

from ._progress import is_terminal

__all__ = ["Streams"]


@attrs.frozen
class Streams:
    """stdout and stderr as they were when ``main`` started (tests swap them)."""

    out: TextIO
    err: TextIO
    quiet: bool = False

    @property
    def watched(self) -> bool:
        """Whether a person sees stderr: only then do bars and notes go there."""
        return not self.quiet and is_terminal(self.err)

    def say(self, text: str) -> None:
        """A message on stderr, for people and logs alike (``-q`` silences it)."""
        if not self.quiet:
            self.err.write(f"packagex: {text}\n")
            self.err.flush()

    def note(self, text: str) -> None:
        """A line for the person at the terminal; silent for pipes and logs."""
        if self.watched:
            self.err.write(text + "\n")
            self.err.flush()
