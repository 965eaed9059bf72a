"""One error pattern on every page: the base layout asks ``page_errors`` for the page's form errors, puts
"Error: " before the title and one GOV.UK error summary at the top, each message linked to its field.

Every form in the page's context is found (a form, or a list of them), so a new page gets the pattern without
asking; a page that builds its own list (the return, with its many row forms) gives it as ``error_summary``."""

from django import forms, template

register = template.Library()


def field_anchor(bound_field) -> str:
    """The id of the element a summary link goes to: the input itself, or the first of a group of radios or
    checkboxes (the GOV.UK pack numbers them from 1)."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return f"id_{bound_field.html_name}_1"
    return bound_field.auto_id or f"id_{bound_field.html_name}"


def form_errors(form: forms.BaseForm) -> list[tuple[str, str]]:
    """(anchor, message) for each of a bound form's errors, in the form's order; a message about the whole form
    or a hidden field goes to its first visible field."""
    if not form.is_bound or not form.errors:
        return []
    from core.forms import WordedErrorsMixin  # noqa: PLC0415 (the forms module is below the tags, not above)

    # A message names its field: the portal's forms word them so; any other form's is prefixed with its label.
    named = isinstance(form, WordedErrorsMixin)
    visible = form.visible_fields()
    first = field_anchor(visible[0]) if visible else "main-content"
    found = [(first, str(message)) for message in form.non_field_errors()]
    for bound_field in form:
        anchor = first if bound_field.is_hidden else field_anchor(bound_field)
        label = str(bound_field.label or "")
        for message in bound_field.errors:
            message = str(message)
            if not named and label and not message.lower().startswith(label.lower()):
                message = f"{label}: {message}"
            found.append((anchor, message))
    return found


def _forms_in(value):
    if isinstance(value, forms.BaseForm):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            if isinstance(item, forms.BaseForm):
                yield item


@register.simple_tag(takes_context=True)
def page_errors(context) -> list[tuple[str, str]]:
    """Every form error on the page, as (anchor, message), each form once."""
    explicit = context.get("error_summary")
    if isinstance(explicit, list | tuple):
        return [(anchor, str(message)) for anchor, message in explicit]
    seen, found = set(), []
    for value in context.flatten().values():
        for form in _forms_in(value):
            if id(form) not in seen:
                seen.add(id(form))
                found.extend(form_errors(form))
    return found
