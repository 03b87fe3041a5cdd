"""Documents: the application pack for the court and the order details for the officer in the case.

Every PDF produced is a disclosure (Data Protection Act 2018 Part 3, s.62): each download is
logged with its recipient. The pack goes to a court (or counsel), so its recipient is asked for
on a small form and the PDF comes back from the POST; the order details go to whoever downloads
them, so the recipient is their agency (or, without one, themselves).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path

from stalking_clinic import pdf
from stalking_clinic.access import POSTS, Perm, require
from stalking_clinic.audit.services import download_recipient

from ..access import get_application_for_user
from ..forms.documents import PackRecipientForm
from ..models import Order
from ..selectors.documents import order_context, pack_context


@require(Perm.SPO, methods=POSTS)
def application_pack(request, pk):
    """The recipient form; a valid POST returns the pack and logs its disclosure."""
    application = get_application_for_user(request.user, pk, write=True)
    form = PackRecipientForm(
        request.POST if request.method == "POST" else None,
        initial={"recipient": application.court},
    )
    if request.method == "POST" and form.is_valid():
        recipient = form.cleaned_data["recipient"]
        content = pdf.render_pdf(
            "spo/pdf/application_pack.html",
            pack_context(application, recipient=recipient, user=request.user),
            request=request,
        )
        request.audit.disclosed(
            application,
            recipient=recipient,
            justification=form.cleaned_data["justification"]
            or f"Application pack for {application.reference} (PDF)",
        )
        return pdf.pdf_download(content, f"{application.reference}-application-pack.pdf")
    return render(
        request, "spo/documents/application_pack.html", {"application": application, "form": form}
    )


@require(Perm.SPO, methods=POSTS)
def application_pack_pdf(request, pk):
    """The pack's download address: a POST from the form returns the PDF; a GET (a plain link)
    goes to the form, because every pack disclosed must name its recipient."""
    if request.method == "POST":
        return application_pack(request, pk)
    application = get_application_for_user(request.user, pk, write=True)
    return redirect("spo:application_pack", pk=application.pk)


@require(Perm.SPO_ORDERS_VIEW)
def order_details_pdf(request, pk, order_pk):
    """The order as the officer enforcing it needs it; logged as disclosed to their agency."""
    application = get_application_for_user(request.user, pk)
    order = get_object_or_404(Order.objects.filter(application=application), pk=order_pk)
    user = request.user
    content = pdf.render_pdf(
        "spo/pdf/order_details.html",
        order_context(application, order, recipient=download_recipient(user), user=user),
        request=request,
    )
    request.audit.downloaded(
        order, justification=f"Order details for {application.reference} (PDF)"
    )
    return pdf.pdf_download(content, f"{application.reference}-order-{order.pk}.pdf")


urlpatterns = [
    path("<int:pk>/pack/", application_pack, name="application_pack"),
    path("<int:pk>/pack.pdf", application_pack_pdf, name="application_pack_pdf"),
    path(
        "<int:pk>/orders/<int:order_pk>/details.pdf",
        order_details_pdf,
        name="order_details_pdf",
    ),
]
