"""These planner tests read the database: bring back the suite's app context fixture."""
from tests.conftest import _app_context  # noqa: F401 - re-registers the autouse fixture here
