"""E-mail that is never lost: a transactional outbox and a delivery worker.

Services never talk to an SMTP server. They call :func:`congress.mail.outbox.queue`
(or ``render_and_queue``), which adds an ``OutboxMessage`` row to the session in
the same transaction as the change that causes the mail: if the service rolls
back, no mail goes out; if it commits, the mail is stored and will be delivered,
even when the SMTP server is down for hours. ``flask congress send-mail``
(:mod:`congress.mail.delivery`) delivers due messages with retries and back-off.
"""
