"""Access rules: who may open which page."""
from functools import wraps

from flask import abort
from flask_login import current_user

from .errors import NotFound
from .extensions import login_manager
from .models import Role


def role_required(*roles: Role):
    """Anonymous users go to the login page; other roles get 403."""

    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorator


def is_safe_next_url(target: str | None) -> bool:
    """Only local paths are allowed after login (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    return "\\" not in target and "://" not in target


def found_or_404(getter, *args):
    """What a service's getter finds, or a 404 when it raises NotFound (also for another site's ids)."""
    try:
        return getter(*args)
    except NotFound:
        abort(404)
