"""Token usage and cost of conversation models per call (placeholder until metering lands)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.providers import Usage

if TYPE_CHECKING:
    from core.telephony.session import CallSession


async def record_usage(session: CallSession, usage: Sequence[Usage]) -> None:
    """Add ``usage`` to the call's and the tenant's month's totals."""
