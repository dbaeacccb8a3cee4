"""HTTP hardening: security headers with a per-request CSP nonce, request size caps, the write token,
signed sessions and CSRF tokens for the HTML forms."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any

from fastapi import Request
from starlette.exceptions import HTTPException as StarletteHTTPException

from storyline.api.errors import ApiError, error_body

SESSION_COOKIE = "sl_session"
CSRF_COOKIE = "sl_csrf"
CSRF_FIELD = "csrf"


def csp_header(nonce: str) -> str:
    """No inline script or style (except nonce'd script), nothing from other origins, no framing."""
    return (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        "style-src 'self'; "
        "img-src 'self' data:; "
        "font-src 'self'; "
        "connect-src 'self'; "
        "object-src 'none'; "
        "base-uri 'none'; "
        "form-action 'self'; "
        "frame-ancestors 'none'"
    )


class SecurityMiddleware:
    """Pure ASGI middleware: caps the request body and adds security headers to every response."""

    def __init__(self, app: Any, max_body_bytes: int) -> None:
        self.app = app
        self.max_body = max_body_bytes

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["csp_nonce"] = nonce
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        try:
            too_big = declared is not None and int(declared) > self.max_body
        except ValueError:
            too_big = True
        extra = [
            (b"content-security-policy", csp_header(nonce).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        started = False

        async def send_with_headers(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        if too_big:
            await self._reject(send_with_headers)
            return

        received = 0

        async def counting_receive() -> dict[str, Any]:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _BodyTooLarge(self.max_body)
            return message

        try:
            await self.app(scope, counting_receive, send_with_headers)
        except _BodyTooLarge:
            if not started:
                await self._reject(send_with_headers)

    async def _reject(self, send: Any) -> None:
        body = json.dumps(
            error_body("too_large", f"request body exceeds the limit of {self.max_body} bytes")
        ).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _BodyTooLarge(StarletteHTTPException):
    """Raised from `receive` once a streamed body passes the cap (FastAPI re-raises HTTP errors)."""

    def __init__(self, limit: int = 0) -> None:
        super().__init__(413, f"request body exceeds the limit of {limit} bytes")


# --------------------------------------------------------------------------- token, session, CSRF


def _sign(secret: bytes, value: str) -> str:
    return hmac.new(secret, value.encode(), hashlib.sha256).hexdigest()[:32]


def session_value(secret: bytes, token: str) -> str:
    """Cookie value proving the browser once presented the token (bound to the token itself)."""
    nonce = secrets.token_urlsafe(12)
    return f"{nonce}.{_sign(secret, nonce + '|' + token)}"


def session_valid(secret: bytes, token: str, value: str | None) -> bool:
    if not value or "." not in value:
        return False
    nonce, sig = value.rsplit(".", 1)
    return hmac.compare_digest(sig, _sign(secret, nonce + "|" + token))


def new_csrf(secret: bytes) -> str:
    nonce = secrets.token_urlsafe(16)
    return f"{nonce}.{_sign(secret, 'csrf|' + nonce)}"


def csrf_valid(secret: bytes, cookie: str | None, field: str | None) -> bool:
    """Double-submit: the form field must equal the cookie, and the cookie must carry our signature."""
    if not cookie or not field or not hmac.compare_digest(cookie, field) or "." not in cookie:
        return False
    nonce, sig = cookie.rsplit(".", 1)
    return hmac.compare_digest(sig, _sign(secret, "csrf|" + nonce))


def bearer_token(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-storyline-token")


def is_authorised(request: Request) -> bool:
    """The token in a header, or a valid session cookie from /login."""
    settings = request.app.state.settings
    given = bearer_token(request)
    if given is not None:
        return hmac.compare_digest(given.encode(), settings.token.encode())
    return session_valid(settings.secret, settings.token, request.cookies.get(SESSION_COOKIE))


def require_token(request: Request) -> None:
    """Dependency for the API's write endpoints: the token must come in a header. A browser session
    cookie is not enough there (the HTML forms, which also check a CSRF token, use the session)."""
    settings = request.app.state.settings
    given = bearer_token(request)
    if given is None or not hmac.compare_digest(given.encode(), settings.token.encode()):
        raise ApiError(401, "this endpoint needs the server token (Authorization: Bearer <token>)")


def require_csrf(request: Request, field: str | None) -> None:
    settings = request.app.state.settings
    if not csrf_valid(settings.secret, request.cookies.get(CSRF_COOKIE), field):
        raise ApiError(403, "missing or invalid CSRF token: reload the form and try again", code="csrf")
