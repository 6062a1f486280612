"""The real server: `seikg serve` started on 127.0.0.1 and queried by real SPARQL clients."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import httpx2 as httpx
import pytest
from SPARQLWrapper import JSON, POST, SPARQLWrapper, TURTLE, XML

from tests.conftest import ROOT

pytestmark = [pytest.mark.slow]


def _wrapper(base: str) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{base}/sparql")
    client.setTimeout(30)
    return client


def test_live_sparqlwrapper_select_json(live_server: str) -> None:
    client = _wrapper(live_server)
    client.setQuery("""PREFIX seikg: <https://w3id.org/seikg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?label WHERE { ?p a seikg:Outline ; rdfs:label ?label FILTER (LANG(?label) = "en") }""")
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert [r["label"]["value"] for r in rows] == [
        "Outline of the Plan for Building a Strong Country through Education (2024-2035)"]


def test_live_sparqlwrapper_ask_xml_and_post_construct(live_server: str) -> None:
    client = _wrapper(live_server)
    client.setQuery("ASK { <https://w3id.org/seikg/id/region/tangshan> ?p ?o }")
    client.setReturnFormat(XML)
    assert "<boolean>true</boolean>" in client.query().convert().toxml()
    client.setMethod(POST)
    client.setQuery("CONSTRUCT WHERE { <https://w3id.org/seikg/id/region/tangshan> ?p ?o }")
    client.setReturnFormat(TURTLE)
    assert b"partOfRegion" in client.query().convert()


def test_live_competency_question_over_http(live_server: str) -> None:
    """PUB12 through the endpoint: the pilot plan's named places."""
    query = """PREFIX seikg: <https://w3id.org/seikg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT DISTINCT ?label WHERE {
          ?p a/rdfs:subClassOf* seikg:PolicyDocument ; rdfs:label ?pl ; seikg:appliesToRegion ?r .
          FILTER(CONTAINS(LCASE(STR(?pl)), "pilot implementation plan"))
          FILTER(!CONTAINS(LCASE(STR(?pl)), "notice"))
          ?r rdfs:label ?label . FILTER(LANGMATCHES(LANG(?label), "en")) }"""
    rows = httpx.post(f"{live_server}/sparql", data={"query": query},
                      headers={"accept": "application/sparql-results+json"}, timeout=30).json()
    labels = {b["label"]["value"] for b in rows["results"]["bindings"]}
    assert {"Jinnan District, Tianjin", "Tangshan City"} <= labels


def test_live_hostile_query_refused_over_http(live_server: str) -> None:
    response = httpx.get(f"{live_server}/sparql", params={"query": "CLEAR ALL"}, timeout=30)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "query_rejected"


def test_live_health_and_status(live_server: str) -> None:
    assert httpx.get(f"{live_server}/health", timeout=10).json()["status"] == "ok"
    status = httpx.get(f"{live_server}/status", timeout=10).json()
    assert status["ready"] and status["store"]["quads"] > 10_000
    assert status["last_reload"]["ok"] is True


def jena_command(workdir: Path, tool: str = "rsparql") -> list[str] | None:
    """The command for an Apache Jena tool (``rsparql``, ``riot``): on PATH, or from Debian's
    libapache-jena-java jars.

    Debian's jena-core.jar keeps Jena's embedded xerces classes under ``xerces/`` but
    their message bundles under ``org/apache/jena/ext/xerces/``; the regex facets
    then fail while Jena initialises. The bundles are copied where the classes look.
    """
    on_path = shutil.which(tool)
    if on_path:
        return [on_path]
    java, jars = shutil.which("java"), Path("/usr/share/java")
    if java is None or not (jars / "jena-cmds.jar").is_file():
        return None
    resources = workdir / "jena-resources"
    prefix = "org/apache/jena/ext/xerces/"
    with zipfile.ZipFile(jars / "jena-core.jar") as archive:
        for name in archive.namelist():
            if name.startswith(prefix) and name.endswith(".properties"):
                target = resources / "xerces" / name[len(prefix):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(name))
    classpath = [str(resources)] + sorted(
        str(j) for j in jars.glob("*.jar")
        if not re.search(r"-\d[\d.]*\.jar$", j.name) and not re.search("slf4j|log4j", j.name, re.I))
    classpath += [str(jars / "slf4j-api.jar"), str(jars / "slf4j-nop.jar")]
    return [java, "-cp", ":".join(classpath), {"rsparql": "arq.rsparql", "riot": "riotcmd.riot"}[tool]]


def test_live_jena_rsparql(live_server: str, tmp_path: Path) -> None:
    command = jena_command(tmp_path)
    if command is None:
        pytest.skip("Apache Jena is not installed (Debian libapache-jena-java; .ci/run installs it)")
    query = tmp_path / "q.rq"
    query.write_text("PREFIX seikg: <https://w3id.org/seikg/ontology#>\n"
                     "SELECT (COUNT(?p) AS ?n) WHERE { ?p a seikg:PolicyDocument }\n", encoding="utf-8")
    done = subprocess.run(command + ["--service", f"{live_server}/sparql", "--query", str(query),
                                     "--results", "csv"], capture_output=True, text=True, timeout=180, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    expected = httpx.get(f"{live_server}/api/policies", params={"per_page": 1}, timeout=60).json()["total"]
    assert done.stdout.split() == ["n", str(expected)]


# -- issue 12: bodies bounded before they are read ----------------------------------------------------------

def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def _send_body(base: str, *, declared: bool, total: int) -> tuple[bytes, int]:
    """Send up to ``total`` bytes of body to /sparql over a raw socket; return the status line and bytes sent."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(base)
    conn = socket.create_connection((parts.hostname, parts.port), timeout=10)
    head = (f"POST /sparql HTTP/1.1\r\nHost: {parts.netloc}\r\nContent-Type: application/sparql-query\r\n"
            + (f"Content-Length: {total}\r\n" if declared else "Transfer-Encoding: chunked\r\n") + "\r\n")
    conn.sendall(head.encode())
    sent = 0
    chunk = b"x" * 65536
    try:
        while sent < total:
            conn.sendall(chunk if declared else b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
    except OSError:  # the server answered and closed: what we want
        pass
    conn.settimeout(10)
    reply = b""
    try:
        while b"\r\n" not in reply:
            data = conn.recv(4096)
            if not data:
                break
            reply += data
    except OSError:
        pass
    conn.close()
    return reply.split(b"\r\n", 1)[0], sent


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_issue_12_a_100_mb_body_is_refused_before_it_is_read(declared: bool, live_server: str) -> None:
    pid = httpx.get(f"{live_server}/status", timeout=10).json()["pid"]
    before = _rss_kib(pid)
    status, sent = _send_body(live_server, declared=declared, total=100 * 2**20)
    assert b" 413 " in status, status
    assert _rss_kib(pid) - before < 20 * 1024, "the server grew by 20 MB or more"
    assert httpx.get(f"{live_server}/health", timeout=10).status_code == 200


def test_issue_12_serve_starts_with_network_less_workers(live_server: str) -> None:
    sandbox = httpx.get(f"{live_server}/status", timeout=10).json()["sandbox"]
    assert sandbox["isolated"] is True, sandbox
    assert "network namespace" in sandbox["layers"] or "seccomp" in sandbox["layers"]
