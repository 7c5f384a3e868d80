"""The whole B2B journey in a real browser (issue 11): a customer registers her company and a leader
approves it; on her phone she asks for 500 gift bags with a logo; the leader sees the earliest date and
the impact forecast, sends the quote and uploads a proof; the customer approves the proof and accepts by
the link, pays the deposit (Stripe's Checkout page faked locally, the signed webhook sent by the test);
the work orders appear on the production board; a trainee records work on the shop floor; her order page
shows the progress; the leader records the delivery; she pays the balance and sees the impact statement.

The clock is the suite's pinned Monday 23 November 2026, 08:00 in Copenhagen; axe checks every page.
"""
import io
import json
import re
import time
import urllib.request
from datetime import date

import pytest
import stripe
from PIL import Image
from playwright.sync_api import Page, expect
from sqlalchemy import select

from production.floor import record_work
from production.models import TaskStatus
from shop.models import OutboxMessage
from shop.orders import fulfilment, invoicing, quotes
from shop.orders.models import Order, OrderStatus
from shop.payments.models import OnlinePayment, OnlinePaymentStatus
from staffing.models import AvailabilitySlot, PaceAssessment, PersonKind, SkillLevel
from tests.browser.access import expect_no_sideways_scrolling
from tests.shop.test_stripe import WEBHOOK_SECRET, fake_stripe  # noqa: F401 - fixture
from workshop.extensions import db
from workshop.models import Role

pytestmark = pytest.mark.browser

LONG_AGO = date(2020, 1, 1)
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
TABLET = {"width": 820, "height": 1180}
PASSWORD = "hotellets-adgangskode"
EMAIL = "karin@havblik.example"
PAY_BY_CARD = re.compile(r"^Betal .+ med kort$")
#: Stripe's Checkout page, faked locally: small, but a proper page (axe checks it too).
CHECKOUT_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stripe Checkout (test)</title>
</head><body><main><h1>Stripe Checkout (test)</h1><p>Card payment is faked by the test.</p></main></body></html>"""


@pytest.fixture
def workshop(app, live_server, monkeypatch, tmp_path, make_site, make_user, make_person, make_catalogue_product):
    """A site with invoice details, a leader, a trainee with a login and a paid småjob worker who can
    both cut and embroider (9-12 on weekdays), and gift bags in the catalogue."""
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", live_server.url)
    site = make_site(name="Værkstedet Ishøj")
    site.cvr, site.address = "12345674", "Værkstedsvej 1, 2635 Ishøj"
    site.bank_reg_no, site.bank_account_no = "1234", "0012345678"
    leader = make_user(Role.LEADER, site=site, name="Lene Leder")
    trainee_user = make_user(Role.TRAINEE, site=site, name="Amina K.")
    bag = make_catalogue_product(steps=((60, 0), (120, 0)))
    bag.name_da, bag.name_en = "Gavepose med logo", "Gift bag with logo"
    cut, embroider = (step.operation for step in bag.routing)
    cut.name_da, embroider.name_da = "Tilskæring", "Broderi"
    trainee = _able(make_person(site=site, name="Amina K.", user=trainee_user), bag)
    paid = _able(make_person(site=site, name="Sara M.", employment_wage_ore=13500), bag)
    paid.kind = PersonKind.SMALL_JOB
    db.session.commit()
    return site, leader, trainee_user, trainee, paid, bag


def _able(person, product):
    """She works 9-12 on weekdays at standard pace and has the skills of every step of the product."""
    for weekday in range(5):
        person.availability.append(AvailabilitySlot(weekday=weekday, start_minute=540, end_minute=720))
    person.pace_history.append(PaceAssessment(percent=100, since=LONG_AGO))
    for skill_id in {step.operation.skill_id for step in product.routing}:
        person.skill_levels.append(SkillLevel(skill_id=skill_id, level=3, since=LONG_AGO))
    db.session.flush()
    return person


# --- Helpers --------------------------------------------------------------------------------------


def _log_in(page: Page, url: str, email: str, password: str) -> None:
    page.goto(url + "/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def _log_out(page: Page) -> None:
    page.locator("form[action='/logout']").first.evaluate("form => form.submit()")
    page.wait_for_url("**/login**")  # logged out before the next login
    page.wait_for_url(re.compile(r"/login"))


def _fresh(statement):
    """Read the app's latest committed state (the live server commits in its own thread)."""
    db.session.expire_all()
    return db.session.scalar(statement)


def _logo_png(tmp_path):
    path = tmp_path / "havblik-logo.png"
    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), "navy").save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


def _pay_by_card(page: Page, url: str, order_id: int, fake, purpose: str) -> None:
    """On her order page she presses the card button; Stripe (faked) takes the money: the test sends the
    signed `checkout.session.completed` to the webhook and the browser comes back to the success page."""
    page.goto(f"{url}/orders/{order_id}")
    page.get_by_role("button", name=PAY_BY_CARD).click()
    page.wait_for_url(re.compile(r"^https://checkout\.stripe\.com/"))
    expect(page.get_by_role("heading", name="Stripe Checkout (test)")).to_be_visible()

    online = _fresh(select(OnlinePayment).where(OnlinePayment.payment_kind == purpose))
    assert online is not None and online.status == OnlinePaymentStatus.PENDING
    assert page.url == online.url
    session = next(session for session in fake.sessions if session["id"] == online.session_id)
    assert session["amount_total"] == online.amount_ore  # the amount was computed by the server
    session.update(payment_status="paid", status="complete")
    db.session.rollback()  # no read transaction left open while the server writes
    _send_webhook(url, online.session_id, online.amount_ore, f"evt_{purpose}")

    page.goto(f"{url}/payments/done?session_id={online.session_id}")
    expect(page.get_by_role("heading", name=re.compile(r"^Faktura "))).to_be_visible()
    expect(page.get_by_text("Betalt. Tak.").first).to_be_visible()


def _send_webhook(url: str, session_id: str, amount_ore: int, event_id: str) -> None:
    payload = json.dumps({
        "id": event_id, "object": "event", "type": "checkout.session.completed", "created": int(time.time()),
        "data": {"object": {"id": session_id, "object": "checkout.session", "payment_status": "paid",
                            "amount_total": amount_ore, "currency": "dkk"}},
    })
    request = urllib.request.Request(
        url + "/webhooks/stripe", data=payload.encode(), method="POST",
        headers={"Content-Type": "application/json",
                 "Stripe-Signature": stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET)})
    with urllib.request.urlopen(request, timeout=15) as response:
        assert response.status == 200
        assert json.load(response)["outcome"] == "paid"


def _as_shown(app, day: date) -> str:
    """A date as the Danish pages show it ("27. nov. 2026")."""
    with app.test_request_context(headers={"Accept-Language": "da"}):
        return app.jinja_env.filters["localdate"](day)


def _finish(order, trainee, paid) -> None:
    """Record every piece still to make, step by step: the trainee cuts, the paid worker embroiders."""
    for work_order in fulfilment.work_orders_of(order):
        for task in sorted(work_order.tasks, key=lambda task: (task.sequence, task.batch_number)):
            if task.status not in (TaskStatus.DONE, TaskStatus.CANCELLED) and task.quantity_left:
                person = trainee if task.sequence == 1 else paid
                minutes = min(task.quantity_left * (1 if task.sequence == 1 else 2), 600)
                record_work(task, person, minutes, task.quantity_left)
    db.session.commit()


# --- The journey ----------------------------------------------------------------------------------


def test_a_company_orders_500_gift_bags_from_registration_to_the_impact_statement(
        app, page: Page, live_server, browser_login, workshop, fake_stripe, tmp_path):  # noqa: F811
    site, leader, trainee_user, trainee, paid, bag = workshop
    url = live_server.url
    page.route("https://checkout.stripe.com/**",
               lambda route: route.fulfill(status=200, content_type="text/html", body=CHECKOUT_PAGE))

    # 1. She registers her company from the login page; a leader approves it.
    page.set_viewport_size(PHONE)
    page.goto(url + "/login")
    page.get_by_role("link", name="Tilmeld dit firma").click()
    page.get_by_label("Virksomhed", exact=True).fill("Hotel Havblik")
    page.get_by_label("CVR-nummer").fill("23456788")
    page.get_by_label("Adresse til fakturaen").fill("Strandvejen 9, 3000 Helsingør")
    page.get_by_label("Dit navn").fill("Karin Havblik")
    page.get_by_label("Din e-mail").fill(EMAIL)
    page.get_by_label("Vælg en adgangskode (mindst 8 tegn)").fill(PASSWORD)
    page.get_by_role("button", name="Tilmeld firmaet").click()
    expect(page.get_by_text("Tak. Værkstedet ser på din tilmelding.")).to_be_visible()

    page.set_viewport_size(DESKTOP)
    browser_login(page, leader)
    page.get_by_role("button", name="Opsætning").click()
    page.get_by_role("link", name="Tilmeldinger").click()
    page.get_by_role("link", name="Hotel Havblik").click()
    page.get_by_role("button", name="Godkend").click()
    expect(page.get_by_text("Godkendt. Hun kan nu logge ind")).to_be_visible()
    _log_out(page)

    # 2. On her phone she asks for 500 gift bags with embroidery, a logo and a wished date.
    page.set_viewport_size(PHONE)
    _log_in(page, url, EMAIL, PASSWORD)
    page.goto(url + "/catalogue/")
    card = page.get_by_role("article").filter(has_text="Gavepose med logo")
    expect(card.get_by_role("row", name=re.compile(r"200\+"))).to_contain_text("32,00")
    expect_no_sideways_scrolling(page)
    card.get_by_role("link", name=re.compile("Bed om et tilbud")).click()
    line = page.locator("#line-1")
    expect(line.get_by_label("Produkt", exact=True)).to_have_value(str(bag.id))
    line.get_by_label("Antal").fill("500")
    line.get_by_label("Tekst til broderi").fill("Havblik")
    line.get_by_label("Trådfarver").fill("Marineblå")
    line.get_by_label("Hvor på produktet").fill("Midt på forsiden")
    page.get_by_label("Hvornår skal du bruge det? (kan udelades)").fill("2026-12-18")
    page.get_by_label("Logo (PNG eller JPEG, højst 5 MB)").set_input_files(str(_logo_png(tmp_path)))
    page.get_by_role("button", name="Få en pris").click()
    expect(page.get_by_text("Tak. Vi har din forespørgsel O-0001.")).to_be_visible()
    expect(page.get_by_text("500 × Gavepose med logo")).to_be_visible()
    expect_no_sideways_scrolling(page)
    order = _fresh(select(Order))
    order_id = order.id
    _log_out(page)

    # 3. The leader makes the quote: earliest date and impact forecast; sends it; uploads a proof.
    draft = quotes.draft_quote(order, leader)
    earliest = draft.advice.earliest
    db.session.rollback()
    page.set_viewport_size(DESKTOP)
    browser_login(page, leader)
    page.goto(url + "/orders/workshop")
    page.get_by_role("link", name="O-0001").click()
    expect(page.get_by_role("heading", name="Ordre O-0001")).to_be_visible()
    page.locator("#make-quote").click()
    advice = page.locator("#date-advice")
    expect(advice.get_by_role("heading", name="Tidligste leveringsdato")).to_be_visible()
    expect(advice).to_contain_text(_as_shown(app, earliest))
    expect(advice).to_contain_text("Den ønskede dato 18. dec. 2026 er mulig")
    forecast = page.locator("#impact-forecast")
    expect(forecast.get_by_role("heading", name="Arbejde som ordren skaber")).to_be_visible()
    expect(forecast).to_contain_text("Cirka 25 timers arbejde")
    page.get_by_label("Forudbetaling (%)").fill("30")
    page.get_by_role("button", name="Send tilbuddet").click()
    expect(page.get_by_text("Tilbuddet er sendt.")).to_be_visible()
    page.get_by_label("Billede (PNG eller JPEG)").set_input_files(str(_logo_png(tmp_path)))
    page.get_by_label("Note til kunden").fill("Logoet midt på forsiden, 8 cm bredt")
    page.get_by_role("button", name="Læg prøven op").click()
    expect(page.get_by_text("Prøve 1")).to_be_visible()
    _log_out(page)

    # 4. She opens the link in the quote e-mail without logging in, approves the proof and accepts.
    message = _fresh(select(OutboxMessage).where(OutboxMessage.body.contains("/q/")))
    assert message.recipient == EMAIL
    link = re.search(r"https?://\S+/q/[\w.~-]+", message.body).group(0)
    db.session.rollback()
    page.set_viewport_size(PHONE)
    page.goto(url + link[link.index("/q/"):])
    expect(page.get_by_role("heading", name="Tilbud O-0001")).to_be_visible()
    expect_no_sideways_scrolling(page)
    page.get_by_label("Dit navn").fill("Karin Havblik")
    page.get_by_role("button", name="Godkend prøven").click()
    expect(page.locator("#proof-1-decision")).to_contain_text("Godkendt")
    page.get_by_label("Dit navn").fill("Karin Havblik")
    page.get_by_label("Jeg siger ja til tilbuddet for mit firma").check()
    page.get_by_role("button", name="Sig ja til tilbuddet").click()
    expect(page.locator("#quote-accepted")).to_contain_text("Karin Havblik")

    # 5. She logs in and pays the 30 % deposit by card; production may then start.
    _log_in(page, url, EMAIL, PASSWORD)
    _pay_by_card(page, url, order_id, fake_stripe, "deposit")
    page.goto(f"{url}/orders/{order_id}")
    expect(page.locator("#order-status")).to_have_text("I produktion")
    _log_out(page)

    # 6. The leader sees the order's work on the production board.
    page.set_viewport_size(DESKTOP)
    browser_login(page, leader)
    page.goto(url + "/production/board")
    cards = page.locator(".task-card").filter(has_text="Ordre O-0001 · 500 × Gavepose med logo")
    expect(cards.filter(has_text="Tilskæring").first).to_be_visible()
    expect(cards.filter(has_text="Broderi").first).to_be_visible()
    _log_out(page)

    # 7. The trainee records 120 cut bags (the first batch) on the workshop tablet.
    page.set_viewport_size(TABLET)
    browser_login(page, trainee_user)
    page.goto(url + "/floor/")
    card = page.get_by_role("article", name="Tilskæring").first
    expect(card.get_by_text("Gavepose med logo")).to_be_visible()
    expect(card.get_by_text("0 af 120")).to_be_visible()
    card.get_by_text("Jeg arbejdede og lavede...").click()
    card.get_by_role("spinbutton", name="Minutter arbejdet").fill("120")
    card.get_by_role("spinbutton", name="Stykker lavet").fill("120")
    card.get_by_role("button", name="Gem").click()
    expect(page.get_by_text("Gemt: 120 minutter og 120 stykker.")).to_be_visible()
    _log_out(page)

    # 8. Her order page shows the progress from the real tasks.
    page.set_viewport_size(PHONE)
    _log_in(page, url, EMAIL, PASSWORD)
    page.goto(f"{url}/orders/{order_id}")
    production = page.get_by_role("region", name="Produktion")
    expect(production).to_contain_text("120 af 500")
    expect(production).to_contain_text("0 af 500")
    expect_no_sideways_scrolling(page)
    _log_out(page)

    # The rest of the work, recorded as the shop floor would (faster than clicking it all).
    order = _fresh(select(Order).where(Order.id == order_id))
    _finish(order, trainee, paid)
    assert _fresh(select(Order.status).where(Order.id == order_id)) == OrderStatus.READY
    ready = _fresh(select(OutboxMessage).where(OutboxMessage.kind == "order_ready"))
    assert ready.recipient == EMAIL and f"{url}/orders/{order_id}" in ready.body
    db.session.rollback()

    # 9. The leader records the delivery and sees the delivery note.
    page.set_viewport_size(DESKTOP)
    browser_login(page, leader)
    page.goto(f"{url}/orders/{order_id}")
    expect(page.locator("#order-status")).to_have_text("Klar")
    page.get_by_label("Gavepose med logo").fill("500")
    page.get_by_role("button", name="Registrér levering").click()
    expect(page.get_by_role("heading", name="Følgeseddel O-0001-1")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Gavepose med logo"))).to_contain_text("500")
    page.goto(f"{url}/orders/{order_id}")
    expect(page.locator("#order-status")).to_have_text("Leveret")
    _log_out(page)

    # 10. She pays the balance by card; the order is paid and tells her the work it created.
    page.set_viewport_size(PHONE)
    _log_in(page, url, EMAIL, PASSWORD)
    _pay_by_card(page, url, order_id, fake_stripe, "balance")
    page.goto(f"{url}/orders/{order_id}")
    expect(page.locator("#order-status")).to_have_text("Betalt")
    impact = page.get_by_role("region", name="Arbejde til mennesker")
    expect(impact).to_contain_text(re.compile(r"500 × .+→\s+[\d,]+ timers arbejde: [\d,]+ timer i træning for \d kvinde"
                                              r"r? i forløb og [\d,]+ timer med løn for \d kvinder?\."))
    expect_no_sideways_scrolling(page)
    order = _fresh(select(Order).where(Order.id == order_id))
    assert order.status == OrderStatus.PAID
    assert all(invoicing.due_ore(invoice) == 0 for invoice in invoicing.invoices_of(order))
