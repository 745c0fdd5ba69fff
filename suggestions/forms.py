"""Forms of the deputy pages and the unit portal. They only shape and type the input; the
services decide what is allowed and say why not."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress import cleaning, uploads
from congress.models import Deputy
from congress.uploads import UploadField

from .models import Category, ContactLog, Feedback, Reply

NAME_SEPARATORS = re.compile(r"[\s,，、;；]+")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(UploadField):
    """Several files at once (a deputy's photos and papers), each checked by its content."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class SuggestionForm(cleaning.Form):
    """The deputy's draft: title, text, category, co-signers by name, attachments."""

    title = forms.CharField(
        label=_("title"), max_length=100, help_text=_("e.g. 关于尽快修复城关镇人民路排水管网的建议")
    )
    text = forms.CharField(
        label=_("text"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("The situation, the reasons and what you suggest."),
    )
    category = forms.ModelChoiceField(
        label=_("category"), queryset=Category.objects.filter(active=True), required=False
    )
    cosigner_names = forms.CharField(
        label=_("co-signers"),
        required=False,
        max_length=500,
        help_text=_("Names of deputies who co-sign, separated by 、 or spaces; each confirms on their own phone."),
    )
    attachments = MultipleFileField(label=_("attachments"), required=False, types=uploads.EVIDENCE, max_mb=10)

    def __init__(self, *args, deputy=None, **kwargs):
        self.deputy = deputy
        super().__init__(*args, **kwargs)

    def clean_cosigner_names(self):
        names = [n for n in NAME_SEPARATORS.split(self.cleaned_data["cosigner_names"]) if n]
        if not names:
            self.cosigners = []
            return ""
        pool = Deputy.objects.filter(active=True, term_id=self.deputy.term_id, name__in=names).select_related("group")
        by_name: dict[str, list[Deputy]] = {}
        for d in pool:
            by_name.setdefault(d.name, []).append(d)
        missing = [n for n in names if n not in by_name]
        if missing:
            raise forms.ValidationError(_("No serving deputy is named %(names)s.") % {"names": "、".join(missing)})
        twins = [n for n in names if len(by_name[n]) > 1]
        if twins:
            raise forms.ValidationError(
                _("Several deputies are named %(names)s; please ask the office to add the co-signer.")
                % {"names": "、".join(twins)}
            )
        self.cosigners = [by_name[n][0] for n in dict.fromkeys(names)]
        return "、".join(dict.fromkeys(names))


class RateForm(cleaning.Form):
    rating = forms.ChoiceField(label=_("rating"), choices=Feedback.Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(cleaning.Form):
    reason = forms.CharField(label=_("reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class ViewsForm(cleaning.Form):
    views = forms.CharField(label=_("views"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class ContactForm(cleaning.Form):
    stage = forms.ChoiceField(label=_("stage"), choices=ContactLog.Stage.choices)
    way = forms.ChoiceField(label=_("way"), choices=ContactLog.Way.choices)
    happened_on = forms.DateField(
        label=_("date"), widget=forms.DateInput(attrs={"type": "date"}), initial=timezone.localdate
    )
    summary = forms.CharField(label=_("summary"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(cleaning.Form):
    category = forms.ChoiceField(label=_("reply category"), choices=Reply.Category.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("reply"), max_length=8000, widget=forms.Textarea(attrs={"rows": 8}))
    letter = UploadField(label=_("signed reply letter"), types=uploads.SIGNED, max_mb=10)


class TrackingForm(cleaning.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("content"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
