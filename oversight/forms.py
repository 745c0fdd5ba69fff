"""Forms of year-round supervision outside the back office: the liaison's progress report on one
of the unit's commitments. They only shape and type the input, with clear messages; the
services decide what is allowed and say why not."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress import cleaning, uploads
from congress.uploads import UploadField

PROGRESS_MESSAGE = _("Enter the progress as a whole number from 0 to 100.")


class ProgressForm(cleaning.Form):
    progress = forms.IntegerField(
        label=_("progress (%)"),
        min_value=0,
        max_value=100,
        error_messages={
            "required": PROGRESS_MESSAGE,
            "invalid": PROGRESS_MESSAGE,
            "min_value": PROGRESS_MESSAGE,
            "max_value": PROGRESS_MESSAGE,
        },
    )
    text = forms.CharField(
        label=pgettext_lazy("commitment", "what was done"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what was done since the last report.")},
    )
    evidence = UploadField(label=_("evidence"), required=False, types=uploads.EVIDENCE, max_mb=10)

    def __init__(self, *args, commitment=None, **kwargs):
        self.commitment = commitment
        # One form per item on the page: the field names stay plain, the element ids differ.
        if commitment is not None:
            kwargs.setdefault("auto_id", f"c{commitment.pk}-%s")
        super().__init__(*args, **kwargs)
