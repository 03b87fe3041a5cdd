"""(being written)"""

urlpatterns = []


def case_panel(case, *, user):
    return {}
