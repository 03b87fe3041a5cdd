from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

from stalking_clinic import pdf
from stalking_clinic.access import Perm, public, require
from stalking_clinic.accounts.models import Role
from stalking_clinic.audit.models import AuditEvent

from .navigation import areas_for
from .work import work_for

ROLE_SUMMARIES = {
    "coordinator": "Triage referrals, review what the log scan found and convene clinic meetings.",
    "tactical_lead": "Oversee high-risk investigations and chair the clinic meetings.",
    "solicitor": "Advise on and bring Stalking Protection Order applications; attend court.",
    "isac": "Hear victims, complete risk assessments and safety plans, speak for victims.",
    "supervisor": "Book your team onto training and see who is still untrained.",
    "officer": "Refer cases to the clinic, see the advice given and book training.",
    "champion": "Support the clinic locally and help officers make good referrals.",
    "partner": "See and act on the cases and actions shared with your agency.",
    "administrator": "Manage user accounts and roles, and review the audit log.",
}


@require(Perm.HOME)
def index(request):
    user = request.user
    recent = AuditEvent.objects.filter(actor=user).order_by("-id")[:10]
    return render(
        request,
        "home/index.html",
        {
            "work": work_for(user),
            "areas": [a for a in areas_for(user) if a["url_name"] != "home:index"],
            "role_summaries": [
                (Role(role).label, ROLE_SUMMARIES[role])
                for role in Role.values
                if role in user.roles
            ],
            "recent": recent,
        },
    )


def _about_context(request):
    return {"areas": areas_for(request.user), "generated_at": timezone.now()}


@require(Perm.HOME)
def about(request):
    return render(request, "home/about.html", _about_context(request))


@require(Perm.HOME)
def about_pdf(request):
    """A printable description of the system and what the signed-in user may use."""
    content = pdf.render_pdf("home/pdf/about.html", _about_context(request), request=request)
    # Every PDF produced is a disclosure, even one that only names its reader.
    request.audit.disclosed(
        request.user, recipient=request.user.username, justification="About this system (PDF)"
    )
    return pdf.pdf_download(content, "about-stalking-clinic.pdf")


@public
def healthz(request):
    """For load balancers and docker-compose: the database answers. Shows nothing else."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
