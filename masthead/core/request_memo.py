"""Remember a value for the length of one request.

Some lookups (which pages are private, the section navigation) are asked for several
times while one page renders. Remembering them per request, never longer, saves the
repeated queries without any risk of serving a stale answer to a later reader.
"""

from collections.abc import Callable
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")
_memo: ContextVar[dict | None] = ContextVar("masthead_request_memo", default=None)


def memoize(key: str, compute: Callable[[], T]) -> T:
    """Return ``compute()``, computed at most once per request for ``key``."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget(key: str) -> None:
    """Drop ``key`` from this request's memo (a value the request itself just changed)."""
    memo = _memo.get()
    if memo is not None:
        memo.pop(key, None)


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
