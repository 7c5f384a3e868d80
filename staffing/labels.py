"""Readable, translated names for the staffing enums."""
from flask_babel import lazy_gettext as _l

from .models import PersonKind

PERSON_KIND_LABELS = {
    PersonKind.TRAINEE: _l("Trainee"),
    PersonKind.SMALL_JOB: _l("Small job (paid hours)"),
    PersonKind.HYBRID: _l("Hybrid placement"),
    PersonKind.FLEXJOB: _l("Flex job"),
    PersonKind.STAFF: _l("Staff"),
    PersonKind.FORMER: _l("Former"),
}
