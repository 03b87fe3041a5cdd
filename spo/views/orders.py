"""Orders and notifications: recording an order the court made, its service on the defendant, a
notification the defendant must make (s.9) and what they notified (s.10).

Changes only, so ``Perm.SPO`` for every view here (who gets 403 or 404: ``spo.views``).
"""

from __future__ import annotations

from django.urls import path

from stalking_clinic.access import POSTS, Perm, require

from ..access import get_application_for_user, get_notification_for_user, get_order_for_user
from ..forms.orders import NotificationAddForm, NotificationRecordForm, OrderForm, OrderServedForm
from ..services import notifications, orders
from .pages import change_page


@require(Perm.SPO, shows_personal_data=True, methods=POSTS)
def order_new(request, pk):
    application = get_application_for_user(request.user, pk, write=True)
    return change_page(
        request,
        application,
        OrderForm(request.POST or None),
        orders.order_record,
        application=application,
        done=lambda order: f"{order.get_kind_display()} recorded.",
        anchor="#orders",
        title="Record an order the court made",
        intro="An interim order (s.5) lasts until the main application is decided or the date "
        "the court sets. A full order lasts at least 2 years, or until further order (s.3).",
    )


@require(Perm.SPO, shows_personal_data=True, methods=POSTS)
def order_served(request, pk):
    order = get_order_for_user(request.user, pk, write=True)
    return change_page(
        request,
        order.application,
        OrderServedForm(request.POST or None, initial={"served_on": order.served_on}),
        orders.order_mark_served,
        order=order,
        done="Service recorded.",
        anchor="#orders",
        title=f"Record service of the {order.get_kind_display()}",
    )


@require(Perm.SPO, shows_personal_data=True, methods=POSTS)
def notification_new(request, pk):
    order = get_order_for_user(request.user, pk, write=True)
    return change_page(
        request,
        order.application,
        NotificationAddForm(request.POST or None),
        notifications.notification_add,
        order=order,
        done="Notification added.",
        anchor="#orders",
        title="Add a notification the defendant must make",
        intro="The defendant must notify the police in person within 3 days (s.9, s.10).",
    )


@require(Perm.SPO, shows_personal_data=True, methods=POSTS)
def notification_record(request, pk):
    notification = get_notification_for_user(request.user, pk, write=True)
    form = NotificationRecordForm(
        request.POST or None, initial=NotificationRecordForm.initial_for(notification)
    )
    return change_page(
        request,
        notification.order.application,
        form,
        notifications.notification_record,
        notification=notification,
        record=notification,
        done="Notification recorded.",
        anchor="#orders",
        title=f"{notification.get_kind_display()}: due {notification.due_on:%-d %B %Y}",
    )


urlpatterns = [
    path("applications/<int:pk>/orders/new/", order_new, name="order_new"),
    path("orders/<int:pk>/served/", order_served, name="order_served"),
    path("orders/<int:pk>/notifications/new/", notification_new, name="notification_new"),
    path("notifications/<int:pk>/", notification_record, name="notification_record"),
]
