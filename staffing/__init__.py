"""Staffing: people, courses, accommodations, skills, logbook, employment, the hours ledger."""
from flask import Flask
from flask_babel import lazy_gettext as _l

from workshop.models import Role
from workshop.registry import add_demo_seeder, add_nav_link, add_retention_rule, set_start_page

from . import models, privacy, rules  # noqa: F401 - registers the tables
from .cli import report
from .demo import seed_staffing_demo
from .hours_demo import seed_hours_demo
from .hours_views import blueprint as hours_blueprint
from .skill_views import blueprint as skills_blueprint
from .views import blueprint


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    add_nav_link(app, _l("Today"), "staffing.dashboard", {Role.LEADER, Role.STAFF}, icon="speedometer2", order=10)
    add_nav_link(app, _l("People"), "staffing.people", {Role.LEADER, Role.STAFF}, icon="people", order=20, group="people")
    add_nav_link(app, _l("My page"), "staffing.my_page", {Role.TRAINEE}, icon="house-heart", order=10)
    set_start_page(app, Role.LEADER, "staffing.dashboard")
    set_start_page(app, Role.STAFF, "staffing.dashboard")
    set_start_page(app, Role.TRAINEE, "staffing.my_page")
    add_demo_seeder(app, 10, seed_staffing_demo)
    app.register_blueprint(hours_blueprint)
    add_nav_link(app, _l("Hours"), "hours.overview", {Role.LEADER}, icon="clock-history", order=30, group="people")
    add_nav_link(app, _l("Payroll"), "hours.payroll", {Role.LEADER}, icon="file-earmark-spreadsheet", order=32, group="people")
    app.register_blueprint(skills_blueprint)
    add_nav_link(app, _l("Skills"), "skills.index", {Role.LEADER}, icon="mortarboard", order=81, group="setup")
    app.cli.add_command(report)
    add_demo_seeder(app, 15, seed_hours_demo)
    add_retention_rule(app, "logbook notes and accommodations (people)", privacy.forget_old_health_data)
