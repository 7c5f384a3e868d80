"""A small, hand-checked data set for the impact figures, built through the services.

Site with wage 50 kr./hour for the employed women (5 000 øre), period November 2026 (the suite's clock
is 23 November 2026):

Demand
- Order A: 10 bags × 50,00 kr. = 500,00 kr. excl. VAT, invoiced on delivery (23 Nov).
- Order B: 20 bags × 30,00 kr. = 600,00 kr. excl. VAT, invoiced on delivery (23 Nov).
- Repair: zip + hem agreed at 250,00 kr. incl. 25 % VAT -> 250 × 100/125 = 200,00 kr., collected 23 Nov.
  Revenue in all 1 300,00 kr.; 2 orders + 1 ticket = 3.

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
Wage share: 850 / 1 300 × 100 = 65,3846... -> 65,38 kr. per 100 kr.

People: 4 women with paid hours; sorted 1, 2, 4, 10 hours (Dorte, Clara, Bodil, Anna).
Lowest 1,00 h; median (2 + 4) / 2 = 3,00 h; highest 10,00 h.
Gini = Σ(2i − n − 1)·x₍ᵢ₎ / (n·Σx) with n = 4, Σx = 17:
  (−3·1 − 1·2 + 1·4 + 3·10) / (4 · 17) = 29 / 68 = 0,42647... -> 0,4265
  (the same as Σᵢ Σⱼ |xᵢ − xⱼ| / (2n²x̄) = 58 / (2 · 16 · 4,25) = 58 / 136).
"""
from datetime import date

import pytest

from production.floor import record_work
from staffing.ledger import book_minutes, correct_entry
from staffing.models import HoursKind
from shop.repairs import tickets
from workshop.extensions import db
from workshop.models import Role
from tests.shop.orders.conftest import make_catalogue_product, make_company, make_order  # noqa: F401
from tests.shop.orders.invoice_fixtures import accepted_order, deliver, invoicing_site  # noqa: F401

WAGE = 5000
NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


def first_task(work_order):
    return sorted(work_order.tasks, key=lambda task: (task.sequence, task.batch_number))[0]


def order_task(order):
    from production.models import WorkOrder

    return first_task(db.session.get(WorkOrder, order.lines[0].work_order_id))


@pytest.fixture
def impact_data(repair_site, accepted_order, deliver, make_person, make_user, book, finish_tasks):
    """The data set of the module docstring; returns a namespace with the site, leader and people."""
    site = repair_site()
    site.cvr, site.address = "12345674", "Værkstedsvej 1, 2635 Ishøj"
    site.bank_reg_no, site.bank_account_no = "1234", "0012345678"
    db.session.flush()
    leader = make_user(Role.LEADER, site=site)
    order_a, _user = accepted_order(lines=((10, 5000),), deposit_percent=0, site=site)
    order_b, _user = accepted_order(lines=((20, 3000),), deposit_percent=0, site=site)
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
    db.session.commit()
    deliver(order_a)
    deliver(order_b)

    class Data:
        pass

    data = Data()
    data.site, data.leader, data.ticket = site, leader, ticket
    data.orders, data.people = (order_a, order_b), (anna, bodil, clara, dorte, eva)
    return data
