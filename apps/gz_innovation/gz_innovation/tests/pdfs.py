"""Real PDF files for the tests: Frappe 15.9x reads every uploaded PDF (to refuse ones with scripts),
so a test's file must be a PDF that parses, not bytes that merely start with %PDF."""

import io


def valid_pdf(note: str = "") -> bytes:
	"""A one-page PDF whose title is `note` (so two test files differ)."""
	from pypdf import PdfWriter

	writer = PdfWriter()
	writer.add_blank_page(width=72, height=72)
	writer.add_metadata({"/Title": note})
	buffer = io.BytesIO()
	writer.write(buffer)
	return buffer.getvalue()
