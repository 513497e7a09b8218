"""Long commands show progress: a bar on a terminal, plain lines otherwise; seed-demo reports each street."""

from __future__ import annotations

import io

from api.progress import PlainLines, RichBar, progress_for
from api.seed import seed_demo


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []

    def start(self, task: str, total: int) -> None:
        self.events.append(("start", (task, total)))

    def advance(self, step: int = 1) -> None:
        self.events.append(("advance", step))


def test_plain_lines_when_not_a_terminal_always_with_the_last_step():
    stream = io.StringIO()
    with progress_for(stream) as progress:
        assert isinstance(progress, PlainLines)
        progress.start("streets", 3)
        for _ in range(3):
            progress.advance()

    lines = stream.getvalue().splitlines()
    assert lines[0] == "streets: 0/3"
    assert lines[-1] == "streets: 3/3 (100%)"


def test_a_bar_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    with progress_for(stream) as progress:
        assert isinstance(progress, RichBar)
        progress.start("streets", 2)
        progress.advance(2)

    assert "streets" in stream.getvalue() and "2/2" in stream.getvalue()


async def test_seed_demo_reports_every_street_and_the_activity(db):
    recorder = Recorder()

    await seed_demo(scale=1, seed=5, progress=recorder)

    assert recorder.events[0] == ("start", ("streets (scale 1)", 3))
    assert recorder.events[1:4] == [("advance", 1)] * 3
    assert recorder.events[4][0] == "start" and "activity" in recorder.events[4][1][0]  # type: ignore[index]
    assert recorder.events[5] == ("advance", 1)
