"""Demo customers (modelled on the seeds' examples, names invented) and repair price lists."""
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import select

from production.models import Operation, TaskStatus
from production.workorders import change_task_status
from workshop import services as core
from workshop.extensions import db
from workshop.models import Role, Site, User
from workshop.timeutil import LOCAL_ZONE, local_today

from .repairs import booking, tickets
from .companies.models import CompanyMember
from .orders.demo import seed_catalogue, seed_demo_orders
from .models import Customer, CustomerKind, DropOffSlot, RepairTicket, RepairType

CUSTOMERS = (
    ("Tekstilservice Nord A/S", CustomerKind.BUSINESS, "12345674", "", "Industrivej 4, 2635 Ishøj",
     "Lise Kragh", "kunde@tekstilservice.example"),
    ("Københavns Bymuseum (demo)", CustomerKind.INSTITUTION, "23456788", "5798000123458",
     "Museumsgade 1, 1100 København K", "Per Vang", "indkob@bymuseum.example"),
    ("Kodeværkstedet ApS", CustomerKind.BUSINESS, "34567891", "", "Kodevej 12, 2860 Søborg",
     "Sara Juul", "hr@kodevaerkstedet.example"),
)

# code, Danish, English, price øre, standard minutes, operation
REPAIRS = (
    ("hem_trousers", "Opsømning af bukser", "Hem trousers", 8000, 25, "repair_hem"),
    ("replace_zip", "Ny lynlås", "Replace zip", 15000, 45, "repair_zip"),
    ("patch", "Lap på hul", "Patch a hole", 6000, 20, "repair_patch"),
    ("take_in", "Indsnævring", "Take in", 12000, 40, "repair_alter"),
    ("shorten_sleeves", "Afkortning af ærmer", "Shorten sleeves", 10000, 35, "repair_alter"),
    ("sew_button", "Påsyning af knap", "Sew on a button", 2500, 10, "repair_patch"),
)


def seed_shop_demo() -> None:
    for company, kind, cvr, ean, address, contact, email in CUSTOMERS:
        if not db.session.scalar(select(Customer.id).where(Customer.company_name == company)):
            customer = Customer(company_name=company, kind=kind, cvr=cvr, contact_name=contact, email=email,
                                ean=ean, billing_address=address, delivery_address=address)
            db.session.add(customer)
            user = core.find_user_by_email(email)
            if user is not None:
                db.session.add(CompanyMember(customer=customer, user=user))
    for site in core.all_sites():
        for code, name_da, name_en, price, minutes, operation_code in REPAIRS:
            exists = db.session.scalar(
                select(RepairType.id).where(RepairType.site_id == site.id, RepairType.code == code)
            )
            if not exists:
                operation = db.session.scalar(select(Operation).where(Operation.code == operation_code))
                db.session.add(RepairType(site=site, code=code, name_da=name_da, name_en=name_en,
                                          price_ore=price, standard_minutes=minutes, operation=operation))
    db.session.flush()
    for site in core.all_sites():
        seed_drop_off_slots(site)
        seed_repair_tickets(site)
    seed_catalogue()
    # The demo companies order from the Ishøj workshop (the oldest site).
    oldest_site = db.session.scalar(select(Site).order_by(Site.id).limit(1))
    if oldest_site is not None:
        seed_demo_orders(oldest_site)


#: Drop-off windows on weekdays (local time) and how many garments each takes.
SLOT_TIMES = ((time(10, 0), time(11, 0)), (time(14, 0), time(15, 0)))
SLOT_CAPACITY = 4


def seed_drop_off_slots(site, days: int = 14) -> None:
    """Drop-off slots on weekdays for the next two weeks; a second run adds none twice."""
    today = local_today()
    for offset in range(1, days + 1):
        day = today + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for start, end in SLOT_TIMES:
            starts = _utc(day, start)
            exists = db.session.scalar(
                select(DropOffSlot.id).where(DropOffSlot.site_id == site.id, DropOffSlot.starts_at == starts)
            )
            if not exists:
                db.session.add(DropOffSlot(site_id=site.id, starts_at=starts, ends_at=_utc(day, end),
                                           capacity=SLOT_CAPACITY))
    db.session.flush()


def _utc(day, moment) -> datetime:
    return datetime.combine(day, moment, tzinfo=LOCAL_ZONE).astimezone(timezone.utc).replace(tzinfo=None)


# name, phone, garment, repair codes, how far the ticket has come (all invented)
DEMO_TICKETS = (
    ("Nadia Eksempel", "20 00 00 01", "trousers", ("hem_trousers",), "booked"),
    ("Leyla Prøve", "20 00 00 02", "jacket", ("replace_zip", "sew_button"), "in_progress"),
    ("Hodan Demo", "20 00 00 03", "dress", ("take_in",), "ready"),
    ("Sara Testsen", "20 00 00 04", "shirt", ("shorten_sleeves", "sew_button"), "collected"),
)


def seed_repair_tickets(site) -> None:
    """A few invented repair tickets at each stage, made through the real services."""
    leader = db.session.scalar(select(User).where(User.site_id == site.id, User.role == Role.LEADER))
    prices = {repair.code: repair
              for repair in db.session.scalars(select(RepairType).where(RepairType.site_id == site.id))}
    open_slots = booking.open_slots(site)
    if not open_slots or not prices:
        return
    for index, (name, phone, garment, codes, stage) in enumerate(DEMO_TICKETS):
        if db.session.scalar(select(RepairTicket.id).where(RepairTicket.site_id == site.id,
                                                           RepairTicket.customer_name == name)):
            continue
        slot = open_slots[min(index, len(open_slots) - 1)].slot
        ticket = booking.book_repair(site, garment=garment, repair_ids=[prices[code].id for code in codes],
                                     slot_id=slot.id, name=name, phone=phone, consent=True)
        if stage == "booked":
            continue
        work_order = tickets.receive_garment(ticket, leader, [prices[code].id for code in codes])
        if stage == "in_progress":
            continue
        for task in sorted(work_order.tasks, key=lambda task: (task.sequence, task.batch_number)):
            change_task_status(task, TaskStatus.DONE, leader)
        if stage == "collected":
            tickets.collect(ticket, leader, "mobilepay")
    db.session.flush()
