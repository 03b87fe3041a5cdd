from django.shortcuts import render

from stalking_clinic.access import Perm, require


@require(Perm.SPO)
def index(request):
    return render(request, "spo/index.html")
