"""News production sends upward. Higher layers (the shop) connect receivers; production never imports them."""
from blinker import Namespace

_signals = Namespace()

#: Sent after the last task of a work order is done, inside the same transaction,
#: with sender=the WorkOrder and actor=the User (or None). Receivers may write rows
#: (e.g. mark a repair ticket ready, queue a message) but must not commit.
work_order_done = _signals.signal("work-order-done")
