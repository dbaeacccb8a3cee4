"""HTTP API (FastAPI) and the app factory shared with the web pages: `create_app(store, settings)`."""

from storyline.api.app import create_app
from storyline.api.settings import Settings

__all__ = ["Settings", "create_app"]
