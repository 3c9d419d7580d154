"""The FastAPI application: sessions, CSRF, login limits, error pages; routes in pages.py."""

from __future__ import annotations

import contextlib
import hmac
import os
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from forcepack import __version__
from forcepack.dashboard import users as users_mod
from forcepack.dashboard.audit import AccessLog, log_path
from forcepack.dashboard.warehouse import Warehouse
from forcepack.sensitive import MARKING

HERE = Path(__file__).parent
#: Failed logins allowed per user name (and per client address) in LOGIN_WINDOW seconds.
LOGIN_ATTEMPTS = 5
LOGIN_WINDOW = 300.0
SESSION_HOURS = 8


class LoginLimiter:
    """Failed logins remembered per key for a window; over the limit, logins are refused."""

    def __init__(self, attempts: int = LOGIN_ATTEMPTS, window: float = LOGIN_WINDOW) -> None:
        self.attempts, self.window = attempts, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _trim(self, key: str, now: float) -> deque[float]:
        q = self._failures[key]
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(len(self._trim(k, now)) >= self.attempts for k in keys)

    def fail(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for k in keys:
                self._trim(k, now).append(now)

    def clear(self, *keys: str) -> None:
        with self._lock:
            for k in keys:
                self._failures.pop(k, None)


@dataclass
class Settings:
    db: Path
    papers: Path
    secure_cookies: bool = False
    secret: str = ""
    users_file: Path = field(init=False)

    def __post_init__(self) -> None:
        self.users_file = users_mod.users_path(self.db)


class Users:
    """The users file, reread when it changes (a removed user loses access at once)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._sig: tuple[int, int] | None = None
        self._users: dict[str, users_mod.User] = {}
        self._lock = threading.Lock()

    def all(self) -> dict[str, users_mod.User]:
        st = self.path.stat() if self.path.exists() else None
        sig = (st.st_mtime_ns, st.st_size) if st else (0, 0)
        with self._lock:
            if sig != self._sig:
                self._users = users_mod.load(self.path)
                self._sig = sig
            return self._users


def session_secret(db: Path) -> str:
    """The key that signs session cookies, shared by every worker serving ``db``: from
    ``FORCEPACK_SESSION_KEY``, else a file beside the warehouse made on first start."""
    env = os.environ.get("FORCEPACK_SESSION_KEY")
    if env:
        return env
    path = db.with_name(db.name + ".session-key")
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


class NotLoggedIn(Exception):
    pass


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return str(token)


def csrf_ok(request: Request, sent: str | None) -> bool:
    expected = request.session.get("csrf")
    return bool(expected and sent and hmac.compare_digest(str(expected), str(sent)))


def create_app(
    db: Path,
    *,
    papers: Path | None = None,
    secure_cookies: bool = False,
    secret: str | None = None,
    access_log: AccessLog | None = None,
) -> FastAPI:
    """The dashboard over warehouse ``db`` (opened read-only)."""
    from forcepack.dashboard import pages

    db = Path(db)
    settings = Settings(db, Path(papers) if papers else db.parent, secure_cookies)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # read the stored results and judge the overview once, before the first request
        with app.state.warehouse.cursor() as (con, view):
            view.stored.memo("overview", lambda: pages.overview_rows(con, view))
        yield

    app = FastAPI(
        title="forcepack", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret or session_secret(db),
        session_cookie="forcepack_session",
        max_age=SESSION_HOURS * 3600,
        same_site="strict",
        https_only=secure_cookies,
    )
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(version=__version__, marking=MARKING)
    app.state.settings = settings
    app.state.warehouse = Warehouse(db)
    app.state.users = Users(settings.users_file)
    app.state.limiter = LoginLimiter()
    app.state.log = access_log or AccessLog(log_path(db))
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.middleware("http")
    async def headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'none'; frame-ancestors 'none'; form-action 'self'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.exception_handler(NotLoggedIn)
    async def to_login(request: Request, exc: NotLoggedIn) -> Response:
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def plain_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error_page(request, exc.status_code, str(exc.detail))

    pages.register(app)
    return app


TITLES = {400: "Bad request", 403: "Not allowed", 404: "Not found", 429: "Too many attempts"}


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """A plain page with the status and the message (and the menu, for a logged-in user)."""
    templates: Jinja2Templates = request.app.state.templates
    user, token = None, ""
    if "session" in request.scope:
        name = request.session.get("user")
        user = request.app.state.users.all().get(name) if name else None
        token = csrf_token(request)
    return templates.TemplateResponse(
        request,
        "error.html",
        {
            "title": TITLES.get(status, "Error"),
            "message": message,
            "user": user,
            "csrf": token,
            "path": request.url.path,
        },
        status_code=status,
    )


def from_environment() -> FastAPI:
    """The app ``forcepack serve`` starts in each worker (settings passed by environment)."""
    papers = os.environ.get("FORCEPACK_SERVE_PAPERS")
    return create_app(
        Path(os.environ["FORCEPACK_SERVE_DB"]),
        papers=Path(papers) if papers else None,
        secure_cookies=os.environ.get("FORCEPACK_SERVE_TLS") == "1",
    )
