"""Who reads which collection: groups, everyone signed in, staff (nothing), and the embedded default."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from rag.access.selectors import collection_ids_readable
from rag.access.services import collection_access_set
from tests.factories import collection

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann(django_user_model):
    return django_user_model.objects.create_user(username="ann")


def test_a_new_collection_is_closed_to_employees_and_staff_and_open_to_superusers(ann, django_user_model):
    collection("hr")
    assert collection_ids_readable(user=ann) == []
    staff = django_user_model.objects.create_user(username="it", is_staff=True)
    assert collection_ids_readable(user=staff) == []
    root = django_user_model.objects.create_superuser(username="root")
    assert collection_ids_readable(user=root) is None


def test_members_of_a_granted_group_read_it(ann):
    hr, _ = collection("hr"), collection("legal")
    people = Group.objects.create(name="people")
    collection_access_set(collection=hr, groups=[people])
    ann.groups.add(people)
    assert collection_ids_readable(user=ann) == [hr.pk]


def test_everyone_signed_in_reads_an_open_collection_but_anonymous_does_not(ann):
    from django.contrib.auth.models import AnonymousUser

    handbook = collection("handbook")
    collection_access_set(collection=handbook, all_signed_in=True)
    assert collection_ids_readable(user=ann) == [handbook.pk]
    assert collection_ids_readable(user=AnonymousUser()) == []


def test_an_inactive_user_reads_nothing(ann):
    collection_access_set(collection=collection("handbook"), all_signed_in=True)
    ann.is_active = False
    assert collection_ids_readable(user=ann) == []


def test_the_default_collection_is_open_until_an_admin_sets_its_access(ann, settings):
    assert settings.ACCESS_OPEN_COLLECTIONS == ["default"]
    default = collection("default")
    assert collection_ids_readable(user=ann) == [default.pk]
    collection_access_set(collection=default, groups=[Group.objects.create(name="it")])
    assert collection_ids_readable(user=ann) == []


def test_the_collection_access_command_grants_groups(ann):
    hr = collection("hr")
    call_command("collection_access", "hr", "--group", "HR")
    assert collection_ids_readable(user=ann) == []
    ann.groups.add(Group.objects.get(name="HR"))
    assert collection_ids_readable(user=ann) == [hr.pk]
