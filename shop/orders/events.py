"""News inside the orders package: one module tells, others listen, nobody imports everybody.

Receivers run inside the sender's transaction (they flush, never commit) and must be idempotent.
"""
from blinker import Namespace

_signals = Namespace()

#: sender = the Order; kwargs: quote, actor (a User or None for a buyer by link).
quote_accepted = _signals.signal("quote-accepted")
#: sender = the Order, now ready for delivery (every work order done).
order_ready = _signals.signal("order-ready")
#: sender = the Order; kwargs: delivery, actor. Sent for every delivery, partial or last.
order_delivered = _signals.signal("order-delivered")
#: sender = the Invoice just paid in full; kwargs: actor.
invoice_paid = _signals.signal("invoice-paid")
#: sender = the Order, just cancelled; kwargs: actor.
order_cancelled = _signals.signal("order-cancelled")
#: sender = the Order whose latest proof the customer just approved; kwargs: proof, actor.
proof_approved = _signals.signal("proof-approved")
#: sender = the Order whose invoice terms a leader approved (production may start before the deposit); kwargs: actor.
invoice_terms_approved = _signals.signal("invoice-terms-approved")
