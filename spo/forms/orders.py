"""Forms about orders and notifications: recording an order the court made, its service on the
defendant, a notification the defendant must make, and what they notified."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms

from stalking_clinic.date_fields import DayMonthYearField
from stalking_clinic.service_forms import ServiceForm, VersionField

from ..models import Notification, Order


class OrderForm(ServiceForm):
    kind = forms.ChoiceField(
        label="Order made",
        choices=Order.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose interim or full order."},
    )
    made_on = DayMonthYearField(
        label="Date made", error_messages={"required": "Enter the date the order was made."}
    )
    ends_on = DayMonthYearField(label="End date", required=False)
    until_further_order = forms.BooleanField(
        label="Until further order (full orders only)", required=False
    )

    submit_label = "Record the order"

    def layout_fields(self):
        return [Field.radios("kind", inline=True), "made_on", "ends_on", "until_further_order"]


class OrderServedForm(ServiceForm):
    served_on = DayMonthYearField(
        label="Date served on the defendant",
        error_messages={"required": "Enter the date the order was served."},
    )

    submit_label = "Record service"


class NotificationAddForm(ServiceForm):
    kind = forms.ChoiceField(
        label="What the defendant must notify",
        choices=Notification.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the defendant must notify."},
    )
    starts_on = DayMonthYearField(
        label="The day the 3 days begin",
        help_text="The day of service, or the day the name or address changed. "
        "For example, 27/3/2027",
        error_messages={"required": "Enter the day the 3 days begin."},
    )

    submit_label = "Add the notification"

    def layout_fields(self):
        return [Field.radios("kind"), "starts_on"]


class NotificationRecordForm(ServiceForm):
    received_on = DayMonthYearField(label="Date received", required=False)
    details = forms.CharField(
        label="What the defendant notified",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    acknowledged_on = DayMonthYearField(label="Date acknowledged in writing", required=False)
    version = VersionField()

    submit_label = "Save"

    @staticmethod
    def initial_for(notification: Notification) -> dict:
        return {
            "received_on": notification.received_on,
            "details": notification.details,
            "acknowledged_on": notification.acknowledged_on,
            "version": notification.version,
        }
