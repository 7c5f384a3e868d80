"""Production: operations, products and routings, work orders, tasks, the shop floor."""
from flask import Flask
from flask_babel import lazy_gettext as _l

from staffing.privacy import register_collector
from workshop.models import Role
from workshop.registry import add_demo_seeder, add_nav_link

from . import models  # noqa: F401 - registers the tables
from .demo import seed_production_demo
from .floor_views import blueprint as floor_blueprint
from .planner import models as planner_models  # noqa: F401 - registers the plan tables
from .planner.views import blueprint as planner_blueprint
from .privacy import assigned_tasks
from .views import blueprint


def init_app(app: Flask) -> None:
    register_collector("tasks", assigned_tasks)  # the tasks assigned to her go into her data export
    app.register_blueprint(blueprint)
    app.register_blueprint(floor_blueprint)
    add_nav_link(app, _l("Work orders"), "production.work_orders", {Role.LEADER, Role.STAFF}, icon="clipboard-check", order=30, group="production")
    add_nav_link(app, _l("Board"), "production.board", {Role.LEADER, Role.STAFF}, icon="kanban", order=32, group="production")
    add_nav_link(app, _l("Capacity"), "production.capacity", {Role.LEADER, Role.STAFF}, icon="speedometer2", order=34, group="production")
    add_nav_link(app, _l("Products"), "production.products", {Role.STAFF}, icon="box", order=40, group="production")
    add_nav_link(app, _l("Operations"), "production.operations", {Role.STAFF}, icon="tools", order=42, group="production")
    # A leader sets these up, so she finds them under Set-up.
    add_nav_link(app, _l("Operations"), "production.operations", {Role.LEADER}, icon="tools", order=82, group="setup")
    add_nav_link(app, _l("Products"), "production.products", {Role.LEADER}, icon="box", order=83, group="setup")
    add_nav_link(app, _l("Shop floor"), "floor.index", {Role.TRAINEE, Role.STAFF, Role.LEADER}, icon="hammer", order=12)
    add_demo_seeder(app, 20, seed_production_demo)
    app.register_blueprint(planner_blueprint)
    add_nav_link(app, _l("Week plan"), "planner.index", {Role.LEADER}, icon="calendar-week", order=28, group="production")
    add_nav_link(app, _l("My plan"), "planner.mine", {Role.TRAINEE}, icon="calendar-week", order=45)
