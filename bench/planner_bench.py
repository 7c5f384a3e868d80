"""Planner benchmark: fixed-seed instances S, M, L; instant and optimised plans.

Prints, per instance and method: wall time, deadline minutes unplanned, lowest/highest paid
hours among payable people, and the gap of the lowest paid hours to the solver's proven
bound. Every plan is checked by the validator. Run with `make bench-planner`.
"""
from __future__ import annotations

import os
import sys
import time
from dataclasses import replace

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from production.planner.generate import make_instance  # noqa: E402
from production.planner.instant import instant_plan  # noqa: E402
from production.planner.metrics import deadline_minutes_unplanned, fair_level, moved_minutes, paid_range  # noqa: E402
from production.planner.optimise import optimised_plan  # noqa: E402
from production.planner.validate import validate  # noqa: E402

SEED = 2026
SITE_SECONDS = float(os.environ.get("PLANNER_BENCH_SECONDS", "15"))


def hours(minutes: int) -> str:
    return f"{minutes / 60:.1f}"


def row(name, method, seconds, sites):
    """sites: list of (instance, plan)."""
    for inst, plan in sites:
        problems = validate(inst, plan)
        assert not problems, f"{name}/{method}: invalid plan: {problems[:3]}"
        assert plan.assignments, f"{name}/{method}: empty plan"
    late = sum(deadline_minutes_unplanned(i, p) for i, p in sites)
    lows, highs = zip(*(paid_range(i, p) for i, p in sites))
    levels = [fair_level(i, p) for i, p in sites]
    bounds = [p.stats.get("lowest_paid_bound") for _, p in sites]
    proven = [p.stats.get("deadline_proven") for _, p in sites]
    if all(b is not None for b in bounds) and method.startswith("optimised"):
        gaps = [(b - lv) / b if b else 0.0 for b, lv in zip(bounds, levels)]
        gap = (f"{hours(min(levels))} / {hours(max(bounds))}: {100 * max(gaps):.0f} %" if len(gaps) == 1 else
               f"{100 * max(gaps):.0f} % worst, {100 * sum(gaps) / len(gaps):.0f} % mean")
    else:
        gap = f"{hours(min(levels))} / –"
    deadline = f"{late}"
    if method.startswith("optimised"):
        deadline += (" (proven min)" if all(proven) else
                     f" (proven min on {sum(map(bool, proven))} of {len(proven)} sites)" if len(proven) > 1 else "")
    print(f"| {name} | {method} | {seconds:.2f} | {deadline} | {hours(min(lows))} / {hours(max(highs))} | {gap} |",
          flush=True)


def main() -> None:
    s = make_instance(SEED, 20, 300, name="S")
    m = make_instance(SEED + 1, 60, 1500, name="M")
    l_sites = [make_instance(SEED + 10 + k, 20, 500, site=k, name=f"L{k}") for k in range(10)]
    print(f"seed {SEED}; optimised: CP-SAT, 2 workers, {SITE_SECONDS:.0f} s per site (M: 2x)\n")
    print("| instance | method | wall s | deadline min unplanned | paid h lowest / highest (payable) | fair level h / proven bound h: gap |")
    print("|---|---|---|---|---|---|")
    for name, sites, limit in (("S (20 p, 300 t)", [s], SITE_SECONDS), ("M (60 p, 1500 t)", [m], 2 * SITE_SECONDS),
                               ("L (10 × 20 p, 500 t)", l_sites, SITE_SECONDS)):
        t = time.perf_counter()
        plans = [instant_plan(i) for i in sites]
        row(name, "instant", time.perf_counter() - t, list(zip(sites, plans)))
        t = time.perf_counter()
        opt = [optimised_plan(i, time_limit=limit, start=p) for i, p in zip(sites, plans)]
        row(name, "optimised", time.perf_counter() - t, list(zip(sites, opt)))
        if name.startswith("S"):
            s_opt = opt[0]
    # Re-plan: person with the most planned minutes is sick on Tuesday and Wednesday.
    load = {}
    for a in s_opt.assignments:
        load[a.person_id] = load.get(a.person_id, 0) + a.minutes
    sick = max(load, key=load.get)
    people = tuple(replace(p, windows={d: w for d, w in p.windows.items() if d not in (1, 2)}) if p.id == sick else p
                   for p in s.people)
    s2 = replace(s, people=people)
    unaffected = {a.task_id for a in s_opt.assignments if not (a.person_id == sick and a.day in (1, 2))}
    t = time.perf_counter()
    re1 = instant_plan(s2, previous=s_opt)
    row("S re-plan (2 sick days)", "instant", time.perf_counter() - t, [(s2, re1)])
    moved, total = moved_minutes(s_opt, re1, unaffected)
    print(f"|  | moved {moved} of {total} unaffected minutes ({100 * moved / total:.1f} %) | | | | |")
    t = time.perf_counter()
    re2 = optimised_plan(s2, previous=s_opt, start=re1, time_limit=5)
    row("S re-plan (2 sick days)", "optimised 5 s", time.perf_counter() - t, [(s2, re2)])
    moved, total = moved_minutes(s_opt, re2, unaffected)
    print(f"|  | moved {moved} of {total} unaffected minutes ({100 * moved / total:.1f} %) | | | | |")
    for inst, plan in [(s, s_opt)]:
        print(f"\nS model: {plan.stats['groups']} groups for {plan.stats['tasks']} tasks, "
              f"{plan.stats['variables']} variables; stages: {plan.stats['status']}")


if __name__ == "__main__":
    main()
