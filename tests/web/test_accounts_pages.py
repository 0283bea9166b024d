"""The office's accounts pages and the password page: who reaches what (only the office; everyone else is
answered 404, as if the page did not exist), what a mistake in the form gives back, and the first sign-in with a
temporary password."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client

from duban.accounts.models import Membership
from duban.accounts.services import user_create
from duban.audit.models import AuditEntry
from duban.orgs.models import OrgUnit

PEOPLE = ("anonymous", "office", "leader", "minzheng", "haikou", "dingan", "sanya")
# In the order of PEOPLE: a status code, "login" (sent to the login page) or "done" (a redirect back to the
# accounts page with a success message).
EXPECTED: dict[str, tuple[str, ...]] = {
    "GET accounts": ("login", "200", "404", "404", "404", "404", "404"),
    "GET accounts, never signed in": ("login", "200", "404", "404", "404", "404", "404"),
    "POST add": ("login", "200", "404", "404", "404", "404", "404"),
    "POST reset": ("login", "200", "404", "404", "404", "404", "404"),
    "POST deactivate": ("login", "done", "404", "404", "404", "404", "404"),
    "POST activate": ("login", "done", "404", "404", "404", "404", "404"),
    "POST roles": ("login", "done", "404", "404", "404", "404", "404"),
    "POST reset, no such account": ("login", "404", "404", "404", "404", "404", "404"),
    "GET password": ("login", "200", "200", "200", "200", "200", "200"),
}


@pytest.fixture
def people(cast: Any) -> dict[str, Any]:
    dingan = user_create(
        username="dingan", password="pw-dingan", unit=OrgUnit.objects.get(code="469021"), roles=["reporter"]
    )
    return {
        "anonymous": None,
        "office": cast.office,
        "leader": cast.leader,
        "minzheng": cast.minzheng,
        "haikou": cast.haikou,
        "dingan": dingan,
        "sanya": cast.sanya,
    }


def requests(cast: Any) -> dict[str, tuple[str, str, dict[str, Any]]]:
    target = cast.minzheng_approver.pk
    return {
        "GET accounts": ("get", "/office/accounts/", {}),
        "GET accounts, never signed in": ("get", "/office/accounts/?never=1&q=省", {}),
        "POST add": (
            "post",
            "/office/accounts/add",
            {"username": "new-reporter", "unit": "469021", "roles": ["reporter"]},
        ),
        "POST reset": ("post", f"/office/accounts/{target}/reset", {}),
        "POST deactivate": ("post", f"/office/accounts/{target}/deactivate", {}),
        "POST activate": ("post", f"/office/accounts/{target}/activate", {}),
        "POST roles": ("post", f"/office/accounts/{target}/roles", {"roles": ["reporter", "approver"]}),
        "POST reset, no such account": ("post", "/office/accounts/99999/reset", {}),
        "GET password": ("get", "/accounts/password/", {}),
    }


def outcome(response: Any) -> str:
    if response.status_code == 302:
        location = response["Location"]
        if "/accounts/login/" in location:
            return "login"
        return "done" if location == "/office/accounts/" else f"redirect {location}"
    return str(response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(EXPECTED))
def test_permission_matrix(cast: Any, people: dict[str, Any], name: str) -> None:
    method, url, data = requests(cast)[name]
    got = []
    for person in PEOPLE:
        with transaction.atomic():
            client = Client()
            if people[person] is not None:
                client.force_login(people[person])
            got.append(outcome(getattr(client, method)(url, data)))
            transaction.set_rollback(True)
    assert tuple(got) == EXPECTED[name]


@pytest.mark.django_db
def test_the_page_lists_accounts_and_who_never_signed_in(cast: Any, people: dict[str, Any]) -> None:
    client = Client()
    client.force_login(cast.office)
    page = client.get("/office/accounts/").content.decode()
    assert "共 8 个账号，其中从未登录 7 个" in page  # force_login counts as a sign-in for the office
    assert 'data-user="dingan"' in page and "定安县" in page and "从未登录" in page
    only = client.get("/office/accounts/?never=1").content.decode()
    assert 'data-user="office"' not in only and 'data-user="dingan"' in only
    # The office's own row and the leaders' role are not offered for change here.
    row = re.search(r'<tr data-user="office">.*?</tr>', page, re.S)
    assert row is not None and "重置密码" not in row.group(0)


@pytest.mark.django_db
def test_creating_an_account_shows_the_temporary_password_once(cast: Any) -> None:
    client = Client()
    client.force_login(cast.office)
    response = client.post(
        "/office/accounts/add",
        {"username": "dingan-tb", "full_name": "王芳", "unit": "定安县", "roles": ["reporter", "approver"]},
    )
    assert response.status_code == 200 and response["Cache-Control"].startswith("private")
    password = re.search(r'<code id="issued-password">(\w+)</code>', response.content.decode())
    assert password is not None
    user = User.objects.get(username="dingan-tb")
    assert user.check_password(password.group(1)) and user.membership.unit.code == "469021"
    assert user.membership.roles == ["reporter", "approver"] and user.membership.password_must_change
    assert password.group(1) not in client.get("/office/accounts/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "x1", "unit": "不存在的单位", "roles": ["reporter"]}, "找不到单位“不存在的单位”"),
        ({"username": "x1", "unit": "", "roles": ["reporter"]}, "请选择单位"),
        ({"username": "haikou", "unit": "469021", "roles": ["reporter"]}, "已存在"),
        ({"username": "x1", "unit": "469021"}, "至少选择一个角色"),
        ({"username": "x1", "unit": "469021", "roles": ["office"]}, "只能授予"),
    ],
)
def test_a_mistake_in_the_form_comes_back_with_what_was_typed(cast: Any, data: dict[str, Any], message: str) -> None:
    client = Client()
    client.force_login(cast.office)
    users = User.objects.count()
    response = client.post("/office/accounts/add", {**data, "full_name": "李明"})
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    assert 'value="李明"' in page and User.objects.count() == users


@pytest.mark.django_db
def test_deactivating_oneself_is_refused_with_a_message(cast: Any) -> None:
    client = Client()
    client.force_login(cast.office)
    response = client.post(f"/office/accounts/{cast.office.pk}/deactivate", follow=True)
    assert "不能在此修改自己的账号" in response.content.decode()
    cast.office.refresh_from_db()
    assert cast.office.is_active


@pytest.mark.django_db
def test_a_temporary_password_must_be_replaced_before_any_page_opens(cast: Any) -> None:
    office = Client()
    office.force_login(cast.office)
    page = office.post("/office/accounts/add", {"username": "dingan-tb", "unit": "469021", "roles": ["reporter"]})
    found = re.search(r'<code id="issued-password">(\w+)</code>', page.content.decode())
    assert found is not None
    temporary = found.group(1)

    person = Client()
    response = person.post("/accounts/login/", {"username": "dingan-tb", "password": temporary})
    assert response.status_code == 302
    for url in ("/", "/work/", "/matrix/", "/office/accounts/"):
        assert person.get(url)["Location"].startswith("/accounts/password/"), url
    assert person.get("/work/")["Location"] == "/accounts/password/?next=%2Fwork%2F"
    form = person.get("/accounts/password/").content.decode()
    assert "请设置新密码" in form and 'name="current"' not in form

    refused = person.post("/accounts/password/", {"new": "12345678", "repeat": "12345678"})
    assert refused.status_code == 200 and "密码只包含数字" in refused.content.decode()
    assert Membership.objects.get(user__username="dingan-tb").password_must_change

    done = person.post("/accounts/password/", {"new": "Qiong-Lan-2026", "repeat": "Qiong-Lan-2026"})
    assert done["Location"] == "/work/"
    assert person.get("/work/").status_code == 200  # the session survived its own password change
    assert not Membership.objects.get(user__username="dingan-tb").password_must_change
    assert AuditEntry.objects.filter(action="password_change", actor__username="dingan-tb").exists()
    assert Client().post("/accounts/login/", {"username": "dingan-tb", "password": "Qiong-Lan-2026"}).status_code == 302


@pytest.mark.django_db
def test_the_password_page_sends_back_only_to_this_site(cast: Any) -> None:
    client = Client()
    client.force_login(cast.haikou)
    response = client.post(
        "/accounts/password/",
        {"current": "pw-haikou", "new": "Haikou-2026-x", "repeat": "Haikou-2026-x", "next": "https://evil.example/"},
    )
    assert response["Location"] == "/work/"


@pytest.mark.django_db
def test_the_accounts_page_speaks_english_when_chosen(cast: Any) -> None:
    client = Client()
    client.force_login(cast.office)
    client.cookies["django_language"] = "en"
    page = client.get("/office/accounts/").content.decode()
    assert "New account" in page and "Never signed in" in page and "新建账号" not in page


@pytest.mark.django_db
def test_the_accounts_page_keeps_its_query_budget(
    cast: Any, people: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    for n in range(30):
        user_create(username=f"extra-{n}", password="x", unit=OrgUnit.objects.get(code="469022"), roles=["reporter"])
    client = Client()
    client.force_login(cast.office)
    with django_assert_max_num_queries(15):
        page = client.get("/office/accounts/")
    assert page.status_code == 200 and "extra-29" in page.content.decode()
