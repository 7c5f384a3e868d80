"""B2B orders: the catalogue offered to companies, orders and their quotes, proofs, deliveries,
invoices and payments.

An order goes requested -> quoted -> accepted -> in production -> ready -> delivered -> paid
(or declined, expired, cancelled); `states.py` holds the legal moves and writes the history.
Money is integer øre excluding VAT unless a name says otherwise; dates are Copenhagen dates,
times naive UTC.
"""
import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from production.models import Product, ProductVariant
from workshop.extensions import db
from workshop.models import Site, User, enum_column
from workshop.timeutil import utcnow

from ..models import Customer

#: Danish VAT (moms), per cent.
VAT_PERCENT = 25


# --- The catalogue offered to business customers ---------------------------------------------


class Visibility(enum.StrEnum):
    HIDDEN = "hidden"
    EVERYONE = "everyone"
    #: Only the customers listed in `catalogue_customers`.
    CHOSEN = "chosen"


class CatalogueItem(db.Model):
    """A product as business customers see it: whether they see it, and its photo."""

    __tablename__ = "catalogue_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), unique=True)
    visibility: Mapped[Visibility] = mapped_column(enum_column(Visibility), default=Visibility.HIDDEN)
    #: Stored image name under the uploads folder ("catalogue/<random>.jpg"); empty without a photo.
    photo: Mapped[str] = mapped_column(String(120), default="")
    #: What a buyer reads (the product's own description is the workshop's).
    description_da: Mapped[str] = mapped_column(String(1000), default="")
    description_en: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    product: Mapped[Product] = relationship()
    chosen_customers: Mapped[list[Customer]] = relationship(secondary="catalogue_customers")


class CatalogueCustomer(db.Model):
    """A customer offered a product whose visibility is `chosen`."""

    __tablename__ = "catalogue_customers"

    catalogue_item_id: Mapped[int] = mapped_column(ForeignKey("catalogue_items.id"), primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)


class PriceTier(db.Model):
    """A unit price from a quantity up (1-49, 50-199, 200+): the tier with the highest `min_quantity`
    not above the ordered quantity applies."""

    __tablename__ = "price_tiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    min_quantity: Mapped[int]
    unit_price_ore: Mapped[int]

    __table_args__ = (
        UniqueConstraint("product_id", "min_quantity"),
        CheckConstraint("min_quantity >= 1", name="tier_min_positive"),
        CheckConstraint("unit_price_ore >= 0", name="tier_price_not_negative"),
    )


class CustomerPrice(db.Model):
    """A customer's own unit price for a product, whatever the quantity."""

    __tablename__ = "customer_prices"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    unit_price_ore: Mapped[int]

    customer: Mapped[Customer] = relationship()
    product: Mapped[Product] = relationship()

    __table_args__ = (
        UniqueConstraint("customer_id", "product_id"),
        CheckConstraint("unit_price_ore >= 0", name="customer_price_not_negative"),
    )


# --- Orders -----------------------------------------------------------------------------------


class OrderStatus(enum.StrEnum):
    REQUESTED = "requested"
    QUOTED = "quoted"
    ACCEPTED = "accepted"
    IN_PRODUCTION = "in_production"
    READY = "ready"
    DELIVERED = "delivered"
    PAID = "paid"
    DECLINED = "declined"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class OrderCounter(db.Model):
    """The last order number used at a site; locked while a new number is taken."""

    __tablename__ = "order_counters"

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class Order(db.Model):
    """A company's order, from its request for a quote to the last payment."""

    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    #: Per-site running number; `number` is what people read ("O-0042").
    sequence: Mapped[int]
    number: Mapped[str] = mapped_column(String(20))
    status: Mapped[OrderStatus] = mapped_column(enum_column(OrderStatus), default=OrderStatus.REQUESTED, index=True)
    #: Who asked for the quote (a company user; None when a leader entered it).
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The customer's own reference (her purchase order number), printed on every document.
    customer_reference: Mapped[str] = mapped_column(String(60), default="")
    wished_date: Mapped[date | None]
    #: Make one piece for approval before the rest.
    prototype_first: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: The customer's message with the request.
    request_note: Mapped[str] = mapped_column(String(2000), default="")
    #: The delivery date promised in the accepted quote (due date of its work orders).
    promised_date: Mapped[date | None]
    #: The quote the customer accepted: its exact version, prices and terms.
    accepted_quote_id: Mapped[int | None] = mapped_column(ForeignKey("quotes.id", use_alter=True))
    #: A leader let the order start on invoice terms without a paid deposit.
    invoice_terms_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    invoice_terms_approved_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Optimistic lock: two leaders saving the same order at once; the second is told, nothing is doubled.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    site: Mapped[Site] = relationship()
    customer: Mapped[Customer] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    lines: Mapped[list["OrderLine"]] = relationship(
        back_populates="order", order_by="OrderLine.id", cascade="all, delete-orphan")
    history: Mapped[list["OrderStatusChange"]] = relationship(order_by="OrderStatusChange.id")
    quotes: Mapped[list["Quote"]] = relationship(
        order_by="Quote.version", foreign_keys="Quote.order_id", back_populates="order")
    accepted_quote: Mapped["Quote | None"] = relationship(foreign_keys=[accepted_quote_id], post_update=True)
    logos: Mapped[list["OrderLogo"]] = relationship(order_by="OrderLogo.id")
    proofs: Mapped[list["Proof"]] = relationship(order_by="Proof.version")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("site_id", "sequence"),
        UniqueConstraint("site_id", "number"),
    )


class OrderLine(db.Model):
    """A product and quantity on an order, with its customisation; one work order when released."""

    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("product_variants.id"))
    quantity: Mapped[int]
    #: Customisation: the text to embroider, thread colours, where it goes.
    embroidery_text: Mapped[str] = mapped_column(String(200), default="")
    thread_colours: Mapped[str] = mapped_column(String(200), default="")
    placement: Mapped[str] = mapped_column(String(200), default="")
    #: Set when released to production (a neutral reference back: SourceKind.ORDER_LINE, this id).
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"))

    order: Mapped[Order] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()
    variant: Mapped[ProductVariant | None] = relationship()

    @property
    def customised(self) -> bool:
        return bool(self.embroidery_text or self.thread_colours or self.placement)

    __table_args__ = (CheckConstraint("quantity > 0", name="line_quantity_positive"),)


class OrderStatusChange(db.Model):
    """Audit trail of an order: who changed the status, when, from what to what."""

    __tablename__ = "order_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    #: None for the system (a webhook, a scheduled command) or a buyer acting by a quote link.
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(String(300), default="")

    by_user: Mapped[User | None] = relationship()


class OrderLogo(db.Model):
    """A logo the customer uploaded, re-encoded (metadata dropped) and stored outside static/."""

    __tablename__ = "order_logos"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    #: Stored image name under the uploads folder ("logos/<random>.png").
    stored_name: Mapped[str] = mapped_column(String(120), unique=True)
    #: The name on her computer, shown back to her only.
    original_name: Mapped[str] = mapped_column(String(200), default="")
    width: Mapped[int]
    height: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- Quotes -----------------------------------------------------------------------------------


class Quote(db.Model):
    """One version of the workshop's offer; a new version replaces the last one sent.

    The quote link's token is stored only as a hash, so the table alone opens nothing."""

    __tablename__ = "quotes"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    version: Mapped[int]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    valid_until: Mapped[date]
    #: Paid before production starts, per cent of the total (0 = no deposit).
    deposit_percent: Mapped[int] = mapped_column(default=0)
    #: Days from invoice to due date.
    payment_terms_days: Mapped[int] = mapped_column(default=14)
    promised_date: Mapped[date]
    #: The earliest realistic date the site's people can make it, when the quote was made.
    earliest_date: Mapped[date | None]
    #: The leader's words to the customer.
    message: Mapped[str] = mapped_column(String(2000), default="")
    subtotal_ore: Mapped[int] = mapped_column(default=0)
    vat_ore: Mapped[int] = mapped_column(default=0)
    total_ore: Mapped[int] = mapped_column(default=0)
    #: SHA-256 of the token in the quote link, hex; the link expires with the quote.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    accepted_at: Mapped[datetime | None]
    #: The name typed by whoever accepted (a purchaser by link has no login).
    accepted_by_name: Mapped[str] = mapped_column(String(120), default="")
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    order: Mapped[Order] = relationship(back_populates="quotes", foreign_keys=[order_id])
    lines: Mapped[list["QuoteLine"]] = relationship(
        back_populates="quote", order_by="QuoteLine.id", cascade="all, delete-orphan")

    @property
    def deposit_ore(self) -> int:
        """The deposit including VAT, rounded to whole øre."""
        return (self.total_ore * self.deposit_percent + 50) // 100

    __table_args__ = (
        UniqueConstraint("order_id", "version"),
        CheckConstraint("deposit_percent BETWEEN 0 AND 100", name="deposit_percent_range"),
        CheckConstraint("payment_terms_days BETWEEN 0 AND 120", name="terms_range"),
    )


class QuoteLine(db.Model):
    """An order line's price in one quote version: the tier price, and the price offered with its reason."""

    __tablename__ = "quote_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"))
    quantity: Mapped[int]
    #: What the tiers (or her own price) give.
    list_price_ore: Mapped[int]
    unit_price_ore: Mapped[int]
    #: Why the offered price differs from the list price (required when it does).
    price_reason: Mapped[str] = mapped_column(String(200), default="")

    quote: Mapped[Quote] = relationship(back_populates="lines")
    order_line: Mapped[OrderLine] = relationship()

    @property
    def total_ore(self) -> int:
        return self.quantity * self.unit_price_ore

    __table_args__ = (
        CheckConstraint("quantity > 0", name="quote_quantity_positive"),
        CheckConstraint("unit_price_ore >= 0", name="quote_price_not_negative"),
    )


# --- Proofs -----------------------------------------------------------------------------------


class ProofDecision(enum.StrEnum):
    WAITING = "waiting"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"


class Proof(db.Model):
    """A photo of the prototype or a mock-up for the customer to approve; every version is kept."""

    __tablename__ = "proofs"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    version: Mapped[int]
    stored_name: Mapped[str] = mapped_column(String(120), unique=True)
    note: Mapped[str] = mapped_column(String(1000), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decision: Mapped[ProofDecision] = mapped_column(enum_column(ProofDecision), default=ProofDecision.WAITING)
    decided_at: Mapped[datetime | None]
    decided_by_name: Mapped[str] = mapped_column(String(120), default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The customer's comment: what to change.
    comment: Mapped[str] = mapped_column(String(1000), default="")

    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])

    __table_args__ = (UniqueConstraint("order_id", "version"),)


# --- Deliveries -------------------------------------------------------------------------------


class Delivery(db.Model):
    """Goods handed over (all or part of an order), with its delivery note."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    #: Running number within the order: 1, 2, ... (printed "O-0042-1").
    sequence: Mapped[int]
    delivered_on: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    order: Mapped[Order] = relationship()
    lines: Mapped[list["DeliveryLine"]] = relationship(
        back_populates="delivery", order_by="DeliveryLine.id", cascade="all, delete-orphan")

    __table_args__ = (UniqueConstraint("order_id", "sequence"),)


class DeliveryLine(db.Model):
    __tablename__ = "delivery_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("deliveries.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    quantity: Mapped[int]

    delivery: Mapped[Delivery] = relationship(back_populates="lines")
    order_line: Mapped[OrderLine] = relationship()

    __table_args__ = (CheckConstraint("quantity > 0", name="delivered_quantity_positive"),)


# --- Invoices and payments --------------------------------------------------------------------


class InvoiceKind(enum.StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


class InvoicePurpose(enum.StrEnum):
    DEPOSIT = "deposit"
    BALANCE = "balance"
    #: The whole order at once (no deposit).
    FULL = "full"
    #: A credit note for a cancellation or refund.
    CREDIT = "credit"


class InvoiceCounter(db.Model):
    """The last invoice number at a site: one unbroken sequence for invoices and credit notes
    (Danish bookkeeping). Locked while a number is taken, so two at once never share or skip one."""

    __tablename__ = "invoice_counters"

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class Invoice(db.Model):
    """An invoice or credit note; the parties' details are copied in when it is issued and never change."""

    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    number: Mapped[int]
    kind: Mapped[InvoiceKind] = mapped_column(enum_column(InvoiceKind), default=InvoiceKind.INVOICE)
    purpose: Mapped[InvoicePurpose] = mapped_column(enum_column(InvoicePurpose))
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    #: The invoice a credit note credits.
    credits_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    issued_on: Mapped[date]
    due_on: Mapped[date]
    #: The workshop as it was when the invoice was issued: name, CVR, address, bank account.
    seller_name: Mapped[str] = mapped_column(String(120), default="", server_default="")
    seller_cvr: Mapped[str] = mapped_column(String(8), default="", server_default="")
    seller_address: Mapped[str] = mapped_column(String(200), default="", server_default="")
    seller_bank_reg_no: Mapped[str] = mapped_column(String(4), default="", server_default="")
    seller_bank_account_no: Mapped[str] = mapped_column(String(10), default="", server_default="")
    customer_name: Mapped[str] = mapped_column(String(160))
    customer_cvr: Mapped[str] = mapped_column(String(8), default="")
    customer_ean: Mapped[str] = mapped_column(String(13), default="")
    customer_address: Mapped[str] = mapped_column(String(300), default="")
    vat_exempt: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Signs follow the kind: a credit note's amounts are positive and credit the customer.
    subtotal_ore: Mapped[int]
    vat_ore: Mapped[int]
    total_ore: Mapped[int]
    paid_at: Mapped[datetime | None]
    reminder_count: Mapped[int] = mapped_column(default=0)
    last_reminder_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    order: Mapped[Order] = relationship()
    lines: Mapped[list["InvoiceLine"]] = relationship(
        back_populates="invoice", order_by="InvoiceLine.id", cascade="all, delete-orphan")

    __table_args__ = (
        UniqueConstraint("site_id", "number"),
        CheckConstraint("total_ore >= 0", name="invoice_total_not_negative"),
    )


class InvoiceLine(db.Model):
    __tablename__ = "invoice_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    description: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[int]
    unit_price_ore: Mapped[int]

    invoice: Mapped[Invoice] = relationship(back_populates="lines")

    @property
    def total_ore(self) -> int:
        return self.quantity * self.unit_price_ore


class OrderPaymentMethod(enum.StrEnum):
    STRIPE = "stripe"
    BANK_TRANSFER = "bank_transfer"


class OrderPayment(db.Model):
    """Money received for an order's invoice: online by Stripe, or a bank transfer a leader registers."""

    __tablename__ = "order_payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    method: Mapped[OrderPaymentMethod] = mapped_column(enum_column(OrderPaymentMethod))
    #: Negative for money paid back (a refund).
    amount_ore: Mapped[int]
    #: Stripe's session or refund id, or the bank transfer's reference.
    reference: Mapped[str] = mapped_column(String(255), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_order_payments_reference", "method", "reference"),)
