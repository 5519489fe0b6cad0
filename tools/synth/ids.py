"""Identifiers and timestamps in the formats CloudTrail writes, drawn from a seeded ``random.Random``."""

from __future__ import annotations

import time
from base64 import b32encode, b64encode
from datetime import UTC, datetime
from random import Random

KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_VARIANT = "89ab"
_MINUTES: dict[int, str] = {}


def seeded(*parts: object) -> Random:
    """A reproducible RNG keyed by ``parts`` (synthetic data, never secrets)."""
    return Random(":".join(map(str, parts)))  # noqa: S311


def uuid4(rng: Random) -> str:
    """A version-4 UUID string from ``rng`` (eventID, requestID of most services)."""
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[rng.getrandbits(2)]}{h[17:20]}-{h[20:]}"


def pick(rng: Random, alphabet: str, n: int) -> str:
    """``n`` characters of ``alphabet``."""
    return "".join(rng.choices(alphabet, k=n))


def b32(rng: Random, n: int) -> str:
    """``n`` (a multiple of 8) characters of the base32 alphabet AWS uses in key ids: A-Z and 2-7."""
    return b32encode(rng.randbytes(n * 5 // 8)).decode()


def b64(rng: Random, n: int) -> str:
    """``n`` (a multiple of 4) base64 characters, like S3's x-amz-id-2 or a session token."""
    return b64encode(rng.randbytes(n * 3 // 4)).decode()


def key_id(rng: Random, prefix: str = "ASIA") -> str:
    """An access key id: AKIA... for long-term keys, ASIA... for session credentials."""
    return prefix + b32(rng, 16)


def unique_id(rng: Random, prefix: str) -> str:
    """An IAM unique id such as AIDA... (user) or AROA... (role), 21 characters."""
    return prefix + pick(rng, KEY_ALPHABET, 17)


def s3_request_id(rng: Random) -> str:
    """The 16-character upper-case request id S3 returns."""
    return b32(rng, 16)


def hex_id(rng: Random, prefix: str, digits: int = 17) -> str:
    """An EC2-style resource id: ``snap-0`` + hex digits."""
    return f"{prefix}-0{rng.getrandbits(4 * (digits - 1)):0{digits - 1}x}"


def token(rng: Random, n: int = 96) -> str:
    """A truncated session-token blob."""
    return "IQoJb3JpZ2luX2Vj" + b64(rng, n)


def iso(t: int) -> str:
    """``YYYY-MM-DDTHH:MM:SSZ`` for epoch seconds ``t`` (cached by minute: called for every event)."""
    minute, second = divmod(t, 60)
    prefix = _MINUTES.get(minute)
    if prefix is None:
        prefix = _MINUTES[minute] = time.strftime("%Y-%m-%dT%H:%M:", time.gmtime(minute * 60))
    return f"{prefix}{second:02d}Z"


def iam_date(t: int) -> str:
    """The date format IAM and STS use in responseElements: ``Mar 13, 2024, 2:14:05 PM``."""
    g = time.gmtime(t)
    hour = g.tm_hour % 12 or 12
    return f"{time.strftime('%b', g)} {g.tm_mday}, {g.tm_year}, {hour}:{g.tm_min:02d}:{g.tm_sec:02d} " + (
        "AM" if g.tm_hour < 12 else "PM"
    )


def epoch(text: str) -> int:
    """Epoch seconds of an ISO-8601 timestamp such as ``2024-03-11T00:00:00Z`` (UTC when no offset)."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def spaced(rng: Random, t: int, n: int, low: int = 0, high: int = 4) -> list[int]:
    """``n`` increasing times from ``t``, ``low``–``high`` seconds apart."""
    times = []
    for _ in range(n):
        times.append(t)
        t += rng.randint(low, high)
    return times
