"""OpenAI's Chat Completions endpoint on an ``httpx2.MockTransport``, in its real wire format.

``POST /v1/chat/completions`` with ``stream: true`` answers ``text/event-stream``: one
``data: {chat.completion.chunk}`` block per piece (text in ``delta.content``; tool calls in
``delta.tool_calls``, the first fragment of each carrying its index, id and name and the
following ones pieces of its JSON ``arguments``), a last chunk with ``finish_reason``, a usage
chunk with empty ``choices`` when ``stream_options.include_usage`` is set, then ``data: [DONE]``.
Without ``stream`` it answers one ``chat.completion`` object. Errors are ``{"error": {...}}``.
See ``tests/fakes/scripted_wire.py`` for scripting.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx2 as httpx

from tests.fakes.scripted_wire import BreakOff, CallTools, Hang, Say, ScriptedVendor, Step

CREATED = 1_760_000_000


def _data(payload: dict[str, Any] | str) -> str:
    return f"data: {payload if isinstance(payload, str) else json.dumps(payload)}\n\n"


@dataclass
class FakeOpenAI(ScriptedVendor):
    path: str = "/v1/chat/completions"

    def system_of(self, body: dict[str, Any]) -> str:
        return "\n".join(m["content"] for m in body["messages"] if m["role"] == "system")

    def response_headers(self) -> dict[str, str]:
        return {"x-request-id": f"req_{self.serial()}", "openai-processing-ms": "42"}

    def _chunk(
        self, body: dict[str, Any], delta: dict[str, Any], finish: str | None = None
    ) -> dict[str, Any]:
        chunk = {
            "id": f"chatcmpl-{self.serial()}",
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": body["model"],
            "system_fingerprint": "fp_test",
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }
        if (body.get("stream_options") or {}).get("include_usage"):
            chunk["usage"] = None
        return chunk

    def events(self, body: dict[str, Any], step: Step) -> list[str]:
        events = [_data(self._chunk(body, {"role": "assistant", "content": "", "refusal": None}))]
        pieces = step.pieces if isinstance(step, Say | Hang | BreakOff) else (step.text,) if step.text else ()
        events += [_data(self._chunk(body, {"content": piece})) for piece in pieces]
        if isinstance(step, Hang | BreakOff):
            return events  # no finish, no [DONE]: the stream goes quiet or simply ends
        if isinstance(step, CallTools):
            for index, (name, arguments) in enumerate(step.calls):
                raw = arguments if isinstance(arguments, str) else json.dumps(arguments)
                opening = {
                    "index": index,
                    "id": f"call_{self.serial()}_{index}",
                    "type": "function",
                    "function": {"name": name, "arguments": ""},
                }
                events.append(_data(self._chunk(body, {"tool_calls": [opening]})))
                # The arguments arrive in fragments that split the JSON anywhere.
                for start in range(0, len(raw), 7):
                    fragment = {"index": index, "function": {"arguments": raw[start : start + 7]}}
                    events.append(_data(self._chunk(body, {"tool_calls": [fragment]})))
        events.append(_data(self._chunk(body, {}, "tool_calls" if isinstance(step, CallTools) else "stop")))
        if (body.get("stream_options") or {}).get("include_usage"):
            usage = {
                "prompt_tokens": step.input_tokens,
                "completion_tokens": step.output_tokens,
                "total_tokens": step.input_tokens + step.output_tokens,
            }
            last = self._chunk(body, {})
            last["choices"], last["usage"] = [], usage
            events.append(_data(last))
        events.append(_data("[DONE]"))
        return events

    def judgement(self, body: dict[str, Any], text: str) -> httpx.Response:
        completion = {
            "id": f"chatcmpl-{self.serial()}",
            "object": "chat.completion",
            "created": CREATED,
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text, "refusal": None},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 40, "completion_tokens": 2, "total_tokens": 42},
        }
        return httpx.Response(200, json=completion, headers=self.response_headers())

    def error(
        self, status: int, kind: str, message: str, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        code = {"rate_limit_error": "rate_limit_exceeded"}.get(kind)
        openai_type = {"rate_limit_error": "requests", "api_error": "server_error"}.get(kind, kind)
        body = {"error": {"message": message, "type": openai_type, "param": None, "code": code}}
        return httpx.Response(status, json=body, headers={**self.response_headers(), **(headers or {})})
