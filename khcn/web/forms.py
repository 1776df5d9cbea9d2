"""Every form renders with Bootstrap classes, through one renderer (FORM_RENDERER)."""

from django import forms
from django.forms.renderers import DjangoTemplates


class BootstrapBoundField(forms.BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(
            widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)
        ):
            css = "form-check-input"
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
            css = "form-select"
        else:
            css = "form-control"
        if self.errors:
            css += " is-invalid"
        attrs["class"] = f"{attrs.get('class', '')} {css}".strip()
        return attrs


class BootstrapRenderer(DjangoTemplates):
    form_template_name = "web/forms/form.html"
    field_template_name = "web/forms/field.html"
    bound_field_class = BootstrapBoundField
