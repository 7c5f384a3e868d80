"""The order page's "quote" (20) and "proofs" (30) sections, registered at import."""
from workshop.models import Role, User

from . import proofs, quotes, states
from .models import Order, OrderStatus
from .pages import register_section
from .quote_forms import AcceptForm, ProofDecisionForm, ProofUploadForm


def quote_section(order: Order, viewer: User | None, for_workshop: bool) -> dict | None:
    """The latest quote: its summary, a link to the A4 page; accept for her company, a new version for the leader."""
    latest = quotes.latest_sent(order)
    may_quote = for_workshop and viewer.role == Role.LEADER and states.can_change(order, OrderStatus.QUOTED)
    if latest is None and not may_quote:
        return None
    can_accept = (not for_workshop and latest is not None and order.status == OrderStatus.QUOTED
                  and not quotes.is_expired(latest))
    return {"quote": latest, "may_quote": may_quote, "can_accept": can_accept,
            "accept_form": AcceptForm(formdata=None, name=viewer.name if viewer else "") if can_accept else None,
            "expired": latest is not None and quotes.is_expired(latest)}


def proofs_section(order: Order, viewer: User | None, for_workshop: bool) -> dict | None:
    """Every proof version; the upload form for the workshop, the decision form for her company."""
    versions = list(reversed(order.proofs))
    latest = versions[0] if versions else None
    may_upload = for_workshop and order.status in proofs.PROOF_STATUSES and not proofs.proof_approved(order)
    if not versions and not may_upload:
        return None
    may_decide = not for_workshop and latest is not None and latest.decision.value == "waiting"
    return {"proofs": versions, "latest_proof": latest, "may_upload": may_upload, "may_decide": may_decide,
            "upload_form": ProofUploadForm(formdata=None) if may_upload else None,
            "decide_form": ProofDecisionForm(formdata=None, name=viewer.name if viewer else "") if may_decide else None}


register_section("quote", "shop/orders/_quote_section.html", quote_section, 20)
register_section("proofs", "shop/orders/_proofs_section.html", proofs_section, 30)
