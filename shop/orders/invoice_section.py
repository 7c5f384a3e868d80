"""The order page's money section (position 60): the order's invoices, what is due and a way to pay."""
from workshop.models import User

from ..payments.services import online_payment_enabled
from . import invoicing
from .invoice_documents import state_of
from .invoice_forms import PayOnlineForm
from .models import Order
from .pages import register_section

POSITION = 60


def invoices_context(order: Order, viewer: User | None, for_workshop: bool) -> dict | None:
    """None while the order has no invoice."""
    invoices = invoicing.invoices_of(order)
    if not invoices:
        return None
    return {"rows": [(invoice, state_of(invoice)) for invoice in invoices], "online": online_payment_enabled(),
            "pay_form": PayOnlineForm(formdata=None), "purpose_labels": invoicing.PURPOSE_LABELS}


def register() -> None:
    register_section("invoices", "shop/orders/_invoices_section.html", invoices_context, POSITION)
