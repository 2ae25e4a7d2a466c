"""Scripted faults and the request log.

A fault matches a request by method and a regex searched in the path (no ``/api/v3`` prefix, no
query string) and fires for the next ``times`` matching requests. Kinds:

* ``status``          answer ``status`` (e.g. 500/502/503) without doing anything;
* ``write_then_fail`` perform the request, then answer ``status`` anyway (GitHub can create a
  review and still time out, and PyGithub re-POSTs on 5xx: a duplicate unless the client looks);
* ``secondary``       403 with the secondary-rate-limit message and ``retry-after``;
* ``too_many``        429 with the same message (``retry-after`` optional);
* ``drop``            read the request, then close the socket without a response;
* ``delay``           sleep ``seconds`` before answering normally.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

KINDS = {"status", "write_then_fail", "secondary", "too_many", "drop", "delay"}
READ_METHODS = {"GET", "HEAD", "OPTIONS"}


@dataclass
class Fault:
    kind: str
    method: str  # "GET", "POST", ... or "*"
    path: str  # regex, searched in the request path
    times: int = 1
    status: int = 502
    retry_after: int | None = 1
    seconds: float = 0.0
    fired: int = 0  # how many requests this fault has answered

    def matches(self, method: str, path: str) -> bool:
        return (
            self.fired < self.times
            and self.method in ("*", method)
            and re.search(self.path, path) is not None
        )

    @property
    def exhausted(self) -> bool:
        return self.fired >= self.times


class FaultPlan:
    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, kind: str, method: str, path: str, **options) -> Fault:
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; expected one of {sorted(KINDS)}")
        fault = Fault(kind, method.upper(), path, **options)
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        """The first live fault matching this request, counted as fired."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.fired += 1
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()


@dataclass
class RequestRecord:
    method: str
    path: str  # as requested (still percent-encoded), without /api/v3 and without the query
    query: str
    token: str | None
    status: int | None = None  # None when the connection was dropped
    fault: str | None = None

    @property
    def is_write(self) -> bool:
        return self.method not in READ_METHODS


@dataclass
class RequestLog:
    records: list[RequestRecord] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, record: RequestRecord) -> RequestRecord:
        with self._lock:
            self.records.append(record)
        return record

    def snapshot(self) -> list[RequestRecord]:
        with self._lock:
            return list(self.records)

    def clear(self) -> None:
        with self._lock:
            self.records.clear()
