"""The referrals area's URLs: each views module gives its own ``urlpatterns``."""

from .views import (
    allocation,
    assessments,
    caseloads,
    cases,
    logs,
    people,
    queue,
    referrals,
    safety,
)

app_name = "referrals"

urlpatterns = [
    *referrals.urlpatterns,
    *queue.urlpatterns,
    *cases.urlpatterns,
    *allocation.urlpatterns,
    *caseloads.urlpatterns,
    *assessments.urlpatterns,
    *safety.urlpatterns,
    *people.urlpatterns,
    *logs.urlpatterns,
]
