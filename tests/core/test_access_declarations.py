"""A view that does not declare who may use it is refused by the system check; one that is posted
to when it declared only GET (a form posting to a page that only shows things) answers 405."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import LogoutView
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from stalking_clinic.access import POST_ONLY, POSTS, Perm, public, require
from stalking_clinic.access.checks import check_views_declare_access
from stalking_clinic.accounts.roles import Role


def undeclared(request):
    return HttpResponse("who may see me?")


urlpatterns = [
    path("declared/", require(Perm.HOME)(undeclared)),
    path("open/", public(lambda request: HttpResponse("ok"))),
    path("undeclared/", undeclared),
]


@override_settings(ROOT_URLCONF=__name__)
def test_system_check_names_the_view_that_declares_nothing():
    errors = check_views_declare_access(None)
    assert [e.id for e in errors] == ["access.E001"]
    assert "undeclared/" in errors[0].msg
    assert "test_access_declarations.undeclared" in errors[0].msg


def test_the_real_urls_all_declare_access():
    assert check_views_declare_access(None) == []


# --- the HTTP methods a view takes ----------------------------------------------------------------

ok = HttpResponse  # a view answering 200 to whatever reaches it


@pytest.fixture
def signed_in(rf, make_user):
    def request(method, user=None):
        made = rf.generic(method, "/")
        made.user = user or make_user(Role.COORDINATOR)
        return made

    return request


def test_a_view_takes_get_and_head_only_unless_it_says_so(signed_in):
    view = require(Perm.HOME)(lambda request: ok())
    assert view.access.methods == {"GET", "HEAD"}
    assert [view(signed_in(m)).status_code for m in ("GET", "HEAD", "POST", "PUT")] == [
        200,
        200,
        405,
        405,
    ]
    refused = view(signed_in("POST"))
    assert refused["Allow"] == "GET, HEAD"


def test_a_page_that_saves_its_form_declares_posts_and_a_button_post_only(signed_in):
    page = require(Perm.HOME, methods=POSTS)(lambda request: ok())
    button = require(Perm.HOME, methods=POST_ONLY)(lambda request: ok())
    assert [page(signed_in(m)).status_code for m in ("GET", "POST", "DELETE")] == [200, 200, 405]
    assert [button(signed_in(m)).status_code for m in ("GET", "HEAD", "POST")] == [405, 405, 200]
    assert page.access.accepts("post") and not button.access.accepts("GET")


def test_a_view_wrapped_in_djangos_require_post_takes_what_that_allows(signed_in, rf):
    button = require(Perm.HOME)(require_POST(lambda request: ok()))
    feed = public(require_GET(lambda request: ok()))
    assert button.access.methods == {"POST"} and feed.access.methods == {"GET"}
    assert [button(signed_in(m)).status_code for m in ("GET", "POST")] == [405, 200]
    assert [feed(rf.generic(m, "/")).status_code for m in ("GET", "POST")] == [200, 405]


def test_who_may_use_it_is_decided_before_the_method(signed_in, rf, make_user):
    """An outsider learns nothing from a 405: sign in first, then 403, then the method."""
    view = require(Perm.TRIAGE)(lambda request: ok())
    anonymous = rf.post("/")
    anonymous.user = AnonymousUser()
    assert view(anonymous).status_code == 302
    with pytest.raises(PermissionDenied):
        view(signed_in("POST", make_user(Role.OFFICER)))
    assert view(signed_in("POST")).status_code == 405


def test_public_views_declare_their_methods_too(rf):
    plain = public(lambda request: ok())
    saving = public(methods=POSTS)(lambda request: ok())
    assert plain(rf.post("/")).status_code == 405
    assert saving(rf.post("/")).status_code == 200
    # A class-based view takes what it has handlers for: signing out is a POST.
    sign_out = public(LogoutView.as_view())
    assert sign_out.access.methods == {"POST", "OPTIONS"}
    assert sign_out(rf.get("/")).status_code == 405


def test_methods_are_named_as_http_names_them():
    with pytest.raises(ValueError, match="FETCH"):
        require(Perm.HOME, methods={"FETCH"})
    with pytest.raises(TypeError):
        require(Perm.HOME, methods="POST")
