"""The participants' side of a workshop over plain HTTP: one light page for phones and its JSON endpoints.

Why not a Streamlit page per phone: each Streamlit session holds a WebSocket, a script thread and a
rerun of the whole page per tap; a room of 150 phones on the 2-core server this app runs on is 150 such
sessions beside the facilitator's. A phone here loads one small page (`phone.html`, ~23 KB, 8 KB gzipped, no
framework) once, then sends one short JSON request per answer and asks for the state every few seconds
(and when it wakes up). README "Workshop mode" gives the measurements behind the choice.

The routes are mounted beside Streamlit's own by `server.py` (`st.App(routes=…)`), so `scripts/app.sh`
starts one server for both. Every request is read with a size limit, parsed strictly, and answered with
a coded refusal in the participant's language; the participant's token travels only in an HttpOnly
cookie, and a phone sees the workshop's open question and its own answers, nothing else of the project.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from anyio import CapacityLimiter, to_thread
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from policy_engine import incidents
from policy_engine.i18n import LANGS, strings, t
from policy_engine.method.vocabulary import PARTICIPANT_ROLES, QUESTION_KINDS
from policy_engine.store.database import AccessDenied, Invalid, NotFound, Store, StoreError
from policy_engine.store.workshops import CodeThrottled, NotParticipant, WorkshopStore, idea_item
from policy_engine.workshop.model import COMMENT_MAX, IDEA_MAX, NAME_ON_PHONE_MAX, POINTS_BUDGET

BODY_MAX = 64 * 1024  # bytes of one request: a whole ballot of 200 items fits many times over
PAGE = Path(__file__).resolve().parent / "phone.html"
COOKIE_PREFIX = "glp_"
log = logging.getLogger(__name__)

_lock = threading.Lock()
_stores: dict[str, WorkshopStore] = {}


def workshops() -> WorkshopStore:
    """One store per server process (its connection pool), opened on the first request."""
    with _lock:
        if "default" not in _stores:
            _stores["default"] = WorkshopStore(Store())
        return _stores["default"]


def use_store(store: WorkshopStore) -> None:
    """Serve from `store` (tests and the benchmark)."""
    with _lock:
        _stores["default"] = store
    _database_lane.cache_clear()


# --- request and response helpers -----------------------------------------------------------------


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get("gl_lang") or ""
    if lang in LANGS:
        return lang
    accept = request.headers.get("accept-language", "")[:200].lower()
    return next((code for code in ("kk", "ru", "en") if code in accept), "ru")


@lru_cache(maxsize=1)
def _database_lane() -> CapacityLimiter:
    return CapacityLimiter(workshops().concurrency)


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


def _cookie_name(link: str) -> str:
    return COOKIE_PREFIX + link[:12].replace("-", "x").replace("_", "y")


class _BadRequest(Exception):
    def __init__(self, code: str, status: int = 400):
        self.code, self.status = code, status


async def _json_body(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise _BadRequest("ws_bad_request", 415)  # a cross-site form cannot send JSON without asking first
    size = 0
    chunks = []
    async for chunk in request.stream():
        size += len(chunk)
        if size > BODY_MAX:
            raise _BadRequest("ws_too_large", 413)
        chunks.append(chunk)
    try:
        data = json.loads(b"".join(chunks).decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _BadRequest("ws_bad_request") from None
    if not isinstance(data, dict):
        raise _BadRequest("ws_bad_request")
    return data


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def _refusal(code: str, lang: str, status: int, **values: Any) -> JSONResponse:
    key = f"issue.{code}"
    message = t(key, lang, **values) if key in strings() else t("issue.ws_bad_request", lang)
    return JSONResponse({"ok": False, "error": code, "message": message}, status_code=status)


async def _answer(request: Request, work) -> Response:
    """Run `work()` (the store's blocking calls) and turn its refusals into coded JSON in the participant's
    language. The calls run in worker threads (`_database_lane`), so the event loop, which also carries the
    facilitator's Streamlit session, stays free meanwhile: one at a time on SQLite, whose write lock a pool of
    threads only fought over (p95 submit 1,349 ms against 381 ms, 150 phones in a burst), a few at once on
    PostgreSQL, where each call mostly waits on the network."""
    lang = _lang(request)
    try:
        return await to_thread.run_sync(work, limiter=_database_lane())
    except CodeThrottled as exc:
        response = _refusal(exc.code, lang, 429, seconds=max(1, round(exc.seconds)))
        response.headers["Retry-After"] = str(max(1, round(exc.seconds)))
        return response
    except Invalid as exc:
        issue = exc.issues[0]
        return JSONResponse(
            {"ok": False, "error": issue.code, "message": issue.text(lang)},
            status_code=409 if issue.code in ("ws_workshop_over", "ws_question_closed") else 400,
        )
    except NotParticipant:
        return _refusal("ws_not_participant", lang, 403)
    except NotFound:
        return _refusal("ws_no_workshop", lang, 404)
    except AccessDenied:
        return _refusal("ws_not_participant", lang, 403)
    except StoreError as exc:
        reference = incidents.record(exc, "workshop request")
        return _refusal("ws_server", lang, 503, incident=reference)


# --- routes -----------------------------------------------------------------------------------------


def _page_strings(lang: str) -> dict[str, str]:
    return (
        {k[3:]: t(k, lang) for k in strings() if k.startswith("ph.")}
        | {f"kind.{k}": t(f"ws.kind.{k}", lang) for k in QUESTION_KINDS}
        | {f"role.{r}": t(f"ws.role.{r}", lang) for r in PARTICIPANT_ROLES}
    )


def _page(request: Request, link: str | None) -> HTMLResponse:
    lang = _lang(request)
    config = {
        "lang": lang,
        "langs": list(LANGS),
        "link": link,
        "roles": list(PARTICIPANT_ROLES),
        "budget": POINTS_BUDGET,
        "idea_max": IDEA_MAX,
        "comment_max": COMMENT_MAX,
        "name_max": NAME_ON_PHONE_MAX,
        "t": _page_strings(lang),
    }
    blob = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    html = _template().replace("__CONFIG__", blob).replace("__LANG__", lang)
    response = HTMLResponse(html, headers=_page_headers())
    response.set_cookie("gl_lang", lang, max_age=365 * 86400, samesite="strict", httponly=True)
    return response


@lru_cache(maxsize=1)
def _template() -> str:
    return PAGE.read_text(encoding="utf-8")


def _page_headers() -> dict[str, str]:
    return {
        "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


async def join_page(request: Request) -> Response:
    """/ws: type the short code."""
    return _page(request, None)


async def phone_page(request: Request) -> Response:
    """/ws/{link}: the workshop's page for a phone (the QR code's address)."""
    return _page(request, request.path_params["link"])


def api(handler: Callable[[Request, dict[str, Any]], Response]):
    """A JSON endpoint: a POST's body read within its limits, then `handler(request, body)` with the store's
    refusals turned into coded JSON in the participant's language (`_answer`)."""

    async def endpoint(request: Request) -> Response:
        data: dict[str, Any] = {}
        if request.method == "POST":
            try:
                data = await _json_body(request)
            except _BadRequest as exc:
                return _refusal(exc.code, _lang(request), exc.status)
        return await _answer(request, lambda: handler(request, data))

    endpoint.__doc__ = handler.__doc__
    return endpoint


def _token(request: Request, link: str) -> str | None:
    return request.cookies.get(_cookie_name(link))


@api
def join_by_code(request: Request, data: dict[str, Any]) -> Response:
    """POST /api/ws/code {code}: the link of the workshop with that code (wrong codes slowed per client)."""
    code = data.get("code")
    if not isinstance(code, str):
        return _refusal("ws_wrong_code", _lang(request), 400)
    return JSONResponse({"ok": True, "link": workshops().link_for_code(code, client=_client(request))})


@api
def join(request: Request, data: dict[str, Any]) -> Response:
    """POST /api/ws/{link}/join {name, role}: become a participant; the token goes into an HttpOnly cookie."""
    link = request.path_params["link"]
    token, workshop = workshops().join(link, name=data.get("name") or "", role=data.get("role") or "other")
    response = JSONResponse({"ok": True})
    response.set_cookie(
        _cookie_name(link),
        token,
        max_age=max(60, int((workshop.expires_at - datetime.now(UTC)).total_seconds())),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return response


@api
def state(request: Request, data: dict[str, Any]) -> Response:
    """GET /api/ws/{link}/state: the open question and the participant's own answers."""
    link, lang = request.path_params["link"], _lang(request)
    view = workshops().phone(_token(request, link), link)
    question = None
    if view.question is not None:
        q = view.question
        items = [{"id": i.id, "name": i.name(lang), "level": i.level} for i in q.items]
        if q.kind == "ideas":
            items = [{"id": idea_item(i.id), "name": i.text, "level": None} for i in view.ideas]
        question = {"id": q.id, "kind": q.kind, "title": q.title, "per_level": q.per_level, "items": items}
    body = {
        "ok": True,
        "workshop": view.workshop,
        "ended": view.ended,
        "name": view.name,
        "role": view.role,
        "question": question,
        "ballots": view.ballots,
        "mine": [{"text": i.text, "status": i.status} for i in view.mine],
    }
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


@api
def ballot(request: Request, data: dict[str, Any]) -> Response:
    """POST /api/ws/{link}/ballot {question, values}: store an answer; it replaces the previous one."""
    link = request.path_params["link"]
    kept = workshops().submit(_token(request, link), link, data.get("question"), data.get("values"))
    return JSONResponse({"ok": True, "kept": kept})


@api
def idea(request: Request, data: dict[str, Any]) -> Response:
    """POST /api/ws/{link}/idea {question, text}: a proposal, shown to the room once the facilitator approves it."""
    link = request.path_params["link"]
    workshops().propose(_token(request, link), link, data.get("question"), data.get("text"))
    return JSONResponse({"ok": True})


async def no_trailing(request: Request) -> Response:
    return RedirectResponse("/ws", status_code=307)


def routes() -> list[Route]:
    """The participants' routes, for `st.App(routes=…)` (server.py) or a bare Starlette app (tests)."""
    return [
        Route("/ws", join_page, methods=["GET"]),
        Route("/ws/", no_trailing, methods=["GET"]),
        Route("/ws/{link}", phone_page, methods=["GET"]),
        Route("/api/ws/code", join_by_code, methods=["POST"]),
        Route("/api/ws/{link}/join", join, methods=["POST"]),
        Route("/api/ws/{link}/state", state, methods=["GET"]),
        Route("/api/ws/{link}/ballot", ballot, methods=["POST"]),
        Route("/api/ws/{link}/idea", idea, methods=["POST"]),
    ]
