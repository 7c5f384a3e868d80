"""Shop: business customers, orders and payments, retail, repair tickets."""
from flask import Flask
from flask_babel import lazy_gettext as _l

from workshop.models import Role
from workshop.registry import add_demo_seeder, add_nav_link, set_start_page

from . import models  # noqa: F401 - registers the tables
from .demo import seed_shop_demo
from .views import blueprint


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    add_nav_link(app, _l("Customers"), "shop.customers", {Role.LEADER}, icon="building", order=60)
    add_nav_link(app, _l("Repair prices"), "shop.repair_prices", {Role.LEADER, Role.STAFF}, icon="tags", order=70)
    add_nav_link(app, _l("My account"), "shop.account", {Role.CUSTOMER}, icon="person", order=10)
    set_start_page(app, Role.CUSTOMER, "shop.account")
    add_demo_seeder(app, 30, seed_shop_demo)
