from .views import applications, calendar, documents

app_name = "spo"

urlpatterns = applications.urlpatterns + calendar.urlpatterns + documents.urlpatterns
