"""The referrals area's URLs: each views module gives its own ``urlpatterns``."""

from .views import (
    allocation,
    assessments,
    case_status,
    caseloads,
    cases,
    logs,
    people,
    queue,
    record_access,
    referrals,
    retention,
    risk,
    safety,
)

app_name = "referrals"

urlpatterns = [
    *referrals.urlpatterns,
    *queue.urlpatterns,
    *cases.urlpatterns,
    *case_status.urlpatterns,
    *allocation.urlpatterns,
    *caseloads.urlpatterns,
    *assessments.urlpatterns,
    *risk.urlpatterns,
    *safety.urlpatterns,
    *people.urlpatterns,
    *record_access.urlpatterns,
    *logs.urlpatterns,
    *retention.urlpatterns,
]
