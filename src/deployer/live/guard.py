"""The live session's safety rules, independent of the web framework.

Signed cookies (a group cannot pose as another), tokens against cross-site forms, and
a per-client token bucket against floods.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from dataclasses import dataclass

MAX_BODY = 64 * 1024  # bytes of a form: the longest text answer (5 000 characters) fits many times
MAX_FIELDS = 60  # form fields: the longest multiple-choice question has far fewer options


def sign(key: bytes, purpose: str, value: str) -> str:
    """An HMAC of ``value`` for one purpose (a token made for one use is refused for another)."""
    return hmac.new(key, f"{purpose}\n{value}".encode(), hashlib.sha256).hexdigest()[:32]


def signed(key: bytes, purpose: str, value: str) -> str:
    """``value.signature``, for a cookie."""
    return f"{value}.{sign(key, purpose, value)}"


def unsigned(key: bytes, purpose: str, token: str | None) -> str | None:
    """The value of a ``signed`` token, or None when it is missing or forged."""
    if not token or "." not in token:
        return None
    value, _, signature = token.rpartition(".")
    return value if hmac.compare_digest(signature, sign(key, purpose, value)) else None


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison of two secrets."""
    return hmac.compare_digest(given.encode(), expected.encode())


@dataclass
class _Bucket:
    tokens: float
    last: float


class Throttle:
    """A token bucket per client: ``burst`` requests at once, then ``rate`` per second."""

    def __init__(self, rate: float = 20.0, burst: int = 60, max_clients: int = 10_000) -> None:
        self.rate = rate
        self.burst = burst
        self.max_clients = max_clients
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def allow(self, client: str, now: float | None = None) -> bool:
        """Whether this client may make one more request now."""
        now = time.monotonic() if now is None else now
        with self._lock:
            bucket = self._buckets.get(client)
            if bucket is None:
                if len(self._buckets) >= self.max_clients:
                    self._forget_idle(now)
                bucket = self._buckets[client] = _Bucket(float(self.burst), now)
            bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.last) * self.rate)
            bucket.last = now
            if bucket.tokens < 1:
                return False
            bucket.tokens -= 1
            return True

    def _forget_idle(self, now: float) -> None:
        """Drop the clients whose bucket is full again (idle long enough): memory stays bounded."""
        full = self.burst / self.rate
        for client in [c for c, b in self._buckets.items() if now - b.last >= full]:
            del self._buckets[client]
        if len(self._buckets) >= self.max_clients:
            self._buckets.clear()
