"""A small, hand-checked data set for the impact figures, built through the services.

Site with wage 50 kr./hour for the employed women (5 000 øre), period November 2026 (the suite's clock
is 23 November 2026):

Demand
- Order A: 10 bags × 50,00 kr. = 500,00 kr. excl. VAT, invoiced on delivery (23 Nov).
- Order B: 20 bags × 30,00 kr. = 600,00 kr. excl. VAT, invoiced on delivery (23 Nov).
- Repair: zip + hem agreed at 250,00 kr. incl. 25 % VAT -> 250 × 100/125 = 200,00 kr., collected 23 Nov.
- Retail: brooches at 80,00 kr. excl. VAT (100,00 kr. on the shelf), from one restock batch of 10 that Eva
  made in 120 training minutes on 2 September (outside November and Q4). Three sales on 23 Nov of 2, 3 and 1
  brooches: 6 × 80 = 480,00 kr. excl. VAT. Per item 120 / 10 = 12 min = 0,20 h; revenue per hour of work
  480 / (0,20 × 6) = 400,00 kr.; 1 maker.
  Revenue in all 1 300 + 480 = 1 780,00 kr.; 2 orders + 1 ticket + 3 sales = 6.

Hours (ledger, by work date)
- Anna (employed): 600 min paid on order A (16 Nov); 60 min paid on order A on 30 Oct (outside the period).
- Bodil (employed): 300 min paid on order B (17 Nov), corrected by a leader to 240 (−300, +240): 240 min.
- Clara (employed): 120 min paid on the repair (18 Nov).
- Dorte (employed): 60 min paid at a meeting (19 Nov), not on a task.
- Eva (no employment): 180 min training on order A, 300 min training on order B, 120 min training cleaning.
  B2B on tasks: training 180 + 300 = 480 min = 8,00 h; paid 600 + 240 = 840 min = 14,00 h; in all 22,00 h.
  Repairs on tasks: paid 120 min = 2,00 h. Not on a task: cleaning 2,00 h training, meeting 1,00 h paid.
  Total: training 10,00 h, paid 17,00 h, in all 27,00 h.

Wages: paid minutes × 50 kr./h: Anna 500, Bodil 200, Clara 100, Dorte 50 = 850,00 kr.
Wage share: 850 / 1 780 × 100 = 47,7528... -> 47,75 kr. per 100 kr.

People: 4 women with paid hours; sorted 1, 2, 4, 10 hours (Dorte, Clara, Bodil, Anna).
Lowest 1,00 h; median (2 + 4) / 2 = 3,00 h; highest 10,00 h.
Gini = Σ(2i − n − 1)·x₍ᵢ₎ / (n·Σx) with n = 4, Σx = 17:
  (−3·1 − 1·2 + 1·4 + 3·10) / (4 · 17) = 29 / 68 = 0,42647... -> 0,4265
  (the same as Σᵢ Σⱼ |xᵢ − xⱼ| / (2n²x̄) = 58 / (2 · 16 · 4,25) = 58 / 136).
Month by month (November only): the same 4 women, 1,00 / 3,00 / 10,00 h, Gini 0,4265.

Planned against recorded (November)
- An accepted week plan (16 Nov) gives Anna 500 paid minutes on order A and Eva 180 training minutes;
  a draft plan's 999 paid minutes do not count. Planned paid: 500 min = 8,33 h.
- Recorded paid on tasks: Anna 600 + Bodil 240 + Clara 120 = 960 min = 16,00 h (Dorte's meeting is not
  on a task). Recorded less planned: 460 min = 7,67 h.

Progress (read on 23 November 2026, the clock, and on 23 November 2025)
- Steps: Anna 3 from 1 Jun 2025 and 4 from 1 May 2026; Bodil 1 from 1 Oct 2025 and 2 from 1 Mar 2026;
  Clara 2 from 10 Jan 2026; Eva 1 from 7 Sep 2026. Now: step 1: 1 (Eva), 2: 2 (Bodil, Clara), 3: 0,
  4: 1 (Anna) = 4. A year earlier: step 1: 1 (Bodil), 3: 1 (Anna) = 2.
- Eva's course 7 Sep – 20 Nov 2026, completed, outcome small job. First four weeks (7 Sep – 4 Oct): 240
  min (10 Sep); last four weeks (24 Oct – 20 Nov): 180 + 300 + 120 = 600 min: raised.
- Clara's course 3 Aug – 20 Nov 2026, interrupted. First four weeks: 300 paid min (5 Aug); last four:
  120 min: not raised. So 2 courses measured, 1 raised = 50 %; outcomes of completed courses: 1 small job.
  (Clara's August hours and Eva's September hours are outside November and outside Q4.)

A second site B ("nord", "Værksted Nord", fixture `site_b`), for a leader of several sites:
- Order C: 5 bags × 40,00 kr. = 200,00 kr. excl. VAT, invoiced on delivery (23 Nov).
- Fie (employed, 50 kr./h): 120 min paid on order C (16 Nov). Gry (employed): 360 min paid at a meeting (19 Nov).
  B alone: revenue 200,00 kr.; paid 8,00 h (2,00 on tasks + 6,00 not on a task); wages 2 × 50 + 6 × 50 = 400,00 kr.
  With site A: revenue 1 980,00 kr. (the sums: tests/shop/impact/test_several_sites.py).
"""
from datetime import date

import pytest

from production.floor import record_work
from staffing.ledger import book_minutes, correct_entry
from staffing.models import HoursKind
from shop.repairs import tickets
from workshop import services as core
from workshop.extensions import db
from workshop.models import Role
from tests.shop.orders.conftest import make_catalogue_product, make_company, make_order  # noqa: F401
from tests.shop.orders.invoice_fixtures import accepted_order, deliver, invoicing_site  # noqa: F401
from tests.shop.retail.conftest import retail_item  # noqa: F401

WAGE = 5000
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def first_task(work_order):
    return sorted(work_order.tasks, key=lambda task: (task.sequence, task.batch_number))[0]


def order_task(order):
    from production.models import WorkOrder

    return first_task(db.session.get(WorkOrder, order.lines[0].work_order_id))


def _retail(site, leader, eva, retail_item):
    """A restock batch of 10 brooches made by Eva in September, and three sales of 2, 3 and 1 of them."""
    from production.models import SourceKind
    from production.workorders import create_work_order, release_work_order
    from shop.retail import sales, stock
    from shop.retail.models import SaleChannel, SalePaymentMethod

    brooch = retail_item(unit_price_ore=8_000)
    batch = create_work_order(site, quantity=10, due_date=date(2026, 9, 30), source_kind=SourceKind.RESTOCK,
                              source_label="Lager", source_id=None, product=brooch.product)
    release_work_order(batch, leader)
    record_work(first_task(batch), eva, 120, 0, leader, day=date(2026, 9, 2))
    stock.produce(site, brooch, 10, work_order_id=batch.id)
    for quantity in (2, 3, 1):
        sales.record_sale(site, [sales.CartLine(brooch, quantity)], channel=SaleChannel.TILL,
                          payment_method=SalePaymentMethod.CASH, actor=leader)


def _plans(site, leader, task, anna, eva):
    """An accepted week plan and a draft (the planner's own models: its services need a solver run)."""
    from production.planner.models import AssignmentKind, Plan, PlanAssignment, PlanStatus

    monday = date(2026, 11, 16)
    accepted = Plan(site_id=site.id, week_start=monday, method="instant", status=PlanStatus.ACCEPTED,
                    created_by_id=leader.id, accepted_by_id=leader.id)
    accepted.assignments = [
        PlanAssignment(person_id=anna.id, task_id=task.id, day=monday, start_minute=480, minutes=500,
                       kind=AssignmentKind.PAID),
        PlanAssignment(person_id=eva.id, task_id=task.id, day=monday, start_minute=480, minutes=180,
                       kind=AssignmentKind.TRAINING)]
    draft = Plan(site_id=site.id, week_start=monday, method="instant", status=PlanStatus.DRAFT,
                 created_by_id=leader.id)
    draft.assignments = [PlanAssignment(person_id=anna.id, task_id=task.id, day=monday, start_minute=480,
                                        minutes=999, kind=AssignmentKind.PAID)]
    db.session.add_all([accepted, draft])
    db.session.flush()


def _progress(leader, anna, bodil, clara, eva):
    from staffing import courses
    from staffing.models import CourseOutcome, CourseStatus
    from staffing.services import add_progression_step

    for person, step, since in ((anna, 3, date(2025, 6, 1)), (anna, 4, date(2026, 5, 1)),
                                (bodil, 1, date(2025, 10, 1)), (bodil, 2, date(2026, 3, 1)),
                                (clara, 2, date(2026, 1, 10)), (eva, 1, date(2026, 9, 7))):
        add_progression_step(person, step, since)
    eva_course = courses.refer(eva, courses.CourseData(referral_date=date(2026, 9, 1)), leader)
    courses.change_status(eva_course, CourseStatus.ACTIVE, leader, date(2026, 9, 7))
    courses.change_status(eva_course, CourseStatus.COMPLETED, leader, date(2026, 11, 20),
                          outcome=CourseOutcome.SMALL_JOB)
    clara_course = courses.refer(clara, courses.CourseData(referral_date=date(2026, 8, 1)), leader)
    courses.change_status(clara_course, CourseStatus.ACTIVE, leader, date(2026, 8, 3))
    courses.change_status(clara_course, CourseStatus.INTERRUPTED, leader, date(2026, 11, 20),
                          outcome=CourseOutcome.NONE, reason="Flyttede")
    book_minutes(eva, date(2026, 9, 10), 240, HoursKind.TRAINING, activity="production", actor=leader)
    book_minutes(clara, date(2026, 8, 5), 300, HoursKind.PAID, activity="production", actor=leader)


@pytest.fixture
def impact_data(repair_site, accepted_order, deliver, make_person, make_user, book, finish_tasks, retail_item):
    """The data set of the module docstring; returns a namespace with the site, leader and people."""
    site = repair_site()
    site.cvr, site.address = "12345674", "Værkstedsvej 1, 2635 Ishøj"
    site.bank_reg_no, site.bank_account_no = "1234", "0012345678"
    db.session.flush()
    leader = make_user(Role.LEADER, site=site)
    order_a, customer_a = accepted_order(lines=((10, 5000),), deposit_percent=0, site=site)
    order_b, customer_b = accepted_order(lines=((20, 3000),), deposit_percent=0, site=site)
    anna, bodil, clara, dorte = (make_person(site=site, name=name, employment_wage_ore=WAGE)
                                 for name in ("Anna", "Bodil", "Clara", "Dorte"))
    eva = make_person(site=site, name="Eva")
    task_a, task_b = order_task(order_a), order_task(order_b)
    record_work(task_a, anna, 600, 0, leader, day=date(2026, 11, 16))
    record_work(task_a, anna, 60, 0, leader, day=date(2026, 10, 30))
    bodil_records = record_work(task_b, bodil, 300, 0, leader, day=date(2026, 11, 17))
    correct_entry(bodil_records[0].ledger_entry, leader, "Skrevet forkert", new_minutes=240)
    record_work(task_a, eva, 180, 0, leader, day=date(2026, 11, 16))
    record_work(task_b, eva, 300, 0, leader, day=date(2026, 11, 17))
    book_minutes(dorte, date(2026, 11, 19), 60, HoursKind.PAID, activity="meeting", actor=leader)
    book_minutes(eva, date(2026, 11, 20), 120, HoursKind.TRAINING, activity="cleaning", actor=leader)
    ticket = book(site, [site.repairs[1], site.repairs[0]])
    work_order = tickets.receive_garment(ticket, leader, [site.repairs[1].id, site.repairs[0].id], price_text="250")
    record_work(first_task(work_order), clara, 120, 0, leader, day=date(2026, 11, 18))
    finish_tasks(work_order, leader)
    tickets.collect(ticket, leader, "cash")
    _retail(site, leader, eva, retail_item)
    _plans(site, leader, task_a, anna, eva)
    _progress(leader, anna, bodil, clara, eva)
    db.session.commit()
    deliver(order_a)
    deliver(order_b)

    class Data:
        pass

    data = Data()
    data.site, data.leader, data.ticket = site, leader, ticket
    data.orders, data.people = (order_a, order_b), (anna, bodil, clara, dorte, eva)
    data.customers = (customer_a, customer_b)
    return data


@pytest.fixture
def site_b(impact_data, invoicing_site, accepted_order, deliver, make_person, make_user):
    """Site B of the module docstring, with its own leader; returns (site, its leader)."""
    site = invoicing_site("nord")
    site.name = "Værksted Nord"
    leader = make_user(Role.LEADER, site=site)
    order, _customer = accepted_order(lines=((5, 4000),), deposit_percent=0, site=site)
    fie, gry = (make_person(site=site, name=name, employment_wage_ore=WAGE) for name in ("Fie", "Gry"))
    record_work(order_task(order), fie, 120, 0, leader, day=date(2026, 11, 16))
    book_minutes(gry, date(2026, 11, 19), 360, HoursKind.PAID, activity="meeting", actor=leader)
    db.session.commit()
    deliver(order)
    return site, leader


@pytest.fixture
def leader_of_two(impact_data, site_b):
    """Site A's leader leads site B too."""
    core.grant_also_leads(impact_data.leader, site_b[0])
    db.session.commit()
    return impact_data.leader
