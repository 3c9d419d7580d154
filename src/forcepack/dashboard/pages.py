"""The dashboard's routes: each makes one or two library calls and renders a template."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from typing import Any

import duckdb
from fastapi import FastAPI, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from forcepack.dashboard import lists as lists_mod
from forcepack.dashboard import measure_page, quality
from forcepack.dashboard.app import NotLoggedIn, csrf_ok, csrf_token, error_page
from forcepack.dashboard.data import (
    THEMES,
    NotStored,
    fmt_value,
    latest,
    month_end,
    value_at,
)
from forcepack.dashboard.data import theme as theme_of
from forcepack.dashboard.scope import LIST_TITLES, LISTS, Denied, UnknownPlace, asked_label, grant
from forcepack.dashboard.users import Role, User, authenticate
from forcepack.dashboard.warehouse import View
from forcepack.errors import InputError
from forcepack.measures import export as ex
from forcepack.stats import assurance_icon, variation_icon

_PAPER = re.compile(r"^board-paper-[0-9]{4}-[0-9]{2}[A-Za-z0-9._-]*\.(html|pdf|docx)$")


def current_user(request: Request) -> User:
    name = request.session.get("user")
    user = request.app.state.users.all().get(name) if name else None
    if user is None:
        request.session.clear()
        raise NotLoggedIn()
    return user


def render(request: Request, name: str, user: User | None, **context: Any) -> HTMLResponse:
    context.update(user=user, csrf=csrf_token(request), path=request.url.path)
    return request.app.state.templates.TemplateResponse(request, name, context)


def opened(
    request: Request,
) -> contextlib.AbstractContextManager[tuple[duckdb.DuckDBPyConnection, View]]:
    """A cursor on the warehouse and its view for one request, closed when the block ends."""
    cursor: contextlib.AbstractContextManager[tuple[duckdb.DuckDBPyConnection, View]]
    cursor = request.app.state.warehouse.cursor()
    return cursor


def denied(request: Request, user: User, what: str, scope: str, reason: str) -> None:
    """Log a refused request of ``user`` in the dashboard's access log."""
    request.app.state.log.record(
        user=user.name,
        role=user.role.value,
        what=what,
        scope=scope,
        outcome="denied",
        reason=reason,
    )


def register(app: FastAPI) -> None:
    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request) -> HTMLResponse:
        return render(request, "login.html", None, error=None)

    @app.post("/login", response_class=HTMLResponse)
    def login(
        request: Request,
        username: str = Form(""),
        password: str = Form(""),
        csrf: str = Form(""),
    ) -> Response:
        if not csrf_ok(request, csrf):
            return error_page(request, 403, "the form has expired or was not sent by this site")
        limiter = request.app.state.limiter
        client = request.client.host if request.client else "unknown"
        keys = (f"user:{username.lower()}", f"client:{client}")
        if limiter.blocked(*keys):
            return error_page(
                request, 429, "too many failed logins; wait five minutes and try again"
            )
        user = authenticate(request.app.state.users.all(), username, password)
        if user is None:
            limiter.fail(*keys)
            response = render(request, "login.html", None, error="Wrong user name or password.")
            response.status_code = 401
            return response
        limiter.clear(*keys)
        request.session.clear()  # a new session on login: no fixation
        request.session["user"] = user.name
        csrf_token(request)
        return RedirectResponse("/", status_code=303)

    @app.post("/logout")
    def logout(request: Request, csrf: str = Form("")) -> Response:
        if not csrf_ok(request, csrf):
            return error_page(request, 403, "the form has expired or was not sent by this site")
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    def overview_groups(request: Request) -> tuple[list[Any], Any]:
        """The overview's rows (built once per state of the warehouse), and the view."""
        with opened(request) as (con, v):
            return v.stored.memo("overview", lambda: overview_rows(con, v)), v

    @app.get("/", response_class=HTMLResponse)
    def overview(request: Request) -> HTMLResponse:
        user = current_user(request)
        groups, v = overview_groups(request)
        return render(
            request,
            "overview.html",
            user,
            groups=groups,
            db=v.stored.db,
            has_results=any(r["stored"] for g in groups for r in g["rows"]),
        )

    @app.get("/summary", response_class=HTMLResponse)
    def summary(request: Request) -> HTMLResponse:
        user = current_user(request)
        groups, _ = overview_groups(request)
        return render(request, "summary.html", user, groups=groups)

    @app.get("/measures/{measure_id}.csv")
    def measure_csv(request: Request, measure_id: str) -> Response:
        return measure_download(request, measure_id, "csv")

    @app.get("/measures/{measure_id}.xlsx")
    def measure_xlsx(request: Request, measure_id: str) -> Response:
        return measure_download(request, measure_id, "xlsx")

    def measure_download(request: Request, measure_id: str, fmt: str) -> Response:
        current_user(request)
        with opened(request) as (con, v):
            try:
                page = measure_page.build(
                    con, v, measure_id, dict(request.query_params), chart=False
                )
            except (UnknownPlace, measure_page.Unknown, NotStored) as err:
                raise HTTPException(404, str(err)) from None
        name = f"{measure_id}-{page.window}{page.scope_slug}"
        if fmt == "csv":
            return Response(
                ex.to_csv(ex.integral_counts(page.download, _kinds())),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
            )
        buf = io.BytesIO()
        ex.safe_frame(ex.integral_counts(page.download, _kinds())).to_excel(
            buf, index=False, sheet_name="results"
        )
        return Response(
            buf.getvalue(),
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )

    @app.get("/measures/{measure_id}", response_class=HTMLResponse)
    def measure(request: Request, measure_id: str) -> HTMLResponse:
        user = current_user(request)
        with opened(request) as (con, v):
            try:
                params = dict(request.query_params)
                page = v.stored.memo(
                    ("measure", measure_id, tuple(sorted(params.items()))),
                    lambda: measure_page.build(con, v, measure_id, params),
                )
            except (UnknownPlace, measure_page.Unknown) as err:
                raise HTTPException(404, str(err)) from None
            except NotStored as err:
                return render(request, "not_stored.html", user, message=err.message, hint=err.hint)
        return render(request, "measure.html", user, page=page)

    @app.get("/lists", response_class=HTMLResponse)
    def lists_index(request: Request) -> HTMLResponse:
        user = current_user(request)
        with opened(request) as (_, v):
            home = v.places.home(user)
        return render(
            request,
            "lists.html",
            user,
            lists=LIST_TITLES,
            home=home,
            places=v.places,
            allowed=LISTS,
        )

    @app.get("/lists/{list_name}", response_class=HTMLResponse)
    def personal_list(request: Request, list_name: str) -> Response:
        user = current_user(request)
        q = request.query_params
        asked = {k: q.get(k) for k in ("area", "district", "neighbourhood")}
        fmt = q.get("format", "html")
        log = request.app.state.log
        what = list_name if fmt == "html" else f"{list_name} ({fmt})"
        scope_text = asked_label(asked)
        with opened(request) as (con, v):
            try:
                if fmt not in ("html", "csv"):
                    raise UnknownPlace(f'format "{fmt}" is not html or csv')
                place = grant(user, list_name, asked, v.places)
                result = lists_mod.build(con, list_name, place, q.get("month"), q.get("quarter"))
            except Denied as err:
                denied(request, user, what, scope_text, err.message)
                return error_page(request, 403, err.message)
            except (UnknownPlace, InputError) as err:
                denied(request, user, what, scope_text, str(err))
                return error_page(request, 404, str(err))
        outcome = "viewed" if fmt == "html" else "downloaded"
        log.record(
            user=user.name,
            role=user.role.value,
            what=what,
            scope=scope_text,
            outcome=outcome,
            rows=len(result.frame),
        )
        if fmt == "csv":
            return Response(
                lists_mod.to_csv(result),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="{result.file_name}"'},
            )
        return render(
            request,
            "list.html",
            user,
            result=result,
            title=LIST_TITLES[list_name],
            query=str(request.url.query),
            shown=result.frame.head(lists_mod.SHOWN),
        )

    @app.get("/papers", response_class=HTMLResponse)
    def papers(request: Request) -> HTMLResponse:
        user = current_user(request)
        return render(request, "papers.html", user, papers=paper_files(request))

    @app.get("/papers/{name}")
    def paper(request: Request, name: str) -> Response:
        current_user(request)
        files = {p.name: p for group in paper_files(request).values() for p in group}
        if name not in files:
            raise HTTPException(404, f'paper "{name}" is not one of the papers built')
        return FileResponse(files[name], filename=name)

    @app.get("/quality", response_class=HTMLResponse)
    def quality_page(request: Request) -> HTMLResponse:
        user = current_user(request)
        with opened(request) as (con, _):
            report = quality.report(con)
        return render(request, "quality.html", user, report=report)

    @app.get("/access-log", response_class=HTMLResponse)
    def access_log(request: Request) -> Response:
        user = current_user(request)
        log = request.app.state.log
        if user.role is not Role.ANALYST:
            denied(request, user, "access log", "", "the access log is for analysts")
            return error_page(request, 403, "the access log is shown to analysts only")
        # lists made with the command line are logged in the warehouse itself
        with opened(request) as (con, _):
            commands = con.execute(
                "SELECT strftime(accessed_at, '%Y-%m-%d %H:%M:%S'), user_name, list_name, scope, "
                "period, outcome, rows, reason FROM access_log "
                "ORDER BY accessed_at DESC LIMIT ?",
                [COMMAND_LOG_ROWS],
            ).fetchall()
        return render(
            request,
            "access_log.html",
            user,
            entries=log.entries(),
            log_file=log.path,
            commands=commands,
        )


#: Most rows of the warehouse's own access log shown on the access log page (the newest).
COMMAND_LOG_ROWS = 500


def paper_files(request: Request) -> dict[str, list[Path]]:
    """Board papers in the papers folder: month -> its files (HTML, PDF, Word)."""
    folder: Path = request.app.state.settings.papers
    out: dict[str, list[Path]] = {}
    for p in sorted(folder.glob("board-paper-*")):
        if p.is_file() and _PAPER.match(p.name):
            out.setdefault(p.name[len("board-paper-") :][:7], []).append(p)
    return dict(sorted(out.items(), reverse=True))


def overview_rows(con: duckdb.DuckDBPyConnection, v: View) -> list[dict[str, Any]]:
    """Every catalogue measure's latest values and icons, grouped by theme."""
    stored = v.stored
    groups: dict[str, list[dict[str, Any]]] = {t: [] for t in THEMES}
    for spec in stored.specs.values():
        month = stored.maybe(con, spec.id, "month")
        end, value = latest(month, stored.reporting_end)
        month = month[month["period_end"] <= end] if end is not None else month
        row: dict[str, Any] = {
            "id": spec.id,
            "title": spec.title,
            "unit": spec.unit,
            "stored": end is not None,
            "period": f"{end:%b %Y}" if end else "",
            "value": fmt_value(value, spec),
        }
        if end is not None:
            row["previous"] = fmt_value(value_at(month, month_end(end, 1)), spec)
            row["last_year"] = fmt_value(value_at(month, month_end(end, 12)), spec)
            for w in ("rolling12", "fytd"):
                row[w] = fmt_value(value_at(stored.maybe(con, spec.id, w), end), spec)
            j = stored.judge(con, spec.id, month, "force")
            row["variation_icon"] = variation_icon(j.variation, size=36) if j else ""
            row["assurance_icon"] = (
                assurance_icon(j.assurance, size=36) if j and j.assurance else ""
            )
        groups.setdefault(theme_of(spec.id), []).append(row)
    return [
        {"theme": t, "title": THEMES.get(t, t.title()), "rows": rows}
        for t, rows in groups.items()
        if rows
    ]


__all__ = ["register"]


def _kinds() -> dict[str, str]:
    """Each catalogue measure's kind, which decides how its numbers are written."""
    from forcepack.measures import catalogue

    return {m: str(spec.kind) for m, spec in catalogue().items()}
