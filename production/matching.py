"""Can this person do this operation? The one rule, shared by the capacity view, the shop floor and the planner.

A person can do an operation when
- her latest skill level for the operation's skill is at least the operation's minimum level
  (a skill she was never assessed in counts as level 0), and
- her accommodations allow what the operation demands: lifting (kg), continuous standing
  (minutes), a seated place (no standing at all) and quiet (no noisy operation).
"""
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from staffing.models import Person

from .models import Operation


@dataclass(frozen=True)
class PersonProfile:
    """What matching and capacity need to know about a person, read once from staffing."""

    person_id: int
    name: str
    #: skill_id -> latest level (0-3).
    skill_levels: dict[int, int] = field(default_factory=dict)
    #: Effective pace in percent of standard time (100 = standard).
    pace_percent: int = 100
    max_lift_kg: int | None = None
    max_standing_minutes: int | None = None
    needs_quiet: bool = False
    needs_seated: bool = False
    max_minutes_per_day: int | None = None
    earliest_start_minute: int | None = None


def profile_for(person: Person, day: date | None = None) -> PersonProfile:
    """The person's profile as it stood on `day` (latest assessments dated on or before it; default: the latest)."""
    levels: dict[int, int] = {}
    for level in person.skill_levels:  # ordered by (since, id): later ones win
        if day is None or level.since <= day:
            levels[level.skill_id] = level.level
    pace = 100
    for assessment in person.pace_history:
        if day is None or assessment.since <= day:
            pace = assessment.percent
    needs = person.accommodation
    return PersonProfile(
        person_id=person.id, name=person.name, skill_levels=levels, pace_percent=pace,
        max_lift_kg=needs.max_lift_kg if needs else None,
        max_standing_minutes=needs.max_standing_minutes if needs else None,
        needs_quiet=bool(needs and needs.needs_quiet), needs_seated=bool(needs and needs.needs_seated),
        max_minutes_per_day=needs.max_minutes_per_day if needs else None,
        earliest_start_minute=needs.earliest_start_minute if needs else None,
    )


def can_do(profile: PersonProfile, operation: Operation) -> tuple[bool, str]:
    """(True, "") if she can do the operation, else (False, the first reason why not)."""
    level = profile.skill_levels.get(operation.skill_id, 0)
    if level < operation.min_skill_level:
        return False, str(_l("Needs skill level %(need)d; she has %(has)d.", need=operation.min_skill_level, has=level))
    if profile.max_lift_kg is not None and operation.lift_kg > profile.max_lift_kg:
        return False, str(_l("Lifts %(kg)d kg; her limit is %(max)d kg.", kg=operation.lift_kg, max=profile.max_lift_kg))
    if profile.needs_seated and operation.standing_minutes > 0:
        return False, str(_l("Done standing; she needs to sit."))
    if profile.max_standing_minutes is not None and operation.standing_minutes > profile.max_standing_minutes:
        return False, str(_l("Standing %(minutes)d minutes; her limit is %(max)d.",
                             minutes=operation.standing_minutes, max=profile.max_standing_minutes))
    if profile.needs_quiet and operation.noisy:
        return False, str(_l("Noisy; she needs quiet."))
    return True, ""
