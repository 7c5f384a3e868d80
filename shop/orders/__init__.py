"""B2B orders: a company asks for a quote, the workshop quotes from its people's capacity, the
customer approves the proof and pays, production makes it, the workshop delivers and invoices."""
