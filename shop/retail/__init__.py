"""Retail: the workshop's own products, made to stock. So far the stock itself (`stock.py`)."""
