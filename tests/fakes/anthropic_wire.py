"""Anthropic's Messages endpoint on an ``httpx2.MockTransport``, in its real wire format.

``POST /v1/messages`` with ``stream: true`` answers ``text/event-stream`` with named events:
``message_start`` (the message, its input token count), per content block ``content_block_start``,
``content_block_delta`` (``text_delta`` text, or ``input_json_delta`` pieces of a ``tool_use``
block's JSON input) and ``content_block_stop``, ``ping`` now and then, ``message_delta`` (the
``stop_reason`` and output token count) and ``message_stop``. Without ``stream`` it answers one
``message`` object. Errors are ``{"type": "error", "error": {"type", "message"}}``, 529 when
overloaded; a stream that fails part-way sends an ``error`` event.
See ``tests/fakes/scripted_wire.py`` for scripting.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx2 as httpx

from tests.fakes.scripted_wire import BreakOff, CallTools, Hang, Say, ScriptedVendor, Step


def _event(name: str, payload: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps({'type': name, **payload})}\n\n"


@dataclass
class FakeAnthropic(ScriptedVendor):
    path: str = "/v1/messages"

    def system_of(self, body: dict[str, Any]) -> str:
        system = body.get("system") or ""
        return system if isinstance(system, str) else "\n".join(block["text"] for block in system)

    def response_headers(self) -> dict[str, str]:
        return {"request-id": f"req_{self.serial()}", "anthropic-organization-id": "org-test"}

    def events(self, body: dict[str, Any], step: Step) -> list[str]:
        usage_in = step.input_tokens if isinstance(step, Say | CallTools) else 100
        message = {
            "id": f"msg_{self.serial()}",
            "type": "message",
            "role": "assistant",
            "model": body["model"],
            "content": [],
            "stop_reason": None,
            "stop_sequence": None,
            "usage": {"input_tokens": usage_in, "output_tokens": 1},
        }
        events = [_event("message_start", {"message": message}), _event("ping", {})]
        pieces = step.pieces if isinstance(step, Say | Hang | BreakOff) else (step.text,) if step.text else ()
        index = 0
        if pieces:
            events.append(
                _event("content_block_start", {"index": 0, "content_block": {"type": "text", "text": ""}})
            )
            for piece in pieces:
                delta = {"type": "text_delta", "text": piece}
                events.append(_event("content_block_delta", {"index": 0, "delta": delta}))
            if isinstance(step, Hang):
                return events
            events.append(_event("content_block_stop", {"index": 0}))
            index = 1
        if isinstance(step, BreakOff):
            error = {"type": "overloaded_error", "message": "Overloaded"}
            return [*events, f"event: error\ndata: {json.dumps({'type': 'error', 'error': error})}\n\n"]
        if isinstance(step, CallTools):
            for offset, (name, arguments) in enumerate(step.calls):
                block_index = index + offset
                raw = arguments if isinstance(arguments, str) else json.dumps(arguments)
                block = {
                    "type": "tool_use",
                    "id": f"toolu_{self.serial()}_{offset}",
                    "name": name,
                    "input": {},
                }
                events.append(_event("content_block_start", {"index": block_index, "content_block": block}))
                for start in range(0, len(raw), 9):
                    delta = {"type": "input_json_delta", "partial_json": raw[start : start + 9]}
                    events.append(_event("content_block_delta", {"index": block_index, "delta": delta}))
                events.append(_event("content_block_stop", {"index": block_index}))
        stop = "tool_use" if isinstance(step, CallTools) else "end_turn"
        usage_out = step.output_tokens if isinstance(step, Say | CallTools) else 0
        events.append(
            _event(
                "message_delta",
                {
                    "delta": {"stop_reason": stop, "stop_sequence": None},
                    "usage": {"output_tokens": usage_out},
                },
            )
        )
        events.append(_event("message_stop", {}))
        return events

    def judgement(self, body: dict[str, Any], text: str) -> httpx.Response:
        message = {
            "id": f"msg_{self.serial()}",
            "type": "message",
            "role": "assistant",
            "model": body["model"],
            "content": [{"type": "text", "text": text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 40, "output_tokens": 2},
        }
        return httpx.Response(200, json=message, headers=self.response_headers())

    def error(
        self, status: int, kind: str, message: str, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        body = {"type": "error", "error": {"type": kind, "message": message}}
        return httpx.Response(status, json=body, headers={**self.response_headers(), **(headers or {})})
