"""A small but real OpenID Connect provider for the tests: discovery, JWKS, an authorize page
with a login form, and a token endpoint that checks the client secret and PKCE and issues RS256
ID tokens (PyJWT). It runs on 127.0.0.1 in a thread. `mode` makes it issue a bad token: signed
with another key ("bad-signature"), for another client ("wrong-audience") or expired."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "anvis-test"
CLIENT_SECRET = "test-client-secret-0123456789"
KID = "test-key-1"


@dataclass
class Account:
    sub: str
    claims: dict[str, Any]


@dataclass
class Provider:
    accounts: dict[str, Account]
    mode: str = "ok"
    key: Any = field(default_factory=lambda: rsa.generate_private_key(65537, 2048))
    other_key: Any = field(default_factory=lambda: rsa.generate_private_key(65537, 2048))
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    server: ThreadingHTTPServer | None = None

    @property
    def issuer(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def id_token(self, grant: dict[str, Any]) -> str:
        now = int(time.time())
        account: Account = grant["account"]
        claims = {
            "iss": self.issuer,
            "sub": account.sub,
            "aud": "someone-else" if self.mode == "wrong-audience" else CLIENT_ID,
            "iat": now - (7200 if self.mode == "expired" else 0),
            "exp": now - 3600 if self.mode == "expired" else now + 300,
            "nonce": grant["nonce"],
            **account.claims,
        }
        key = self.other_key if self.mode == "bad-signature" else self.key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": KID})

    def start(self) -> Provider:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(
                self, status: int, body: bytes, ctype: str, extra: dict[str, str] | None = None
            ) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def _json(self, data: Any, status: int = 200) -> None:
                self._send(status, json.dumps(data).encode(), "application/json")

            def do_GET(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                if url.path == "/.well-known/openid-configuration":
                    self._json(
                        {
                            "issuer": provider.issuer,
                            "authorization_endpoint": provider.issuer + "/authorize",
                            "token_endpoint": provider.issuer + "/token",
                            "jwks_uri": provider.issuer + "/jwks",
                            "response_types_supported": ["code"],
                            "id_token_signing_alg_values_supported": ["RS256"],
                        }
                    )
                elif url.path == "/jwks":
                    jwk = json.loads(RSAAlgorithm.to_jwk(provider.key.public_key()))
                    jwk.update({"kid": KID, "alg": "RS256", "use": "sig"})
                    self._json({"keys": [jwk]})
                elif url.path == "/authorize":
                    if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
                        self._send(400, b"bad request", "text/plain")
                        return
                    hidden = "".join(
                        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                        for k, v in query.items()
                    )
                    page = (
                        '<!DOCTYPE html><html lang="da"><head><title>Test-IdP</title></head><body>'
                        '<h1>Test-IdP</h1><form method="post" action="/authorize">'
                        f'{hidden}<label for="u">Bruger</label><input id="u" name="username">'
                        '<button type="submit">Godkend</button></form></body></html>'
                    )
                    self._send(200, page.encode(), "text/html; charset=utf-8")
                else:
                    self._send(404, b"not found", "text/plain")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                if self.path == "/authorize":
                    account = provider.accounts.get(form.get("username", ""))
                    if account is None:
                        self._send(403, b"unknown user", "text/plain")
                        return
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = {
                        "account": account,
                        "nonce": form.get("nonce"),
                        "challenge": form.get("code_challenge"),
                        "redirect_uri": form["redirect_uri"],
                    }
                    target = (
                        form["redirect_uri"]
                        + "?"
                        + urllib.parse.urlencode({"code": code, "state": form["state"]})
                    )
                    self._send(302, b"", "text/plain", {"Location": target})
                elif self.path == "/token":
                    grant = provider.codes.pop(form.get("code", ""), None)
                    if (
                        grant is None
                        or form.get("client_id") != CLIENT_ID
                        or form.get("client_secret") != CLIENT_SECRET
                        or form.get("redirect_uri") != grant["redirect_uri"]
                    ):
                        self._json({"error": "invalid_grant"}, 400)
                        return
                    verifier = form.get("code_verifier", "")
                    digest = hashlib.sha256(verifier.encode()).digest()
                    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
                    if challenge != grant["challenge"]:
                        self._json({"error": "invalid_grant", "error_description": "pkce"}, 400)
                        return
                    self._json(
                        {
                            "access_token": secrets.token_urlsafe(16),
                            "token_type": "Bearer",
                            "id_token": provider.id_token(grant),
                        }
                    )
                else:
                    self._send(404, b"not found", "text/plain")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
