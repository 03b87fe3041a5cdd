from django.shortcuts import render

from stalking_clinic.access import Perm, require


@require(Perm.MEETINGS)
def index(request):
    return render(request, "meetings/index.html")
