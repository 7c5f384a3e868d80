"""seed-scale: the volumes asked for, the same rows for the same seed, and no run on a real database."""
import random

from sqlalchemy import func, select

from production.models import Task, WorkOrder
from production.planner.models import Plan
from shop import scale
from shop.models import RepairTicket, RepairTicketLine
from shop.orders.models import Order
from shop.retail.models import Sale, StockLevel, StockMovement
from staffing.models import Course, LedgerEntry, LogbookEntry, Person
from workshop.extensions import db
from workshop.models import Site
from workshop.timeutil import local_today

SMALL = scale.Volumes(trainees=3, paid_people=2, repair_tickets=40, orders=5, retail_sales=30)


def _count(model, site_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(model.site_id == site_id))


def test_seed_scale_writes_a_years_volumes_per_site(app):
    written = scale.seed_scale(sites=2, years=1, seed=7, volumes=SMALL)
    sites = db.session.scalars(select(Site).where(Site.slug.like("scale-%")).order_by(Site.slug)).all()
    assert [site.slug for site in sites] == ["scale-01", "scale-02"]
    site = sites[0]
    assert _count(Person, site.id) == SMALL.trainees + SMALL.paid_people
    assert _count(Course, site.id) == SMALL.trainees
    assert _count(RepairTicket, site.id) == SMALL.repair_tickets
    assert _count(Order, site.id) == SMALL.orders
    assert _count(Sale, site.id) == SMALL.retail_sales
    assert _count(LogbookEntry, site.id) > SMALL.trainees * 20  # a course runs 26 weeks, 4 days a week
    assert _count(LedgerEntry, site.id) > _count(LogbookEntry, site.id) // 2
    assert _count(WorkOrder, site.id) > SMALL.repair_tickets // 2 and _count(Task, site.id) > 0
    assert db.session.scalar(select(func.count()).select_from(Plan).where(Plan.site_id == site.id)) == 1
    assert written > 1000
    # The stock levels are the sums of the movements, as the shop keeps them.
    for level in db.session.scalars(select(StockLevel).where(StockLevel.site_id == site.id)):
        moved = db.session.scalar(select(func.sum(StockMovement.quantity)).where(
            StockMovement.site_id == site.id, StockMovement.product_id == level.product_id))
        assert level.on_hand == moved >= 0
    # Ids handed out in bulk leave the database's own numbering intact: a new row gets a free id.
    first_ticket = db.session.scalar(select(RepairTicket).order_by(RepairTicket.id))
    db.session.add(RepairTicketLine(ticket_id=first_ticket.id, repair_type_id=first_ticket.lines[0].repair_type_id,
                                    price_ore=100, standard_minutes=5))
    db.session.commit()


class _Collected(scale.Rows):
    """Rows that are kept instead of written."""

    def __init__(self):
        self.pending = {model.__table__: [] for model in self.ORDER}
        self.next_id = {table: 1 for table in self.pending}
        self.kept = {table.name: [] for table in self.pending}
        self.written = 0

    def flush(self):
        for table, rows in self.pending.items():
            self.kept[table.name].extend(rows)
            rows.clear()


def _generated(site, reference, seed: int) -> dict:
    rows = _Collected()
    scale.SiteWriter(rows, site, reference, random.Random(f"{seed}-x"), local_today(), 1, SMALL).write()
    db.session.rollback()  # the counters and stock levels it adds through the session
    return rows.kept


def test_the_same_seed_makes_the_same_rows(make_site, make_user):
    scale._run_demo_seeders()
    site = make_site("scale-test")
    reference = scale._reference()
    scale._site_setup(site, reference)
    db.session.commit()
    first, again, other = (_generated(site, reference, seed) for seed in (1, 1, 2))
    assert first == again
    assert first["repair_tickets"] and first["repair_tickets"] != other["repair_tickets"]


def test_seed_scale_refuses_a_database_with_real_work(app):
    scale.seed_scale(sites=1, years=1, seed=1, volumes=scale.Volumes(trainees=130, paid_people=1, repair_tickets=300,
                                                                       orders=1, retail_sales=1))
    result = app.test_cli_runner().invoke(args=["seed-scale", "--sites", "1", "--years", "1"])
    assert result.exit_code != 0
    assert "--force" in result.output
    assert db.session.scalar(select(func.count()).select_from(Site).where(Site.slug == "scale-02")) == 0
