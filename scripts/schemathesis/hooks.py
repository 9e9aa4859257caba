"""schemathesis hooks for the reference platform (scripts/api-fuzz.sh).

Authentication: every case gets an access token of its own, from a fresh login. One shared token
would not survive the run: the fuzzer calls POST /api/v1/auth/logout and /auth/refresh with it,
and either ends that session (as they must), after which every protected operation answers 401
and is never really tested. The account comes from JXJY_FUZZ_USER / JXJY_FUZZ_PASSWORD and the
server from JXJY_FUZZ_BASE; nothing is written to disk.
"""

import json
import os
import urllib.request

import schemathesis

BASE = os.environ["JXJY_FUZZ_BASE"].rstrip("/")
ACCOUNT = {
    "username": os.environ["JXJY_FUZZ_USER"],
    "password": os.environ["JXJY_FUZZ_PASSWORD"],
}


def login() -> dict:
    request = urllib.request.Request(
        BASE + "/api/v1/auth/login",
        data=json.dumps(ACCOUNT).encode(),
        headers={"content-type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


@schemathesis.auth(refresh_interval=None)
class FreshSession:
    def get(self, case, ctx):
        return login()

    def set(self, case, data, ctx):
        case.headers = case.headers or {}
        case.headers["Authorization"] = "Bearer " + data["access_token"]
