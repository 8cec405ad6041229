"""How long a build has left, from the work done so far: pure arithmetic, no clock.

Outputs cost very different amounts to typeset: a guide of twenty pages takes about
as long as eight one-page handouts (README, Performance). So each output weighs what
is known of it from its name, and the time left is the time taken so far per unit
of weight done, times the weight still to do. An output found up to date, or failed
before it was typeset, cost nothing: it leaves the sums rather than making the rest
look quick.

Early on the figure would mostly measure the workers starting up (forking, loading
fonts), which makes a short run look long: "1:25 left" ten seconds into a run that
ends at fifteen. So it stays hidden until half the work is done and a few seconds
have passed; by then start-up weighs at most as much as the work done, and the figure
errs on the long side by no more than the start-up took. (Handouts finish a batch at
a time and workers run side by side, so no finer rule holds: measured between
arrivals the pace swings from far too quick to far too slow.)
"""

from __future__ import annotations

from dataclasses import dataclass

# Weights, in handouts: a guide (and each of its print outputs, a booklet say, which
# typesets it again) against a one-page handout typeset in a batch.
GUIDE_WEIGHT = 8.0
HANDOUT_WEIGHT = 1.0
# Hidden until this share of the weight is done and this many seconds have passed.
SHOWN_FROM_SHARE = 1 / 2
SHOWN_FROM_SECONDS = 3.0


def output_weight(name: str) -> float:
    """What an output weighs, from its name as a build calls it ("guide compassion",
    "handout touch", "guide compassion (booklet)", "two-up sheets sessions")."""
    return GUIDE_WEIGHT if name.startswith("guide ") else HANDOUT_WEIGHT


@dataclass
class TimeLeft:
    """The estimate for one run: ``plan`` the outputs, ``finished`` each as it comes,
    ``seconds_left`` at any time (``None`` while it would mean nothing)."""

    to_do: float = 0.0
    done: float = 0.0
    started: float = 0.0

    def plan(self, names: list[str], now: float) -> None:
        self.to_do = sum(output_weight(name) for name in names)
        self.done = 0.0
        self.started = now

    def finished(self, name: str, typeset: bool) -> None:
        """An output is done; ``typeset`` says whether it took typesetting (built, or
        failed while typesetting) or cost nothing (up to date, failed in planning)."""
        weight = output_weight(name)
        if typeset:
            self.done += weight
        else:
            self.to_do = max(0.0, self.to_do - weight)

    def seconds_left(self, now: float) -> float | None:
        elapsed = now - self.started
        if self.to_do <= 0 or self.done >= self.to_do:
            return None
        if self.done < self.to_do * SHOWN_FROM_SHARE or elapsed < SHOWN_FROM_SECONDS:
            return None
        return elapsed / self.done * (self.to_do - self.done)


def time_left_text(seconds: float | None) -> str:
    """``about 40 s left``, ``about 2:05 left``; nothing while there is no estimate."""
    if seconds is None:
        return ""
    rounded = max(1, round(seconds))
    if rounded < 60:
        return f"about {rounded} s left"
    return f"about {rounded // 60}:{rounded % 60:02d} left"
