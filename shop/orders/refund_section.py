"""The order page's refunds (position 70): the card payments online of the order's invoices, the
refunds made on them and, for the site's leader, the form that gives money back."""
from flask import request
from sqlalchemy import select

from workshop.extensions import db

from ..payments.refund_views import refund_panels
from .models import Invoice, Order
from .pages import register_section

#: The payable kind of an invoice paid online (payable_id is the invoice's id).
ORDER_INVOICE = "order_invoice"


def refunds_context(order: Order, viewer, for_workshop: bool) -> dict | None:
    """The workshop's view only, and only when an invoice of the order was paid online."""
    if not for_workshop:
        return None
    invoice_ids = db.session.scalars(select(Invoice.id).where(Invoice.order_id == order.id)).all()
    panels = refund_panels(ORDER_INVOICE, invoice_ids, viewer, request.path) if invoice_ids else []
    return {"refund_panels": panels} if panels else None


register_section("refunds", "shop/orders/_refund_section.html", refunds_context, 70)
