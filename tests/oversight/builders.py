"""A unit paired with a liaison commission and a responsible leader, with logins for its liaison,
the commission's chair and the leader: the people a year of supervision involves."""

from dataclasses import dataclass

from congress.models import CommissionSeat, Meeting, Member, Unit, User
from congress.services import accounts
from tests.factories import CommissionFactory, MeetingFactory, MemberFactory, UnitFactory, UserFactory, liaison_for


@dataclass
class Paired:
    unit: Unit
    liaison: User
    chair: User
    leader: User
    chair_member: Member
    leader_member: Member
    staff: User


def paired_unit(name="县水利局", commission="农业与农村委员会") -> Paired:
    unit = UnitFactory(name=name, short_name=name.removeprefix("县"))
    unit.liaison_commission = CommissionFactory(name=commission)
    leader = MemberFactory(position=Member.Position.VICE_DIRECTOR)
    chair = MemberFactory()
    for member in (leader, chair):
        accounts.ensure_deputy_user(member.deputy)
    unit.liaison_leader = leader
    unit.save()
    CommissionSeat.objects.create(commission=unit.liaison_commission, deputy=chair.deputy, role="chair")
    return Paired(
        unit=unit,
        liaison=liaison_for(unit, username=f"liaison-{unit.pk}"),
        chair=Member.objects.get(pk=chair.pk).deputy.user,
        leader=Member.objects.get(pk=leader.pk).deputy.user,
        chair_member=chair,
        leader_member=leader,
        staff=UserFactory(username=f"staff-{unit.pk}", roles=["staff"]),
    )


def standing_session(term=None) -> Meeting:
    kwargs = {"term": term} if term is not None else {}
    return MeetingFactory(kind=Meeting.Kind.STANDING, title="县人大常委会第二十三次会议", **kwargs)


def directors_meeting(term=None) -> Meeting:
    kwargs = {"term": term} if term is not None else {}
    return MeetingFactory(kind=Meeting.Kind.DIRECTORS, title="第四十次主任会议", **kwargs)
