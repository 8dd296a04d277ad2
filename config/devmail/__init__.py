"""The local mailbox: under DEBUG, emails are kept in the database and read at /dev/mailbox/."""
