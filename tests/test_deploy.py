"""The deployment files in deploy/ name commands that exist and the units the README promises."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
#: `flask --app workshop <group> <command>` in any deployment file.
FLASK_COMMAND = re.compile(r"flask[\"', ]+--app[\"', ]+workshop[\"', ]+([a-z-]+)[\"', ]+([a-z-]+)")


def _deploy_texts() -> dict[str, str]:
    return {str(path.relative_to(ROOT)): path.read_text() for path in DEPLOY.rglob("*") if path.is_file()}


def test_every_flask_command_in_the_deployment_files_exists(app):
    commands = app.cli.list_commands(None)
    named = {match for text in _deploy_texts().values() for match in FLASK_COMMAND.findall(text)}
    assert ("db", "upgrade") in named and ("payments", "reconcile") in named
    for group, command in named:
        assert group in commands, group
        found = app.cli.get_command(None, group)
        assert command in found.list_commands(None), f"{group} {command}"


@pytest.mark.parametrize("unit", [
    "stitchwork-web.service", "stitchwork-planner.service", "stitchwork-outbox.service", "stitchwork-outbox.timer",
    "stitchwork-daily.service", "stitchwork-daily.timer", "stitchwork-hourly.service", "stitchwork-hourly.timer",
])
def test_the_systemd_units_exist(unit):
    assert (DEPLOY / "systemd" / unit).is_file()


def test_the_daily_unit_runs_the_daily_commands():
    daily = (DEPLOY / "systemd" / "stitchwork-daily.service").read_text()
    for command in ("orders expire-quotes", "invoices remind", "repairs remind"):
        assert f"flask --app workshop {command}" in daily


def test_the_procfile_and_compose_run_web_planner_and_outbox():
    procfile = (DEPLOY / "Procfile").read_text()
    assert {line.split(":")[0] for line in procfile.splitlines() if line and not line.startswith("#")} == {
        "web", "planner", "outbox"}
    compose = (DEPLOY / "compose.yaml").read_text()
    for needed in ("image: postgres:15", "image: redis:7", "gunicorn", "rq worker planner", "/readyz"):
        assert needed in compose
