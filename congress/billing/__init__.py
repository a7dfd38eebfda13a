"""Quotes, invoices, credit notes and payments for the edition's fees.

Above registration (it reads registrations and their billing details), below the
dashboard. Invoices are legal documents: numbered by the database without gaps,
immutable once issued (database triggers refuse UPDATE and DELETE), kept ten
years; a mistake is corrected by a credit note that references the invoice.
"""
