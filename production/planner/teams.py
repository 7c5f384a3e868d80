"""Split a large site into teams the optimiser solves one by one.

CP-SAT solves a site of about 20 people and 500 tasks well within seconds; a site three times
that size gives a model ten times larger that it cannot even presolve in time. So a large site is
cut into teams of people, and each work order goes whole to one team (routing order never crosses
a team). The teams follow the start plan: a work order goes to the team that already does most of
it, and a person to the team whose work orders she already does most of.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, replace

from production.planner.instance import Instance, Kind, Plan
from production.planner.instant import instant_plan
from production.planner.metrics import deadline_minutes_unplanned

TEAM_SIZE = 20
ANCHOR_MINUTES = 10**6


@dataclass(frozen=True)
class Team:
    people: frozenset[int]
    tasks: frozenset[int]


def team_count(instance: Instance) -> int:
    """1 for a site the optimiser solves whole; otherwise teams of about TEAM_SIZE people."""
    n = len(instance.people)
    return 1 if n <= 1.5 * TEAM_SIZE else round(n / TEAM_SIZE)


def team_problems(instance: Instance, start: Plan, count: int) -> list[tuple[Team, Instance, Plan]]:
    """(team, its instance, its start plan) for the split that leaves the least deadline work unplanned.

    A work order moved to another team is planned again there by the instant method; a few rounds of
    the split are tried, since one that cuts less of the start plan can still leave more work late.
    """
    best = None
    for rounds in range(1, 5):
        teams = split_into_teams(instance, start, count, rounds)
        budgets = team_budgets(instance, start, teams)
        problems = []
        for team, budget in zip(teams, budgets):
            sub = team_instance(instance, team, budget)
            problems.append((team, sub, instant_plan(sub, previous=team_plan(start, team))))
        late = sum(deadline_minutes_unplanned(sub, plan) for _, sub, plan in problems)
        if best is None or late < best[0]:
            best = (late, problems)
    return best[1]


def split_into_teams(instance: Instance, start: Plan, count: int, rounds: int = 4) -> list[Team]:
    """`count` teams of people with whole work orders, cutting as little of `start` as possible."""
    tasks = instance.tasks_by_id()
    order_of = {t.id: t.work_order_id for t in instance.tasks}
    size = math.ceil(len(instance.people) / count)
    # start: deal people out by capacity, so every team gets strong and part-time people alike
    ranked = sorted(instance.people, key=lambda p: (-p.max_minutes_per_week, p.id))
    team_of = {p.id: i % count for i, p in enumerate(ranked)}
    minutes = defaultdict(int)  # (person, work order) -> planned minutes in the start plan
    for a in start.assignments:
        if a.task_id in tasks:
            minutes[(a.person_id, order_of[a.task_id])] += a.minutes
    # pins and locked work tie a work order to the person's team
    for person_id, task_id in [(p.person_id, p.task_id) for p in instance.pins] + [
            (a.person_id, a.task_id) for a in instance.fixed]:
        if task_id in tasks:
            minutes[(person_id, order_of[task_id])] += ANCHOR_MINUTES
    orders = sorted({t.work_order_id for t in instance.tasks})
    for _ in range(rounds):
        order_team = _orders_to_teams(instance, orders, minutes, team_of, count)
        team_of = _people_to_teams(instance, minutes, order_team, size, count)
    order_team = _orders_to_teams(instance, orders, minutes, team_of, count)
    return [Team(frozenset(pid for pid, t in team_of.items() if t == i),
                 frozenset(t.id for t in instance.tasks if order_team[t.work_order_id] == i)) for i in range(count)]


def _orders_to_teams(instance, orders, minutes, team_of, count) -> dict[int, int]:
    """Each work order to the team doing most of it; unplanned ones to the team with the least work."""
    per_team = defaultdict(lambda: [0] * count)
    for (pid, wo), m in minutes.items():
        per_team[wo][team_of[pid]] += m
    work = defaultdict(int)
    for t in instance.tasks:
        work[t.work_order_id] += t.standard_minutes
    load = [0] * count
    out = {}
    for wo in sorted(orders, key=lambda wo: -max(per_team[wo]) if wo in per_team else 0):
        shares = per_team.get(wo)
        team = shares.index(max(shares)) if shares and max(shares) > 0 else load.index(min(load))
        out[wo] = team
        load[team] += work[wo]
    return out


def _people_to_teams(instance, minutes, order_team, size, count) -> dict[int, int]:
    """Each person to the team whose work orders she does most of, at most `size` people a team."""
    affinity = defaultdict(lambda: [0] * count)
    for (pid, wo), m in minutes.items():
        affinity[pid][order_team[wo]] += m
    filled = [0] * count
    out = {}
    people = sorted(instance.people, key=lambda p: (-max(affinity[p.id]), p.id))
    for p in people:
        choices = sorted(range(count), key=lambda t: (-affinity[p.id][t], filled[t], t))
        team = next(t for t in choices if filled[t] < size)
        out[p.id] = team
        filled[team] += 1
    return out


def team_instance(instance: Instance, team: Team, budget_minutes: int) -> Instance:
    """The team's own week: its people, its work orders, its pins, forbids and locked work."""
    return replace(
        instance,
        people=tuple(p for p in instance.people if p.id in team.people),
        tasks=tuple(t for t in instance.tasks if t.id in team.tasks),
        paid_budget_minutes=budget_minutes,
        pins=tuple(p for p in instance.pins if p.task_id in team.tasks and p.person_id in team.people),
        forbids=tuple(f for f in instance.forbids if f.task_id in team.tasks and f.person_id in team.people),
        fixed=tuple(a for a in instance.fixed if a.task_id in team.tasks and a.person_id in team.people),
        name=f"{instance.name} team",
    )


def team_plan(plan: Plan | None, team: Team) -> Plan | None:
    if plan is None:
        return None
    return Plan([a for a in plan.assignments if a.person_id in team.people and a.task_id in team.tasks],
                method=plan.method)


def team_budgets(instance: Instance, start: Plan, teams: list[Team]) -> list[int]:
    """The budget split as the start plan pays it, the rest shared by the number of payable people."""
    paid = defaultdict(int)
    for a in start.assignments:
        if a.kind == Kind.PAID:
            paid[a.person_id] += a.minutes
    used = [sum(paid[pid] for pid in team.people) for team in teams]
    payable = [sum(1 for p in instance.people if p.id in team.people and p.payable) for team in teams]
    rest = max(0, instance.paid_budget_minutes - sum(used))
    shares = [rest * n // max(1, sum(payable)) for n in payable]
    return [u + s for u, s in zip(used, shares)]
