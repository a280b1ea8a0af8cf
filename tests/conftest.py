"""Shared fixtures. `fake_google`: one fake Google server per test session, reset before each test using it."""
import pytest


@pytest.fixture(scope="session")
def fake_google_server():
    """The session's FakeGoogle (imported lazily so tests that do not use it stay light)."""
    from tests.fake_google import FakeGoogle

    with FakeGoogle() as fake:
        yield fake


@pytest.fixture
def fake_google(fake_google_server):
    """A clean FakeGoogle; the test fails if the fake hit a bug of its own (crash or off-schema answer)."""
    fake_google_server.reset()
    yield fake_google_server
    assert not fake_google_server.internal_errors, fake_google_server.internal_errors


LOOPBACK = ("127.0.0.1", "localhost", "::1", None, "")


@pytest.fixture(autouse=True, scope="session")
def no_network():
    """Tests are offline: resolving any host but loopback fails at once, so a stray call cannot leave the machine."""
    import socket

    real_getaddrinfo = socket.getaddrinfo

    def loopback_only(host, *args, **kwargs):
        if host not in LOOPBACK and not str(host).startswith("127."):
            raise socket.gaierror(socket.EAI_NONAME, f"network is cut in tests: {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.getaddrinfo = loopback_only
    yield
    socket.getaddrinfo = real_getaddrinfo
