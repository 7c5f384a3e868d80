"""The optimised plan: OR-Tools CP-SAT on merged work, in lexicographic stages.

Identical tasks (same work order step, operation, minutes, days, routing pattern) are merged
into groups; the model decides how many tasks of each group each person does in each of her
availability windows on each day (integer counts), and how many of them are paid. Counts carry
no time of day, so the model keeps routing order at day level (a task on a later day than its
predecessors); steps the start plan has follow the one before later the same day are kept as
the start plan has them (with all steps before them), and their time is taken out of the
model's windows. Stages:

1. minimise deadline minutes left unplanned (proven minimal when it reaches
   `metrics.deadline_lower_bound`);
2. maximise the lowest paid minutes among payable people (each capped by her own maximum,
   frikort and availability), keeping stage 1's result; its upper bound is
   `metrics.fair_level_bound`, so the stage ends as soon as a plan reaches it;
3. plan as much work as possible, use the budget, give trainees variety, keep people on
   few work orders, and (when re-planning) keep the previous plan.

Every stage starts from a complete hint: the instant plan, then the previous stage.
The counts are turned back into concrete, timed assignments, which the validator checks.
A site too large to solve whole is split into teams (`teams`), each solved like a small site;
then the paid hours are chosen again across the whole site (`best_paid_split`).
"""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from production.planner.instance import Assignment, Instance, Kind, Plan, Task
from production.planner.instant import instant_plan, topological_order
from production.planner.matching import can_do
from production.planner.metrics import (deadline_lower_bound, deadline_minutes_unplanned, fair_level, fair_level_bound,
                                        paid_reach, rank)
from production.planner.teams import team_count, team_plan, team_problems
from production.planner.validate import validate


FINISH_SECONDS = 0.3  # kept back from the solver to turn its counts into a timed plan
REPORT_SECONDS = 2.0  # while a stage runs, its newest solution is reported at most this often


class _WhileSolving(cp_model.CpSolverSolutionCallback):
    """Hands the solver's newest solution to `on_solution` now and then, while the search goes on."""

    def __init__(self, variables: dict, on_solution):
        super().__init__()
        self._variables = variables
        self._on_solution = on_solution
        self._last = time.perf_counter()

    def on_solution_callback(self) -> None:
        if time.perf_counter() - self._last >= REPORT_SECONDS:
            self._on_solution({i: self.Value(var) for i, var in self._variables.items()})
            self._last = time.perf_counter()


@dataclass
class Group:
    id: int
    tasks: list[Task]
    earliest_day: int
    due_day: int | None  # effective, only for deadline work
    #: predecessor groups where every task needs the whole group done first
    after_all: set[int] = field(default_factory=set)
    #: predecessor group whose tasks map one-to-one onto this group's tasks
    after_each: int | None = None

    @property
    def n(self) -> int:
        return len(self.tasks)

    @property
    def first(self) -> Task:
        return self.tasks[0]


def build_groups(instance: Instance) -> list[Group]:
    """Merge identical free tasks into groups whose routing relations counts can express."""
    tasks = instance.tasks_by_id()
    fixed = {a.task_id: a for a in instance.fixed}
    special = {p.task_id for p in instance.pins} | {f.task_id for f in instance.forbids}
    free = [t for t in topological_order(instance) if t.id not in fixed]
    earliest: dict[int, int] = {}
    for t in free:
        e = t.earliest_day
        for p in t.predecessors:
            if p in fixed:
                e = max(e, fixed[p].day + 1)
        earliest[t.id] = e

    def base_key(t: Task):
        if t.id in special:
            return ("single", t.id)
        due = instance.effective_due(t) if instance.is_deadline_task(t) else None
        return (t.work_order_id, t.operation, t.standard_minutes, earliest[t.id], due, t.productive,
                len([p for p in t.predecessors if p in tasks and p not in fixed]))

    singles: set[int] = set()
    while True:
        # partition refinement: tasks stay together only if their predecessors' groups agree
        keys = {t.id: ("single", t.id) if t.id in singles else base_key(t) for t in free}
        while True:
            ids = {}
            for t in free:
                ids.setdefault(keys[t.id], len(ids))
            refined = {t.id: (keys[t.id], frozenset(ids[keys[p]] for p in t.predecessors if p in keys))
                       for t in free}
            if len(set(refined.values())) == len(ids):
                break
            keys = refined
        members: dict[object, list[Task]] = defaultdict(list)
        for t in free:
            members[keys[t.id]].append(t)
        group_of = {}
        groups: list[Group] = []
        for gid, items in enumerate(members.values()):
            t0 = items[0]
            due = instance.effective_due(t0) if instance.is_deadline_task(t0) else None
            groups.append(Group(gid, items, earliest[t0.id], due))
            for t in items:
                group_of[t.id] = gid
        broken: set[int] = set()
        for g in groups:
            preds_by_group: list[dict[int, list[int]]] = []
            for t in g.tasks:
                by: dict[int, list[int]] = defaultdict(list)
                for p in t.predecessors:
                    if p in tasks and p not in fixed:
                        by[group_of[p]].append(p)
                preds_by_group.append(by)
            keys = {frozenset(b) for b in preds_by_group}
            if len(keys) > 1:
                broken.add(g.id)
                continue
            for h in (keys.pop() if keys else ()):
                sizes = [len(b[h]) for b in preds_by_group]
                if all(s == groups[h].n for s in sizes):
                    g.after_all.add(h)
                elif (all(s == 1 for s in sizes) and g.after_each is None and g.n == groups[h].n
                      and len({b[h][0] for b in preds_by_group}) == g.n):
                    g.after_each = h
                else:
                    broken.update((g.id, h))
        if not broken:
            return groups
        for gid in broken:
            singles.update(t.id for t in groups[gid].tasks)


def _free_windows(windows, busy) -> tuple:
    """`windows` less the `busy` intervals in them."""
    free = []
    for s, e in windows:
        for b_start, b_end in sorted(busy):
            if b_start > s and b_start < e:
                free.append((s, b_start))
            s = max(s, min(b_end, e)) if b_start < e else s
        if e > s:
            free.append((s, e))
    return tuple(free)


class _Model:
    def __init__(self, instance: Instance, previous: Plan | None = None):
        self.instance = instance
        self.groups = build_groups(instance)
        self.m = cp_model.CpModel()
        m = self.m
        self.vars: dict[int, cp_model.IntVar] = {}
        self.ub: dict[int, int] = {}
        self.lb: dict[int, int] = {}
        inst = instance
        people = inst.people
        open_days = inst.open_days()
        forbids = defaultdict(list)
        for f in inst.forbids:
            forbids[f.task_id].append(f)
        pins = {p.task_id: p for p in inst.pins}
        fixed_minutes = defaultdict(int)
        fixed_day_minutes = defaultdict(int)
        fixed_paid = defaultdict(int)
        busy = defaultdict(list)
        for a in inst.fixed:
            fixed_minutes[a.person_id] += a.minutes
            fixed_day_minutes[(a.person_id, a.day)] += a.minutes
            busy[(a.person_id, a.day)].append((a.start, a.end))
            if a.kind == Kind.PAID:
                fixed_paid[a.person_id] += a.minutes
        self.x: dict[tuple[int, int, int, int], cp_model.IntVar] = {}
        # the free time of each day: her windows (cut at her breaks) less the fixed work in them
        windows = {(p.id, d): _free_windows(p.work_windows(d), busy[(p.id, d)]) for p in people for d in open_days}
        self.windows = windows
        for g in self.groups:
            t0 = g.first
            for p in people:
                if not can_do(p, t0.operation):
                    continue
                dur = p.duration(t0.standard_minutes)
                for d in open_days:
                    if d < g.earliest_day or (g.due_day is not None and d > g.due_day):
                        continue  # late deadline work is left to the fill step after the solver
                    if t0.id in pins and (pins[t0.id].person_id != p.id or pins[t0.id].day not in (None, d)):
                        continue
                    if any(f.person_id == p.id and f.day in (None, d) for f in forbids[t0.id] if g.n == 1):
                        continue
                    for w, (s, e) in enumerate(windows[(p.id, d)]):
                        ub = min(g.n, (e - s) // dur, p.max_minutes_per_day // dur)
                        if ub > 0:
                            self.x[(g.id, p.id, d, w)] = self.new_int(0, ub, f"x{g.id}_{p.id}_{d}_{w}")
        self.dur = {(g.id, p.id): p.duration(g.first.standard_minutes) for g in self.groups for p in people}
        by_pdw = defaultdict(list)
        by_pd = defaultdict(list)
        by_p = defaultdict(list)
        by_gd = defaultdict(list)
        by_gp = defaultdict(list)
        for key, var in self.x.items():
            gid, pid, d, w = key
            term = self.dur[(gid, pid)] * var
            by_pdw[(pid, d, w)].append(term)
            by_pd[(pid, d)].append(term)
            by_p[pid].append(term)
            by_gd[(gid, d)].append(var)
            by_gp[(gid, pid)].append(var)
        pmap = inst.people_by_id()
        for (pid, d, w), terms in by_pdw.items():
            s, e = windows[(pid, d)][w]
            m.Add(sum(terms) <= e - s)
        for (pid, d), terms in by_pd.items():
            m.Add(sum(terms) <= pmap[pid].max_minutes_per_day - fixed_day_minutes[(pid, d)])
        for pid, terms in by_p.items():
            m.Add(sum(terms) <= max(0, pmap[pid].max_minutes_per_week - fixed_minutes[pid]))
        # done[g][d]: tasks of g done on or before day d
        self.done: dict[tuple[int, int], object] = {}
        for g in self.groups:
            running = 0
            for d in sorted(inst.days):
                running = running + sum(by_gd.get((g.id, d), []))
                self.done[(g.id, d)] = running
            m.Add(self.done[(g.id, inst.last_day)] <= g.n)
        self.complete: dict[tuple[int, int], cp_model.IntVar] = {}
        days = sorted(inst.days)
        for g in self.groups:
            for d_i, d in enumerate(days):
                prev_d = days[d_i - 1] if d_i else None
                if g.after_each is not None:
                    before = self.done[(g.after_each, prev_d)] if prev_d is not None else 0
                    m.Add(self.done[(g.id, d)] <= before)
                for h in g.after_all:
                    if prev_d is None:
                        m.Add(self.done[(g.id, d)] == 0)
                        continue
                    c = self.complete.get((h, prev_d))
                    if c is None:
                        c = self.new_int(0, 1, f"c{h}_{prev_d}")
                        m.Add(self.done[(h, prev_d)] >= self.groups[h].n * c)
                        self.complete[(h, prev_d)] = c
                    m.Add(self.done[(g.id, d)] <= g.n * c)
        # paid
        self.z: dict[tuple[int, int], cp_model.IntVar] = {}
        paid_terms = defaultdict(list)
        for (gid, pid), vars_ in by_gp.items():
            g = self.groups[gid]
            if pmap[pid].payable and g.first.productive and pmap[pid].paid_cap_minutes() > 0:
                z = self.new_int(0, g.n, f"z{gid}_{pid}")
                m.Add(z <= sum(vars_))
                self.z[(gid, pid)] = z
                paid_terms[pid].append(self.dur[(gid, pid)] * z)
        self.paid = {}
        for p in people:
            if p.payable:
                self.paid[p.id] = sum(paid_terms[p.id]) + fixed_paid[p.id]
                m.Add(self.paid[p.id] <= p.paid_cap_minutes())
        m.Add(sum(self.paid.values()) <= inst.paid_budget_minutes)
        # the lowest paid minutes, each person capped by what she could reach at all
        self.fixed_paid = fixed_paid
        self.reach = {}
        for p in people:
            if p.payable:
                self.reach[p.id] = paid_reach(inst, p)
        top = fair_level_bound(inst)  # also the proven bound the benchmark reports
        self.low = self.new_int(0, top, "lowest_paid")
        self.top = top
        self.low_p = {}
        for pid, r in self.reach.items():
            if r >= top:  # min(low, reach) is just low: a plain linear constraint
                m.Add(self.paid[pid] >= self.low)
                continue
            t = self.new_int(0, r, f"t{pid}")
            m.AddMinEquality(t, [self.low, self.new_int(r, r, f"r{pid}")])
            m.Add(self.paid[pid] >= t)
            self.low_p[pid] = t
        # deadline minutes unplanned
        self.late = sum((g.n - self.done[(g.id, g.due_day)]) * g.first.standard_minutes
                        for g in self.groups if g.due_day is not None)
        self.planned = sum(self.groups[k[0]].first.standard_minutes * v for k, v in self.x.items())
        # variety for trainees (distinct operations), and staying on few work orders
        self.variety = {}
        self.on_order = {}
        gp_by_op = defaultdict(list)
        gp_by_wo = defaultdict(list)
        for (gid, pid), vars_ in by_gp.items():
            g = self.groups[gid]
            if pmap[pid].trainee:
                gp_by_op[(pid, g.first.operation.code)].append((gid, vars_))
            gp_by_wo[(pid, g.first.work_order_id)].append((gid, vars_))
        for key, items in gp_by_op.items():
            v = self.new_int(0, 1, f"v{key}")
            m.Add(sum(var for _, vs in items for var in vs) >= v)
            self.variety[key] = v
        for key, items in gp_by_wo.items():
            u = self.new_int(0, 1, f"u{key}")
            for gid, vs in items:
                m.Add(sum(vs) <= self.groups[gid].n * u)
            self.on_order[key] = (u, items)
        # stability: keep previous (group, person, day) counts
        self.keep = {}
        self.previous_counts = defaultdict(int)
        if previous is not None:
            group_of = {t.id: g.id for g in self.groups for t in g.tasks}
            for a in previous.assignments:
                if a.task_id in group_of and a.day in open_days:
                    self.previous_counts[(group_of[a.task_id], a.person_id, a.day)] += 1
            by_gpd = defaultdict(list)
            for (gid, pid, d, w), var in self.x.items():
                by_gpd[(gid, pid, d)].append(var)
            for key, cnt in self.previous_counts.items():
                if key in by_gpd:
                    k = self.new_int(0, cnt, f"k{key}")
                    m.Add(k <= sum(by_gpd[key]))
                    self.keep[key] = k
        self.stability = sum(self.groups[k[0]].first.standard_minutes * v for k, v in self.keep.items())

    def new_int(self, lb: int, ub: int, name: str) -> cp_model.IntVar:
        var = self.m.NewIntVar(lb, ub, name)
        self.vars[var.Index()] = var
        self.ub[var.Index()] = ub
        self.lb[var.Index()] = lb
        return var

    # -- hints ------------------------------------------------------------------
    def values_from_plan(self, plan: Plan) -> dict:
        """A complete assignment of every model variable that matches `plan`."""
        group_of = {t.id: g.id for g in self.groups for t in g.tasks}
        x = defaultdict(int)
        z = defaultdict(int)
        for a in plan.assignments:
            gid = group_of.get(a.task_id)
            if gid is None:
                continue
            ws = self.windows.get((a.person_id, a.day), ())
            w = next((i for i, (s, e) in enumerate(ws) if s <= a.start and a.end <= e), None)
            if w is None or (gid, a.person_id, a.day, w) not in self.x:
                continue
            x[(gid, a.person_id, a.day, w)] += 1
            if a.kind == Kind.PAID and (gid, a.person_id) in self.z:
                z[(gid, a.person_id)] += 1
        return self._complete(x, z)

    def _complete(self, x, z) -> dict:
        values = {}
        for k, var in self.x.items():
            values[var.Index()] = min(x.get(k, 0), self.ub[var.Index()])
        for k, var in self.z.items():
            values[var.Index()] = z.get(k, 0)
        done = defaultdict(int)
        for (gid, pid, d, w), var in self.x.items():
            done[(gid, d)] += values[var.Index()]
        days = sorted(self.instance.days)
        cum = {}
        for g in self.groups:
            run = 0
            for d in days:
                run += done[(g.id, d)]
                cum[(g.id, d)] = run
        for (h, d), c in self.complete.items():
            values[c.Index()] = 1 if cum[(h, d)] >= self.groups[h].n else 0
        paid = defaultdict(int, self.fixed_paid)
        for (gid, pid), var in self.z.items():
            paid[pid] += self.dur[(gid, pid)] * values[var.Index()]
        # the highest level L with min(L, reach_p) <= paid_p for every payable person
        short = [paid[pid] for pid, r in self.reach.items() if paid[pid] < r]
        level = min(short) if short else max(self.reach.values(), default=0)
        level = min(level, self.top)
        values[self.low.Index()] = level
        for pid, t in self.low_p.items():
            values[t.Index()] = min(level, self.reach[pid])
        sums = defaultdict(int)
        for (gid, pid, d, w), var in self.x.items():
            sums[(gid, pid)] += values[var.Index()]
        for (pid, op), v in self.variety.items():
            values[v.Index()] = int(any(sums[(gid, pid)] > 0 for gid, _ in self._op_groups(pid, op)))
        for (pid, wo), (u, items) in self.on_order.items():
            values[u.Index()] = int(any(sums[(gid, pid)] > 0 for gid, _ in items))
        per_gpd = defaultdict(int)
        for (gid, pid, d, w), var in self.x.items():
            per_gpd[(gid, pid, d)] += values[var.Index()]
        for key, k in self.keep.items():
            values[k.Index()] = min(self.previous_counts[key], per_gpd[key])
        return values

    def stability_value(self, values: dict) -> int:
        return sum(self.groups[k[0]].first.standard_minutes * values.get(v.Index(), 0) for k, v in self.keep.items())

    def planned_value(self, values: dict) -> int:
        return sum(self.groups[k[0]].first.standard_minutes * values.get(v.Index(), 0) for k, v in self.x.items())

    def late_value(self, values: dict) -> int:
        done = defaultdict(int)
        for (gid, pid, d, w), var in self.x.items():
            g = self.groups[gid]
            if g.due_day is not None and d <= g.due_day:
                done[gid] += values.get(var.Index(), 0)
        return sum((g.n - done[g.id]) * g.first.standard_minutes for g in self.groups if g.due_day is not None)

    def _op_groups(self, pid, op):
        return [(g.id, None) for g in self.groups if g.first.operation.code == op and (g.id, pid) in self.dur]

    def hint(self, values: dict) -> None:
        self.m.ClearHints()
        for idx, var in self.vars.items():
            self.m.AddHint(var, values.get(idx, self.lb[idx]))

    def solver_values(self, solver: cp_model.CpSolver) -> dict:
        return {i: solver.Value(var) for i, var in self.vars.items()}

    # -- back to a timed plan ------------------------------------------------------
    def finish(self, values: dict, previous: Plan | None) -> Plan:
        """The timed plan of `values`, with what the solver left open filled into the remaining gaps."""
        plan = self.realise(values, previous)
        filled = instant_plan(self.instance, previous=plan, spread_paid=False)  # keeps every realised assignment
        if len(filled.assignments) > len(plan.assignments):
            plan = Plan(filled.assignments, method="optimised")
        return plan

    def realise(self, values: dict, previous: Plan | None) -> Plan:
        inst = self.instance
        prev = previous.by_task() if previous else {}
        placed: dict[int, Assignment] = {a.task_id: a for a in inst.fixed}
        remaining = {g.id: list(g.tasks) for g in self.groups}
        cursor = {}
        tasks = inst.tasks_by_id()
        pmap = inst.people_by_id()
        by_day = defaultdict(list)
        for key, var in self.x.items():
            c = values[var.Index()]
            if c:
                by_day[key[2]].append((key, c))
        for d in sorted(by_day):
            left = dict(by_day[d])
            # first every person gets back her tasks of the previous plan, then the rest is shared out
            for own_first in (True, False):
                for (gid, pid, _, w), c in sorted(left.items()):
                    person = pmap[pid]
                    ready = [t for t in remaining[gid]
                             if all(p not in tasks or (p in placed and placed[p].day < d) for p in t.predecessors)
                             and (not own_first or (t.id in prev and (prev[t.id].person_id, prev[t.id].day) == (pid, d)))]
                    ready.sort(key=lambda t: (t.id in prev and prev[t.id].day == d, t.id))  # keep others' tasks free
                    for t in ready[:c]:
                        minutes = person.duration(t.standard_minutes)
                        start = cursor.get((pid, d, w), self.windows[(pid, d)][w][0])
                        cursor[(pid, d, w)] = start + minutes
                        placed[t.id] = Assignment(pid, t.id, d, start, minutes, Kind.TRAINING)
                        remaining[gid].remove(t)
                        left[(gid, pid, d, w)] -= 1
        # paid counts per (group, person)
        fixed = set(inst.fixed)
        final = {tid: a for tid, a in placed.items()}
        by_gp = defaultdict(list)
        group_of = {t.id: g.id for g in self.groups for t in g.tasks}
        for tid, a in placed.items():
            if a not in fixed:
                by_gp[(group_of[tid], a.person_id)].append(a)
        for key, var in self.z.items():
            n = values[var.Index()]
            items = sorted(by_gp.get(key, []), key=lambda a: (0 if prev.get(a.task_id) and prev[a.task_id].kind == Kind.PAID
                                                              else 1, a.day, a.start))
            for a in items[:n]:
                final[a.task_id] = Assignment(a.person_id, a.task_id, a.day, a.start, a.minutes, Kind.PAID)
        return Plan(sorted(final.values(), key=lambda a: (a.day, a.person_id, a.start)), method="optimised")


def optimised_plan(instance: Instance, *, time_limit: float = 15.0, previous: Plan | None = None,
                   start: Plan | None = None, workers: int = 2, seed: int = 0, on_progress=None) -> Plan:
    """The best plan CP-SAT finds within `time_limit` seconds, never worse than the instant plan.

    `previous`: re-plan mode (stay close to it). `start`: a valid plan to start from (default: instant).
    `on_progress(stage, fraction, best)` is called after each stage; `best` is a valid plan better
    than any reported before (so a page can show it while the solver goes on), or None.
    A large site is solved team by team (see `teams`).
    """
    start = start or instant_plan(instance, previous)
    count = team_count(instance)
    if count > 1:
        return _optimise_by_teams(instance, count, time_limit, previous, start, workers, seed, on_progress)
    return _optimise_site(instance, time_limit, previous, start, workers, seed, on_progress)


def _optimise_by_teams(instance, count, time_limit, previous, start, workers, seed, on_progress) -> Plan:
    """Optimise each team with its share of the time, then choose the paid hours across the site."""
    t0 = time.perf_counter()
    deadline = t0 + time_limit
    reserve = min(2.0, 0.1 * time_limit)  # for the site-wide paid split at the end
    # first a fair paid split of the start across the site: the teams' budgets follow it
    repaid = best_paid_split(instance, start, time_limit=reserve, workers=workers)
    if rank(instance, repaid) < rank(instance, start):
        start = repaid
    stats = {"teams": [], "tasks": len(instance.tasks)}
    problems = team_problems(instance, start, count)
    parts = [sub_start for _, _, sub_start in problems]  # every team's part so far, together a valid plan
    reported = rank(instance, start)
    for i, (team, sub, sub_start) in enumerate(problems):
        share = max(0.5, (deadline - reserve - time.perf_counter()) / (count - i))
        # a team's plans are not the site's: while a team is solved, only the bar moves
        moves = (lambda *_, i=i: on_progress(f"team {i + 1}", min(1.0, (time.perf_counter() - t0) / time_limit),
                                              None)) if on_progress else None
        parts[i] = _optimise_site(sub, share, team_plan(previous, team), sub_start, workers, seed, moves)
        stats["teams"].append({k: parts[i].stats.get(k) for k in ("groups", "deadline_proven", "status")})
        if on_progress:
            so_far = Plan([a for part in parts for a in part.assignments], method="optimised")
            better = rank(instance, so_far) < reported
            reported = min(reported, rank(instance, so_far))
            on_progress(f"team {i + 1}", min(1.0, (time.perf_counter() - t0) / time_limit), so_far if better else None)
    plan = Plan([a for part in parts for a in part.assignments], method="optimised")
    if validate(instance, plan) or rank(instance, start) < rank(instance, plan):
        plan = Plan(list(start.assignments), method="optimised")  # the split cost more than it won
        stats["fell_back_to_start"] = True
    repaid = best_paid_split(instance, plan, time_limit=max(0.5, deadline - time.perf_counter()), workers=workers)
    if rank(instance, repaid) <= rank(instance, plan):
        plan = repaid
    # a team's proofs hold for its part only: the site's bounds are computed for the whole site
    stats.update(deadline_bound=deadline_lower_bound(instance), lowest_paid_bound=fair_level_bound(instance),
                 lowest_paid_proven=False, wall_seconds=time.perf_counter() - t0)
    stats["deadline_proven"] = deadline_minutes_unplanned(instance, plan) <= stats["deadline_bound"]
    plan.stats = stats
    if on_progress and rank(instance, plan) < reported:
        on_progress("paid", 1.0, plan)
    return plan


def _optimise_site(instance: Instance, time_limit: float, previous: Plan | None, start: Plan, workers: int,
                   seed: int, on_progress) -> Plan:
    """CP-SAT re-plans what it can express; then the paid hours are chosen again across the site.

    The model keeps routing order at day level, so steps the start plan has follow the one before
    later the same day stay as the start plan has them, with all steps before them.
    """
    t0 = time.perf_counter()
    reserve = min(2.0, 0.15 * time_limit)  # for the paid split at the end
    inner = _same_day_orders_fixed(instance, start)
    reported = [rank(instance, start)]

    def relay(stage: str, fraction: float, best: Plan | None) -> None:
        if best is not None:
            reported[0] = rank(instance, best)
        on_progress(stage, fraction, best)

    plan = _solve_site(inner, time_limit - reserve, previous, start, workers, seed, relay if on_progress else None)
    stats = plan.stats
    if rank(instance, start) < rank(instance, plan):
        plan = Plan(list(start.assignments), method="optimised")
    left = t0 + time_limit - FINISH_SECONDS / 2 - time.perf_counter()  # the rest is for the figures below
    repaid = best_paid_split(instance, plan, time_limit=max(0.2, left), workers=workers)
    if rank(instance, repaid) <= rank(instance, plan):
        plan = repaid
    # the model's own bounds hold with the fixed work orders only: report the site's
    stats.update(deadline_bound=deadline_lower_bound(instance), lowest_paid_bound=fair_level_bound(instance),
                 kept_as_started=len(inner.fixed) - len(instance.fixed), wall_seconds=time.perf_counter() - t0)
    stats["deadline_proven"] = deadline_minutes_unplanned(instance, plan) <= stats["deadline_bound"]
    stats["lowest_paid_proven"] = fair_level(instance, plan) >= stats["lowest_paid_bound"]
    plan.stats = stats
    if on_progress:
        on_progress("paid", 1.0, plan if rank(instance, plan) < reported[0] else None)
    return plan


def _same_day_orders_fixed(instance: Instance, start: Plan) -> Instance:
    """The instance with the start plan's same-day steps fixed: each task that follows its predecessor
    the same day, that predecessor, and everything before them in the routing."""
    tasks, placed = instance.tasks_by_id(), start.by_task()
    keep = [t.id for t in instance.tasks if t.id in placed
            and any(p in placed and placed[p].day == placed[t.id].day for p in t.predecessors)]
    frozen: set[int] = set()
    while keep:  # a task and all that comes before it
        task_id = keep.pop()
        if task_id not in frozen:
            frozen.add(task_id)
            keep.extend(p for p in tasks[task_id].predecessors if p in tasks)
    already = {a.task_id for a in instance.fixed}
    extra = tuple(placed[tid] for tid in sorted(frozen - already))
    return replace(instance, fixed=instance.fixed + extra) if extra else instance


def _solve_site(instance: Instance, time_limit: float, previous: Plan | None, start: Plan, workers: int,
                seed: int, on_progress) -> Plan:
    t0 = time.perf_counter()
    deadline = t0 + time_limit
    model = _Model(instance, previous)
    values = model.values_from_plan(start)
    stats: dict = {"groups": len(model.groups), "variables": len(model.vars),
                   "tasks": len(instance.tasks)}
    solver_status = {}
    reported = [rank(instance, start)]

    def report(stage: str, values: dict) -> None:
        if not on_progress:
            return
        best = None
        candidate = model.finish(values, previous)
        if rank(instance, candidate) < reported[0]:
            best, reported[0] = candidate, rank(instance, candidate)
        on_progress(stage, min(1.0, (time.perf_counter() - t0) / time_limit), best)

    def solve(share: float, stage: str, presolve: bool = False):
        model.hint(values)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        # presolve of these models is slow (seconds) and buys little: the hint is complete
        solver.parameters.cp_model_presolve = presolve
        left = deadline - FINISH_SECONDS - time.perf_counter()
        solver.parameters.max_time_in_seconds = max(0.2, left * share)
        status = solver.Solve(model.m, _WhileSolving(model.vars, lambda found: report(stage, found))
                              if on_progress else None)
        solver_status[stage] = f"{solver.StatusName(status)} {time.perf_counter() - t0:.1f}s"
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            report(stage, model.solver_values(solver))
        return solver, status

    m = model.m
    if previous is not None and model.keep:
        # re-planning: every stage keeps (almost) all that the start plan kept of the previous one
        kept = model.stability_value(values)
        m.Add(model.stability >= kept)  # never keep less of the previous plan than the instant re-plan did
        stats["kept_minutes_at_start"] = kept
    # Stage 1: deadline minutes unplanned; the solver stops as soon as it reaches the lower bound.
    unavoidable = deadline_lower_bound(instance)
    m.Add(model.late >= unavoidable)
    m.Minimize(model.late)
    solver, status = solve(0.35, "deadline", presolve=True)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        values = model.solver_values(solver)
        best_late = round(solver.ObjectiveValue())
        stats["deadline_bound"] = round(solver.BestObjectiveBound())
    else:
        best_late = model.late_value(values)
        stats["deadline_bound"] = unavoidable
    m.Add(model.late <= best_late)
    # Stage 2: the lowest paid minutes.
    # planned work rides along as a tie-break, so a short stage 3 never loses it
    m.Add(model.planned >= model.planned_value(values))
    m.Maximize(model.low)
    solver, status = solve(0.75, "fair")
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        values = model.solver_values(solver)
        best_low = values[model.low.Index()]
        stats["lowest_paid_bound"] = round(solver.BestObjectiveBound())
    else:
        best_low = values[model.low.Index()]
        stats["lowest_paid_bound"] = None
    stats["lowest_paid_proven"] = status == cp_model.OPTIMAL
    m.Add(model.low >= best_low)
    # Stage 3: everything else.
    total_paid = sum(model.paid.values()) if model.paid else 0
    switches = sum(u for u, _ in model.on_order.values())
    objective = (10 * model.planned + 4 * total_paid + 60 * sum(model.variety.values()) - 30 * switches
                 + 40 * model.stability)
    m.Maximize(objective)
    solver, status = solve(1.0, "rest")
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        values = model.solver_values(solver)
    stats["status"] = solver_status
    plan = model.finish(values, previous)
    stats["model_lowest_paid"] = best_low
    stats["model_deadline_minutes"] = best_late
    stats["wall_seconds"] = time.perf_counter() - t0
    plan.stats = stats
    return plan


def best_paid_split(instance: Instance, plan: Plan, *, time_limit: float = 2.0, workers: int = 2) -> Plan:
    """Keep every assignment; choose which ones are paid to raise the fair level, then use the budget.

    A small exact model (one yes/no per assignment a payable person does on productive work).
    """
    tasks, people = instance.tasks_by_id(), instance.people_by_id()
    fixed = set(instance.fixed)
    m = cp_model.CpModel()
    choice = {}
    paid_terms = defaultdict(list)
    fixed_paid = defaultdict(int)
    for a in plan.assignments:
        if a in fixed:
            if a.kind == Kind.PAID:
                fixed_paid[a.person_id] += a.minutes
            continue
        person = people[a.person_id]
        if person.payable and tasks[a.task_id].productive and person.paid_cap_minutes() > 0:
            b = m.NewBoolVar(f"b{a.task_id}")
            m.AddHint(b, a.kind == Kind.PAID)
            choice[a.task_id] = (b, a)
            paid_terms[a.person_id].append(a.minutes * b)
    reach = {p.id: paid_reach(instance, p) for p in instance.people if p.payable}
    if not choice or not reach:
        return plan
    paid = {pid: sum(paid_terms[pid]) + fixed_paid[pid] for pid in reach}
    for pid, expr in paid.items():
        m.Add(expr <= people[pid].paid_cap_minutes())
    m.Add(sum(paid.values()) <= instance.paid_budget_minutes)
    low = m.NewIntVar(0, max(reach.values()), "low")
    for pid, r in reach.items():
        t = m.NewIntVar(0, r, f"t{pid}")
        m.AddMinEquality(t, [low, m.NewConstant(r)])
        m.Add(paid[pid] >= t)
    # then use the budget, but not by piling it onto the best-paid person
    top = m.NewIntVar(0, max(p.paid_cap_minutes() for p in people.values() if p.payable), "top")
    for expr in paid.values():
        m.Add(top >= expr)
    weight = 3 * instance.paid_budget_minutes + 1
    m.Maximize(weight * low + 2 * sum(paid.values()) - top)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.max_time_in_seconds = time_limit
    status = solver.Solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return plan
    out = []
    for a in plan.assignments:
        if a.task_id in choice:
            kind = Kind.PAID if solver.Value(choice[a.task_id][0]) else Kind.TRAINING
            a = Assignment(a.person_id, a.task_id, a.day, a.start, a.minutes, kind)
        out.append(a)
    return Plan(out, method=plan.method, stats=dict(plan.stats))
