"""Safe retries for POST: the first response to an Idempotency-Key is stored and replayed.

1. The key row is inserted in the same transaction as the write. A concurrent request with the
   same key waits on the unique index until the first commits, then finds its row and replays it
   (on PostgreSQL; SQLite serialises writers anyway). So two identical requests create one object.
2. A retry with the same key and the same body gets the stored status and body back.
3. The same key with another body, path or method is refused with 422.
4. Server errors are not stored: the transaction rolls back and the key can be used again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
REDACTED_MARK = "__redacted__"


def _fingerprint(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, cls=JSONEncoder, default=str)
    raw = f"{request.method} {request.path}\n{body}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _replay(stored: IdempotencyKey, fingerprint: str) -> Response:
    if stored.fingerprint != fingerprint:
        return Response(
            {"detail": _("This Idempotency-Key was already used for a different request.")},
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    body = stored.body
    if isinstance(body, dict) and body.get(REDACTED_MARK):
        # The first answer carried a secret that is never stored: say so rather than answer
        # "201" without the field the schema promises.
        previous = {name: value for name, value in body.items() if name != REDACTED_MARK}
        return Response(
            {
                "detail": _(
                    "This request already succeeded and its secret was shown only once. "
                    "Revoke what it created and make a new one if the secret was lost."
                ),
                "previous": previous,
            },
            status=status.HTTP_409_CONFLICT,
            headers={"Idempotent-Replayed": "true"},
        )
    return Response(body, status=stored.status_code, headers={"Idempotent-Replayed": "true"})


def _run(
    view: Any, request: Request, key: str, call: Callable[[], Response], redact: tuple[str, ...]
) -> Response:
    fingerprint = _fingerprint(request)
    stored = IdempotencyKey.objects.filter(user=request.user, key=key).first()
    if stored is not None:
        return _replay(stored, fingerprint)
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    user=request.user,
                    key=key,
                    fingerprint=fingerprint,
                    method=request.method,
                    path=request.path[:500],
                    status_code=status.HTTP_102_PROCESSING,
                )
        except IntegrityError:
            # Another request with this key committed while we waited on the unique index.
            return _replay(IdempotencyKey.objects.get(user=request.user, key=key), fingerprint)
        try:
            response = call()
        except Exception as exc:  # an API error is a response worth replaying
            response = view.handle_exception(exc)
        if response.status_code >= 500:
            transaction.set_rollback(True)
            return response
        row.status_code = response.status_code
        body = json.loads(json.dumps(response.data, cls=JSONEncoder))
        if isinstance(body, dict) and redact and response.status_code < 300:
            body = {name: value for name, value in body.items() if name not in redact}
            body[REDACTED_MARK] = True
        row.body = body
        row.save(update_fields=["status_code", "body"])
    return response


def idempotent(
    method: Callable[..., Response] | None = None, *, redact: tuple[str, ...] = ()
) -> Any:
    """Decorate a POST handler of an APIView so it honours the Idempotency-Key header.

    `redact` names response fields never stored (a token's secret): a replay of such a success
    answers 409 with the rest of the first answer under `previous`.
    Views using it set `idempotent_posts = True` so the schema documents the header.
    """

    def decorate(method: Callable[..., Response]) -> Callable[..., Response]:
        @wraps(method)
        def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
            key = request.headers.get(HEADER, "").strip()
            if not key or not request.user.is_authenticated:
                return method(view, request, *args, **kwargs)
            if len(key) > MAX_KEY_LENGTH:
                return Response(
                    {HEADER: [_("At most %(n)d characters.") % {"n": MAX_KEY_LENGTH}]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            call = lambda: method(view, request, *args, **kwargs)  # noqa: E731
            return _run(view, request, key, call, redact)

        return wrapper

    return decorate(method) if method is not None else decorate
