"""本级政府: the office decides whether the upper office may read its rows; others only read the page."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from units.models import Government


@pytest.fixture
def city(government):
    city = Government.objects.create(name="测试市人民政府", short_name="测试市", level=Government.Level.CITY)
    government.upper = city
    government.save()
    return city


def test_the_office_lets_the_upper_office_read_its_rows(client, office, city, government):
    url = reverse("units:government")
    client.force_login(office)
    page = client.get(url).content.decode()
    assert "测试区人民政府（县区）" in page and "测试市人民政府" in page and "checked" not in page
    response = client.post(url, {"shares_details": "1"})
    assert response.status_code == 302
    government.refresh_from_db()
    assert government.shares_details
    assert "上级政府办可以查看本级落实上级任务的台账明细" in client.get(url).content.decode()


def test_leaders_read_it_and_units_do_not(client, leader, alice, city, government):
    url = reverse("units:government")
    client.force_login(leader)
    assert client.get(url).status_code == 200
    assert client.post(url, {"shares_details": "1"}).status_code == 403
    client.force_login(alice)
    assert client.get(url).status_code == 403
    government.refresh_from_db()
    assert not government.shares_details


def test_a_government_is_below_a_higher_level_and_never_its_own_upper(government, city):
    government.upper = government
    with pytest.raises(ValidationError, match="不能是自己"):
        government.full_clean()
    government.upper = city
    city.upper = government
    with pytest.raises(ValidationError, match="循环"):
        city.full_clean()
    city.upper = None
    town = Government(name="测试镇人民政府", short_name="测试镇", level=Government.Level.CITY, upper=government)
    with pytest.raises(ValidationError, match="层级"):
        town.full_clean()
