"""What the page tests share: a signed-in test client, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Page, sync_playwright

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Screenshots the browser tests take, for a person to look at.
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def signed_in(user: Any) -> Client:
    """A test client signed in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


def page_errors(page: Page) -> list[str]:
    """The list that collects every console error and uncaught exception of ``page`` from now on."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def browser_page() -> Iterator[Page]:
    # Playwright's synchronous API runs an event loop in this thread; the ORM calls the test makes between
    # its steps are still synchronous, so Django's guard against async contexts is lifted for the test.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page(viewport={"width": 1366, "height": 768}, accept_downloads=True)
        yield page
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def log_in(page: Page, base: str, username: str, password: str) -> None:
    """Sign in afresh as ``username`` and wait for the page frame."""
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click(".login button")
    page.wait_for_selector("header nav")
