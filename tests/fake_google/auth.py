"""Service-account keys made at runtime, the OAuth token endpoint (JWT bearer grant) and access checks."""
from __future__ import annotations

import base64
import hashlib
import json
import time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tests.fake_google.discovery import Method
from tests.fake_google.errors import ApiError
from tests.fake_google.state import Identity

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
_EXPECTED = ("Expected OAuth 2 access token, login cookie or other valid authentication credential. "
             "See https://developers.google.com/identity/sign-in/web/devconsole-project.")
MISSING = f"Request is missing required authentication credential. {_EXPECTED}"
INVALID = f"Request had invalid authentication credentials. {_EXPECTED}"


class OAuthError(Exception):
    """An error of the token endpoint, answered as {"error", "error_description"}."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.body = {"error": error, "error_description": description}


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Auth:
    """Keys the fake issued (by key id), and access tokens it granted (by token)."""

    def __init__(self) -> None:
        self._keys: dict[str, tuple[str, rsa.RSAPrivateKey]] = {}
        self._tokens: dict[str, Identity] = {}

    def key_info(self, client_email: str, token_uri: str) -> dict:
        """A service-account key dict for `client_email`; one RSA key per email, generated on first use."""
        key_id = hashlib.sha1(client_email.encode()).hexdigest()
        if key_id not in self._keys:
            self._keys[key_id] = (client_email, rsa.generate_private_key(public_exponent=65537, key_size=2048))
        pem = self._keys[key_id][1].private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()).decode()
        project = client_email.split("@", 1)[-1].split(".", 1)[0]
        return {"type": "service_account", "project_id": project, "private_key_id": key_id, "private_key": pem,
                "client_email": client_email, "client_id": str(int(key_id[:16], 16)).rjust(21, "1"),
                "auth_uri": token_uri.rsplit("/", 1)[0] + "/auth", "token_uri": token_uri,
                "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
                "client_x509_cert_url": f"https://www.googleapis.com/robot/v1/metadata/x509/{client_email}",
                "universe_domain": "googleapis.com"}

    def allow(self, token: str, identity: Identity) -> None:
        self._tokens[token] = identity

    def grant(self, form: dict[str, str]) -> dict:
        """POST /token: verify the signed JWT assertion and issue an opaque access token."""
        if form.get("grant_type") != JWT_BEARER:
            raise OAuthError("unsupported_grant_type", f"Invalid grant_type: {form.get('grant_type', '')}")
        try:
            header_b64, claims_b64, signature_b64 = form.get("assertion", "").split(".")
            header, claims = json.loads(_b64decode(header_b64)), json.loads(_b64decode(claims_b64))
            if not (isinstance(header, dict) and isinstance(claims, dict)):
                raise ValueError("not JSON objects")
        except ValueError:
            raise OAuthError("invalid_grant", "Invalid JWT: could not be decoded.") from None
        email, key = self._keys.get(header.get("kid"), (None, None))
        if key is None or header.get("alg") != "RS256":
            raise OAuthError("invalid_grant", "Invalid JWT Signature.")
        try:
            key.public_key().verify(_b64decode(signature_b64), f"{header_b64}.{claims_b64}".encode(),
                                    padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            raise OAuthError("invalid_grant", "Invalid JWT Signature.") from None
        now = time.time()
        if claims.get("iss") != email or not str(claims.get("aud", "")).endswith("/token"):
            raise OAuthError("invalid_grant", "Invalid JWT: Token must be a short-lived token and in a reasonable "
                                              "timeframe, with the right issuer and audience.")
        if not claims.get("iat", 0) - 300 <= now < claims.get("exp", 0):
            raise OAuthError("invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
                                              "reasonable timeframe. Check your iat and exp values in the JWT claim.")
        if not claims.get("scope"):
            raise OAuthError("invalid_scope", "Invalid OAuth scope or ID token audience provided.")
        token = f"ya29.fake-{len(self._tokens) + 1}-{hashlib.sha1(form['assertion'].encode()).hexdigest()[:16]}"
        self._tokens[token] = Identity(email, frozenset(claims["scope"].split()), claims.get("sub"))
        return {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}

    def identify(self, authorization: str | None, query_token: str | None) -> Identity:
        """The caller of an API request, or 401 UNAUTHENTICATED."""
        token = query_token
        if authorization:
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() != "bearer":
                raise ApiError(401, INVALID)
        if not token:
            raise ApiError(401, MISSING)
        identity = self._tokens.get(token)
        if identity is None:
            raise ApiError(401, INVALID)
        return identity


def require_scope(method: Method, identity: Identity) -> None:
    """403 unless one of the method's discovery scopes was granted."""
    if method.scopes and not method.scopes & identity.scopes:
        raise ApiError(403, "Request had insufficient authentication scopes.", details=[{
            "@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
            "domain": "googleapis.com", "metadata": {"service": method.api.service, "method": method.id}}])
