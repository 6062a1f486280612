"""Uploading to a Graph Store Protocol endpoint: what is sent, in which order, and errors that name the cause.

The store here is a small recording HTTP server on 127.0.0.1; the same path against a real Virtuoso is in
tests/api/test_remote_store.py.
"""
from __future__ import annotations

import base64
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pyoxigraph as ox
import pytest

from kg.cli.main import main
from kg.errors import LoadError, StoreUnavailable
from kg.store.gsp import load_into

pytestmark = [pytest.mark.virtuoso, pytest.mark.slow]

G1, G2 = "https://w3id.org/seikg/graph/data", "https://w3id.org/seikg/graph/ontology"


class _Recorder(BaseHTTPRequestHandler):
    def _handle(self) -> None:
        expected = "Basic " + base64.b64encode(b"dba:secret").decode()
        if self.headers.get("Authorization") != expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="store"')
            self.end_headers()
            return
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        graph = parse_qs(urlparse(self.path).query)["graph"][0]
        self.server.log.append((self.command, graph, len(list(ox.parse(body, format=ox.RdfFormat.N_TRIPLES)))
                                if body else 0, self.headers.get("Content-Type")))
        self.send_response(404 if self.command == "DELETE" and graph not in self.server.known else 201)
        self.end_headers()

    do_POST = do_DELETE = _handle

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def store():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.log, server.known = [], {G1}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _nquads(tmp_path: Path, n: int) -> Path:
    lines = [f"<http://ex/s{i}> <http://ex/p> \"{i}\" <{G1 if i % 3 else G2}> ." for i in range(n)]
    path = tmp_path / "graph.nq"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_remote_load_replaces_each_graph_then_posts_chunks(store, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{store.server_port}/gsp"
    report = load_into(url, _nquads(tmp_path, 10), user="dba", password="secret", chunk=3)
    assert report.graphs == {G1: 6, G2: 4}
    assert [entry for entry in store.log if entry[0] == "DELETE"] == [("DELETE", G2, 0, "application/n-triples"),
                                                                      ("DELETE", G1, 0, "application/n-triples")]
    posted = {g: sum(n for method, graph, n, _ in store.log if method == "POST" and graph == g) for g in (G1, G2)}
    assert posted == {G1: 6, G2: 4}
    assert max(n for method, _, n, _ in store.log if method == "POST") == 3
    first_post = {g: next(i for i, e in enumerate(store.log) if e[:2] == ("POST", g)) for g in (G1, G2)}
    assert all(store.log.index(("DELETE", g, 0, "application/n-triples")) < first_post[g] for g in (G1, G2))


def test_remote_load_names_a_refusal_and_a_bad_file(store, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{store.server_port}/gsp"
    with pytest.raises(StoreUnavailable, match="answered 401 to DELETE of graph"):
        load_into(url, _nquads(tmp_path, 2), user="dba", password="wrong")
    bad = tmp_path / "bad.nq"
    bad.write_text(f"<http://ex/s> <http://ex/p> \"unterminated <{G1}> .\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"bad.nq:1: not valid N-Quads"):
        load_into(url, bad, user="dba", password="secret")
    default = tmp_path / "default.nq"
    default.write_text("<http://ex/s> <http://ex/p> <http://ex/o> .\n", encoding="utf-8")
    with pytest.raises(LoadError, match="default graph"):
        load_into(url, default, user="dba", password="secret")


def test_cli_load_exit_codes(store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{store.server_port}/gsp"
    assert main(["load", "--into", "ftp://nowhere", "--graph", str(_nquads(tmp_path, 2))]) == 2
    assert "--into 'ftp://nowhere'" in capsys.readouterr().err
    assert main(["load", "--into", url, "--graph", str(tmp_path / "missing.nq")]) == 2
    assert "missing.nq does not exist" in capsys.readouterr().err
    monkeypatch.setenv("SEIKG_STORE_PASSWORD", "wrong")
    assert main(["load", "--into", url, "--user", "dba", "--graph", str(_nquads(tmp_path, 2))]) == 1
    assert "answered 401" in capsys.readouterr().err
    monkeypatch.setenv("SEIKG_STORE_PASSWORD", "secret")
    assert main(["load", "--into", url, "--user", "dba", "--graph", str(_nquads(tmp_path, 5))]) == 0
    assert "loaded 5 triples into 2 graphs" in capsys.readouterr().out
