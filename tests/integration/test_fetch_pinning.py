"""The connection goes to the address that was checked: a name server answering
differently the second time (DNS rebinding) is never asked again, and over https the
site's own name is still the one sent (SNI) and checked against its certificate."""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from palabre.core.fetch import Fetcher, FetchError
from palabre.core.netpolicy import NetPolicy
from tests.fakes.feed_server import FeedServer

NAME = "agenda.musee.test"
RSS = "<rss version='2.0'><channel><title>t</title></channel></rss>"


@pytest.fixture
def rebinding_dns(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The system resolver for NAME: 127.0.0.1 the first time, then a private address."""
    asked: list[str] = []
    real = socket.getaddrinfo

    def answer(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != NAME:
            return real(host, port, *args, **kwargs)
        asked.append(host)
        ip = "127.0.0.1" if len(asked) == 1 else "10.9.9.9"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port or 0))]

    monkeypatch.setattr(socket, "getaddrinfo", answer)
    return asked


def test_a_name_answering_differently_later_is_not_asked_again(
    feed_server: FeedServer, rebinding_dns: list[str]
) -> None:
    feed_server.serve("/feed.xml", RSS)
    fetcher = Fetcher(NetPolicy.parse("127.0.0.1"))  # the network, not the name, is allowed
    result = fetcher.get(feed_server.url("/feed.xml", host=NAME))
    assert result.status == 200 and rebinding_dns == [NAME]  # resolved once, checked, used
    assert feed_server.hits[0].headers["host"] == f"{NAME}:{feed_server.port}"
    with pytest.raises(FetchError) as error:  # the next request resolves again: refused
        fetcher.get(feed_server.url("/feed.xml", host=NAME))
    assert error.value.refused and feed_server.count("/feed.xml") == 1


def _certificate(tmp: Path) -> tuple[Path, Path, Path]:
    """A test authority and a certificate for NAME it signed."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Palabre test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, NAME)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(NAME)]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = tmp / "ca.pem", tmp / "cert.pem", tmp / "key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[tuple[int, Path, list[str]]]:
    """An https server on 127.0.0.1 with a certificate for NAME; records the SNI names."""
    ca, cert, key = _certificate(tmp_path)
    names: list[str] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: names.append(name or "")  # type: ignore[assignment,misc]

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = RSS.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], ca, names
    httpd.shutdown()
    httpd.server_close()


def test_https_keeps_the_sites_name_for_sni_and_the_certificate(
    https_server: tuple[int, Path, list[str]], rebinding_dns: list[str]
) -> None:
    port, ca, names = https_server
    trust = ssl.create_default_context(cafile=str(ca))
    fetcher = Fetcher(NetPolicy.parse("127.0.0.1"), verify=trust)
    result = fetcher.get(f"https://{NAME}:{port}/feed.xml")
    assert result.status == 200 and result.body == RSS.encode()
    assert names == [NAME]  # the TLS name is the site's, not the address connected to


def test_a_certificate_for_another_name_is_refused(
    https_server: tuple[int, Path, list[str]],
) -> None:
    port, ca, _ = https_server
    fetcher = Fetcher(
        NetPolicy.parse("127.0.0.1"), verify=ssl.create_default_context(cafile=str(ca))
    )
    with pytest.raises(FetchError) as error:
        fetcher.get(f"https://127.0.0.1:{port}/feed.xml")  # the certificate names NAME
    assert str(error.value) == "The server's security certificate could not be verified."
