"""PDF documents (quotes, invoices, credit notes, certificates, badges) rendered from templates.

Pure given its inputs: a caller hands plain values to a template under
``templates/documents/``; this package knows no model, reads no database and
fetches nothing outside the site's own ``static/`` folder.
"""
