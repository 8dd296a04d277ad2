from __future__ import annotations

from django.urls import path

from . import views

urlpatterns = [
    path("dev/mailbox/", views.mailbox, name="dev_mailbox"),
    path("dev/mailbox/<int:pk>/", views.message, name="dev_mailbox_message"),
    path("dev/mailbox/<int:pk>/html/", views.message_html, name="dev_mailbox_html"),
]
