"""What a disposed case's record leaves in the meetings area (``referrals.disposal``): the
discussions of it, the drop-in advice about it, its actions and their updates keep their outline
(meeting, dates, owner agency, status) and lose what was written."""

from referrals.disposal import blank_text, disposal_eraser

from .models import Action, ActionUpdate, AgendaItem, DropInAdvice


@disposal_eraser
def erase_meetings_of(case) -> None:
    blank_text(AgendaItem.objects.filter(case=case))
    blank_text(DropInAdvice.objects.filter(case=case))
    blank_text(ActionUpdate.objects.filter(action__case=case))
    blank_text(Action.objects.filter(case=case))
