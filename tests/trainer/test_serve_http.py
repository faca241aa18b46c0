"""A real `course serve` (Voilà) answers every page in French, offline, with no code and no key."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import pytest
from support.project import configured, free_port

from course.access.roster import Roster
from course.server.serve import start

LOCAL = re.compile(r"^(/|data:|#|\?|https?://(127\.0\.0\.1|localhost)[:/])")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "action", "poster", "data") and value:
                self.urls.append(value)


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


@pytest.fixture
def server(project):
    # This test reads some thirty pages as one visitor: the anonymous quota (a flood guard,
    # tested in test_browser_flood) would rightly refuse the later ones.
    project = configured(project, "c.ServeSettings.max_anonymous_pages = 0")
    port = free_port()
    process = start(project, port=port)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(base + "/voila/static/voila.js", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("Voilà did not start")
    yield project, base
    process.terminate()
    process.wait(timeout=20)


def external_urls(page: str) -> list[str]:
    parser = Links()
    parser.feed(page)
    urls = parser.urls + re.findall(r"url\(\s*['\"]?([^'\")]+)", page)
    urls += re.findall(r"""import\(\s*['"]([^'"]+)""", page)
    return [u for u in urls if not LOCAL.match(u) and "://" in u or u.startswith("//")]


@pytest.mark.slow
def test_every_page_is_french_offline_and_shows_no_code_nor_key(server):
    project, base = server
    token = Roster(project.data_dir).token(Roster(project.data_dir).add("Élodie")[0].id)
    pages = ["/voila/render/index.ipynb"]
    for m in project.catalogue.modules:
        pages += [f"/voila/render/{m.id}/lesson.ipynb", f"/voila/render/{m.id}/evaluation.ipynb"]
        pages += [f"/voila/render/{m.id}/{tool}.ipynb" for tool in m.tools]
    assert "/voila/render/faire-son-cv/cv.ipynb" in pages
    # Explanations reveal the answers: no page may carry them before grading. (Short accepted
    # answers are not checked here: a word like "partage" may rightly appear in a title.)
    secrets = [q.explanation[:60] for m in project.catalogue.modules for q in m.questions]
    asked = [(path, path + query) for path in pages for query in ("", f"?cle={token}")]
    # Three at a time, as a few learners opening pages together: the server starts their
    # kernels side by side instead of one after the other. Every page is read and checked.
    with ThreadPoolExecutor(max_workers=3) as readers:
        replies = list(readers.map(lambda item: fetch(base + item[1]), asked))
    for (path, _url), (status, page) in zip(asked, replies, strict=True):
        assert status == 200, path
        assert '<html lang="fr">' in page, path
        for code in ("from course", "_app(", "import ", "grade("):
            assert code not in page.replace("import(", ""), (path, code)
        assert '"answer"' not in page
        for secret in secrets:
            assert secret not in page, (path, secret)
        assert external_urls(page) == [], path
        assert "Running" not in page and "Executing" not in page


def test_home_leads_to_catalogue_and_sources_are_not_served(server):
    project, base = server
    status, page = fetch(base + "/")
    assert status == 200 and 'lang="fr"' in page and "voila/render/index.ipynb" in page
    for path in (
        "/voila/files/index.ipynb",
        "/voila/files/../modules/02-proteger-ses-donnees/evaluation.toml",
        "/voila/render/../../nbgrader_config.py",
        "/voila/files/../var/roster.json",
    ):
        status, body = fetch(base + path)
        assert status in (403, 404), path
        assert "answer" not in body


def test_kernel_pools_preheat_the_pages_a_group_opens_together(project):
    from course.server.serve import ServeSettings, kernel_pools

    POOL_SIZE = ServeSettings.pool_size.default_value
    MAX_POOLED_KERNELS = ServeSettings.max_pooled_kernels.default_value

    modules = project.catalogue.modules
    pools = kernel_pools(project)
    sizes = {name: conf["pool_size"] for name, conf in pools.items() if name != "default"}
    assert pools["default"] == {"pool_size": 0}
    assert sizes["index.ipynb"] == POOL_SIZE
    assert sum(sizes.values()) <= MAX_POOLED_KERNELS
    # Evaluations come before lessons: the moment everybody opens the same page at once.
    assert all(
        sizes.get(f"{m.id}/evaluation.ipynb") == 1 for m in modules[: MAX_POOLED_KERNELS - 2]
    )

    cv = project.catalogue.get("faire-son-cv")
    focused = kernel_pools(project, cv)
    assert {n: c["pool_size"] for n, c in focused.items() if n != "default"} == {
        "index.ipynb": POOL_SIZE,
        "faire-son-cv/lesson.ipynb": POOL_SIZE,
        "faire-son-cv/evaluation.ipynb": POOL_SIZE,
        "faire-son-cv/cv.ipynb": 1,
    }
    assert kernel_pools(project, cv, pool_size=0) == {"default": {"pool_size": 0}}


def filled_pools(log) -> dict[str, int]:
    """Voilà's own report in its log: notebook -> kernels its pool was filled with."""
    text = log.read_text(encoding="utf-8", errors="replace")
    return {n: int(k) for n, k in re.findall(r"Kernel pool of (\S+) is filled with (\d+)", text)}


@pytest.mark.slow
def test_voila_fills_exactly_the_pools_we_ask_for(project, tmp_path):
    # The pools travel to Voilà in an environment variable: prove the real server obeys it.
    from course.server.serve import kernel_pools

    module = project.catalogue.get("02")
    pools = kernel_pools(project, module)
    wanted = {n: c["pool_size"] for n, c in pools.items() if n != "default"}
    log = tmp_path / "voila.log"
    with log.open("wb") as out:
        process = start(project, port=free_port(), pools=pools, stdout=out, stderr=out)
        try:
            deadline = time.time() + 150
            while time.time() < deadline and len(filled_pools(log)) < len(wanted):
                time.sleep(1)
            time.sleep(2)  # nothing else may follow
        finally:
            process.terminate()
            process.wait(timeout=30)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert filled_pools(log) == wanted
    assert len(re.findall(r"Kernel started:", text)) == sum(wanted.values())
