"""A view that does not declare who may use it is refused by the system check."""

from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from stalking_clinic.access import Perm, public, require
from stalking_clinic.access.checks import check_views_declare_access


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
