"""Walk one question through the external fallback, as a new user would, on a running Perimeter.

    # terminal 1: Perimeter with the OpenAI fallback pointed at the local stand-in
    FALLBACK_OPENAI_BASE_URL=http://127.0.0.1:8765/v1 FALLBACK_OPENAI_API_KEY=sk-standin ./perimeter run
    # terminal 2:
    ./perimeter python scripts/fallback_walkthrough.py --user demo --password "$(cat .state/demo_password)"

It starts the recording stand-in for the proprietary API (tests/standin/server.py)
on port 8765, uploads a document holding personal data, asks a question that
names a person, escalates, approves as admin over the REST API, waits for the
delivered answer and prints the receipt, exactly what the stand-in received,
and whether any original value left. Standard library + the stand-in only.
"""
from __future__ import annotations

import argparse
import base64
import json
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.standin.server import StandinServer  # noqa: E402

PII = ["Maria Gonzalez", "maria.gonzalez@example.com", "+1 415 555 0199"]
DOCUMENT = (
    "# Vendor contracts\n\n## Acme maintenance contract\n\n"
    "The Acme maintenance contract was signed by Maria Gonzalez (maria.gonzalez@example.com, "
    "+1 415 555 0199) on behalf of facilities. It renews every 12 months unless cancelled "
    "with 60 days notice. Invoices go to accounts payable.\n"
)
QUESTION = "What notice period applies to the Acme maintenance contract that Maria Gonzalez signed?"


class Api:
    def __init__(self, base: str, user: str, password: str) -> None:
        self.base = base.rstrip("/")
        self.auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def call(self, method: str, path: str, body: dict | None = None, *, raw: bytes | None = None,
             content_type: str = "application/json") -> dict:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Authorization": self.auth, "Content-Type": content_type})
        try:
            with urllib.request.urlopen(req, timeout=600) as resp:
                return json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            raise SystemExit(f"{method} {path}: {exc.code} {exc.read().decode()}")

    def upload(self, name: str, text: str) -> dict:
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                f"Content-Type: text/markdown\r\n\r\n{text}\r\n--{boundary}--\r\n").encode()
        return self.call("POST", "/api/v1/documents", raw=body, content_type=f"multipart/form-data; boundary={boundary}")


def step(title: str, obj=None) -> None:
    print(f"\n== {title}")
    if obj is not None:
        print(json.dumps(obj, indent=2, ensure_ascii=False) if not isinstance(obj, str) else obj)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8000")
    ap.add_argument("--user", default="demo")
    ap.add_argument("--password", required=True)
    args = ap.parse_args()
    standin = StandinServer(openai_key="sk-standin", anthropic_key="sk-ant-standin", port=8765).start()
    api = Api(args.url, args.user, args.password)

    doc = api.upload("walkthrough/vendor-contracts.md", DOCUMENT)
    while doc["status"] not in ("ready", "failed"):
        time.sleep(1)
        doc = api.call("GET", doc["status_url"])
    step("1. document ingested", {k: doc[k] for k in ("id", "source", "status", "chunk_count")})

    answer = api.call("POST", "/api/v1/query", {"question": QUESTION, "top_k": 3, "mode": "hybrid"})
    step("2. local answer (vLLM, SmolLM2-135M)", {k: answer[k] for k in ("question_id", "answer", "abstained")}
         | {"citations": [c["source"] for c in answer["citations"]]})

    request = api.call("POST", f"/api/v1/questions/{answer['question_id']}/escalate", {})
    step("3. escalation requested: redacted and queued", {k: request[k] for k in
         ("id", "status", "provider", "model_id", "payload_sha256", "masked_counts", "blocked_reason")})
    assert not standin.requests, "nothing may be sent before approval"
    print("   stand-in has received 0 requests before approval")

    queued = api.call("GET", "/api/v1/fallback?status=pending")["results"]
    item = next(r for r in queued if r["id"] == request["id"])
    step("4. what the admin sees in the approval queue (the exact payload)", item["payload"])

    approved = api.call("POST", f"/api/v1/fallback/{request['id']}/approve",
                        {"payload_sha256": item["payload_sha256"]})
    step("5. approved, bound to payload SHA-256", approved["payload_sha256"])

    for _ in range(300):
        detail = api.call("GET", f"/api/v1/fallback/{request['id']}")
        if detail["status"] in ("delivered", "failed"):
            break
        time.sleep(1)
    step("6. delivered answer (de-anonymized) and privacy receipt",
         {"status": detail["status"], "answer": detail["answer"], "receipt": detail["receipt"]})

    sent = standin.requests
    body = sent[0].body if sent else b""
    step("7. what left the perimeter (as the stand-in recorded it)",
         {"requests": len(sent), "path": sent[0].path if sent else None, "body": body.decode()})
    import hashlib

    print(f"   sha256(received body) == approved payload_sha256: "
          f"{hashlib.sha256(body).hexdigest() == approved['payload_sha256']}")
    leaked = [v for v in PII if v.encode() in body]
    print(f"   original PII values found in what left: {leaked or 'none'}")
    standin.stop()


if __name__ == "__main__":
    main()
