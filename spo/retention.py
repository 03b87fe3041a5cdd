"""What a disposed case's record leaves in the protection orders area (``referrals.disposal``).

A case's record is not disposed of while one of its orders is in force or one of its
applications is undecided: the order is still protecting someone (Stalking Protection Act 2019
s.2, s.3), and Management of Police Information keeps records "while a risk". Once none is, the
applications, conditions, hearings, notifications and breaches keep their outline (kinds, dates,
stages, courts) and lose what was written, including the names and addresses the defendant
notified (s.9).
"""

from django.db.models import Q
from django.utils import timezone

from referrals.disposal import blank_text, disposal_eraser, disposal_refusal

from .models import Application, Breach, Condition, Hearing, Notification, Order, StageChange


@disposal_refusal
def refuse_while_an_order_protects(case) -> str:
    today = timezone.localdate()
    orders = Order.objects.filter(application__case=case)
    if any(order.in_force_on(today) for order in orders):
        return "A stalking protection order on this case is in force: the record is kept."
    if Application.objects.filter(case=case).exclude(stage__in=Application.DECIDED).exists():
        return "An SPO application on this case is not decided: the record is kept."
    return ""


@disposal_eraser
def erase_orders_of(case) -> None:
    on_case = Q(application__case=case)
    blank_text(StageChange.objects.filter(on_case))
    blank_text(Condition.objects.filter(on_case))
    blank_text(Hearing.objects.filter(on_case))
    blank_text(Notification.objects.filter(order__application__case=case))
    blank_text(Breach.objects.filter(order__application__case=case))
    blank_text(Order.objects.filter(on_case), also=["ended_reason"])
    blank_text(Application.objects.filter(case=case))
