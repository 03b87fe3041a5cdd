"""The one status tag: ``{% load status_tags %}{% status_tag value "tag_set" %}`` shows a stored
choice as a GOV.UK tag in the colour its choices declare (``stalking_clinic.choices``)."""

from django import template

from stalking_clinic.choices import tag_for

register = template.Library()


@register.inclusion_tag("includes/tag.html")
def status_tag(value, tag_set=None):
    shown = tag_for(value, tag_set)
    return {"label": shown[0], "colour": shown[1]} if shown else {}
