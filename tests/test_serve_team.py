"""`dnaoc-print serve` run for a team: started as a service manager starts it (no
flags: the settings are the project's serve.toml), behind a reverse proxy, with a
bounded typesetting queue; used through the proxy from a real chromium.

The proxy is a few lines of Python here, doing what nginx's or Caddy's lines in
docs/teams/run-the-composer.md do: pass each request on with X-Forwarded-For,
-Proto and -Host.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from dnaoc_print.cli.main import main
from test_serve_browser import PREVIEW_WAIT_MS, browser, expect_state, fill_session  # noqa: F401

from conftest import copy_project
from pdf_inspect import PdfFacts

FACILITATOR = "Sam Jones"
CONTACT = "sam.jones@ward7.example.nhs.uk"
VENUE = "Seminar room 2"
# Guides typeset one after another to keep the one worker busy.


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Proxy(BaseHTTPRequestHandler):
    """A reverse proxy: every request passed to ``upstream`` with X-Forwarded-*."""

    upstream = ("127.0.0.1", 0)
    protocol_version = "HTTP/1.1"

    def forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        headers["X-Forwarded-For"] = self.client_address[0]
        headers["X-Forwarded-Proto"] = "http"
        headers["X-Forwarded-Host"] = self.headers["Host"]
        connection = http.client.HTTPConnection(*self.upstream, timeout=120)
        try:
            connection.request(self.command, self.path, body=body, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
        finally:
            # Closed even when the browser gave up on the request (a newer preview).
            connection.close()
        try:
            self.send_response(answer.status)
            for name, value in answer.getheaders():
                if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser gave up on this request; its answer has nowhere to go

    do_GET = do_POST = forward

    def log_message(self, *args) -> None:  # quiet
        pass


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory):
    """The project's serve.toml, `dnaoc-print serve` with no flags, and a proxy in front."""
    base = tmp_path_factory.mktemp("team")
    root = copy_project(base / "project")
    port, proxy_port = free_port(), free_port()
    public_url = f"http://127.0.0.1:{proxy_port}"
    (root / "serve.toml").write_text(
        f'port = {port}\npublic_url = "{public_url}"\nbehind_proxy = true\n'
        "workers = 1\nqueue = 0\n",
        encoding="utf-8",
    )
    log = (base / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "dnaoc_print", "serve"],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    first_line = process.stdout.readline()
    if not first_line.startswith("Serving on "):
        process.kill()
        pytest.fail(f"serve did not start: {first_line}{(base / 'server.log').read_text()}")
    handler = type("TeamProxy", (Proxy,), {"upstream": ("127.0.0.1", port)})
    proxy = ThreadingHTTPServer(("127.0.0.1", proxy_port), handler)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    yield {
        "root": root,
        "direct": f"http://127.0.0.1:{port}",
        "public": public_url,
        "first_line": first_line,
        "log": base / "server.log",
    }
    proxy.shutdown()
    proxy.server_close()
    process.terminate()
    process.wait(timeout=30)
    process.stdout.close()
    log.close()


def ask(url: str, data: bytes | None = None, headers: dict | None = None):
    """(status, headers, body) of a request, whatever its status."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as refused:
        with refused:
            return refused.code, refused.headers, refused.read()


def test_the_production_server_answers_at_its_public_url(team) -> None:
    assert team["first_line"].startswith(f"Serving on {team['public']}/")
    status, headers, body = ask(team["public"] + "/")
    assert status == 200 and b"Make a handout" in body
    # The server itself (the proxy puts its own name on what it passes on).
    status, headers, _ = ask(team["direct"] + "/")
    assert status == 200 and headers["Server"] == "waitress"


def test_a_foreign_host_and_a_foreign_origin_are_refused_with_a_clear_page(team) -> None:
    status, _, body = ask(team["direct"] + "/", headers={"Host": "evil.example"})
    assert status == 403
    page = body.decode()
    assert "answers only at" in page and team["public"] in page
    form = b"title=Mine&story=touch"
    status, _, body = ask(
        team["public"] + "/spec.yaml", data=form, headers={"Origin": "http://evil.example"}
    )
    assert status == 403 and b"another website" in body and b"title:" not in body
    # The public URL's own pages may post.
    status, _, body = ask(
        team["public"] + "/spec.yaml", data=form, headers={"Origin": team["public"]}
    )
    assert status == 200 and b"title: Mine" in body, body.decode()[-600:]


def test_a_body_larger_than_any_form_is_refused_before_it_is_read(team) -> None:
    host, port = team["direct"].removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(
            f"POST /load HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: 50000000\r\n"
            "Content-Type: multipart/form-data; boundary=x\r\n\r\n".encode()
        )
        # Nothing of the body is sent: the answer comes all the same.
        answer = connection.recv(4096).decode()
    assert answer.startswith("HTTP/1.1 413"), answer[:200]


def test_a_facilitator_makes_a_handout_through_the_proxy(team, browser, tmp_path) -> None:  # noqa: F811
    from playwright.sync_api import expect

    context = browser.new_context(accept_downloads=True, locale="en-GB")
    try:
        page = context.new_page()
        page.set_default_timeout(PREVIEW_WAIT_MS)
        page.goto(team["public"] + "/")
        fill_session(page)
        page.get_by_label("Contact", exact=True).fill(CONTACT)
        page.get_by_label("Touch", exact=True).check()
        expect_state(page, "Fits on one page.")
        expect(page.get_by_alt_text("The handout's page, as it will print")).to_be_visible()
        with page.expect_download() as downloading:
            page.get_by_role("button", name="Download PDF").click()
        downloading.value.save_as(tmp_path / "handout.pdf")
        text = PdfFacts.open(tmp_path / "handout.pdf").text()
        assert "Compassion in our team" in text and FACILITATOR in text
    finally:
        context.close()


# Six stories: a handout that keeps a worker busy for a while, so that the moments
# between two of them, when a request could slip in, are short beside it.
HOG_STORIES = "".join(
    f"&story={story}"
    for story in (
        "stay",
        "touch",
        "critical-care",
        "dis-integration",
        "what-do-you-see",
        "floristry-perhaps",
    )
)


def hog_the_worker(team, stop: threading.Event, hogs: int = 2) -> threading.Thread:
    """Keep the one worker busy until ``stop``: new handouts to typeset the moment the
    last is answered, from ``hogs`` threads so that one is always waiting, each a form
    never asked for before (an answer already made comes from the store and takes no
    worker). Returns the first thread; the others end with it."""

    def hog(name: int) -> None:
        asked = 0
        while not stop.is_set():
            asked += 1
            form = f"title=Hog+{name}+{asked}{HOG_STORIES}&layout=cards&paper=a4&warning=none"
            status, _, _ = ask(team["direct"] + "/api/preview", data=form.encode())
            if status == 503:
                time.sleep(0.02)

    threads = [threading.Thread(target=hog, args=(n,), daemon=True) for n in range(hogs)]
    for thread in threads:
        thread.start()
    return threads[0]


def wait_for_busy(team) -> tuple[int, dict]:
    deadline = time.monotonic() + 30
    attempt = 0
    while time.monotonic() < deadline:
        # A new form each time: an answer already made would come from the store.
        attempt += 1
        form = f"title=Busy+{attempt}&story=touch&layout=cards&paper=a4&warning=none".encode()
        status, headers, _ = ask(team["direct"] + "/api/preview", data=form)
        if status == 503:
            return status, headers
        time.sleep(0.05)
    raise AssertionError("the queue never filled")


def expect_busy_shown(page, attempts: int = 10) -> None:
    """The page says it is busy. The hogs leave the worker free for a moment between
    two handouts, and a request of the page's may reach it then and be typeset: the
    form is changed (a new title, a new request) until one meets the full queue."""
    from playwright.sync_api import expect

    for attempt in range(attempts):
        try:
            expect(page.locator("#fit-state")).to_have_text("Busy, trying again...", timeout=10_000)
            return
        except AssertionError:
            page.get_by_label("Title", exact=True).fill(f"Busy session {attempt}")
    raise AssertionError(f"the page never said it was busy in {attempts} requests")


def test_past_the_queue_the_answer_is_503_and_the_page_recovers(team, browser) -> None:  # noqa: F811
    from playwright.sync_api import expect

    stop = threading.Event()
    context = browser.new_context(locale="en-GB")
    try:
        hog = hog_the_worker(team, stop)
        status, headers = wait_for_busy(team)
        assert status == 503 and headers["Retry-After"] == "2"
        page = context.new_page()
        page.goto(team["public"] + "/")
        page.get_by_label("Venue", exact=True).fill(VENUE)
        page.get_by_label("Facilitator", exact=True).fill(FACILITATOR)
        page.get_by_label("Stay", exact=True).check()
        expect_busy_shown(page)
        expect(page.get_by_role("button", name="Download PDF")).to_have_attribute(
            "aria-disabled", "true"
        )
        stop.set()
        hog.join(timeout=120)
        expect_state(page, "Fits on one page.")
    finally:
        stop.set()
        context.close()


def test_the_log_holds_paths_and_statuses_and_no_one_s_details(team) -> None:
    """Run after the sessions above (file order): nothing personal kept, on disk or in the log."""
    log = team["log"].read_text(encoding="utf-8")
    assert "POST /api/preview 200" in log and "POST /handout.pdf 200" in log
    assert "POST /api/preview 503" in log
    for personal in (FACILITATOR, CONTACT, VENUE, "Sam+Jones", "Seminar+room"):
        assert personal not in log, personal
    for path in Path(team["root"]).rglob("*"):
        if path.is_file():
            assert FACILITATOR.encode() not in path.read_bytes(), path


def test_serve_toml_problems_are_said_with_their_line(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    (root / "serve.toml").write_text(
        'host = "127.0.0.1"\npublc_url = "https://handouts.example.nhs.uk"\nworkers = "two"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["serve", "-C", str(root)])
    assert result.exit_code == 1
    assert "serve.toml, line 2: unknown setting 'publc_url'" in result.output
    assert "did you mean 'public_url'?" in result.output
    assert "serve.toml, line 3: workers = 'two' is not right" in result.output
    assert "Traceback" not in result.output
    (root / "serve.toml").write_text('public_url = "handouts.example.nhs.uk/composer"\n')
    result = CliRunner().invoke(main, ["serve", "-C", str(root)])
    assert "serve.toml, line 1: public_url" in result.output and "https://" in result.output
    (root / "serve.toml").unlink()
    result = CliRunner().invoke(main, ["serve", "-C", str(root), "--public-url", "handouts"])
    assert "option --public-url: 'handouts' must start with https://" in result.output
    (root / "serve.toml").write_text("workers = 2\nhost = 0.0.0.0\n")
    result = CliRunner().invoke(main, ["serve", "-C", str(root)])
    assert "serve.toml, line 2: is not valid TOML" in result.output


def test_forwarded_headers_are_believed_only_behind_a_proxy(tmp_path: Path) -> None:
    from dnaoc_print.web.app import create_app
    from dnaoc_print.web.preview import Workspace
    from dnaoc_print.web.request_guard import trust_proxy
    from dnaoc_print.web.server import allowed_hosts

    public = "https://handouts.example.nhs.uk"
    workspace = Workspace(copy_project(tmp_path / "project"), workers=1)
    forwarded = {
        "X-Forwarded-Host": "handouts.example.nhs.uk",
        "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "10.1.2.3",
        "Origin": public,
    }
    try:
        for behind_proxy, expected in ((False, 403), (True, 200)):
            app = create_app(workspace, allowed_hosts("127.0.0.1", 8000, public))
            app.config["PUBLIC_URL"] = public
            if behind_proxy:
                trust_proxy(app)
            client = app.test_client()
            answer = client.post(
                "/spec.yaml",
                data={"title": "Mine", "story": "touch"},
                headers={**forwarded, "Host": "upstream.internal:8000"},
            )
            assert answer.status_code == expected, behind_proxy
    finally:
        workspace.close()


def test_the_queue_is_bounded_and_frees_as_work_is_answered() -> None:
    import os

    from dnaoc_print.web.preview_pool import Busy, PreviewPool

    pool = PreviewPool(1, waiting=1)
    try:
        pool.start(wait=30)
        running = pool.submit(time.sleep, 2)
        waiting = pool.submit(os.getpid)
        assert pool.full()
        with pytest.raises(Busy):
            pool.submit(os.getpid)
        running.result(timeout=60)
        assert isinstance(waiting.result(timeout=60), int)
        assert not pool.full()
        assert isinstance(pool.submit(os.getpid).result(timeout=60), int)
    finally:
        pool.close()


def test_a_download_asked_while_busy_gets_a_page_that_asks_again(tmp_path: Path) -> None:
    import html
    import re

    from dnaoc_print.web.app import create_app
    from dnaoc_print.web.preview import Workspace

    workspace = Workspace(copy_project(tmp_path / "project"), workers=1, waiting=0)
    workspace.pool.full = lambda: True  # every worker busy, the queue full
    try:
        client = create_app(workspace, {"localhost"}).test_client()
        form = {"title": "Ward huddle", "story": ["touch", "stay"], "facilitator": FACILITATOR}
        answer = client.post("/handout.pdf", data=form)
        assert answer.status_code == 503 and answer.headers["Retry-After"] == "2"
        page = answer.get_data(as_text=True)
        assert "Busy, trying again..." in page and "busy.js" in page
        # The same form, ready to be sent again by itself (busy.js) or by a press.
        sent_again = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
        assert [(name, html.unescape(value)) for name, value in sent_again] == [
            ("title", "Ward huddle"),
            ("story", "touch"),
            ("story", "stay"),
            ("facilitator", FACILITATOR),
        ]
        assert 'action="/handout.pdf"' in page
        # A page opened (GET) reloads itself instead.
        answer = client.get("/pages/guide/resilience")
        assert answer.status_code == 503
        assert '<meta http-equiv="refresh" content="2">' in answer.get_data(as_text=True)
    finally:
        workspace.close()
