"""Demo catalogue for business customers (which products companies see, their volume prices) and demo orders."""
from datetime import timedelta
from io import BytesIO

from PIL import Image, ImageDraw
from sqlalchemy import select

from production.demo import work_on, worker_profiles
from production.models import Product, TaskStatus
from workshop.extensions import db
from workshop.models import Role, User
from workshop.timeutil import local_today

from ..companies.services import members
from ..models import Customer
from . import fulfilment, invoicing, proofs, quotes, requests
from .models import (CatalogueItem, CustomerPrice, InvoicePurpose, Order, OrderPaymentMethod, PriceTier, Quote,
                     Visibility)
from .services import LineRequest, OrderRequest, create_order

# product code, visibility, [(from quantity, unit price øre excl. VAT)], Danish and English description
CATALOGUE = (
    ("gift_bag", Visibility.EVERYONE, ((1, 4500), (50, 3900), (200, 3200)),
     "Gavepose i bomuld med jeres logo broderet. Syet og broderet på værkstedet.",
     "Cotton gift bag with your logo embroidered. Sewn and embroidered in the workshop."),
    ("travel_laundry_bag", Visibility.EVERYONE, ((1, 6500), (50, 5800), (200, 5200)),
     "Vaskepose til rejsen, med snøre. Kan få logo eller navn.",
     "Travel laundry bag with a drawstring. Can carry a logo or a name."),
    ("fabric_flower", Visibility.CHOSEN, ((1, 2500), (100, 2100)),
     "Stofblomst, broderet i hånden. Til museumsbutikker.",
     "Fabric flower, embroidered by hand. For museum shops."),
    ("christmas_heart", Visibility.EVERYONE, ((1, 4000), (50, 3500), (200, 3000)),
     "Broderet julehjerte. Godt som julegave til medarbejdere.",
     "Embroidered Christmas heart. A good Christmas gift for staff."),
)
#: The museum has its own price for fabric flowers, and is the one customer offered them.
MUSEUM = "Københavns Bymuseum (demo)"


def seed_catalogue() -> None:
    museum = db.session.scalar(select(Customer).where(Customer.company_name == MUSEUM))
    for code, visibility, tiers, description_da, description_en in CATALOGUE:
        product = db.session.scalar(select(Product).where(Product.code == code))
        if product is None or db.session.scalar(select(CatalogueItem.id).where(CatalogueItem.product_id == product.id)):
            continue
        item = CatalogueItem(product_id=product.id, visibility=visibility, description_da=description_da,
                             description_en=description_en)
        if visibility == Visibility.CHOSEN and museum is not None:
            item.chosen_customers.append(museum)
            db.session.add(CustomerPrice(customer=museum, product=product, unit_price_ore=1900))
        db.session.add(item)
        db.session.add_all(PriceTier(product_id=product.id, min_quantity=quantity, unit_price_ore=price)
                           for quantity, price in tiers)
    db.session.flush()


# --- Demo orders, one in every state, made through the real services -----------------------------

# customer, state, [(product code, quantity, embroidery text)], days until the wished date, deposit %
DEMO_ORDERS = (
    ("Kodeværkstedet ApS", "requested", (("christmas_heart", 200, ""),), 45, 30),
    ("Tekstilservice Nord A/S", "quoted", (("gift_bag", 500, "Tekstilservice Nord"),), 40, 30),
    ("Kodeværkstedet ApS", "expired", (("travel_laundry_bag", 100, ""),), 30, 30),
    ("Kodeværkstedet ApS", "declined", (("gift_bag", 5, "Kode"),), 10, 30),
    ("Tekstilservice Nord A/S", "cancelled", (("travel_laundry_bag", 50, ""),), 30, 30),
    (MUSEUM, "accepted", (("fabric_flower", 300, ""),), 50, 30),
    ("Tekstilservice Nord A/S", "in_production", (("christmas_heart", 120, "God jul"),), 25, 30),
    (MUSEUM, "ready", (("gift_bag", 30, "Bymuseet"),), 20, 0),
    ("Kodeværkstedet ApS", "delivered", (("christmas_heart", 24, ""),), 15, 0),
    (MUSEUM, "paid", (("gift_bag", 40, "Bymuseet"), ("christmas_heart", 20, "")), 15, 0),
)
DEMO_STEPS = ("requested", "quoted", "accepted", "in_production", "ready", "delivered", "paid")
#: The demo workshop's own details, printed on its invoices.
DEMO_SITE_INVOICING = {"cvr": "29403406", "bank_reg_no": "1234", "bank_account_no": "0012345678"}


def seed_demo_orders(site) -> None:
    """A few companies' orders at the site, one in every state; nothing when the site has orders already."""
    if db.session.scalar(select(Order.id).where(Order.site_id == site.id)) is not None:
        return
    leader = db.session.scalar(select(User).where(User.site_id == site.id, User.role == Role.LEADER))
    if leader is None:
        return
    for field, value in DEMO_SITE_INVOICING.items():
        if not getattr(site, field):
            setattr(site, field, value)
    for company_name, state, lines, wish_days, deposit in DEMO_ORDERS:
        customer = db.session.scalar(select(Customer).where(Customer.company_name == company_name))
        products = {code: db.session.scalar(select(Product).where(Product.code == code)) for code, _, _ in lines}
        if customer is None or not all(product is not None and product.routing for product in products.values()):
            continue
        order = create_order(OrderRequest(
            site=site, customer=customer, wished_date=local_today() + timedelta(days=wish_days),
            requested_by=next(iter(members(customer)), None),
            lines=[LineRequest(product=products[code], quantity=quantity, embroidery_text=text,
                               thread_colours="guld" if text else "", placement="foran, midt" if text else "")
                   for code, quantity, text in lines]))
        _advance(order, state, leader, deposit)
    db.session.flush()


def _advance(order: Order, state: str, leader: User, deposit: int) -> None:
    if state == "declined":
        requests.decline(order, leader, "For få stykker til et broderet logo. Prøv fra 25 stk.")
        return
    if state == "requested":
        return
    quote = _send_quote(order, leader, deposit)
    if state == "expired":
        quote.valid_until = local_today() - timedelta(days=1)  # as if the quote's days had passed
        quotes.expire_quotes()
        return
    if state == "cancelled":
        requests.cancel(order, leader, "Kunden har fundet en anden løsning.")
        return
    if fulfilment.needs_proof(order):
        proof = proofs.upload_proof(order, leader, _mock_up(order), "Sådan kommer logoet til at se ud.")
        if state == "quoted":
            return
        proofs.decide_proof(proof, approve=True, name=order.customer.contact_name or "Indkøber")
    if state == "quoted":
        return
    quotes.accept_quote(quote, order.customer.contact_name or "Indkøber")
    if state == "accepted":
        return
    deposit_invoice = next((invoice for invoice in invoicing.invoices_of(order)
                            if invoice.purpose == InvoicePurpose.DEPOSIT), None)
    if deposit_invoice is not None:
        _pay(deposit_invoice, leader)
    _sew(order, finish=DEMO_STEPS.index(state) >= DEMO_STEPS.index("ready"))
    if state in ("delivered", "paid"):
        fulfilment.record_delivery(order, leader, local_today(), fulfilment.left_to_deliver(order), "Leveret på cykel.")
    if state == "paid":
        for invoice in invoicing.invoices_of(order):
            if invoicing.due_ore(invoice) > 0:
                _pay(invoice, leader)


def _send_quote(order: Order, leader: User, deposit: int) -> Quote:
    today = local_today()
    promised = max(order.wished_date or today, today + timedelta(days=14))
    quote = quotes.make_quote(order, leader, quotes.QuoteTerms(
        deposit_percent=deposit, payment_terms_days=14, valid_until=today + timedelta(days=30),
        promised_date=promised, message="Tak for jeres forespørgsel. Vi glæder os til at sy for jer."))
    quotes.send_quote(quote, leader)
    return quote


def _pay(invoice, leader: User) -> None:
    invoicing.register_payment(invoice, OrderPaymentMethod.BANK_TRANSFER, invoicing.due_ore(invoice),
                               f"Bank {invoice.number}", leader)


def _sew(order: Order, finish: bool) -> None:
    """Work recorded on the order's tasks by the site's people: every piece, or a first part of the first step."""
    profiles = worker_profiles(order.site)
    today = local_today()
    for work_order in fulfilment.work_orders_of(order):
        tasks = sorted(work_order.tasks, key=lambda task: (task.sequence, task.batch_number))
        if not finish:
            tasks = [task for task in tasks if task.sequence == 1][:2]
        for number, task in enumerate(tasks):
            if task.status not in (TaskStatus.DONE, TaskStatus.CANCELLED):
                work_on(task, profiles, today - timedelta(days=number % 5))


def _mock_up(order: Order) -> BytesIO:
    """A plain picture standing in for the photo of a prototype."""
    picture = Image.new("RGB", (480, 360), (238, 232, 220))
    drawing = ImageDraw.Draw(picture)
    drawing.rectangle((120, 60, 360, 320), outline=(90, 70, 50), width=6)
    drawing.text((150, 170), order.lines[0].embroidery_text or order.number, fill=(30, 50, 120))
    buffer = BytesIO()
    picture.save(buffer, "PNG")
    buffer.seek(0)
    return buffer
