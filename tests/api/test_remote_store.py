"""The remote-store path against a real Virtuoso started by the tests on 127.0.0.1 and loaded with the graph."""
from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.request
from dataclasses import replace

import pytest

from kg import serialize_dataset
from kg.errors import QueryRejected, ResultTooLarge
from kg.service import QueryService

from ..conftest import free_port, stop_process

INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DirsAllowed = ., {dir}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
ServerThreads = 4
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


def _wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(url)


@pytest.fixture(scope="module")
def virtuoso(built, tmp_path_factory: pytest.TempPathFactory):
    """Virtuoso on loopback ports, with its own database, loaded with the real graph; stopped by PID."""
    server, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt") or shutil.which("isql")
    if server is None or isql is None:
        pytest.skip("Virtuoso is not installed (Debian virtuoso-opensource; .ci/run installs it)")
    workdir = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = free_port(), free_port()
    (workdir / "virtuoso.ini").write_text(INI.format(dir=workdir, sql_port=sql_port, http_port=http_port))
    (workdir / "seikg.nq").write_bytes(serialize_dataset(built.dataset, "nquads"))
    process = subprocess.Popen([server, "-c", str(workdir / "virtuoso.ini"), "-f"], cwd=workdir,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{http_port}/sparql"
    try:
        _wait_for(endpoint + "?query=ASK%7B%7D", 120)
        load = (f"ld_dir('{workdir}', 'seikg.nq', 'https://w3id.org/seikg/graph/data'); "
                "rdf_loader_run(); checkpoint;")
        done = subprocess.run([isql, str(sql_port), "dba", "dba", f"exec={load}"], capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        yield endpoint
    finally:
        stop_process(process)


@pytest.fixture(scope="module")
def remote_service(virtuoso: str, settings):
    service = QueryService(replace(settings, store=virtuoso, max_rows=500))
    service.load()
    yield service
    service.close()


def test_remote_store_describes_the_endpoint(remote_service, built) -> None:
    status = remote_service.status()
    assert status["store"]["kind"] == "remote SPARQL endpoint"
    assert "https://w3id.org/seikg/graph/data" in status["store"]["graphs"]
    assert status["store"]["quads"] >= len(built.dataset) - 100  # Virtuoso may merge duplicate literals


def test_remote_store_answers_like_the_embedded_store(remote_service) -> None:
    query = ("PREFIX seikg: <https://w3id.org/seikg/ontology#> "
             "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a seikg:PolicyDocument }")
    rows = json.loads(remote_service.query(query).body)["results"]["bindings"]
    assert rows[0]["n"]["value"] == "15"


def test_remote_store_serves_the_json_api(remote_service) -> None:
    from kg import catalog
    page = catalog.list_entities(remote_service, "policies", filters={"issuer": "ministry-of-education"})
    assert page.total == 8 and all(item.evidence for item in page.items)
    detail = catalog.get_entity(remote_service, "region", "tangshan")
    assert [link.id for link in detail.links["part_of"]] == ["hebei"]


def test_remote_store_analyses_answer_clearly_that_they_need_the_embedded_store(remote_service) -> None:
    from kg.errors import StoreUnavailable
    with pytest.raises(StoreUnavailable, match="embedded store only"):
        remote_service.analyses()


@pytest.mark.parametrize("fmt", ["xml", "csv", "tsv"])
def test_remote_store_converts_result_formats(remote_service, fmt: str) -> None:
    answer = remote_service.query("SELECT ?s WHERE { ?s a <https://w3id.org/seikg/ontology#Region> } LIMIT 3", fmt)
    assert answer.body and answer.media_type.startswith(("application/sparql-results+xml", "text/"))


def test_remote_store_still_screens_and_caps(remote_service) -> None:
    with pytest.raises(QueryRejected):
        remote_service.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")
    with pytest.raises(QueryRejected):
        remote_service.query("CLEAR ALL")
    with pytest.raises(ResultTooLarge):
        remote_service.query("SELECT * WHERE { ?s ?p ?o }")
