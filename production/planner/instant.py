"""The instant plan: a fast constructive method that is always valid.

Tasks are taken earliest-deadline-first in routing order (a task starts after every predecessor
ends: later the same day, or on a later day), each onto the earliest day and the least loaded
person who can do it.
Paid minutes are then spread "many women a few hours": the next paid assignment goes to the
payable person with the fewest paid minutes so far, within her cap and the budget.
"""
from __future__ import annotations

import heapq
from collections import defaultdict

from production.planner.instance import Assignment, Instance, Kind, Plan, Task
from production.planner.matching import can_do

INF = 10**9


def topological_order(instance: Instance) -> list[Task]:
    """Tasks in an order where predecessors come first (cycles broken by id)."""
    tasks = instance.tasks_by_id()
    state: dict[int, int] = {}
    out: list[Task] = []
    for root in sorted(tasks):
        if root in state:
            continue
        stack = [(root, iter(tasks[root].predecessors))]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next((p for p in it if p in tasks and p not in state), None)
            if nxt is None:
                stack.pop()
                state[node] = 2
                out.append(tasks[node])
            else:
                state[nxt] = 1
                stack.append((nxt, iter(tasks[nxt].predecessors)))
    return out


def propagated_due(instance: Instance) -> dict[int, int]:
    """A task's own due day, or earlier when a successor is due sooner (one day per step)."""
    due = {t.id: (instance.effective_due(t) if t.due_day is not None else INF) for t in instance.tasks}
    tasks = instance.tasks_by_id()
    for t in reversed(topological_order(instance)):
        for p in t.predecessors:
            if p in tasks and due[t.id] - 1 < due[p]:
                due[p] = due[t.id] - 1
    return due


def fair_targets(caps: dict[int, int], budget: int) -> dict[int, int]:
    """Water-fill `budget` over people with `caps`: everybody gets the same level, capped."""
    remaining, people = budget, sorted(caps, key=lambda p: caps[p])
    out = {}
    for i, p in enumerate(people):
        share = remaining // (len(people) - i)
        out[p] = min(caps[p], share)
        remaining -= out[p]
    return out


class _Board:
    """Free time per person and day, and the minutes already used."""

    def __init__(self, instance: Instance):
        self.instance = instance
        self.free: dict[tuple[int, int], list[list[int]]] = {}
        self.day_used: dict[tuple[int, int], int] = defaultdict(int)
        self.week_used: dict[int, int] = defaultdict(int)
        for p in instance.people:
            for d in instance.days:
                self.free[(p.id, d)] = [[s, e] for s, e in sorted(p.work_windows(d))]

    def fits(self, person, day: int, minutes: int, not_before: int = 0) -> int | None:
        """Start minute of the first free gap that takes `minutes` from `not_before` on, or None."""
        if self.day_used[(person.id, day)] + minutes > person.max_minutes_per_day:
            return None
        if self.week_used[person.id] + minutes > person.max_minutes_per_week:
            return None
        for s, e in self.free[(person.id, day)]:
            if e - max(s, not_before) >= minutes:
                return max(s, not_before)
        return None

    def can_take(self, person, day: int, start: int, minutes: int) -> bool:
        if self.day_used[(person.id, day)] + minutes > person.max_minutes_per_day:
            return False
        if self.week_used[person.id] + minutes > person.max_minutes_per_week:
            return False
        return any(s <= start and start + minutes <= e for s, e in self.free[(person.id, day)])

    def release(self, person_id: int, day: int, start: int, minutes: int) -> None:
        gaps = self.free[(person_id, day)]
        gaps.append([start, start + minutes])
        gaps.sort()
        merged: list[list[int]] = []
        for s, e in gaps:
            if merged and merged[-1][1] == s:
                merged[-1][1] = e
            else:
                merged.append([s, e])
        self.free[(person_id, day)] = merged
        self.day_used[(person_id, day)] -= minutes
        self.week_used[person_id] -= minutes

    def take(self, person_id: int, day: int, start: int, minutes: int) -> None:
        gaps = self.free[(person_id, day)]
        end = start + minutes
        for i, (s, e) in enumerate(gaps):
            if s <= start and end <= e:
                pieces = [g for g in ([s, start], [end, e]) if g[1] > g[0]]
                gaps[i:i + 1] = pieces
                break
        self.day_used[(person_id, day)] += minutes
        self.week_used[person_id] += minutes


def instant_plan(instance: Instance, previous: Plan | None = None, *, spread_paid: bool = True) -> Plan:
    """A valid plan in a fraction of a second; with `previous`, keep as much of it as possible."""
    people = instance.people_by_id()
    tasks = instance.tasks_by_id()
    board = _Board(instance)
    placed: dict[int, Assignment] = {}
    for a in instance.fixed:
        board.take(a.person_id, a.day, a.start, a.minutes)
        placed[a.task_id] = a

    pins = {p.task_id: p for p in instance.pins}
    forbidden: dict[int, list] = defaultdict(list)
    for f in instance.forbids:
        forbidden[f.task_id].append(f)
    open_days = instance.open_days()
    capable: dict[str, list] = {}

    def allowed(task: Task, person, day: int) -> bool:
        pin = pins.get(task.id)
        if pin is not None and (pin.person_id != person.id or (pin.day is not None and pin.day != day)):
            return False
        return not any(f.person_id == person.id and (f.day is None or f.day == day) for f in forbidden[task.id])

    def ready_at(task: Task) -> tuple[int, int] | None:
        """(day, minute) from which the task may start: when its predecessors' planned work ends."""
        ready = (task.earliest_day, 0)
        for p in task.predecessors:
            if p not in tasks:
                continue
            if p not in placed:
                return None
            ready = max(ready, (placed[p].day, placed[p].end))
        return ready

    before = previous.by_task() if previous is not None else {}

    def keep_previous(task: Task) -> bool:
        """Put the task back with the person and day of the previous plan, if that is still valid."""
        a = before.get(task.id)
        if a is None or a.day not in open_days or a.person_id not in people:
            return False
        person = people[a.person_id]
        ready_from = ready_at(task)
        minutes = person.duration(task.standard_minutes)
        if (ready_from is None or a.day < ready_from[0] or not can_do(person, task.operation)
                or not allowed(task, person, a.day) or a.minutes != minutes or a.start < person.earliest_start_minute):
            return False
        not_before = ready_from[1] if a.day == ready_from[0] else 0
        start = (a.start if a.start >= not_before and board.can_take(person, a.day, a.start, minutes)
                 else board.fits(person, a.day, minutes, not_before))
        if start is None:
            return False
        board.take(person.id, a.day, start, minutes)
        placed[task.id] = Assignment(person.id, task.id, a.day, start, minutes, a.kind)
        return True

    # Keep what can be kept from the previous plan (in routing order); a task whose predecessor
    # had to move gets another chance below, once that predecessor has its new place.
    order = topological_order(instance)
    for task in order:
        if task.id not in placed:
            keep_previous(task)

    payable_caps = {p.id: p.paid_cap_minutes() for p in instance.people if p.payable}
    targets = fair_targets(payable_caps, instance.paid_budget_minutes)
    productive_load: dict[int, int] = defaultdict(int)
    for a in placed.values():
        if tasks.get(a.task_id) is not None and tasks[a.task_id].productive:
            productive_load[a.person_id] += a.minutes

    due = propagated_due(instance)
    level: dict[int, int] = {}
    for t in order:
        level[t.id] = 1 + max((level[p] for p in t.predecessors if p in level), default=0)
    waiting = {t.id: sum(1 for p in t.predecessors if p in tasks) for t in instance.tasks}
    successors: dict[int, list[int]] = defaultdict(list)
    for t in instance.tasks:
        for p in t.predecessors:
            if p in tasks:
                successors[p].append(t.id)
    ready = [(0 if t.id in pins else 1, due[t.id], level[t.id], t.id) for t in instance.tasks if waiting[t.id] == 0]
    heapq.heapify(ready)
    while ready:
        *_, task_id = heapq.heappop(ready)
        for s in successors[task_id]:
            waiting[s] -= 1
            if waiting[s] == 0:
                heapq.heappush(ready, (0 if s in pins else 1, due[s], level[s], s))
        if task_id in placed:
            continue
        task = tasks[task_id]
        ready_from = ready_at(task)
        if ready_from is None or keep_previous(task):
            continue
        if task.operation.code not in capable:
            capable[task.operation.code] = [p for p in instance.people if can_do(p, task.operation)]
        best = None
        for day in open_days:
            if day < ready_from[0]:
                continue
            for person in capable[task.operation.code]:
                if not allowed(task, person, day):
                    continue
                minutes = person.duration(task.standard_minutes)
                start = board.fits(person, day, minutes, ready_from[1] if day == ready_from[0] else 0)
                if start is None:
                    continue
                wants_paid = task.productive and productive_load[person.id] < targets.get(person.id, 0)
                # a step with steps after it that are due soon: the earliest finish leaves them the most time
                hurry = start + minutes if successors[task.id] and due[task.id] <= day else 0
                score = (hurry, 0 if wants_paid else 1, board.week_used[person.id], person.id)
                if best is None or score < best[0]:
                    best = (score, person, start, minutes)
            if best is not None:
                _, person, start, minutes = best
                board.take(person.id, day, start, minutes)
                placed[task.id] = Assignment(person.id, task.id, day, start, minutes, Kind.TRAINING)
                if task.productive:
                    productive_load[person.id] += minutes
                break

    _rebalance(instance, board, placed, targets, productive_load, allowed, successors, previous is not None)
    assignments = sorted(placed.values(), key=lambda a: (a.day, a.person_id, a.start))
    plan = Plan(assignments, method="instant")
    if spread_paid:
        keep = {a.task_id for a in previous.assignments if a.kind == Kind.PAID} if previous else set()
        plan = spread_paid_minutes(instance, plan, keep=keep)
    return plan


def _rebalance(instance, board, placed, targets, productive_load, allowed, successors, replanning: bool) -> None:
    """Move productive work to payable people below their fair share of the budget.

    A move keeps the day, and a start between the end of its predecessors and the start of its
    successors planned that day, so routing order still holds.
    Not when re-planning: there, staying put matters more.
    """
    if replanning or not targets:
        return
    people, tasks = instance.people_by_id(), instance.tasks_by_id()
    fixed = {a.task_id for a in instance.fixed}
    pinned = {p.task_id for p in instance.pins}
    movable = [a for a in placed.values() if a.task_id not in fixed and a.task_id not in pinned
               and tasks[a.task_id].productive]
    movable.sort(key=lambda a: -a.minutes)
    for pid in sorted(targets, key=lambda p: productive_load[p]):
        person = people[pid]
        for i, a in enumerate(movable):
            if productive_load[pid] >= targets[pid]:
                break
            if a is None or a.person_id == pid:
                continue
            giver = people[a.person_id]
            if giver.payable and productive_load[giver.id] - a.minutes < targets.get(giver.id, 0):
                continue
            task = tasks[a.task_id]
            if not can_do(person, task.operation) or not allowed(task, person, a.day):
                continue
            minutes = person.duration(task.standard_minutes)
            after = max((placed[p].end for p in task.predecessors if p in placed and placed[p].day == a.day), default=0)
            before = min((placed[s].start for s in successors[a.task_id] if s in placed and placed[s].day == a.day),
                         default=INF)
            start = board.fits(person, a.day, minutes, after)
            if start is None or start + minutes > before:
                continue
            board.release(a.person_id, a.day, a.start, a.minutes)
            board.take(pid, a.day, start, minutes)
            productive_load[a.person_id] -= a.minutes
            productive_load[pid] += minutes
            placed[a.task_id] = Assignment(pid, a.task_id, a.day, start, minutes, a.kind)
            movable[i] = None


def spread_paid_minutes(instance: Instance, plan: Plan, keep: set[int] = frozenset()) -> Plan:
    """Mark assignments paid, fewest-paid-first, within caps and the budget.

    Assignments on locked days keep their kind; those in `keep` stay paid where the caps allow.
    """
    tasks = instance.tasks_by_id()
    people = instance.people_by_id()
    fixed = set(instance.fixed)
    budget = instance.paid_budget_minutes
    paid: dict[int, int] = defaultdict(int)
    kinds: dict[int, Kind] = {}
    for a in plan.assignments:
        if a in fixed:
            kinds[a.task_id] = a.kind
            if a.kind == Kind.PAID:
                paid[a.person_id] += a.minutes
                budget -= a.minutes
    candidates: dict[int, list] = defaultdict(list)
    for a in plan.assignments:
        if a in fixed:
            continue
        person, task = people[a.person_id], tasks[a.task_id]
        kinds[a.task_id] = Kind.TRAINING
        if not (person.payable and task.productive):
            continue
        if a.task_id in keep and paid[a.person_id] + a.minutes <= person.paid_cap_minutes() and a.minutes <= budget:
            kinds[a.task_id] = Kind.PAID
            paid[a.person_id] += a.minutes
            budget -= a.minutes
        else:
            candidates[a.person_id].append(a)
    for items in candidates.values():
        items.sort(key=lambda a: (a.minutes, a.day, a.start), reverse=True)  # smallest last: pop() takes it
    heap = [(paid[p], p) for p in candidates]
    heapq.heapify(heap)
    while heap and budget > 0:
        _, p = heapq.heappop(heap)
        room = min(people[p].paid_cap_minutes() - paid[p], budget)
        items = candidates[p]
        while items and items[-1].minutes > room:
            items.pop()  # too big now, and room only shrinks
        if not items:
            continue
        a = items.pop()
        kinds[a.task_id] = Kind.PAID
        paid[p] += a.minutes
        budget -= a.minutes
        heapq.heappush(heap, (paid[p], p))
    assignments = [Assignment(a.person_id, a.task_id, a.day, a.start, a.minutes, kinds[a.task_id])
                   for a in plan.assignments]
    return Plan(assignments, method=plan.method, stats=dict(plan.stats))


def first_come_first_paid(instance: Instance, plan: Plan) -> Plan:
    """The naive baseline: pay assignments in time order until the budget or a cap runs out."""
    people, tasks = instance.people_by_id(), instance.tasks_by_id()
    budget, paid, out = instance.paid_budget_minutes, defaultdict(int), []
    for a in sorted(plan.assignments, key=lambda a: (a.day, a.start, a.person_id)):
        person = people[a.person_id]
        kind = Kind.TRAINING
        if (person.payable and tasks[a.task_id].productive and a.minutes <= budget
                and paid[person.id] + a.minutes <= person.paid_cap_minutes()):
            kind, budget = Kind.PAID, budget - a.minutes
            paid[person.id] += a.minutes
        out.append(Assignment(a.person_id, a.task_id, a.day, a.start, a.minutes, kind))
    return Plan(out, method="first-come")
