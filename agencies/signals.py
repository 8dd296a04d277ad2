"""Personal API tokens end with the password they were made under (see services)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import is_password_usable
from django.db.models.signals import post_save, pre_save

from .services import api_tokens_follow_password, password_hash_is_outdated

REHASHED_FROM = "_samverkan_rehashed_from"


def _maybe_rehash(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    """Remember the old hash when this save looks like Django's re-hash at sign-in.

    Django's check_password() saves only `password`, after clearing the raw password it keeps
    for a real change; and it re-hashes only an outdated hash into the current hasher's form.
    Anything else that changes the hash is a password change.
    """
    setattr(instance, REHASHED_FROM, None)
    if instance.pk is None or update_fields is None or set(update_fields) != {"password"}:
        return
    if getattr(instance, "_password", None) is not None or not is_password_usable(
        instance.password
    ):
        return
    old = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    upgraded = password_hash_is_outdated(old) and not password_hash_is_outdated(instance.password)
    if old != instance.password and upgraded:
        setattr(instance, REHASHED_FROM, old)


def _follow_password(
    sender: Any, instance: Any, created: bool, update_fields: Any = None, **kwargs: Any
) -> None:
    if created or (update_fields is not None and "password" not in update_fields):
        return
    api_tokens_follow_password(user=instance, rehashed_from=getattr(instance, REHASHED_FROM, None))


def connect(user_model: Any) -> None:
    pre_save.connect(_maybe_rehash, sender=user_model, dispatch_uid="api-tokens-rehash")
    post_save.connect(_follow_password, sender=user_model, dispatch_uid="api-tokens-password")
