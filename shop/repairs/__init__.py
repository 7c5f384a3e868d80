"""Repairs: residents book a repair with a QR ticket; the desk, the workshop and pick-up follow it.

`booking` (slots, numbers, the booking), `tickets` (the ticket's life), `catalogue` (the price
list and field checks), `views` (the desk) and `public_views` (the resident's pages), `impact`.
"""
