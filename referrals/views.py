from django.shortcuts import render

from stalking_clinic.access import Perm, require


@require(Perm.REFERRALS)
def index(request):
    return render(request, "referrals/index.html")
