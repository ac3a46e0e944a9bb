"""``X-Twilio-Signature`` checks: every Twilio endpoint refuses an unsigned or wrongly signed request.

Twilio signs the URL it requested plus the sorted POST parameters with the account's auth token.
Behind a proxy the URL we see is not the one Twilio used, so the public URL
(``FRONTDESK_PUBLIC_URL``) is tried first and the URL as served (which uvicorn rewrites from
trusted ``X-Forwarded-*`` headers) second.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from litestar import Request
from twilio.request_validator import RequestValidator

SIGNATURE_HEADER = "x-twilio-signature"


def candidate_urls(request: Request, public_url: str) -> list[str]:
    path_and_query = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    urls = [public_url.rstrip("/") + path_and_query, str(request.url)]
    return list(dict.fromkeys(urls))


def is_signed(
    request: Request, params: Mapping[str, str], tokens: Iterable[str | None], public_url: str
) -> bool:
    """True when the signature matches any of the tokens at any of the URLs Twilio may have used."""
    signature = request.headers.get(SIGNATURE_HEADER)
    if not signature:
        return False
    urls = candidate_urls(request, public_url)
    for token in dict.fromkeys(t for t in tokens if t):
        validator = RequestValidator(token)
        if any(validator.validate(url, dict(params), signature) for url in urls):
            return True
    return False
