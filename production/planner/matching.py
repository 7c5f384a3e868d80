"""The one rule for "can this person do this operation" (skills and accommodations)."""
from __future__ import annotations

from production.planner.instance import Operation, Person


def mismatches(person: Person, operation: Operation) -> list[str]:
    """Reasons this person cannot do this operation; empty when she can.

    Codes: "skill", "lift", "standing", "quiet", "seated".
    """
    reasons = []
    if person.skills.get(operation.skill, 0) < operation.min_level:
        reasons.append("skill")
    acc = person.accommodations
    if acc.max_lift_kg is not None and operation.lift_kg > acc.max_lift_kg:
        reasons.append("lift")
    if operation.standing_minutes > 0:
        if acc.needs_seated:
            reasons.append("seated")
        elif acc.max_standing_minutes is not None and operation.standing_minutes > acc.max_standing_minutes:
            reasons.append("standing")
    if acc.needs_quiet and operation.noisy:
        reasons.append("quiet")
    return reasons


def can_do(person: Person, operation: Operation) -> bool:
    return not mismatches(person, operation)
