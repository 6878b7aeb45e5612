#!/usr/bin/env python3
"""Test-only HTTP peer for brig's source tests (never for production).

Roles, all on one 127.0.0.1 port:
  /token                 the token issuer of a docker-registry configured with
                         `auth: token:` -- JWTs signed RS256 with --key, the
                         certificate in the x5c header (distribution checks it
                         against its rootcertbundle). Basic credentials must be
                         --user/--password; anonymous callers get a token with
                         no access (as Docker Hub does for private repos).
  /v2/...                a minimal registry behind a Bearer challenge whose token
                         endpoint (/token2) answers with "access_token" only, and
                         whose blobs redirect to another host name (localhost)
                         that refuses any request carrying Authorization.
  /flaky/ID/N            503 for the first N requests of ID, then 200 "ok ID"
  /status/CODE           always CODE ("/hits/status-CODE" counts them)
  /big/N                 N bytes of a fixed pattern, in small writes
  /bigheaders            a response with ~100 KiB of headers
  /hits/KEY              how many requests KEY saw

Signing uses the openssl command so that only the standard library is needed.
"""
import argparse
import base64
import hashlib
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

REDIRECT_BLOB = b"brig-redirect-blob\n" * 4096
REDIRECT_BLOB_DIGEST = "sha256:" + hashlib.sha256(REDIRECT_BLOB).hexdigest()
FAKE_MANIFEST = json.dumps({
    "schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
               "digest": REDIRECT_BLOB_DIGEST, "size": len(REDIRECT_BLOB)},
    "layers": [],
}).encode()

hits = {}
hits_lock = threading.Lock()


def count(key):
    with hits_lock:
        hits[key] = hits.get(key, 0) + 1
        return hits[key]


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Issuer:
    def __init__(self, key, cert, issuer):
        self.key = key
        self.issuer = issuer
        der = subprocess.run(["openssl", "x509", "-in", cert, "-outform", "DER"],
                             check=True, capture_output=True).stdout
        self.x5c = base64.b64encode(der).decode()

    def sign(self, service, subject, access):
        now = int(time.time())
        header = {"typ": "JWT", "alg": "RS256", "x5c": [self.x5c]}
        claims = {"iss": self.issuer, "sub": subject, "aud": service, "exp": now + 600,
                  "nbf": now - 30, "iat": now, "jti": uuid.uuid4().hex, "access": access}
        signing_input = (b64url(json.dumps(header).encode()) + "." +
                         b64url(json.dumps(claims).encode())).encode()
        sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", self.key],
                             input=signing_input, check=True, capture_output=True).stdout
        return signing_input.decode() + "." + b64url(sig)


def parse_scopes(values):
    access = []
    for scope in values:
        parts = scope.split(":")
        if len(parts) < 3:
            continue
        access.append({"type": parts[0], "name": ":".join(parts[1:-1]),
                       "actions": [a for a in parts[-1].split(",") if a]})
    return access


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "brig-test-peer"

    def log_message(self, fmt, *args):  # quiet unless asked
        if self.server.verbose:
            sys.stderr.write("token_server: " + (fmt % args) + "\n")

    def send(self, code, body=b"", ctype="text/plain", headers=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def basic_user(self):
        """(user, ok): user None when no Basic credentials were sent."""
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Basic "):
            return None, False
        try:
            user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
        except Exception:
            return "?", False
        return user, (user == self.server.user and password == self.server.password)

    def do_GET(self):
        url = urlparse(self.path)
        q = parse_qs(url.query)
        parts = [p for p in url.path.split("/") if p]
        count(url.path.strip("/"))
        if url.path in ("/token", "/token2"):
            return self.token(q, url.path == "/token2")
        if parts[:1] == ["v2"]:
            return self.fake_registry(parts[1:])
        if parts[:1] == ["flaky"] and len(parts) == 3:
            n = count("flaky-" + parts[1])
            if n <= int(parts[2]):
                return self.send(503, b"try later")
            return self.send(200, ("ok " + parts[1]).encode())
        if parts[:1] == ["status"] and len(parts) == 2:
            count("status-" + parts[1])
            return self.send(int(parts[1]), b"status")
        if parts[:1] == ["hits"] and len(parts) == 2:
            with hits_lock:
                n = hits.get(parts[1], 0)
            return self.send(200, str(n).encode())
        if parts[:1] == ["big"] and len(parts) == 2:
            n = int(parts[1])
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(n))
            self.end_headers()
            pattern = bytes(i % 251 for i in range(251 * 64))
            off = 0
            while off < n:
                chunk = min(n - off, 4096)
                start = off % 251
                self.wfile.write(pattern[start:start + chunk])
                off += chunk
            return None
        if url.path == "/bigheaders":
            self.send_response(200)
            for i in range(1100):
                self.send_header("X-Filler-%d" % i, "y" * 90)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if url.path == "/noauth-blob":
            if "Authorization" in self.headers:
                count("leaked-authorization")
                return self.send(400, b"Authorization was forwarded to another host")
            return self.send(200, REDIRECT_BLOB, "application/octet-stream")
        return self.send(404, b"not found")

    def token(self, q, access_token_only):
        user, ok = self.basic_user()
        if user is not None and not ok:
            return self.send(401, b'{"details":"bad credentials"}', "application/json")
        if self.server.issuer is None or access_token_only:
            tok = "fake-" + uuid.uuid4().hex if user else "anon-" + uuid.uuid4().hex
            self.server.fake_tokens.add(tok)
            body = {"access_token": tok, "expires_in": 300}
        else:
            service = (q.get("service") or [""])[0]
            access = parse_scopes(q.get("scope", [])) if user else []
            tok = self.server.issuer.sign(service, user or "", access)
            body = {"token": tok, "access_token": tok, "expires_in": 600,
                    "issued_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        return self.send(200, json.dumps(body).encode(), "application/json")

    def fake_registry(self, parts):
        """Bearer-protected: only tokens from /token2 that were issued to the
        right user are accepted; anonymous tokens get 401 insufficient_scope."""
        host = "127.0.0.1:%d" % self.server.server_address[1]
        challenge = ('Bearer realm="http://%s/token2",service="fake-registry"' % host)
        auth = self.headers.get("Authorization", "")
        tok = auth[7:] if auth.startswith("Bearer ") else None
        if tok not in self.server.fake_tokens or not tok.startswith("fake-"):
            if parts:
                challenge += ',scope="repository:fake:pull"'
            if tok:
                challenge += ',error="insufficient_scope"'
            return self.send(401, b'{"errors":[{"code":"UNAUTHORIZED","message":"auth"}]}',
                             "application/json", [("WWW-Authenticate", challenge)])
        if not parts:
            return self.send(200, b"{}", "application/json")
        if parts[:2] == ["fake", "manifests"]:
            return self.send(200, FAKE_MANIFEST, "application/vnd.oci.image.manifest.v1+json",
                             [("Docker-Content-Digest",
                               "sha256:" + hashlib.sha256(FAKE_MANIFEST).hexdigest())])
        if parts[:2] == ["fake", "blobs"] and len(parts) == 3 and parts[2] == REDIRECT_BLOB_DIGEST:
            # another host name for the same server: curl must drop Authorization
            port = self.server.server_address[1]
            return self.send(307, b"", headers=[("Location",
                                                 "http://localhost:%d/noauth-blob" % port)])
        return self.send(404, b'{"errors":[{"code":"BLOB_UNKNOWN","message":"unknown"}]}',
                         "application/json")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--key")
    ap.add_argument("--cert")
    ap.add_argument("--issuer", default="brig-test-issuer")
    ap.add_argument("--user", default="user")
    ap.add_argument("--password", default="pass")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.verbose = args.verbose
    srv.user = args.user
    srv.password = args.password
    srv.fake_tokens = set()
    srv.issuer = Issuer(args.key, args.cert, args.issuer) if args.key else None
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(tmp, args.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    main()
