"""What is printed: QR codes (qr), print geometry and fonts (printing), QR labels (labels), the
A4 booklet (booklet). None of it reaches into the site build.

May import: catalog.reference, catalog.runtime, catalog.records.
"""
