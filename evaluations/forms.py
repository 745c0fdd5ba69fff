"""Forms of the unit portal's rectification: the plan (measures per item) and the report
(what was done, how far, with evidence per item), both signed off by the head of the unit.
They only shape and type the input; the services decide what is allowed and say why not."""

from django import forms
from django.utils.translation import gettext_lazy as _

from congress import cleaning, uploads
from congress.uploads import UploadField


class _SubmissionForm(cleaning.Form):
    """The head's sign-off, an optional summary and signed document, then one set of fields per
    open item, which each kind of submission adds in its ``add_item_fields``."""

    signed_off_by = forms.CharField(
        label=_("signed off by (head of the unit)"),
        max_length=30,
        help_text=_("The name of the head of the unit who signed the document."),
    )
    summary = forms.CharField(
        label=_("summary"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = UploadField(label=_("signed document"), required=False, types=uploads.SIGNED, max_mb=10)

    def __init__(self, *args, opinions, initial_items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.opinions = list(opinions)
        for opinion in self.opinions:
            self.add_item_fields(opinion, (initial_items or {}).get(opinion.pk))

    def item(self, name: str, opinion):
        return self[f"{name}_{opinion.pk}"]


class PlanForm(_SubmissionForm):
    """The rectification plan: the measures for each open item."""

    def add_item_fields(self, opinion, initial):
        self.fields[f"measures_{opinion.pk}"] = forms.CharField(
            label=_("measures"), max_length=4000, initial=initial, widget=forms.Textarea(attrs={"rows": 3})
        )

    @property
    def rows(self):
        return [(o, self.item("measures", o)) for o in self.opinions]

    def measures(self) -> dict:
        return {o.pk: self.cleaned_data[f"measures_{o.pk}"] for o in self.opinions}


class ReportForm(_SubmissionForm):
    """A rectification report: for each open item what was done, how far, and evidence."""

    def add_item_fields(self, opinion, initial):
        self.fields[f"text_{opinion.pk}"] = forms.CharField(
            label=_("what was done"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
        )
        self.fields[f"progress_{opinion.pk}"] = forms.IntegerField(
            label=_("progress (%)"),
            min_value=0,
            max_value=100,
            initial=opinion.progress,
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 5}),
        )
        self.fields[f"evidence_{opinion.pk}"] = UploadField(
            label=_("evidence"), required=False, types=uploads.EVIDENCE, max_mb=10
        )

    @property
    def rows(self):
        return [(o, self.item("text", o), self.item("progress", o), self.item("evidence", o)) for o in self.opinions]

    def progress(self) -> dict:
        data = self.cleaned_data
        return {
            o.pk: {
                "text": data[f"text_{o.pk}"],
                "progress": data[f"progress_{o.pk}"],
                "evidence": data.get(f"evidence_{o.pk}"),
            }
            for o in self.opinions
        }
