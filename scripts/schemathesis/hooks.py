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


@schemathesis.hook.apply_to(path="/api/v1/auth/login", method="POST")
def map_case(ctx, case):
    """In the stateful phase a valid login uses the real account, so that its answer's links (to
    the unit's pulls, to a refresh, and on to the evidence) are followed; elsewhere logins stay
    as generated, to fuzz the login itself."""
    meta = getattr(case, "_meta", None)
    if meta is not None and meta.phase.name == "stateful" and _positive(case):
        case.body = dict(ACCOUNT)
    return case


# Cursors are opaque: any string is schema-valid, but only one the server gave is a cursor, and
# the server must refuse the others (400). A positive case's made-up cursor is dropped before it
# is sent (a first pull), one seen in an earlier answer is kept; negative cases go as generated.
CURSOR_PARAMS = ("since", "staff_since", "declarations_since")
_cursors = set()


def _positive(case):
    meta = getattr(case, "_meta", None)
    return meta is not None and (meta.generation.mode == "positive" or meta.phase.name == "stateful")


def _drop_made_up_cursors(query):
    for name in CURSOR_PARAMS:
        if isinstance(query, dict) and name in query and query[name] not in _cursors:
            del query[name]


@schemathesis.hook
def before_call(ctx, case, kwargs):
    if _positive(case):
        _drop_made_up_cursors(kwargs.get("params"))
        _drop_made_up_cursors(case.query)


@schemathesis.hook
def after_call(ctx, case, response):
    if response.status_code != 200 or "/units/" not in case.path:
        return
    try:
        body = response.json()
    except ValueError:
        return
    pages = [body, body.get("staff"), body.get("declarations")] if isinstance(body, dict) else []
    for page in pages:
        if isinstance(page, dict) and isinstance(page.get("next_cursor"), str):
            _cursors.add(page["next_cursor"])

