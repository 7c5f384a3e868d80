"""Readable, translated names for the staffing enums."""
from flask_babel import lazy_gettext as _l

from .courses import Phase
from .models import Attendance, CourseOutcome, CourseStatus, PersonKind

PERSON_KIND_LABELS = {
    PersonKind.TRAINEE: _l("Trainee"),
    PersonKind.SMALL_JOB: _l("Small job (paid hours)"),
    PersonKind.HYBRID: _l("Hybrid placement"),
    PersonKind.FLEXJOB: _l("Flex job"),
    PersonKind.STAFF: _l("Staff"),
    PersonKind.FORMER: _l("Former"),
}

COURSE_STATUS_LABELS = {
    CourseStatus.REFERRED: _l("Referred"),
    CourseStatus.ACTIVE: _l("In progress"),
    CourseStatus.COMPLETED: _l("Completed"),
    CourseStatus.INTERRUPTED: _l("Interrupted"),
}

COURSE_OUTCOME_LABELS = {
    CourseOutcome.ORDINARY_JOB: _l("Ordinary job"),
    CourseOutcome.FLEXJOB: _l("Flex job"),
    CourseOutcome.SMALL_JOB: _l("Small job at the workshop"),
    CourseOutcome.PAID_HOURS_WITH_INTERNSHIP: _l("Paid hours with internship"),
    CourseOutcome.EDUCATION: _l("Education"),
    CourseOutcome.OTHER_MEASURE: _l("Other measure"),
    CourseOutcome.NONE: _l("None"),
}

PHASE_LABELS = {
    Phase.ASSESSMENT: _l("Assessment"),
    Phase.DEVELOPMENT: _l("Development"),
    Phase.INTERNSHIP: _l("Internship"),
}

ATTENDANCE_LABELS = {
    Attendance.PRESENT: _l("I was here"),
    Attendance.LEFT_EARLY: _l("I left early"),
    Attendance.SICK: _l("I was sick"),
    Attendance.ABSENT: _l("I was away"),
}

#: Short words for lists and reports.
ATTENDANCE_SHORT = {
    Attendance.PRESENT: _l("Present"),
    Attendance.LEFT_EARLY: _l("Left early"),
    Attendance.SICK: _l("Sick"),
    Attendance.ABSENT: _l("Absent"),
}

ATTENDANCE_ICONS = {
    Attendance.PRESENT: "check-circle",
    Attendance.LEFT_EARLY: "door-open",
    Attendance.SICK: "thermometer-half",
    Attendance.ABSENT: "x-circle",
}

#: How she felt: a face (a Bootstrap icon) and a word, never only a number.
FEELINGS = {
    1: ("emoji-tear", _l("Very bad")),
    2: ("emoji-frown", _l("Bad")),
    3: ("emoji-neutral", _l("OK")),
    4: ("emoji-smile", _l("Good")),
    5: ("emoji-laughing", _l("Very good")),
}

WEEKDAYS = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"), _l("Sunday"))

SKILL_LEVELS = {0: _l("0 · not yet"), 1: _l("1 · with help"), 2: _l("2 · on her own"), 3: _l("3 · can teach others")}

STEPS = {
    1: _l("1 · Takes part; tasks are adapted; building trust"),
    2: _l("2 · Part of production; focused on the work"),
    3: _l("3 · Takes ownership and responsibility"),
    4: _l("4 · Stable and productive; ready for a job"),
}
