"""What a new password must be (OWASP ASVS 2.1, NIST SP 800-63B): long enough, not one of the
passwords people use most, and nothing else — no rules about digits or capitals, and long
passphrases are welcome. The list of common passwords is zxcvbn's (30,000 of them, shipped in
the package: no request leaves the server)."""
import functools

from flask_babel import lazy_gettext as _l

from .errors import DomainError

MIN_PASSWORD_LENGTH = 8
#: Far above the 64 characters ASVS asks to allow; the form refuses more before scrypt sees it.
MAX_PASSWORD_LENGTH = 200


@functools.cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common(password: str) -> bool:
    """True for a password on the list, whatever its capitals (the list is in lower case)."""
    return password.lower() in _common_passwords()


def check_new_password(password: str | None, email: str = "") -> str:
    """The password, or a DomainError on the field `password` saying what is wrong with it."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(_l("The password must be at least %(count)d characters.", count=MIN_PASSWORD_LENGTH),
                          field="password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise DomainError(_l("The password can be at most %(count)d characters.", count=MAX_PASSWORD_LENGTH),
                          field="password")
    if is_common(password) or (email and password.strip().lower() == email.strip().lower()):
        raise DomainError(_l("This password is too easy to guess: it is one of the most used passwords. "
                             "Choose another, for example three or four words."), field="password")
    return password
