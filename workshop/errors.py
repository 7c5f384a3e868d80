"""Domain errors carry a message the user can act on, in her language."""


class DomainError(Exception):
    """A rule of the workshop said no. Views show `message` on the form."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        #: The form field the message belongs to, if any.
        self.field = field


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to this user)."""
