"""Where a long run is (issue #18): the phases of ``ocop validate``, ``build``, ``labels`` and
``booklet``, and how far each has got.

The library reports, the command decides how it is shown. A function that takes long accepts a
``progress`` (default :data:`SILENT`, which shows nothing) and opens one phase per step::

    with progress.phase("pages", total=len(jobs)) as step:
        for job in jobs:
            job()
            step.advance()

``ocop`` hands in a reporter for its standard error (:func:`for_stream`):

* on a terminal, a bar per counted phase (click's progress bar: label, bar, count done of total,
  percentage, time left), a line for the others;
* anywhere else (CI logs, pipes, files), one plain line when a phase starts — ``ocop build: Ghi
  trang và tệp dữ liệu (547)…`` — and nothing else, so logs stay short and ``2>/dev/null`` leaves
  exactly the output there was before;
* with ``--format json``, nothing at all: standard output stays pure JSON and standard error empty.

Work done by forked workers (catalog/runtime/parallel.py) is reported by the parent as each share or run
of thunks comes back: the count moves per finished chunk, never from inside a worker (workers
share no terminal state with the parent and must never write to it). Phase names are interface
text: ``progress`` in catalog/data/ui.vi.yaml.
"""

from __future__ import annotations

import sys
from typing import IO, Any

from ..reference.lang import ui


class Phase:
    """One step of a run. ``advance(n)`` when n more of its ``total`` things are done."""

    def advance(self, n: int = 1) -> None:
        pass

    def __enter__(self) -> "Phase":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        pass


class Progress:
    """Reports nothing: the default of every library function (tests, other programs)."""

    def phase(self, key: str, total: int | None = None) -> Phase:
        return Phase()


SILENT = Progress()


def phase_name(key: str, lang: str = "vi") -> str:
    return ui(lang)["progress"][key]


class Lines(Progress):
    """One line per phase as it starts (CI logs, pipes)."""

    def __init__(self, stream: IO[str], command: str, lang: str = "vi") -> None:
        self.stream, self.command, self.lang = stream, command, lang

    def phase(self, key: str, total: int | None = None) -> Phase:
        count = f" ({total})" if total is not None else ""
        self.stream.write(f"ocop {self.command}: {phase_name(key, self.lang)}{count}…\n")
        self.stream.flush()
        return Phase()


class _BarPhase(Phase):
    def __init__(self, bar: Any) -> None:
        self.bar = bar
        bar.__enter__()

    def advance(self, n: int = 1) -> None:
        self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


class Bars(Lines):
    """On a terminal: a progress bar for each phase with a count, a line for the others."""

    def phase(self, key: str, total: int | None = None) -> Phase:
        if not total:
            return super().phase(key, None)
        import click

        bar = click.progressbar(length=total, label=f"ocop {self.command}: {phase_name(key, self.lang)}", file=self.stream,  # type: ignore[call-overload]
                                show_pos=True, show_percent=True, show_eta=True, width=24)
        return _BarPhase(bar)


def for_stream(command: str, stream: IO[str] | None = None, quiet: bool = False, lang: str = "vi") -> Progress:
    """What ``ocop <command>`` shows on ``stream`` (standard error): bars on a terminal, plain
    lines elsewhere, nothing when ``quiet``; in ``lang`` (``ocop validate --lang en``)."""
    if quiet:
        return SILENT
    stream = stream if stream is not None else sys.stderr
    try:
        terminal = stream.isatty()
    except (AttributeError, ValueError):
        terminal = False
    return Bars(stream, command, lang) if terminal else Lines(stream, command, lang)
