"""The course catalogue: the list, a course's page, adding and changing a course.

Who may use these views (``training.access``):
- ``courses`` and ``course_detail``: everyone in the training area (``Perm.TRAINING``).
- ``course_new`` and ``course_edit``: the coordinator and the tactical lead
  (``Perm.TRAINING_MANAGE``); anyone else gets 403.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import path, reverse

from stalking_clinic.access import POSTS, Perm, can, require

from ..access import get_course_for_user, manages_training
from ..forms.courses import CourseEditForm, CourseForm
from ..selectors.courses import catalogue, course_page
from ..services import courses as services
from .pages import form_page


def _course_url(course) -> str:
    return reverse("training:course_detail", args=[course.pk])


@require(Perm.TRAINING)
def courses(request):
    return render(
        request,
        "training/courses.html",
        {"courses": catalogue(request.user), "can_manage": manages_training(request.user)},
    )


@require(Perm.TRAINING)
def course_detail(request, pk):
    course = get_course_for_user(request.user, pk)
    return render(
        request,
        "training/course_detail.html",
        {
            "course": course,
            **course_page(request.user, course),
            "can_manage": manages_training(request.user),
            "can_book": can(request.user, Perm.TRAINING_BOOK),
        },
    )


@require(Perm.TRAINING_MANAGE, methods=POSTS)
def course_new(request):
    return form_page(
        request,
        CourseForm(request.POST or None, initial={"kind": "mandatory"}),
        services.course_create,
        done=lambda course: f"Course added: {course.title}.",
        then=_course_url,
        template="training/course_form.html",
        context={"title": "Add a course", "back_url": reverse("training:courses")},
    )


@require(Perm.TRAINING_MANAGE, methods=POSTS)
def course_edit(request, pk):
    course = get_course_for_user(request.user, pk, write=True)
    return form_page(
        request,
        CourseEditForm(request.POST or None, initial=CourseEditForm.initial_for(course)),
        services.course_update,
        course=course,
        record=course,
        done=lambda saved: f"Course saved: {saved.title}.",
        then=_course_url,
        template="training/course_form.html",
        context={"course": course, "title": "Change the course", "back_url": _course_url(course)},
    )


urlpatterns = [
    path("courses/", courses, name="courses"),
    path("courses/new/", course_new, name="course_new"),
    path("courses/<int:pk>/", course_detail, name="course_detail"),
    path("courses/<int:pk>/change/", course_edit, name="course_edit"),
]
