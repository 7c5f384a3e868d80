"""Production: operations, products and routings, work orders, tasks, the shop floor."""
from flask import Flask
from flask_babel import lazy_gettext as _l

from workshop.models import Role
from workshop.registry import add_demo_seeder, add_nav_link

from . import models  # noqa: F401 - registers the tables
from .demo import seed_production_demo
from .planner import models as planner_models  # noqa: F401 - registers the plan tables
from .planner.views import blueprint as planner_blueprint
from .views import blueprint


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    add_nav_link(app, _l("Products"), "production.products", {Role.LEADER, Role.STAFF}, icon="box", order=40)
    add_demo_seeder(app, 20, seed_production_demo)
    app.register_blueprint(planner_blueprint)
    add_nav_link(app, _l("Week plan"), "planner.index", {Role.LEADER}, icon="calendar-week", order=45)
    add_nav_link(app, _l("My plan"), "planner.mine", {Role.TRAINEE}, icon="calendar-week", order=45)
