"""HTTP mechanics: parse a request, apply faults, authenticate, rate-limit, route, answer.

Everything endpoint-specific lives in ``routes.py``; this module only knows what every GitHub
response has in common (headers, error bodies, the ``/api/v3`` prefix of GitHub Enterprise, the
``/repositories/{id}`` form of repository URLs that GitHub puts in ``Link`` headers).
"""

from __future__ import annotations

import itertools
import json
import re
import socket
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from .faults import READ_METHODS, Fault, FaultPlan, RequestLog, RequestRecord
from .payloads import Urls
from .state import ApiError, Repo, State, Token

API_VERSION = "2022-11-28"
DOCS = "https://docs.github.com/rest"
RATE_LIMIT_DOCS = f"{DOCS}/overview/rate-limits-for-the-rest-api"
SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID {request_id}."
)
PLACEHOLDERS = {
    "owner": "[^/]+",
    "repo": "[^/]+",
    "number": r"\d+",
    "id": r"\d+",
    "reaction_id": r"\d+",
    "user": "[^/]+",
    "sha": "[^/]+",
    "ref": "[^/]+",
    "path": ".*",
    "name": "[^/]+",
    "basehead": "[^/]+",
}


@dataclass
class Reply:
    status: int
    body: Any = None  # JSON-able, bytes (sent as is) or None (no body)
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"


@dataclass
class Route:
    method: str
    template: str  # e.g. "/repos/{owner}/{repo}/pulls/{number}"
    handler: Any  # (Call) -> Reply
    doc: str  # docs path after https://docs.github.com/rest/
    permission: str = ""  # what x-accepted-github-permissions names

    def __post_init__(self) -> None:
        pattern = re.sub(r"\{(\w+)\}", lambda m: f"(?P<{m[1]}>{PLACEHOLDERS[m[1]]})", self.template)
        self.regex = re.compile(f"^{pattern}$")


@dataclass
class Call:
    """One routed request, as handlers see it."""

    state: State
    route: Route
    method: str
    path: str  # without prefix and query, /repositories/{id} rewritten to /repos/{o}/{r}
    query: str
    params: dict[str, str]  # path parameters, percent-decoded
    headers: Any
    body: Any
    token: Token
    urls: Urls

    def arg(self, name: str, default: str | None = None) -> str | None:
        return dict(parse_qsl(self.query)).get(name, default)

    def repo(self) -> Repo:
        return self.state.repo(f"{self.params['owner']}/{self.params['repo']}")

    def paginate(self, items: list, render) -> Reply:
        """One page of ``items`` with GitHub's ``Link`` header (30 per page by default)."""
        per_page = _int(self.arg("per_page"), 30, 1, 100)
        page = _int(self.arg("page"), 1, 1, 10**6)
        last = max((len(items) + per_page - 1) // per_page, 1)
        chunk = items[(page - 1) * per_page : page * per_page]
        rels = []  # GitHub's order: prev, next, last, first
        if page > 1:
            rels.append(("prev", page - 1))
        if page < last:
            rels += [("next", page + 1), ("last", last)]
        if page > 1:
            rels.append(("first", 1))
        headers = {"Link": ", ".join(f'<{self._page_url(n)}>; rel="{rel}"' for rel, n in rels)}
        return Reply(200, [render(item) for item in chunk], headers if rels else {})

    def _page_url(self, page: int) -> str:
        # GitHub links through /repositories/{id}/..., keeping the client's own parameters
        rest = self.path.split("/", 4)[4] if self.path.count("/") >= 4 else ""
        pairs = parse_qsl(self.query, keep_blank_values=True)
        if any(k == "page" for k, _ in pairs):
            pairs = [(k, str(page) if k == "page" else v) for k, v in pairs]
        else:
            pairs.append(("page", str(page)))
        return f"{self.urls.api}/repositories/{self.repo().id}/{rest}?{urlencode(pairs)}"


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(value), low), high) if value is not None else default
    except ValueError:
        return default


def error_reply(
    status: int, body: dict, doc: str = "", headers: dict | None = None, doc_url: str | None = None
) -> Reply:
    body = dict(body)
    body.setdefault("documentation_url", doc_url or (f"{DOCS}/{doc}" if doc else DOCS))
    body["status"] = str(status)  # modern GitHub repeats the status as a string
    return Reply(status, body, dict(headers or {}))


class Dispatcher:
    """Turns a parsed request into a Reply. Shared by all handler threads."""

    def __init__(
        self, state: State, routes: list[Route], faults: FaultPlan, log: RequestLog
    ) -> None:
        self.state, self.routes, self.faults, self.log = state, routes, faults, log
        self._request_ids = itertools.count(1)

    def request_id(self) -> str:
        n = next(self._request_ids)
        return f"{n:04X}:{n * 7:06X}:{n * 13:07X}:{n * 17:07X}:{int(time.time()):08X}"

    def respond(
        self,
        method: str,
        path: str,
        query: str,
        headers,
        raw: bytes,
        base: str,
        prefix: str,
        token: Token | None,
    ) -> Reply:
        urls = Urls(base + prefix, base)
        if token is None:
            return error_reply(401, {"message": "Bad credentials"})
        with self.state.lock:
            if path != "/rate_limit":  # the one endpoint that costs no primary quota
                if token.remaining == 0:
                    return self.primary_limit(token)
                token.spend()
            path = self.normalize(path)
            if path is None:
                return error_reply(404, {"message": "Not Found"})
            route, params = self.match(method, path)
        if route is None:
            return error_reply(404, {"message": "Not Found"})
        if method not in READ_METHODS and not token.write:
            return error_reply(
                403,
                {"message": "Resource not accessible by integration"},
                route.doc,
                {"x-accepted-github-permissions": route.permission},
            )
        try:
            body = json.loads(raw) if raw.strip() else None
        except ValueError:
            return error_reply(400, {"message": "Problems parsing JSON"}, route.doc)
        call = Call(self.state, route, method, path, query, params, headers, body, token, urls)
        try:
            with self.state.lock:
                reply = route.handler(call)
        except ApiError as err:
            return error_reply(err.status, err.body, route.doc, err.headers)
        if route.permission:
            reply.headers.setdefault("x-accepted-github-permissions", route.permission)
        return reply

    def normalize(self, path: str) -> str | None:
        match = re.match(r"^/repositories/(\d+)(/.*)?$", path)
        if not match:
            return path
        repo = self.state.repo_by_id(int(match[1]))
        return f"/repos/{repo.full_name}{match[2] or ''}" if repo else None

    def match(self, method: str, path: str) -> tuple[Route | None, dict]:
        method = "GET" if method == "HEAD" else method
        for route in self.routes:
            if route.method == method and (m := route.regex.match(path)):
                return route, {k: unquote(v) for k, v in m.groupdict().items()}
        return None, {}

    def primary_limit(self, token: Token) -> Reply:
        who = "installation" if token.installation else "user"
        message = f"API rate limit exceeded for {who} ID {token.user.id}."
        return error_reply(403, {"message": message}, doc_url=RATE_LIMIT_DOCS)

    def fault_reply(self, fault: Fault, request_id: str) -> Reply:
        if fault.kind in ("status", "write_then_fail"):
            return Reply(fault.status, {"error": "Server Error"})  # as recorded for 500/502
        status = 403 if fault.kind == "secondary" else 429
        headers = {"retry-after": str(fault.retry_after)} if fault.retry_after is not None else {}
        body = {"message": SECONDARY_MESSAGE.format(request_id=request_id)}
        return error_reply(
            status, body, headers=headers, doc_url=f"{RATE_LIMIT_DOCS}#about-secondary-rate-limits"
        )


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like api.github.com
    server_version, sys_version = "github.com", ""
    dispatcher: Dispatcher  # set on the subclass built by make_server

    def setup(self) -> None:
        super().setup()
        # headers and body go out as two writes; without this, Nagle + delayed ACK add 40 ms
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self.handle_any()

    do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = do_GET

    def log_message(self, format: str, *args) -> None:
        pass  # keep test output quiet; the RequestLog records everything

    def handle_any(self) -> None:
        d = self.dispatcher
        split = urlsplit(self.path)
        prefix = "/api/v3" if split.path.startswith("/api/v3/") else ""
        path = split.path[len(prefix) :]
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        token_value = self.bearer()
        token = d.state.tokens.get(token_value) if token_value else None
        record = d.log.add(RequestRecord(self.command, path, split.query, token_value))
        request_id = d.request_id()
        fault = d.faults.take(self.command, path)
        if fault is not None:
            record.fault = fault.kind
            if fault.kind == "drop":  # no status line at all: the client sees a reset
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if fault.kind == "delay":
                time.sleep(fault.seconds)
        base = f"http://{self.server.server_address[0]}:{self.server.server_address[1]}"
        if fault is not None and fault.kind in ("status", "secondary", "too_many"):
            reply = d.fault_reply(fault, request_id)
        else:
            reply = d.respond(
                self.command, path, split.query, self.headers, raw, base, prefix, token
            )
            if fault is not None and fault.kind == "write_then_fail":
                reply = d.fault_reply(fault, request_id)  # the write happened; the answer lies
        record.status = reply.status
        self.send(reply, token, request_id)

    def bearer(self) -> str | None:
        header = self.headers.get("Authorization") or ""
        scheme, _, value = header.partition(" ")
        return value.strip() if scheme.lower() in ("token", "bearer") and value else None

    def send(self, reply: Reply, token: Token | None, request_id: str) -> None:
        if reply.body is None:
            data = b""
        elif isinstance(reply.body, bytes):
            data = reply.body
        else:
            data = json.dumps(reply.body).encode()
        limit, remaining, used, reset = (
            (token.limit, token.remaining, token.used, token.reset)
            if token
            else (60, 60, 0, int(time.time()) + 3600)
        )
        headers = {
            "Content-Type": reply.content_type,
            "x-github-api-version-selected": API_VERSION,
            "X-GitHub-Media-Type": "github.v3; format=json",
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(reset),
            "X-RateLimit-Used": str(used),
            "X-RateLimit-Resource": "core",
            "X-GitHub-Request-Id": request_id,
        } | reply.headers
        try:
            self.send_response(reply.status)
            for name, value in headers.items():
                if reply.status != 204 or name.lower() != "content-type":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # client gave up (e.g. after a delay)
            self.close_connection = True


def make_server(dispatcher: Dispatcher, host: str = "127.0.0.1", port: int = 0):
    handler = type("LoopbackHandler", (Handler,), {"dispatcher": dispatcher})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server
