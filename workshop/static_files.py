"""Static files with a version in their address and a long cache life.

`url_for('static', filename=...)` adds `?v=<first 12 hex digits of the file's SHA-256>`: a changed
file gets a new address, so a browser (or a proxy) may keep each version for a year without asking.
Addresses without the version are served as before (revalidated).
"""
import hashlib
import os
from functools import lru_cache

from flask import Flask, request

ONE_YEAR = 365 * 24 * 60 * 60


@lru_cache(maxsize=512)
def _version(path: str, modified: float) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:12]


def static_version(app: Flask, filename: str) -> str | None:
    path = os.path.join(app.static_folder, filename)
    try:
        modified = os.path.getmtime(path)
    except OSError:
        return None
    return _version(path, modified)


def configure_static_files(app: Flask) -> None:
    @app.url_defaults
    def _add_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values and "filename" in values:
            version = static_version(app, values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def _cache_versioned(response):
        if request.endpoint == "static" and request.args.get("v") and response.status_code in (200, 304):
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        return response
