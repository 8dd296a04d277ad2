"""Attachments on cases, actions, meetings and decisions: versions, access-checked downloads."""
