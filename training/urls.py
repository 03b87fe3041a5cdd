from .views import (
    attendance,
    bookings,
    champions,
    compliance,
    courses,
    cpd,
    home,
    roster,
    sessions,
)

app_name = "training"

urlpatterns = (
    home.urlpatterns
    + roster.urlpatterns
    + courses.urlpatterns
    + sessions.urlpatterns
    + bookings.urlpatterns
    + attendance.urlpatterns
    + compliance.urlpatterns
    + champions.urlpatterns
    + cpd.urlpatterns
)
