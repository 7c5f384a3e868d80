"""The planning engine needs no database: these tests run once, without an app."""
import pytest

from production.planner.instance import Employment, Instance, Operation, Person, Task


@pytest.fixture(autouse=True)
def _app_context():
    """Overrides the suite's database fixture: the engine is pure Python."""
    yield


SEW = Operation("sew", "sew", 1, name="sew")
EMBROIDER = Operation("embroider", "embroider", 2, noisy=True, name="embroider")
PACK = Operation("pack", "pack", 0, lift_kg=10, name="pack")
PRESS = Operation("press", "press", 0, standing_minutes=60, name="press")

DAY = ((9 * 60, 15 * 60),)


def person(pid, *, days=(0, 1, 2, 3, 4), window=DAY, skills=None, employment=None, **kw) -> Person:
    return Person(pid, kw.pop("name", f"P{pid}"), {d: window for d in days},
                  skills={"sew": 1, "pack": 1, "press": 1} if skills is None else skills,
                  employment=employment, **kw)


def paid(max_minutes=600, **kw) -> Employment:
    return Employment(True, max_paid_minutes=max_minutes, wage_ore=kw.pop("wage_ore", 13500), **kw)


def task(tid, *, op=SEW, minutes=60, wo=1, **kw) -> Task:
    return Task(tid, wo, op, minutes, **kw)


def instance(people, tasks, budget=0, **kw) -> Instance:
    return Instance(tuple(people), tuple(tasks), paid_budget_minutes=budget, **kw)
