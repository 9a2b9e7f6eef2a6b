from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from lianbang.accounts.models import Assignment, Role, User
from lianbang.conftest import Tree
from lianbang.org.services import unit_create
from lianbang.registry.services import household_save_document


@pytest.fixture
def area_leader(tree: Tree) -> User:
    user = User.objects.create_user("area1", password="Lianbang@2026", full_name="赵片长")
    # Has chosen their own password already (else the login asks for a new one first).
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password_changed_at"])
    Assignment.objects.create(user=user, unit=tree.area, role=Role.AREA_LEADER)
    return user


def test_it_asks_for_a_login_first(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_login_page_speaks_chinese_by_default(client: Client, db: None) -> None:
    assert "登录" in client.get("/login/").content.decode()


def test_a_wrong_password_is_refused_with_a_message(client: Client, area_leader: User) -> None:
    response = client.post("/login/", {"username": "area1", "password": "wrong-password"})
    assert "用户名或密码不正确" in response.content.decode()


def test_an_official_lands_on_the_console_and_the_overview_shows_their_unit(
    client: Client, area_leader: User, tree: Tree, document: dict[str, Any]
) -> None:
    household_save_document(data=document)
    landing = client.post("/login/", {"username": "area1", "password": "Lianbang@2026"}, follow=True)
    assert landing.redirect_chain[-1][0] == "/console/"
    page = client.get("/overview/", follow=True).content.decode()
    assert "第一片区" in page and 'id="households-total">1<' in page
    assert 'id="members-total">3<' in page
    assert "7栋党支部" in page


def test_a_unit_outside_the_users_subtree_is_not_found(client: Client, area_leader: User, tree: Tree) -> None:
    other = unit_create(level=3, name="别的社区", parent=tree.street)
    client.force_login(area_leader)
    assert client.get(f"/units/{other.pk}/").status_code == 404
    assert client.get(f"/units/{tree.street.pk}/").status_code == 404
    assert client.get(f"/units/{tree.branch.pk}/").status_code == 200


def test_the_floor_group_page_lists_its_households(
    client: Client, area_leader: User, tree: Tree, document: dict[str, Any]
) -> None:
    document["grid"] = "G-0001"
    household_save_document(data=document)
    client.force_login(area_leader)
    page = client.get(f"/units/{tree.floor_group.pk}/").content.decode()
    assert "530113-000001" in page and "7栋2单元302室" in page


def test_the_api_answers_its_health_check(client: Client, db: None) -> None:
    body = client.get("/api/v1/health").json()
    assert body["status"] == "ok"


def test_english_is_available(client: Client, db: None) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    page = client.get("/login/").content.decode()
    assert "Log in" in page and "User name" in page
