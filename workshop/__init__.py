"""Stitchwork core: the app factory, config, extensions, users, sites, audit log, CLI."""
from .app import create_app

__all__ = ["create_app"]
