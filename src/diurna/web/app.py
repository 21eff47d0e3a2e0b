"""The HTTP API and dashboard over an event store: ``create_app(Settings(db=...))``.

Read-only by construction: the store is opened read-only with file access disabled, each
request gets its own cursor, and request values reach SQL only as bound parameters.
Every error, ours or the framework's, is answered as
``{"error": {"status": int, "message": str, "parameter": str | null}}``.
"""
from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Iterator, Literal

import duckdb
from fastapi import APIRouter, Depends, FastAPI, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from diurna import __version__
from diurna.analysis import counts as analysis
from diurna.web import queries as q
from diurna.errors import DiurnaError, FilterError, StoreError
from diurna.events.spec import CoderSpec
from diurna.run.watch import WatchPlan, watch_in_background
from diurna.store.query import Filters, parse_codes
from diurna.records import AUX_MODES, PLOVER_TYPES, Article, content_id

STATIC_DIR = Path(__file__).parent / "static"
QUAD_CLASSES = {1: "Verbal cooperation", 2: "Material cooperation",
                3: "Verbal conflict", 4: "Material conflict"}
# The dashboard loads nothing from elsewhere; the browser is told so too.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
log = logging.getLogger("diurna.web.app")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"}


@dataclass(frozen=True)
class Settings:
    db: str
    enable_code: bool = False     # POST /api/code: codes text with the model; off by default
    coder: CoderSpec | None = None   # how POST /api/code builds its Coder (default options if None)
    code_seconds: float = 30.0    # time budget of one POST /api/code
    # Host headers answered (None: any). A server on a loopback address answers only its
    # own names, so a web page cannot reach it through a rebound DNS name.
    allowed_hosts: frozenset[str] | None = None
    watch: WatchPlan | None = None   # `serve --watch`: poll feeds into the store while serving it


class ApiError(DiurnaError):
    """An HTTP error answer: status, message and the parameter at fault."""

    def __init__(self, status: int, message: str, parameter: str | None = None):
        super().__init__(message)
        self.status, self.message, self.parameter = status, message, parameter


# -- response shapes (they are the OpenAPI schema) ------------------------------
class ErrorDetail(BaseModel):
    status: int
    message: str
    parameter: str | None = Field(description="the request parameter at fault, if one is")


class ErrorBody(BaseModel):
    error: ErrorDetail


class Span(BaseModel):
    text: str | None
    start: int | None
    end: int | None


class Entity(BaseModel):
    code: str
    sector: str | None
    entity_text: str | None


class LocatedEntity(Entity):
    start: int | None = Field(description="offset of the argument in the document text, if found")
    end: int | None


class Place(BaseModel):
    name: str | None
    country: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None = Field(None, description="GeoNames id of the city or country")
    province: str | None = Field(None, description="first-level division (admin1), where known")
    resolution: str | None = Field(None, description='"city", "province" or "country"; null if unresolved')


class DocumentRef(BaseModel):
    doc_id: str
    title: str | None
    url: str | None
    published: date | None


class EventLinks(BaseModel):
    event: str
    document: str
    article: str | None = Field(description="the source article's URL, if known")


class CodedEvent(BaseModel):
    """An event in the public record shape, as the coder writes it."""
    id: str
    event: str
    mode: str | None
    context: list[str]
    cameo: str | None
    aux: str | None
    date: date | None
    date_precision: str | None
    trigger: Span
    sentence: Span
    actor: list[Entity]
    recipient: list[Entity]
    event_loc: Place | None
    confidence: float | None
    quad_class: int | None
    score: float | None


class StoredEvent(CodedEvent):
    doc_id: str
    document: DocumentRef
    links: EventLinks


class ActorMention(BaseModel):
    start: int
    end: int
    text: str | None
    code: str | None
    sector: str | None = None
    name: str | None = None
    office: str | None = None
    wikidata: str | None = None


class Evidence(BaseModel):
    sentence: Span
    trigger: Span
    actor: list[LocatedEntity]
    recipient: list[LocatedEntity]
    mentions: list[ActorMention] = Field(description="actor mentions inside the sentence")


class EventDetail(StoredEvent):
    evidence: Evidence


class EventPage(BaseModel):
    events: list[StoredEvent]
    total: int = Field(description="events matching the filters, over all pages")
    limit: int
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last")


class DocumentOut(BaseModel):
    doc_id: str
    title: str | None
    url: str | None
    published: date | None
    source: str | None
    notes: list[str]
    text: str
    actors: list[ActorMention]
    events: list[EventDetail]


class Counts(BaseModel):
    documents: int
    events: int
    actor_mentions: int


class Health(BaseModel):
    status: str
    version: str
    counts: Counts
    code_enabled: bool


class Meta(BaseModel):
    event_types: list[str]
    quad_classes: dict[int, str]
    aux_modes: list[str]
    first_date: date | None
    last_date: date | None


class CodeRequest(BaseModel):
    text: str = Field(min_length=1, max_length=200_000)
    published: date | None = None
    title: str | None = None
    url: str | None = None
    doc_id: str | None = Field(default=None, max_length=500)


class CodedDocumentOut(BaseModel):
    doc_id: str
    published: date | None
    url: str | None
    title: str | None
    text: str
    actors: list[ActorMention]
    events: list[CodedEvent]
    notes: list[str]


ERROR_MEANINGS = {
    403: "Coding is not enabled on this server",
    404: "No such event or document; `parameter` names the id",
    422: "A parameter is invalid; `parameter` names it and `message` says why",
    500: "Internal error",
    503: "The store is not ready for counting (not indexed); `message` says what to run",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error answers an endpoint can give, all in the ErrorBody shape."""
    return {status: {"model": ErrorBody, "description": ERROR_MEANINGS[status]}
            for status in (*statuses, 500)}


# -- app ----------------------------------------------------------------------
def open_store(path: str, writable: bool = False) -> duckdb.DuckDBPyConnection:
    """Read-only, with file access off; or, for `serve --watch`, as the store's writer opens
    it (one database in this process, shared by the watch thread and the requests)."""
    if not Path(path).is_file():
        raise StoreError(f"{path}: no event store here; create one with `diurna code … --db {path}`")
    try:
        if writable:
            return duckdb.connect(path)
        return duckdb.connect(path, read_only=True, config={"enable_external_access": False})
    except duckdb.Error as exc:
        raise StoreError(f"{path}: cannot open the event store{'' if writable else ' read-only'} ({exc})") from None


def create_app(settings: Settings) -> FastAPI:
    con = open_store(settings.db, writable=settings.watch is not None)

    @asynccontextmanager
    async def lifespan(app):
        if app.state.coding is not None:
            app.state.coding.start()
        stop, watcher = threading.Event(), None
        if settings.watch is not None:
            watcher = watch_in_background(settings.db, settings.watch, stop, log.warning)
        yield
        stop.set()
        if watcher is not None:
            watcher.join(timeout=30)
        if app.state.coding is not None:
            app.state.coding.close()
        con.close()

    app = FastAPI(title="Diurna", version=__version__, lifespan=lifespan,
                  description="Read-only JSON API over a Diurna PLOVER event store.",
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None)
    app.state.con, app.state.settings = con, settings
    app.state.coding = None
    if settings.enable_code:
        # the coding worker's modules only with --enable-code
        from diurna.settings import DEFAULT_MODEL
        from diurna.web.coding import CodingService

        app.state.coding = CodingService(settings.coder or CoderSpec(DEFAULT_MODEL), settings.code_seconds)
    _install_error_handlers(app)
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    if settings.allowed_hosts is not None:
        app.add_middleware(HostCheck, allowed=settings.allowed_hosts)
    app.include_router(router)
    app.include_router(aggregates)
    _install_dashboard(app)
    return app


def _install_dashboard(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def dashboard():
        return FileResponse(STATIC_DIR / "index.html")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response


def _error(status: int, message: str, parameter: str | None = None, headers=None) -> JSONResponse:
    """Every error answer, 500s included (which pass no middleware), in one shape with the
    security headers."""
    body = {"error": {"status": status, "message": message, "parameter": parameter}}
    return JSONResponse(body, status_code=status, headers={**SECURITY_HEADERS, **(headers or {})})


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request, exc: ApiError):
        return _error(exc.status, exc.message, exc.parameter)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request, exc: RequestValidationError):
        return _error(422, *_describe_validation(list(exc.errors())))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request, exc: StarletteHTTPException):
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"{request.url.path}: no such page or endpoint"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        return _error(exc.status_code, message, headers=exc.headers)   # keeps 405's Allow

    @app.exception_handler(duckdb.Error)
    async def store_unreadable(request, exc: duckdb.Error):
        log.error("store error on %s: %s", request.url.path, exc)
        return _error(503, f"the event store cannot be read ({type(exc).__name__}); the server log has "
                           "the details")

    @app.exception_handler(DiurnaError)
    async def store_not_ready(request, exc: DiurnaError):
        # e.g. a store not yet indexed for analysis: the operator must act, not the client
        return _error(503, str(exc))

    @app.exception_handler(Exception)
    async def crash(request, exc: Exception):
        log.exception("unhandled error on %s", request.url.path)
        return _error(500, "internal error; the server log has the details")


LOCATIONS = ("query", "path", "body", "header", "cookie")


def _describe_validation(errors: list[dict]) -> tuple[str, str | None]:
    """The first validation problem as (message naming the parameter, parameter)."""
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    loc = tuple(first.get("loc", ()))
    kind, rest = (loc[0], loc[1:]) if loc and loc[0] in LOCATIONS else (None, loc)
    if first.get("type") == "json_invalid":
        return "body: is not valid JSON", "body"
    parameter = next((p for p in rest if isinstance(p, str)), "body" if kind == "body" else None)
    message = str(first.get("msg", "invalid value"))
    given = first.get("input")
    if isinstance(given, (str, int, float)) and first.get("type") != "missing":
        message += f" (got {str(given)[:80]!r})"
    where = ".".join(str(p) for p in rest) or parameter or "request"
    return f"{where}: {message}", parameter


# -- request plumbing -----------------------------------------------------------
def store_cursor(request: Request) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of its own for each request: DuckDB connections are not shared across threads."""
    cursor = request.app.state.con.cursor()
    try:
        yield cursor
    finally:
        cursor.close()


CODES = "comma-separated codes, e.g. USA,CHN"
UNDATED = "; in counts an event without a date of its own takes its article's date"


class FilterQuery:
    """The CLI's event filters as query parameters."""

    def __init__(
        self,
        since: date | None = Query(None, description=f"events on or after this date (YYYY-MM-DD){UNDATED}"),
        until: date | None = Query(None, description=f"events on or before this date (YYYY-MM-DD){UNDATED}"),
        actor: str | None = Query(None, max_length=1000, description=f"actor code(s): {CODES}"),
        recipient: str | None = Query(None, max_length=1000, description=f"recipient code(s): {CODES}"),
        sector: str | None = Query(None, max_length=1000,
                                   description="sector(s) on either side, e.g. GOV,MIL"),
        event: str | None = Query(None, max_length=1000, description="PLOVER type(s), e.g. ASSAULT,COERCE"),
        quad: str | None = Query(None, max_length=20, description="quad class(es) 1-4, e.g. 3,4"),
        aux: str | None = Query(None, max_length=200, description="auxiliary modes to keep, from "
                                "none,future,hypothetical,negation,historical"),
        include_uncertain: bool | None = Query(
            None, description="keep future, hypothetical and negated events (default: yes for "
                              "/api/events, no for counts, as in the CLI); ignored when aux is given"),
        doc_id: str | None = Query(None, max_length=500, description="only events of this document"),
    ):
        self.values: dict[str, Any] = dict(since=since, until=until, actor=actor, recipient=recipient, sector=sector,
                           event=event, quad=quad, aux=aux, include_uncertain=include_uncertain,
                           doc_id=doc_id)

    def filters(self) -> Filters:
        """None for include_uncertain leaves it to Filters' own default for a listing or a count."""
        v = self.values
        try:
            return Filters.parse(
                since=v["since"], until=v["until"], actor=v["actor"], recipient=v["recipient"],
                sector=v["sector"], event=v["event"], quad=v["quad"], aux=v["aux"],
                include_uncertain=v["include_uncertain"], doc_id=v["doc_id"])
        except FilterError as exc:
            raise filter_error(exc) from None


def filter_error(exc: FilterError) -> ApiError:
    """A bad filter value: 422, naming the request parameter that carries it."""
    parameter = {"timeline": "actors"}.get(exc.field, exc.field)
    return ApiError(422, str(exc), parameter if parameter in PARAMETERS else None)


PARAMETERS = ("since", "until", "actor", "recipient", "sector", "event", "quad", "aux",
              "include_uncertain", "doc_id", "by", "actors", "top")


# -- events and documents -------------------------------------------------------
router = APIRouter(prefix="/api")


@router.get("/health", response_model=Health, responses=errors(),
            summary="Is the server up, and what does the store hold")
def health(request: Request, cur=Depends(store_cursor)):
    summary = q.store_summary(cur)
    return {"status": "ok", "version": __version__, "counts": summary["counts"],
            "code_enabled": request.app.state.settings.enable_code}


@router.get("/meta", response_model=Meta, responses=errors(),
            summary="Filter choices: event types, quad classes, date range")
def meta(cur=Depends(store_cursor)):
    summary = q.store_summary(cur)
    return {"event_types": list(PLOVER_TYPES), "quad_classes": QUAD_CLASSES,
            "aux_modes": ["none", *AUX_MODES],
            "first_date": summary["first_date"], "last_date": summary["last_date"]}


@router.get("/events", response_model=EventPage, responses=errors(422),
            summary="Events matching the filters, newest first")
def list_events(
    fq: FilterQuery = Depends(),
    located: bool = Query(False, description="only events with coordinates"),
    limit: int = Query(50, ge=1, le=500, description="events per page"),
    cursor: str | None = Query(None, max_length=400, description="next_cursor from the previous page"),
    cur=Depends(store_cursor),
):
    """Ordered by date (newest first, undated last) then event id, so pages never skip or repeat."""
    try:
        after = q.Cursor.decode(cursor) if cursor else None
    except q.BadCursor as exc:
        raise ApiError(422, f"cursor: {exc}", "cursor") from None
    return q.event_page(cur, fq.filters(), limit, after, located)


@router.get("/events/{event_id:path}", response_model=EventDetail, responses=errors(404, 422),
            summary="One event with its evidence sentence, argument spans and links")
def get_event(event_id: str = PathParam(max_length=200), cur=Depends(store_cursor)):
    record = q.one_event(cur, event_id)
    if record is None:
        raise ApiError(404, f"event_id: no event {event_id!r} in this store", "event_id")
    return record


@router.get("/documents/{doc_id:path}", response_model=DocumentOut, responses=errors(404, 422),
            summary="A document's text with its actor mentions and events, spans located")
def get_document(doc_id: str = PathParam(max_length=500), cur=Depends(store_cursor)):
    doc = q.document(cur, doc_id)
    if doc is None:
        raise ApiError(404, f"doc_id: no document {doc_id!r} in this store", "doc_id")
    return doc


def coding_enabled(request: Request) -> None:
    """Refuse before the body is read: a disabled endpoint says so whatever was posted."""
    if not request.app.state.settings.enable_code:
        raise ApiError(403, "POST /api/code is off; start the server with `diurna serve --enable-code`")


@router.post("/code", response_model=CodedDocumentOut, dependencies=[Depends(coding_enabled)],
             responses=errors(403, 422),
             summary="Code posted text into events (needs `diurna serve --enable-code`); stores nothing")
def code_text(body: CodeRequest, request: Request):
    if not body.text.strip():
        raise ApiError(422, "text: is blank; post the article text to code", "text")
    # imported with the service, only with --enable-code
    from diurna.web.coding import Busy, TooSlow

    article = Article(body.doc_id or content_id(body.text), body.text,
                      body.published.isoformat() if body.published else None, body.url, body.title)
    try:
        return request.app.state.coding.code(article)
    except Busy as exc:
        raise ApiError(503, str(exc)) from None
    except TooSlow as exc:
        raise ApiError(422, f"text: {exc}", "text") from None


MAX_BODY_BYTES = 1 << 20       # a posted article: text up to 200,000 characters, and its fields


class BodyLimit:
    """413 for a request body over the limit, counted as it arrives (chunked or not), so
    a huge post is never read whole."""

    def __init__(self, app: Any, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _send_error(send, 413, f"request body over {self.limit:,} bytes")
            return
        if scope.get("method") in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        # read the body up to the limit here (it is small), then hand it on whole
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            size += len(message.get("body", b""))
            if size > self.limit:
                await _send_error(send, 413, f"request body over {self.limit:,} bytes")
                return
            if message["type"] != "http.request" or not message.get("more_body"):
                break

        async def replay() -> dict:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


class HostCheck:
    """421 for a Host header the server does not answer to (DNS rebinding)."""

    def __init__(self, app: Any, allowed: frozenset[str]):
        self.app, self.allowed = app, allowed

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name.lower() not in self.allowed:
                await _send_error(send, 421, f"this server answers to {', '.join(sorted(self.allowed))}, "
                                             f"not to {host or 'no Host header'}")
                return
        await self.app(scope, receive, send)


async def _send_error(send: Any, status: int, message: str) -> None:
    response = _error(status, message)
    await send({"type": "http.response.start", "status": status, "headers": response.raw_headers})
    await send({"type": "http.response.body", "body": response.body})


# -- counts: actors, dyads, timeline, network --------------------------------------
aggregates = APIRouter(prefix="/api", responses=errors(422, 503))
Period = Literal["day", "week", "month", "year"]
DEDUP = Query(True, description="count each real-world event once and leave out near-duplicate "
                                "articles (see diurna.store.dedup)")


class ActorCount(BaseModel):
    actor: str
    events: int = Field(description="counted events with this actor on either side")
    as_actor: int
    as_recipient: int
    mean_score: float | None
    top_partners: str | None = Field(description="most frequent counterparts, e.g. 'UKR 3, DEU 1'")


class ActorsOut(BaseModel):
    actors: list[ActorCount]


class QuadCounts(BaseModel):
    quad1: int = Field(description="verbal cooperation")
    quad2: int = Field(description="material cooperation")
    quad3: int = Field(description="verbal conflict")
    quad4: int = Field(description="material conflict")


class Dyad(QuadCounts):
    period: date | None = Field(description="first day of the period; null when by=all")
    actor: str
    recipient: str
    events: int
    mean_score: float | None


class DyadsOut(BaseModel):
    by: Literal["day", "week", "month", "year", "all"]
    dyads: list[Dyad]


class TimelinePeriod(QuadCounts):
    period: date = Field(description="first day of the period")
    events: int
    mean_score: float | None = Field(description="mean cooperation (+) / conflict (−) score, −10..10")
    as_actor: int | None = Field(default=None, description="with actors: events where the first acts")
    as_recipient: int | None = Field(default=None,
                                     description="with actors: events where the first is the target")


class TimelineOut(BaseModel):
    by: Period
    actors: list[str] = Field(description="the actor or pair followed; empty for all events")
    periods: list[TimelinePeriod] = Field(description="every period from first to last, empty ones too")
    undated: int = Field(description="counted events with no date at all, left out of the periods")
    total: int


class NetworkNode(BaseModel):
    id: str = Field(description="actor code")
    events: int
    as_actor: int | None = None
    as_recipient: int | None = None


class NetworkLink(QuadCounts):
    source: str = Field(description="actor code")
    target: str = Field(description="recipient code")
    weight: int = Field(description="events from source to target")
    mean_score: float | None
    types: dict[str, int] = Field(description="events by PLOVER type")


class NetworkOut(BaseModel):
    directed: bool
    nodes: list[NetworkNode]
    links: list[NetworkLink]


class MapPlace(QuadCounts):
    names: list[str] = Field(description="the place names the texts gave this point, e.g. ['Kiev', 'Kyiv']")
    country: str | None = Field(description="ISO 3166-1 alpha-3 code")
    country_numeric: str | None = Field(description="ISO 3166-1 numeric code, the id of the map's "
                                                    "country shapes")
    lat: float | None = Field(description="null when only the country is known")
    lon: float | None
    events: int
    mean_score: float | None
    latest_event: str = Field(description="id of the newest event here")


class PlacesOut(BaseModel):
    places: list[MapPlace] = Field(description="the busiest places first")
    total: int = Field(description="counted events matching the filters")
    unplaced: int = Field(description="of those, events with neither coordinates nor a country")


def _counted(call):
    """Run a count query, turning its parameter complaints into 422s."""
    try:
        return call()
    except FilterError as exc:
        raise filter_error(exc) from None


def _count_filters(fq: FilterQuery, dedup: bool) -> Filters:
    return replace(fq.filters(), dedup=dedup)


@aggregates.get("/actors", response_model=ActorsOut, summary="The most active actors")
def actors(fq: FilterQuery = Depends(), top: int = Query(15, ge=1, le=500), dedup: bool = DEDUP,
           cur=Depends(store_cursor)):
    f = _count_filters(fq, dedup)
    return {"actors": _counted(lambda: q.records(analysis.top_actors(cur, f, top=top)))}


@aggregates.get("/dyads", response_model=DyadsOut, summary="Actor→recipient pairs per period")
def dyads(fq: FilterQuery = Depends(),
          by: Literal["day", "week", "month", "year", "all"] = Query("month", description="period, or all"),
          dedup: bool = DEDUP, cur=Depends(store_cursor)):
    f = _count_filters(fq, dedup)
    return {"by": by, "dyads": _counted(lambda: q.records(analysis.dyads(cur, f, by=by)))}


@aggregates.get("/timeline", response_model=TimelineOut,
                summary="Counted events per period: by quad class, with the mean score")
def timeline(fq: FilterQuery = Depends(), by: Period = Query("month"),
             actors: str | None = Query(None, max_length=100,
                                        description="one actor code, or two for a pair (A,B); "
                                                    "leave out for all events"),
             dedup: bool = DEDUP, cur=Depends(store_cursor)):
    f = _count_filters(fq, dedup)
    codes = list(parse_codes(actors))
    if len(codes) > 2:
        raise ApiError(422, "actors: give one actor code or two (a pair)", "actors")
    if codes:
        return _counted(lambda: q.actor_timeline(cur, f, codes, by))
    return _counted(lambda: q.overall_timeline(cur, f, by))


@aggregates.get("/network", response_model=NetworkOut,
                summary="Node-link JSON of the busiest actors and the links between them")
def network(fq: FilterQuery = Depends(), top: int = Query(20, ge=1, le=500, description="actors kept"),
            dedup: bool = DEDUP, cur=Depends(store_cursor)):
    f = _count_filters(fq, dedup)
    return _counted(lambda: q.network_links(cur, f, top))


@aggregates.get("/places", response_model=PlacesOut,
                summary="Counted events by place, for the map: counts by quad class and the newest event")
def places(fq: FilterQuery = Depends(), top: int = Query(500, ge=1, le=5000, description="places kept"),
           dedup: bool = DEDUP, cur=Depends(store_cursor)):
    f = _count_filters(fq, dedup)
    return _counted(lambda: q.map_places(cur, f, top))
