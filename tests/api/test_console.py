"""The console in a real headless Chromium against a real uvicorn server on loopback, with every request to
anywhere else refused: it loads from the service's own assets, signs in, runs a compound query, keeps the
headers across a reload, and receives a tally over a subscription. Screenshots go to docs/."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

from domain.accounts.rules import Role
from domain.geography.models import Compound
from tests.api.test_deliberation_subscription import TALLY_UPDATED, cast_over_http, server
from tests.api.test_deliberation_support import build_world, voting
from tests.conftest import make_token

REPO = Path(__file__).resolve().parents[2]
ASSETS = REPO / "api" / "static" / "graphiql"
# The README's screenshots: rewritten only on request (TONGXIN_UPDATE_SCREENSHOTS=1), so a test run leaves the
# checkout clean; otherwise they go to a temporary folder.
DOCS = REPO / "docs" if os.environ.get("TONGXIN_UPDATE_SCREENSHOTS") == "1" else Path(
    tempfile.gettempdir()) / "tongxin-console-screenshots"
CHROMIUM = os.environ.get("TONGXIN_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "correct horse battery"  # make_token's accounts


def test_the_vendored_assets_are_the_pinned_files_with_their_licences():
    listed = re.findall(r"^    ([0-9a-f]{64})  (\S+)$", (ASSETS / "README.md").read_text(), re.MULTILINE)
    assert len(listed) == 6
    for digest, name in listed:
        assert hashlib.sha256((ASSETS / name).read_bytes()).hexdigest() == digest, name
    for licence in ("LICENSE.react", "LICENSE.react-dom", "LICENSE.graphiql"):
        assert "MIT License" in (ASSETS / licence).read_text()


async def test_the_console_page_loads_nothing_from_outside(client, db):
    page = await client.get("/graphql", headers={"Accept": "text/html"})
    asset = await client.get("/console-assets/graphiql.min.js")

    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/console-assets/") or s.startswith("data:") for s in sources), sources
    assert asset.status_code == 200 and len(asset.content) > 1_000_000


def _chromium_or_skip() -> None:
    if Path(CHROMIUM).exists() and shutil.which(CHROMIUM):
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"Chromium is required in CI: {CHROMIUM} absent (apt-get install -y chromium)")
    pytest.skip(f"Chromium absent at {CHROMIUM} (apt-get install -y chromium)")


LAUNCH_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
               "--disable-sync", "--no-first-run", "--metrics-recording-only", "--disable-extensions"]


async def _editor_value(page: Any, selector: str) -> str:
    return await page.evaluate("(s) => document.querySelector(s).CodeMirror.getValue()", selector)


async def _run(page: Any, query: str | None = None) -> None:
    if query is not None:  # typed as a person would, so GraphiQL sees the edit (and the operation's name)
        await page.click(".graphiql-query-editor .CodeMirror")
        await page.keyboard.press("Control+A")
        await page.keyboard.insert_text(query)
        name = re.search(r"(?:query|mutation|subscription)\s+(\w+)", query)
        if name:  # GraphiQL settles the operation's name after a short debounce: run once it has
            await page.wait_for_function("(n) => localStorage.getItem('graphiql:operationName') === n",
                                         arg=name.group(1), timeout=10_000)
    await page.click(".graphiql-execute-button")


async def _response_containing(page: Any, text: str) -> dict[str, Any]:
    try:
        await _wait_for_response(page, text)
    except Exception:
        shown = await page.evaluate("() => { const e = document.querySelector('.graphiql-response .CodeMirror');"
                                    " return e ? e.CodeMirror.getValue() : '(no response pane)'; }")
        await page.screenshot(path=str(Path(tempfile.gettempdir()) / "tongxin-console-failure.png"))
        raise AssertionError(f"the response pane never showed {text!r}; it shows: {shown[:2000]}") from None
    return json.loads(await _editor_value(page, ".graphiql-response .CodeMirror"))


async def _wait_for_response(page: Any, text: str) -> None:
    await page.wait_for_function(
        "(t) => { const e = document.querySelector('.graphiql-response .CodeMirror');"
        " return e && e.CodeMirror.getValue().includes(t); }", arg=text, timeout=20_000)


async def test_a_newcomer_signs_in_and_runs_a_query_and_a_subscription_offline(gql, db):
    if db != "sqlite":
        pytest.skip("the console is the same on both databases; the browser runs once, on SQLite")
    _chromium_or_skip()
    from playwright.async_api import async_playwright

    w = await build_world()
    _, item = await voting(gql, w)
    await make_token(Role.CENTRE_ADMIN, username="console-admin")
    compounds = await Compound.all().count()
    DOCS.mkdir(parents=True, exist_ok=True)
    outside: list[str] = []

    async with server(None) as address, async_playwright() as pw:
        base = f"http://{address}"
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            context = await browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")

            async def only_loopback(route: Any) -> None:
                url = route.request.url
                if url.startswith((base, f"ws://{address}", "data:")):
                    await route.continue_()
                else:
                    outside.append(url)
                    await route.abort()

            await context.route("**/*", only_loopback)
            page = await context.new_page()
            await page.goto(f"{base}/graphql")
            await page.wait_for_selector(".graphiql-query-editor .CodeMirror", timeout=20_000)
            assert "FirstLook" in await _editor_value(page, ".graphiql-query-editor .CodeMirror")

            await page.fill("#tx-username", "console-admin")
            await page.fill("#tx-password", PASSWORD)
            await page.click("#tx-signin")
            await page.wait_for_function("document.getElementById('tx-status').textContent.startsWith('✓')")
            await page.wait_for_selector(".graphiql-query-editor .CodeMirror")
            await _run(page)
            result = await _response_containing(page, "totalCount")
            await page.screenshot(path=str(DOCS / "console-signed-in.png"))

            assert result["data"]["viewer"] == {"username": "console-admin", "roles": ["CENTRE_ADMIN"]}
            assert result["data"]["compounds"]["totalCount"] == compounds

            # The sign-in is kept across a reload (the token in this browser's storage).
            await page.reload()
            await page.wait_for_selector(".graphiql-query-editor .CodeMirror", timeout=20_000)
            assert await page.evaluate("localStorage.getItem('tongxin:token')")
            assert (await page.text_content("#tx-status")).startswith("✓")
            await _run(page, "query Again { viewer { username } }")
            again = await _response_containing(page, "username")
            assert again["data"]["viewer"]["username"] == "console-admin"

            # A subscription from the console: the token travels in connection_init's payload.
            subscription = TALLY_UPDATED.replace("$agendaItemId", json.dumps(item)).replace(
                f"({json.dumps(item)}: ID!)", "")
            await _run(page, subscription)
            await _response_containing(page, "participatingVoters")
            await cast_over_http(address, w.staff_token, item, w.members[0].id)
            pushed = await _response_containing(page, '"agreeVoters": 1')
            await page.screenshot(path=str(DOCS / "console-subscription.png"))
            assert pushed["data"]["tallyUpdated"]["agreeVoters"] == 1
        finally:
            await browser.close()

    assert outside == [], f"the console tried to reach outside the service: {outside}"
