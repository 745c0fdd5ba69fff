"""The rosters of people: deputies (county and township), deputy groups, standing committee
members, and the units' liaisons who log in to the unit portal."""

from __future__ import annotations

import re

from django.contrib.auth.models import Group
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric

from congress.models import Deputy, DeputyGroup, Member, Role, Unit, User

from .base import KEEP, Roster
from .cells import BOOL, CHOICE, EMAIL, ID_NUMBER, MOBILE, MONTH, NAME, REF, YES_NO, Column

GENDERS = ((Deputy.Gender.MALE.value, ("男", "男性")), (Deputy.Gender.FEMALE.value, ("女", "女性")))

# 政治面貌 as registers write it, and the words the register keeps.
PARTY_SPELLINGS = {
    "中共": "中共党员",
    "党员": "中共党员",
    "共产党员": "中共党员",
    "中国共产党党员": "中共党员",
    "预备党员": "中共预备党员",
    "团员": "共青团员",
    "无党派": "无党派人士",
}

NAME_COLUMN = Column("姓名", "name", NAME, required=True, aliases=("代表姓名", "名字"))
PHONE_ALIASES = ("手机", "手机号码", "手机号", "移动电话", "联系方式", "电话", "电话号码")
ID_ALIASES = ("身份证号", "身份证号码", "身份证", "公民身份证号码", "身份证件号码", "证件号码")


def township_of(group_name: str) -> str:
    """城关镇代表小组 → 城关镇: the township a deputy group is named after."""
    match = re.match(r"^(.+?(?:镇|乡|街道|街道办事处))", group_name)
    return match.group(1) if match else ""


class DeputyRoster(Roster):
    """Deputies of the current term, as the register keeps them. A deputy is recognised on a
    second import by the citizen ID number, or else by mobile number and name; the ID number and
    the mobile number are each unique within a term. Deputy groups the file names and the
    registry lacks are created when staff confirm them."""

    kind = "deputies"
    title = "代表名册"
    model = Deputy
    MISSING_LABELS = {"group": _("deputy groups")}
    COLUMNS = (
        NAME_COLUMN,
        Column("性别", "gender", CHOICE, required=True, choices=GENDERS),
        Column("民族", "ethnicity"),
        Column("出生年月", "birth_date", MONTH, aliases=("出生日期", "出生年月日", "生日")),
        Column("政治面貌", "party", aliases=("党派", "党派团体")),
        Column(
            "文化程度",
            "education",
            CHOICE,
            aliases=("学历", "最高学历", "文化"),
            choices=(
                (
                    Deputy.Education.POSTGRADUATE.value,
                    ("研究生", "硕士研究生", "博士研究生", "研究生及以上", "硕士", "博士", "研究生学历"),
                ),
                (Deputy.Education.BACHELOR.value, ("大学本科", "本科", "大学", "本科学历")),
                (Deputy.Education.COLLEGE.value, ("大学专科", "大专", "专科", "大专学历")),
                (Deputy.Education.SECONDARY.value, ("高中或中专", "高中", "中专", "中职", "技校", "职高")),
                (Deputy.Education.JUNIOR.value, ("初中及以下", "初中", "小学")),
            ),
        ),
        Column(
            "代表层级",
            "level",
            CHOICE,
            aliases=("层级", "代表级别", "级别"),
            choices=(
                (Deputy.Level.PROVINCE.value, ("省级", "省", "省人大代表")),
                (Deputy.Level.CITY.value, ("市级", "市", "市人大代表")),
                (Deputy.Level.COUNTY.value, ("县级", "县", "县人大代表", "县级人大代表")),
                (
                    Deputy.Level.TOWNSHIP.value,
                    ("乡镇级", "乡级", "乡", "镇", "乡镇", "乡镇人大代表", "乡人大代表", "镇人大代表"),
                ),
            ),
        ),
        Column(
            "所在代表小组",
            "group",
            REF,
            source="group.name",
            creatable=True,
            aliases=("代表小组", "选区", "所属代表小组", "代表小组名称", "所在小组"),
        ),
        Column("所在乡镇（街道）", "township", aliases=("乡镇", "所在乡镇", "乡镇（街道）", "乡镇街道", "所在镇街")),
        Column(
            "职业类别",
            "occupation",
            CHOICE,
            required=True,
            aliases=("代表构成", "构成", "职业构成", "代表结构"),
            choices=(
                (Deputy.Occupation.WORKER.value, ("工人",)),
                (Deputy.Occupation.FARMER.value, ("农民",)),
                (Deputy.Occupation.PROFESSIONAL.value, ("专业技术人员", "专业技术")),
                (Deputy.Occupation.CADRE.value, ("党政干部", "党政领导干部", "干部")),
                (Deputy.Occupation.BUSINESS.value, ("企业负责人", "企业管理人员")),
                (Deputy.Occupation.MILITARY.value, ("军人", "解放军", "解放军和武警")),
                (Deputy.Occupation.OTHER.value, ("其他",)),
            ),
        ),
        Column(
            "工作单位及职务",
            "workplace",
            aliases=("工作单位和职务", "单位及职务", "工作单位", "工作单位及职务（职称）", "单位职务"),
        ),
        Column("联系电话", "phone", MOBILE, required=True, aliases=PHONE_ALIASES),
        Column("电子邮箱", "email", EMAIL, aliases=("邮箱", "电子邮件", "Email", "E-mail")),
        Column("公民身份号码", "id_number", ID_NUMBER, aliases=ID_ALIASES),
    )

    def default_queryset(self):
        return Deputy.objects.filter(term=self.term) if self.term else Deputy.objects.all()

    def preload(self):
        self.groups = dict(DeputyGroup.objects.filter(term=self.term).values_list("name", "id"))
        self.on_file = list(Deputy.objects.filter(term=self.term))
        self.by_phone = {d.phone: d for d in self.on_file if d.phone}
        self.by_id_number = {d.id_number: d for d in self.on_file if d.id_number}

    def check(self, row, values, bad):
        group = values.get("group")
        if group:
            values["group_id"] = self.groups.get(group) or self.need(
                row,
                "group",
                "group",
                group,
                gettext(
                    "The deputy group “%(value)s” is not in the registry; confirm that it is to be created "
                    "(on the command line: --create-missing)."
                )
                % {"value": group},
            )
        elif "group" in values:
            values["group_id"] = None
        name, phone, id_number = values.get("name"), values.get("phone"), values.get("id_number")
        existing = None
        if id_number and id_number is not KEEP:
            self.once(
                ("id", id_number),
                row,
                "id_number",
                gettext("Row %(other)d has the same citizen ID number: the same person is listed twice."),
            )
            existing = self.by_id_number.get(id_number)
            self._check_birth(row, values, id_number)
        if phone:
            self.once(
                ("phone", phone),
                row,
                "phone",
                gettext("Row %(other)d has the same mobile number %(value)s."),
                value=phone,
            )
            holder = self.by_phone.get(phone)
            if holder is not None and holder is not existing:
                if existing is not None or holder.name != name:
                    self.problem(
                        row,
                        "phone",
                        gettext("Deputy %(name)s of this term already has mobile number %(value)s.")
                        % {"name": holder.name, "value": phone},
                    )
                elif id_number and id_number is not KEEP and holder.id_number and holder.id_number != id_number:
                    self.problem(
                        row,
                        "id_number",
                        gettext("Deputy %(name)s with mobile number %(value)s has another citizen ID number on file.")
                        % {"name": holder.name, "value": phone},
                    )
                else:
                    existing = holder
        if existing is not None:
            self.once(
                ("record", existing.pk),
                row,
                "name",
                gettext("Row %(other)d is the same deputy (%(name)s)."),
                name=existing.name,
            )
        return existing

    def _check_birth(self, row, values, id_number):
        """The register's birth month and gender must agree with the ID number."""
        born = ric.get_birth_date(id_number)
        birth = values.get("birth_date")
        if birth and birth[0] and (birth[0].year, birth[0].month) != (born.year, born.month):
            self.problem(
                row,
                "birth_date",
                gettext("The date of birth does not match the citizen ID number (%(date)s).")
                % {"date": f"{born:%Y.%m}"},
            )
        gender = Deputy.Gender.MALE if int(id_number[16]) % 2 else Deputy.Gender.FEMALE
        if values.get("gender") and values["gender"] != gender:
            self.problem(
                row,
                "gender",
                gettext("The gender does not match the citizen ID number (%(gender)s).") % {"gender": gender.label},
            )

    def attributes(self, values, existing):
        attributes = {}
        for name in ("name", "gender", "ethnicity", "education", "level", "township", "occupation", "workplace"):
            if name in values:
                attributes[name] = values[name]
        for name in ("phone", "email"):
            if name in values:
                attributes[name] = values[name] or ""
        if "party" in values:
            attributes["party"] = PARTY_SPELLINGS.get(values["party"], values["party"])
        if "group_id" in values:
            attributes["group_id"] = values["group_id"]
        id_number = values.get("id_number")
        if "id_number" in values and id_number is not KEEP:
            attributes["id_number"] = id_number or ""
        if "birth_date" in values:
            date, day_known = values["birth_date"]
            if date is None and id_number and id_number is not KEEP:
                date, day_known = ric.get_birth_date(id_number), True
            attributes["birth_date"], attributes["birth_month_only"] = date, not day_known if date else False
        elif id_number and id_number is not KEEP and (existing is None or existing.birth_date is None):
            attributes["birth_date"], attributes["birth_month_only"] = ric.get_birth_date(id_number), False
        return attributes

    def new_record(self, attributes):
        return Deputy(term=self.term, **attributes)

    def create_pending(self, kind, names):
        start = DeputyGroup.objects.filter(term=self.term).count()
        groups = DeputyGroup.objects.bulk_create(
            DeputyGroup(term=self.term, name=name, township=township_of(name), sort_order=start + n)
            for n, name in enumerate(names, start=1)
        )
        return {g.name: g.pk for g in groups}


class DeputyGroupRoster(Roster):
    """The deputy groups of the current term (代表小组), with their township and convener (a
    deputy of the term, by name). A group is recognised by its name."""

    kind = "groups"
    title = "代表小组名册"
    model = DeputyGroup
    COLUMNS = (
        Column("代表小组名称", "name", NAME, required=True, aliases=("代表小组", "小组名称", "名称", "选区")),
        Column("所在乡镇（街道）", "township", aliases=("乡镇", "所在乡镇", "乡镇（街道）", "乡镇街道")),
        Column("召集人", "convener", REF, source="convener.name", aliases=("组长", "小组召集人")),
    )

    def default_queryset(self):
        return DeputyGroup.objects.filter(term=self.term) if self.term else DeputyGroup.objects.all()

    def preload(self):
        self.on_file = {g.name: g for g in DeputyGroup.objects.filter(term=self.term)}
        self.deputies: dict[str, list[int]] = {}
        for pk, name in Deputy.objects.filter(term=self.term).values_list("id", "name"):
            self.deputies.setdefault(name, []).append(pk)
        self.next_order = len(self.on_file)

    def check(self, row, values, bad):
        name = values.get("name")
        if name:
            self.once(("name", name), row, "name", gettext("Row %(other)d has the same deputy group."))
        convener = values.get("convener")
        if convener:
            found = self.deputies.get(convener, [])
            if len(found) == 1:
                values["convener_id"] = found[0]
            elif not found:
                self.problem(
                    row,
                    "convener",
                    gettext("No deputy of the current term is named “%(value)s”; import the deputies first.")
                    % {"value": convener},
                )
            else:
                self.problem(
                    row,
                    "convener",
                    gettext("More than one deputy is named “%(value)s”; set the convener by hand.")
                    % {"value": convener},
                )
        elif "convener" in values:
            values["convener_id"] = None
        return self.on_file.get(name)

    def attributes(self, values, existing):
        attributes = {"name": values["name"]}
        if "township" in values:
            attributes["township"] = values["township"] or township_of(values["name"])
        elif existing is None:
            attributes["township"] = township_of(values["name"])
        if "convener_id" in values:
            attributes["convener_id"] = values["convener_id"]
        return attributes

    def new_record(self, attributes):
        self.next_order += 1
        return DeputyGroup(term=self.term, sort_order=self.next_order, **attributes)


class MemberRoster(Roster):
    """Standing committee members of the current term. Every member is a deputy of the term:
    a row names the deputy by citizen ID number or mobile number (and name), and gives their
    post on the committee. A member is recognised by their deputy."""

    kind = "members"
    title = "常委会组成人员名册"
    model = Member
    COLUMNS = (
        Column("姓名", "name", NAME, required=True, source="deputy.name"),
        Column("联系电话", "phone", MOBILE, source="deputy.phone", aliases=PHONE_ALIASES),
        Column("公民身份号码", "id_number", ID_NUMBER, source="deputy.id_number", aliases=ID_ALIASES),
        Column(
            "职务",
            "position",
            CHOICE,
            required=True,
            aliases=("常委会职务", "现任职务"),
            choices=(
                (Member.Position.DIRECTOR.value, ("主任", "常委会主任")),
                (Member.Position.VICE_DIRECTOR.value, ("副主任", "常委会副主任")),
                (Member.Position.SECRETARY_GENERAL.value, ("秘书长",)),
                (Member.Position.MEMBER.value, ("委员", "常委会委员", "常委")),
            ),
        ),
        Column("是否专职", "full_time", BOOL, choices=YES_NO, aliases=("专职",)),
    )

    def default_queryset(self):
        return Member.objects.filter(term=self.term) if self.term else Member.objects.all()

    def preload(self):
        deputies = list(Deputy.objects.filter(term=self.term).values("id", "phone", "id_number", "name", "active"))
        self.by_phone = {d["phone"]: d for d in deputies if d["phone"]}
        self.by_id_number = {d["id_number"]: d for d in deputies if d["id_number"]}
        self.members = {m.deputy_id: m for m in Member.objects.filter(deputy__term=self.term).select_related("deputy")}
        self.director = next(
            (m for m in self.members.values() if m.position == Member.Position.DIRECTOR and m.active), None
        )

    def check(self, row, values, bad):
        phone, name, id_number = values.get("phone"), values.get("name"), values.get("id_number")
        deputy = None
        if id_number and id_number is not KEEP:
            deputy = self.by_id_number.get(id_number)
            if deputy is None:
                self.problem(
                    row,
                    "id_number",
                    gettext("No deputy of the current term has this citizen ID number; import the deputy first."),
                )
        elif phone:
            deputy = self.by_phone.get(phone)
            if deputy is None:
                self.problem(
                    row,
                    "phone",
                    gettext("No deputy of the current term has mobile number %(value)s; import the deputy first.")
                    % {"value": phone},
                )
        elif not bad & {"phone", "id_number"}:
            self.problem(row, "phone", gettext("Give the mobile number or the citizen ID number of the deputy."))
        if phone:
            self.once(
                ("phone", phone),
                row,
                "phone",
                gettext("Row %(other)d has the same mobile number %(value)s."),
                value=phone,
            )
        if deputy is None:
            return None
        values["deputy_id"] = deputy["id"]
        if name and name != deputy["name"]:
            self.problem(
                row,
                "name",
                gettext("The deputy with this mobile number or ID number is %(found)s, not %(value)s.")
                % {"found": deputy["name"], "value": name},
            )
        elif not deputy["active"]:
            self.problem(row, "name", gettext("Deputy %(value)s has left office.") % {"value": deputy["name"]})
        self.once(("deputy", deputy["id"]), row, "name", gettext("Row %(other)d is the same member."))
        existing = self.members.get(deputy["id"])
        if values.get("position") == Member.Position.DIRECTOR:
            if self.director is not None and self.director is not existing:
                self.problem(
                    row,
                    "position",
                    gettext("The current term already has a director (%(name)s).")
                    % {"name": self.director.deputy.name},
                )
            self.once(
                ("director",), row, "position", gettext("Row %(other)d is also the director; a term has one director.")
            )
        return existing

    def attributes(self, values, existing):
        attributes = {"position": values["position"]}
        if "full_time" in values:
            attributes["full_time"] = values["full_time"]
        if existing is None:
            attributes["deputy_id"] = values["deputy_id"]
        return attributes

    def label(self, values, existing):
        return values.get("name", "")

    def new_record(self, attributes):
        return Member(term=self.term, **attributes)


class LiaisonRoster(Roster):
    """The liaisons (联络员) of the handling units, who log in to the unit portal: a login named
    by the mobile number, in the liaison role, for the unit named in the row. A liaison is
    recognised by the mobile number; units the registry lacks are created when staff confirm."""

    kind = "liaisons"
    title = "单位联络员名册"
    model = User
    MISSING_LABELS = {"unit": _("units")}
    COLUMNS = (
        Column(
            "单位名称", "unit", REF, required=True, source="unit.name", creatable=True, aliases=("所在单位", "单位")
        ),
        Column("姓名", "name", NAME, required=True, source="last_name", aliases=("联络员", "联络员姓名")),
        Column("联系电话", "phone", MOBILE, required=True, aliases=PHONE_ALIASES),
        Column("电子邮箱", "email", EMAIL, aliases=("邮箱", "电子邮件")),
    )

    def default_queryset(self):
        return User.objects.filter(unit__isnull=False).order_by("unit__sort_order", "unit_id", "id")

    def preload(self):
        self.units = dict(Unit.objects.values_list("name", "id"))
        self.by_phone = {u.phone: u for u in User.objects.exclude(phone="")}
        # New logins are named by their mobile number: one already taken by another login is a problem.
        self.usernames = set(User.objects.filter(username__regex=r"^1[0-9]{10}$").values_list("username", flat=True))

    def check(self, row, values, bad):
        unit = values.get("unit")
        if unit:
            values["unit_id"] = self.units.get(unit) or self.need(
                row,
                "unit",
                "unit",
                unit,
                gettext(
                    "The unit “%(value)s” is not in the registry; confirm that it is to be created "
                    "(on the command line: --create-missing)."
                )
                % {"value": unit},
            )
        phone, name = values.get("phone"), values.get("name")
        if not phone:
            return None
        self.once(
            ("phone", phone), row, "phone", gettext("Row %(other)d has the same mobile number %(value)s."), value=phone
        )
        existing = self.by_phone.get(phone)
        if existing is None and phone in self.usernames:
            self.problem(row, "phone", gettext("Another login is already named %(value)s.") % {"value": phone})
        if existing is not None and name and existing.get_full_name() != name:
            self.problem(
                row,
                "phone",
                gettext("The login with mobile number %(value)s belongs to %(name)s.")
                % {"value": phone, "name": existing.get_full_name() or existing.username},
            )
        return existing

    def attributes(self, values, existing):
        attributes = {"unit_id": values.get("unit_id")}
        if existing is None:
            attributes.update(username=values["phone"], last_name=values["name"], phone=values["phone"])
        if "email" in values:
            attributes["email"] = values["email"] or ""
        return attributes

    def new_record(self, attributes):
        user = User(**attributes)
        user.set_unusable_password()  # set by the liaison, from the first-login slip
        return user

    def after_create(self, records):
        group = Group.objects.get(name=Role.LIAISON)
        group.user_set.add(*records)

    def create_pending(self, kind, names):
        return create_units(names)


def create_units(names) -> dict[str, int]:
    """The units staff confirmed to create from a file that names them: government
    departments, to be completed in the back office."""
    start = Unit.objects.count()
    units = Unit.objects.bulk_create(
        Unit(name=name, kind=Unit.Kind.DEPARTMENT, sort_order=start + n) for n, name in enumerate(names, start=1)
    )
    return {u.name: u.pk for u in units}
