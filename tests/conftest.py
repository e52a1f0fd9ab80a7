"""Shared fixtures. No test touches the internet: downloads go to a server on 127.0.0.1."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

from crimeoutcomes import paths, pipeline, synthetic


@pytest.fixture(scope="session")
def mirror() -> Path:
    m = paths.default_mirror()
    if m is None or not (m / "2018-19").is_dir():
        pytest.skip("the real mirror (../shared/outcomes-data or $CRIMEOUTCOMES_MIRROR) is not available")
    return m


@pytest.fixture(scope="session")
def sample_processed(mirror, tmp_path_factory) -> Path:
    """The processed sample edition: data/processed/sample when built (make test builds it first), else built
    into a temporary folder from the mirror."""
    default = paths.processed_dir()
    if (default / "sample" / pipeline.BUILD_FILE).is_file():
        return default
    out = tmp_path_factory.mktemp("processed")
    pipeline.build_edition("sample", raw_dir=tmp_path_factory.mktemp("raw"), processed_dir=out, mirror=mirror,
                           allow_download=False, progress=False, log=lambda *a: None)
    return out


@pytest.fixture
def small_frame():
    """A small SYNTHETIC frame: 3 forces, 4 quarters, 2 offences, outcome types 0-18 and 20-21."""
    return synthetic.grid("2018/19", force_names=["Cheshire", "London, City of", "Derbyshire"], n_offences=2, seed=1)


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}

    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404, "Not Found")
            return
        body, behaviour = route
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if behaviour == "interrupt":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)


@pytest.fixture
def http_server():
    """A local HTTP server; add routes with server.routes[path] = (bytes, 'ok' | 'interrupt')."""
    handler = type("Handler", (_Handler,), {"routes": {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    server.routes = handler.routes
    yield server
    server.shutdown()
    server.server_close()
