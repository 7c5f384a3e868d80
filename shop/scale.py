"""Data at scale: `flask --app workshop seed-scale --sites N --years Y [--seed S] [--force]`.

Adds N workshops with Y years of history each, at the volumes a busy site has in a year (see
PER_SITE_YEAR): trainees on courses and paid people, their logbook days and hours ledger, repair
tickets with the work orders, tasks and work records they imply, B2B orders made on the products'
routings, and retail sales with the stock movements that feed them. The same seed (and the same
today) gives the same rows.

It lives in the shop because it writes every layer. It first loads the demo data (skills, operations,
products, the catalogue and the demo logins) through the packages' own seeders, then writes the bulk
with SQLAlchemy Core inserts of lists of dicts (executemany) and ids it hands out itself, so the rows
of one table go in a few round trips. It refuses a database that holds work already (people, tickets,
orders, sales, hours) unless told `--force`.
"""
import base64
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select, text
from werkzeug.security import generate_password_hash

from production.planner.services import make_instant_plan
from production.models import Operation, Product, RoutingStep, Task, WorkOrder, WorkRecord
from staffing.models import (AvailabilitySlot, Course, Employment, LedgerEntry, LogbookEntry, PaceAssessment,
                             Person, PersonKindChange, ProgressionStep, Skill, SkillLevel)
from workshop.cli import DEMO_PASSWORD
from workshop.extensions import db
from workshop.models import PASSWORD_HASH_METHOD, Site, User
from workshop.registry import get_registry
from workshop.timeutil import LOCAL_ZONE, local_today, monday_of

from .demo import REPAIRS, SLOT_CAPACITY, SLOT_TIMES
from .models import (Customer, DropOffSlot, RepairPayment, RepairTicket, RepairTicketLine, RepairType,
                     TicketCounter)
from .orders.models import Order, OrderCounter, OrderLine
from .retail.models import Sale, SaleCounter, SaleLine, StockLevel, StockMovement


@dataclass(frozen=True)
class Volumes:
    """What one site does in one year."""

    trainees: int = 30
    paid_people: int = 10
    repair_tickets: int = 2000
    orders: int = 100
    retail_sales: int = 3000


PER_SITE_YEAR = Volumes()
#: Hours the leader plans for next week.
PLAN_BUDGET_MINUTES = 120 * 60

#: Tables that hold a workshop's work: a database with rows in any of them has real data.
WORK_TABLES = (Person.__table__, RepairTicket.__table__, Order.__table__, Sale.__table__, LedgerEntry.__table__)
#: The demo seeders make a few rows in these; more than this many means someone works in the database.
DEMO_ROWS_AT_MOST = 400

FIRST_NAMES = ("Amina", "Fatima", "Leyla", "Hodan", "Nadia", "Sara", "Zainab", "Aisha", "Meryem", "Hawa",
               "Samira", "Yasmin", "Elif", "Rukia", "Mariam", "Nasra", "Huda", "Dilan", "Asli", "Ikram")
LAST_NAMES = ("Ahmed", "Ali", "Hassan", "Yilmaz", "Karimi", "Omar", "Nielsen", "Jensen", "Abdi", "Demir",
              "Rahimi", "Farah", "Hansen", "Khan", "Aydin")
GARMENTS = ("trousers", "trousers", "jacket", "dress", "shirt", "skirt", "other")
WORKED_ON = ("Syede juleposer", "Klippede stof", "Broderede hjerter", "Pakkede ordre", "Lagde bukser op")


class RefusedError(click.ClickException):
    pass


@dataclass
class Reference:
    """The demo data's org-wide rows the scale data points at."""

    password_hash: str
    operations: dict[str, int]
    #: product id -> (unit price øre, [(operation id, seconds per unit, setup minutes)])
    products: dict[int, tuple[int, list[tuple[int, int, int]]]]
    order_products: list[int]
    retail_products: list[int]
    customers: list[int]
    skills: list[int]


class Rows:
    """Rows waiting to be inserted, per table, with ids handed out here (one max(id) query per table)."""

    #: Parents before children, so the foreign keys hold at every flush.
    ORDER = (User, Person, PersonKindChange, AvailabilitySlot, PaceAssessment, ProgressionStep, SkillLevel, Course, Employment,
             DropOffSlot, WorkOrder, Task, LedgerEntry, WorkRecord, LogbookEntry, RepairTicket, RepairTicketLine,
             RepairPayment, Order, OrderLine, Sale, SaleLine, StockMovement)

    def __init__(self, connection):
        self.connection = connection
        self.pending = {model.__table__: [] for model in self.ORDER}
        self.next_id = {table: (connection.scalar(select(func.max(table.c.id))) or 0) + 1 for table in self.pending}
        self.written = 0

    def add(self, model, **values) -> int:
        table = model.__table__
        values["id"] = self.next_id[table]
        self.next_id[table] += 1
        self.pending[table].append(values)
        return values["id"]

    def flush(self) -> None:
        for table, rows in self.pending.items():
            if rows:
                self.connection.execute(table.insert(), rows)
                self.written += len(rows)
                rows.clear()

    def finish(self) -> None:
        """Move PostgreSQL's id sequences past the ids used here."""
        self.flush()
        if self.connection.dialect.name == "postgresql":
            for table in self.pending:
                self.connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"))


def work_rows_present(connection) -> int:
    return sum(connection.scalar(select(func.count()).select_from(table)) for table in WORK_TABLES)


def seed_scale(sites: int, years: int, seed: int, force: bool = False, volumes: Volumes = PER_SITE_YEAR) -> int:
    """Write the scale data; returns how many rows were written in bulk. Commits."""
    if not force and work_rows_present(db.session.connection()) > DEMO_ROWS_AT_MOST:
        raise RefusedError("This database holds real work (people, tickets, orders, sales or hours). "
                           "seed-scale adds thousands of invented rows; run it with --force if you mean it.")
    _run_demo_seeders()
    reference = _reference()
    connection = db.session.connection()
    rows = Rows(connection)
    today = local_today()
    existing = set(db.session.scalars(select(Site.slug)))
    added = []
    for number in range(1, sites + 1):
        slug = f"scale-{number:02d}"
        if slug in existing:
            continue
        site = Site(slug=slug, name=f"Stitchwork skala {number:02d}", capacity=20, address=f"Skalavej {number}")
        db.session.add(site)
        db.session.flush()
        _site_setup(site, reference)
        SiteWriter(rows, site, reference, random.Random(f"{seed}-{slug}"), today, years, volumes).write()
        added.append(site)
    rows.finish()
    for site in added:
        plan_next_week(site)
    db.session.commit()
    if db.session.connection().dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))  # the planner's statistics, before autovacuum gets round to it
        db.session.commit()
    return rows.written


def plan_next_week(site: Site) -> None:
    """Next week's plan for the site's open tasks (the week board shows it), made by the planner."""
    leader = db.session.scalar(select(User).where(User.site_id == site.id, User.role == "leader"))
    make_instant_plan(site.id, monday_of(local_today() + timedelta(days=7)), PLAN_BUDGET_MINUTES, leader)


def _run_demo_seeders() -> None:
    """The demo data, as `seed-demo` loads it (idempotent): the reference rows and the demo logins."""
    for _order, seeder in sorted(get_registry(current_app).demo_seeders, key=lambda pair: pair[0]):
        seeder()
        db.session.flush()


def _reference() -> Reference:
    operations = dict(db.session.execute(select(Operation.code, Operation.id)).all())
    products = {}
    for product in db.session.scalars(select(Product).order_by(Product.id)):
        products[product.id] = (product.unit_price_ore, [])
    for step in db.session.scalars(select(RoutingStep).order_by(RoutingStep.product_id, RoutingStep.position)):
        products[step.product_id][1].append((step.operation_id, step.seconds_per_unit, step.setup_minutes))
    retail = list(db.session.scalars(select(Product.id).where(Product.sold_in_retail).order_by(Product.id)))
    return Reference(
        password_hash=generate_password_hash(DEMO_PASSWORD, method=PASSWORD_HASH_METHOD),
        operations=operations, products=products,
        order_products=[pid for pid in products if pid not in retail and products[pid][1]],
        retail_products=retail,
        customers=list(db.session.scalars(select(Customer.id).order_by(Customer.id))),
        skills=list(db.session.scalars(select(Skill.id).order_by(Skill.id))),
    )


def _site_setup(site: Site, reference: Reference) -> None:
    """The site's price list, counters and logins (leader and staff, the demo password)."""
    for code, name_da, name_en, price, minutes, operation_code in REPAIRS:
        db.session.add(RepairType(site_id=site.id, code=code, name_da=name_da, name_en=name_en, price_ore=price,
                                  standard_minutes=minutes, operation_id=reference.operations[operation_code]))
    for role, who in (("leader", "leder"), ("staff", "personale")):
        db.session.add(User(email=f"{who}@{site.slug}.example", name=f"{who.title()} {site.slug}",
                            password_hash=reference.password_hash, role=role, site_id=site.id))
    db.session.flush()


def _token(rng: random.Random, size: int = 24) -> str:
    return base64.urlsafe_b64encode(rng.getrandbits(size * 8).to_bytes(size, "big")).decode().rstrip("=")


def _utc(day: date, minute: int) -> datetime:
    moment = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=LOCAL_ZONE)
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def _weekdays(start: date, end: date) -> list[date]:
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)
            if (start + timedelta(days=offset)).weekday() < 5]


class SiteWriter:
    """One site's years of work, year by year (each year flushed on its own)."""

    def __init__(self, rows: Rows, site: Site, reference: Reference, rng: random.Random, today: date, years: int,
                 volumes: Volumes):
        self.rows, self.site, self.ref, self.rng, self.today = rows, site, reference, rng, today
        self.start = today - timedelta(days=365 * years)
        self.years, self.volumes = years, volumes
        self.repair_types = {repair.id: repair for repair in
                             db.session.scalars(select(RepairType).where(RepairType.site_id == site.id))}
        self.leader_id = db.session.scalar(select(User.id).where(User.site_id == site.id, User.role == "leader"))
        self.workers: list[tuple[int, int | None]] = []  # (person id, wage øre/hour or None) working this year
        self.ticket_number = self.order_number = self.receipt_number = 0
        self.stock = {product_id: 0 for product_id in reference.retail_products}

    def write(self) -> None:
        for year in range(self.years):
            first = self.start + timedelta(days=365 * year)
            last = min(first + timedelta(days=364), self.today)
            days = _weekdays(first, last)
            self.workers = []
            self._people(days)
            self._repairs(days)
            self._orders(days)
            self._sales(days)
            self.rows.flush()
        self._future_slots()
        self._counters()
        self.rows.flush()

    # --- people, logbook days and the hours ledger ------------------------------------------------

    def _person(self, kind: str, since: date) -> int:
        rng = self.rng
        person_id = self.rows.add(
            Person, site_id=self.site.id, user_id=None, name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            phone=f"+45 {rng.randint(20, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            email="", languages="dansk", kind=kind, created_at=_utc(since, 8 * 60))
        self.rows.add(PersonKindChange, person_id=person_id, kind="trainee" if kind == "former" else kind,
                      since=since, note="")
        for weekday in (0, 1, 2, 3):
            self.rows.add(AvailabilitySlot, person_id=person_id, weekday=weekday, start_minute=9 * 60,
                          end_minute=12 * 60)
        self.rows.add(PaceAssessment, person_id=person_id, percent=rng.choice((50, 60, 75, 90, 100)), since=since,
                      note="")
        self.rows.add(ProgressionStep, person_id=person_id, step=rng.randint(1, 4), since=since, note="")
        for skill_id in self.ref.skills:
            self.rows.add(SkillLevel, person_id=person_id, skill_id=skill_id, level=rng.randint(1, 3), since=since,
                          note="")
        return person_id

    def _people(self, days: list[date]) -> None:
        rng = self.rng
        last_year = days[-1] >= self.today - timedelta(days=7)
        for number in range(self.volumes.trainees):
            started = days[rng.randrange(max(1, len(days) - 40))]
            ends = started + timedelta(weeks=26)
            still_on = last_year and ends >= self.today
            person_id = self._person("trainee" if still_on else "former", started)
            self.rows.add(Course, person_id=person_id, site_id=self.site.id,
                          referral_date=started - timedelta(days=14), case_reference=f"JC-{self.site.id}-{number}",
                          target_group="Aktivitetsparat", start_date=started, planned_end=ends,
                          actual_end=None if still_on else ends, weekly_minutes=12 * 60, assessment_weeks=6,
                          development_weeks=7, internship_weeks=13, status="active" if still_on else "completed",
                          outcome=None if still_on else rng.choice(("ordinary_job", "smalljob", "education", "none")),
                          interruption_reason="")
            self.workers.append((person_id, None))
            for day in days:
                if started <= day <= min(ends, self.today) and day.weekday() < 4 and rng.random() < 0.75:
                    self._work_day(person_id, day, None)
        for _number in range(self.volumes.paid_people):
            since = days[0]
            person_id = self._person("smalljob" if last_year else "former", since)
            wage = rng.choice((13_500, 14_200, 15_100))
            self.rows.add(Employment, person_id=person_id, kind="smalljob", hourly_wage_ore=wage,
                          min_weekly_minutes=120, max_weekly_minutes=15 * 60, start_date=since,
                          end_date=None if last_year else days[-1], has_frikort=False)
            self.workers.append((person_id, wage))
            for day in days:
                if rng.random() < 0.4:
                    self._ledger(person_id, day, 180, "paid", wage, "production", "Småjob")

    def _ledger(self, person_id: int, day: date, minutes: int, kind: str, wage: int | None, activity: str,
                reference: str) -> int:
        return self.rows.add(LedgerEntry, person_id=person_id, site_id=self.site.id, work_date=day, minutes=minutes,
                             kind=kind, activity=activity, reference=reference, wage_ore_per_hour=wage,
                             corrects_id=None, note="", override_reason="", created_by_id=self.leader_id,
                             created_at=_utc(day, 15 * 60))

    def _work_day(self, person_id: int, day: date, wage: int | None) -> None:
        rng = self.rng
        sick = rng.random() < 0.08
        minutes = 0 if sick else rng.choice((150, 165, 180))
        entry_id = None if sick else self._ledger(person_id, day, minutes, "training", wage, "production", "Logbog")
        self.rows.add(LogbookEntry, person_id=person_id, site_id=self.site.id, day=day,
                      attendance="sick" if sick else "present", left_early_reason="",
                      worked_on="" if sick else rng.choice(WORKED_ON), break_minutes=0 if sick else 15,
                      minutes_worked=minutes, feeling=rng.randint(2, 5), note="", entered_by_id=self.leader_id,
                      ledger_entry_id=entry_id, created_at=_utc(day, 15 * 60), updated_at=_utc(day, 15 * 60))

    # --- work orders with their tasks and the work done on them -----------------------------------

    def _work_order(self, *, product_id: int | None, quantity: int, due: date, source_kind: str, source_label: str,
                    created: datetime, done: bool, steps: list[tuple[int, int]]) -> int:
        """A work order with one task per (operation id, standard minutes); done ones carry their work."""
        work_order_id = self.rows.add(
            WorkOrder, site_id=self.site.id, product_id=product_id, variant_id=None, quantity=quantity, due_date=due,
            source_kind=source_kind, source_id=None, source_label=source_label,
            status="done" if done else "released", created_at=created, done_at=created + timedelta(days=3) if done
            else None)
        for sequence, (operation_id, minutes) in enumerate(steps, start=1):
            person_id, wage = self.rng.choice(self.workers)
            task_id = self.rows.add(
                Task, site_id=self.site.id, work_order_id=work_order_id, operation_id=operation_id, sequence=sequence,
                batch_number=1, quantity=quantity, quantity_done=quantity if done else 0, standard_minutes=minutes,
                earliest_start=created.date(), due_date=due, status="done" if done else "open",
                assignee_id=person_id, rework_of_id=None, rework_reason="")
            if done:
                work_day = min(created.date() + timedelta(days=1), self.today)
                entry_id = self._ledger(person_id, work_day, minutes, "paid" if wage else "training", wage,
                                        "production", source_label[:200])
                self.rows.add(WorkRecord, task_id=task_id, person_id=person_id, ledger_entry_id=entry_id,
                              minutes=minutes, quantity=quantity, recorded_by_id=self.leader_id,
                              at=created + timedelta(days=1))
        return work_order_id

    # --- repair tickets -----------------------------------------------------------------------------

    def _repairs(self, days: list[date]) -> None:
        rng, per_day = self.rng, max(1, self.volumes.repair_tickets // max(1, len(days)))
        repair_ids = sorted(self.repair_types)
        slots = {}
        for day in days:
            for start, end in SLOT_TIMES:
                slots.setdefault(day, []).append(self.rows.add(
                    DropOffSlot, site_id=self.site.id, starts_at=_utc(day, start.hour * 60),
                    ends_at=_utc(day, end.hour * 60), capacity=max(SLOT_CAPACITY, per_day),
                    created_at=_utc(day - timedelta(days=14), 8 * 60)))
        for _number in range(self.volumes.repair_tickets):
            day = days[rng.randrange(len(days))]
            recent = (self.today - day).days < 21
            status = rng.choice(("booked", "received", "received", "ready")) if recent else (
                "collected" if rng.random() < 0.95 else rng.choice(("cancelled", "no_show")))
            chosen = rng.sample(repair_ids, rng.choice((1, 1, 1, 2)))
            lines = [self.repair_types[repair_id] for repair_id in chosen]
            total = sum(line.price_ore for line in lines)
            booked = _utc(day, 10 * 60)
            self.ticket_number += 1
            worked = status in ("received", "ready", "collected")
            work_order_id = self._work_order(
                product_id=None, quantity=1, due=day + timedelta(days=7), source_kind="repair_ticket",
                source_label=f"Reparation {self.site.slug.upper()}-{self.ticket_number:05d}", created=booked,
                done=status in ("ready", "collected"),
                steps=[(line.operation_id, line.standard_minutes) for line in lines]) if worked else None
            walk_in = rng.random() < 0.2
            ticket_id = self.rows.add(
                RepairTicket, site_id=self.site.id, sequence=self.ticket_number,
                number=f"{self.site.slug[-2:]}-{self.ticket_number:05d}", token=_token(rng), request_key=None,
                status=status, garment=rng.choice(GARMENTS),
                customer_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                phone=f"+45{rng.randint(20_000_000, 99_999_999)}", email="", locale=rng.choice(("da", "da", "en")),
                consent_at=booked, consent_by_id=self.leader_id if walk_in else None, walk_in=walk_in,
                slot_id=None if walk_in else rng.choice(slots[day]), total_ore=total, damage_note="",
                work_order_id=work_order_id, created_at=booked,
                received_at=booked + timedelta(hours=1) if worked else None,
                ready_at=booked + timedelta(days=4) if status in ("ready", "collected") else None,
                closed_at=booked + timedelta(days=6) if status in ("collected", "cancelled", "no_show") else None,
                reminder_count=0, last_reminder_at=None)
            for line in lines:
                self.rows.add(RepairTicketLine, ticket_id=ticket_id, repair_type_id=line.id, price_ore=line.price_ore,
                              standard_minutes=line.standard_minutes)
            if status == "collected":
                self.rows.add(RepairPayment, ticket_id=ticket_id, method=rng.choice(("cash", "mobilepay",
                                                                                     "card_terminal")),
                              amount_ore=total, provider="manual", reference="", recorded_by_id=self.leader_id,
                              at=booked + timedelta(days=6))

    def _future_slots(self) -> None:
        """Two weeks of open drop-off slots, so the booking page has times to offer."""
        for offset in range(1, 15):
            day = self.today + timedelta(days=offset)
            if day.weekday() < 5:
                for start, end in SLOT_TIMES:
                    self.rows.add(DropOffSlot, site_id=self.site.id, starts_at=_utc(day, start.hour * 60),
                                  ends_at=_utc(day, end.hour * 60), capacity=SLOT_CAPACITY,
                                  created_at=_utc(self.today, 8 * 60))

    # --- B2B orders -------------------------------------------------------------------------------

    def _orders(self, days: list[date]) -> None:
        rng = self.rng
        for _number in range(self.volumes.orders):
            day = days[rng.randrange(len(days))]
            recent = (self.today - day).days < 30
            status = rng.choice(("requested", "quoted", "accepted", "in_production")) if recent else (
                "paid" if rng.random() < 0.9 else rng.choice(("declined", "expired", "cancelled")))
            self.order_number += 1
            number = f"{self.site.slug[-2:]}-{self.order_number:04d}"
            created = _utc(day, 9 * 60)
            order_id = self.rows.add(
                Order, site_id=self.site.id, customer_id=rng.choice(self.ref.customers), sequence=self.order_number,
                number=number, status=status, requested_by_id=None, customer_reference=f"PO-{rng.randint(1000, 9999)}",
                wished_date=day + timedelta(days=30), prototype_first=False, request_note="",
                promised_date=day + timedelta(days=28), accepted_quote_id=None, invoice_terms_approved_by_id=None,
                invoice_terms_approved_at=None, created_at=created, version=1)
            produced = status in ("in_production", "paid")
            for product_id in rng.sample(self.ref.order_products, rng.choice((1, 1, 2))):
                quantity = rng.choice((25, 50, 100, 200, 300))
                _price, routing = self.ref.products[product_id]
                work_order_id = self._work_order(
                    product_id=product_id, quantity=quantity, due=day + timedelta(days=28),
                    source_kind="order_line", source_label=f"Ordre {number}", created=created,
                    done=status == "paid",
                    steps=[(operation_id, max(1, setup + seconds * quantity // 60))
                           for operation_id, seconds, setup in routing]) if produced else None
                self.rows.add(OrderLine, order_id=order_id, product_id=product_id, variant_id=None, quantity=quantity,
                              embroidery_text="Logo", thread_colours="", placement="", work_order_id=work_order_id)

    # --- retail sales and the stock they take ---------------------------------------------------

    def _sales(self, days: list[date]) -> None:
        rng = self.rng
        if not self.ref.retail_products:
            return
        sold_on: dict[date, list] = {}
        for _number in range(self.volumes.retail_sales):
            sold_on.setdefault(days[rng.randrange(len(days))], []).append(
                [(product_id, rng.choice((1, 1, 1, 2))) for product_id in
                 rng.sample(self.ref.retail_products, rng.choice((1, 1, 2)))])
        for day in sorted(sold_on):
            for receipt in sold_on[day]:
                for product_id, quantity in receipt:  # the shelf is filled before a sale would empty it
                    if self.stock[product_id] < quantity:
                        self.rows.add(StockMovement, site_id=self.site.id, product_id=product_id, variant_id=None,
                                      kind="adjusted", quantity=20, reason="Optælling (skaladata)",
                                      reference="scale", work_order_id=None, actor_id=self.leader_id,
                                      at=_utc(day, 9 * 60))
                        self.stock[product_id] += 20
                self.receipt_number += 1
                at = _utc(day, rng.randint(10 * 60, 16 * 60))
                total = sum(self.ref.products[pid][0] * 5 // 4 * quantity for pid, quantity in receipt)
                sale_id = self.rows.add(
                    Sale, site_id=self.site.id, number=self.receipt_number, channel=rng.choice(("till", "till", "web")),
                    payment_method=rng.choice(("cash", "card_terminal", "mobilepay")), total_ore=total,
                    vat_ore=total // 5, returns_sale_id=None, reason="", reference="", actor_id=self.leader_id, at=at)
                for product_id, quantity in receipt:
                    unit = self.ref.products[product_id][0] * 5 // 4
                    self.rows.add(SaleLine, sale_id=sale_id, product_id=product_id, variant_id=None,
                                  quantity=quantity, unit_price_ore=unit, total_ore=unit * quantity,
                                  vat_ore=unit * quantity // 5, work_order_id=None, returns_line_id=None)
                    self.rows.add(StockMovement, site_id=self.site.id, product_id=product_id, variant_id=None,
                                  kind="sold", quantity=-quantity, reason="", reference=f"receipt:{self.receipt_number}",
                                  work_order_id=None, actor_id=self.leader_id, at=at)
                    self.stock[product_id] -= quantity

    def _counters(self) -> None:
        for counter, last in ((TicketCounter, self.ticket_number), (OrderCounter, self.order_number),
                              (SaleCounter, self.receipt_number)):
            db.session.add(counter(site_id=self.site.id, last_number=last))
        for product_id, on_hand in self.stock.items():
            db.session.add(StockLevel(site_id=self.site.id, product_id=product_id, variant_id=None, on_hand=on_hand,
                                      reserved=0, min_level=5, target_level=20))
        db.session.flush()


@click.command("seed-scale")
@click.option("--sites", default=10, show_default=True, type=click.IntRange(1, 99), help="Workshops to add.")
@click.option("--years", default=10, show_default=True, type=click.IntRange(1, 30), help="Years of history each.")
@click.option("--seed", default=1, show_default=True, type=int, help="The same seed makes the same data.")
@click.option("--force", is_flag=True, help="Run even though the database holds real work.")
@with_appcontext
def seed_scale_command(sites: int, years: int, seed: int, force: bool):
    """Add invented workshops with years of work (for benchmarks; never on a real database)."""
    written = seed_scale(sites, years, seed, force)
    click.echo(f"Added {sites} site(s) with {years} year(s) each: {written} rows in bulk.")
