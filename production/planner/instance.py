"""The planning problem and its answer as plain data: no database, no Flask.

Days are indexes into the planning week (0 = Monday ... 6 = Sunday); times are minutes
after midnight; durations are integer minutes; money is integer øre.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

from production.planner.breaks import split_at_breaks

Window = tuple[int, int]  # [start, end) in minutes after midnight


@dataclass(frozen=True)
class Accommodations:
    max_lift_kg: int | None = None
    max_standing_minutes: int | None = None
    needs_quiet: bool = False
    needs_seated: bool = False
    #: A hard rule: no block of her work longer than this without a break of `break_minutes`.
    break_every_minutes: int | None = None
    #: The break's length (from the database: the setting PLANNER_BREAK_MINUTES).
    break_minutes: int = 15


@dataclass(frozen=True)
class Employment:
    """Paid small-job hours. A person without employment (or not payable) only trains."""

    payable: bool = True
    min_paid_minutes: int = 0
    max_paid_minutes: int = 0
    wage_ore: int = 0  # per hour
    frikort_remaining_ore: int | None = None  # None: no frikort cap

    def cap_minutes(self) -> int:
        """The most paid minutes this week allowed by the maximum and the frikort cap."""
        if not self.payable:
            return 0
        cap = self.max_paid_minutes
        if self.frikort_remaining_ore is not None and self.wage_ore > 0:
            cap = min(cap, (self.frikort_remaining_ore * 60) // self.wage_ore)
        return max(0, cap)


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    #: day -> windows [start, end) after availability slots and exceptions.
    windows: dict[int, tuple[Window, ...]]
    max_minutes_per_day: int = 24 * 60
    max_minutes_per_week: int = 7 * 24 * 60
    earliest_start_minute: int = 0
    #: skill area code -> level 0..3.
    skills: dict[str, int] = field(default_factory=dict)
    pace_percent: int = 100
    accommodations: Accommodations = Accommodations()
    employment: Employment | None = None
    trainee: bool = True

    @property
    def payable(self) -> bool:
        return self.employment is not None and self.employment.payable

    def paid_cap_minutes(self) -> int:
        return self.employment.cap_minutes() if self.employment else 0

    def duration(self, standard_minutes: int) -> int:
        """Minutes this person needs for work of `standard_minutes` at 100 % pace."""
        pace = max(10, self.pace_percent)
        return max(1, math.ceil(standard_minutes * 100 / pace))

    def day_windows(self, day: int) -> tuple[Window, ...]:
        """Availability windows of a day, cut to her earliest start."""
        out = []
        for start, end in self.windows.get(day, ()):
            start = max(start, self.earliest_start_minute)
            if end > start:
                out.append((start, end))
        return tuple(out)

    def work_windows(self, day: int) -> tuple[Window, ...]:
        """The windows the planners fill: her day windows, cut at her breaks when she needs them."""
        acc = self.accommodations
        if acc.break_every_minutes is None:
            return self.day_windows(day)
        return split_at_breaks(self.day_windows(day), acc.break_every_minutes, acc.break_minutes)

    def fits_between_breaks(self, minutes: int) -> bool:
        """Whether one task of `minutes` can be hers: a task is never split by a break."""
        every = self.accommodations.break_every_minutes
        return every is None or minutes <= every


@dataclass(frozen=True)
class Operation:
    code: str
    skill: str
    min_level: int = 0
    lift_kg: int = 0
    standing_minutes: int = 0
    noisy: bool = False
    name: str = ""
    pictogram: str = "scissors"
    #: The skill's name as people read it (`skill` is its code, used for matching).
    skill_name: str = ""

    @property
    def skill_label(self) -> str:
        return self.skill_name or self.skill


@dataclass(frozen=True)
class Task:
    id: int
    work_order_id: int
    operation: Operation
    standard_minutes: int
    earliest_day: int = 0
    #: Last day of the week it must be done on; None = no deadline this week.
    #: A negative day means overdue already (counted as due on the first day).
    due_day: int | None = None
    predecessors: tuple[int, ...] = ()
    #: Paid hours go only to productive work on real orders.
    productive: bool = True
    quantity: int = 1
    label: str = ""  # e.g. "40 gift bags"
    order_label: str = ""  # e.g. "2026-0042"


@dataclass(frozen=True)
class Pin:
    """The task must go to this person (on this day when given)."""

    person_id: int
    task_id: int
    day: int | None = None


@dataclass(frozen=True)
class Forbid:
    """The task must not go to this person (on this day when given; None = any day)."""

    person_id: int
    task_id: int
    day: int | None = None


class Kind(StrEnum):
    TRAINING = "training"
    PAID = "paid"


@dataclass(frozen=True)
class Assignment:
    person_id: int
    task_id: int
    day: int
    start: int
    minutes: int
    kind: Kind = Kind.TRAINING

    @property
    def end(self) -> int:
        return self.start + self.minutes


@dataclass(frozen=True)
class Instance:
    people: tuple[Person, ...]
    tasks: tuple[Task, ...]
    paid_budget_minutes: int = 0
    days: tuple[int, ...] = (0, 1, 2, 3, 4)
    pins: tuple[Pin, ...] = ()
    forbids: tuple[Forbid, ...] = ()
    #: Days nobody may change; `fixed` holds what is already planned on them.
    locked_days: frozenset[int] = frozenset()
    fixed: tuple[Assignment, ...] = ()
    name: str = ""

    def person(self, person_id: int) -> Person:
        return self.people_by_id()[person_id]

    def task(self, task_id: int) -> Task:
        return self.tasks_by_id()[task_id]

    def people_by_id(self) -> dict[int, Person]:
        cached = self.__dict__.get("_people_by_id")
        if cached is None:
            cached = {p.id: p for p in self.people}
            object.__setattr__(self, "_people_by_id", cached)
        return cached

    def tasks_by_id(self) -> dict[int, Task]:
        cached = self.__dict__.get("_tasks_by_id")
        if cached is None:
            cached = {t.id: t for t in self.tasks}
            object.__setattr__(self, "_tasks_by_id", cached)
        return cached

    @property
    def last_day(self) -> int:
        return max(self.days)

    def open_days(self) -> tuple[int, ...]:
        return tuple(d for d in self.days if d not in self.locked_days)

    def is_deadline_task(self, task: Task) -> bool:
        return task.due_day is not None and task.due_day <= self.last_day

    def effective_due(self, task: Task) -> int | None:
        if task.due_day is None:
            return None
        return max(task.due_day, min(self.days))


@dataclass
class Plan:
    assignments: list[Assignment] = field(default_factory=list)
    method: str = ""
    #: Solver figures (optimised plans): stage results, proven bounds, wall time.
    stats: dict = field(default_factory=dict)

    def by_task(self) -> dict[int, Assignment]:
        return {a.task_id: a for a in self.assignments}

    def paid_minutes(self) -> dict[int, int]:
        out: dict[int, int] = {}
        for a in self.assignments:
            if a.kind == Kind.PAID:
                out[a.person_id] = out.get(a.person_id, 0) + a.minutes
        return out
