"""A local stand-in for the proprietary model APIs (the one thing tests may fake).

It speaks two wire formats on one port, checks their auth headers, and records
every request exactly as it arrived (path, headers, raw body bytes):

- OpenAI Chat Completions: ``POST /v1/chat/completions`` with
  ``Authorization: Bearer <key>``; point the SDK at ``{url}/v1``.
- Anthropic Messages: ``POST /v1/messages`` with ``x-api-key: <key>`` (or
  ``Authorization: Bearer <key>``, as anthropic SDK 2.x sends it) and
  ``anthropic-version``; point the SDK at ``{url}``.

Replies echo the placeholders found in the request body, so the caller's
de-anonymization can be checked: ``"The answer concerns <PERSON_1> and
<EMAIL_1>."``. ``fail_next(n, status=500)`` makes the next ``n`` model requests
fail (500, 429, 400...) before it answers again.

Standard library only: it runs in the test process on a daemon thread.
"""
from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OPENAI_PATH = "/v1/chat/completions"
ANTHROPIC_PATH = "/v1/messages"
PLACEHOLDER_RE = re.compile(r"<[A-Z][A-Z_]*_\d+>")


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the stand-in received it. ``headers`` keys are lower-case."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    received_at: float = field(default_factory=time.time)

    def json(self) -> dict:
        return json.loads(self.body)


class StandinServer:
    """Start with :meth:`start`, stop with :meth:`stop`; ``url`` is ``http://127.0.0.1:<port>``."""

    def __init__(self, *, openai_key: str, anthropic_key: str, host: str = "127.0.0.1", port: int = 0) -> None:
        self.openai_key = openai_key
        self.anthropic_key = anthropic_key
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._failures: list[int] = []
        self._reply_template = "The answer concerns {placeholders}."
        self._httpd = ThreadingHTTPServer((host, port), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    # ---------------------------------------------------------------- control
    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> StandinServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="standin", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def reset(self) -> None:
        """Forget recorded requests, pending failures and a custom reply."""
        with self._lock:
            self._requests.clear()
            self._failures.clear()
            self._reply_template = "The answer concerns {placeholders}."

    def fail_next(self, n: int, *, status: int = 500) -> None:
        """Answer the next ``n`` model requests with HTTP ``status`` (recorded all the same)."""
        with self._lock:
            self._failures.extend([status] * n)

    def reply_with(self, template: str) -> None:
        """Reply text; ``{placeholders}`` becomes the request's placeholders joined by " and "."""
        with self._lock:
            self._reply_template = template

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    # ---------------------------------------------------------------- replies
    def _record(self, request: RecordedRequest) -> tuple[int | None, str]:
        with self._lock:
            self._requests.append(request)
            failure = self._failures.pop(0) if self._failures else None
            template = self._reply_template
        return failure, template

    @staticmethod
    def reply_text(body: bytes, template: str) -> str:
        found = list(dict.fromkeys(PLACEHOLDER_RE.findall(body.decode("utf-8", "replace"))))
        return template.format(placeholders=" and ".join(found) if found else "nobody in particular")


def _tokens(text: str) -> int:
    return max(1, len(text.split()))


def _handler_for(server: StandinServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # keep pytest output clean
            pass

        def _send_json(self, status: int, payload: dict, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802 (http.server's naming)
            self._send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            recorded = RecordedRequest(
                method="POST", path=self.path, headers={k.lower(): v for k, v in self.headers.items()}, body=body
            )
            if self.path == OPENAI_PATH:
                self._openai(recorded)
            elif self.path == ANTHROPIC_PATH:
                self._anthropic(recorded)
            else:
                server._record(recorded)
                self._send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

        # OpenAI: https://platform.openai.com/docs/api-reference/chat/create
        def _openai(self, req: RecordedRequest) -> None:
            failure, template = server._record(req)
            if req.headers.get("authorization") != f"Bearer {server.openai_key}":
                return self._send_json(401, {"error": {"message": "Incorrect API key provided.",
                                                       "type": "invalid_request_error", "code": "invalid_api_key"}})
            if failure is not None:
                return self._send_json(failure, {"error": {"message": f"stand-in failure {failure}",
                                                           "type": "server_error", "code": None}},
                                       {"retry-after": "0"} if failure == 429 else None)
            try:
                request = req.json()
                prompt = "".join(m["content"] for m in request["messages"])
            except (ValueError, KeyError, TypeError) as exc:
                return self._send_json(400, {"error": {"message": f"bad request: {exc}",
                                                       "type": "invalid_request_error"}})
            text = StandinServer.reply_text(req.body, template)
            pt, ct = _tokens(prompt), _tokens(text)
            self._send_json(200, {
                "id": "chatcmpl-standin", "object": "chat.completion", "created": int(time.time()),
                "model": request.get("model", ""), "system_fingerprint": "fp_standin",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text, "refusal": None},
                             "logprobs": None, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": pt, "completion_tokens": ct, "total_tokens": pt + ct},
            })

        # Anthropic: https://docs.anthropic.com/en/api/messages
        def _anthropic(self, req: RecordedRequest) -> None:
            failure, template = server._record(req)
            # The Messages API takes the key as x-api-key; SDK 2.x sends it as a bearer token.
            keys = {req.headers.get("x-api-key"), req.headers.get("authorization", "").removeprefix("Bearer ")}
            if server.anthropic_key not in keys:
                return self._send_json(401, {"type": "error", "error": {"type": "authentication_error",
                                                                        "message": "invalid x-api-key"}})
            if not req.headers.get("anthropic-version"):
                return self._send_json(400, {"type": "error", "error": {
                    "type": "invalid_request_error", "message": "anthropic-version: header is required"}})
            if failure is not None:
                kind = "rate_limit_error" if failure == 429 else "api_error"
                return self._send_json(failure, {"type": "error", "error": {"type": kind,
                                                                            "message": f"stand-in failure {failure}"}},
                                       {"retry-after": "0"} if failure == 429 else None)
            try:
                request = req.json()
                prompt = request.get("system", "") + "".join(m["content"] for m in request["messages"])
                int(request["max_tokens"])
            except (ValueError, KeyError, TypeError) as exc:
                return self._send_json(400, {"type": "error", "error": {"type": "invalid_request_error",
                                                                        "message": f"bad request: {exc}"}})
            text = StandinServer.reply_text(req.body, template)
            self._send_json(200, {
                "id": "msg_standin", "type": "message", "role": "assistant", "model": request.get("model", ""),
                "content": [{"type": "text", "text": text}], "stop_reason": "end_turn", "stop_sequence": None,
                "usage": {"input_tokens": _tokens(prompt), "output_tokens": _tokens(text)},
            })

    return Handler


if __name__ == "__main__":  # manual use: python -m tests.standin.server
    srv = StandinServer(openai_key="sk-standin", anthropic_key="sk-ant-standin", port=8765).start()
    print(f"stand-in listening on {srv.url} (OpenAI: {srv.url}/v1, Anthropic: {srv.url})")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        srv.stop()
