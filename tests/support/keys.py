"""A stand-in for Microsoft's OpenID metadata, signing keys and token endpoint, served from a
separate thread (the SDK fetches keys with blocking calls on the event loop)."""

from __future__ import annotations

import datetime as _dt
import ipaddress
import json
import ssl
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://api.botframework.com"


class JsonHandler(BaseHTTPRequestHandler):
    """A quiet handler that answers JSON: the base of the Microsoft identity stand-ins in tests."""

    def log_message(self, *_args) -> None:
        pass

    def _json(self, body: dict, status: int = 200) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class KeyPair:
    def __init__(self) -> None:
        self.kid = uuid.uuid4().hex
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def jwk(self) -> dict:
        d = json.loads(RSAAlgorithm.to_jwk(self.private.public_key()))
        d.update({"kid": self.kid, "use": "sig", "alg": "RS256", "endorsements": ["msteams", "emulator", "email"]})
        return d


class KeyServer:
    def __init__(self) -> None:
        self.keys = [KeyPair()]
        self.token_requests = 0
        self.token_forms: list[dict] = []  # what each token request asked for (client id, scope, grant)
        self.key_requests = 0
        server = self

        class Handler(JsonHandler):
            def do_GET(self) -> None:  # noqa: N802
                if self.path == "/openid":
                    self._json({"issuer": ISSUER, "jwks_uri": f"{server.url}/keys", "id_token_signing_alg_values_supported": ["RS256"]})
                elif self.path == "/keys":
                    server.key_requests += 1
                    self._json({"keys": [k.jwk() for k in server.keys]})
                elif self.path.endswith("/.well-known/openid-configuration"):
                    tenant = self.path.split("/")[1]
                    self._json({
                        "token_endpoint": f"{server.url}/{tenant}/oauth2/v2.0/token",
                        "authorization_endpoint": f"{server.url}/{tenant}/oauth2/v2.0/authorize",
                        "issuer": f"{server.url}/{tenant}/v2.0",
                    })
                else:
                    self._json({"error": "not found"}, 404)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                form = self.rfile.read(length)
                if self.path.endswith("/oauth2/v2.0/token"):
                    from urllib.parse import parse_qs

                    server.token_requests += 1
                    server.token_forms.append({k: v[0] for k, v in parse_qs(form.decode()).items()} | {"path": self.path})
                    self._json({"access_token": f"token-{server.token_requests}", "expires_in": 3600, "ext_expires_in": 3600, "token_type": "Bearer"})
                else:
                    self._json({"error": "not found"}, 404)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # MSAL only talks to https authorities: serve TLS with a certificate made here, and let
        # the test trust it through REQUESTS_CA_BUNDLE.
        self.ca_file = _self_signed_cert_files()
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.ca_file.name)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> KeyServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def rotate(self) -> KeyPair:
        new = KeyPair()
        self.keys = [new]
        return new

    def token(self, app_id: str, service_url: str, *, key: KeyPair | None = None, issuer: str = ISSUER,
              audience: str | None = None, expires_in: int = 3600, algorithm: str = "RS256", kid: str | None = None) -> str:
        key = key or self.keys[0]
        now = int(time.time())
        claims = {"iss": issuer, "aud": audience or app_id, "serviceurl": service_url, "nbf": now - 10,
                  "iat": now - 10, "exp": now + expires_in}
        if algorithm == "RS256":
            return jwt.encode(claims, key.private, algorithm="RS256", headers={"kid": kid or key.kid})
        return jwt.encode(claims, "not-a-real-secret-key-but-long-enough", algorithm=algorithm, headers={"kid": kid or key.kid})


def _self_signed_cert_files():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = _dt.datetime.now(_dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - _dt.timedelta(minutes=5)).not_valid_after(now + _dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    f = tempfile.NamedTemporaryFile("wb", suffix=".pem", delete=False)
    f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()))
    f.write(cert.public_bytes(serialization.Encoding.PEM))
    f.close()
    return f
