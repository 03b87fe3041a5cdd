from .views import applications, breaches, calendar, conditions, documents, hearings, orders

app_name = "spo"

urlpatterns = (
    applications.urlpatterns
    + conditions.urlpatterns
    + orders.urlpatterns
    + hearings.urlpatterns
    + breaches.urlpatterns
    + calendar.urlpatterns
    + documents.urlpatterns
)
