"""Factories with realistic Chinese data for the institution's registry."""

import datetime

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from congress import models
from congress.demo import TOWNSHIPS, UNITS

faker = factory.Faker._get_faker(locale="zh_CN")


def mobile(n: int) -> str:
    # 139xxxxxxxx is a China Mobile range that phonenumbers accepts as a mobile number.
    return f"139{n:08d}"[-11:]


class TermFactory(DjangoModelFactory):
    class Meta:
        model = models.Term
        django_get_or_create = ["number"]

    number = 17
    start_date = datetime.date(2021, 12, 1)
    end_date = datetime.date(2026, 12, 31)
    is_current = True


class DeputyGroupFactory(DjangoModelFactory):
    class Meta:
        model = models.DeputyGroup

    term = factory.SubFactory(TermFactory)
    township = factory.Iterator(TOWNSHIPS)
    name = factory.Sequence(lambda n: f"{TOWNSHIPS[n % len(TOWNSHIPS)]}代表小组{n}")


class DeputyFactory(DjangoModelFactory):
    class Meta:
        model = models.Deputy

    term = factory.SubFactory(TermFactory)
    name = factory.Faker("name", locale="zh_CN")
    gender = factory.Iterator(["M", "F"])
    ethnicity = "汉族"
    level = models.Deputy.Level.COUNTY
    occupation = factory.Iterator([c for c, _ in models.Deputy.Occupation.choices])
    education = models.Deputy.Education.BACHELOR
    workplace = factory.LazyFunction(lambda: f"{faker.company()}职工")
    phone = factory.Sequence(lambda n: mobile(50000000 + n))
    group = factory.SubFactory(DeputyGroupFactory, term=factory.SelfAttribute("..term"))


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = models.Member

    deputy = factory.SubFactory(DeputyFactory)
    term = factory.SelfAttribute("deputy.term")
    position = models.Member.Position.MEMBER
    full_time = True


class CommissionFactory(DjangoModelFactory):
    class Meta:
        model = models.Commission
        django_get_or_create = ["name"]

    name = factory.Iterator(
        ["法制委员会", "财政经济委员会", "教育科学文化卫生委员会", "农业与农村委员会", "城乡建设环境保护委员会"]
    )
    kind = models.Commission.Kind.SPECIAL


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = models.Unit

    name = factory.Sequence(
        lambda n: (
            f"县{['教育', '卫生健康', '交通运输', '住房和城乡建设', '农业农村', '水利', '民政', '人力资源和社会保障'][n % 8]}局{n}"
        )
    )
    kind = models.Unit.Kind.DEPARTMENT


class OfficialFactory(DjangoModelFactory):
    class Meta:
        model = models.Official

    name = factory.Faker("name", locale="zh_CN")
    gender = "M"
    unit = factory.SubFactory(UnitFactory)
    position = "局长"
    is_head = True


class UserFactory(DjangoModelFactory):
    class Meta:
        model = models.User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = factory.Faker("last_name", locale="zh_CN")
    first_name = factory.Faker("first_name", locale="zh_CN")
    password = factory.PostGenerationMethodCall("set_password", "Renda-2026")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))
            if {"staff", "leader"} & set(extracted):
                self.is_staff = True
        if create:
            self.save()


def deputy_with_login(**kwargs) -> models.Deputy:
    from congress.services import accounts

    deputy = DeputyFactory(**kwargs)
    accounts.ensure_deputy_user(deputy)
    deputy.refresh_from_db()
    return deputy


def liaison_for(unit=None, **kwargs) -> models.User:
    unit = unit or UnitFactory()
    return UserFactory(unit=unit, roles=["liaison"], **kwargs)


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = models.Meeting

    term = factory.SubFactory(TermFactory)
    kind = models.Meeting.Kind.EVALUATION
    title = "县人大常委会工作评议大会"
    place = "县人民会堂"
    starts_at = factory.LazyFunction(lambda: __import__("django.utils.timezone").utils.timezone.now())


UNIT_NAMES_27 = [name for name, *_rest in UNITS]


def meeting_with_attendees(n_deputies: int, n_members: int = 0, *, with_logins: bool = False):
    """A meeting with ``n_deputies`` attending deputies and ``n_members`` members (bulk)."""
    term = TermFactory()
    group = DeputyGroupFactory(term=term)
    meeting = MeetingFactory(term=term)
    deputies = models.Deputy.objects.bulk_create(
        models.Deputy(
            term=term,
            name=f"{faker.name()}{i}",
            gender="M",
            level="county",
            occupation="worker",
            phone=mobile(60000000 + models.Deputy.objects.count() + i),
            group=group,
        )
        for i in range(n_deputies + n_members)
    )
    models.Attendance.objects.bulk_create(models.Attendance(meeting=meeting, deputy=d) for d in deputies[:n_deputies])
    models.Member.objects.bulk_create(models.Member(term=term, deputy=d) for d in deputies[n_deputies:])
    if with_logins:
        from congress.services import accounts

        for deputy in deputies:
            accounts.ensure_deputy_user(deputy)
        deputies = list(
            models.Deputy.objects.filter(pk__in=[d.pk for d in deputies]).select_related("user").order_by("pk")
        )
    return meeting, deputies
