"""The rosters of bodies: commissions and their seats, units (with their liaison leader and
commission), and the officials heading them."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from congress.models import Commission, CommissionSeat, Deputy, Member, Official, Role, Unit, User

from .base import KEEP, Roster
from .cells import BOOL, CHOICE, DATE, ID_NUMBER, MOBILE, NAME, REF, YES_NO, Column
from .rosters_people import GENDERS, ID_ALIASES, PHONE_ALIASES, create_units


def _commission_names() -> dict[str, list[int]]:
    names: dict[str, list[int]] = {}
    for pk, name, short_name in Commission.objects.values_list("id", "name", "short_name"):
        names.setdefault(name, []).append(pk)
        if short_name and short_name != name:
            names.setdefault(short_name, []).append(pk)
    return names


class CommissionRoster(Roster):
    """The commissions of the congress and its standing committee (专门委员会, 工作委员会,
    工作室), recognised by name."""

    kind = "commissions"
    title = "委员会名册"
    model = Commission
    COLUMNS = (
        Column("名称", "name", NAME, required=True, aliases=("委员会名称", "机构名称", "委员会")),
        Column("简称", "short_name"),
        Column(
            "类别",
            "kind",
            CHOICE,
            required=True,
            aliases=("类型", "机构类别"),
            choices=(
                (Commission.Kind.SPECIAL.value, ("专门委员会", "专委会", "专委")),
                (Commission.Kind.WORKING.value, ("工作委员会", "工委")),
                (Commission.Kind.OFFICE.value, ("工作室", "办公室")),
            ),
        ),
    )

    def preload(self):
        self.on_file = {c.name: c for c in Commission.objects.all()}
        self.next_order = len(self.on_file)

    def check(self, row, values, bad):
        name = values.get("name")
        if name:
            self.once(("name", name), row, "name", gettext("Row %(other)d has the same commission."))
        return self.on_file.get(name)

    def attributes(self, values, existing):
        return {name: values[name] for name in ("name", "short_name", "kind") if name in values}

    def new_record(self, attributes):
        self.next_order += 1
        return Commission(sort_order=self.next_order, **attributes)


class SeatRoster(Roster):
    """Seats on the commissions: the commission (by name or short name), the deputy (by
    citizen ID number, or mobile number and name) and the role. A seat is recognised by its
    commission and deputy; a commission has one chair."""

    kind = "seats"
    title = "委员会组成人员名册"
    model = CommissionSeat
    COLUMNS = (
        Column(
            "委员会", "commission", REF, required=True, source="commission.name", aliases=("所在委员会", "委员会名称")
        ),
        Column("姓名", "name", NAME, required=True, source="deputy.name"),
        Column("联系电话", "phone", MOBILE, source="deputy.phone", aliases=PHONE_ALIASES),
        Column("公民身份号码", "id_number", ID_NUMBER, source="deputy.id_number", aliases=ID_ALIASES),
        Column(
            "职务",
            "role",
            CHOICE,
            aliases=("委员会职务",),
            choices=(
                (CommissionSeat.Role.CHAIR.value, ("主任委员", "主任")),
                (CommissionSeat.Role.VICE_CHAIR.value, ("副主任委员", "副主任")),
                (CommissionSeat.Role.MEMBER.value, ("委员", "成员")),
            ),
        ),
    )

    def default_queryset(self):
        return CommissionSeat.objects.filter(deputy__term=self.term) if self.term else CommissionSeat.objects.all()

    def preload(self):
        self.commissions = _commission_names()
        deputies = list(Deputy.objects.filter(term=self.term).values("id", "phone", "id_number", "name"))
        self.by_phone = {d["phone"]: d for d in deputies if d["phone"]}
        self.by_id_number = {d["id_number"]: d for d in deputies if d["id_number"]}
        self.on_file = {(s.commission_id, s.deputy_id): s for s in CommissionSeat.objects.select_related("deputy")}
        self.chairs = {s.commission_id: s for s in self.on_file.values() if s.role == CommissionSeat.Role.CHAIR}

    def check(self, row, values, bad):
        commission = values.get("commission")
        if commission:
            found = set(self.commissions.get(commission, []))
            if len(found) == 1:
                values["commission_id"] = found.pop()
            elif not found:
                self.problem(
                    row,
                    "commission",
                    gettext("No commission named “%(value)s”; import the commissions first.") % {"value": commission},
                )
            else:
                self.problem(
                    row,
                    "commission",
                    gettext("More than one commission is called “%(value)s”; write its full name.")
                    % {"value": commission},
                )
        deputy = _find_deputy(self, row, values, bad)
        if deputy is None or "commission_id" not in values:
            return None
        values["deputy_id"] = deputy["id"]
        key = (values["commission_id"], deputy["id"])
        self.once(("seat", *key), row, "name", gettext("Row %(other)d is the same seat."))
        existing = self.on_file.get(key)
        if values.get("role") == CommissionSeat.Role.CHAIR:
            chair = self.chairs.get(values["commission_id"])
            if chair is not None and chair is not existing:
                self.problem(
                    row,
                    "role",
                    gettext("%(value)s already has a chair (%(name)s).")
                    % {"value": commission, "name": chair.deputy.name},
                )
            self.once(
                ("chair", values["commission_id"]),
                row,
                "role",
                gettext("Row %(other)d is also the chair of %(value)s; a commission has one chair."),
                value=commission,
            )
        return existing

    def attributes(self, values, existing):
        attributes = {"role": values.get("role") or CommissionSeat.Role.MEMBER}
        if existing is None:
            attributes.update(commission_id=values["commission_id"], deputy_id=values["deputy_id"])
        return attributes


def _find_deputy(roster, row, values, bad):
    """The deputy of the term a row names by citizen ID number, or by mobile number, checked
    against the name the row gives; None after reporting a problem."""
    phone, name, id_number = values.get("phone"), values.get("name"), values.get("id_number")
    deputy = None
    if id_number and id_number is not KEEP:
        deputy = roster.by_id_number.get(id_number)
        if deputy is None:
            roster.problem(
                row,
                "id_number",
                gettext("No deputy of the current term has this citizen ID number; import the deputy first."),
            )
    elif phone:
        deputy = roster.by_phone.get(phone)
        if deputy is None:
            roster.problem(
                row,
                "phone",
                gettext("No deputy of the current term has mobile number %(value)s; import the deputy first.")
                % {"value": phone},
            )
    elif not bad & {"phone", "id_number"}:
        roster.problem(row, "phone", gettext("Give the mobile number or the citizen ID number of the deputy."))
    if deputy is not None and name and name != deputy["name"]:
        roster.problem(
            row,
            "name",
            gettext("The deputy with this mobile number or ID number is %(found)s, not %(value)s.")
            % {"found": deputy["name"], "value": name},
        )
        return None
    return deputy


class UnitRoster(Roster):
    """Units the committee supervises, each with its liaison leader (a standing committee member
    of the current term, by name) and liaison commission (by name). A unit is recognised by
    its name."""

    kind = "units"
    title = "单位名册"
    model = Unit
    COLUMNS = (
        Column("单位名称", "name", NAME, required=True, aliases=("单位", "单位全称", "名称")),
        Column("简称", "short_name", aliases=("单位简称",)),
        Column(
            "类别",
            "kind",
            CHOICE,
            aliases=("单位类别", "类型"),
            choices=(
                (Unit.Kind.GOVERNMENT.value, ("县人民政府", "县政府", "人民政府", "政府")),
                (Unit.Kind.COURT.value, ("县人民法院", "人民法院", "法院")),
                (Unit.Kind.PROCURATORATE.value, ("县人民检察院", "人民检察院", "检察院")),
                (Unit.Kind.DEPARTMENT.value, ("政府部门", "政府组成部门", "政府工作部门", "部门")),
                (Unit.Kind.VERTICAL.value, ("垂直管理单位", "垂直单位", "垂管单位", "垂直管理部门")),
            ),
        ),
        Column("联系领导", "liaison_leader", REF, source="liaison_leader.deputy.name", aliases=("联系的常委会领导",)),
        Column(
            "联系工委", "liaison_commission", REF, source="liaison_commission.name", aliases=("联系委员会", "对口工委")
        ),
        Column("联系电话", "phone", aliases=("办公电话", "电话")),
        Column("联络员", "liaison_name", NAME, aliases=("联络员姓名", "单位联络员")),
        Column("联络员手机", "liaison_phone", MOBILE, aliases=("联络员电话", "联络员手机号码", "联络员联系电话")),
    )

    def preload(self):
        self.on_file = {u.name: u for u in Unit.objects.all()}
        # A liaison named in the row gets a login (named by the mobile number, in the liaison
        # role) when the unit has none with that number: the liaisons' roster, in one file.
        self.logins_by_phone = {u.phone: u for u in User.objects.exclude(phone="").select_related("unit")}
        self.usernames = set(User.objects.filter(username__regex=r"^1[0-9]{10}$").values_list("username", flat=True))
        self.new_liaisons: list[tuple[str, str, str]] = []  # (unit name, liaison name, phone)
        self.next_order = len(self.on_file)
        self.leaders: dict[str, list[int]] = {}
        for pk, name in Member.objects.filter(term=self.term, active=True).values_list("id", "deputy__name"):
            self.leaders.setdefault(name, []).append(pk)
        self.commissions = _commission_names()

    def check(self, row, values, bad):
        name = values.get("name")
        if name:
            self.once(("name", name), row, "name", gettext("Row %(other)d has the same unit name."))
        leader = values.get("liaison_leader")
        if leader:
            found = self.leaders.get(leader, [])
            if len(found) == 1:
                values["liaison_leader_id"] = found[0]
            elif not found:
                self.problem(
                    row,
                    "liaison_leader",
                    gettext("No standing committee member of the current term is named “%(value)s”.")
                    % {"value": leader},
                )
            else:
                self.problem(
                    row,
                    "liaison_leader",
                    gettext("More than one standing committee member is named “%(value)s”; set this one by hand.")
                    % {"value": leader},
                )
        elif "liaison_leader" in values:
            values["liaison_leader_id"] = None
        commission = values.get("liaison_commission")
        if commission:
            found = set(self.commissions.get(commission, []))
            if len(found) == 1:
                values["liaison_commission_id"] = found.pop()
            elif not found:
                self.problem(
                    row, "liaison_commission", gettext("No commission named “%(value)s”.") % {"value": commission}
                )
            else:
                self.problem(
                    row,
                    "liaison_commission",
                    gettext("More than one commission is called “%(value)s”; write its full name.")
                    % {"value": commission},
                )
        elif "liaison_commission" in values:
            values["liaison_commission_id"] = None
        existing = self.on_file.get(name)
        self._check_liaison(row, values, existing)
        return existing

    def _check_liaison(self, row, values, existing):
        liaison, phone = values.get("liaison_name"), values.get("liaison_phone")
        if not (liaison or phone):
            return
        if not phone:
            self.problem(row, "liaison_phone", gettext("Give the liaison's mobile number: it is their login."))
            return
        self.once(
            ("liaison", phone),
            row,
            "liaison_phone",
            gettext("Row %(other)d has the same mobile number %(value)s."),
            value=phone,
        )
        login = self.logins_by_phone.get(phone)
        if login is not None:
            if existing is None or login.unit_id != existing.pk:
                self.problem(
                    row,
                    "liaison_phone",
                    gettext("The login with mobile number %(value)s belongs to %(name)s.")
                    % {"value": phone, "name": login.get_full_name() or login.username},
                )
            return
        if phone in self.usernames:
            self.problem(row, "liaison_phone", gettext("Another login is already named %(value)s.") % {"value": phone})
        elif not liaison:
            self.problem(row, "liaison_name", gettext("Give the liaison's name."))
        elif values.get("name"):
            self.new_liaisons.append((values["name"], liaison, phone))
            values["new_liaison"] = liaison

    def label(self, values, existing):
        label = super().label(values, existing)
        if values.get("new_liaison"):
            return gettext("%(unit)s (a login for the liaison %(name)s)") % {
                "unit": label,
                "name": values["new_liaison"],
            }
        return label

    def apply(self):
        made = super().apply()
        if self.new_liaisons:
            units = dict(Unit.objects.filter(name__in=[u for u, _n, _p in self.new_liaisons]).values_list("name", "id"))
            logins = []
            for unit, name, phone in self.new_liaisons:
                login = User(username=phone, last_name=name, phone=phone, unit_id=units[unit])
                login.set_unusable_password()  # the first login is by the link on the slip (set a password)
                logins.append(login)
            logins = User.objects.bulk_create(logins)
            Group.objects.get(name=Role.LIAISON).user_set.add(*logins)
            made[str(_("liaison logins"))] = len(logins)
        return made

    def export_cell(self, column):
        if column.field not in ("liaison_name", "liaison_phone"):
            return super().export_cell(column)
        # The unit's first active liaison, for every unit in one query.
        if not hasattr(self, "_export_liaisons"):
            self._export_liaisons = {}
            for unit_id, last_name, phone in (
                User.objects.filter(unit__isnull=False, is_active=True, groups__name=Role.LIAISON)
                .order_by("pk")
                .values_list("unit_id", "last_name", "phone")
            ):
                self._export_liaisons.setdefault(unit_id, (last_name, phone))
        index = 0 if column.field == "liaison_name" else 1
        return None, lambda _value, record: self._export_liaisons.get(record[0], (None, None))[index]

    def attributes(self, values, existing):
        attributes = {name: values[name] for name in ("name", "short_name", "kind", "phone") if name in values}
        for name in ("liaison_leader_id", "liaison_commission_id"):
            if name in values:
                attributes[name] = values[name]
        return attributes

    def new_record(self, attributes):
        self.next_order += 1
        return Unit(sort_order=self.next_order, **attributes)


class OfficialRoster(Roster):
    """Officials elected or appointed by the congress, each in a unit. An official is
    recognised by unit and name; a unit has at most one head (主要负责人) in office. Units the
    registry lacks are created when staff confirm."""

    kind = "officials"
    title = "述职对象名册"
    model = Official
    MISSING_LABELS = {"unit": _("units")}
    COLUMNS = (
        Column("姓名", "name", NAME, required=True),
        Column("性别", "gender", CHOICE, required=True, choices=GENDERS),
        Column(
            "所在单位",
            "unit",
            REF,
            required=True,
            source="unit.name",
            creatable=True,
            aliases=("单位", "工作单位", "单位名称"),
        ),
        Column("职务", "position", required=True, aliases=("现任职务",)),
        Column(
            "任命方式",
            "appointment",
            CHOICE,
            aliases=("产生方式",),
            choices=(
                (Official.Appointment.ELECTED.value, ("选举", "人大选举", "选举产生")),
                (Official.Appointment.APPOINTED.value, ("任命", "常委会任命", "任命产生")),
            ),
        ),
        Column("是否主要负责人", "is_head", BOOL, choices=YES_NO, aliases=("主要负责人",)),
        Column("联系电话", "phone", MOBILE, aliases=PHONE_ALIASES),
        Column("任职时间", "took_office", DATE, aliases=("任职日期", "任现职时间")),
    )

    def preload(self):
        self.units = dict(Unit.objects.values_list("name", "id"))
        self.on_file = {(o.unit_id, o.name): o for o in Official.objects.all()}
        self.heads = {o.unit_id: o for o in self.on_file.values() if o.is_head and o.active}

    def check(self, row, values, bad):
        unit = values.get("unit")
        if not unit:
            return None
        unit_id = values["unit_id"] = self.units.get(unit) or self.need(
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
        if unit_id is None:
            return None
        name = values.get("name")
        existing = self.on_file.get((unit_id, name))
        if name:
            self.once(
                ("official", unit_id, name),
                row,
                "name",
                gettext("Row %(other)d has the same official in %(unit)s."),
                unit=unit,
            )
        if values.get("is_head", existing is None or existing.is_head):
            head = self.heads.get(unit_id)
            if head is not None and head is not existing:
                self.problem(
                    row,
                    "is_head",
                    gettext("%(unit)s already has a head in office (%(name)s).") % {"unit": unit, "name": head.name},
                )
            self.once(
                ("head", unit_id),
                row,
                "is_head",
                gettext("Row %(other)d is also the head of %(unit)s; a unit has one head."),
                unit=unit,
            )
        return existing

    def attributes(self, values, existing):
        names = ("name", "gender", "unit_id", "position", "appointment", "is_head", "phone", "took_office")
        return {name: values[name] for name in names if name in values}

    def create_pending(self, kind, names):
        return create_units(names)
