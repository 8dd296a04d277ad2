from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from agencies.choices import OrganisationKind
from agencies.models import Membership, Organisation


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@test.samverkan.localhost")
    password = factory.django.Password("secret-password")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Förening {n}")
    kind = OrganisationKind.CIVIL_SOCIETY


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
