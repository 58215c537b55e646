"""Quoting on the device: a real SMTP server on loopback for quote e-mails."""

from tests.smtp import smtp_server

__all__ = ["smtp_server"]
