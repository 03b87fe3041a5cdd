from .views import actions, documents, meetings

app_name = "meetings"

urlpatterns = meetings.urlpatterns + actions.urlpatterns + documents.urlpatterns
