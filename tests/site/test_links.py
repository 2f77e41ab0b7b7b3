"""Crawl the whole site: no broken internal link, no missing anchor, no asset loaded from another host."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from fastapi.testclient import TestClient

SITE_ORIGIN = "http://testserver"
START_PATHS = ("/", "/tutorials")
ASSET_ATTRIBUTES = {
    "script": ("src",), "img": ("src", "srcset"), "source": ("src", "srcset"), "iframe": ("src",),
    "video": ("src", "poster"), "audio": ("src",), "embed": ("src",), "object": ("data",), "input": ("src",),
    "track": ("src",),
}
CSS_URL_PATTERN = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""")


class PageLinks(HTMLParser):
    """The links, assets and element ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.assets: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Sort each URL-bearing attribute into links or assets."""
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "href" in values:
            self.links.append(values["href"])
        elif tag == "link" and "href" in values:
            self.assets.append(values["href"])
        elif tag == "form" and values.get("action") and values.get("method", "get").lower() == "get":
            self.links.append(values["action"])
        for name in ASSET_ATTRIBUTES.get(tag, ()):
            if values.get(name):
                self.assets.extend(part.split()[0] for part in values[name].split(",") if part.strip())
        if "style" in values:
            self.assets.extend(CSS_URL_PATTERN.findall(values["style"]))


def is_other_host(url: str) -> bool:
    """An absolute or protocol-relative URL pointing away from this site."""
    parts = urlsplit(url)
    return bool(parts.netloc) and f"{parts.scheme or 'http'}://{parts.netloc}" != SITE_ORIGIN


def crawl(site: TestClient) -> tuple[dict[str, str], list[str], list[str]]:
    """Visit every page reachable from START_PATHS; return pages, broken links and external assets."""
    pages: dict[str, str] = {}
    broken: list[str] = []
    external: list[str] = []
    anchors: list[tuple[str, str, str]] = []
    queue = deque((path, "start") for path in START_PATHS)
    seen = set(START_PATHS)
    while queue:
        path, found_on = queue.popleft()
        response = site.get(path, follow_redirects=False, headers={"accept": "text/html"})
        if response.status_code >= 400:
            broken.append(f"{path} ({response.status_code}) linked from {found_on}")
            continue
        content_type = response.headers.get("content-type", "")
        targets: list[str] = []
        if response.is_redirect:
            targets.append(response.headers["location"])
        elif content_type.startswith("text/html"):
            parser = PageLinks()
            parser.feed(response.text)
            pages[path] = response.text
            external.extend(f"{asset} on {path}" for asset in parser.assets if is_other_host(asset))
            targets.extend(parser.links + parser.assets)
            anchors.extend((path, link, "") for link in parser.links)
            pages[path + "#ids"] = " ".join(parser.ids)
        elif content_type.startswith("text/css"):
            urls = CSS_URL_PATTERN.findall(response.text)
            external.extend(f"{url} in {path}" for url in urls if is_other_host(url))
            targets.extend(url for url in urls if not url.startswith("data:"))
        for target in targets:
            absolute, _ = urldefrag(urljoin(SITE_ORIGIN + path, target))
            if is_other_host(absolute) or not absolute.startswith(("http://", "https://")):
                continue
            parts = urlsplit(absolute)
            local = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            if local not in seen:
                seen.add(local)
                queue.append((local, path))
    for page, link, _ in anchors:
        absolute, fragment = urldefrag(urljoin(SITE_ORIGIN + page, link))
        target = urlsplit(absolute).path
        if fragment and not is_other_host(absolute) and f"{target}#ids" in pages:
            if fragment not in pages[f"{target}#ids"].split():
                broken.append(f"{link} (no element with that id) linked from {page}")
    return pages, broken, external


def test_every_internal_link_works_and_no_asset_comes_from_another_host(site: TestClient) -> None:
    pages, broken, external = crawl(site)
    assert not broken, "broken internal links:\n" + "\n".join(broken)
    assert not external, "assets from another host:\n" + "\n".join(external)
    step_pages = [path for path in pages if path.startswith("/tutorials/") and not path.endswith("#ids")]
    assert len(step_pages) == len(site.app.state.tutorial.steps)


def test_crawler_notices_an_external_asset() -> None:
    parser = PageLinks()
    parser.feed('<link rel="stylesheet" href="https://cdn.example.com/x.css"><img src="//cdn.example.com/a.png">'
                '<a href="https://auth0.com/docs">docs</a><script src="/static/site.js"></script>')
    assert [asset for asset in parser.assets if is_other_host(asset)] == [
        "https://cdn.example.com/x.css", "//cdn.example.com/a.png",
    ]
    assert parser.links == ["https://auth0.com/docs"]
