"""The form walk (``tests.pages.walk``, run for every role by ``test_forms_post_somewhere_part*``)
catches what it is there to catch: a form posting back to a page that only shows things, a form
posting to no page or without its CSRF token, an id used twice, a link the user is refused."""

import pytest
from django.http import HttpResponse, HttpResponseForbidden
from django.test import override_settings
from django.urls import path

from stalking_clinic.access import POSTS, public
from stalking_clinic.accounts.roles import Role

from ..pages import page_problems, walk
from . import test_forms_post_somewhere_part1, test_forms_post_somewhere_part2

TOKEN = '<input type="hidden" name="csrfmiddlewaretoken" value="t">'


def _page(body):
    return lambda request, **kwargs: HttpResponse(f"<html><body>{body}</body></html>")


def _refused(request):
    return HttpResponseForbidden()


urlpatterns = [
    path(
        "",
        public(
            _page(
                '<a href="/shows/">Shows</a> <a href="/saves/">Saves</a> '
                '<a href="/twice/">Twice</a> <a href="/nowhere/">Nowhere</a> '
                '<a href="/refused/">Refused</a> <a href="/download.csv">File</a>'
                '<a href="https://elsewhere.example/">Elsewhere</a> <a href="#top">Top</a>'
            )
        ),
    ),
    # A GET-only page whose form posts back to itself: the bug of the case page's note form.
    path(
        "shows/",
        public(_page(f'<form method="post">{TOKEN}<button>Add note</button></form>')),
        name="shows",
    ),
    path(
        "saves/",
        public(
            _page(
                f'<form method="post">{TOKEN}<button>Save</button></form>'
                '<form method="post" action="/saves/"><button>Tokenless</button></form>'
                f'<form method="post" action="/gone/">{TOKEN}<button>Gone</button></form>'
                '<form action="/shows/"><button>Search</button></form>'
            ),
            methods=POSTS,
        ),
        name="saves",
    ),
    path(
        "twice/",
        public(_page('<label for="id_version"></label><input id="id_version"><p id="id_version">')),
        name="twice",
    ),
    path("refused/", public(_refused), name="refused"),
    path("download.csv", public(_page("a,b")), name="download"),
]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_the_walk_finds_each_kind_of_broken_form_and_repeated_id(client):
    seen = walk(client, "/", skip=frozenset({"download"}))
    assert seen.pages == ["/", "/shows/", "/saves/", "/twice/"]
    assert seen.problems == [
        "/: a link goes to /nowhere/, which is no page",
        "/shows/: the form with 'Add note' posts to /shows/ (shows), which does not take a POST",
        "/saves/: the form with 'Tokenless' has no CSRF token",
        "/saves/: the form with 'Gone' posts to /gone/, which is no page",
        "/twice/: the id 'id_version' is on more than one element",
        "/refused/: a link leads here, and it answers 403",
    ]


@override_settings(ROOT_URLCONF=__name__)
def test_a_form_posting_back_to_the_page_it_is_on_counts_as_posting_to_that_page():
    form = f'<form method="post" action="">{TOKEN}<button>Save</button></form>'
    assert page_problems(form, "/saves/?tab=1") == []
    assert page_problems(form, "/shows/") == [
        "the form with 'Save' posts to /shows/ (shows), which does not take a POST"
    ]


def test_the_walk_visits_only_a_few_pages_of_each_kind():
    @public
    def listing(request):
        return HttpResponse("".join(f'<a href="/items/{n}/">{n}</a>' for n in range(20)))

    patterns = [path("", listing), path("items/<int:n>/", public(_page("")), name="item")]
    module = type("urls", (), {"urlpatterns": patterns})
    with override_settings(ROOT_URLCONF=module):
        from django.test import Client

        seen = walk(Client(), "/", per_view=3)
    assert seen.pages == ["/", "/items/0/", "/items/1/", "/items/2/"]
    assert seen.left_out == 17


def test_every_role_is_walked():
    walked = test_forms_post_somewhere_part1.ROLES + test_forms_post_somewhere_part2.ROLES
    assert sorted(walked) == sorted(Role.values)
    assert len(walked) == len(set(walked))
