"""The site's frame: breadcrumbs (DSFR ``fr-breadcrumb``) and the error summary of forms (issue 17, items 1–2)."""

from __future__ import annotations

from django import template
from django.forms import BaseForm, BaseFormSet
from django.forms.utils import ErrorDict
from django.forms.widgets import ChoiceWidget

from core import navigation

register = template.Library()


@register.inclusion_tag("includes/breadcrumb.html", takes_context=True)
def breadcrumb(context, current: str = ""):
    """Accueil › the page's menu entry (and its child, e.g. "CRMR" for a CRMR's page) › the page.

    The parents come from core/navigation.py, so every page below the home page gets its trail without
    repeating it; a view may pass ``breadcrumbs`` (a list of ``{"label", "url"}``) to give more, and the
    current page is ``current``, or the view's ``title``. The home page has none."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if request is None or (match is not None and match.view_name == "home"):
        return {"show": False}
    links = context.get("breadcrumbs")
    if links is None:
        links = navigation.breadcrumb_links(request.user, match, request.path)
    return {"show": True, "links": links, "current": current or context.get("title") or ""}


def _forms_in(context):
    seen = set()
    for value in context.flatten().values():
        # type(), not isinstance(): isinstance would evaluate lazy values (the CSRF token, the user)
        if issubclass(type(value), (BaseForm, BaseFormSet)) and value.is_bound and id(value) not in seen:
            seen.add(id(value))
            yield value


def _form_errors(form: BaseForm):
    errors: ErrorDict = form.errors
    for name, messages in errors.items():
        if name in form.fields and not form.fields[name].widget.is_hidden:
            bound = form[name]
            anchor = bound.id_for_label or bound.auto_id
            if isinstance(bound.field.widget, ChoiceWidget) and bound.field.widget.add_id_index and bound.subwidgets:
                anchor = bound.subwidgets[0].id_for_label  # radios and checkboxes: the first option
            for message in messages:
                yield {"label": bound.label, "message": message, "anchor": anchor}
        else:  # non-field errors (and errors of hidden fields) concern the whole form
            for message in messages:
                yield {"label": "", "message": message, "anchor": ""}


def form_errors(context) -> list[dict]:
    """Every error of every bound form or formset of the page, in the order of the fields."""
    items = []
    for form in _forms_in(context):
        if isinstance(form, BaseFormSet):
            items += [{"label": "", "message": m, "anchor": ""} for m in form.non_form_errors()]
            for sub in form.forms:
                items += list(_form_errors(sub))
        else:
            items += list(_form_errors(form))
    return items


@register.inclusion_tag("includes/error_summary.html", takes_context=True)
def error_summary(context):
    """The DSFR error summary at the top of a page whose form was refused: one link per field in error
    (core/static/js/site.js moves the focus to the summary, then to the field a link names)."""
    return {"errors": form_errors(context)}
