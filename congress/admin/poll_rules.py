"""A poll's levels and passing rule in the committee's words, for the back-office forms: the
levels chosen from the standard sets (赞成/反对/弃权; 满意/较满意/基本满意/不满意; 满意/基本满意/
不满意) or a set this county has used before, and the rule as the law writes it (全体组成人员
过半数, 到会过半数, a satisfaction rate reached or exceeded), never a raw 0.500."""

import hashlib
import json
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.models import Poll
from congress.services import voting

STANDARD_SETS = {
    "approval": voting.APPROVAL,
    "satisfaction_4": voting.SATISFACTION_4,
    "satisfaction_3": voting.SATISFACTION_3,
}
WRITTEN = "written"  # the levels typed in the advanced field below


def _key(levels) -> str:
    return hashlib.sha256(json.dumps(levels, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:12]


def _words(levels) -> str:
    return " / ".join(level.get("label", "") for level in levels)


def county_sets(limit: int = 200) -> dict[str, list]:
    """The sets of levels this county's polls have used besides the standard ones (its own
    set, kept from the first poll that used it), newest first. One query."""
    standard = {_key(levels) for levels in STANDARD_SETS.values()}
    found = {}
    for levels in Poll.objects.order_by("-pk").values_list("levels", flat=True)[:limit]:
        if isinstance(levels, list) and levels:
            key = _key(levels)
            if key not in standard:
                found.setdefault(f"own:{key}", levels)
    return found


def set_of(levels) -> str:
    """The choice naming these levels (a standard set, a county's set, else the written ones)."""
    key = _key(levels or [])
    for name, standard in STANDARD_SETS.items():
        if _key(standard) == key:
            return name
    return f"own:{key}"


# The passing rule as the law writes it: (pass_base, strictly) for approval votes, where the
# share is always one half; the rate rules take the percentage typed next to them.
MEMBERS_HALF, PRESENT_HALF, RATE_REACHED, RATE_EXCEEDED = "members_half", "present_half", "rate_reach", "rate_exceed"
APPROVAL_RULES = {MEMBERS_HALF: Poll.PassBase.ELIGIBLE, PRESENT_HALF: Poll.PassBase.VOTED}
RATE_RULES = {RATE_REACHED: False, RATE_EXCEEDED: True}
RATE_RULE_CHOICES = [
    (RATE_REACHED, gettext_lazy("Passes when the satisfaction rate reaches the percentage (达到)")),
    (RATE_EXCEEDED, gettext_lazy("Passes when the satisfaction rate exceeds the percentage (超过)")),
]


def rule_of(poll_like) -> str:
    if getattr(poll_like, "kind", None) == Poll.Kind.APPROVAL:
        return PRESENT_HALF if poll_like.pass_base == Poll.PassBase.VOTED else MEMBERS_HALF
    return RATE_EXCEEDED if poll_like.pass_strictly else RATE_REACHED


def percent_of(ratio) -> Decimal:
    """A pass ratio as the percentage staff write: 0.500 is 50 (not 5E+1), 0.675 is 67.5."""
    value = (Decimal(ratio) * 100).normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def percent_field(**kwargs):
    return forms.DecimalField(
        label=gettext_lazy("satisfaction rate (%)"),
        min_value=Decimal("1"),
        max_value=Decimal("100"),
        decimal_places=1,
        required=False,
        help_text=gettext_lazy("For example 60 for 60%."),
        **kwargs,
    )


class PollRulesFormMixin:
    """Levels and passing rule of a poll as choices in words; the fields ``levels``,
    ``pass_ratio``, ``pass_strictly`` and ``pass_base`` are set from them."""

    def _setup_rules(self):
        instance = self.instance
        own = county_sets()
        choices = [
            *((name, _words(levels)) for name, levels in STANDARD_SETS.items()),
            *((key, _("%(levels)s (used before in this county)") % {"levels": _words(lv)}) for key, lv in own.items()),
            (WRITTEN, _("Other levels, written below")),
        ]
        self._own_sets = own
        self.fields["level_set"].choices = [("", _("The standard set of the kind")), *choices]
        if instance.pk:
            self.initial.setdefault("level_set", set_of(instance.levels))
            self.initial.setdefault("pass_rule", rule_of(instance))
            if instance.kind == Poll.Kind.SATISFACTION:
                self.initial.setdefault("pass_percent", percent_of(instance.pass_ratio))

    def _clean_rules(self, data):
        kind = data.get("kind")
        if not kind:
            return data
        chosen = data.get("level_set") or ""
        if chosen in STANDARD_SETS:
            data["levels"] = STANDARD_SETS[chosen]
        elif chosen in self._own_sets:
            data["levels"] = self._own_sets[chosen]
        elif chosen == WRITTEN and not data.get("levels"):
            self.add_error("levels", _("Write the levels, or choose a set above."))
            return data
        elif not chosen and not data.get("levels"):
            data["levels"] = voting.APPROVAL if kind == Poll.Kind.APPROVAL else voting.SATISFACTION_4
        rule = data.get("pass_rule") or (MEMBERS_HALF if kind == Poll.Kind.APPROVAL else RATE_REACHED)
        if kind == Poll.Kind.APPROVAL:
            if rule not in APPROVAL_RULES:
                self.add_error("pass_rule", _("An approval vote passes by more than half of all, or of those present."))
                return data
            self.instance.pass_base = APPROVAL_RULES[rule]
            self.instance.pass_ratio = Decimal("0.5")  # more than half: the count is always strict
            self.instance.pass_strictly = False
        else:
            percent = data.get("pass_percent")
            if rule not in RATE_RULES:
                self.add_error("pass_rule", _("A satisfaction poll passes by a satisfaction rate."))
                return data
            if percent is None:
                percent = Decimal(60)  # the usual rule: a satisfaction rate of 60%
            self.instance.pass_base = Poll.PassBase.ELIGIBLE
            self.instance.pass_ratio = (percent / 100).quantize(Decimal("0.001"))
            self.instance.pass_strictly = RATE_RULES[rule]
        return data


def rule_fields():
    """The form fields of the mixin, to declare on a form class."""
    return {
        "level_set": forms.ChoiceField(label=gettext_lazy("levels"), required=False),
        "pass_rule": forms.ChoiceField(
            label=gettext_lazy("passing rule"),
            required=False,
            choices=[
                ("", gettext_lazy("The usual rule: approval by more than half of all, satisfaction at 60%")),
                (MEMBERS_HALF, gettext_lazy("Approval: more than half of all eligible voters (全体组成人员过半数)")),
                (PRESENT_HALF, gettext_lazy("Approval: more than half of those present and voting (到会过半数)")),
                *RATE_RULE_CHOICES,
            ],
        ),
        "pass_percent": percent_field(),
    }
