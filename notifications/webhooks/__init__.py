"""Signed webhooks per organisation (Standard Webhooks headers), with retries and a delivery log."""
