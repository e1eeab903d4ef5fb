#!/usr/bin/env python3
"""A Shared Signals receiver and a small API, in Python's standard library only.

It stands for a service written in another language, with no platform library: it learns Identity's keys from the
SSF configuration, takes pushed SETs (RFC 8935), verifies each one (RS256 against the JWKS, typ, iss, aud, age, a
jti seen once), and enforces what they say on its own API: GET /ping validates the caller's access token itself and
refuses it once its session was revoked or its user disabled.

    ssf_receiver.py IDENTITY_URL AUDIENCE API_AUDIENCE

prints "listening on http://127.0.0.1:PORT" once it serves; GET /state tells what it has taken. Nothing it receives
is ever printed.
"""
import base64
import hashlib
import hmac
import json
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# RFC 8017 §9.2: the DER prefix of a SHA-256 DigestInfo in an EMSA-PKCS1-v1_5 encoding.
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")
MAX_SET_AGE = 300
CLOCK_SKEW = 30
SESSION_REVOKED = "https://schemas.openid.net/secevent/caep/event-type/session-revoked"
ACCOUNT_DISABLED = "https://schemas.openid.net/secevent/risc/event-type/account-disabled"


class Refused(Exception):
    def __init__(self, err, description):
        super().__init__(description)
        self.err = err
        self.description = description


def b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def get_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


class Keys:
    """The JWKS, fetched again when a token names a key not seen yet (a rotation)."""

    def __init__(self, uri):
        self._uri = uri
        self._lock = threading.Lock()
        self._keys = {}
        self.refresh()

    def refresh(self):
        keys = {}
        for key in get_json(self._uri)["keys"]:
            if key.get("kty") == "RSA" and key.get("kid"):
                keys[key["kid"]] = (int.from_bytes(b64url(key["n"]), "big"), int.from_bytes(b64url(key["e"]), "big"))
        with self._lock:
            self._keys = keys

    def find(self, kid):
        with self._lock:
            key = self._keys.get(kid)
        if key is None:
            self.refresh()
            with self._lock:
                key = self._keys.get(kid)
        return key


def verified_claims(jws, keys, typ):
    """The payload of a compact RS256 JWS whose header has this typ and whose signature one of the keys made."""
    parts = jws.split(".")
    if len(parts) != 3:
        raise Refused("invalid_request", "not a compact JWS")
    try:
        header = json.loads(b64url(parts[0]))
        signature = b64url(parts[2])
    except ValueError:
        raise Refused("invalid_request", "unreadable JWS")
    if header.get("alg") != "RS256" or header.get("typ") != typ:
        raise Refused("invalid_request", "unexpected alg or typ")
    key = keys.find(header.get("kid"))
    if key is None:
        raise Refused("invalid_key", "unknown key")
    n, e = key
    size = (n.bit_length() + 7) // 8
    if len(signature) != size:
        raise Refused("invalid_key", "bad signature")
    digest = hashlib.sha256((parts[0] + "." + parts[1]).encode("ascii")).digest()
    expected = b"\x00\x01" + b"\xff" * (size - len(SHA256_DIGEST_INFO) - len(digest) - 3) + b"\x00" + SHA256_DIGEST_INFO + digest
    if not hmac.compare_digest(pow(int.from_bytes(signature, "big"), e, n).to_bytes(size, "big"), expected):
        raise Refused("invalid_key", "bad signature")
    try:
        return json.loads(b64url(parts[1]))
    except ValueError:
        raise Refused("invalid_request", "unreadable claims")


def audiences(claims):
    aud = claims.get("aud")
    return aud if isinstance(aud, list) else [aud]


class Receiver:
    def __init__(self, issuer, keys, audience, api_audience):
        self.issuer = issuer
        self.keys = keys
        self.audience = audience
        self.api_audience = api_audience
        self.lock = threading.Lock()
        self.seen = set()
        self.revoked_sessions = set()
        self.disabled_users = {}
        self.accepted = 0
        self.duplicates = 0
        self.refused = 0

    def take(self, body):
        claims = verified_claims(body, self.keys, "secevent+jwt")
        if claims.get("iss") != self.issuer:
            raise Refused("invalid_issuer", "unexpected issuer")
        if self.audience not in audiences(claims):
            raise Refused("invalid_audience", "not for this receiver")
        iat = claims.get("iat")
        now = time.time()
        if not isinstance(iat, (int, float)) or iat < now - MAX_SET_AGE or iat > now + CLOCK_SKEW:
            raise Refused("invalid_request", "too old or from the future")
        jti = claims.get("jti")
        if not jti:
            raise Refused("invalid_request", "no jti")
        with self.lock:
            if jti in self.seen:
                self.duplicates += 1
                return
            self.seen.add(jti)
            subject = claims.get("sub_id") or {}
            for event_type, event in (claims.get("events") or {}).items():
                if event_type == SESSION_REVOKED:
                    self.revoked_sessions.add(subject.get("session", {}).get("id"))
                elif event_type == ACCOUNT_DISABLED:
                    self.disabled_users[subject.get("id")] = event.get("event_timestamp", now)
            self.accepted += 1

    def allows(self, token):
        try:
            claims = verified_claims(token, self.keys, "at+jwt")
        except Refused:
            return False
        now = time.time()
        if claims.get("iss") != self.issuer or self.api_audience not in audiences(claims):
            return False
        if not isinstance(claims.get("exp"), (int, float)) or claims["exp"] <= now - CLOCK_SKEW:
            return False
        with self.lock:
            if claims.get("sid") in self.revoked_sessions:
                return False
            disabled_at = self.disabled_users.get(claims.get("sub"))
            return disabled_at is None or claims.get("iat", 0) > disabled_at

    def state(self):
        with self.lock:
            return {"accepted": self.accepted, "duplicates": self.duplicates, "refused": self.refused,
                    "revokedSessions": sorted(s for s in self.revoked_sessions if s)}


def handler_for(receiver):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):
            pass

        def answer(self, status, document=None):
            body = b"" if document is None else json.dumps(document).encode("utf-8")
            self.send_response(status)
            if document is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            if self.path != "/events":
                return self.answer(404)
            if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/secevent+jwt":
                return self.answer(400, {"err": "invalid_request", "description": "expected application/secevent+jwt"})
            length = int(self.headers.get("Content-Length") or 0)
            if length <= 0 or length > 65536:
                return self.answer(400, {"err": "invalid_request", "description": "bad length"})
            try:
                receiver.take(self.rfile.read(length).decode("ascii").strip())
            except (Refused, UnicodeDecodeError) as refused:
                with receiver.lock:
                    receiver.refused += 1
                err = refused.err if isinstance(refused, Refused) else "invalid_request"
                return self.answer(400, {"err": err, "description": str(refused)})
            self.answer(202)

        def do_GET(self):
            if self.path == "/state":
                return self.answer(200, receiver.state())
            if self.path != "/ping":
                return self.answer(404)
            header = self.headers.get("Authorization", "")
            if header.startswith("Bearer ") and receiver.allows(header[len("Bearer "):].strip()):
                return self.answer(200, {"pong": True})
            self.answer(401)

    return Handler


def main():
    identity, audience, api_audience = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    configuration = get_json(identity + "/.well-known/ssf-configuration")
    receiver = Receiver(configuration["issuer"], Keys(configuration["jwks_uri"]), audience, api_audience)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(receiver))
    print("listening on http://127.0.0.1:%d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
