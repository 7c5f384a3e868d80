"""Payments: the counter's methods and Stripe Checkout, and Stripe's webhook (`views`)."""
