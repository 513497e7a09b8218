"""Progress of long commands: a rich progress bar on a terminal, plain lines otherwise (logs, CI, pipes)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol, TextIO


class Progress(Protocol):
    def start(self, task: str, total: int) -> None: ...
    def advance(self, step: int = 1) -> None: ...


class PlainLines:
    """One line per step, at most one every `every` seconds (and always the last), for a log or a pipe."""

    def __init__(self, stream: TextIO, *, every: float = 2.0) -> None:
        self.stream, self.every = stream, every
        self.task, self.total, self.done, self.last = "", 0, 0, 0.0

    def start(self, task: str, total: int) -> None:
        self.task, self.total, self.done, self.last = task, total, 0, 0.0
        print(f"{task}: 0/{total}", file=self.stream, flush=True)

    def advance(self, step: int = 1) -> None:
        self.done += step
        now = time.monotonic()
        if self.done >= self.total or now - self.last >= self.every:
            self.last = now
            percent = 100 * self.done // max(self.total, 1)
            print(f"{self.task}: {self.done}/{self.total} ({percent}%)", file=self.stream, flush=True)


class RichBar:
    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, \
            TimeRemainingColumn

        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), TimeRemainingColumn(), console=Console(file=stream))
        self.task_id: int | None = None

    def start(self, task: str, total: int) -> None:
        if self.task_id is not None:
            self.progress.update(self.task_id, completed=self.progress.tasks[-1].total)
        self.task_id = self.progress.add_task(task, total=total)

    def advance(self, step: int = 1) -> None:
        if self.task_id is not None:
            self.progress.advance(self.task_id, step)


@contextmanager
def progress_for(stream: TextIO | None = None) -> Iterator[Progress]:
    """A bar when `stream` (stderr by default) is a terminal, plain lines when it is not."""
    stream = stream or sys.stderr
    if stream.isatty():
        bar = RichBar(stream)
        with bar.progress:
            yield bar
    else:
        yield PlainLines(stream)


class Silent:
    def start(self, task: str, total: int) -> None:
        pass

    def advance(self, step: int = 1) -> None:
        pass
