"""Payments for every kind of sale: the counter's methods, Stripe Checkout for any payable
(`payables.py`: each kind registers how to price and fulfil itself), Stripe's webhook and the
payer's way back (`views.py`), and the Stripe events already handled (`models.py`)."""
