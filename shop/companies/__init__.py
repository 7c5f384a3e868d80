"""Company accounts: business customers' registration, approval, colleagues and invitations."""
