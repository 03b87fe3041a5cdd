from django.shortcuts import render

from stalking_clinic.access import Perm, require


@require(Perm.TRAINING)
def index(request):
    return render(request, "training/index.html")
