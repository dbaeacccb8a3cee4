"""The Jinja2 environment (autoescape always on) and the page renderer that adds the CSP nonce and
the CSRF double-submit cookie."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from storyline.api.security import CSRF_COOKIE, csrf_valid, is_authorised, new_csrf
from storyline.web import svg

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


def _shortdate(value: str | None) -> str:
    return value[:10] if value else "—"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["shortdate"] = _shortdate
    env.filters["lang_colour"] = svg.lang_colour
    env.globals["sparkline"] = svg.sparkline
    return env


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page; every page gets `nonce`, `csrf`, `authorised` and the current path."""
    settings = request.app.state.settings
    token = request.cookies.get(CSRF_COOKIE)
    fresh = not csrf_valid(settings.secret, token, token)
    csrf = new_csrf(settings.secret) if fresh else token
    html = environment().get_template(template).render(
        request_path=request.url.path,
        nonce=getattr(request.state, "csp_nonce", ""),
        csrf=csrf,
        authorised=is_authorised(request),
        **context,
    )
    resp = HTMLResponse(html, status_code=status)
    resp.headers["Cache-Control"] = "no-store"
    if fresh:
        resp.set_cookie(CSRF_COOKIE, csrf or "", httponly=True, samesite="strict", path="/")
    return resp


def render_error(request: Request, status: int, code: str, message: str) -> HTMLResponse:
    return render(request, "error.html", status=status, code=code, message=message)
