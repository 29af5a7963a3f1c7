"""Who is acting, in which request, from which address: one context variable per request.

`RequestContextMiddleware` sets it for every request; services and the audit trail read it
with `current()` instead of having a request threaded through their signatures. Outside a
request (commands, tasks, tests) the context is empty unless `acting()` sets one.

The client IP is ``REMOTE_ADDR``, unless that address is one of ``TRUSTED_PROXIES``: then the
nearest address in ``X-Forwarded-For`` that is not itself a trusted proxy. A header sent by
anyone else is ignored, so a client cannot choose the address the audit trail records."""

import ipaddress
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class RequestContext:
    user: object = None
    ip_address: str | None = None
    request_id: str = ""


_EMPTY = RequestContext()
_current: ContextVar[RequestContext] = ContextVar("ontzorg_request_context", default=_EMPTY)


def current() -> RequestContext:
    return _current.get()


@contextmanager
def acting(user=None, *, ip_address: str | None = None, request_id: str = ""):
    """Run a block as `user` (a command, a task, a test)."""
    token = _current.set(RequestContext(user, ip_address, request_id or uuid.uuid4().hex))
    try:
        yield current()
    finally:
        _current.reset(token)


def _networks():
    return [ipaddress.ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXIES]


def _is_trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(meta) -> str | None:
    """The client's address from a request's META, through the trusted proxies only."""
    remote = (meta.get("REMOTE_ADDR") or "").strip() or None
    networks = _networks()
    if remote is None or not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    # Walk from the nearest hop back; the first address not ours is the client.
    for address in reversed([part for part in forwarded if part]):
        if not _is_trusted(address, networks):
            try:
                return str(ipaddress.ip_address(address))
            except ValueError:
                return remote
    return remote


class RequestContextMiddleware:
    """Sets the request context; put it after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        request.client_ip = client_ip(request.META)
        token = _current.set(
            RequestContext(getattr(request, "user", None), request.client_ip, request_id)
        )
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = request_id
        return response
