"""The request's user is read in one query with what every page needs of it (units.backends, issue 18), and the
rules that use those counts give the same answers as from the governments themselves."""
import pytest

from units.backends import UserBackend
from units.models import Government, User

pytestmark = pytest.mark.django_db


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)  # not through the backend: the rules read the governments


def test_one_query_brings_the_unit_government_and_counts(office, alice, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = UserBackend().get_user(alice.pk)
        assert (user.unit.short_name, user.government.short_name) == ("区发改局", "测试区")
        assert (user.government_count, user.sharing_lower_count, user.unread_notification_count) == (1, 0, 0)
        assert user.sharing_lower_ids == [] and not user.sees_whole_install  # a liaison sees one unit's rows
    with django_assert_num_queries(1):
        assert UserBackend().get_user(office.pk).sees_whole_install


@pytest.mark.parametrize("shares", [True, False])
def test_the_counts_give_the_rules_answers_with_a_lower_government(office, shares):
    upper = office.government
    lower = Government.objects.create(name="下级街道", short_name="下级", level=Government.Level.TOWNSHIP,
                                      upper=upper, shares_details=shares)
    Government.objects.create(name="不共享的街道", short_name="不共享", level=Government.Level.TOWNSHIP, upper=upper)
    user = UserBackend().get_user(office.pk)
    assert user.government_count == 3 and user.sharing_lower_count == (1 if shares else 0)
    assert user.sharing_lower_ids == fresh(office).sharing_lower_ids == ([lower.pk] if shares else [])
    assert user.sees_whole_install is fresh(office).sees_whole_install is False
